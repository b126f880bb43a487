"""Text analysis for the index: how report text and queries become terms.

- Hyphenated and prefixed compounds are one term: ``pre-birth``, ``pre birth``,
  ``prebirth`` and ``Pre-Birth`` all become ``prebirth``; at index time the parts
  (``pre``, ``birth``) are kept at the same position so a search for ``agency``
  still finds "multi-agency".
- Two-word compounds that reports write joined, spaced or hyphenated (``tool kit``,
  ``toolkit``, ``tool-kit``; ``health visitor``; ``well-being``) are one term too
  (:data:`COMPOUNDS`); at index time both words are kept at the same position.
- Financial-year forms ``2016/17``, ``2016-17`` and ``2016-2017`` become ``2016-17``.
- Accents are folded (``café`` = ``cafe``), case is folded, English words are stemmed
  (``recommendations`` = ``recommendation``).

The stemmer is Snowball's English as tantivy ships it (:func:`stem_word`), so that the
tantivy engine is given its words whole and stemmed (:func:`engine_fields`, each distinct
word stemmed once) and holds the very terms the query parser makes; without tantivy (Python 3.10) it is Whoosh's, and indexes record which.
The rules run in plain Python for queries and snippets (:func:`query_terms`,
:func:`index_terms`), and as Whoosh analysers (``text_analyzer``, ``exact_analyzer``) for
a Whoosh index, defined on first use so that nothing else loads Whoosh.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from functools import lru_cache
from pathlib import Path

_TANTIVY = importlib.util.find_spec("tantivy") is not None
# Bump when analysis changes: an index built with another version (or stemmer) is rebuilt.
ANALYSIS_VERSION = "5" if _TANTIVY else "5w"

# Prefixes that reports write joined, hyphenated or spaced ("pre birth", "non-accidental").
PREFIXES = frozenset(
    "pre post ante anti non multi inter intra co sub over under ex self re cross mid".split()
)
# Word pairs written as one word, two words or hyphenated: first word -> second words.
COMPOUNDS = {
    "tool": frozenset({"kit"}),
    "health": frozenset({"visitor", "visiting"}),
    "well": frozenset({"being"}),
    "work": frozenset({"force"}),
    "case": frozenset({"work", "load"}),
    "frame": frozenset({"work"}),
    "step": frozenset({"father", "mother", "parent", "child", "children", "son", "daughter"}),
    "grand": frozenset({"parent", "mother", "father", "child", "children"}),
    "child": frozenset({"minder", "minding"}),
    "care": frozenset({"giver"}),
    "web": frozenset({"site"}),
    "life": frozenset({"long"}),
}


# Words too common to search for on their own (the refusal of a query of only these, and
# an export's list of terms); the same list as Whoosh's STOP_WORDS.
STOP_WORDS = frozenset("""a an and are as at be by can for from have if in is it may not of on or tbd that the
this to us we when will with yet you your""".split())


@lru_cache(maxsize=1)
def accent_map() -> dict[int, str]:
    """The table folding accented letters to plain ones (``accents.txt``; for ``str.translate``)."""
    table: dict[int, str] = {}
    text = Path(__file__).with_name("accents.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            plain, *codes = line.split(" ")
            table.update((int(c, 16), plain) for c in codes)
    return dict(sorted(table.items()))


def compound_second(first: str, word: str) -> bool:
    """True when ``first`` + ``word`` (lower case) is one of :data:`COMPOUNDS` (``word`` may be plural)."""
    seconds = COMPOUNDS.get(first)
    return seconds is not None and (word in seconds or (word.endswith("s") and word[:-1] in seconds))


def _joins(pending: str, word: str) -> bool:
    """Whether a pending prefix or compound's first word joins ``word``."""
    if pending in PREFIXES:
        return word.isalpha() and len(word) > 2
    return compound_second(pending, word)


_TOKEN = r"\w+(?:['’]\w+)*(?:[-/–]\w+(?:['’]\w+)*)*"
_YEAR = re.compile(r"^((?:19|20)\d{2})[-/–]((?:19|20)?\d{2})$")
HYPHEN_SPLIT = re.compile(r"[-/–]")  # what joins a compound's parts ("pre-birth", "and/or"); snippets split on it too
_APOS = re.compile(r"['’]s?$")


