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
    from ingest.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
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
