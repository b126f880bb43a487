"""Recurring items: recommendations, learning and priorities said again in later years.

Two items are compared by the *concepts* they share, read from their first sentence
(the rest is often commentary) after normalising the text:

- the names of the bodies that write reports (CCG, ICB, SSCB, SSCP, LSCB, "the Board",
  "the Partnership", "we") become one token, so "the CCG will" and "we will" read alike;
- stock openings ("Ensure that", "To", "The partnership should") and fillers ("in relation
  to") are removed;
- words and phrases that mean the same thing here become one concept ("functions",
  "responsibilities" and "duties" are *duties*; "unborn babies" and "pre-birth" are
  *pre-birth*; "Electronic Staff Record" is *ESR*), and so does each phrase of a theme in
  the index's taxonomy; other words are stemmed, and function words and words every
  safeguarding report uses are dropped.

These concepts live in ``search/recur_concepts.toml`` (data a user can extend). The
similarity of two items (0-100) blends:

- a TF-IDF cosine over their concepts and theme tags (:data:`COSINE_SHARE`): sharing a rare
  concept ("ESR", "toolkit", "fathers") counts for much, a common one for little;
- rapidfuzz ``token_sort_ratio`` over the normalised concept strings, the lexical check.

Items with fewer than :data:`MIN_TOKENS` concepts are never grouped, and a shared theme
tag alone never makes two items the same. Each match says *why*: the concepts the two
items share, rarest first. :data:`DEFAULT_THRESHOLD` is the lowest score that keeps
precision at or above 0.9 on the labelled pairs in ``tests/recur_pairs.toml``.

Candidates come from a sparse matrix product (each item's nearest neighbours from other
years over its rarer concepts, chosen in numpy), so the work grows with the number of items,
not with its square. The index's items are tokenised once per index generation and kept,
as a sparse concept matrix, in the per-user cache (see :func:`index_tokens`).

Clusters are connected groups of pairs above the threshold; in a large group a member
must be linked to at least two others, so a chain of weak links is not a cluster.

This module never tags text itself: a caller with free text to check (``recur --check``)
passes its theme ids in.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import platformdirs
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist
from scipy.sparse import csr_matrix, diags
from whoosh.lang.porter import stem

from search.index.records import item_json
from search.index.store import Store

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_THRESHOLD = 53.0  # the lowest giving precision >= 0.9 on tests/recur_pairs.toml
CHECK_CANDIDATES = 2000  # items per checked text scored exactly (the best by cosine)
CHECK_MIN_SCORE = 40.0  # --check lists weaker matches than recur groups, best first, for a person to judge
THEME_WEIGHT = 1.5  # a theme tag weighs this many times an equally rare word
CONCEPT_WEIGHT = 2.0  # a concept from the data file weighs this many times an equally rare word
COSINE_SHARE = 0.8  # score = 80% TF-IDF cosine + 20% token_sort_ratio
MIN_TOKENS = 3  # items with fewer concepts are too generic to compare
MAX_CHAIN = 5  # larger groups must be well connected, not merely chained
NEIGHBOURS = 10  # nearest items from other years scored exactly, per item
CONCEPTS_NAME = "recur_concepts.toml"

_STOP = frozenset(
    """a about across after all also an and any are as at be been being both but by can could do does for from
    had has have how in into is it its more most much need needs of on or other should so such than that
    the their them there these they this those through to under up was were what when where which while
    who will with within would""".split()
)
# Words nearly every item in these reports uses: they say nothing about what an item is about.
_DOMAIN = frozenset(
    """safeguard safeguarding child children young people somerset agency agencies multi ensure continue
    continued develop development work working support supporting improve improved improvement practice
    services service local""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]", re.I)
_CONCEPT = "\x01"  # marks a concept token in the normalised text (never in report text)


class ConceptsError(ValueError):
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


def _canon(text: str) -> str:
    """Lower case, apostrophes dropped, every other non-alphanumeric run one space."""
    t = _ARTEFACT.sub(" ", text).lower().replace("’", "").replace("'", "")
    return " ".join(_WORD.findall(t))


def _variants(phrase: str) -> set[str]:
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

    def replace(self, words: list[str]) -> list[str]:
        """The words with each phrase replaced by its value (an empty value drops it)."""
        out: list[str] = []
        i = 0
        while i < len(words):
            m = self.at(words, i)
            if m is None:
                out.append(words[i])
                i += 1
            else:
                if m[1]:
                    out.append(m[1])
                i += m[0]
        return out

    def find(self, words: list[str]) -> list[str]:
        """The values of the phrases in ``words``, in order, each once."""
        found: dict[str, None] = {}
        for i in range(len(words)):
            m = self.at(words, i)
            if m is not None:
                found[m[1]] = None
        return list(found)


