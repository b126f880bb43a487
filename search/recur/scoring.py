"""Recurring items: recommendations, learning and priorities said again in later years.

Two items are compared by the *concepts* they share, read from their first sentence
(the rest of a long item is often commentary; an item of at most :data:`SHORT_ITEM_WORDS`
words is read whole) after normalising the text:

- the names of the bodies that write reports (CCG, ICB, SSCB, SSCP, LSCB, "the Board",
  "the Partnership", "we") become one token, so "the CCG will" and "we will" read alike;
- stock openings ("Ensure that", "To", "The partnership should") and fillers ("in relation
  to") are removed;
- words and phrases that mean the same thing here become one concept ("functions",
  "responsibilities" and "duties" are *duties*; "unborn babies" and "pre-birth" are
  *pre-birth*; "Electronic Staff Record" is *ESR*), and so does each phrase of a theme in
  the index's taxonomy; other words are stemmed, and function words and words every
  safeguarding report uses are dropped.

These concepts live in ``search/vocab/concepts.toml`` (data a user can extend). The
similarity of two items (0-100) blends:

- a TF-IDF cosine over their concepts and theme tags (:data:`COSINE_SHARE`): sharing a rare
  concept ("ESR", "toolkit", "fathers") counts for much, a common one for little; only
  :data:`LENGTH_EXPONENT` of the longer item's length is counted (an item listing several
  points holds the one a shorter item says; its other points are not evidence against it);
- rapidfuzz ``token_sort_ratio`` over the normalised concept strings, the lexical check.

A point of practice the data file names (``point = true``: "accepted at face value",
"think family") weighs :data:`POINT_WEIGHT` times an equally rare word and is more than the
theme it belongs to; two findings that compare ("more likely to ...") must compare the same
thing, or they are a likeness at most.

Items with fewer than :data:`MIN_TOKENS` concepts are never grouped, and a shared theme
alone (its tag, the words naming it, and concepts the data file marks generic, such as
*staff*) never makes two items the same. Each match says *why*: the concepts the two
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

import math
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist
from scipy.sparse import csr_matrix, diags

from search.vocab.concepts import (  # noqa: F401 - the item tokeniser, also read from here
    CONCEPT_PREFIX,
    CONTEXT_WORDS,
    EXAMPLES_AFTER,
    OBJECT_PREFIX,
    SHORT_ITEM_WORDS,
    SYNONYM_PREFIX,
    THEME_PREFIX,
    Concepts,
    ConceptsError,
    default_concepts,
    item_subject,
    item_tokens,
    tokens,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_THRESHOLD = 52.0  # the lowest giving precision >= 0.9 on the labelled pairs and realdev (bench/recur_fit.py)
CHECK_CANDIDATES = 2000  # items per checked text scored exactly (the best by cosine)
CHECK_MIN_SCORE = 37.0  # --check lists weaker matches than recur groups, best first, for a person to judge (bench/recur_fit.py)
# below that floor --check still lists the nearest items that share more than a theme, down to this
# score, up to CHECK_NEAREST matches in all: a point said in other words is often the nearest item yet
# scores low, the lower the more other words either text holds (bench/recur_fit.py fits it on realdev's
# items ranked as --check ranks them: the lowest floor that lists no look-alike's earlier item)
CHECK_NEAR_FLOOR = 15.0
CHECK_NEAREST = 5
# a passage (a sentence the item model kept out of the items: see search.recur.passages) ranks among
# --check's nearest matches at its score times this: below an item saying as much (bench/recur_fit.py)
PASSAGE_FACTOR = 0.6
THEME_WEIGHT = 1.5  # a theme tag weighs this many times an equally rare word
CONCEPT_WEIGHT = 2.0  # a concept from the data file weighs this many times an equally rare word
POINT_WEIGHT = 3.5  # a point of practice ("accepted at face value") weighs this many times an equally rare word (bench/recur_fit.py)
COSINE_SHARE = 0.8  # score = 80% TF-IDF cosine + 20% token_sort_ratio
# how much the longer item's own length counts in the cosine (1: all of it, a plain cosine; 0: none, the
# share of the shorter item's weight the longer one holds): an item listing several points holds the one
# a shorter item says, and its other points are not evidence that it says something else (bench/recur_fit.py)
LENGTH_EXPONENT = 0.8
LENGTH_MIN_CONCEPTS = 3  # a shorter item of fewer concepts keeps the plain cosine
# two items sharing a theme and nothing else: a weak likeness at most, never grouped, and listed by
# --check at its floor, below every match that shares what the item says
THEME_ONLY_MAX = CHECK_MIN_SCORE
MIN_WORDS = 4
MIN_TOKENS = 2  # items with fewer concepts are too generic to compare
MAX_CHAIN = 5  # larger groups must be well connected, not merely chained
NEIGHBOURS = 10  # nearest items from other years scored exactly, per item
RARE_MAX = 1200  # a concept in more items than this does not propose candidates (1% of 120,000 items)
BLOCK_PRODUCTS = 4_000_000  # products one block of the candidate search may make (its memory: ~100 MB at most)


class JoinedStrings(Sequence):
    """Strings kept as one UTF-8 text joined by newlines (what the cache stores): string ``i`` is
    cut out when read, so an index's hundreds of thousands of items cost one buffer, not a
    Python string each. ``extra`` strings follow them (the texts ``--check`` adds)."""

    def __init__(self, text: bytes, count: int | None = None, extra: list[str] | None = None):
        self.text = text
        self.ends = np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == 10) if text else np.zeros(0, dtype=np.int64)
        # an empty text is no strings, or one empty string: ``count`` says which
        self.n = count if count is not None else len(self.ends) + (1 if text else 0)
        if self.n != len(self.ends) + 1 and (self.n or text):
            raise ValueError(f"{self.n} strings cannot be {len(self.ends) + 1} lines")
        self.extra = list(extra or [])

    @classmethod
    def of(cls, strings) -> JoinedStrings:
        if isinstance(strings, JoinedStrings):
            return strings
        return cls("\n".join(strings).encode("utf-8"), len(strings))

    def joined(self) -> str:
        """All the strings (not ``extra``) as the one text the cache writes."""
        return self.text.decode("utf-8")

    def __len__(self) -> int:
        return self.n + len(self.extra)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if i >= self.n:
            return self.extra[i - self.n]
        start = int(self.ends[i - 1]) + 1 if i else 0
        end = int(self.ends[i]) if i < len(self.ends) else len(self.text)
        return self.text[start:end].decode("utf-8")

    def pick(self, which: list[int]) -> list[str]:
        """Strings ``which``: cut out one by one when few, else from all of them split at once."""
        if len(which) * 8 < self.n:
            return [self[i] for i in which]
        every = self.split()
        return [every[i] for i in which]

    def split(self) -> list[str]:
        """Every string as a list (a Python string each: the caller lets it go when done)."""
        return (self.text.decode("utf-8").split("\n") if self.n else []) + self.extra

    def __add__(self, more: list[str]) -> JoinedStrings:
        out = JoinedStrings.__new__(JoinedStrings)
        out.text, out.ends, out.n, out.extra = self.text, self.ends, self.n, self.extra + list(more)
        return out

    def __eq__(self, other) -> bool:
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))


@dataclass
class ConceptRows:
    """Items' concepts as a sparse 0/1 matrix, the form the cache keeps.

    ``vocab`` names the columns; row ``i`` (``indices[indptr[i]:indptr[i + 1]]``) is item
    ``i``'s bag: its concepts, then its ``#theme`` tags. ``strings`` holds each item's
    concepts joined by spaces (what the lexical check reads) and ``sizes`` how many
    distinct concepts it has (see :func:`concept_count`).
    """

    strings: Sequence[str]  # a list, or the cache's :class:`JoinedStrings`
    sizes: list[int]
    vocab: list[str]
    indptr: np.ndarray
    indices: np.ndarray

    def take(self, keep: list[int]) -> ConceptRows:
        """The rows ``keep``, in that order (the vocabulary unchanged)."""
        m = self.matrix()[keep]
        return ConceptRows([self.strings[n] for n in keep], [self.sizes[n] for n in keep], self.vocab, m.indptr, m.indices)

    def matrix(self):
        """The 0/1 matrix itself (items x vocabulary)."""
        data = np.ones(len(self.indices), dtype=np.float32)
        return csr_matrix((data, self.indices, self.indptr), shape=(len(self.strings), max(len(self.vocab), 1)))

    def plus(self, items: list[dict], toks: list[list[str]]) -> ConceptRows:
        """These rows followed by rows for more items, over the same (extended) vocabulary."""
        more = concept_rows(items, toks, self.vocab)
        return ConceptRows(self.strings + more.strings, self.sizes + more.sizes, more.vocab,
                           np.concatenate([self.indptr, more.indptr[1:] + self.indptr[-1]]),
                           np.concatenate([self.indices, more.indices]))

    def then(self, more: ConceptRows) -> ConceptRows:
        """These rows followed by ``more`` (rows over a vocabulary of their own), over this
        vocabulary extended by the tokens only ``more`` holds."""
        col = {t: j for j, t in enumerate(self.vocab)}
        remap = np.array([col.setdefault(t, len(col)) for t in more.vocab] or [0], dtype=np.int32)
        return ConceptRows(_Chain(self.strings, more.strings), self.sizes + list(more.sizes), list(col),
                           np.concatenate([self.indptr, more.indptr[1:] + self.indptr[-1]]),
                           np.concatenate([self.indices, remap[more.indices]]))


class _Chain(Sequence):
    """Two sequences of strings read as one (the items' and texts' rows, then the passages')."""

    def __init__(self, first: Sequence[str], second: Sequence[str]):
        self.first, self.second = first, second

    def __len__(self) -> int:
        return len(self.first) + len(self.second)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        n = len(self.first)
        return self.first[i] if i < n else self.second[i - n]


def concept_rows(items: Iterable[dict], toks: Iterable[list[str]], vocab: list[str] = (),
                 words: Iterable[int] | None = None, strings: bool = True) -> ConceptRows:
    """The :class:`ConceptRows` of items with these tokens (``vocab``: columns already numbered;
    ``words``: how many words each item's text has, when the items given hold no text;
    ``strings=False``: the caller, who holds each item's tokens joined already, sets ``strings``).
    One pass over them (``toks`` may be made as it is read), the columns kept as C integers."""
    col = {t: j for j, t in enumerate(vocab)}
    theme_prefix = CONCEPT_PREFIX + "t:"
    indices = array("i")
    ends = array("q", [0])
    sizes: list[int] = []
    joined: list[str] = []
    # an item of fewer than MIN_WORDS words is a heading ("Early Help"), not a statement: never compared
    if words is None:
        words = (len(it.get("text", "").split()) for it in items)
    for t, it, n in zip(toks, items, words):
        bag = dict.fromkeys(t)
        bag.update(dict.fromkeys(f"#{th}" for th in it.get("themes") or []))
        indices.extend([col.setdefault(tok, len(col)) for tok in bag])
        ends.append(len(indices))
        # a comparison's object is agreed, not counted as a concept
        sizes.append(len({w for w in t if not w.startswith((theme_prefix, OBJECT_PREFIX))}) if n >= MIN_WORDS else 0)
        if strings:
            joined.append(" ".join(t))
    return ConceptRows(joined, sizes, list(col), np.array(ends, dtype=np.int64), np.array(indices, dtype=np.int32))


@dataclass
class Prepared:
    """Items ready to compare: their concept matrix, its TF-IDF weights and what "why" shows."""

    items: list[dict]
    rows: ConceptRows
    idf: dict[str, float]  # concept -> its weight
    norms: np.ndarray  # length of each item's TF-IDF vector (float64, as pair_score reads it)
    x: object  # row-normalised TF-IDF matrix (float32 CSR) of the items' bags
    words: np.ndarray  # per concept: 1 if no theme says it and it is not generic, else 0
    df: np.ndarray  # how many items hold each concept (column)
    labels: dict[str, str] = field(default_factory=dict)
    concepts: Concepts | None = None
    theme_words: np.ndarray | None = None  # per concept: 1 on the words naming a theme, else 0
    compares: np.ndarray | None = None  # per item: True when it holds what a comparison compares

    @property
    def strings(self) -> list[str]:
        return self.rows.strings

    def for_reasons(self) -> Prepared:
        """What :func:`why` reads (bags, weights, labels) without the matrices and strings that
        scoring needed: those are the largest part of it at scale, let go before groups are built."""
        r = self.rows
        return Prepared(self.items, ConceptRows((), [], r.vocab, r.indptr, r.indices), self.idf, np.zeros(0), None,
                        np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64), labels=self.labels,
                        concepts=self.concepts)

    def bag(self, i: int) -> set[str]:
        """Item ``i``'s concepts and ``#theme`` tags."""
        r = self.rows
        return {r.vocab[j] for j in r.indices[r.indptr[i]:r.indptr[i + 1]].tolist()}


