"""Read a PDF into blocks with pypdfium2: lines from characters, headings from fonts.

Characters come from the pdfium text page (two ctypes calls per character; angle, font
size and font name once per word), are grouped into lines by baseline, and lines into
headings, paragraphs, list items and table rows. The body font size is measured per
document. Running headers and footers (lines repeated at the top or bottom of at least
half the pages), bare page numbers and table-of-contents lines are dropped. Every
block carries its page. pdfplumber is not used: it is about ten times slower.
"""
from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block, IngestError, ReadResult
from ingest.clean import clean_inline, strip_bullet
from ingest.numbering import level_of, split_number

ENCRYPTED = "encrypted PDF: remove the password and ingest again"
NO_TEXT = "no text layer: scanned? OCR is not supported yet"

_BOLD_NAME = re.compile(r"bold|black|heavy", re.I)  # also matches SemiBold, ExtraBold
_FORCE_BOLD = 1 << 18  # font descriptor flag
_PAGE_NUM = re.compile(r"^[-\u2013\u2014 ]*(page\s+)?\d{1,4}(\s+(of|/)\s+\d{1,4})?[-\u2013\u2014 ]*$", re.I)
_DIGITS = re.compile(r"\d+")
_TOC = re.compile(r"(\.{4,}|\u2026{2,}|(\. ){3,}|_{4,})\s*\d{1,4}$")
_PAGE_REF = re.compile(r"(page\s*)?\d{1,3}", re.I)
_LETTERS = re.compile(r"[^\W\d_]{2}")
_TRAILING_NUM = re.compile(r"\s\d{1,3}$")
_CONTENTS = re.compile(r"^(table of )?contents:?$", re.I)
_END_STOP = re.compile(r"[.!?:;]['\"\u2019\u201d)]?$")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})
_SPACES = frozenset((9, 32, 0xA0, 0x2002, 0x2003, 0x2009, 0x202F))
_HYPHEN_MARK = 2  # pdfium replaces a hyphen that ends a line with U+0002

# A gap wider than this many times the font size splits a line into table cells.
_CELL_GAP = 1.6
# Headings set in larger type may run to this many words; bold body-size ones to fewer.
_MAX_HEADING_WORDS = 25
_MAX_BOLD_HEADING_WORDS = 12


@dataclass
class _Line:
    page: int
    segs: list[list]  # [x0, x1, text] pieces split at wide gaps
    base: float       # baseline-ish y, measured from the top of the page
    size: float
    bold: bool
    sizes: Counter
    hyphen: bool = False  # ended with a hyphen pdfium marked as a line-end hyphen
    text: str = ""

    @property
    def x0(self) -> float:
        return self.segs[0][0]

    @property
    def x1(self) -> float:
        return self.segs[-1][1]


@dataclass
class _Group:
    kind: str
    lines: list[_Line] = field(default_factory=list)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY) or "password" in str(e).lower():
            raise IngestError(ENCRYPTED) from None
        if code == pdfium_c.FPDF_ERR_FILE:
            raise IngestError("cannot read the file: it is missing or cannot be opened") from None
        m = re.search(r"PDFium: ([^)]*)", str(e))
        raise IngestError(f"corrupt PDF: {(m.group(1) if m else str(e)).strip().lower()}") from None
    except OSError:
        raise IngestError("cannot read the file: it is missing or cannot be opened") from None


