"""The theme-by-year table made ready to read and to paste: every year from the first to
the last (``None`` for a year with no document) then ``undated`` when some reports state
no year, per-year denominators, rates per 100 sections or per document, and the table as CSV, XLSX, or text that fits a terminal.

The counting itself is :func:`search.trace.theme_table`; this module only shapes it.
"""
from __future__ import annotations

import csv
import io
import textwrap

from search.index.store import Store
from search.report.chart import NO_DOCUMENT
from search.report.themes import write_rows_xlsx
from search.trace import UNDATED, theme_table
from search.vocab.years import fy_label, parse_year_label

PER = (None, "100", "doc")
# A rate per 100 sections of a year with fewer sections than this swings widely (5 of
# 10 is 50.0): such a year's rates are marked, with a note saying why.
FEW_SECTIONS = 20
FEW_MARK = "*"


def year_range(years: list[str]) -> list[str]:
    """Every financial year from the first of ``years`` to the last (``2017-18``, ``2018-19`` …)."""
    starts = [s for s in (parse_year_label(y) for y in years) if s is not None]
    if not starts:
        return []
    return [fy_label(y) for y in range(min(starts), max(starts) + 1)]


def chart_years(store: Store, data: dict, whole_span: bool = True) -> tuple[list[str], list[str]]:
    """The years a chart of a trace shows, and those with a report indexed: every year from
    the first to the last (with ``whole_span``, the index's first and last), empty ones
    included, so that a gap in the reports shows as a gap."""
    indexed = [y for y in theme_table(store)["years"] if y != UNDATED]
    years = [y["year"] for y in data["years"]] + (indexed if whole_span else [])
    return year_range(years), indexed


def full_table(store: Store, from_year: int | None = None, to_year: int | None = None, per: str | None = None) -> dict:
    """The theme table with every year first to last and its denominators:
    ``{"years", "themes": [{"id", "label", "counts", "documents", "total"}], "sections", "documents_per_year", "documents", "per"}``
    (``documents``: distinct documents of all the years).

    A year with no document has ``None`` counts. ``per="100"`` gives sections per 100
    sections of that year (one decimal; ``few_sections`` lists the years with fewer than
    :data:`FEW_SECTIONS` sections, whose rates are marked); ``per="doc"`` the documents
    mentioning the theme (of ``documents_per_year``) instead of sections. Each theme's
    ``all`` is counted the same way over every year (``total`` stays its sections).
    """
    if per not in PER:
        raise ValueError(f"unknown --per {per!r}: use 100 or doc")
    table = theme_table(store, from_year, to_year)
    totals = table["totals"]  # the denominators, counted with the table
    # the undated sections keep their own last column (as the web page's table has it), so
    # a row's cells add up to its "all"
    years = year_range(table["years"]) + [y for y in table["years"] if y == UNDATED]
    out_themes = []
    for t in table["themes"]:
        counts, docs = {}, {}
        for y in years:
            if y not in totals:
                counts[y] = docs[y] = None
                continue
            n = t["counts"].get(y, 0)
            docs[y] = t["documents"].get(y, 0)
            counts[y] = rate(n, totals[y]["sections"]) if per == "100" else docs[y] if per == "doc" else n
        every = table["sections"]  # each section once, though a span's are in every year it covers
        out_themes.append({"id": t["id"], "label": t["label"], "counts": counts, "documents": docs,
                           "total": t["total"],
                           "all": rate(t["total"], every) if per == "100" else t["all_documents"] if per == "doc"
                           else t["total"]})
    return {
        "years": years,
        "themes": out_themes,
        "few_sections": [y for y in years if per == "100" and y in totals and totals[y]["sections"] < FEW_SECTIONS],
        "sections": {y: totals[y]["sections"] if y in totals else None for y in years},
        "documents_per_year": {y: totals[y]["documents"] if y in totals else None for y in years},
        "documents": table["documents"],
        "all_sections": table["sections"],
        "per": per,
    }


def rate(n: int, of: int) -> float:
    """``n`` per 100 of ``of``, to one decimal place."""
    return round(100.0 * n / of, 1) if of else 0.0


def cell(table: dict, theme: dict, year: str) -> str:
    """One cell as people read it: "—" for no document, blank for none, ``2/3`` per doc."""
    v = theme["counts"].get(year)
    if v is None:
        return NO_DOCUMENT
    if table.get("per") == "doc":
        return f"{v}/{table['documents_per_year'][year]}" if v else ""
    if table.get("per") == "100":
        return f"{v:.1f}{FEW_MARK if year in table.get('few_sections', ()) else ''}" if v else ""
    return str(v) if v else ""


def all_cell(table: dict, theme: dict) -> str:
    """The "all years" cell, counted as the year cells are."""
    v = theme.get("all", theme["total"])
    if table.get("per") == "doc":
        return f"{v}/{table.get('documents')}"
    return f"{v:.1f}" if table.get("per") == "100" else str(v)


def _header(table: dict) -> str:
    return {"100": "All years per 100 sections", "doc": "All years: documents"}.get(table.get("per"), "Total")


def few_note(table: dict) -> str:
    """The footnote to the marked rates ("" when none is marked)."""
    few = table.get("few_sections") or []
    if not few:
        return ""
    sections = table.get("sections") or {}
    years = ", ".join(f"{y}: {sections.get(y)}" for y in few)
    return (f"{FEW_MARK} Fewer than {FEW_SECTIONS} sections that year ({years}): a rate on so few sections "
            "swings widely; read it with the count.")


def rows(table: dict, show_all: bool = False) -> list[dict]:
    """The themes to show, most sections first (themes with none only with ``show_all``)."""
    return sorted((t for t in table["themes"] if show_all or t["total"]), key=lambda t: -t["total"])