def _weight(tok: str, points: frozenset[str] = frozenset()) -> float:
    if tok.startswith(OBJECT_PREFIX):
        return 0.0
    if tok in points:
        return POINT_WEIGHT
    if tok.startswith("#"):
        return THEME_WEIGHT
    # a thesaurus group is the same word in other forms, not a concept the data file chose: a word's weight
    return CONCEPT_WEIGHT if tok.startswith(CONCEPT_PREFIX) and not tok.startswith(SYNONYM_PREFIX) else 1.0


def prepare(items: list[dict], concepts: Concepts | None = None, toks: list[list[str]] | None = None,
            surface: dict[str, str] | None = None, rows: ConceptRows | None = None, counted: int | None = None) -> Prepared:
    """Concept matrix and IDF of ``items``: from ``rows`` (the cache's), else from ``toks``
    (their tokens, if already known), else tokenised here. ``surface``: readable words.
    ``counted``: only the first so many rows count in how rare a concept is (the rows after
    them, passages ``--check`` also compares, are weighed by the items' rarities)."""
    c = concepts or default_concepts()
    surface = dict(surface or {})
    if rows is None:
        if toks is None:
            toks = [item_tokens(i, c, surface) for i in items]
        rows = concept_rows(items, toks)
    m = rows.matrix()
    counted = len(rows.strings) if counted is None else counted
    df = np.bincount(rows.indices[:rows.indptr[counted]], minlength=m.shape[1])
    n = max(counted, 1)  # the items and any texts checked against them
    weights = [math.log((n + 1) / (k + 0.5)) * _weight(t, c.points) for t, k in zip(rows.vocab, df.tolist())]
    idf = dict(zip(rows.vocab, weights))
    w = np.array(weights or [0.0], dtype=np.float64)
    norms = np.sqrt(m @ (w * w))
    x = m.copy()
    x.data = w.astype(np.float32)[rows.indices]
    x = (diags(1.0 / np.maximum(np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel()), 1e-9)) @ x).tocsr()
    named = set().union(*c.theme_words.values()) if c.theme_words else set()
    is_word = np.array([not t.startswith(("#", THEME_PREFIX)) and t not in named and t not in c.generic
                        for t in rows.vocab] or [False])
    # words naming a theme: a pair sharing none of them (nor other words) shares a theme at most
    is_named = np.array([t in named and t not in c.generic for t in rows.vocab] or [False])
    is_object = np.array([t.startswith(OBJECT_PREFIX) for t in rows.vocab] or [False])
    compares = np.zeros(len(rows.indptr) - 1, dtype=bool)  # the items whose bag holds an object token
    compares[np.searchsorted(rows.indptr, np.flatnonzero(is_object[rows.indices]), side="right") - 1] = True
    return Prepared(items, rows, idf, norms, x, is_word.astype(np.float32), df, labels={**c.labels, **surface},
                    concepts=c, theme_words=is_named.astype(np.float32), compares=compares)


