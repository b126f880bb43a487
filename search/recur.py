"""Recurring items: recommendations, learning and priorities said again in later years.

Similarity of two items (0-100) blends two scores on normalised text (lower case,
stock openings such as "The partnership should ensure that" removed, function words
and words every safeguarding report uses dropped, words stemmed, first sentence only:
the rest is often commentary):

- a TF-IDF cosine over the items' words and theme tags (60%): sharing a rare word
  ("toolkit", "fathers") or a rare theme counts for much, sharing a common one
  ("neglect" in a neglect report) for little;
- rapidfuzz ``token_sort_ratio`` (40%), the lexical check. Unlike ``token_set_ratio``
  or ``partial_ratio`` it does not give a short generic item ("Training") 90-100
  against any long item containing its words; items with fewer than three content
  words are never grouped, and a shared theme alone never makes two items the same.

Candidates come from a sparse matrix product (each item's nearest neighbours from other
years over its rarer words), so the work grows with the number of items, not with its
square. Clusters are connected groups of pairs above the threshold; in a large group a
member must be linked to at least two others, so a chain of weak links is not a cluster.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh.lang.porter import stem

from search.records import item_json
from search.store import Store

DEFAULT_THRESHOLD = 40.0
THEME_WEIGHT = 1.5  # a theme tag weighs this many times an equally rare word
COSINE_SHARE = 0.6  # score = 60% TF-IDF cosine + 40% token_sort_ratio
MIN_TOKENS = 3
MAX_CHAIN = 5  # larger groups must be well connected, not merely chained
NEIGHBOURS = 10  # nearest items from other years scored exactly, per item  # items with fewer content words are too generic to compare

_STOCK = re.compile(
    r"^(?:(?:the\s+)?(?:partnership|board|sscb|sscp|ccg|icb|lscb|partners|agencies|we)\s+"
    r"(?:should|will|must|need to|needs to|are asked to|is asked to)\s+(?:ensure\s+(?:that\s+)?)?|"
    r"(?:to\s+)?(?:ensure|ensuring)\s+(?:that\s+)?|(?:to\s+)?continue\s+to\s+|there is a need to\s+|"
    r"all agencies should\s+|we will\s+|to\s+)",
    re.I,
)
_STOP = frozenset(
    """a about across after all also an and any are as at be been being both but by can could do does for from
    had has have how in into is it its more most much need needs of on or other our should so such than that
    the their them there these they this those through to under up was we were what when where which while
    who will with within would""".split()
)
# Words nearly every item in these reports uses: they say nothing about what an item is about.
_DOMAIN = frozenset(
    """safeguard safeguarding child children young people somerset partnership partner partners board sscb
    sscp lscb icb ccg agency agencies multi ensure continue continued develop development work working
    support supporting improve improved improvement practice practitioners practitioner professionals
    professional services service local""".split()
)
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return stem(word)


def normalise(text: str) -> list[str]:
    """The content words of an item, stemmed, in order (stock openings and common words removed)."""
    t = text.lower().replace("/", " ").replace("’", "'")
    t = _STOCK.sub("", t.strip())
    out = []
    for w in _WORD.findall(t):
        if w in _STOP or w in _DOMAIN or len(w) < 2 or w.isdigit():
            continue
        s = _stem(w)
        if s in _DOMAIN:
            continue
        out.append(s)
    return out


@dataclass
class _Prepared:
    items: list[dict]
    tokens: list[list[str]]
    strings: list[str]
    bags: list[set[str]]
    idf: dict[str, float] = field(default_factory=dict)
    norms: list[float] = field(default_factory=list)


def _subject(text: str) -> str:
    """The first sentence of an item: what it is about (the rest is often commentary)."""
    m = re.match(r"(.{25,}?[.;!?])\s+[A-Z]", text)
    return m.group(1) if m else text


def _prepare(items: list[dict]) -> _Prepared:
    tokens = [normalise(_subject(i["text"])) for i in items]
    bags = [set(t) | {f"#{th}" for th in i.get("themes") or []} for t, i in zip(tokens, items)]
    df: dict[str, int] = defaultdict(int)
    for b in bags:
        for t in b:
            df[t] += 1
    n = max(len(items), 1)
    idf = {t: math.log((n + 1) / (c + 0.5)) * (THEME_WEIGHT if t.startswith("#") else 1.0) for t, c in df.items()}
    p = _Prepared(items, tokens, [" ".join(t) for t in tokens], bags, idf)
    p.norms = [math.sqrt(sum(idf[t] ** 2 for t in b)) for b in bags]
    return p


def _cosine(p: _Prepared, a: int, b: int) -> float:
    """TF-IDF cosine (0-100) of two items' word-and-theme bags."""
    shared = p.bags[a] & p.bags[b]
    if not shared:
        return 0.0
    dot = sum(p.idf[t] ** 2 for t in shared)
    return 100.0 * dot / max(p.norms[a] * p.norms[b], 1e-9)