def bundled_concepts_path() -> Path:
    """Path of the concepts file shipped with the package."""
    return Path(str(resources.files("search").joinpath(CONCEPTS_NAME)))


def load_concepts(taxonomy=None, extra_files: list[Path] | None = None) -> Concepts:
    """The bundled concepts, then each extra file's (a concept with a known id is replaced),
    and the phrases of each theme of ``taxonomy`` (anything iterating objects with ``id``,
    ``label``, ``phrases`` and ``abbreviations``)."""
    orgs: list[str] = []
    openings: list[str] = []
    fillers: list[str] = []
    common: list[str] = []
    concepts: dict[str, list[str]] = {}
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
            for c in data.get("concept", []):
                concepts[str(c["id"])] = [str(t) for t in c["terms"]]
        except (AttributeError, KeyError, TypeError) as e:
            raise ConceptsError(f"{path}: each [[concept]] needs an id and a list of terms ({e})") from e
    token_of: dict[str, str] = {}
    theme_of: dict[str, str] = {}
    labels: dict[str, str] = {}
    theme_tokens: set[str] = set()
    for theme in taxonomy or ():
        tok = f"{_CONCEPT}t:{theme.id}".replace(" ", "_")
        labels[tok] = theme.label
        theme_tokens.add(tok)
        for p in [*theme.phrases, *theme.abbreviations]:
            for v in _variants(p):
                theme_of[v] = tok
    for cid, terms in concepts.items():  # the file's concepts win over a theme's phrase
        tok = f"{_CONCEPT}c:{cid}".replace(" ", "_")
        labels[tok] = cid
        for p in terms:
            for v in _variants(p):
                token_of[v] = tok
    org_words = {v for n in orgs for v in _variants(n)}
    try:
        opening_rx = [re.compile(p, re.I) for p in openings]
    except re.error as e:
        raise ConceptsError(f"concepts file: an opening is not a valid pattern: {e}") from e
    return Concepts(
        orgs=_Phrases(dict.fromkeys(org_words, "org")),
        openings=opening_rx,
        fillers=_Phrases({v: "" for f in fillers for v in _variants(f)}),
        # one pass replaces all three: organisations, fillers and concept phrases
        phrases=_Phrases({**dict.fromkeys(org_words, "org"), **{v: "" for f in fillers for v in _variants(f)},
                          **token_of}),
        token_of=token_of,
        labels=labels,
        themes=frozenset(theme_tokens),
        theme_phrases=_Phrases(theme_of),
        theme_of=theme_of,
        common=frozenset(_stem(w) for c in common for w in _canon(c).split()),
    )


@lru_cache(maxsize=1)
def _default_concepts() -> Concepts:
    return load_concepts()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return stem(word)


def _strip_openings(t: str, concepts: Concepts) -> str:
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
    c = concepts or _default_concepts()
    words = _canon(text).split()
    themes = c.theme_phrases.find(words) if c.theme_phrases is not None else []
    words = _strip_openings(" ".join(c.phrases.replace(words)), c).split()
    out = []
    for w in words:
        if w.startswith(_CONCEPT):
            out.append(w)
            continue
        if w == "org" or w in _STOP or w in _DOMAIN or len(w) < 2 or w.isdigit():
            continue
        s = _stem(w)
        if s in _DOMAIN or s in c.common:
            continue
        if surface is not None and s not in surface:
            surface[s] = w
        out.append(s)
    return out + [t for t in themes if t not in out]


def normalise(text: str, concepts: Concepts | None = None) -> list[str]:
    """The content of an item as readable tokens: concept names and stemmed words, in order."""
    c = concepts or _default_concepts()
    return [c.labels.get(t, t) if t.startswith(_CONCEPT) else t for t in tokens(text, c)]


@dataclass
class _Rows:
    """Items' concepts as a sparse 0/1 matrix, the form the cache keeps.

    ``vocab`` names the columns; row ``i`` (``indices[indptr[i]:indptr[i + 1]]``) is item
    ``i``'s bag: its concepts, then its ``#theme`` tags. ``strings`` holds each item's
    concepts joined by spaces (what the lexical check reads) and ``sizes`` how many
    distinct concepts it has (see :func:`_content`).
    """

    strings: list[str]
    sizes: list[int]
    vocab: list[str]
    indptr: np.ndarray
    indices: np.ndarray

    def take(self, keep: list[int]) -> _Rows:
        """The rows ``keep``, in that order (the vocabulary unchanged)."""
        m = self.matrix()[keep]
        return _Rows([self.strings[n] for n in keep], [self.sizes[n] for n in keep], self.vocab, m.indptr, m.indices)

    def matrix(self):
        """The 0/1 matrix itself (items x vocabulary)."""
        data = np.ones(len(self.indices), dtype=np.float32)
        return csr_matrix((data, self.indices, self.indptr), shape=(len(self.strings), max(len(self.vocab), 1)))

    def plus(self, items: list[dict], toks: list[list[str]]) -> _Rows:
        """These rows followed by rows for more items, over the same (extended) vocabulary."""
        more = _rows(items, toks, self.vocab)
        return _Rows(self.strings + more.strings, self.sizes + more.sizes, more.vocab,
                     np.concatenate([self.indptr, more.indptr[1:] + self.indptr[-1]]),
                     np.concatenate([self.indices, more.indices]))


