"""Concepts: what an item is about, read from its text as normalised tokens.

The data (organisations, openings, fillers, stock words, spellings, concept sets) is in
``search/vocab/concepts.toml``; each theme of the index's taxonomy is a concept too (its
abbreviations only as written), and so is each group of the thesaurus search uses (its
synonym sets, and each abbreviation with its expansions), so one vocabulary serves both.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from whoosh.lang.porter2 import stem

from search.errors import SgsearchError
from search.vocab.thesaurus import is_abbreviation, load_thesaurus

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONCEPTS_NAME = "concepts.toml"

_WORD = re.compile(r"[a-z0-9]+")
_RAW_WORD = re.compile(r"[A-Za-z0-9]+")  # a word as written (abbreviations are matched so)
# American -ize forms read as British -ise ("prioritize" as "prioritise"): stems differ otherwise
_IZE = re.compile(r"^([a-z]{3,})iz(e|es|ed|ing|ation|ations)$")
_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]", re.I)
CONCEPT_PREFIX = "\x01"  # marks a concept token in the normalised text (never in report text)
THEME_PREFIX = CONCEPT_PREFIX + "t:"  # a theme's token (one of its phrases was found)
SYNONYM_PREFIX = CONCEPT_PREFIX + "s:"  # a thesaurus group's own token: its forms read as one word, weighed as one
OBJECT_PREFIX = CONCEPT_PREFIX + "o:"  # what a comparison is about ("abus" of "more likely to be abused"): never scored, only agreed
OBJECT_WORDS = 2  # content words after a comparison read as what it compares
OBJECT_LETTERS = 5  # of their stems, so a noun and its verb agree ("injuri" of injuries, "injur" of injured)


class ConceptsError(SgsearchError, ValueError):
    """The concepts file is unreadable or invalid; the message is one line naming the file."""


@dataclass
class Concepts:
    """What normalisation knows: organisations, openings, fillers and concept phrases."""

    orgs: _Phrases
    openings: list[re.Pattern]
    fillers: _Phrases
    phrases: _Phrases
    token_of: dict[str, str]  # a normalised phrase -> its concept token
    theme_phrases: _Phrases | None = None  # a theme's phrases add its token; the words still count
    theme_of: dict[str, str] = field(default_factory=dict)
    common: frozenset[str] = frozenset()  # stems of words that say how, not what ("increase")
    labels: dict[str, str] = field(default_factory=dict)  # concept token -> what "why" shows
    themes: frozenset[str] = frozenset()  # tokens that came from a theme's phrases
    stock: frozenset[str] = frozenset()  # words (and their stems) that are never concepts ("including")
    theme_words: dict[str, frozenset[str]] = field(default_factory=dict)  # theme token -> the words naming it
    spellings: dict[str, str] = field(default_factory=dict)  # a variant spelling -> the one stemmed ("focussed": "focused")
    abbreviations: dict[str, str] = field(default_factory=dict)  # a theme's abbreviation, as written -> its token
    abbreviation_rx: re.Pattern | None = None  # finds the abbreviations that are not one plain word
    generic: frozenset[str] = frozenset()  # concept tokens too general to show two items say the same ("staff")
    synonym_phrases: _Phrases | None = None  # a thesaurus group's forms add its token; the words still count
    synonym_of: dict[str, str] = field(default_factory=dict)  # a normalised form -> its thesaurus group's token
    places: frozenset[str] = frozenset()  # the areas that publish the index's reports, read as organisations
    place_bodies: frozenset[str] = frozenset()  # words starting a body's name after its area ("safeguarding", "lscb")
    points: frozenset[str] = frozenset()  # concept tokens that are a point of practice ("face value")
    someone: frozenset[str] = frozenset()  # people other than the child a point can be about ("parental")
    comparisons: frozenset[str] = frozenset()  # concept tokens that compare ("more likely"): what follows is their object
    opening_any: re.Pattern | None = None  # matches (not empty) where any opening would: most texts start with none
    # a word of a text -> what it reads as: itself (a concept token), its stem, or None (never a
    # concept); filled as words are met, so each distinct word is judged once
    read_as: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def theme_only(self, shared) -> bool:
        """Whether the tokens two items share are a theme and nothing else: its tag or token,
        the words that name it (a phrase of one word or concept: "neglect" with the theme
        Neglect, "fathers" and "dads" with Fathers and male carers) and generic concepts
        ("professionals" is said by nearly every item, whatever it is about)."""
        shared = set(shared)
        themes = {t for t in shared if t.startswith(THEME_PREFIX)} | {THEME_PREFIX + t[1:] for t in shared if t.startswith("#")}
        said = set().union(*(self.theme_words.get(t, ()) for t in themes)) if themes else set()
        return all(t.startswith(("#", THEME_PREFIX, OBJECT_PREFIX)) or t in said or t in self.generic for t in shared)


def _canon(text: str) -> str:
    """Lower case, apostrophes dropped, every other non-alphanumeric run one space."""
    t = _ARTEFACT.sub(" ", text).lower().replace("’", "").replace("'", "")
    return " ".join(_WORD.findall(t))


def _phrase_variants(phrase: str) -> set[str]:
    """A phrase as normalised text, with a hyphen also read as a space or no gap."""
    out = {_canon(phrase)}
    if "-" in phrase:
        out.add(_canon(phrase.replace("-", "")))
    return {v for v in out if v}


class _Phrases:
    """Longest-match lookup of phrases over a list of words (a final "s" optional), by dict:
    far faster than one regular expression of hundreds of alternatives."""

    def __init__(self, values: dict[str, str]):
        self.values = {tuple(p.split()): v for p, v in values.items() if p}
        self.longest: dict[str, int] = {}
        for key in self.values:
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        # the words a phrase may start with (a final "s" optional), found in one pass over a
        # text: most words start none, and asking :meth:`at` of each was most of tokenising
        self.starts = frozenset([*self.longest, *(w + "s" for w in self.longest)])
        # the phrases as a tree of words: a node maps a word to (the value of the phrase ending
        # there or _NO_PHRASE, the node of its longer phrases), walked a word at a time
        self.tree: dict = {}
        for key, v in self.values.items():
            node = self.tree
            for n, w in enumerate(key):
                value, below = node.get(w, (_NO_PHRASE, None))
                if n == len(key) - 1:
                    value = v
                elif below is None:
                    below = {}
                node[w] = (value, below)
                node = below

    def _starts(self, words: list[str]) -> list[int]:
        """The positions where a phrase may start, in order."""
        starts = self.starts
        if starts.isdisjoint(words):  # one set operation: word by word only when some may
            return []
        return [i for i, w in enumerate(words) if w in starts]

    def at(self, words: list[str], i: int) -> tuple[int, str] | None:
        """(length, value) of the longest phrase starting at ``words[i]``, or None."""
        most = self.longest.get(words[i])
        if most is None and words[i].endswith("s"):
            most = self.longest.get(words[i][:-1])
        if most is None:
            return None
        for n in range(min(most, len(words) - i), 0, -1):
            key = tuple(words[i:i + n])
            v = self.values.get(key)
            if v is None and key[-1].endswith("s"):
                v = self.values.get(key[:-1] + (key[-1][:-1],))
            if v is not None:
                return n, v
        return None

    def _longest(self, words: list[str], i: int) -> tuple[int, str] | None:
        """What :meth:`at` finds, by walking :attr:`tree`: the words after a phrase's first are
        looked up only as far as some phrase goes."""
        found = None
        node = self.tree
        for j in range(i, len(words)):
            w = words[j]
            hit = node.get(w)
            if hit is not None and hit[0] is not _NO_PHRASE:
                found = (j - i + 1, hit[0])
            elif w[-1:] == "s":  # the last word of a phrase may take a final "s"
                bare = node.get(w[:-1])
                if bare is not None and bare[0] is not _NO_PHRASE:
                    found = (j - i + 1, bare[0])
            if hit is None or hit[1] is None:
                break
            node = hit[1]
        return found

    def replace(self, words: list[str]) -> list[str]:
        """The words with each phrase replaced by its value (an empty value drops it)."""
        starts = self._starts(words)
        if not starts:
            return words
        out: list[str] = []
        i = 0  # words before ``i`` are done
        for at in starts:
            if at < i:
                continue  # inside a phrase already replaced
            m = self._longest(words, at)
            if m is None:
                continue
            out += words[i:at]
            if m[1]:
                out.append(m[1])
            i = at + m[0]
        out += words[i:]
        return out

    def find(self, words: list[str]) -> list[str]:
        """The values of the phrases in ``words``, in order, each once."""
        found: dict[str, None] = {}
        for i in self._starts(words):
            m = self._longest(words, i)
            if m is not None:
                found[m[1]] = None
        return list(found)


_NO_PHRASE = object()  # a node of :attr:`_Phrases.tree` where no phrase ends


def bundled_concepts_path() -> Path:
    """Path of the concepts file shipped with the package."""
    return Path(str(resources.files("search.vocab").joinpath(CONCEPTS_NAME)))


def _concept_token(cid: str) -> str:
    """The token a concept of the data file is read as."""
    return f"{CONCEPT_PREFIX}c:{cid}".replace(" ", "_")


def load_concepts(taxonomy=None, extra_files: list[Path] | None = None, thesaurus=None,
                  places: Iterable[str] = ()) -> Concepts:
    """The bundled concepts, then each extra file's (a concept with a known id is replaced),
    the phrases of each theme of ``taxonomy`` (anything iterating objects with ``id``,
    ``label``, ``phrases`` and ``abbreviations``), and the groups of ``thesaurus`` (anything
    with ``groups()``; the bundled thesaurus when None). ``places``: names of the areas whose
    bodies publish the reports ("Hillingdon"), read as the organisations are: where a report
    is from is not what it says."""
    orgs: list[str] = []
    openings: list[str] = []
    fillers: list[str] = []
    common: list[str] = []
    stock: list[str] = []
    bodies: list[str] = []
    spellings: dict[str, str] = {}
    concepts: dict[str, list[str]] = {}
    # the concepts a flag marks: generic, a point of practice, a comparison, someone other than the child
    flagged: dict[str, set[str]] = {"generic": set(), "point": set(), "compares": set(), "someone": set()}
    for path in [bundled_concepts_path(), *[Path(p) for p in extra_files or []]]:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise ConceptsError(f"{path}: cannot read the concepts file: {' '.join(str(e).split())}") from e
        try:
            orgs += [str(n) for n in data.get("organisations", {}).get("names", [])]
            openings += [str(p) for p in data.get("openings", {}).get("patterns", [])]
            fillers += [str(p) for p in data.get("fillers", {}).get("phrases", [])]
            common += [str(w) for w in data.get("common", {}).get("words", [])]
            stock += [str(w) for w in data.get("stock", {}).get("words", [])]
            bodies += [str(w).lower() for w in data.get("places", {}).get("bodies", [])]
            spellings.update({_canon(str(k)): _canon(str(v)) for k, v in data.get("spellings", {}).items()})
            for c in data.get("concept", []):
                concepts[str(c["id"])] = [str(t) for t in c["terms"]]
                for flag, ids in flagged.items():
                    if c.get(flag):
                        ids.add(str(c["id"]))
        except (AttributeError, KeyError, TypeError) as e:
            raise ConceptsError(f"{path}: each [[concept]] needs an id and a list of terms ({e})") from e

    def _variants(phrase: str) -> set[str]:  # as the text's words are read: in the spelling stemmed
        return {" ".join(_spelling(w, spellings) for w in v.split()) for v in _phrase_variants(phrase)}

    token_of: dict[str, str] = {}
    theme_of: dict[str, str] = {}
    labels: dict[str, str] = {}
    theme_tokens: set[str] = set()
    theme_phrases: dict[str, list[str]] = {}
    abbreviations: dict[str, str] = {}
    for theme in taxonomy or ():
        tok = f"{THEME_PREFIX}{theme.id}".replace(" ", "_")
        labels[tok] = theme.label
        theme_tokens.add(tok)
        theme_phrases[tok] = [*theme.phrases, *theme.abbreviations]
        for p in theme.phrases:
            for v in _variants(p):
                theme_of[v] = tok
        for a in theme.abbreviations:  # as the tagger reads them: as written ("Prevent", not "prevents")
            abbreviations.setdefault(a, tok)
    for cid, terms in concepts.items():  # the file's concepts win over a theme's phrase
        tok = _concept_token(cid)
        labels[tok] = cid
        for p in terms:
            for v in _variants(p):
                token_of[v] = tok
    org_words = {v for n in orgs for v in _variants(n)}
    synonym_of = _thesaurus_concepts(thesaurus if thesaurus is not None else load_thesaurus(), _variants, token_of,
                                     theme_of, labels, abbreviations, org_words)
    # an area none of whose words a concept, a theme or the thesaurus uses ("Education" of an
    # "Education Safeguarding Team" is a subject, not a place)
    said = {w for d in (token_of, theme_of, synonym_of) for phrase in d for w in phrase.split()}
    named = {v for n in places for v in _variants(n) if not said & set(v.split())}
    org_words |= named
    odd = [a for a in abbreviations if not a.isalnum()]
    try:
        opening_rx = [re.compile(p, re.I) for p in openings]
    except re.error as e:
        raise ConceptsError(f"concepts file: an opening is not a valid pattern: {e}") from e
    opening_any = None  # without it each opening is tried on every text
    if openings and not any(rx.groups for rx in opening_rx):  # a group's number would change when joined
        try:  # "(?<=[\s\S])": an opening that matched nothing is not taken (as :func:`_strip_openings` does)
            opening_any = re.compile("|".join(f"(?:{p})(?<=[\\s\\S])" for p in openings), re.I)
        except re.error:  # valid alone only ("(?i)..." flags a whole pattern)
            pass
    stock_words = {w for x in stock for w in _canon(x).split()}
    c = Concepts(
        orgs=_Phrases(dict.fromkeys(org_words, "org")),
        openings=opening_rx,
        opening_any=opening_any,
        fillers=_Phrases({v: "" for f in fillers for v in _variants(f)}),
        # one pass replaces all three: organisations, fillers and concept phrases
        phrases=_Phrases({**dict.fromkeys(org_words, "org"), **{v: "" for f in fillers for v in _variants(f)},
                          **token_of}),
        token_of=token_of,
        labels=labels,
        themes=frozenset(theme_tokens),
        theme_phrases=_Phrases(theme_of),
        theme_of=theme_of,
        synonym_phrases=_Phrases(synonym_of) if synonym_of else None,
        synonym_of=synonym_of,
        common=frozenset(_stem(w) for c in common for w in _canon(c).split()),
        stock=frozenset(stock_words),
        spellings=spellings,
        places=frozenset(named),
        place_bodies=frozenset(bodies),
        comparisons=frozenset(map(_concept_token, flagged["compares"])),
        points=frozenset(map(_concept_token, flagged["point"])),
        generic=frozenset(map(_concept_token, flagged["generic"])),
        someone=frozenset(map(_concept_token, flagged["someone"])),
        abbreviations=abbreviations,
        abbreviation_rx=re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(
            re.escape(a) for a in sorted(odd, key=len, reverse=True)) + r")(?![A-Za-z0-9])") if odd else None,
    )
    plain = Concepts(**{**c.__dict__, "theme_phrases": None, "synonym_phrases": None, "read_as": {}})  # a phrase's own words, not its theme
    named = {tok: [tokens(p, plain) for p in phrases] for tok, phrases in theme_phrases.items()}
    # a point a theme holds ("optimism" of Professional curiosity) says more than the theme: never its name
    point_tokens = c.points
    c.theme_words = {tok: frozenset(t[0] for p, t in zip(theme_phrases[tok], toks)
                                    if len(t) == 1 and t[0] not in point_tokens
                                    and (t[0].startswith(CONCEPT_PREFIX) or len(_canon(p).split()) == 1))
                     for tok, toks in named.items()}
    return c


def _thesaurus_concepts(thesaurus, variants, token_of: dict, theme_of: dict, labels: dict,
                        abbreviations: dict, orgs: set[str]) -> dict[str, str]:
    """The groups of the thesaurus as concepts; returns each new group's forms -> its token.

    A group one of whose forms is a concept of the data file adds only its abbreviations to
    it: the file's sets are chosen for recurrence, the thesaurus's for finding more (it reads
    "pregnancy" as "unborn baby", which would make a termination pathway a pre-birth item). A
    group one of whose forms is a theme's phrase says that theme ("looked after children" as
    the theme that lists "looked after child"); any other group is a token of its own. Both
    are added beside the words, as a theme's phrases are, so "dads" and "fathers" share a
    token while each keeps its words. Synonym sets come
    before abbreviations, and a form keeps the first token it gets, so groups are not chained.
    An abbreviation counts only as written ("SEND", never "send"). The bodies that write reports
    (``orgs``: "CCG", "clinical commissioning group") stay one token, whoever is named.
    """
    synonym_of: dict[str, str] = {}
    groups = sorted(thesaurus.groups(), key=lambda g: is_abbreviation(g[0]))
    for group in groups:
        abbrs = [f for f in group if is_abbreviation(f)]
        forms = {v: f for f in group if f not in abbrs for v in variants(f)}
        if not forms or any(v in orgs for v in forms) or any(_canon(a) in orgs for a in abbrs):
            continue
        known = next((d[v] for v in forms for d in (token_of, theme_of, synonym_of) if v in d), None)
        if known is None:
            known = f"{SYNONYM_PREFIX}{_canon(next(iter(forms.values())))}".replace(" ", "_")
            labels.setdefault(known, next(iter(forms.values())))
        for v in forms:
            if v in token_of or v in theme_of or v in synonym_of:
                continue
            if known.startswith((SYNONYM_PREFIX, THEME_PREFIX)):  # said beside the words, as a theme's own phrases are
                synonym_of[v] = known
        for a in abbrs:
            abbreviations.setdefault(a, known)
    return synonym_of


@lru_cache(maxsize=1)
def default_concepts() -> Concepts:
    """:func:`load_concepts` of nothing but what is bundled (no taxonomy, no places), loaded once."""
    return load_concepts()


_VERB_ENDINGS = ("ing", "ed")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """The word's Porter stem; a verb form ("experiencing", "evidenced") takes its noun's stem
    when that is shorter and begins it ("experienc" -> "experi", as "experiences" reads), so a
    finding and a recommendation saying one thing as noun and verb share the word."""
    s = stem(word)
    for end in _VERB_ENDINGS:
        if word.endswith(end) and len(word) >= 6:
            base = stem(word[:-len(end)] + "e")
            if len(base) < len(s) and s.startswith(base) and len(base) >= 4:
                return base
    return s


def _spelling(word: str, spellings: dict[str, str]) -> str:
    """A word in the spelling its stem is taken from: the file's table, then -ize read as -ise."""
    word = spellings.get(word, word)
    m = _IZE.match(word) if "iz" in word else None
    return f"{m.group(1)}is{m.group(2)}" if m else word


