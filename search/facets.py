"""Facet counts of a search: how many matching sections per year, theme, document type and
publisher, so that a page (or a program) can offer them as filters.

Counted from the hits of :func:`search.query.search` itself, so a facet's count is the
number of results its filter leaves. Also the pages of a search (page 1 is the CLI's
answer) and the sections per year that a theme's count per 100 sections needs.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from search.index.store import Store
from search.query import search
from search.trace import UNDATED

FACET_LIMIT = 1000  # hits counted; past this the counts are of the best FACET_LIMIT (each costs ~0.3 ms)


def facet_counts(hits, labels: dict[str, str] | None = None) -> dict:
    """``{"year": [...], "theme": [...], "doc_type": [...], "publisher": [...]}`` from search hits.

    Each entry is ``{"value", "label", "count"}``; years oldest first, the rest by count.
    ``labels`` names the themes (id to label).
    """
    labels = labels or {}
    years: Counter = Counter()
    year_start: dict[str, int] = {}
    themes: Counter = Counter()
    types: Counter = Counter()
    publishers: Counter = Counter()
    for h in hits:
        s = h.section
        if s.get("year"):
            years[s["year"]] += 1
            year_start[s["year"]] = s.get("year_start") or 0
        themes.update(s.get("themes") or [])
        if h.doc_type:
            types[h.doc_type] += 1
        if h.publisher:
            publishers[h.publisher] += 1

    def rows(counter: Counter, name=lambda v: v) -> list[dict]:
        return [{"value": v, "label": name(v), "count": n}
                for v, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]

    return {
        "year": [{"value": y, "label": y, "count": years[y]} for y in sorted(years, key=year_start.get)],
        "theme": rows(themes, lambda t: labels.get(t, t)),
        "doc_type": rows(types, lambda t: t.replace("-", " ")),
        "publisher": rows(publishers),
    }


def search_with_facets(store: Store, query: str, page: int = 1, per_page: int = 10, **options):
    """One page of :func:`search.query.search` results and the facet counts of all of them
    (of the best ``FACET_LIMIT`` when more match; ``facets["counted"]`` says how many):
    ``(SearchResult, facets)``; ``options`` are search's filters and sort.

    Page 1 is what ``sgsearch QUERY --limit per_page`` shows; later pages go on down the
    ranked list without repeating a section of page 1, ranks numbered on.
    """
    res = search(store, query, limit=per_page, **options)
    if len(res.hits) >= res.total:
        every = res.hits
    else:  # later pages show snippets from this list; the first needs only its sections
        counting = dict(options)
        if page == 1 and res.total <= FACET_LIMIT:
            counting["sort"] = "year"  # every match is counted, so their order does not matter (year is quicker)
        every = search(store, query, limit=FACET_LIMIT, snippets=page > 1, **counting).hits
    if page > 1:
        shown = {h.section["section_id"] for h in res.hits}
        rest = [h for h in every if h.section["section_id"] not in shown]
        start = (page - 1) * per_page
        res.hits = [replace(h, rank=start + n) for n, h in
                    enumerate(rest[start - per_page:start], start=1)]
    labels = {t.id: t.label for t in store.taxonomy().themes.values()}
    facets = facet_counts(every, labels)
    facets["counted"] = len(every)  # fewer than res.total: the counts are of the best FACET_LIMIT
    return res, facets


def sections_per_year(table: dict) -> dict[str, int]:
    """How many sections the index holds in each dated year of a theme table
    (:func:`search.trace.theme_table`, which counts them), to show a theme's count per 100
    sections."""
    return {y: t["sections"] for y, t in table["totals"].items() if y != UNDATED}