def pair_score(p: _Prepared, a: int, b: int) -> float:
    """Similarity 0-100 of items ``a`` and ``b`` (see the module docstring)."""
    from rapidfuzz import fuzz

    if len(p.tokens[a]) < MIN_TOKENS or len(p.tokens[b]) < MIN_TOKENS:
        return 0.0  # too short to say anything specific
    if not any(not t.startswith("#") for t in p.bags[a] & p.bags[b]):
        return 0.0  # a shared theme alone does not make the same item
    lex = fuzz.token_sort_ratio(p.strings[a], p.strings[b])
    return round(COSINE_SHARE * _cosine(p, a, b) + (1 - COSINE_SHARE) * lex, 1)


def _matrices(p: _Prepared):
    """Row-normalised TF-IDF matrix of the items' bags, and a 0/1 matrix of their words only."""
    import numpy as np
    from scipy.sparse import csr_matrix, diags

    n = len(p.items)
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, bag in enumerate(p.bags):
        for t in bag:
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(p.idf[t])
    x = csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(n, max(len(vocab), 1)))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    x = (diags(1.0 / np.maximum(norms, 1e-9)) @ x).tocsr()
    is_word = np.zeros(max(len(vocab), 1), dtype=bool)
    for t, j in vocab.items():
        is_word[j] = not t.startswith("#")
    words = x.copy()
    words.data = is_word[words.indices].astype(np.float32)
    words.eliminate_zeros()
    return x, words, np.bincount(np.array(cols, dtype=np.int64), minlength=max(len(vocab), 1))


def _candidates(p: _Prepared, x, df, k: int = NEIGHBOURS, chunk: int = 2048) -> list[tuple[int, int]]:
    """For each item, its ``k`` nearest items from other years by TF-IDF cosine over rarer words.

    A sparse matrix product in blocks of rows scores every item against every other
    sharing a word or theme, in C; words in more than 1% of the items are left out of
    this blocking step (they still count in the final score). Only the ``k`` best
    neighbours of each item are kept, so the exact scoring that follows sees at most
    ``k`` pairs per item whatever the size of the index.
    """
    import numpy as np

    n = len(p.items)
    cap = max(60, int(0.01 * n))
    xb = x[:, np.flatnonzero(df <= cap)].tocsr()
    xt = xb.T.tocsr()
    x = xb
    years = np.array([it.get("year_start") or 0 for it in p.items])
    pairs: set[tuple[int, int]] = set()
    for start in range(0, n, chunk):
        sims = (x[start:start + chunk] @ xt).tocsr()
        for r in range(sims.shape[0]):
            a = start + r
            lo, hi = sims.indptr[r], sims.indptr[r + 1]
            idx, val = sims.indices[lo:hi], sims.data[lo:hi]
            keep = years[idx] != years[a]
            idx, val = idx[keep], val[keep]
            if len(idx) > k:
                idx = idx[np.argpartition(-val, k)[:k]]
            for b in idx.tolist():
                pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def _score_pairs(p: _Prepared, x, words, pairs: list[tuple[int, int]]):
    """Scores (0-100) of many pairs at once: the same formula as :func:`pair_score`."""
    import numpy as np
    from rapidfuzz import fuzz
    from rapidfuzz.process import cpdist

    if not pairs:
        return np.zeros(0)
    a = np.fromiter((pr[0] for pr in pairs), dtype=np.int64, count=len(pairs))
    b = np.fromiter((pr[1] for pr in pairs), dtype=np.int64, count=len(pairs))
    cos = 100.0 * np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel()
    shared_words = np.asarray(words[a].multiply(words[b]).sum(axis=1)).ravel() > 0
    lens = np.array([len(t) for t in p.tokens])
    lex = cpdist([p.strings[i] for i in a], [p.strings[i] for i in b], scorer=fuzz.token_sort_ratio, workers=-1)
    score = COSINE_SHARE * cos + (1 - COSINE_SHARE) * np.asarray(lex, dtype=np.float64)
    ok = shared_words & (lens[a] >= MIN_TOKENS) & (lens[b] >= MIN_TOKENS)
    return np.where(ok, np.round(score, 1), 0.0)