def _strip_openings(t: str, concepts: Concepts) -> str:
    if concepts.opening_any is not None and not concepts.opening_any.match(t):
        return t  # none of them would take anything
    changed = True
    while changed and t:
        changed = False
        for rx in concepts.openings:
            m = rx.match(t)
            if m and m.end() > 0:
                t = t[m.end():].lstrip()
                changed = True
    return t


def tokens(text: str, concepts: Concepts | None = None, surface: dict | None = None) -> list[str]:
    """The concepts of a text in order: concept tokens (``\\x01c:duties``) and stemmed content words.

    ``surface``, if given, learns a readable word for each stem (what "why" shows).
    """
    c = concepts or default_concepts()
    words = _words(text, c)
    themes = c.theme_phrases.find(words) if c.theme_phrases is not None else []
    if c.synonym_phrases is not None:
        themes += [t for t in c.synonym_phrases.find(words) if t not in themes]
    if c.abbreviations and c.theme_phrases is not None:
        raw = _RAW_WORD.findall(text)
        # plain ones by a dict, the quickest (most texts name none)
        said = [] if c.abbreviations.keys().isdisjoint(raw) else [c.abbreviations.get(w) for w in raw]
        if c.abbreviation_rx is not None:  # "S&L", "0-19": by pattern
            said += [c.abbreviations[w] for w in c.abbreviation_rx.findall(text)]
        themes += [t for t in dict.fromkeys(said) if t and t not in themes]
    words = _strip_openings(" ".join(c.phrases.replace(words)), c).split()
    if c.comparisons and not c.comparisons.isdisjoint(words):
        themes += [t for t in _objects(words, c) if t not in themes]
    read_as = c.read_as
    new = set(words).difference(read_as)
    if new:
        if len(read_as) > _READ_AS_MOST:  # a long-lived process reading ever new words
            # a new dict, never one emptied: another thread may be reading its text's words from it
            c.read_as = read_as = {}
            new = set(words)
        for w in new:
            read_as[w] = _read_as(w, c)
    out = [s for s in map(read_as.__getitem__, words) if s is not None]
    if surface is not None:  # the first word (in order) of each stem
        for w in dict.fromkeys(words):
            s = read_as[w]
            if s is not None and s not in surface and not s.startswith(CONCEPT_PREFIX):
                surface[s] = w
    kept = set(out)
    return out + [t for t in themes if t not in kept]


