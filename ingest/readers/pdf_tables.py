"""Ruled tables in a PDF, read with pdfplumber on the pages that look like they hold one.

pdfplumber is about ten times slower than pypdfium2, so a page is first triaged with
pdfium: only a page whose path objects form a grid (rules across and down, or cell
boxes in rows and columns) with a row tall enough for wrapped cells is handed to
pdfplumber, which finds the table from those rulings and gives its rows and
cells with their positions. A table needs at least two rows and two columns; a box
drawn round a paragraph is not one. Tables without rulings, or whose rows are all one
line, are read from the gaps between words (see :mod:`ingest.readers.pdf_layout`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2.raw as pdfium_c

from ingest.readers.pdf_layout import Line

# Cell boxes a page must draw (in at least two rows and two columns) to hold a ruled table.
_MIN_BOXES = 4
# A table row taller than this many times the body size holds wrapped cells.
_TALL_ROW = 2.2


@dataclass
class Table:
    """One ruled table: its box (``x0, top, x1, bottom`` from the page's top left) and rows."""

    bbox: tuple[float, float, float, float]
    rows: list[tuple[float, list[tuple[float, float, str]]]]  # (bottom, [(x0, x1, text), ...])


def may_hold_table(page, size: float = 10.0) -> bool:
    """Cheap triage with pdfium: does the page draw a grid whose rows hold wrapped text?

    A grid is rules both ways, or cell boxes in rows and columns; a background, a banner
    or a box round a sidebar is not one. Only a grid with a row taller than two lines of
    ``size`` type (a cell that wraps) needs pdfplumber: a grid of one-line rows is read
    as well, and ten times faster, from the gaps between its words.
    """
    across: list[float] = []
    down = 0
    lefts: set[int] = set()
    tops: set[int] = set()
    tall = False
    boxes = 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if h < 3 and w > 15:
            across.append(round(bottom))
        elif w < 3 and h > 8:
            down += 1
        elif w > 10 and h > 8:
            boxes += 1
            lefts.add(round(left))
            tops.add(round(top))
            tall = tall or h > _TALL_ROW * size
    ruled = len(across) >= 2 and down >= 2
    if ruled and not tall:
        ys = sorted(set(across))
        tall = any(_TALL_ROW * size < b - a < 20 * size for a, b in zip(ys, ys[1:]))
    return tall and (ruled or (boxes >= _MIN_BOXES and len(lefts) >= 2 and len(tops) >= 2))


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def find_tables(path: Path, page_numbers: list[int]) -> dict[int, list[Table]]:
    """The ruled tables on the given pages (1-based), by page; empty when pdfplumber cannot read them."""
    if not page_numbers:
        return {}
    # lazy: pdfplumber loads only for PDF pages that hold tables
    import pdfplumber

    out: dict[int, list[Table]] = {}
    try:
        with pdfplumber.open(str(path), pages=page_numbers) as pdf:
            for page in pdf.pages:
                tables = []
                for found in page.find_tables():
                    rows = []
                    for row, texts in zip(found.rows, found.extract()):
                        cells = [(c[0], c[2], _clean(t)) if c else (0.0, 0.0, "")
                                 for c, t in zip(row.cells, texts)]
                        if any(t for _, _, t in cells):
                            rows.append((row.bbox[3], cells))
                    if len(rows) >= 2 and max(len(c) for _, c in rows) >= 2:
                        tables.append(Table(tuple(found.bbox), rows))
                if tables:
                    out[page.page_number] = tables
    except Exception:  # pdfplumber/pdfminer on arbitrary input: the pages are read without tables
        return {}
    return out


def inside(table: Table, x0: float, x1: float, bottom: float, top: float, page_h: float) -> bool:
    """True when a word's box (pdf space, y up) lies within the table."""
    tx0, ttop, tx1, tbottom = table.bbox
    cx, cy = (x0 + x1) / 2, page_h - (bottom + top) / 2
    return tx0 - 1 <= cx <= tx1 + 1 and ttop - 1 <= cy <= tbottom + 1


def table_lines(page: int, table: Table, size: float) -> list[Line]:
    """The table's rows as lines marked ``table``, each cell a segment (empty cells kept)."""
    lines = []
    for bottom, cells in table.rows:
        segs = [[x0, x1, text] for x0, x1, text in cells]
        line = Line(page, segs, bottom, size, False, Counter(), column=(0, -1, 0), table=True)
        line.text = " ".join(t for _, _, t in cells if t)
        lines.append(line)
    return lines


def place(lines: list[Line], table: Table, rows: list[Line]) -> list[Line]:
    """Insert a table's rows before the first upright line below the table's top that it overlaps."""
    tx0, ttop, tx1, _ = table.bbox
    for i, line in enumerate(lines):
        if line.column[:1] == (0,) and line.base > ttop and line.x0 < tx1 and line.x1 > tx0:
            return lines[:i] + rows + lines[i:]
    return lines + rows
