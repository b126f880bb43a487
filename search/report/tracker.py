"""The recommendation tracker (``sgsearch recur -o tracker.xlsx``) as Excel or CSV."""
from __future__ import annotations

import csv
from pathlib import Path

from search.cite import clean
from search.report._files import atomic, file_format
from search.report.briefing import csv_cell

_WIDTHS = {"Theme": 28, "Recommendation (latest wording)": 60, "First raised in": 30, "Last raised in": 30,
           "Status history": 28, "Citations": 70, "Item ids": 30}

# the columns of a partnership's action-plan tracker, one row per recurring group
TRACKER_COLUMNS = (
    "Ref", "Theme", "Recommendation (latest wording)", "First raised", "First raised in", "Last raised",
    "Last raised in", "Times raised", "Documents", "Years", "Kinds", "Latest status", "Status history",
    "Citations", "Item ids",
)


def write_tracker(rows: list[dict], path, fmt: str | None = None) -> Path:
    """Write tracker rows (:func:`search.recur.tracker.tracker_rows`) as ``xlsx`` or ``csv``
    (default: from the extension); one row per recurring recommendation, columns named."""
    path = Path(path)
    fmt = file_format(path, fmt, ("xlsx", "csv"))
    with atomic(path) as tmp:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(TRACKER_COLUMNS)
                for r in rows:
                    w.writerow([_csv_value(r.get(c)) for c in TRACKER_COLUMNS])
        else:
            _xlsx(rows, tmp)
    return path


def _csv_value(value) -> str:
    """A CSV cell keeping its line breaks (one citation a line, as in the workbook), each line
    cleaned and the cell never read as a formula."""
    lines = ("" if value is None else str(value)).split("\n")
    return "\n".join([csv_cell(lines[0])] + [clean(line) for line in lines[1:]])


def _xlsx(rows: list[dict], path: Path) -> None:
    # lazy: openpyxl loads only when a workbook is written
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append(list(TRACKER_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        values = []
        for c in TRACKER_COLUMNS:
            v = r.get(c)
            if isinstance(v, str):  # keep line breaks between citations; text never a formula
                v = "\n".join(clean(line) for line in v.split("\n"))
                v = "'" + v if v[:1] == "=" else v
            values.append(v)
        ws.append(values)
    for n, name in enumerate(TRACKER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = _WIDTHS.get(name, 12)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(str(path))