def _words(text: str, c: Concepts) -> list[str]:
    """A text's words as the phrases read them: lowered, as :func:`_canon` splits them, in the spelling stemmed."""
    sp = c.spellings
    low = (_ARTEFACT.sub(" ", text) if "[" in text else text).lower().replace("’", "").replace("'", "")
    words = _WORD.findall(low)
    if "iz" in low or not sp.keys().isdisjoint(words):
        words = [_spelling(w, sp) if w in sp or "iz" in w else w for w in words]
    return words


_READ_AS_MOST = 200_000  # distinct words :attr:`Concepts.read_as` holds at most (as many as _stem keeps)


def _read_as(w: str, c: Concepts) -> str | None:
    """What a word of a text reads as among its concepts: itself (a concept token), its stem,
    or None (no concept: an organisation, a stock or common word, a letter, a number)."""
    if w.startswith(CONCEPT_PREFIX):
        return w
    if w == "org" or w in c.stock or len(w) < 2 or w[0].isdigit():  # "2019", "31st": a date cited, not a concept
        return None
    s = _stem(w)
    return None if s in c.common else s


def _objects(words: list[str], c: Concepts) -> list[str]:
    """What each comparison in ``words`` compares: the first :data:`OBJECT_WORDS` content words
    after it, past its base ("more likely than girls to be exploited": "exploit"), as object
    tokens. Two findings comparing different harms ("... to be abused", "... to be bullied") share
    every other word."""
    out = []
    for i, w in enumerate(words):
        if w not in c.comparisons:
            continue
        rest = words[i + 1:]
        if rest and rest[0] == "than":  # the base of the comparison, up to "to"/"of"
            cut = next((n for n, x in enumerate(rest[:6]) if x in ("to", "of")), 0)
            rest = rest[cut:]
        found = []
        for x in rest:
            if x.startswith(CONCEPT_PREFIX) or x in c.stock or x in ("org", "be", "being", "than") or len(x) < 2:
                continue
            s = _stem(x)
            if s in c.common:
                continue
            found.append(f"{OBJECT_PREFIX}{s[:OBJECT_LETTERS]}")
            if len(found) == OBJECT_WORDS:
                break
        out += found
    return out


