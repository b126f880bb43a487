"""The reviewer's appendix (``sgsearch recur --check FILE -o appendix.docx``): one row per
checked recommendation with its verdict (made before, similar, new) and its best earlier
matches with year, score and citation; as Word (A4, a real table), Markdown or CSV."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from search.cite import citation, clean
from search.report._files import atomic, file_format
from search.report.briefing import csv_cell, md_escape
from search.vocab.years import UNDATED

TITLE = "Recommendations checked against earlier reports"
APPENDIX_MATCHES = 3  # earlier matches shown per recommendation
CSV_COLUMNS = ("no", "recommendation", "verdict", "made_before", "year", "score", "why", "kind", "text", "citation",
               "item_id")


def cite(m: dict) -> str:
    """A match's citation, as every other answer cites it."""
    return m.get("citation") or citation(m.get("title") or m.get("doc_id"), m.get("year"), m.get("number"),
                                         m.get("heading"), m.get("page"))


def made_before_line(summary: dict) -> str:
    """``7 of 12 recommendations were made before.``"""
    n, made = summary["items"], summary["made_before"]
    # the verb agrees with what is counted: "1 of 5 … was", "0 of 1 recommendation was", "0 of 5 … were"
    return f"{made} of {n} recommendation{'' if n == 1 else 's'} {'was' if 1 in (made, n) else 'were'} made before."


def others_line(summary: dict) -> str:
    """``Of the others: 3 similar, 2 new.``, or nothing when every one was made before."""
    rest = [f"{summary[k]} {k}" for k in ("similar", "new") if summary.get(k)]
    return f"Of the others: {', '.join(rest)}." if rest else ""


def total_line(summary: dict) -> str:
    """``7 of 12 recommendations were made before. Of the others: 3 similar, 2 new.``"""
    return f"{made_before_line(summary)} {others_line(summary)}".strip()


def left_out_line(summary: dict, keep: str | None = None) -> str | None:
    """What was left out because it is the checked document itself (or dated after it), or None.
    ``keep``: how the reader can keep them (the command line's option; a page or a file has none)."""
    own = summary.get("left_out") or []
    if not own:
        return None
    names = "; ".join(f"{d.get('title')} ({d.get('doc_id')})" for d in own)
    later = len(summary.get("later_left_out") or [])
    after = (f", and of the {later} report{'s' if later != 1 else ''} dated after it (nothing said later was "
             "said before it)") if later else ""
    return (f"Left out: the items of {names}, the checked document itself, already indexed{after}"
            + (f" ({keep} keeps them)." if keep else "."))


def verdict_key(threshold: float, min_score: float) -> str:
    """What the three verdicts mean, with the scores they rest on."""
    return (f"Made before: an earlier item scores {threshold:g} or more (what sgsearch recur groups). "
            f"Similar: only weaker matches ({min_score:g} to {threshold:g}), for a person to judge. "
            f"New: nothing earlier like it (the nearest earlier items, below {min_score:g}, may be listed). Scores are 0-100: how much two items share, rare concepts counting most.")


def write_appendix(checks: list[dict], summary: dict, path, fmt: str | None = None, source: str | None = None, *,
                   threshold: float, min_score: float) -> Path:
    """Write checked recommendations (each with ``verdict`` and cited ``matches``) as ``docx``,
    ``md`` or ``csv`` (default: from the extension); return the path. ``threshold`` and
    ``min_score`` are the scores the verdicts rest on (the key says them)."""
    path = Path(path)
    fmt = file_format(path, fmt, ("docx", "md", "csv"))
    key = verdict_key(threshold, min_score)
    with atomic(path) as tmp:
        if fmt == "csv":
            _csv(checks, tmp)
        elif fmt == "md":
            tmp.write_text(_md(checks, summary, source, key), encoding="utf-8")
        else:
            _docx(checks, summary, source, key, tmp)
    return path