def beyond_theme(p: Prepared, a: int, b: int) -> bool:
    """Whether items ``a`` and ``b`` share more than a theme: a shared theme alone (its tag,
    or the words of its phrases) never makes them the same item."""
    shared = p.bag(a) & p.bag(b)
    return bool(shared) and not p.concepts.theme_only(shared)


def _cosine(p: Prepared, a: int, b: int) -> float:
    """TF-IDF cosine (0-100) of two items' concept-and-theme bags."""
    shared = p.bag(a) & p.bag(b)
    if not shared:
        return 0.0
    dot = sum(p.idf[t] ** 2 for t in shared)
    return float(held_cosine(100.0 * dot / max(float(p.norms[a] * p.norms[b]), 1e-9), p.norms[a], p.norms[b],
                             concept_count(p, a), concept_count(p, b)))


def held_cosine(cos, na, nb, sa, sb, top: float = 100.0):
    """A cosine (0 to ``top``) with only :data:`LENGTH_EXPONENT` of the longer item's length counted:
    ``dot / (short ** (2 - e) * long ** e)``, never above ``top`` (what two items share weighs no more
    than the shorter holds). ``na``, ``nb``: the items' TF-IDF lengths; ``sa``, ``sb``: how many
    concepts each has (numbers or arrays). A shorter item of fewer than :data:`LENGTH_MIN_CONCEPTS`
    concepts keeps the plain cosine: a few words are held by many long items, which is no evidence."""
    e = LENGTH_EXPONENT
    if e >= 1.0:
        return cos
    na, nb = np.asarray(na, dtype=np.float64), np.asarray(nb, dtype=np.float64)
    short = np.where(na <= nb, np.asarray(sa), np.asarray(sb))
    ratio = np.maximum(na, nb) / np.maximum(np.minimum(na, nb), 1e-9)
    ratio = np.where(short >= LENGTH_MIN_CONCEPTS, ratio, 1.0)
    return np.minimum(np.asarray(cos, dtype=np.float64) * ratio ** (1.0 - e), top)