def normalise(text: str, concepts: Concepts | None = None) -> list[str]:
    """The content of an item as readable tokens: concept names and stemmed words, in order."""
    c = concepts or default_concepts()
    return [c.labels.get(t, t) if t.startswith(CONCEPT_PREFIX) else t for t in tokens(text, c) if not t.startswith(OBJECT_PREFIX)]



def publisher_places(publishers: Iterable[str | None], concepts: Concepts | None = None) -> tuple[str, ...]:
    """The areas named by publishers' names: the words before the kind of body
    ("Hillingdon" of "Hillingdon Safeguarding Children Partnership", "Kingston & Richmond" of
    "Kingston & Richmond LSCB"), each name once, sorted. A name without such a body ("NSPCC",
    "Department for Education") names no area."""
    c = concepts or default_concepts()
    bodies = c.place_bodies
    out: set[str] = set()
    for name in publishers:
        words = list(_RAW_WORD.finditer(name or ""))
        cut = next((m.start() for m in words if m.group().lower() in bodies), 0)
        # "Kingston & Richmond", "Bath and North East Somerset": each area the name joins
        for area in re.split(r"\s*(?:&|\+|,|\band\b)\s*", (name or "")[:cut]):
            area_words = _RAW_WORD.findall(area)
            # an area is a proper name: written with capitals, and no stock word ("Children's")
            if area_words and all(w[0].isupper() for w in area_words) and not any(
                    w.lower() in c.stock or w.lower() in ("of", "the") for w in area_words):
                out.add(" ".join(area_words))
    return tuple(sorted(out))