def _csv(checks: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for n, c in enumerate(checks, start=1):
            made = "yes" if c.get("verdict") == "made before" else "no"
            for m in c.get("matches") or [None]:
                # the number in a column of its own, as Word and Markdown give it; a match's year as they say it
                row = [n, c["text"], c.get("verdict"), made]
                row += ([m.get("year") or UNDATED, m.get("score"), "; ".join(m.get("why") or []), m.get("kind"), m.get("text"),
                         cite(m), m.get("item_id")] if m else [""] * 7)
                w.writerow([csv_cell("" if v is None else v) for v in row])


def _match_head(m: dict) -> str:
    """``2016-17, score 52.3: `` (a passage a report said in passing says so)."""
    said = f" ({m['kind']})" if m.get("passage") else ""
    return f"{m.get('year') or UNDATED}, score {m.get('score')}{said}: "


def _match_line(m: dict) -> str:
    return f"{_match_head(m)}{m.get('text')} \u2014 {cite(m)}"


def _md(checks: list[dict], summary: dict, source: str | None, key: str) -> str:
    e = md_escape
    out = [f"# {TITLE}", ""]
    if source:
        out += [e(f"Checked: {source} ({date.today().isoformat()})"), ""]
    out += [e(total_line(summary)), ""]
    if left_out_line(summary):
        out += [e(left_out_line(summary)), ""]
    out += ["| No. | Recommendation | Verdict | Best earlier matches (year, score, citation) |", "|---|---|---|---|"]
    for n, c in enumerate(checks, start=1):
        found = "<br>".join(e(_match_line(m)) for m in (c.get("matches") or [])[:APPENDIX_MATCHES]) or "\u2014"
        out.append(f"| {n} | {e(c['text'])} | {e(c.get('verdict'))} | {found} |")
    out += ["", e(key), ""]
    return "\n".join(out)


def _docx(checks: list[dict], summary: dict, source: str | None, key: str, path: Path) -> None:
    # lazy: python-docx loads only when a Word file is written
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    doc.core_properties.title = TITLE
    doc.core_properties.author = "sgsearch"
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE  # A4 across: room for the matches column
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Mm(15)
    doc.add_heading(TITLE, level=1)
    if source:
        doc.add_paragraph(clean(f"Checked: {source} ({date.today().isoformat()})"))
    doc.add_paragraph(total_line(summary))
    if left_out_line(summary):
        doc.add_paragraph(clean(left_out_line(summary)))
    widths = [Mm(12), Mm(85), Mm(25), Mm(145)]
    table = doc.add_table(rows=1, cols=4)
    try:
        table.style = doc.styles["Table Grid"]
    except KeyError:
        pass  # a template without it: the table stays, unruled
    table.autofit = False
    header = ("No.", "Recommendation", "Verdict", "Best earlier matches (year, score, citation)")
    for cell, text, w in zip(table.rows[0].cells, header, widths):
        cell.width = w
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9)
    for n, c in enumerate(checks, start=1):
        cells = table.add_row().cells
        for cell, w in zip(cells, widths):
            cell.width = w
        for cell, text in zip(cells[:3], (str(n), clean(c["text"]), clean(c.get("verdict")))):
            cell.paragraphs[0].add_run(text).font.size = Pt(9)
        matches = (c.get("matches") or [])[:APPENDIX_MATCHES]
        if not matches:
            cells[3].paragraphs[0].add_run("\u2014").font.size = Pt(9)
        for k, m in enumerate(matches):
            para = cells[3].paragraphs[0] if k == 0 else cells[3].add_paragraph()
            # clean() trims each piece, so the spaces between the runs are added after it
            head = para.add_run(clean(_match_head(m)) + " ")
            head.bold = True
            head.font.size = Pt(9)
            para.add_run(clean(m.get("text")) + " ").font.size = Pt(9)
            tail = para.add_run("\u2014 " + clean(cite(m)))
            tail.italic = True
            tail.font.size = Pt(9)
    doc.add_paragraph(key).runs[0].font.size = Pt(8)
    doc.save(str(path))