def year_term(text: str) -> str | None:
    """``2016/17``, ``2016-17`` or ``2016-2017`` -> ``2016-17``; None if not a year span."""
    m = _YEAR.match(text)
    if not m:
        return None
    start, end = int(m.group(1)), m.group(2)
    end2 = int(end[-2:])
    if (start + 1) % 100 != end2:
        return None
    return f"{start}-{end2:02d}"


# a token as analysis reads it (snippets mark the same spans), never backtracking into a
# finished word (nothing after one can fail, so the match is the same): a quarter quicker
# where Python has possessive quantifiers (3.11)
TOKEN_RX = re.compile(r"\w++(?:['’]\w++)*+(?:[-/–]\w++(?:['’]\w++)*+)*+" if sys.version_info >= (3, 11) else _TOKEN)
_WORD, _YEAR_SPAN, _PARTS = 0, 1, 2
_SHAPES: dict[str, tuple] = {}  # raw token -> its shape; reports reuse a few thousand words
_MAX_SHAPES = 200_000


def _shape(raw: str) -> tuple:
    """What a raw token is on its own, before its neighbours are looked at:
    ``(_YEAR_SPAN, term)``, ``(_PARTS, joined, parts)`` or ``(_WORD, word, waits)``
    (``waits``: a prefix or a compound's first word, which may join the next word)."""
    w = raw.lower()
    if not w.isascii():
        w = w.translate(accent_map())
    yt = year_term(w) if w[0].isdigit() else None
    if yt:
        return (_YEAR_SPAN, yt)
    if "'" in w or "’" in w:
        w = _APOS.sub("", w)
    if "-" in w or "/" in w or "–" in w:
        parts = [p for p in HYPHEN_SPLIT.split(w) if p]
        return (_PARTS, "".join(parts), parts if len(parts) > 1 else [])
    return (_WORD, w, w in PREFIXES or w in COMPOUNDS)


def index_terms(text: str) -> list[tuple[str, int]]:
    """``(term, position)`` pairs that :func:`exact_analyzer` gives in index mode, computed on
    plain strings (several times faster than Whoosh's token pipeline; for the engine's
    writes, where every section is analysed once more). Must stay in step with
    :class:`CompoundFilter`: a property test compares the two on random text."""
    out: list[tuple[str, int]] = []
    pending = None  # a bare prefix (term, position) waiting for the next word
    shift = 0
    shapes = _SHAPES
    if len(shapes) > _MAX_SHAPES:
        shapes.clear()
    for i, raw in enumerate(TOKEN_RX.findall(text)):
        pos = i - shift
        shape = shapes.get(raw)
        if shape is None:
            shape = shapes[raw] = _shape(raw)
        kind, w = shape[0], shape[1]
        if kind == _WORD and pending is None and not shape[2]:  # most words
            out.append((w, pos))
            continue
        if kind == _YEAR_SPAN:
            if pending is not None:
                out.append(pending)
                pending = None
            out.append((w, pos))
            continue
        if kind == _PARTS:
            if pending is not None:
                out.append(pending)
                pending = None
            out.append((w, pos))
            out.extend((p, pos) for p in shape[2])
            continue
        if pending is not None:
            if _joins(pending[0], w):
                out.append((pending[0] + w, pending[1]))
                if pending[0] in COMPOUNDS:
                    out.append(pending)
                out.append((w, pending[1]))
                shift += 1
                pending = None
                continue
            out.append(pending)
            pending = None
        if shape[2]:
            pending = (w, pos)
            continue
        out.append((w, pos))
    if pending is not None:
        out.append(pending)
    return out


def query_terms(text: str, stem: bool = True) -> list[str]:
    """The terms a query's ``text`` is searched for (the analysers in query mode): the first
    term :func:`index_terms` gives at each position (a joined word, not its parts); stemmed
    for ``heading``, ``text`` and ``title``, as written (``stem=False``) for ``exact`` and
    ``publisher``."""
    out: list[str] = []
    last = -1
    for term, pos in index_terms(text):
        if pos != last:
            out.append(term)
            last = pos
    return [stem_word(t) for t in out] if stem else out


_STEMMER = None


