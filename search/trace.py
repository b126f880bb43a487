"""Themes over the years: the theme-by-year table behind ``sgsearch themes``.

Counts are sections tagged with a theme in each financial year (a section counts
once however often it mentions the theme), read from the index without spaCy.
"""
from __future__ import annotations

from collections import defaultdict

from search.cite import section_citation
from search.index.qtree import Range
from search.index.store import Store
from search.query import QueryError, plain, resolve_theme_filter, search
from search.vocab.years import fy_label

UNDATED = "undated"  # the column of sections whose document states no year


def theme_table(store: Store, from_year: int | None = None, to_year: int | None = None) -> dict:
    """``{"years": [...], "themes": [{"id", "label", "counts", "documents", "total", "all_documents"}],
    "totals", "documents"}``.

    ``counts`` are sections per year, ``documents`` distinct documents per year; years
    ascending, then ``"undated"`` when some documents state no year (and no year range is
    asked for); themes in taxonomy order. ``totals`` holds every section and document of
    each year, tagged or not (the denominators); ``documents`` the distinct documents of
    all those years (a board pack holding an earlier year's report counts once). The
    engine counts them (no stored field is read).
    """
    taxonomy = store.taxonomy()
    ranged = from_year is not None or to_year is not None
    flt = Range("year_start", from_year, to_year) if ranged else None
    backend = store.backend()
    # two engine counts, sections of each document by year (and theme); every cell, total and
    # distinct-document count follows from them, so no count nests documents under themes
    tagged = backend.counts(None, flt, ("doc_id", "year_start", "themes"), documents=False)
    every = backend.counts(None, flt, ("doc_id", "year_start"), documents=False)
    cells: dict[tuple, list] = defaultdict(lambda: [0, set()])  # (theme, year) -> [sections, documents]
    theme_docs: dict[str, set] = defaultdict(set)
    for key, c in tagged.items():
        if len(key) == 3:
            doc, year, theme = key
            cell = cells[theme, year]
            cell[0] += c.sections
            cell[1].add(doc)
            theme_docs[theme].add(doc)
    years: dict = defaultdict(lambda: [0, set()])
    for key, c in every.items():
        if len(key) == 2:
            years[key[1]][0] += c.sections
            years[key[1]][1].add(key[0])
    starts: list = sorted(y for y in years if y is not None)
    if not ranged and None in years:
        starts.append(None)  # a column of its own, after the years

    def label(y):
        return UNDATED if y is None else fy_label(y)

    themes = []
    for theme in taxonomy.themes.values():
        per = {y: cells.get((theme.id, y)) for y in starts}
        themes.append({
            "id": theme.id,
            "label": theme.label,
            "counts": {label(y): c[0] if c else 0 for y, c in per.items()},
            "documents": {label(y): len(c[1]) if c else 0 for y, c in per.items()},
            "total": sum(c[0] for c in per.values() if c),
            "all_documents": len(theme_docs.get(theme.id, ())),
        })
    totals = {label(y): {"sections": years[y][0], "documents": len(years[y][1])} for y in starts}
    return {"years": [label(y) for y in starts], "themes": themes, "totals": totals,
            "documents": len({key[0] for key in every if len(key) == 2})}


def trace(store: Store, query: str, examples: int = 2, exact: bool = False, **filters) -> dict:
    """How a query or theme runs over the years: sections and documents per year, first and
    last seen, and the best quoted examples of each year with citations.

    A theme id or label (``pre-birth``, ``Fathers and male carers``) traces the sections
    tagged with the theme; anything else is searched like ``sgsearch QUERY``. ``filters``
    are :func:`search.query.search`'s (``year``, ``from_year``, ``to_year``, ``theme``,
    ``doc_type``, ``publisher``): ``year="2020-21"`` drills into one cell of the table.
    The engine counts per year; only the examples shown are ranked and highlighted.
    """
    taxonomy = store.taxonomy()
    theme_id = None
    try:
        theme_id = resolve_theme_filter(query.strip(), taxonomy)
    except QueryError:
        theme_id = None
    if theme_id and query.strip().lower() not in (theme_id, taxonomy[theme_id].label.lower()):
        theme_id = None  # a prefix of an id is a word to search, not a theme
    if theme_id:
        extra = filters.pop("theme", None) or ()
        extra = [extra] if isinstance(extra, str) else list(extra)
        filters["theme"] = [theme_id, *extra]
    else:
        filters["exact"] = exact
    overall = search(store, query, limit=1, **filters)
    years = []
    for year, count in overall.year_counts.items():
        shown = search(store, query, limit=examples, **{**filters, "year": year}).hits if examples else []
        years.append({
            "year": year,
            "year_start": int(year[:4]),
            "sections": count.sections,
            "documents": count.documents,
            "examples": [
                {
                    "section_id": h.section["section_id"],
                    "title": h.title,
                    "number": h.section["number"],
                    "heading": h.section["heading"],
                    "page": h.page,
                    "snippet": plain(h.snippet),
                    "citation": section_citation(h.section, h.title, h.page),
                }
                for h in shown
            ],
        })
    labels = {t.id: t.label for t in taxonomy.themes.values()}
    return {
        "query": query,
        "theme": theme_id,
        "tagged": [labels.get(t, t) for t in ([theme_id] if theme_id else overall.themes or [])],
        "first_seen": years[0]["year"] if years else None,
        "last_seen": years[-1]["year"] if years else None,
        "years": years,
    }