class _Extractor:
    """Turns one pdfium text page into lines; keeps reusable ctypes buffers."""

    def __init__(self) -> None:
        self.rect = pdfium_c.FS_RECTF()
        self.matrix = pdfium_c.FS_MATRIX()
        self.namebuf = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.bold_cache: dict[bytes, bool] = {}

    def _font(self, tp, i: int) -> tuple[float, bool]:
        size = pdfium_c.FPDFText_GetFontSize(tp, i)
        if pdfium_c.FPDFText_GetMatrix(tp, i, self.matrix):
            m = self.matrix
            size *= math.sqrt(abs(m.a * m.d - m.b * m.c)) or 1.0
        pdfium_c.FPDFText_GetFontInfo(tp, i, self.namebuf, 256, ctypes.byref(self.flags))
        name = self.namebuf.value
        bold = self.bold_cache.get(name)
        if bold is None:
            bold = self.bold_cache[name] = bool(_BOLD_NAME.search(name.decode("latin-1")))
        return round(size * 2) / 2, bold or bool(self.flags.value & _FORCE_BOLD)

    def lines(self, textpage, page_no: int, page_h: float) -> list[_Line]:
        tp = textpage.raw
        n = pdfium_c.FPDFText_CountChars(tp)
        get_u = pdfium_c.FPDFText_GetUnicode
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        get_angle = pdfium_c.FPDFText_GetCharAngle
        rect = self.rect
        out: list[_Line] = []
        chars: list[str] = []
        segs: list[list] = []
        sizes: Counter = Counter()
        nbold = nchars = 0
        bottom = right = 0.0
        size, bold = 0.0, False
        word_start = True
        rotated = hyphen = False

        def flush() -> None:
            nonlocal chars, segs, sizes, nbold, nchars, hyphen
            if chars:
                segs.append([seg_x0, right, "".join(chars)])
            if segs and nchars:
                line_size = sizes.most_common(1)[0][0]
                out.append(_Line(page_no, segs, page_h - bottom, line_size,
                                 nbold >= 0.85 * nchars, sizes, hyphen))
            chars, segs, sizes = [], [], Counter()
            nbold = nchars = 0
            hyphen = False

        seg_x0 = 0.0
        for i in range(n):
            u = get_u(tp, i)
            if u == 13 or u == 10:
                flush()
                word_start = True
                continue
            if u in _SPACES:
                if chars and chars[-1] != " ":
                    chars.append(" ")
                word_start = True
                continue
            if u < 32 and u != _HYPHEN_MARK:
                continue
            fetched = False
            if word_start:
                word_start = False
                # text set at an angle (chart labels, margin notes) would break line grouping
                angle = get_angle(tp, i)
                rotated = 0.02 < angle < 2 * math.pi - 0.02
                if rotated:
                    continue
                size, bold = self._font(tp, i)
                fetched = True
            elif rotated:
                continue
            get_box(tp, i, rect)
            if nchars and (hyphen or abs(rect.bottom - bottom) > 0.6 * max(size, 4.0)):
                # a new baseline, or the character after a marked line-end hyphen
                flush()
                if not fetched:
                    size, bold = self._font(tp, i)
            if u == _HYPHEN_MARK:
                hyphen = True
                right = rect.right
                continue
            if not nchars:
                bottom = rect.bottom
                seg_x0 = rect.left
            elif rect.left - right > _CELL_GAP * size:
                if chars and chars[-1] == " ":
                    chars.pop()
                if chars:
                    segs.append([seg_x0, right, "".join(chars)])
                chars = []
                seg_x0 = rect.left
            elif rect.left - right > 0.2 * size and chars and chars[-1] != " ":
                chars.append(" ")  # a word gap pdfium did not mark with a space
            chars.append(chr(u))
            right = rect.right
            nchars += 1
            sizes[size] += 1
            if bold:
                nbold += 1
        flush()
        for line in out:
            for seg in line.segs:
                seg[2] = seg[2].strip().translate(_LIGATURES)
            line.segs = [s for s in line.segs if s[2]]
            line.text = " ".join(s[2] for s in line.segs)
        return [ln for ln in out if ln.segs]