def stem_word(word: str) -> str:
    """The stem of one lower-case word: the stemmer of :func:`text_analyzer` and of the
    tantivy engine's own analyser (Snowball English, as tantivy has it)."""
    global _STEMMER
    if _STEMMER is None:
        if _TANTIVY:
            import tantivy  # only when a word is stemmed: the query path starts without it

            _STEMMER = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(
                tantivy.Filter.stemmer("english")).build().analyze
        else:
            # lazy: without tantivy (Python 3.10) Whoosh's stemmer, which only then loads
            from whoosh.lang import stemmer_for_language

            whoosh_stem = stemmer_for_language("en")
            _STEMMER = lambda w: [whoosh_stem(w)]  # noqa: E731
    out = _STEMMER(word) if word else None
    return out[0] if out else word


# -- text for an engine that tokenises and stems itself -----------------------------------
_WAITS = PREFIXES | frozenset(COMPOUNDS)
_JOINERS = ("-", "/", "–", "'", "’")
SPLIT_REACH = 8  # words kept either side of a joined word for phrases through its parts
_CHARS = None  # (characters folding changes, those of them that can move token boundaries)


def _chars():
    """Compiled classes of the characters beyond ASCII that lower case or accent folding
    change, and of those whose change can move a token boundary (with the sigmas, whose
    lower case depends on the next letter, and every character beyond the BMP)."""
    global _CHARS
    if _CHARS is None:
        word = re.compile(r"\w")
        folded = accent_map()
        changed, unsafe = [], []
        for cp in range(0x80, 0x10000):
            c = chr(cp)
            if 0xD800 <= cp < 0xE000:
                continue
            f = c.lower().translate(folded)
            if f != c or c in "Σσς":
                changed.append(re.escape(c))
                if not (word.match(c) and f and all(word.match(x) for x in f)) or c in "Σσς":
                    unsafe.append(re.escape(c))
        beyond = "\U00010000-\U0010FFFF"
        _CHARS = (re.compile("[" + "".join(changed) + beyond + "]"), re.compile("[" + "".join(unsafe) + beyond + "]"))
    return _CHARS


_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")
_CHANGED: frozenset[str] | None = None


def _folds(text: str) -> bool:
    """Whether lower case or accent folding changes a character of ``text`` beyond ASCII (the
    distinct ones looked up; quicker than the class of them all on text with a few)."""
    global _CHANGED
    if _CHANGED is None:
        rx = _chars()[0]
        _CHANGED = frozenset(chr(cp) for cp in range(0x80, 0x10000) if rx.match(chr(cp)))
    odd = set(_BEYOND_ASCII.findall(text))
    return not _CHANGED.isdisjoint(odd) or max(odd) > "\uffff"


def engine_text(text: str) -> tuple[str, list[str], str]:
    """``text`` as an engine's whitespace tokenizer takes it: ``(words, parts, split)``.

    ``words`` are the terms :func:`index_terms` gives each position (compounds and
    prefixes joined, year spans in one form, case and accents folded), one space apart;
    ``parts`` the other terms it puts at a joined word's position (``multi``, ``agency``
    of ``multi-agency``), which an engine can only add after the text; ``split`` (empty
    when nothing joined) the words around each joined word with it replaced by its parts
    (:data:`SPLIT_REACH` words either side, ``\\x00`` between these runs), so that a phrase
    through a part (``male carers`` in "fathers/male carers") can be matched (not one
    through parts of two joined words)."""
    return engine_fields(text)[:3]


class _Made(dict):
    """A cache of :meth:`make`'s value for each key, emptied when it holds ``_MAX_STEMS``."""

    def make(self, key: str) -> str | None:
        raise NotImplementedError

    def __missing__(self, key: str) -> str | None:
        if len(self) >= _MAX_STEMS:
            self.clear()
        value = self[key] = self.make(key)
        return value


class _Stems(_Made):
    """Each word's stem (:func:`stem_word`), worked out once per distinct word: an engine's
    stemmer on every occurrence costs more than the rest of a section's analysis."""

    def make(self, word: str) -> str:
        return stem_word(word)


class _Plain(_Made):
    """A raw token's stem, or None for one that may join or holds a joiner (looked at alone)."""

    def make(self, tok: str) -> str | None:
        return None if tok in _WAITS or not tok.isalnum() else STEMS[tok]


_MAX_STEMS = 100_000  # each cache at most some 20 MB (a report collection uses tens of thousands of words)
STEMS = _Stems()
_PLAIN = _Plain()


def stemmed(words: str) -> str:
    """``words`` (one space apart) each stemmed (:func:`stem_word`)."""
    return " ".join(map(STEMS.__getitem__, words.split()))