def _rows(items: list[dict], toks: list[list[str]], vocab: list[str] = ()) -> _Rows:
    """The :class:`_Rows` of items with these tokens (``vocab``: columns already numbered)."""
    col = {t: j for j, t in enumerate(vocab)}
    theme_prefix = _CONCEPT + "t:"
    indices: list[int] = []
    ends = [0]
    for t, it in zip(toks, items):
        bag = dict.fromkeys(t)
        bag.update(dict.fromkeys(f"#{th}" for th in it.get("themes") or []))
        indices.extend(col.setdefault(tok, len(col)) for tok in bag)
        ends.append(len(indices))
    sizes = [len({w for w in tk if not w.startswith(theme_prefix)}) for tk in toks]
    return _Rows([" ".join(t) for t in toks], sizes, list(col), np.array(ends, dtype=np.int64),
                 np.array(indices, dtype=np.int32))


@dataclass
class _Prepared:
    """Items ready to compare: their concept matrix, its TF-IDF weights and what "why" shows."""

    items: list[dict]
    rows: _Rows
    idf: dict[str, float]  # concept -> its weight
    norms: np.ndarray  # length of each item's TF-IDF vector (float64, as pair_score reads it)
    x: object  # row-normalised TF-IDF matrix (float32 CSR) of the items' bags
    words: object  # the same pattern, 1 on concepts and 0 on theme tags
    df: np.ndarray  # how many items hold each concept (column)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def strings(self) -> list[str]:
        return self.rows.strings

    def bag(self, i: int) -> set[str]:
        """Item ``i``'s concepts and ``#theme`` tags."""
        r = self.rows
        return {r.vocab[j] for j in r.indices[r.indptr[i]:r.indptr[i + 1]].tolist()}


def _subject(text: str) -> str:
    """The first sentence of an item: what it is about (the rest is often commentary)."""
    m = re.match(r"(.{25,}?[.;!?])\s+[A-Z]", text)
    return m.group(1) if m else text


def _weight(tok: str) -> float:
    if tok.startswith("#"):
        return THEME_WEIGHT
    return CONCEPT_WEIGHT if tok.startswith(_CONCEPT) else 1.0


def _prepare(items: list[dict], concepts: Concepts | None = None, toks: list[list[str]] | None = None,
             surface: dict[str, str] | None = None, rows: _Rows | None = None) -> _Prepared:
    """Concept matrix and IDF of ``items``: from ``rows`` (the cache's), else from ``toks``
    (their tokens, if already known), else tokenised here. ``surface``: readable words."""
    c = concepts or _default_concepts()
    surface = dict(surface or {})
    if rows is None:
        if toks is None:
            toks = [tokens(_subject(i["text"]), c, surface) for i in items]
        rows = _rows(items, toks)
    m = rows.matrix()
    df = np.bincount(rows.indices, minlength=m.shape[1])
    n = max(len(items), 1)
    weights = [math.log((n + 1) / (k + 0.5)) * _weight(t) for t, k in zip(rows.vocab, df.tolist())]
    idf = dict(zip(rows.vocab, weights))
    w = np.array(weights or [0.0], dtype=np.float64)
    norms = np.sqrt(m @ (w * w))
    x = m.copy()
    x.data = w.astype(np.float32)[rows.indices]
    x = (diags(1.0 / np.maximum(np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel()), 1e-9)) @ x).tocsr()
    is_word = np.array([not t.startswith("#") for t in rows.vocab] or [False])
    words = x.copy()
    words.data = is_word[words.indices].astype(np.float32)
    words.eliminate_zeros()
    return _Prepared(items, rows, idf, norms, x, words, df, labels={**c.labels, **surface})


def _cosine(p: _Prepared, a: int, b: int) -> float:
    """TF-IDF cosine (0-100) of two items' concept-and-theme bags."""
    shared = p.bag(a) & p.bag(b)
    if not shared:
        return 0.0
    dot = sum(p.idf[t] ** 2 for t in shared)
    return 100.0 * dot / max(float(p.norms[a] * p.norms[b]), 1e-9)