# -- an item's tokens: those of what it is about ---------------------------------------------

# "However, as highlighted in the Panel's review 'X', ...": where a point was made, not the point
_ATTRIBUTION = re.compile(r"^(?:(?:however|also|again|moreover|furthermore|further)\s*,?\s*)?as\s+(?:was\s+)?"
                          r"(?:highlighted|noted|identified|found|reported|set out|described|recommended|shown|seen)"
                          r"\s+(?:in|by)\b[^,.;]{0,200},\s*", re.I)
# "... e.g. poor attendance, missed appointments" or "(e.g. ...)": illustrations, not what the item says
_EXAMPLE = r"(?:e\.\s?g\b|eg\b|for example\b|for instance\b)"
_EXAMPLES_AT_END = re.compile(r"[\s,;:]+" + _EXAMPLE + r".*$", re.I | re.S)
_EXAMPLES_IN_BRACKETS = re.compile(r"\s*\(" + _EXAMPLE + r"[^)]*\)", re.I)
_FIRST_SENTENCE = re.compile(r"(.{25,}?[.;!?])\s+[A-Z]")
SHORT_ITEM_WORDS = 40  # an item this short is one point, said in a sentence or two: compared whole
EXAMPLES_AFTER = 8  # words an item says before its examples start, for them to be cut ("men, for example fathers, who ..." keeps them)