def to_text(table: dict, width: int = 80, show_all: bool = False) -> str:
    """The table as aligned text that fits ``width`` columns: years as ``16-17``, a long
    theme label wrapped onto a second line; a note under it says what the cells are. When
    every year does not fit beside the labels (18 years at 80 columns), the years are shown
    in blocks one under the other, each with the labels, the last with the ``all`` column:
    every cell is kept."""
    years = table["years"]
    shown = rows(table, show_all)
    cells = {t["id"]: [cell(table, t, y) for y in years] for t in shown}
    alls = {t["id"]: all_cell(table, t) for t in shown}
    cw = max([5] + [len(c) for cs in cells.values() for c in cs])
    ws = [max(cw, len(UNDATED)) if y == UNDATED else cw for y in years]
    tw = max([5] + [len(a) for a in alls.values()])
    longest = max([5] + [len(t["label"]) for t in shown])
    lw = max(12, min(longest, width - (sum(w + 1 for w in ws) + tw + 2)))
    blocks = _blocks(ws, tw, lw, width)
    if len(blocks) > 1:  # the widest label column that needs no more blocks than the narrowest
        while lw < longest and len(_blocks(ws, tw, lw + 1, width)) == len(blocks):
            lw += 1
        blocks = _blocks(ws, tw, lw, width)
    per = {"100": "Sections tagged per 100 sections of that year",
           "doc": "Documents mentioning each theme, of that year's documents"}.get(
        table.get("per"), "Sections tagged with each theme per year")
    dated = [y for y in years if y != UNDATED]
    span = f"{dated[0]} to {dated[-1]}" if dated else "no dated years"
    every = {"100": "per 100 sections of every year", "doc": "documents mentioning it, of all"}.get(
        table.get("per"), "sections in every year")
    out = textwrap.wrap(f"{per}, {span} ({NO_DOCUMENT}: no document that year; all: {every}).", width)
    for n, block in enumerate(blocks):
        last = n == len(blocks) - 1
        if n:
            out.append("")
        out.append(" " * lw + " " + " ".join(f"{years[i] if years[i] == UNDATED else years[i][2:]:>{ws[i]}}" for i in block)
                   + (f" {'all':>{tw}}" if last else ""))
        for t in shown:
            label = _label_lines(t["label"], lw, max(lw, width - 2))
            out.append(f"{label[0]:<{lw}} " + " ".join(f"{cells[t['id']][i]:>{ws[i]}}" for i in block)
                       + (f" {alls[t['id']]:>{tw}}" if last else ""))
            out += [f"  {more}" for more in label[1:]]
    sections = table.get("sections") or {}
    denominators = ", ".join(f"{y} {sections[y]}" for y in years if sections.get(y) is not None)
    out += [""] + textwrap.wrap(f"Sections indexed per year: {denominators}.", width)
    if few_note(table):
        out += textwrap.wrap(few_note(table), width)
    return "\n".join(out)


def _blocks(ws: list[int], tw: int, lw: int, width: int) -> list[list[int]]:
    """The year columns (their widths ``ws``) in blocks that each fit ``width`` beside a label
    column of ``lw``, the last also holding the ``all`` column (``tw`` wide); one block when
    all fit, and never a block without a year."""
    blocks: list[list[int]] = [[]]
    used = lw
    for i, w in enumerate(ws):
        if blocks[-1] and used + w + 1 > width:
            blocks.append([])
            used = lw
        blocks[-1].append(i)
        used += w + 1
    if len(blocks[-1]) > 1 and used + tw + 1 > width:  # room for the "all" column
        blocks.append([blocks[-1].pop()])
    return blocks


def _label_lines(label: str, lw: int, room: int) -> list[str]:
    """A theme's label as its row shows it: a first line no wider than ``lw`` (the label
    column), broken between words, and the rest on a line of its own of up to ``room``
    columns; a word too long for its line is cut with "…", never split in two ("Criminal" /
    "exploitation, county lines", not "Criminal exp" / "loitation")."""
    first, _, rest = textwrap.fill(label, lw, break_long_words=False).partition("\n")
    lines = [first if len(first) <= lw else first[:lw - 1] + "…"]
    if rest:
        rest = " ".join(rest.split())
        lines.append(rest if len(rest) <= room else textwrap.shorten(rest, room, placeholder=" …"))
    return lines


def to_rows(table: dict, show_all: bool = False) -> list[list]:
    """Header and rows for a spreadsheet: theme, one column per year (empty for no document), total."""
    years = table["years"]
    head = ["Theme", *years, _header(table)]
    body = [[t["label"], *[t["counts"].get(y) for y in years], t.get("all", t["total"])] for t in rows(table, show_all)]
    sections = ["Sections that year", *[table["sections"].get(y) for y in years],
                table.get("all_sections", sum(v for v in table["sections"].values() if v))]
    # a board pack with an earlier year's report inside is a document of both years, once in all
    documents = ["Documents that year", *[table["documents_per_year"].get(y) for y in years], table["documents"]]
    few = [[f"Fewer than {FEW_SECTIONS} sections that year", *["yes" if y in table["few_sections"] else None
                                                              for y in years], None]] if table.get("few_sections") else []
    return [head, *body, sections, documents, *few]


def to_csv(table: dict, show_all: bool = False) -> str:
    """The table as CSV (UTF-8; a year with no document is an empty cell)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for r in to_rows(table, show_all):
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def write_xlsx(table: dict, path, show_all: bool = False) -> None:
    """The table as an Excel workbook (:func:`search.report.themes.write_rows_xlsx`)."""
    write_rows_xlsx(to_rows(table, show_all), path, "Themes by year")