def _content(p: _Prepared, i: int) -> int:
    """How many distinct concepts an item has (a theme's phrase is already counted as its words)."""
    return p.rows.sizes[i]


def pair_score(p: _Prepared, a: int, b: int) -> float:
    """Similarity 0-100 of items ``a`` and ``b`` (see the module docstring)."""
    if _content(p, a) < MIN_TOKENS or _content(p, b) < MIN_TOKENS:
        return 0.0  # too short to say anything specific
    if not any(not t.startswith("#") for t in p.bag(a) & p.bag(b)):
        return 0.0  # a shared theme alone does not make the same item
    lex = fuzz.token_sort_ratio(p.strings[a], p.strings[b])
    return round(COSINE_SHARE * _cosine(p, a, b) + (1 - COSINE_SHARE) * lex, 1)


def why(p: _Prepared, a: int, b: int, limit: int = 6) -> list[str]:
    """What items ``a`` and ``b`` share, rarest first, as people read it ("pre-birth", "guidance")."""
    shared = [t for t in p.bag(a) & p.bag(b) if not t.startswith("#")]
    shared.sort(key=lambda t: (-p.idf[t], t))
    return _readable([p.labels.get(t, t) for t in shared])[:limit]


def _readable(labels: list[str]) -> list[str]:
    """``labels`` in order, each once whatever its case, without one whose words a longer label
    already shows ("fathers" beside "Fathers and male carers")."""
    first: dict[str, str] = {}
    for label in labels:
        first.setdefault(label.lower(), label)
    words = {k: set(k.split()) for k in first}
    return [label for k, label in first.items() if not any(words[k] < w for w in words.values())]


def _top_k(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int, k: int) -> np.ndarray:
    """Positions of each row's ``k`` largest values (ties: the lower column first).

    All in numpy, no loop over rows: a histogram of each row's values finds the bin that
    holds its k-th largest, so only the entries from that bin up (a dozen or so a row)
    are sorted.
    """
    bins = 256
    b = np.clip((vals * bins).astype(np.int32), 0, bins - 1)  # a cosine is within 0-1
    counts = np.bincount(rows * bins + b, minlength=n_rows * bins).reshape(n_rows, bins)
    from_top = np.cumsum(counts[:, ::-1], axis=1)
    cut = np.where(from_top[:, -1] > k, bins - 1 - np.argmax(from_top >= k, axis=1), 0)
    near = np.flatnonzero(b >= cut[rows])
    near = near[np.lexsort((cols[near], -vals[near], rows[near]))]
    r = rows[near]
    rank = np.arange(len(near)) - np.searchsorted(r, r)  # place within its row, best first
    return near[rank < k]