def engine_fields(text: str) -> tuple[str, list[str], str, str, str]:
    """:func:`engine_text`'s ``(words, parts, split)``, then ``words`` and ``split`` stemmed
    (each word as :func:`stem_word` gives it; the parts are left to stem).
    Python looks at each word once, in C, and only the few that join on their own."""
    s = text.lower()
    if not s.isascii() and _folds(text):  # few texts have any (curly quotes and dashes are not)
        if _chars()[1].search(text):  # characters that can move word boundaries: word by word
            words, parts, split = _grouped(index_terms(text))
            return words, parts, split, stemmed(words), split and stemmed(split)
        s = s.translate(accent_map())
    toks = TOKEN_RX.findall(s)
    # each word's stem, None for the words that may join (prefixes, compounds' first words,
    # words holding a joiner), each distinct word looked at once; then only those in a loop
    stems = list(map(_PLAIN.__getitem__, toks))
    if None not in stems:
        return " ".join(toks), [], "", " ".join(stems), ""
    joiners = any(j in s for j in _JOINERS)
    words = toks[:]
    parts: list[str] = []
    split: list[tuple[int, str, str]] = []
    shapes = _SHAPES
    if len(shapes) > _MAX_SHAPES:
        shapes.clear()
    joined = -1  # the last word joined to the one before it
    gone = 0  # words joined to the one before them so far
    i = -1
    while True:
        try:
            i = stems.index(None, i + 1)
        except ValueError:
            break
        if i == joined:
            continue
        t = toks[i]
        if not joiners and t not in _WAITS:  # a word of letters and underscores, as it is
            stems[i] = STEMS[t]
            continue
        shape = shapes.get(t) or shapes.setdefault(t, _shape(t))
        if shape[0] == _WORD and shape[2] and i + 1 < len(toks):
            nxt = toks[i + 1]
            after = shapes.get(nxt) or shapes.setdefault(nxt, _shape(nxt))
            if after[0] == _WORD and _joins(shape[1], after[1]):
                words[i], words[i + 1] = shape[1] + after[1], ""
                stems[i], stems[i + 1] = STEMS[words[i]], ""
                these = [shape[1], after[1]] if shape[1] in COMPOUNDS else [after[1]]
                parts += these
                split.append((i - gone, " ".join(these), " ".join(map(STEMS.__getitem__, these))))
                joined = i + 1
                gone += 1
                continue
        words[i] = shape[1]
        stems[i] = STEMS[shape[1]]
        if shape[0] == _PARTS and shape[2]:
            parts += shape[2]
            split.append((i - gone, " ".join(shape[2]), " ".join(map(STEMS.__getitem__, shape[2]))))
    if not parts:
        return " ".join(filter(None, words)), parts, "", " ".join(filter(None, stems)), ""
    words = list(filter(None, words))
    stems = list(filter(None, stems))
    return (" ".join(words), parts, _split(words, [(i, w) for i, w, _ in split]), " ".join(stems),
            _split(stems, [(i, st) for i, _, st in split]))


def _split(words: list[str], split: list[tuple[int, str]]) -> str:
    """For each ``(index, parts)`` of ``split``, the words within :data:`SPLIT_REACH` of it
    with the parts in its place (its neighbours as they are), ``\\x00`` between these runs."""
    return " \x00 ".join(" ".join(words[max(i - SPLIT_REACH, 0):i] + [these] + words[i + 1:i + 1 + SPLIT_REACH])
                          for i, these in split)


def _grouped(terms: list[tuple[str, int]]) -> tuple[str, list[str], str]:
    """:func:`engine_text` of :func:`index_terms`'s terms."""
    groups: list[list[str]] = []
    for i, (t, p) in enumerate(terms):
        if i and p == terms[i - 1][1]:
            groups[-1].append(t)
        else:
            groups.append([t])
    parts = [t for g in groups for t in g[1:]]
    words = [g[0] for g in groups]
    split = [(i, " ".join(g[1:])) for i, g in enumerate(groups) if len(g) > 1]
    return " ".join(words), parts, _split(words, split) if split else ""


_JOIN_PREFIX = re.compile(
    r"\b(" + "|".join(sorted(PREFIXES)) + r")\s+(?=[A-Za-z]{3,})(?!(?:and|or|not|AND|OR|NOT)\b)", re.I)
_JOIN_COMPOUND = re.compile(
    r"\b(" + "|".join(sorted(COMPOUNDS)) + r")[\s\-–]+((?:" + "|".join(sorted({w for s in COMPOUNDS.values() for w in s}))
    + r")s?)\b", re.I)


