"""Words of one PDF page into lines in reading order: rows, gutters and columns.

Words are grouped into rows by baseline. Consecutive rows that share a vertical strip
of white space (a gutter) wider than a character form a band; when every side of the
gutter holds wrapped text, the band is read column by column (a sidebar is a column
of its own), otherwise row by row. Within a row, words are rejoined by position, so
a word drawn in two pieces, or out of order, comes back whole. A row keeps the wide
gaps between its words as cells (``segs``) for table detection.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ingest.readers.pdf_text import Piece, page_frame

# A gap wider than this many times the font size splits a line into table cells.
CELL_GAP = 1.6
# A gap narrower than this (times the font size) between two words out of stream order is
# a glyph gap inside one word, not a space.
_GLYPH_GAP = 0.12
# A gutter is at least this many times the body size wide, runs down at least this many
# rows, and every column beside it is at least this wide (in body sizes).
_GUTTER = 0.8
_MIN_BAND_ROWS = 4
_MIN_COLUMN = 6.0
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})


@dataclass
class Line:
    """One line of a PDF page as the layout reads it: its pieces, baseline, type size and weight."""

    page: int
    segs: list[list]  # [x0, x1, text] pieces split at wide gaps
    base: float       # distance of the baseline from the top of the page (in its frame)
    size: float
    bold: bool
    sizes: Counter
    hyphen: bool = False  # ended with a hyphen pdfium marked as a line-end hyphen
    text: str = ""
    column: tuple = ()    # (turn, band, column) the line was read in
    table: bool = False   # a row of a ruled table; segs are its cells

    @property
    def x0(self) -> float:
        """The left edge of the line's first piece."""
        return self.segs[0][0]

    @property
    def x1(self) -> float:
        """The right edge of the line's last piece."""
        return self.segs[-1][1]


def _rows(pieces: list[Piece]) -> list[list[Piece]]:
    """Cluster words into rows by baseline, top row first."""
    rows: list[list[Piece]] = []
    ref = 0.0
    for p in sorted(pieces, key=lambda p: -p.bottom):
        if rows and ref - p.bottom <= 0.6 * max(p.size, rows[-1][0].size, 4.0):
            rows[-1].append(p)
            continue
        rows.append([p])
        ref = p.bottom
    return rows


def _gaps(row: list[Piece], lo: float, hi: float, width: float) -> list[tuple[float, float]]:
    """The white intervals of a row between ``lo`` and ``hi`` at least ``width`` wide."""
    out = []
    x = lo
    for p in sorted(row, key=lambda p: p.x0):
        if p.x0 - x >= width:
            out.append((x, p.x0))
        x = max(x, p.x1)
    if hi - x >= width:
        out.append((x, hi))
    return out


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]], width: float) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= width:
                out.append((lo, hi))
    return out


def _interior(gaps, rows: list[list[Piece]]) -> list[tuple[float, float]]:
    """The gaps with text on both sides within the rows."""
    x0 = min(p.x0 for row in rows for p in row)
    x1 = max(p.x1 for row in rows for p in row)
    return [(a, b) for a, b in gaps if a > x0 + 0.5 and b < x1 - 0.5]


def _is_text_column(rows: list[list[Piece]], lo: float, hi: float, body: float) -> bool:
    """True when the words between ``lo`` and ``hi`` read as wrapped text, not table cells."""
    if hi - lo < _MIN_COLUMN * body:
        return False
    filled = [row for row in rows if any(lo <= (p.x0 + p.x1) / 2 < hi for p in row)]
    if len(filled) < 3:
        return False
    ends = [max(p.x1 for p in row if lo <= (p.x0 + p.x1) / 2 < hi) for row in filled]
    right = max(ends)
    starts = [min(p.x0 for p in row if lo <= (p.x0 + p.x1) / 2 < hi) for row in filled]
    left = min(starts)
    if right - left < _MIN_COLUMN * body:
        return False
    full = sum(1 for e in ends if e >= right - 0.25 * (right - left))
    return full >= 0.5 * len(filled)


