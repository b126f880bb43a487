"""Groups of items that say the same thing in different years (``sgsearch recur``)."""
from __future__ import annotations

import re

import numpy as np
from scipy.sparse import csr_matrix

from search.errors import QueryError, quoted
from search.index.records import years_covered
from search.index.store import Store
from search.recur.cache import full_item, full_items, items_and_rows
from search.recur.concepts import store_concepts
from search.recur.scoring import (
    DEFAULT_THRESHOLD,
    MAX_CHAIN,
    nearest_candidates,
    prepare,
    readable_labels,
    scores_and_evidence,
    why,
)
from search.recur.tracker import describe

WHY_LINKS = 20  # a group's "why" counts the reasons of its strongest links, this many at most


def _year_of(value, field: str) -> int | None:
    """A year given as 2019, "2019" or "2019-20" -> 2019; ``field`` names the option in an error."""
    if value is None or value == "":
        return None
    m = re.match(r"^\s*(\d{4})", str(value))
    if not m:
        raise QueryError(f"{{{field}}} {quoted(value)} is not a year (use 2019 or 2019-20)")
    return int(m.group(1))


def _covered_years(store: Store):
    """An item's years for a year filter: every year its document's period covers (a review
    of 2007 to 2011 is in each), as a search's year filter counts them."""
    docs = {d["doc_id"]: d for d in store.records("doc")}

    def covered(it: dict) -> list[int]:
        start, doc = it.get("year_start"), docs.get(it.get("doc_id"))
        if not start:
            return []  # an undated item is in no year: outside every --from/--to, as in a search
        return [int(y) for y in years_covered(start, doc).split(",")] if doc else [start]
    return covered


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
    detail: bool = True,
    release: bool = False,
) -> list[dict]:
    """Clusters of items that say substantially the same thing in at least ``min_years`` years.

    Each group also says where it was first and last seen, in how many documents and years,
    its kinds and the statuses its reports gave (see :func:`search.recur.tracker.describe`).
    ``theme`` keeps the groups with a member tagged with it (as ``export`` does: the group
    is found among all items, then chosen); ``from_year``/``to_year`` keep the items of
    those years; ``since`` keeps the groups whose latest item is after that year. Each
    group has a ``score`` (its strongest link) and ``why`` (what its strongest links share).
    With ``detail=False`` (the terminal's summary) only each group's first and last items are
    whole; the others carry their id, document, kind, year, themes, status and score, not
    their text or ``why``: at scale, reading and explaining every member is most of the work.
    ``release`` closes the index's files once the items are read (reopened if needed again):
    for a one-shot command, since pages the engine read stay resident while they are open.
    """
    lo, hi, after = _year_of(from_year, "from_year"), _year_of(to_year, "to_year"), _year_of(since, "since")
    if lo is not None and hi is not None and lo > hi:
        # said as a search says it, not an empty answer that looks like no recurrence
        raise QueryError(f"{{from_year}} {from_year} is after {{to_year}} {to_year}: no year is both (swap them?)")
    concepts = store_concepts(store, release)
    given = items is not None
    if release:  # the documents read for the concepts: ~110 MB of mapped pages at 1,500 documents
        store.close()
    items, rows, surface = items_and_rows(store, items, kind, concepts, release)
    if not hasattr(items, "column"):  # the index's items stay by column (a dict each would cost ~0.7 kB at scale)
        items = list(items)
    if lo is not None or hi is not None:
        covered = _covered_years(store)
        keep = [n for n, it in enumerate(items)
                if any((lo is None or y >= lo) and (hi is None or y <= hi) for y in covered(it))]
        items, rows = [items[n] for n in keep], rows.take(keep)
    if len(items) < 2:
        return []
    p = prepare(items, concepts, surface=surface, rows=rows)
    del rows  # held by p until its matrices go below
    a, b = nearest_candidates(p)
    scores, beyond = scores_and_evidence(p, a, b)
    above = (scores >= threshold) & beyond
    edges = _Links(len(items), a[above], b[above], scores[above])
    del a, b, scores, beyond, above  # every candidate pair: the largest arrays at scale, no longer needed
    p = p.for_reasons()  # the groups need only what their reasons read
    chosen = []
    year, start, themes_of, ids = (_field(items, f) for f in ("year", "year_start", "themes", "item_id"))
    for comp in edges.components():
        comp = _trim(comp, edges, threshold)
        years = sorted({year[i] for i in comp if year[i]})
        if len(years) < min_years:
            continue
        if theme and not any(theme in (themes_of[i] or []) for i in comp):
            continue
        if after is not None and max(start[i] or 0 for i in comp) <= after:
            continue
        chosen.append((comp, years))
    whole = [i for comp, _ in chosen for i in (comp if detail else _ends(comp, start, ids, year))]
    full = {} if given else full_items(store, [items[i] for i in whole], concepts)
    whole = set(whole)
    clusters = []
    bags: dict = {}
    link_score, link_to = edges.best_within([comp for comp, _ in chosen])
    for comp, years in chosen:
        members = sorted(comp, key=lambda i: (start[i] or 0, ids[i]))
        out_items = []
        best: dict[int, tuple[float, int]] = {}
        whys: dict[int, list[str]] = {}
        for i in members:
            if given or i not in whole:
                it = dict(items[i])
            else:  # the whole items were read for this call alone: used as they are, not copied (memory at scale)
                it = full.get(items[i]["item_id"]) or full_item(store, items[i])
            it["score"] = round(float(link_score[i]), 1) if link_to[i] >= 0 else None
            if link_to[i] >= 0:
                best[i] = (float(link_score[i]), int(link_to[i]))
                if detail:
                    it["why"] = whys[i] = why(p, i, best[i][1], bags=bags)
            out_items.append(it)
        # what the group shares: the reasons of its strongest links, the most often given first
        reasons: dict[str, float] = {}
        for i in sorted(best, key=lambda i: (-best[i][0], i))[:WHY_LINKS]:
            for r in whys.get(i) or why(p, i, best[i][1], bags=bags):
                reasons[r] = reasons.get(r, 0) + 1
        themes = sorted(set.intersection(*(set(themes_of[i] or ()) for i in comp)) if comp else set())
        score = max((s for it in out_items if (s := it.get("score")) is not None), default=None)
        clusters.append({"themes": themes, "years": years, "score": score,
                         "why": readable_labels(sorted(reasons, key=lambda r: -reasons[r]))[:6], "items": out_items})
    clusters.sort(key=lambda c: (-len(c["years"]), -len(c["items"]), c["items"][0]["item_id"]))
    for n, c in enumerate(clusters, start=1):
        c["id"] = n
    return [describe({"id": c["id"], "themes": c["themes"], "years": c["years"], "score": c["score"], "why": c["why"],
                      "items": c["items"]}) for c in clusters]


