"""The briefing written as a file (Markdown, Word, CSV or JSON): data in, a file out.

:func:`export_briefing` takes the briefing :func:`search.export.build_briefing` makes. Report
text is data, not markup: every string is cleaned of control characters and terminal escape
sequences, and escaped for the output format (Markdown punctuation and HTML brackets in
Markdown; XML-illegal characters never reach python-docx; a CSV cell that Excel would run
as a formula is prefixed with ``'``).
"""
from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from search.cite import clean
from search.report._files import atomic, file_format
from search.report.chart import NO_DOCUMENT, plot_trace
from search.vocab.years import parse_year_label

FORMATS = ("md", "docx", "csv", "json")
# a briefing's format that cannot be written, asked for or read from the file's name
_WORDING = ("unknown export format {given!r}: use {names}",
                  "cannot tell the format of {path!r} from its extension: name the file {exts}, or give --format")
CSV_COLUMNS = ("year", "title", "publisher", "section_id", "number", "heading", "page", "citation", "quote")


def clean_tree(value):
    """:func:`clean` applied to every string of a JSON-like value."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: clean_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_tree(v) for v in value]
    return value


def _count(n, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def describe(scope: dict) -> str:
    """One sentence saying what the briefing covers."""
    if scope["query"]:
        what = f"sections matching \u201c{scope['query']}\u201d"
        if scope["query_themes"]:
            what += " (and sections tagged " + ", ".join(t["label"] for t in scope["query_themes"]) + ")"
        if scope["themes"]:
            what += " tagged " + " and ".join(t["label"] for t in scope["themes"])
    else:
        what = "sections tagged " + " or ".join(t["label"] for t in scope["themes"])
    if scope["from_year"] or scope["to_year"]:
        span = f"from {scope['from_year'] or 'the first year'} to {scope['to_year'] or 'the latest year'}"
    elif scope["years"]:
        span = f"{scope['years'][0]} to {scope['years'][1]}" if scope["years"][0] != scope["years"][1] \
            else scope["years"][0]
    else:
        span = "all years"
    n, d = scope["index_documents"], scope["documents"]
    where = f"in {d} of the {_count(n, 'indexed document')}" if d != n else (
        "in the one indexed document" if n == 1 else f"in all {n} indexed documents")
    text = f"{scope['sections']} {what} {where}, {span}."
    if scope["mode"] == "any":
        text += " No section has every word of the query, so sections with any of them are included."
    if scope["sections"] == 0 and scope["suggestions"]:
        text += " Did you mean: " + ", ".join(scope["suggestions"]) + "?"
    return text


def briefing_format(path, fmt: str | None) -> str:
    """The format a briefing is written in: ``fmt``, else the file's extension (a
    :class:`~search.errors.FormatError` when it is none of :data:`FORMATS`)."""
    return file_format(path, fmt, FORMATS, _WORDING)


def export_briefing(briefing: dict, path, fmt: str) -> Path:
    """Write ``briefing`` to ``path`` as ``md``, ``docx``, ``csv`` or ``json``; return the path.

    The file is written whole or not at all (a temporary file is renamed into place).
    """
    fmt = briefing_format(path, fmt)
    path = Path(path)
    b = clean_tree(briefing)  # a hand-made briefing gets the same cleaning as a built one
    with atomic(path) as tmp:
        if fmt == "md":
            tmp.write_text(to_markdown(b), encoding="utf-8")
        elif fmt == "json":
            tmp.write_text(json.dumps(b, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        elif fmt == "csv":
            _write_csv(b, tmp)
        else:
            _write_docx(b, tmp)
    return path


def _cell(v) -> str:
    """A table count as written: "—" for a year with no document."""
    return NO_DOCUMENT if v is None else str(v)


def _generated(scope: dict) -> str:
    n = scope.get("index_documents")
    source = f" from {_count(n, 'indexed document')}" if isinstance(n, int) else ""
    return f"Generated {scope.get('generated') or date.today().isoformat()} by sgsearch{source}."


def _left_out(table: dict) -> str:
    """What the table says when it keeps only the most frequent themes."""
    left = table.get("themes_left_out") or 0
    if not left:
        return ""
    shown = len(table.get("rows") or [])
    return (f"Only the {shown} themes with the most sections are shown; {_count(left, 'other tagged theme')} "
            f"{'is' if left == 1 else 'are'} left out (sgsearch themes lists them all).")


def _parts(source: dict) -> str:
    parts = source.get("parts") or []
    if not parts:
        return ""
    return "; quoted from " + ", ".join(f"{p.get('title')} ({p.get('year') or 'no year'})" for p in parts)


# Markdown ------------------------------------------------------------------------------

_MD_PUNCT = re.compile(r"([\\`*_|\[\]{}~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([#+=.)-])(?=\s|$)")


def md_escape(text) -> str:
    """Text shown literally in Markdown (GFM/CommonMark and HTML-passing renderers):
    Markdown punctuation backslash-escaped, ``<``/``>`` and entity-like ``&`` as entities,
    no line breaks, nothing at the start that would make a heading or a list."""
    t = clean(text)
    t = _MD_ENTITY.sub("&amp;", t)
    t = t.replace("<", "&lt;").replace(">", "&gt;")
    t = _MD_PUNCT.sub(r"\\\1", t)
    m = _MD_LINE_START.match(t)
    if m and (m.group(2) or m.group(3) not in ".)"):  # "# x", "- x", "+ x", "= x", "1. x", "1) x"
        t = t[:m.start(3)] + "\\" + t[m.start(3):]
    return t


def to_markdown(b: dict) -> str:
    """The briefing as Markdown."""
    e = md_escape
    scope = b.get("scope") or {}
    out = [f"# {e(b.get('title') or 'Briefing')}", ""]
    out += ["## Scope", "", e(scope.get("description", "")), ""]
    out += [e(_generated(scope)), ""]

    table = b.get("table") or {}
    years = table.get("years") or []
    rows = list(table.get("rows") or [])
    out += ["## Themes by year", ""]
    if years and (rows or table.get("query_row")):
        out += [" ".join(filter(None, ["Sections tagged with each theme in each financial year (a section counts once).",
                                       e(_left_out(table))])), ""]
        out.append("| Theme | " + " | ".join(e(y) for y in years) + " | Total |")
        out.append("|---|" + "---:|" * (len(years) + 1))
        for r in ([table["query_row"]] if table.get("query_row") else []) + rows:
            cells = [e(r.get("label") or r.get("id") or "")]
            cells += [e(_cell((r.get("counts") or {}).get(y, 0))) for y in years]
            cells.append(e(r.get("total", 0)))
            out.append("| " + " | ".join(cells) + " |")
    else:
        out.append("No theme tags in these years.")
    out.append("")

    out += ["## Passages by year", ""]
    groups = b.get("passages") or []
    if not groups:
        out += ["No sections match.", ""]
    for g in groups:
        shown = len(g.get("passages") or [])
        n = g.get("sections", shown)
        out += [f"### {e(g.get('year'))}", "",
                f"{e(n)} section{'s' if n != 1 else ''}" + (f", {shown} quoted" if shown < n else "") + ".", ""]
        for p in g.get("passages") or []:
            out += [f"> {e(p.get('quote'))}", "", f"\u2014 {e(p.get('citation'))}", ""]

    out += ["## Recurring items", ""]
    rec = b.get("recurring") or []
    if not rec:
        out += ["No recommendation, learning point or priority on this subject recurs across years.", ""]
    else:
        out += ["Items that say substantially the same thing in more than one year.", ""]
    for n, c in enumerate(rec, start=1):
        label = ", ".join(t.get("label") or t.get("id") for t in c.get("themes") or []) or "Recurring item"
        out += [f"### {n}. {e(label)} ({e(', '.join(c.get('years') or []))})", ""]
        for it in c.get("items") or []:
            kind = it.get("kind") or "item"
            status = f", {it['status']}" if it.get("status") else ""
            out.append(f"- **{e(it.get('year'))}** {e(kind + status)}: {e(it.get('text'))} "
                       f"\u2014 *{e(it.get('citation'))}*")
        out.append("")

    if b.get("sources"):
        out += ["## Sources", ""]
        for s in b["sources"]:
            pub = f", {s['publisher']}" if s.get("publisher") else ""
            out.append(f"- {e(s.get('title'))} ({e(s.get('year') or 'no year')}){e(pub)}{e(_parts(s))}")
        out.append("")
    return "\n".join(out)


# CSV ------------------------------------------------------------------------------------

def csv_cell(value) -> str:
    """A cleaned CSV cell; one that Excel would read as a formula is prefixed with ``'``."""
    t = clean(value)
    return "'" + t if t[:1] in ("=", "+", "-", "@") else t