def _bands(rows: list[list[Piece]], body: float) -> list[tuple[list[list[Piece]], list[float]]]:
    """Split rows into bands; each band comes with the x positions of its column breaks."""
    lo = min(p.x0 for row in rows for p in row) - 1
    hi = max(p.x1 for row in rows for p in row) + 1
    width = _GUTTER * body
    out: list[tuple[list[list[Piece]], list[float]]] = []
    band: list[list[Piece]] = []
    common: list[tuple[float, float]] = []

    def common_gaps(rows_: list[list[Piece]]) -> list[tuple[float, float]]:
        gaps = _gaps(rows_[0], lo, hi, width)
        for row in rows_[1:]:
            gaps = _intersect(gaps, _gaps(row, lo, hi, width), width)
        return _interior(gaps, rows_)

    def close() -> None:
        nonlocal band, common
        if not band:
            return
        # a first row that joined the band only by ending short (a title, the last line of
        # a paragraph) may hide a gutter the rows below share: read it on its own
        while len(band) > _MIN_BAND_ROWS and len(common_gaps(band[1:])) > len(_interior(common, band)):
            out.append(([band[0]], []))
            band = band[1:]
            common = common_gaps(band)
        cuts: list[float] = []
        gutters = _interior(common, band) if len(band) >= _MIN_BAND_ROWS else []
        if gutters:
            edges = [lo] + [x for g in gutters for x in g] + [hi]
            spans = [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]
            if all(_is_text_column(band, a, b, body) for a, b in spans):
                cuts = [(a + b) / 2 for a, b in gutters]
        out.append((list(band), cuts))

    for row in rows:
        gaps = _gaps(row, lo, hi, width)
        if band:
            joined = _intersect(common, gaps, width)
            if _interior(joined, band + [row]):
                band.append(row)
                common = joined
                continue
            close()
        band, common = [row], gaps
    close()
    return out


def _line(page: int, row: list[Piece], page_top: float, column: tuple) -> Line:
    """Rejoin the words of one row (left to right) into a line with cells."""
    row = sorted(row, key=lambda p: (p.x0, p.seq))
    segs: list[list] = []
    sizes: Counter = Counter()
    nbold = nchars = 0
    prev: Piece | None = None
    for p in row:
        text = p.text
        size = max(p.size, 1.0)
        if prev is None or p.x0 - prev.x1 > CELL_GAP * size:
            segs.append([p.x0, p.x1, text])
        else:
            gap = p.x0 - prev.x1
            in_stream = p.seq == prev.seq + 1
            spaced = (p.space_before and in_stream) or gap > _GLYPH_GAP * size
            segs[-1][2] += (" " + text) if spaced else text
            segs[-1][1] = max(segs[-1][1], p.x1)
        n = sum(p.sizes.values())
        sizes.update(p.sizes)
        nchars += n
        nbold += n if p.bold else 0
        prev = p
    for seg in segs:
        seg[2] = seg[2].strip().translate(_LIGATURES)
    segs = [s for s in segs if s[2]]
    bottom = max(p.bottom for p in row) if len(row) < 3 else sorted(p.bottom for p in row)[len(row) // 2]
    line = Line(page, segs, page_top - bottom, sizes.most_common(1)[0][0] if sizes else 0.0,
                nbold >= 0.85 * nchars if nchars else False, sizes, row[-1].hyphen, column=column)
    line.text = " ".join(s[2] for s in segs)
    return line


def page_lines(page: int, pieces: list[Piece], width: float, height: float, body: float) -> list[Line]:
    """The lines of one page in reading order: the main frame's text first, then turned text.

    ``body`` is the most common font size on the page, which sets how wide a gutter is.
    """
    by_turn: dict[int, list[Piece]] = {}
    for p in pieces:
        by_turn.setdefault(p.turn, []).append(p)
    order = sorted(by_turn, key=lambda t: -sum(len(p.chars) for p in by_turn[t]))
    out: list[Line] = []
    for turn in order:
        _, _, _, top = page_frame(turn, width, height)
        rows = _rows(by_turn[turn])
        for b, (band, cuts) in enumerate(_bands(rows, body)):
            if not cuts:
                out.extend(_line(page, row, top, (turn, -1, 0)) for row in band)
                continue
            bounds = [float("-inf")] + cuts + [float("inf")]
            for c in range(len(cuts) + 1):
                for row in band:
                    part = [p for p in row if bounds[c] <= (p.x0 + p.x1) / 2 < bounds[c + 1]]
                    if part:
                        out.append(_line(page, part, top, (turn, b, c)))
    return [ln for ln in out if ln.segs]


def body_size(pieces: list[Piece], default: float = 10.0) -> float:
    """The most common font size among the words."""
    sizes: Counter = Counter()
    for p in pieces:
        sizes.update(p.sizes)
    return sizes.most_common(1)[0][0] if sizes else default
