"""Themes over the years: the theme-by-year table behind ``sgsearch themes``.

Counts are sections tagged with a theme in each financial year (a section counts
once however often it mentions the theme), read from the index without spaCy.
"""
from __future__ import annotations

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
    counts = backend.counts(None, flt, ("themes", "year_start"))
    per_theme = backend.counts(None, flt, ("themes",))
    per_year = backend.counts(None, flt, ("year_start",))
    starts: list = sorted(k[0] for k in per_year if k and k[0] is not None)
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
            "documents": {label(y): c.documents if c else 0 for y, c in per.items()},
            "total": sum(c.sections for c in per.values() if c),
            "all_documents": per_theme[(theme.id,)].documents if (theme.id,) in per_theme else 0,
        })
    totals = {label(y): {"sections": per_year[(y,)].sections, "documents": per_year[(y,)].documents}
              for y in starts}
    overall = backend.counts(None, flt, ()).get(())
    return {"years": [label(y) for y in starts], "themes": themes, "totals": totals,
            "documents": overall.documents if overall else 0}


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


NO_REPORT = "no report"  # a chart's mark for a year with no document indexed


def chart_title(data: dict) -> str:
    """What a trace chart counts: sections mentioning the words, or tagged with the themes
    the search also counts (``data["tagged"]``, labels), or both."""
    tagged = ", ".join(data.get("tagged") or [])
    if data.get("theme") or not data.get("query"):
        return f"Sections tagged {tagged or data.get('theme') or 'the themes'}, by year"
    what = f"Sections mentioning \u201c{data['query']}\u201d"
    return what + (f" or tagged {tagged}" if tagged else "") + ", by year"


def plot_trace(data: dict, path, all_years: list[str] | None = None, indexed: list[str] | None = None) -> None:
    """Draw sections per year as a bar chart (PNG, SVG or PDF by extension) for a board paper.

    ``all_years`` are the years shown (default: those of ``data``); a year not in
    ``indexed`` (the years with a report) is marked "no report", apart from a 0.
    """
    # lazy: matplotlib loads only to draw a chart
    import matplotlib

    matplotlib.use("Agg")
    # lazy: matplotlib loads only to draw a chart
    import matplotlib.pyplot as plt

    years = all_years or [y["year"] for y in data["years"]]
    have = set(indexed) if indexed is not None else set(years)
    counts = {y["year"]: y["sections"] for y in data["years"]}
    docs = {y["year"]: y["documents"] for y in data["years"]}
    fig, ax = plt.subplots(figsize=(7, 3.4), dpi=150)
    bars = ax.bar(years, [counts.get(y, 0) for y in years], color="#3b6ea5")
    for bar, y in zip(bars, years):
        x = bar.get_x() + bar.get_width() / 2
        if counts.get(y):
            ax.annotate(f"{docs[y]} doc{'s' if docs[y] != 1 else ''}", (x, bar.get_height()),
                        ha="center", va="bottom", fontsize=7, color="#444")
        elif y in have or counts.get(y) is not None:
            ax.annotate("0", (x, 0), ha="center", va="bottom", fontsize=8, color="#444")
        else:
            ax.annotate(NO_REPORT.replace(" ", "\n"), (x, 0), ha="center", va="bottom", fontsize=7,
                        color="#888", style="italic")
    for tick, y in zip(ax.get_xticklabels(), years):
        if y not in have and not counts.get(y):
            tick.set_color("#888")
    ax.set_title(chart_title(data), fontsize=10)
    ax.set_ylabel("sections")
    if any(y not in have and not counts.get(y) for y in years):
        fig.text(0.01, 0.01, f"{NO_REPORT}: no document indexed for that year; 0: a report that year, no section counted",
                 fontsize=7, color="#666")
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text: readable, searchable
        fig.savefig(path)
    plt.close(fig)