def _may_give_examples(text: str) -> bool:
    """False when :data:`_EXAMPLE` cannot be in ``text`` (most texts: told by a few substring
    tests, far quicker than the pattern's search; letters beyond ASCII may match it in other cases)."""
    if not text.isascii():
        return True
    low = text.lower()
    return "e." in low or "eg" in low or "for example" in low or "for instance" in low


def item_subject(text: str) -> str:
    """What an item is about: its first sentence (the rest of a long item is often commentary),
    or the whole of a short one (a point and its second sentence: "Plans were not reviewed.
    Reviews must be monthly."), without a leading attribution ("as highlighted in ..., ") or trailing examples
    ("e.g. ...")."""
    text = _ATTRIBUTION.sub("", text)
    if len(text.split()) <= SHORT_ITEM_WORDS:
        m = None
    else:
        m = _FIRST_SENTENCE.match(text)
    first = m.group(1) if m else text
    if "(" in first:
        first = _EXAMPLES_IN_BRACKETS.sub("", first)
    tail = _EXAMPLES_AT_END.search(first) if _may_give_examples(first) else None
    return first[:tail.start()] if tail and len(first[:tail.start()].split()) >= EXAMPLES_AFTER else first


CONTEXT_WORDS = 8  # an item of fewer words is a point of a list: its heading says what it is about too


