"""Recurring items: recommendations, learning and priorities said again in later years.

Similarity of two items is a blend of two scores on normalised text (lower case, stock
openings such as "The partnership should ensure that" removed, function words and
words every safeguarding report uses dropped, words stemmed):

- rapidfuzz ``token_sort_ratio``: the main lexical score. Unlike ``token_set_ratio`` or
  ``partial_ratio`` it does not give a short generic item ("Training") 90-100 against
  any long item that contains its words.
- an IDF-weighted overlap of the two items' words and theme tags, relative to the
  shorter item: sharing a rare word ("toolkit", "fathers") or a rare theme counts for
  much, sharing a common one ("neglect" in a neglect report) for little.

``score = max(sort, (sort + overlap) / 2)``. Pairs are found by blocking on rare words
and themes (only items sharing one are compared), so the work grows with the number
of plausible pairs, not with the square of the number of items. Clusters are connected
groups of pairs above the threshold, trimmed so that every member is close to the rest.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from whoosh.lang.porter import stem

from search.index import Store
from search.records import item_json

DEFAULT_THRESHOLD = 40.0
THEME_WEIGHT = 1.5  # a theme tag weighs this many times an equally rare word
COSINE_SHARE = 0.6  # score = 60% TF-IDF cosine + 40% token_sort_ratio
MIN_TOKENS = 3
MAX_CHAIN = 5  # larger groups must be well connected, not merely chained  # items with fewer content words are too generic to compare

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


def normalise(text: str) -> list[str]:
    """The content words of an item, stemmed, in order (stock openings and common words removed)."""
    t = text.lower().replace("/", " ").replace("’", "'")
    t = _STOCK.sub("", t.strip())
    out = []
    for w in _WORD.findall(t):
        if w in _STOP or w in _DOMAIN or len(w) < 2 or w.isdigit():
            continue
        s = stem(w)
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

    def weight(self, bag: set[str]) -> float:
        return sum(self.idf.get(t, 0.0) for t in bag)


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


def _candidates(p: _Prepared, cap: int) -> set[tuple[int, int]]:
    """Pairs of items sharing at least one rare word or theme, from different years."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, bag in enumerate(p.bags):
        for t in bag:
            postings[t].append(i)
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) < 2 or len(ids) > cap:
            continue
        for x in range(len(ids)):
            ya = p.items[ids[x]].get("year_start")
            for y in range(x + 1, len(ids)):
                if p.items[ids[y]].get("year_start") != ya:
                    pairs.add((ids[x], ids[y]))
    return pairs


def load_items(store: Store, kind: str | None = None, theme: str | None = None) -> list[dict]:
    """Every indexed item (optionally of one kind or theme), with its document title and section number."""
    terms = {"item_kind": kind} if kind else {}
    raw = store.records("item", **terms)
    sections = {}
    out = []
    for r in raw:
        it = item_json(r)
        if theme and theme not in it["themes"]:
            continue
        it["title"] = r.get("title")
        sid = it["section_id"]
        if sid not in sections:
            s = store.record(sid) or {}
            sections[sid] = (s.get("number") or None, s.get("heading"), s.get("page_start"))
        it["number"], it["heading"], it["page"] = sections[sid]
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
    cap = max(60, int(math.sqrt(len(items)) * 3))
    edges: dict[int, dict[int, float]] = defaultdict(dict)
    for a, b in _candidates(p, cap):
        s = pair_score(p, a, b)
        if s >= threshold:
            edges[a][b] = edges[b][a] = s
    clusters = []
    for comp in _components(edges):
        comp = _trim(comp, edges, threshold)
        years = sorted({items[i]["year"] for i in comp if items[i].get("year")})
        if len(years) < min_years:
            continue
        members = sorted(comp, key=lambda i: (items[i].get("year_start") or 0, items[i]["item_id"]))
        out_items = []
        for i in members:
            it = dict(items[i])
            others = [edges[i][j] for j in comp if j != i and j in edges[i]]
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
    """Drop members linked to too few of the others, so a long chain is not one cluster."""
    comp = list(comp)
    while len(comp) > MAX_CHAIN:
        def support(i):
            return sum(1 for j in comp if j != i and edges[i].get(j, 0) >= threshold) / (len(comp) - 1)

        worst = min(comp, key=support)
        if support(worst) >= 0.34:
            break
        comp.remove(worst)
    return comp


def check(store: Store, text: str, limit: int = 10, kind: str | None = None, min_score: float = 30.0) -> list[dict]:
    """The indexed items most similar to ``text``, best first, each with its score."""
    items = load_items(store, kind)
    probe = {"item_id": "?", "text": text, "themes": _themes_of(text), "year_start": None}
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


def _themes_of(text: str) -> list[str]:
    """Theme ids of free text, if the tagger can be loaded (it needs spaCy); else none."""
    try:
        from ingest.themes import get_tagger
    except ImportError:  # pragma: no cover
        return []
    return [t.id for t in get_tagger().tag(text)]
