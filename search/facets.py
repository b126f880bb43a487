"""Facet counts of a search: how many matching sections per year, theme, document type and
publisher, so that a page (or a program) can offer them as filters.

Counted by the engine over every match, with the query and filter the search ran, so a
facet's count is the number of results its filter leaves. Also the pages of a search
(page 1 is the CLI's answer) and the sections per year that a theme's count per 100
sections needs.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from search.index.store import Store
from search.query import search
from search.trace import UNDATED
from search.vocab.bodies import body_name

FACET_LIMIT = 1000  # hits a search's pages go down to (later pages list them from one ranked list)


def facet_counts(hits, labels: dict[str, str] | None = None) -> dict:
    """``{"year": [...], "theme": [...], "doc_type": [...], "publisher": [...]}`` from search hits.

    Each entry is ``{"value", "label", "count"}``; years oldest first, then ``undated`` (the
    sections whose report states no year: its value is the year filter that finds them), the
    rest by count.
    ``labels`` names the themes (id to label).
    """
    years: Counter = Counter()
    themes: Counter = Counter()
    types: Counter = Counter()
    publishers: Counter = Counter()
    for h in hits:
        s = h.section
        years[s.get("year") or UNDATED] += 1
        themes.update(s.get("themes") or [])
        if h.doc_type:
            types[h.doc_type] += 1
        if h.publisher:
            publishers[h.publisher] += 1
    return _facets(years, themes, types, publishers, labels or {})


def engine_facets(store: Store, res, labels: dict[str, str] | None = None) -> dict:
    """:func:`facet_counts`' shape for every match of a search result ``res``
    (:func:`search.query.search`), counted by the engine: no stored section is read.
    Publishers are counted per document (a document has one)."""
    if not res.total:
        return _facets(Counter(), Counter(), Counter(), Counter(), labels or {})
    counted = res.tallies(("themes", "doc_type", "doc_id"))  # with the years, when not yet counted
    years = Counter(res.sections_by_year)
    if res.undated_sections:
        years[UNDATED] = res.undated_sections
    themes, types = Counter(counted["themes"]), Counter({t: n for t, n in counted["doc_type"].items() if t})
    publishers: Counter = Counter()
    by_doc = publishers_of(store)
    for doc_id, n in counted["doc_id"].items():
        if by_doc.get(doc_id):
            publishers[by_doc[doc_id]] += n
    return _facets(years, themes, types, publishers, labels or {})


def one_name_per_body(publishers: Counter) -> Counter:
    """Publishers counted once per body, under the name every output gives it
    (:func:`search.vocab.bodies.body_name`: without the abbreviation a report defined after
    it), so a body written with it in one report and without it in another is one entry
    (the publisher filter, a phrase, finds both)."""
    out: Counter = Counter()
    for name, n in publishers.items():
        out[body_name(name)] += n
    return out


def _facets(years: Counter, themes: Counter, types: Counter, publishers: Counter, labels: dict[str, str]) -> dict:
    def rows(counter: Counter, name=lambda v: v) -> list[dict]:
        return [{"value": v, "label": name(v), "count": n}
                for v, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]

    return {
        # labels sort as years; the undated last, as the theme table has them
        "year": [{"value": y, "label": y, "count": years[y]} for y in sorted(years, key=lambda y: (y == UNDATED, y))],
        "theme": rows(themes, lambda t: labels.get(t, t)),
        "doc_type": rows(types, lambda t: t.replace("-", " ")),
        "publisher": rows(one_name_per_body(publishers)),
    }


def publishers_of(store: Store) -> dict[str, str]:
    """Each document's publisher (from the document records, a few thousand at most), read
    once per state of the index."""
    return store.cached("publishers", lambda: {d["doc_id"]: d.get("publisher") or "" for d in store.records("doc")})


def result_facets(store: Store, res) -> dict:
    """The facet counts of every match of a search result ``res`` (:func:`engine_facets`, the
    themes named by the index's taxonomy), ``"counted"`` saying how many matches."""
    labels = {t.id: t.label for t in store.taxonomy().themes.values()}
    facets = engine_facets(store, res, labels)
    facets["counted"] = res.total
    return facets


def facets(store: Store, query: str, **options) -> dict:
    """The facet counts of every section ``query`` and the filters (``options``, as
    :func:`search.query.search` takes them) match, nothing ranked: what a page fetches
    after its hits, and ``sgsearch QUERY --facets``. ``{"query", "total", "facets"}``."""
    options.pop("sort", None)  # the counts are the same in any order
    res = search(store, query, limit=0, **options)
    return {"query": res.query, "total": res.total, "facets": result_facets(store, res)}


def search_with_facets(store: Store, query: str, page: int = 1, per_page: int = 10, **options):
    """One page of results (:func:`result_page`) and the facet counts of every match
    (counted by the engine; ``facets["counted"]`` says how many): ``(SearchResult, facets)``."""
    res = result_page(store, query, page, per_page, **options)
    return res, result_facets(store, res)


def result_page(store: Store, query: str, page: int = 1, per_page: int = 10, **options):
    """One page of :func:`search.query.search` results; ``options`` are search's filters and sort.

    Page 1 is what ``sgsearch QUERY --limit per_page`` shows; later pages go on down the
    ranked list (of the best ``FACET_LIMIT``) without repeating a section of page 1, ranks
    numbered on.
    """
    res = search(store, query, limit=per_page, **options)
    if page > 1 and len(res.hits) < res.total:
        every = search(store, query, limit=FACET_LIMIT, **options).hits
        shown = {h.section["section_id"] for h in res.hits}
        rest = [h for h in every if h.section["section_id"] not in shown]
        start = (page - 1) * per_page
        res.hits = [replace(h, rank=start + n) for n, h in
                    enumerate(rest[start - per_page:start], start=1)]
    elif page > 1:
        res.hits = []
    return res


def sections_per_year(table: dict) -> dict[str, int]:
    """How many sections the index holds in each year of a theme table, ``undated`` included
    (:func:`search.trace.theme_table`, which counts them), to show a theme's count per 100
    sections of its year as ``sgsearch themes --per 100`` does."""
    return {y: t["sections"] for y, t in table["totals"].items()}