def item_tokens(item: dict, concepts: Concepts, surface: dict | None = None) -> list[str]:
    """The concepts of an item's subject (see :func:`item_subject`); an item of fewer than
    :data:`CONTEXT_WORDS` words ("inadequate information sharing between services") also takes
    the concepts its heading names ("Unseen men: fathers and male carers"), as a reader does.
    Only the heading's concepts and themes, never its plain words: "Board priorities" or
    "Minutes" say what kind of item it is, not what it is about."""
    subject, heading = _item_texts(item)
    toks = tokens(subject, concepts, surface)
    if heading is not None:
        toks += [t for t in dict.fromkeys(tokens(heading, concepts)) if t.startswith(CONCEPT_PREFIX) and t not in toks]
    return toks


def _item_texts(item: dict) -> tuple[str, str | None]:
    """What an item's tokens are read from: its subject, and its heading when it is that short."""
    text = item.get("text") or ""
    heading = item.get("heading")
    return item_subject(text), (heading if heading and len(text.split()) < CONTEXT_WORDS else None)


# -- items' tokens made as they are written, read back by recur -----------------------------

TOKENS_FILE = "item-tokens"  # an index generation's files f"{TOKENS_FILE}-<concepts' digest>-<n>.tsv"
_TOKENS_VERSION = 1  # raise whenever tokenising changes: stored tokens of an older tokeniser are not read