def _objects(p: Prepared, i: int) -> set[str]:
    """What item ``i``'s comparisons compare (empty if it compares nothing)."""
    return {t for t in p.bag(i) if t.startswith(OBJECT_PREFIX)}


def _compare_apart(p: Prepared, a: int, b: int) -> bool:
    """Whether both items compare ("more likely to ...") and what they compare differs: no
    object word of one agrees with one of the other's."""
    oa, ob = _objects(p, a), _objects(p, b)
    return bool(oa and ob and not oa & ob)


def _other_objects(p: Prepared, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`_compare_apart` of each pair ``a[n]``, ``b[n]``."""
    out = np.zeros(len(a), dtype=bool)
    if p.compares is None:
        return out
    for n in np.flatnonzero(p.compares[a] & p.compares[b]).tolist():
        out[n] = _compare_apart(p, int(a[n]), int(b[n]))
    return out


def concept_count(p: Prepared, i: int) -> int:
    """How many distinct concepts an item has (a theme's phrase is already counted as its words)."""
    return p.rows.sizes[i]


def pair_score(p: Prepared, a: int, b: int) -> float:
    """Similarity 0-100 of items ``a`` and ``b`` (see the module docstring)."""
    if concept_count(p, a) < MIN_TOKENS or concept_count(p, b) < MIN_TOKENS:
        return 0.0  # too short to say anything specific
    if not p.bag(a) & p.bag(b):
        return 0.0
    lex = fuzz.token_sort_ratio(p.strings[a], p.strings[b])
    score = round(COSINE_SHARE * _cosine(p, a, b) + (1 - COSINE_SHARE) * lex, 1)
    same_point = beyond_theme(p, a, b) and not _compare_apart(p, a, b)
    return score if same_point else min(score, THEME_ONLY_MAX)


def why(p: Prepared, a: int, b: int, limit: int = 6, bags: dict | None = None) -> list[str]:
    """What items ``a`` and ``b`` share, rarest first, as people read it ("pre-birth", "guidance").
    ``bags``: item -> its bag, kept between calls (a group's items are asked about again and again)."""
    if bags is None:
        shared = p.bag(a) & p.bag(b)
    else:
        for i in (a, b):
            if i not in bags:
                bags[i] = p.bag(i)
        shared = bags[a] & bags[b]
    shared = [t for t in shared if not t.startswith(("#", OBJECT_PREFIX))]
    shared.sort(key=lambda t: (-p.idf[t], t))
    return readable_labels([p.labels.get(t, t) for t in shared])[:limit]


def readable_labels(labels: list[str]) -> list[str]:
    """``labels`` in order, each once whatever its case, without one whose words a longer label
    already shows ("fathers" beside "Fathers and male carers")."""
    first: dict[str, str] = {}
    for label in labels:
        first.setdefault(label.lower(), label)
    longer = [set(k.split()) for k in first if " " in k]  # only a label of several words can hide another
    if not longer:
        return list(first.values())
    return [label for k, label in first.items() if not any(set(k.split()) < w for w in longer)]


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


def nearest_candidates(p: Prepared, k: int = NEIGHBOURS, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """For each item, its ``k`` nearest items from other years by TF-IDF cosine over rarer concepts.

    Year by year, a sparse matrix product in blocks of rows scores every item against
    every item of the other years sharing a concept or theme, in C; concepts in more than
    1% of the items (and in more than :data:`RARE_MAX`, whatever the size of the index) are
    left out of this blocking step (they still count in the final score), so each item meets
    a bounded number of others and the work grows with the number of items, not its square.
    A block holds at most ``chunk`` rows and about :data:`BLOCK_PRODUCTS` products, so its
    memory is bounded too. Only the ``k`` best neighbours of each item are kept, so the exact
    scoring that follows sees at most ``k`` pairs per item whatever the size of the index.
    Returns the pairs ``(a, b)``, ``a < b``, as two arrays in sorted order.
    """
    n = len(p.items)
    cap = min(max(60, int(0.01 * n)), RARE_MAX)
    years = np.array([y or 0 for y in (p.items.column("year_start") if hasattr(p.items, "column")
                                       else [it.get("year_start") for it in p.items])], dtype=np.int64)
    order = np.argsort(years, kind="stable")  # the items year by year
    cols = np.flatnonzero(p.df <= cap)
    xb = p.x[order][:, cols].tocsr()
    # products each row may make (an upper bound: its concepts' item counts), to cut blocks by
    per_row = np.bincount(np.repeat(np.arange(n), np.diff(xb.indptr)), weights=p.df[cols][xb.indices], minlength=n)
    reach = np.r_[0, np.cumsum(per_row)]
    starts = [0, *(np.flatnonzero(np.diff(years[order])) + 1).tolist()]
    found = [np.zeros(0, dtype=np.int64)]
    for s, e in zip(starts, [*starts[1:], n]):
        others = np.r_[0:s, e:n]  # rows of ``xb`` from the other years
        xt = xb[others].T.tocsr()
        start = s
        while start < e:
            stop = min(e, start + chunk, max(start + 1, int(np.searchsorted(reach, reach[start] + BLOCK_PRODUCTS))))
            sims = (xb[start:stop] @ xt).tocoo()
            best = _top_k(sims.row, sims.col, sims.data, sims.shape[0], k)
            a, b = order[start + sims.row[best]], order[others[sims.col[best]]]
            found.append(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
            start = stop
    codes = np.sort(np.concatenate(found))
    codes = codes[np.diff(codes, prepend=-1) != 0]  # each pair once
    return codes // max(n, 1), codes % max(n, 1)


SCORE_BLOCK = 100_000  # pairs scored at once: the row copies they need stay small at any index size


def scores_and_evidence(p: Prepared, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The scores (0-100, the formula of :func:`pair_score`) of the pairs ``(a[n], b[n])`` at once, and
    whether each pair shares more than a theme (only those are grouped)."""
    strings = p.strings
    if len(a) > SCORE_BLOCK:
        # split once for every block, and let go on return (a Python string per item: ~45 MB at 400,000)
        every = strings.split() if isinstance(strings, JoinedStrings) else strings
        parts = [_score_block(p, every, a[n:n + SCORE_BLOCK], b[n:n + SCORE_BLOCK])
                 for n in range(0, len(a), SCORE_BLOCK)]
        return np.concatenate([s for s, _ in parts]), np.concatenate([e for _, e in parts])
    return _score_block(p, strings, a, b)


def _score_block(p: Prepared, strings: Sequence[str], a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`scores_and_evidence` of one block of pairs; ``strings``: the items' concept strings."""
    if not len(a):
        return np.zeros(0), np.zeros(0, dtype=bool)
    both = p.x[a].multiply(p.x[b]).tocsr()  # what each pair shares, weighted (every weight is positive)
    lens = np.asarray(p.rows.sizes)
    cos = held_cosine(100.0 * np.asarray(both.sum(axis=1)).ravel(), p.norms[a], p.norms[b], lens[a], lens[b])
    shared_words = both @ p.words > 0
    pick = strings.pick if isinstance(strings, JoinedStrings) else (lambda which: [strings[i] for i in which])
    lex = cpdist(pick(a.tolist()), pick(b.tolist()), scorer=fuzz.token_sort_ratio, workers=-1)
    score = COSINE_SHARE * cos + (1 - COSINE_SHARE) * np.asarray(lex, dtype=np.float64)
    ok = (lens[a] >= MIN_TOKENS) & (lens[b] >= MIN_TOKENS) & (cos > 0)
    # pairs sharing only theme words: more than a theme only if a word is not of a theme both share
    named = both @ p.theme_words > 0
    for n in np.flatnonzero(ok & ~shared_words & named).tolist():
        shared_words[n] = beyond_theme(p, int(a[n]), int(b[n]))
    shared_words &= ~_other_objects(p, a, b)  # comparing different things ("abused", "bullied"): a likeness at most
    score = np.where(shared_words, score, np.minimum(score, THEME_ONLY_MAX))
    return np.where(ok, np.round(score, 1), 0.0), ok & shared_words



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
    p = prepare(items, concepts)
    return [{"score": pair_score(p, 2 * n, 2 * n + 1), "why": why(p, 2 * n, 2 * n + 1)} for n in range(len(pairs))]



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


def load_rankings(path) -> list[dict]:
    """Labelled rankings from a TOML file of ``[[ranking]]`` tables with ``later``, ``earlier`` and
    ``others`` (earlier items of the same subject that are not the later text's point)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return [{"later": str(r["later"]), "earlier": str(r["earlier"]), "others": [str(o) for o in r["others"]]}
                for r in data.get("ranking", [])]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConceptsError(f"{path}: cannot read the labelled rankings: {' '.join(str(e).split())}") from e
    except (KeyError, TypeError) as e:
        raise ConceptsError(f"{path}: each [[ranking]] needs later, earlier and a list of others ({e})") from e


def ranking_figures(rankings: list[dict], background: list[str] = (), concepts: Concepts | None = None) -> dict:
    """How many labelled rankings score their earlier item above every other (a tie is not first),
    each scored against the later text as :func:`pair_scores` scores pairs: ``{"rankings", "first",
    "ranks"}`` (``ranks``: the earlier item's place in each, 1 first, ties counted against it)."""
    pairs = [(x, r["later"]) for r in rankings for x in (r["earlier"], *r["others"])]
    scores = iter(s["score"] for s in pair_scores(pairs, background, concepts))
    ranks = []
    for r in rankings:
        mine, *theirs = [next(scores) for _ in range(1 + len(r["others"]))]
        ranks.append(1 + sum(1 for s in theirs if s >= mine))
    return {"rankings": len(rankings), "first": sum(1 for k in ranks if k == 1), "ranks": ranks}
