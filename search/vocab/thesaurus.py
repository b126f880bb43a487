"""The thesaurus: abbreviations, their expansions and synonyms, as data.

The field's abbreviations and synonym sets live in ``search/vocab/thesaurus.toml`` (shipped
with the package; its header describes the format). A user may add files in the same
format (``sgsearch ingest --thesaurus FILE``), and ingest adds the acronyms documents
define themselves ("the Joint Targeted Area Inspection (JTAI)"); both are kept in the
index folder (``thesaurus.json``) so that every search of that index knows them.

Every entry is a *group* of forms that mean the same: an abbreviation and its
expansions, or a synonym set. :meth:`Thesaurus.lookup` finds the groups a run of query
words belongs to. The letters stand for each meaning documents give them; an expansion
typed in full, for the letters and the expansions written beside it, not another meaning.
Abbreviations (forms in capitals) match only as written, with an optional final ``s``;
other forms match in any case, ignoring spaces and hyphens and a final plural. No spaCy here: the query path imports this module.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from search.errors import SgsearchError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from search.vocab.userfiles import load_toml

BUNDLED_NAME = "thesaurus.toml"
INDEX_FILE = "thesaurus.json"  # in an index's generation folder, beside taxonomy.json

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_ABBR = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z0-9&]*[A-Z0-9]$")


class ThesaurusError(SgsearchError, ValueError):
    """A thesaurus file is unreadable or invalid; the message is one line naming the file."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {' '.join(str(problem).split())}")


def is_abbreviation(form: str) -> bool:
    """True for a form written as an abbreviation: one word, at least two capitals, starting
    and ending with a capital or digit (``JTAI``, ``GCP2``, ``CiC``), or such a word plus a final ``s``."""
    f = form[:-1] if form.endswith("s") and len(form) > 2 else form
    return " " not in form and bool(_ABBR.match(f))


def phrase_key(text: str) -> str:
    """A phrase as one key: case, spaces, hyphens and apostrophes ignored."""
    return "".join(w.lower().replace("’", "'") for w in _WORD.findall(text)).replace("'", "")


_FUNCTION_WORDS = frozenset(("a", "an", "and", "for", "in", "of", "on", "the", "to"))


def _meaning(words: list[str]) -> tuple[str, ...]:
    """The words of a form as one meaning: case, a possessive, a final plural and function words
    ignored ("Board for Northern Ireland" is "BOARD NORTHERN IRELAND", "Children's" "children")."""
    out = []
    for w in words:
        w = w.lower().replace("’", "'").removesuffix("'s").replace("'", "")
        if w not in _FUNCTION_WORDS:
            out.append(w[:-1] if w.endswith("s") and len(w) > 3 else w)
    return tuple(out)


def _singulars(key: str) -> list[str]:
    """A key and the keys it may be the plural of (``fathers`` -> ``father``; ``babies`` -> ``baby``)."""
    out = [key]
    if key.endswith("ies") and len(key) > 5:
        out.append(key[:-3] + "y")
    if key.endswith("es") and len(key) > 4:
        out.append(key[:-2])
    if key.endswith("s") and len(key) > 3:
        out.append(key[:-1])
    return out