def _field(items, name: str) -> list:
    """One field of every item: the cache's column, or read from each item given."""
    return items.column(name) if hasattr(items, "column") else [it.get(name) for it in items]


def _ends(comp: list[int], start: list, ids: list, year: list) -> list[int]:
    """A group's oldest and newest items (what the summary shows whole): dated ones when it has
    any, as :func:`search.recur.tracker.describe` says first and last seen."""
    ends = [i for i in comp if year[i]] or comp
    key = [(start[i] or 0, ids[i]) for i in ends]
    return [ends[key.index(min(key))], ends[key.index(max(key))]]


def best_threshold(store: Store, threshold: float, **options) -> float | None:
    """The highest threshold below ``threshold`` (in steps of 5) that would give groups, or None."""
    t = threshold - 5
    while t >= 15:
        if recur(store, threshold=t, **options):
            return t
        t -= 5
    return None


class _Links:
    """The pairs above the threshold, as a symmetric sparse matrix (compact at any size):
    ``links[i]`` maps each item linked to item ``i`` to the pair's score."""

    def __init__(self, n: int, a: np.ndarray, b: np.ndarray, scores: np.ndarray):
        # scores have one decimal within 0-100, which float32 keeps apart and rounds back exactly
        a, b, scores = a.astype(np.int32), b.astype(np.int32), scores.astype(np.float32)
        self.m = csr_matrix((np.r_[scores, scores], (np.r_[a, b], np.r_[b, a])), shape=(n, n))

    def __getitem__(self, i: int) -> dict[int, float]:
        lo, hi = self.m.indptr[i], self.m.indptr[i + 1]
        return dict(zip(self.m.indices[lo:hi].tolist(), self.m.data[lo:hi].tolist()))

    def best_within(self, groups: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """For each item, the score of its strongest link to another item of its group and that
        item (ties: the higher index), all at once; -1 where it has none (or no group)."""
        m = self.m
        group = np.full(m.shape[0], -1, dtype=np.int64)
        for g, members in enumerate(groups):
            group[members] = g
        rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        ok = (group[rows] >= 0) & (group[m.indices] == group[rows])
        r, j, s = rows[ok], m.indices[ok], m.data[ok]
        order = np.lexsort((j, s, r))  # by item, then score, then the other item: each item's last is its best
        r, j, s = r[order], j[order], s[order]
        last = np.r_[r[1:] != r[:-1], True] if len(r) else np.zeros(0, dtype=bool)
        score = np.full(m.shape[0], -1.0)
        to = np.full(m.shape[0], -1, dtype=np.int64)
        score[r[last]], to[r[last]] = s[last], j[last]
        return score, to

    def components(self) -> list[list[int]]:
        """The connected groups of linked items, each in order, by their first item."""
        # lazy: the graph module loads scipy.linalg (a tenth of a second), which --check never needs
        from scipy.sparse.csgraph import connected_components

        _, labels = connected_components(self.m, directed=False)
        groups: dict[int, list[int]] = {}
        for i in np.flatnonzero(np.diff(self.m.indptr)).tolist():
            groups.setdefault(int(labels[i]), []).append(i)
        return list(groups.values())


def _trim(comp: list[int], edges, threshold: float) -> list[int]:
    """In a large group keep only members linked to at least two others (a chain's loose
    ends go), repeatedly, so a long chain of pairwise links does not make one cluster."""
    if len(comp) <= MAX_CHAIN:
        return comp
    inside = set(comp)
    counts = np.diff(edges.m.indptr)
    degree = {i: int(counts[i]) for i in comp}  # a whole connected group: every link of a member is inside
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