def _join_compound(m: re.Match) -> str:
    first, second = m.group(1), m.group(2)
    return first + second if compound_second(first.lower(), second.lower()) else m.group(0)


def join_prefixes(query: str) -> str:
    """Join ``pre birth`` -> ``prebirth`` and ``tool kit`` -> ``toolkit`` in a query string outside quotes."""
    out = []
    for i, chunk in enumerate(re.split(r'("[^"]*")', query)):
        if i % 2 == 1:
            out.append(chunk)
            continue

        out.append(_JOIN_PREFIX.sub(r"\1", _JOIN_COMPOUND.sub(_join_compound, chunk)))
    return "".join(out)


# -- Whoosh's analysers -------------------------------------------------------------------
# Defined on first use, so that only an index on the Whoosh engine loads Whoosh. A Whoosh
# index keeps their names (search.index.analysis.CompoundFilter, ...) in its schema.
_WHOOSH_NAMES = ("CompoundFilter", "YearTokenizer", "text_analyzer", "exact_analyzer")


def __getattr__(name: str):
    if name in _WHOOSH_NAMES:
        globals().update(_whoosh_analysers())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _whoosh_analysers() -> dict:
    """The Whoosh tokenizer, filter and analysers of the schema's text fields."""
    # lazy: Whoosh loads only for an index on the Whoosh engine
    from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter

    class CompoundFilter(Filter):
        """Join hyphenated compounds and prefix + word pairs into one term.

        In index mode the parts of a hyphenated word are also emitted at the same
        position, so that each part can be found on its own.
        """

        def __call__(self, tokens):
            pending = None  # a bare prefix token waiting for the next word
            shift = 0  # positions freed by joining two tokens into one
            for t in tokens:
                if t.positions and shift:
                    t.pos -= shift
                text = t.text
                yt = year_term(text)
                if yt:
                    if pending is not None:
                        yield pending
                        pending = None
                    t.text = yt
                    yield t
                    continue
                text = _APOS.sub("", text) if "'" in text or "’" in text else text
                if HYPHEN_SPLIT.search(text):
                    parts = [p for p in HYPHEN_SPLIT.split(text) if p]
                    if pending is not None:
                        yield pending
                        pending = None
                    joined = "".join(parts)
                    t.text = joined
                    if t.mode == "index" and len(parts) > 1:
                        pos = t.pos if t.positions else None
                        yield t
                        for p in parts:
                            t.text = p
                            if pos is not None:
                                t.pos = pos
                            yield t
                    else:
                        yield t
                    continue
                if pending is not None:
                    if _joins(pending.text, text):
                        first = pending.text
                        pending.text = first + text
                        if t.chars and pending.chars:
                            pending.endchar = t.endchar
                        shift += 1
                        yield pending
                        if t.mode == "index":
                            if t.positions:
                                t.pos = pending.pos
                            if first in COMPOUNDS:  # a compound's first word is a word of its own
                                t.text = first
                                yield t
                            t.text = text
                            yield t
                        pending = None
                        continue
                    yield pending
                    pending = None
                if text in PREFIXES or text in COMPOUNDS:
                    t.text = text  # without a possessive 's ("child's")
                    pending = t.copy()
                    continue
                t.text = text
                yield t
            if pending is not None:
                yield pending

    class YearTokenizer(RegexTokenizer):
        """A tokenizer that keeps ``pre-birth`` and ``2016/17`` as single raw tokens."""

        def __init__(self):
            super().__init__(expression=_TOKEN)

    def text_analyzer(stem: bool = True):
        """The analyzer for body text, headings and titles."""
        chain = YearTokenizer() | LowercaseFilter() | CharsetFilter(accent_map()) | CompoundFilter()
        if stem:
            chain = chain | StemFilter(stemfn=stem_word, cachesize=50000)
        return chain

    def exact_analyzer():
        """Like :func:`text_analyzer` but without stemming (for ``--exact`` matching)."""
        return YearTokenizer() | LowercaseFilter() | CharsetFilter(accent_map()) | CompoundFilter()

    made = {"CompoundFilter": CompoundFilter, "YearTokenizer": YearTokenizer, "text_analyzer": text_analyzer,
            "exact_analyzer": exact_analyzer}
    for name, obj in made.items():
        obj.__qualname__ = name  # pickled by name, as a module-level object
    return made