def load_items(store: Store, kind: str | None = None, theme: str | None = None) -> list[dict]:
    """Every indexed item (optionally of one kind or theme), with its document title and section number."""
    terms = {"item_kind": kind} if kind else {}
    out = []
    for r in store.records("item", **terms):
        it = item_json(r)
        if theme and theme not in it["themes"]:
            continue
        extra = r.get("cells") or {}
        it["title"] = r.get("doc_title")
        it["number"], it["heading"], it["page"] = extra.get("number"), extra.get("heading"), r.get("page_start")
        out.append(it)
    return out


def recur(
    store: Store,
    min_years: int = 2,
    kind: str | None = None,
    theme: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    items: list[dict] | None = None,
) -> list[dict]:
    """Clusters of items that say substantially the same thing in at least ``min_years`` years."""
    items = items if items is not None else load_items(store, kind, theme)
    if len(items) < 2:
        return []
    p = _prepare(items)
    x, words, df = _matrices(p)
    pairs = _candidates(p, x, df)
    edges: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), s in zip(pairs, _score_pairs(p, x, words, pairs).tolist()):
        if s >= threshold:
            edges[a][b] = edges[b][a] = s
    clusters = []
    for comp in _components(edges):
        comp = _trim(comp, edges, threshold)
        years = sorted({items[i]["year"] for i in comp if items[i].get("year")})
        if len(years) < min_years:
            continue
        members = sorted(comp, key=lambda i: (items[i].get("year_start") or 0, items[i]["item_id"]))
        inside = set(comp)
        out_items = []
        for i in members:
            it = dict(items[i])
            others = [s for j, s in edges[i].items() if j in inside]
            it["score"] = round(max(others), 1) if others else None
            out_items.append(it)
        themes = sorted(set.intersection(*(set(items[i]["themes"]) for i in comp)) if comp else set())
        clusters.append({"themes": themes, "years": years, "items": out_items})
    clusters.sort(key=lambda c: (-len(c["years"]), -len(c["items"]), c["items"][0]["item_id"]))
    for n, c in enumerate(clusters, start=1):
        c["id"] = n
    return [{"id": c["id"], "themes": c["themes"], "years": c["years"], "items": c["items"]} for c in clusters]


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


def check(store: Store, text: str, limit: int = 10, kind: str | None = None, min_score: float = 30.0,
          themes: list[str] | tuple[str, ...] = ()) -> list[dict]:
    """The indexed items most similar to ``text`` (whose theme ids, if the caller tagged it,
    are ``themes``), best first, each with its score."""
    items = load_items(store, kind)
    probe = {"item_id": "?", "text": text, "themes": list(themes), "year_start": None}
    p = _prepare(items + [probe])
    q = len(items)
    scored = []
    for i in range(q):
        if p.bags[i] & p.bags[q]:
            s = pair_score(p, i, q)
            if s >= min_score:
                scored.append((s, i))
    scored.sort(key=lambda x: (-x[0], items[x[1]]["item_id"]))
    out = []
    for s, i in scored[:limit]:
        it = dict(items[i])
        it["score"] = s
        out.append(it)
    return out