def text_key(text: str | None, heading: str | None) -> int:
    """A 64-bit digest of what an item's tokens are read from (its text and heading)."""
    import hashlib  # lazy: the query path never digests (hashlib starts OpenSSL)

    h = hashlib.blake2b(digest_size=8)
    h.update((text or "").encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update((heading or "").encode("utf-8", "surrogatepass"))
    return int.from_bytes(h.digest(), "big")


def written_concepts(taxonomy, kept=None) -> Concepts:
    """The concepts items' tokens are made with as they are written: the index's themes and its
    own thesaurus entries (``kept``: a Thesaurus), without the acronyms its documents define or
    its publishers' areas, which are known only once every document is written
    (:class:`Changes` says which items those read differently)."""
    thesaurus = load_thesaurus()
    if kept is not None:
        thesaurus.add({"abbreviations": kept.abbreviations, "synonyms": kept.synonyms}, "<the index's thesaurus>")
    return load_concepts(taxonomy, thesaurus=thesaurus)


def concepts_digest(c: Concepts) -> str:
    """A digest of everything tokenising reads of ``c`` (and of the tokeniser's version)."""
    # lazy: the query path never digests (hashlib starts OpenSSL)
    import hashlib
    import json

    return hashlib.sha256(json.dumps([
        _TOKENS_VERSION, sorted(c.token_of.items()), sorted(c.theme_of.items()), sorted(c.synonym_of.items()),
        sorted(c.abbreviations.items()), sorted(c.places), [r.pattern for r in c.openings], sorted(c.common),
        sorted(c.stock), sorted(c.spellings.items()), sorted(c.comparisons), c.theme_phrases is None,
    ], ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def tokens_line(item: dict, concepts: Concepts) -> str:
    """An item's line of a tokens file: its :func:`text_key` in hex, its tokens and the words
    its stems were read from (each joined by spaces), tab-separated; "" when its tokens hold a tab."""
    learnt: dict[str, str] = {}
    toks = " ".join(item_tokens(item, concepts, learnt))
    if "\t" in toks or "\n" in toks:
        return ""
    return f"{text_key(item.get('text'), item.get('heading')):016x}\t{toks}\t{' '.join(learnt.values())}\n"


class Changes:
    """Which items ``after`` tokenises differently from ``before``, when the two differ only in
    phrases (organisations and areas, concepts, themes, thesaurus groups) and abbreviations: an
    item in which no phrase that differs is found, and that holds no abbreviation that differs,
    reads the same under both. ``everything`` when they differ otherwise."""

    def __init__(self, before: Concepts, after: Concepts):
        def same(a, b) -> bool:
            return (a.spellings == b.spellings and a.common == b.common and a.stock == b.stock
                    and a.comparisons == b.comparisons and [r.pattern for r in a.openings] == [r.pattern for r in b.openings]
                    and (a.theme_phrases is None) == (b.theme_phrases is None))

        self.everything = not same(before, after)
        changed: set[tuple[str, ...]] = set()
        for get in (lambda c: c.phrases, lambda c: c.theme_phrases, lambda c: c.synonym_phrases):
            x, y = get(before), get(after)
            x, y = (x.values if x is not None else {}), (y.values if y is not None else {})
            changed |= {key for key in x.keys() | y.keys() if x.get(key) != y.get(key)}
        # a phrase found only where one of these is (found as the phrases are): elsewhere each
        # place finds the same longest phrase under both
        self.changed = _Phrases({" ".join(key): "changed" for key in changed})
        abbrs = {a for a in before.abbreviations.keys() | after.abbreviations.keys()
                 if before.abbreviations.get(a) != after.abbreviations.get(a)}
        self.plain = frozenset(a for a in abbrs if a.isalnum())
        self.odd = tuple(a for a in abbrs if not a.isalnum())  # found by pattern: looked for as a substring
        self.concepts = after
        self.none = not (self.everything or changed or abbrs)

    def touches(self, item: dict) -> bool:
        """Whether ``item`` may read differently (then it is tokenised again)."""
        if self.none:
            return False
        if self.everything:
            return True
        for text in _item_texts(item):
            if text is None:
                continue
            if self.changed.find(_words(text, self.concepts)):
                return True
            if self.plain and not self.plain.isdisjoint(_RAW_WORD.findall(text)):
                return True
            if any(a in text for a in self.odd):
                return True
        return False