def _candidates(p: _Prepared, k: int = NEIGHBOURS, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """For each item, its ``k`` nearest items from other years by TF-IDF cosine over rarer concepts.

    Year by year, a sparse matrix product in blocks of rows scores every item against
    every item of the other years sharing a concept or theme, in C; concepts in more than
    1% of the items are left out of this blocking step (they still count in the final
    score). Only the ``k`` best neighbours of each item are kept, so the exact scoring
    that follows sees at most ``k`` pairs per item whatever the size of the index.
    Returns the pairs ``(a, b)``, ``a < b``, as two arrays in sorted order.
    """
    n = len(p.items)
    cap = max(60, int(0.01 * n))
    years = np.array([it.get("year_start") or 0 for it in p.items])
    order = np.argsort(years, kind="stable")  # the items year by year
    xb = p.x[order][:, np.flatnonzero(p.df <= cap)].tocsr()
    starts = [0, *(np.flatnonzero(np.diff(years[order])) + 1).tolist()]
    found = [np.zeros(0, dtype=np.int64)]
    for s, e in zip(starts, [*starts[1:], n]):
        others = np.r_[0:s, e:n]  # rows of ``xb`` from the other years
        xt = xb[others].T.tocsr()
        for start in range(s, e, chunk):
            sims = (xb[start:min(start + chunk, e)] @ xt).tocoo()
            best = _top_k(sims.row, sims.col, sims.data, sims.shape[0], k)
            a, b = order[start + sims.row[best]], order[others[sims.col[best]]]
            found.append(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    codes = np.sort(np.concatenate(found))
    codes = codes[np.diff(codes, prepend=-1) != 0]  # each pair once
    return codes // max(n, 1), codes % max(n, 1)


def _score_pairs(p: _Prepared, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Scores (0-100) of the pairs ``(a[n], b[n])`` at once: the same formula as :func:`pair_score`."""
    if not len(a):
        return np.zeros(0)
    cos = 100.0 * np.asarray(p.x[a].multiply(p.x[b]).sum(axis=1)).ravel()
    shared_words = np.asarray(p.words[a].multiply(p.words[b]).sum(axis=1)).ravel() > 0
    lens = np.array(p.rows.sizes)
    strings = p.strings
    lex = cpdist([strings[i] for i in a.tolist()], [strings[i] for i in b.tolist()], scorer=fuzz.token_sort_ratio,
                 workers=-1)
    score = COSINE_SHARE * cos + (1 - COSINE_SHARE) * np.asarray(lex, dtype=np.float64)
    ok = shared_words & (lens[a] >= MIN_TOKENS) & (lens[b] >= MIN_TOKENS)
    return np.where(ok, np.round(score, 1), 0.0)


def _item(r: dict) -> dict:
    """An item record as recur shows it: the Item fields, its document title, section number and page."""
    it = item_json(r)
    extra = r.get("cells") or {}
    it["title"] = r.get("doc_title")
    it["number"], it["heading"], it["page"] = extra.get("number"), extra.get("heading"), r.get("page_start")
    return it


def load_items(store: Store, kind: str | None = None, theme: str | None = None) -> list[dict]:
    """Every indexed item (optionally of one kind or theme), with its document title and section number."""
    terms = {"item_kind": kind} if kind else {}
    return [it for it in map(_item, store.records("item", **terms)) if not theme or theme in it["themes"]]


# -- the index's items, tokenised once per index generation ---------------------------------

_CACHE_VERSION = 2
_TOKEN_FIELDS = ("item_id", "kind", "year", "year_start", "themes")


def _cache_dir() -> Path:
    """The per-user cache folder: ``$SGSEARCH_CACHE``, else the platform's."""
    env = os.environ.get("SGSEARCH_CACHE")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("sgsearch", appauthor=False))


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def _cache_key(store: Store, concepts: Concepts) -> str | None:
    """``<index>-<generation>``: the index folder's digest, then the live generation's and the concepts'."""
    d = store.current_dir()
    if d is None:
        return None
    try:
        stamp = d.stat().st_mtime_ns
    except OSError:
        return None
    generation = _digest([_CACHE_VERSION, str(d.resolve()), stamp, sorted(concepts.token_of.items()),
                          sorted(concepts.theme_of.items()), [r.pattern for r in concepts.openings],
                          sorted(concepts.common)])
    return f"{_digest(str(Path(store.root).resolve()))}-{generation}"


def _cache_path(store: Store, concepts: Concepts, part: str) -> Path | None:
    """The cache file ``part`` ("tokens" or "items") of the index's live generation, or None."""
    key = _cache_key(store, concepts)
    return _cache_dir() / f"recur-{key}-{part}.json" if key else None


def _cache_read(path: Path | None):
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged: rebuilt, never trusted


def _cache_write(path: Path | None, data) -> None:
    """Write a cache file atomically, and delete the files of the same index's older generations."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return  # a cache that cannot be written only costs time
    index, generation = path.name.split("-")[1:3]
    for old in path.parent.glob("recur-*.json"):
        parts = old.name.split("-")
        if len(parts) == 2 or (parts[1] == index and parts[2] != generation):  # 2: an earlier version's
            try:
                old.unlink()
            except OSError:
                pass  # another process may be reading it (Windows); the next write retries


def index_tokens(store: Store, concepts: Concepts) -> tuple[list[dict], _Rows, dict[str, str]]:
    """The index's items (id, kind, year, themes), their concepts as :class:`_Rows`, and the
    words the concepts stem from.

    Tokenising every item is most of the work of ``recur`` and ``--check``; it is kept in the
    per-user cache folder, keyed by the index generation and the concepts, so a second run
    (and every ``--check`` after the first) only reads it back; the whole items go in a second
    file, which ``recur`` reads when it shows many. A new generation of the index replaces
    both. Nothing else depends on them: delete them freely.
    """
    path = _cache_path(store, concepts, "tokens")
    data = _cache_read(path)
    try:
        cols = data["items"]
        items = [dict(zip(_TOKEN_FIELDS, values)) for values in zip(*(cols[f] for f in _TOKEN_FIELDS))]
        rows = _Rows(data["strings"], data["sizes"], data["vocab"], np.array(data["indptr"], dtype=np.int64),
                     np.array(data["indices"], dtype=np.int32))
        if len(items) == len(rows.strings) == len(rows.indptr) - 1:
            return items, rows, data["surface"]
    except (TypeError, KeyError, ValueError):
        pass
    full = load_items(store)
    surface: dict[str, str] = {}
    rows = _rows(full, [tokens(_subject(i["text"]), concepts, surface) for i in full])
    items = [{k: i.get(k) for k in _TOKEN_FIELDS} for i in full]
    _cache_write(path, {"items": {f: [i[f] for i in items] for f in _TOKEN_FIELDS}, "strings": rows.strings,
                        "sizes": rows.sizes, "vocab": rows.vocab, "indptr": rows.indptr.tolist(),
                        "indices": rows.indices.tolist(), "surface": surface})
    _cache_write(_cache_path(store, concepts, "items"), full)
    return items, rows, surface


def _full(store: Store, slim: dict) -> dict:
    """The whole item (text, title, citation) for one found by :func:`index_tokens`."""
    r = store.record(slim["item_id"])
    return _item(r) if r else dict(slim, text="", title=None, number=None, heading=None, page=None)


BULK_FETCH = 2000  # more clustered items than this are read from the cache (or in one pass over the index)


def _fulls(store: Store, slims: list[dict], concepts: Concepts) -> dict[str, dict]:
    """The whole items for many slim ones, by id: one lookup each, or all at once when there are many."""
    if len(slims) <= BULK_FETCH:
        return {s["item_id"]: _full(store, s) for s in slims}
    path = _cache_path(store, concepts, "items")
    every = _cache_read(path)
    if not isinstance(every, list):
        every = load_items(store)
        _cache_write(path, every)
    want = {s["item_id"] for s in slims}
    return {i["item_id"]: i for i in every if i["item_id"] in want}


def _items_and_rows(store: Store, items: list[dict] | None, kind: str | None, concepts: Concepts):
    """The items given (tokenised here) or, when none are, the index's of ``kind`` (see
    :func:`index_tokens`): ``(items, rows, surface)``."""
    if items is None:
        items, rows, surface = index_tokens(store, concepts)
        if kind:
            keep = [n for n, i in enumerate(items) if i["kind"] == kind]
            items, rows = [items[n] for n in keep], rows.take(keep)
        return items, rows, surface
    surface: dict[str, str] = {}
    return items, _rows(items, [tokens(_subject(i["text"]), concepts, surface) for i in items]), surface


def store_concepts(store: Store | None) -> Concepts:
    """The concepts for an index: the bundled ones and the themes of the taxonomy it was tagged with."""
    if store is None:
        return _default_concepts()
    tax = store.taxonomy()
    key = getattr(tax, "fingerprint", lambda: None)()
    cached = _by_taxonomy.get(key)
    if cached is None:
        cached = _by_taxonomy[key] = load_concepts(tax)
    return cached


_by_taxonomy: dict = {}


def pair_scores(pairs: list[tuple[str, str]], background: list[str] = (), concepts: Concepts | None = None,
                themes: list[tuple[list[str], list[str]]] | None = None) -> list[dict]:
    """Score text pairs as ``recur`` scores items: ``{"score", "why"}`` for each pair.

    Rarity (IDF) is counted over the pairs' texts and ``background`` (e.g. an index's items);
    ``themes``, if given, holds each pair's theme ids. The labelled set and the benchmark
    measure precision and recall through this call.
    """
    items = []
    for n, (a, b) in enumerate(pairs):
        ta, tb = (themes[n] if themes else ([], []))
        items.append({"text": a, "themes": ta})
        items.append({"text": b, "themes": tb})
    items += [{"text": t, "themes": []} for t in background]
    p = _prepare(items, concepts)
    return [{"score": pair_score(p, 2 * n, 2 * n + 1), "why": why(p, 2 * n, 2 * n + 1)} for n in range(len(pairs))]


def _year_of(value) -> int | None:
    """A year given as 2019, "2019" or "2019-20" -> 2019."""
    if value is None or value == "":
        return None
    m = re.match(r"^\s*(\d{4})", str(value))
    if not m:
        raise ValueError(f"not a year: {value!r} (use 2019 or 2019-20)")
    return int(m.group(1))


def recur(
    store: Store,
    min_years: int = 2,
    kind: str | None = None,
    theme: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    items: list[dict] | None = None,
    from_year=None,
    to_year=None,
    since=None,
) -> list[dict]:
    """Clusters of items that say substantially the same thing in at least ``min_years`` years.

    ``theme`` keeps the groups with a member tagged with it (as ``export`` does: the group
    is found among all items, then chosen); ``from_year``/``to_year`` keep the items of
    those years; ``since`` keeps the groups whose latest item is after that year. Each
    group has a ``score`` (its strongest link) and ``why`` (what its members share).
    """
    lo, hi, after = _year_of(from_year), _year_of(to_year), _year_of(since)
    concepts = store_concepts(store)
    given = items is not None
    items, rows, surface = _items_and_rows(store, items, kind, concepts)
    if lo is not None or hi is not None:
        keep = [n for n, it in enumerate(items) if (lo is None or (it.get("year_start") or 0) >= lo)
                and (hi is None or (it.get("year_start") or 0) <= hi)]
        items, rows = [items[n] for n in keep], rows.take(keep)
    if len(items) < 2:
        return []
    p = _prepare(items, concepts, surface=surface, rows=rows)
    a, b = _candidates(p)
    scores = _score_pairs(p, a, b)
    above = scores >= threshold
    edges: dict[int, dict[int, float]] = defaultdict(dict)
    for i, j, s in zip(a[above].tolist(), b[above].tolist(), scores[above].tolist()):
        edges[i][j] = edges[j][i] = s
    chosen = []
    for comp in _components(edges):
        comp = _trim(comp, edges, threshold)
        years = sorted({items[i]["year"] for i in comp if items[i].get("year")})
        if len(years) < min_years:
            continue
        if theme and not any(theme in (items[i].get("themes") or []) for i in comp):
            continue
        if after is not None and max(items[i].get("year_start") or 0 for i in comp) <= after:
            continue
        chosen.append((comp, years))
    full = {} if given else _fulls(store, [items[i] for comp, _ in chosen for i in comp], concepts)
    clusters = []
    for comp, years in chosen:
        members = sorted(comp, key=lambda i: (items[i].get("year_start") or 0, items[i]["item_id"]))
        inside = set(comp)
        out_items = []
        reasons: dict[str, float] = {}
        for i in members:
            it = dict(items[i]) if given else dict(full.get(items[i]["item_id"]) or _full(store, items[i]))
            linked = [(s, j) for j, s in edges[i].items() if j in inside]
            it["score"] = round(max(linked)[0], 1) if linked else None
            if linked:
                it["why"] = why(p, i, max(linked)[1])
                for r in it["why"]:
                    reasons[r] = reasons.get(r, 0) + 1
            out_items.append(it)
        themes = sorted(set.intersection(*(set(items[i]["themes"]) for i in comp)) if comp else set())
        score = max((s for it in out_items if (s := it.get("score")) is not None), default=None)
        clusters.append({"themes": themes, "years": years, "score": score,
                         "why": _readable(sorted(reasons, key=lambda r: -reasons[r]))[:6], "items": out_items})
    clusters.sort(key=lambda c: (-len(c["years"]), -len(c["items"]), c["items"][0]["item_id"]))
    for n, c in enumerate(clusters, start=1):
        c["id"] = n
    return [{"id": c["id"], "themes": c["themes"], "years": c["years"], "score": c["score"], "why": c["why"],
             "items": c["items"]} for c in clusters]


def best_threshold(store: Store, threshold: float, **options) -> float | None:
    """The highest threshold below ``threshold`` (in steps of 5) that would give groups, or None."""
    t = threshold - 5
    while t >= 15:
        if recur(store, threshold=t, **options):
            return t
        t -= 5
    return None


def _components(edges: dict[int, dict[int, float]]) -> list[list[int]]:
    seen: set[int] = set()
    comps = []
    for start in sorted(edges):
        if start in seen:
            continue
        stack, comp = [start], []
        seen.add(start)
        while stack:
            n = stack.pop()
            comp.append(n)
            for m in edges[n]:
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        comps.append(sorted(comp))
    return comps


def _trim(comp: list[int], edges, threshold: float) -> list[int]:
    """In a large group keep only members linked to at least two others (a chain's loose
    ends go), repeatedly, so a long chain of pairwise links does not make one cluster."""
    if len(comp) <= MAX_CHAIN:
        return comp
    inside = set(comp)
    degree = {i: sum(1 for j in edges[i] if j in inside) for i in comp}
    queue = [i for i in comp if degree[i] < 2]
    while queue and len(inside) > MAX_CHAIN:
        i = queue.pop()
        if i not in inside:
            continue
        inside.discard(i)
        for j in edges[i]:
            if j in inside:
                degree[j] -= 1
                if degree[j] < 2:
                    queue.append(j)
    return sorted(inside)


def _check_score(p: _Prepared, i: int, q: int) -> float:
    """Score of item ``i`` against the checked text ``q``. A short text ("asthma") that an
    item contains scores by how much of it the item holds, so a one-word check finds items."""
    if _content(p, q) >= MIN_TOKENS:
        return pair_score(p, i, q)
    probe = [t for t in p.bag(q) if not t.startswith("#")]
    if not probe:
        return 0.0
    bag = p.bag(i)
    held = sum(p.idf[t] for t in probe if t in bag) / sum(p.idf[t] for t in probe)
    return round(COSINE_SHARE * 100.0 * held, 1) if held else 0.0


def check_many(store: Store, texts: list[str], themes: list[list[str]] | None = None, limit: int = 10,
               kind: str | None = None, min_score: float = CHECK_MIN_SCORE,
               items: list[dict] | None = None) -> list[dict]:
    """For each text (a new review's recommendations), the indexed items most like it, best first.

    ``themes`` holds each text's theme ids, tagged by the caller (this module never tags).
    Returns ``[{"text", "matches": [Item + "score", "title", "why"]}]`` in the order given.
    Candidates come from one sparse product of the texts against every item; only those
    whose cosine could still reach ``min_score`` are scored exactly. The index's items come
    tokenised from the cache (see :func:`index_tokens`); only the texts are tokenised here.
    """
    concepts = store_concepts(store)
    given = items is not None
    items, rows, surface = _items_and_rows(store, items, kind, concepts)
    surface = dict(surface)
    probes = [{"item_id": "?", "text": t, "themes": list((themes or [[]] * len(texts))[n] or []),
               "year_start": None} for n, t in enumerate(texts)]
    ptoks = [tokens(_subject(t), concepts, surface) for t in texts]
    p = _prepare(items + probes, concepts, surface=surface, rows=rows.plus(probes, ptoks))
    n_items = len(items)
    sims = (p.x[n_items:] @ p.x[:n_items].T).tocsr()
    floor = max(0.0, (min_score - (1 - COSINE_SHARE) * 100.0) / COSINE_SHARE) / 100.0
    out = []
    for n, text in enumerate(texts):
        q = n_items + n
        lo, hi = sims.indptr[n], sims.indptr[n + 1]
        idx, val = sims.indices[lo:hi], sims.data[lo:hi]
        if _content(p, q) >= MIN_TOKENS:  # scored as recur scores pairs, all candidates at once
            keep = val >= floor - 1e-6
            idx, val = idx[keep], val[keep]
            if len(idx) > CHECK_CANDIDATES:
                idx = idx[np.argpartition(-val, CHECK_CANDIDATES)[:CHECK_CANDIDATES]]
            idx = idx.astype(np.int64)
            scores = _score_pairs(p, idx, np.full(len(idx), q, dtype=np.int64))
            scored = [(s, i) for i, s in zip(idx.tolist(), scores.tolist()) if s >= min_score]
        else:  # a short text is scored by how much of it an item holds
            scored = [(s, i) for i in idx.tolist() if (s := _check_score(p, i, q)) >= min_score]
        scored.sort(key=lambda x: (-x[0], items[x[1]]["item_id"]))
        matches = []
        for s, i in scored[:limit]:
            it = dict(items[i]) if given else _full(store, items[i])
            it["score"] = s
            it["why"] = why(p, i, q)
            matches.append(it)
        out.append({"text": text, "matches": matches})
    return out


def check(store: Store, text: str, limit: int = 10, kind: str | None = None, min_score: float = CHECK_MIN_SCORE,
          themes: list[str] | None = None) -> list[dict]:
    """The indexed items most similar to ``text``, best first, each with its score and why.

    ``themes``: the text's theme ids, if the caller tagged it (``recur --check`` does)."""
    return check_many(store, [text], [themes or []], limit=limit, kind=kind, min_score=min_score)[0]["matches"]


def made_before(check_result: dict, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether a checked text has a match scoring at least ``threshold`` (what recur would group)."""
    return any(m["score"] >= threshold for m in check_result["matches"])


def summary(checks: list[dict], threshold: float = DEFAULT_THRESHOLD) -> dict:
    """``{"items", "made_before"}``: how many texts were checked, how many were made before."""
    return {"items": len(checks), "made_before": sum(1 for c in checks if made_before(c, threshold))}


def load_pairs(path) -> list[dict]:
    """Labelled pairs from a TOML file of ``[[pair]]`` tables with ``a``, ``b`` and ``same``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConceptsError(f"{path}: cannot read the labelled pairs: {' '.join(str(e).split())}") from e
    return [{"a": str(p["a"]), "b": str(p["b"]), "same": bool(p["same"])} for p in data.get("pair", [])]


def labelled_figures(pairs: list[dict], threshold: float = DEFAULT_THRESHOLD, background: list[str] = (),
                     concepts: Concepts | None = None) -> dict:
    """Precision and recall of grouping at ``threshold`` on labelled pairs (through :func:`pair_scores`)."""
    scores = pair_scores([(p["a"], p["b"]) for p in pairs], background, concepts)
    tp = sum(1 for s, p in zip(scores, pairs) if s["score"] >= threshold and p["same"])
    fp = sum(1 for s, p in zip(scores, pairs) if s["score"] >= threshold and not p["same"])
    pos = sum(1 for p in pairs if p["same"])
    return {"threshold": threshold, "pairs": len(pairs), "precision": round(tp / max(tp + fp, 1), 3),
            "recall": round(tp / max(pos, 1), 3), "true_positives": tp, "false_positives": fp}