def _write_csv(b: dict, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for g in b.get("passages") or []:
            for p in g.get("passages") or []:
                w.writerow({k: csv_cell(p.get(k) if p.get(k) is not None else "") for k in CSV_COLUMNS})


# Word -----------------------------------------------------------------------------------

def _style(doc, *names):
    for name in names:
        try:
            return doc.styles[name]
        except KeyError:
            continue
    return None


def _write_docx(b: dict, path: Path) -> None:
    c = clean
    doc = Document()
    doc.core_properties.title = c(b.get("title"))[:255]
    doc.core_properties.author = "sgsearch"
    scope = b.get("scope") or {}
    table = b.get("table") or {}
    years = table.get("years") or []
    usable = _page_setup(doc, len(years))
    _style_headings(doc)
    doc.add_heading(c(b.get("title") or "Briefing"), level=1)
    cover = doc.add_paragraph()
    cover_run = cover.add_run(c(_cover_line(scope)))
    cover_run.font.size, cover_run.font.color.rgb = Pt(9), RGBColor(0x55, 0x55, 0x55)

    doc.add_heading("Scope", level=2)
    doc.add_paragraph(c(scope.get("description")))
    doc.add_paragraph(c(_generated(scope)))

    doc.add_heading("Themes by year", level=2)
    rows = ([table["query_row"]] if table.get("query_row") else []) + list(table.get("rows") or [])
    if years and rows:
        doc.add_paragraph("Sections tagged with each theme in each financial year (a section counts once; "
                          f"{NO_DOCUMENT} no document that year). {_left_out(table)}".rstrip())
        _docx_table(doc, years, rows, usable)
    else:
        doc.add_paragraph("No theme tags in these years.")
    _docx_chart(doc, b, usable, path)

    doc.add_heading("Passages by year", level=2)
    groups = b.get("passages") or []
    if not groups:
        doc.add_paragraph("No sections match.")
    quote_style = _style(doc, "Quote", "Intense Quote")
    for g in groups:
        doc.add_heading(c(g.get("year")), level=3)
        shown = len(g.get("passages") or [])
        n = g.get("sections", shown)
        doc.add_paragraph(f"{n} section{'s' if n != 1 else ''}" + (f", {shown} quoted" if shown < n else "") + ".")
        for p in g.get("passages") or []:
            q = doc.add_paragraph(c(p.get("quote")))
            if quote_style is not None:
                q.style = quote_style
            cite = doc.add_paragraph()
            run = cite.add_run("\u2014 " + c(p.get("citation")))
            run.italic = True

    doc.add_heading("Recurring items", level=2)
    rec = b.get("recurring") or []
    doc.add_paragraph("Items that say substantially the same thing in more than one year." if rec else
                      "No recommendation, learning point or priority on this subject recurs across years.")
    for n, cl in enumerate(rec, start=1):
        label = ", ".join(t.get("label") or t.get("id") for t in cl.get("themes") or []) or "Recurring item"
        doc.add_heading(c(f"{n}. {label} ({', '.join(cl.get('years') or [])})"), level=3)
        for it in cl.get("items") or []:
            para = doc.add_paragraph(style=_style(doc, "List Bullet"))
            kind = (it.get("kind") or "item") + (f", {it['status']}" if it.get("status") else "")
            para.add_run(c(it.get("year"))).bold = True
            para.add_run(f" {c(kind)}: {c(it.get('text'))} ")
            para.add_run("\u2014 " + c(it.get("citation"))).italic = True

    if b.get("sources"):
        doc.add_heading("Sources", level=2)
        for s in b["sources"]:
            pub = f", {s['publisher']}" if s.get("publisher") else ""
            doc.add_paragraph(c(f"{s.get('title')} ({s.get('year') or 'no year'}){pub}{_parts(s)}"),
                              style=_style(doc, "List Bullet"))
    doc.save(str(path))


# Word layout: A4, columns sized to their content, a chart, styled headings ----------------

_A4 = (Mm(210), Mm(297))
_MARGIN = Mm(20)
# a year column holds "2016-17" in bold 9 pt on one line; the label column keeps a theme
# label to two lines at most ("Neglect" never breaks)
_YEAR_COL, _TOTAL_COL, _MIN_LABEL_COL = Mm(19), Mm(15), Mm(45)
_FY = re.compile(r"\d{4}-\d{2}")


def _page_setup(doc, n_years: int):
    """A4 (landscape when the theme table would leave its label column too narrow);
    return the usable width between the margins."""
    sec = doc.sections[0]
    width, height = _A4
    if width - 2 * _MARGIN - _TOTAL_COL - n_years * _YEAR_COL < _MIN_LABEL_COL:
        sec.orientation, width, height = WD_ORIENT.LANDSCAPE, height, width
    sec.page_width, sec.page_height = width, height
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = _MARGIN
    return width - 2 * _MARGIN


def _style_headings(doc) -> None:
    """Headings in one dark blue family, sized by level; body text 10.5 pt."""
    sizes = {"Title": 22, "Heading 1": 18, "Heading 2": 14, "Heading 3": 12}
    for name, size in sizes.items():
        style = _style(doc, name)
        if style is not None:
            style.font.size, style.font.bold = Pt(size), True
            style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    normal = _style(doc, "Normal")
    if normal is not None:
        normal.font.size = Pt(10.5)


def _cover_line(scope: dict) -> str:
    """One line under the title: scope and counts (the date is said once, under Scope; the
    index's folder never: it is a path on the writer's own computer)."""
    what = scope.get("query") and f"\u201c{scope['query']}\u201d" or ", ".join(
        t.get("label") for t in scope.get("themes") or []) or "briefing"
    years = scope.get("years") or []
    span = f"{years[0]} to {years[-1]}" if len(years) == 2 and years[0] != years[1] else (years[0] if years else "all years")
    if scope.get("from_year") or scope.get("to_year"):
        span = f"{scope.get('from_year') or 'first year'} to {scope.get('to_year') or 'latest year'}"
    return (f"Scope: {what}, {span} \u00b7 {_count(scope.get('sections') or 0, 'section')} in "
            f"{_count(scope.get('documents') or 0, 'document')} of {scope.get('index_documents') or 0} indexed")


def _docx_table(doc, years: list[str], rows: list[dict], usable) -> None:
    """The theme table: the label column takes what the year columns leave, years narrow."""
    t = doc.add_table(rows=1, cols=len(years) + 2)
    style = _style(doc, "Light Grid Accent 1", "Table Grid")
    if style is not None:
        t.style = style
    t.autofit = False
    # more years than even a landscape page holds at full width: narrower year columns,
    # headed by the short form (08-09), so the label column keeps its minimum
    year_col = min(_YEAR_COL, int((usable - _TOTAL_COL - _MIN_LABEL_COL) / len(years)))
    widths = [usable - _TOTAL_COL - len(years) * year_col, *[year_col] * len(years), _TOTAL_COL]
    for col, w in zip(t.columns, widths):
        col.width = w
    header = ["Theme", *(years if year_col == _YEAR_COL else [y[2:] if _FY.fullmatch(y) else y for y in years]), "Total"]
    body = [[r.get("label") or r.get("id"), *[_cell((r.get("counts") or {}).get(y, 0)) for y in years],
             r.get("total", 0)] for r in rows]
    for n, values in enumerate([header, *body]):
        cells = t.rows[0].cells if n == 0 else t.add_row().cells
        for i, (cell, v) in enumerate(zip(cells, values)):
            cell.width = widths[i]
            cell.text = ""
            run = cell.paragraphs[0].add_run(clean(v))
            run.font.size = Pt(9)
            run.bold = n == 0 or None
            if i:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _docx_chart(doc, b: dict, usable, path: Path) -> None:
    """The passages' sections per year as a bar chart (every year of the table shown)."""
    groups = b.get("passages") or []
    if not groups:
        return
    scope = b.get("scope") or {}
    table = b.get("table") or {}
    tagged = [t.get("label") for t in scope.get("query_themes" if scope.get("query") else "themes") or []]
    data = {"query": scope.get("query"), "theme": None, "tagged": tagged,
            "years": [{"year": g["year"], "sections": g.get("sections", 0), "documents": g.get("documents", 0)}
                      for g in groups]}
    years = [y for y in table.get("years") or [] if parse_year_label(y) is not None] or None  # a chart of years
    png = path.with_name(f".{path.name}.chart.png")
    try:
        plot_trace(data, png, all_years=years,
                   indexed=[y for y in years if y not in (table.get("no_document") or [])] if years else None)
        doc.add_heading("Sections per year", level=2)
        doc.add_picture(str(png), width=min(usable, Mm(165)))
    finally:
        if png.exists():
            png.unlink()
