"""Themes over the years: the theme-by-year table behind ``sgsearch themes``.

Counts are sections tagged with a theme in each financial year (a section counts
once however often it mentions the theme), read from the index without spaCy.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from search.index import Store


def theme_table(store: Store, from_year: int | None = None, to_year: int | None = None) -> dict:
    """``{"years": [...], "themes": [{"id", "label", "counts", "documents", "total"}]}``.

    ``counts`` are sections per year, ``documents`` distinct documents per year; years
    ascending; themes in taxonomy order.
    """
    taxonomy = store.taxonomy()
    counts: dict[str, Counter] = defaultdict(Counter)
    docs: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    years: dict[str, int] = {}
    for s in store.records("section"):
        ys = s.get("year_start")
        if ys is None or (from_year is not None and ys < from_year) or (to_year is not None and ys > to_year):
            continue
        years[s["year"]] = ys
        for t in filter(None, (s.get("themes") or "").split(",")):
            counts[t][s["year"]] += 1
            docs[t][s["year"]].add(s["doc_id"])
    year_list = sorted(years, key=years.get)
    themes = []
    for theme in taxonomy.themes.values():
        c = counts.get(theme.id, Counter())
        themes.append({
            "id": theme.id,
            "label": theme.label,
            "counts": {y: c.get(y, 0) for y in year_list},
            "documents": {y: len(docs[theme.id].get(y, ())) for y in year_list},
            "total": sum(c.values()),
        })
    return {"years": year_list, "themes": themes}


def trace(store: Store, query: str, examples: int = 2, exact: bool = False, **filters) -> dict:
    """How a query or theme runs over the years: sections and documents per year, first and
    last seen, and the best quoted examples of each year with citations.

    A theme id or label (``pre-birth``, ``Fathers and male carers``) traces the sections
    tagged with the theme; anything else is searched like ``sgsearch QUERY``. ``filters``
    are :func:`search.query.search`'s (``year``, ``from_year``, ``to_year``, ``theme``,
    ``doc_type``, ``publisher``): ``year="2020-21"`` drills into one cell of the table.
    """
    from search.cite import section_citation
    from search.query import plain, resolve_theme_filter, search

    taxonomy = store.taxonomy()
    theme_id = None
    try:
        theme_id = resolve_theme_filter(query.strip(), taxonomy)
    except Exception:
        theme_id = None
    if theme_id and query.strip().lower() not in (theme_id, taxonomy[theme_id].label.lower()):
        theme_id = None  # a prefix of an id is a word to search, not a theme
    if theme_id:
        extra = filters.pop("theme", None) or ()
        extra = [extra] if isinstance(extra, str) else list(extra)
        res = search(store, query, limit=100000, theme=[theme_id, *extra], **filters)
    else:
        res = search(store, query, limit=100000, exact=exact, **filters)
    by_year: dict[str, list] = defaultdict(list)
    for h in res.hits:
        if h.section.get("year"):
            by_year[h.section["year"]].append(h)
    years = []
    for year in sorted(by_year, key=lambda y: by_year[y][0].section["year_start"]):
        hits = by_year[year]
        years.append({
            "year": year,
            "year_start": hits[0].section["year_start"],
            "sections": len(hits),
            "documents": len({h.section["doc_id"] for h in hits}),
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
                for h in hits[:examples]
            ],
        })
    return {
        "query": query,
        "theme": theme_id,
        "first_seen": years[0]["year"] if years else None,
        "last_seen": years[-1]["year"] if years else None,
        "years": years,
    }


def plot_trace(data: dict, path, all_years: list[str] | None = None) -> None:
    """Draw sections per year as a bar chart (PNG, SVG or PDF by extension) for a board paper."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = all_years or [y["year"] for y in data["years"]]
    counts = {y["year"]: y["sections"] for y in data["years"]}
    docs = {y["year"]: y["documents"] for y in data["years"]}
    fig, ax = plt.subplots(figsize=(7, 3.2), dpi=150)
    bars = ax.bar(years, [counts.get(y, 0) for y in years], color="#3b6ea5")
    for bar, y in zip(bars, years):
        if counts.get(y):
            ax.annotate(f"{docs[y]} doc{'s' if docs[y] != 1 else ''}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=7, color="#444")
    what = f"theme: {data['theme']}" if data.get("theme") else f'"{data["query"]}"'
    ax.set_title(f"Sections mentioning {what}, by year", fontsize=10)
    ax.set_ylabel("sections")
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
