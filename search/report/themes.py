"""A table of rows (a header row, then a label and numbers) as an Excel workbook."""
from __future__ import annotations

from search.report.chart import NO_DOCUMENT


def write_rows_xlsx(rows: list[list], path, title: str) -> None:
    """Write ``rows`` to one sheet named ``title``: a bold header row, numbers as numbers and
    right-aligned, the label column wide enough, None as the no-document mark."""
    # lazy: openpyxl loads only to write a spreadsheet
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append([NO_DOCUMENT if v is None else v for v in r])
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=2, min_col=2):
        for c in row:
            c.alignment = Alignment(horizontal="right")
    ws.column_dimensions["A"].width = max(len(str(r[0])) for r in rows) + 2
    ws.freeze_panes = "B2"
    wb.save(str(path))