@dataclass
class Thesaurus:
    """Groups of equivalent forms; ``abbreviations`` maps each abbreviation to its expansions,
    ``synonyms`` lists the synonym sets, ``defined`` the acronyms each document defines
    (``{doc_id: [[abbreviation, expansion], ...]}``)."""

    abbreviations: dict[str, list[str]] = field(default_factory=dict)
    synonyms: list[list[str]] = field(default_factory=list)
    defined: dict[str, list[list[str]]] = field(default_factory=dict)
    _table: tuple | None = field(default=None, repr=False, compare=False)

    # -- building ---------------------------------------------------------------
    def add(self, data: dict, source: str = "<data>") -> None:
        """Add a file's worth of data (``abbreviations`` table, ``synonyms`` list); an
        abbreviation already known is replaced. Raises ThesaurusError on bad data."""
        unknown = set(data) - {"abbreviations", "synonyms"}
        if unknown:
            raise ThesaurusError(source, f"unknown key {sorted(unknown)[0]!r}: use [abbreviations] and synonyms")
        abbrs = data.get("abbreviations", {})
        if not isinstance(abbrs, dict):
            raise ThesaurusError(source, "[abbreviations] must be a table of ABBR = \"expansion\"")
        for abbr, exp in abbrs.items():
            exps = [exp] if isinstance(exp, str) else exp
            if not is_abbreviation(abbr):
                raise ThesaurusError(source, f"abbreviation {abbr!r} must be one word with at least two capitals")
            if not isinstance(exps, list) or not exps or not all(isinstance(e, str) and e.strip() for e in exps):
                raise ThesaurusError(source, f"abbreviation {abbr}: give an expansion or a list of expansions")
            self.abbreviations[abbr] = [" ".join(e.split()) for e in exps]
        syns = data.get("synonyms", [])
        if not isinstance(syns, list):
            raise ThesaurusError(source, "synonyms must be a list of lists of words or phrases")
        for n, group in enumerate(syns, start=1):
            if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) and w.strip() for w in group):
                raise ThesaurusError(source, f"synonym set {n} must list at least two words or phrases")
            self.synonyms.append([" ".join(w.split()) for w in group])
        self._table = None

    def define(self, doc_id: str, pairs: list[tuple[str, str]] | list[list[str]]) -> None:
        """Record the acronyms a document defines (replacing what it defined before)."""
        if pairs:
            self.defined[doc_id] = [[a, e] for a, e in pairs]
        else:
            self.defined.pop(doc_id, None)
        self._table = None

    def forget(self, doc_id: str) -> None:
        """Drop the acronyms of a document (removed or about to be re-read)."""
        self.define(doc_id, [])

    # -- reading ----------------------------------------------------------------
    def groups(self) -> list[list[str]]:
        """Every group of equivalent forms: each abbreviation with its expansions (those the
        documents define added to it), then the synonym sets."""
        by_abbr: dict[str, list[str]] = {a: list(e) for a, e in self.abbreviations.items()}
        for _doc, pairs in sorted(self.defined.items()):
            for abbr, exp in pairs:
                have = by_abbr.setdefault(abbr, [])
                if _singulars(phrase_key(exp))[-1] not in {_singulars(phrase_key(e))[-1] for e in have}:
                    have.append(exp)
        return [[a, *e] for a, e in by_abbr.items()] + [list(s) for s in self.synonyms]

    def _lookup_table(self):
        if self._table is None:
            abbrs: dict[str, set[int]] = {}
            keys: dict[str, set[int]] = {}
            longest = 1
            groups = self.groups()
            # the expansions written beside each abbreviation (not those documents define):
            # the only ones an expansion typed in full stands for
            listed = {n: {_singulars(phrase_key(e))[-1] for e in self.abbreviations.get(g[0], ())}
                      for n, g in enumerate(groups[:len(groups) - len(self.synonyms)])}
            for n, group in enumerate(groups):
                for form in group:
                    if is_abbreviation(form):
                        abbrs.setdefault(form, set()).add(n)
                        if not form.endswith("s"):
                            abbrs.setdefault(form + "s", set()).add(n)
                    else:
                        words = _WORD.findall(form)
                        if words:
                            keys.setdefault(phrase_key(form), set()).add(n)
                            longest = max(longest, len(words))
            self._table = (groups, abbrs, keys, longest, listed)
        return self._table

    @property
    def longest(self) -> int:
        """The most words in any form (how long a run of query words to try)."""
        return self._lookup_table()[3]

    def lookup(self, words: list[str]) -> list[str]:
        """The other forms of whatever the run of ``words`` names (empty when it names nothing):
        one word written as an abbreviation matches abbreviations as written; any run matches
        expansions and synonyms whatever its case, spacing or hyphens."""
        groups, abbrs, keys, _, listed = self._lookup_table()
        ids: set[int] = set()
        typed_abbr = len(words) == 1 and words[0] in abbrs
        if typed_abbr:
            ids = abbrs[words[0]]
        if not ids and not (len(words) == 1 and is_abbreviation(words[0])):
            said = _singulars(phrase_key(" ".join(words)))
            ids = set().union(*(keys.get(k, set()) for k in said))
        if not ids:
            return []
        said = _singulars(phrase_key(" ".join(words)))
        typed = _meaning(_WORD.findall(" ".join(words)))
        out, seen = [], set()
        for n in sorted(ids):
            # an expansion typed in full is one meaning of its abbreviation: another meaning a
            # document gives the same letters ("significant" beside "serious case review") is
            # no other form of it, though the same words written otherwise are; the
            # abbreviation typed stands for every meaning
            meanings = None if typed_abbr or n not in listed else (listed[n] if set(said) & listed[n] else set())
            for form in groups[n]:
                if is_abbreviation(form):
                    if len(words) == 1 and words[0] in (form, form + "s"):
                        continue
                    k = form
                else:
                    k = _singulars(phrase_key(form))[-1]
                    if phrase_key(form) in said or k in said:
                        continue
                    if meanings is not None and k not in meanings and _meaning(_WORD.findall(form)) != typed:
                        continue  # another meaning of the same letters
                if k not in seen:
                    seen.add(k)
                    out.append(form)
        return out

    # -- storing ----------------------------------------------------------------
    def to_json(self) -> str:
        """The thesaurus as the index keeps it (``thesaurus.json``): abbreviations, synonym
        sets and what each document defines."""
        return json.dumps({"abbreviations": self.abbreviations, "synonyms": self.synonyms,
                           "defined": self.defined}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Thesaurus:
        """The thesaurus :meth:`to_json` wrote."""
        data = json.loads(text)
        t = cls()
        t.add({"abbreviations": data.get("abbreviations", {}), "synonyms": data.get("synonyms", [])}, "thesaurus.json")
        for doc_id, pairs in (data.get("defined") or {}).items():
            t.define(doc_id, [(a, e) for a, e in pairs])
        return t


def terms(gen_dir: Path | None, word: str | None = None) -> dict:
    """What a search of the index generation ``gen_dir`` knows, for ``sgsearch terms``:
    ``{"abbreviations": [{"abbreviation", "expansions", "documents"}], "synonyms": [[...]]}``;
    ``documents`` lists the ids of the documents that define the abbreviation themselves.
    With ``word``, only the entries with a form that contains it (any case)."""
    t = index_thesaurus(gen_dir)
    by_doc: dict[str, list[str]] = {}
    for doc_id, pairs in sorted(t.defined.items()):
        for abbr, _exp in pairs:
            by_doc.setdefault(abbr, []).append(doc_id)
    want = word.lower().strip() if word else None
    abbrs, syns = [], []
    for group in t.groups():
        if want and not any(want in f.lower() for f in group):
            continue
        if group[0] in t.abbreviations or group[0] in by_doc:  # an abbreviation's group, not a synonym set
            abbrs.append({"abbreviation": group[0], "expansions": group[1:], "documents": by_doc.get(group[0], [])})
        else:
            syns.append(group)
    abbrs.sort(key=lambda a: a["abbreviation"].upper())
    return {"abbreviations": abbrs, "synonyms": syns}


def bundled_path() -> Path:
    """The bundled thesaurus file (the abbreviations and synonyms every index starts with)."""
    return Path(__file__).with_name(BUNDLED_NAME)  # beside this module, as package data is installed


def read_file(path: str | Path) -> dict:
    """A thesaurus TOML file's data (ThesaurusError naming the file when unreadable)."""
    try:
        return load_toml(path)
    except OSError as e:
        raise ThesaurusError(path, f"cannot read the file: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise ThesaurusError(path, "not UTF-8 text: save it as UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise ThesaurusError(path, f"not valid TOML: {e}") from None


def load_thesaurus(extra_files: list[str | Path] | None = None) -> Thesaurus:
    """The bundled thesaurus, then each extra file in turn (adding entries; an abbreviation
    given again is replaced)."""
    t = Thesaurus()
    for path in [bundled_path(), *(extra_files or [])]:
        t.add(read_file(path), str(path))
    return t


def user_entries(extra_files: list[str | Path]) -> Thesaurus:
    """Only what the user's files say (to keep in an index), checked."""
    t = Thesaurus()
    for path in extra_files:
        t.add(read_file(path), str(path))
    return t


def index_thesaurus(gen_dir: Path | None) -> Thesaurus:
    """The thesaurus for searching the index generation ``gen_dir``: the bundled one plus what the
    index keeps (a user's entries, the acronyms its documents define); the bundled one alone
    when the index keeps none. (:func:`search.query.thesaurus_of` keeps it while the index
    stays as it is.)"""
    t = load_thesaurus()
    kept = stored(gen_dir)
    if kept is not None:
        t.add({"abbreviations": kept.abbreviations, "synonyms": kept.synonyms}, str(gen_dir / INDEX_FILE))
        for doc_id, pairs in kept.defined.items():
            t.define(doc_id, pairs)
    return t


def stored(gen_dir: Path | None) -> Thesaurus | None:
    """What an index generation keeps (user entries and defined acronyms), or None."""
    if gen_dir is None:
        return None
    try:
        return Thesaurus.from_json((gen_dir / INDEX_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, ThesaurusError):
        return None
