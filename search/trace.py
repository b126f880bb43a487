"""Subjects and themes over the years: the theme-by-year table behind ``sgsearch themes``
(:func:`theme_table`) and one subject's or theme's run over the years behind ``sgsearch
trace`` (:func:`trace`).

Counts are sections tagged with a theme (or matching the query) in each financial year (a
section counts once however often it mentions the theme), read from the index without
spaCy. A section of a report over several years (a review of 2007 to 2011) counts in each
year it covers; totals count it once.
"""
from __future__ import annotations

from search.cite import section_citation
from search.index.backends import ANY
from search.index.store import Store
from search.query import QueryError, plain, resolve_theme_filter, search, years_between
from search.vocab.years import UNDATED, fy_label  # UNDATED: also the column of sections of no year


def theme_table(store: Store, from_year: int | None = None, to_year: int | None = None) -> dict:
    """``{"years": [...], "themes": [{"id", "label", "counts", "documents", "total", "all_documents"}],
    "totals", "documents", "sections"}``.

    ``counts`` are sections per year, ``documents`` distinct documents per year (a span's
    sections in every year it covers, so a row can add up to more than its ``total``,
    which counts each section once); years
    ascending, then ``"undated"`` when some documents state no year (and no year range is
    asked for); themes in taxonomy order. ``totals`` holds every section and document of
    each year, tagged or not (the denominators); ``documents`` the distinct documents of
    all those years (a board pack holding an earlier year's report counts once) and
    ``sections`` the distinct sections (each once, however many years it covers). The
    engine counts them (no stored field is read).
    """
    taxonomy = store.taxonomy()
    ranged = from_year is not None or to_year is not None
    flt = years_between(from_year, to_year) if ranged else None
    backend = store.backend()
    kept = None if ranged else backend.theme_documents()
    documents = kept is None  # else the engine kept them as it wrote, for the whole index
    counts = backend.counts(None, flt, ("themes", "years"), documents=documents)
    per_theme = backend.counts(None, flt, ("themes",), documents=documents)
    per_year = backend.counts(None, flt, ("years",), documents=documents)
    if kept is None:
        overall = backend.counts(None, flt, ()).get(())
        kept = {**{k: c.documents for k, c in counts.items() if len(k) == 2},
                **{(k[0], ANY): c.documents for k, c in per_theme.items() if k},
                **{(None, k[0]): c.documents for k, c in per_year.items() if k},
                (None, ANY): overall.documents if overall else 0}
    starts: list = sorted(k[0] for k in per_year if k and k[0] is not None
                          and (from_year is None or k[0] >= from_year) and (to_year is None or k[0] <= to_year))
    if not ranged and (None,) in per_year:
        starts.append(None)  # a column of its own, after the years

    def label(y):
        return UNDATED if y is None else fy_label(y)

    themes = []
    for theme in taxonomy.themes.values():
        per = {y: counts.get((theme.id, y)) for y in starts}
        themes.append({
            "id": theme.id,
            "label": theme.label,
            "counts": {label(y): c.sections if c else 0 for y, c in per.items()},
            "documents": {label(y): kept.get((theme.id, y), 0) for y in starts},
            "total": per_theme[(theme.id,)].sections if (theme.id,) in per_theme else 0,
            "all_documents": kept.get((theme.id, ANY), 0),
        })
    totals = {label(y): {"sections": per_year[(y,)].sections, "documents": kept.get((None, y), 0)} for y in starts}
    return {"years": [label(y) for y in starts], "themes": themes, "totals": totals,
            "documents": kept.get((None, ANY), 0), "sections": per_year[()].sections if () in per_year else 0}


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
        "undated": overall.undated_sections,  # sections of reports that state no year: in no year
    }