def _norm(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def _edge_lines(lines: list[_Line], page_h: float) -> list[_Line]:
    """The first and last three lines of a page, if they lie in the top or bottom 15%."""
    by_y = sorted(lines, key=lambda ln: ln.base)
    picked = by_y[:3] + by_y[-3:]
    return [ln for ln in picked if ln.base < 0.15 * page_h or ln.base > 0.85 * page_h]


def _drop_furniture(pages: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
    edges = [_edge_lines(lines, h) for lines, h in zip(pages, heights)]
    seen: Counter = Counter()
    for page_edges in edges:
        seen.update({_norm(ln.text) for ln in page_edges})
    need = max(2, math.ceil(0.5 * len(pages)))
    out = []
    for lines, page_edges in zip(pages, edges):
        drop = {id(ln) for ln in page_edges if seen[_norm(ln.text)] >= need or _PAGE_NUM.match(ln.text)}
        out.append([ln for ln in lines if id(ln) not in drop])
    return out


def _mode(values, default: float) -> float:
    c = Counter(values)
    return c.most_common(1)[0][0] if c else default


def _join(lines: list[_Line]) -> str:
    """Join line texts, undoing hyphenation at line ends ("safe-" + "guarding")."""
    text = ""
    for i, line in enumerate(lines):
        t = line.text
        if i == 0:
            text = t
            continue
        prev = lines[i - 1]
        starts_lower = t[:1].islower()
        if prev.hyphen:
            text += t if starts_lower else "-" + t
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha() and starts_lower:
            text = text[:-1] + t
        else:
            text += " " + t
    if lines and lines[-1].hyphen:
        text += "-"
    return text


class _Layout:
    """Document-wide measures used to classify lines."""

    def __init__(self, pages: list[list[_Line]]) -> None:
        sizes: Counter = Counter()
        for lines in pages:
            for ln in lines:
                sizes.update(ln.sizes)
        self.body = sizes.most_common(1)[0][0] if sizes else 10.0
        deltas, widths = [], []
        for lines in pages:
            for a, b in zip(lines, lines[1:]):
                if self.is_body(a) and self.is_body(b) and 0 < b.base - a.base < 3 * self.body:
                    deltas.append(round((b.base - a.base) * 2) / 2)
            widths += [ln.x1 - ln.x0 for ln in lines if self.is_body(ln)]
        self.pitch = _mode(deltas, 1.2 * self.body)
        widths.sort()
        self.full_width = widths[int(0.9 * (len(widths) - 1))] if widths else 0.0

    def is_body(self, ln: _Line) -> bool:
        return abs(ln.size - self.body) < 1 and not ln.bold

    def styled(self, ln: _Line) -> bool:
        return ln.size >= self.body + 1 or ln.bold

    def short(self, ln: _Line) -> bool:
        return ln.x1 - ln.x0 < 0.7 * self.full_width


def _drop_toc(lines: list[_Line]) -> list[_Line]:
    """Remove table-of-contents lines: dot leaders, or a page number set apart at the end."""
    out: list[_Line] = []
    in_toc = False
    for line in lines:
        if _CONTENTS.match(line.text):
            in_toc = True
            continue
        numbered_end = len(line.segs) >= 2 and bool(_PAGE_REF.fullmatch(line.segs[-1][2]))
        ends_number = numbered_end or (in_toc and _TRAILING_NUM.search(line.text))
        if _TOC.search(line.text) or (ends_number and (in_toc or split_number(line.text)[0])):
            in_toc = True
            continue
        in_toc = False
        out.append(line)
    return out


def _starts_block(line: _Line, layout: _Layout) -> bool:
    return (layout.styled(line) or strip_bullet(line.text)[0]
            or split_number(line.text)[0] is not None or len(line.segs) > 1)


def _group(pages: list[list[_Line]], layout: _Layout) -> list[_Group]:
    groups: list[_Group] = []
    flat = _drop_toc([ln for lines in pages for ln in lines])
    cur: _Group | None = None
    for idx, line in enumerate(flat):
        prev = flat[idx - 1] if idx else None
        nxt = flat[idx + 1] if idx + 1 < len(flat) else None
        same_page = prev is not None and prev.page == line.page
        delta = line.base - prev.base if same_page else 0.0
        text = line.text
        bullet, _ = strip_bullet(text)
        number, rest = split_number(text)

        if len(line.segs) > 1 and not bullet and not (number and len(line.segs) == 2):
            cur = _Group(TABLE_ROW, [line])
            groups.append(cur)
            continue

        if layout.styled(line) and not bullet:
            if (cur is not None and cur.kind == HEADING and same_page and number is None
                    and abs(prev.size - line.size) < 0.5 and prev.bold == line.bold
                    and 0 < delta <= 1.8 * line.size):
                cur.lines.append(line)
                continue
            cur = _Group(HEADING, [line])
            groups.append(cur)
            continue

        if number is not None:
            words = len(rest.split())
            continues = (nxt is not None and nxt.page == line.page and not _starts_block(nxt, layout)
                         and 0 < nxt.base - line.base <= 1.4 * layout.pitch)
            if words <= 12 and not rest.endswith(".") and (layout.short(line) or not continues):
                cur = _Group(HEADING, [line])
                groups.append(cur)
                cur = None  # a number-only heading never takes a second line
                continue
            cur = _Group(PARAGRAPH, [line])
            groups.append(cur)
            continue

        if bullet:
            cur = _Group(LIST_ITEM, [line])
            groups.append(cur)
            continue

        if cur is not None and cur.kind in (PARAGRAPH, LIST_ITEM):
            last = cur.lines[-1]
            if same_page:
                ended = layout.short(last) and _END_STOP.search(last.text) and text[:1].isupper()
                follows = 0 < delta <= 1.4 * layout.pitch and not ended
                if cur.kind == LIST_ITEM:
                    follows = follows and line.x0 > cur.lines[0].x0 + 1
            else:
                follows = not _END_STOP.search(last.text) and text[:1].islower()
            if follows:
                cur.lines.append(line)
                continue
        cur = _Group(PARAGRAPH, [line])
        groups.append(cur)
    return groups


def _heading_levels(groups: list[_Group]) -> dict[float, int]:
    """Map font sizes to heading levels, calibrated on numbered headings of that size."""
    by_size: dict[float, Counter] = {}
    for g in groups:
        if g.kind == HEADING:
            number, _ = split_number(_join(g.lines))
            size = g.lines[0].size
            by_size.setdefault(size, Counter())
            if number:
                by_size[size][level_of(number)] += 1
    levels: dict[float, int] = {}
    calibrated = {s: c.most_common(1)[0][0] for s, c in by_size.items() if c}
    rank = sorted(by_size, reverse=True)
    for size in by_size:
        if size in calibrated:
            levels[size] = calibrated[size]
        elif calibrated:
            above = [lvl for s, lvl in calibrated.items() if s > size]
            levels[size] = max(above) + 1 if above else 1
        else:
            levels[size] = rank.index(size) + 1
    return levels


def _blocks(groups: list[_Group], layout: _Layout) -> list[Block]:
    levels = _heading_levels(groups)
    out: list[Block] = []
    for g in groups:
        page = g.lines[0].page
        if g.kind == TABLE_ROW:
            cells = [clean_inline(s[2]) for s in g.lines[0].segs]
            text = "; ".join(c for c in cells if c)
            if text:
                out.append(Block(TABLE_ROW, text, page=page, cells=cells))
            continue
        text = clean_inline(_join(g.lines))
        if not text:
            continue
        if g.kind == HEADING:
            number, rest = split_number(text)
            first = g.lines[0]
            by_font = layout.styled(first)
            limit = _MAX_HEADING_WORDS if first.size >= layout.body + 1 else _MAX_BOLD_HEADING_WORDS
            if len(rest.split()) <= limit and not rest.endswith(".") and _LETTERS.search(rest):
                level = level_of(number) if number else levels.get(first.size, 1)
                out.append(Block(HEADING, rest, page=page, level=level, number=number, strong=by_font))
                continue
            out.append(Block(PARAGRAPH, text, page=page))
            continue
        if g.kind == LIST_ITEM:
            text = strip_bullet(text)[1].strip()
            if text:
                out.append(Block(LIST_ITEM, text, page=page))
            continue
        out.append(Block(PARAGRAPH, text, page=page))
    return out


def read_pdf(path: Path) -> ReadResult:
    """Read a PDF file into blocks (``fmt="pdf"``, ``pages`` = page count)."""
    pdf = _open(Path(path))
    try:
        npages = len(pdf)
        if npages == 0:
            raise IngestError("corrupt PDF: the document has no pages")
        ext = _Extractor()
        pages: list[list[_Line]] = []
        heights: list[float] = []
        for i in range(npages):
            try:
                page = pdf[i]
            except pdfium.PdfiumError:
                raise IngestError(f"corrupt PDF: page {i + 1} cannot be read") from None
            try:
                height = page.get_height()
                textpage = page.get_textpage()
                try:
                    pages.append(ext.lines(textpage, i + 1, height))
                finally:
                    textpage.close()
            finally:
                page.close()
            heights.append(height)
    finally:
        pdf.close()
    if not any(pages):
        raise IngestError(NO_TEXT)
    pages = _drop_furniture(pages, heights)
    layout = _Layout(pages)
    blocks = _blocks(_group(pages, layout), layout)
    if not blocks:
        raise IngestError(NO_TEXT)
    return ReadResult(blocks=blocks, pages=npages, fmt="pdf")
