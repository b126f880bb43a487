"""Read a PDF into blocks with pypdfium2: lines from characters, headings from fonts.

Words come from the pdfium text page turned upright (:mod:`ingest.readers.pdf_text`)
and are set into lines in reading order, column by column (:mod:`ingest.readers.pdf_layout`);
lines become headings, paragraphs, list items and table rows. The body font size is
measured per document. Running headers and footers (lines repeated at the top or
bottom of at least half the pages), copyright lines, bare page numbers and
table-of-contents lines are dropped; captions, table cells and headings cut short are
never headings; ``I.``/``A.`` style numbered headings are. Every block carries its page.
"""
from __future__ import annotations

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
from ingest.readers import ocr as ocr_mod
from ingest.readers.pdf_layout import Line, body_size, page_lines
from ingest.readers.pdf_tables import find_tables, inside, may_hold_table, place, table_lines
from ingest.readers.pdf_text import Extractor, Piece, page_frame
from ingest.shape import is_contents_heading

ENCRYPTED = "encrypted PDF: it needs a password to open; save a copy without the password and use that"
NO_TEXT = "no text layer: scanned? OCR is off (use --ocr auto)"
NO_PAGES = "corrupt PDF: the document has no pages"

_PAGE_NUM = re.compile(r"^[-\u2013\u2014 ]*(page\s+)?\d{1,4}(\s+(of|/)\s+\d{1,4})?[-\u2013\u2014 ]*$", re.I)
_DIGITS = re.compile(r"\d+")
_TOC = re.compile(r"(\.{4,}|[.\u2026]{3,}|(\. ){3,}|_{4,})\s*(\d{1,4}|[ivxlc]{1,7})$", re.I)
# Copyright and rights lines are furniture wherever they stand at the top or bottom of a page.
_RIGHTS = re.compile(r"^\W*(\u00a9|\(c\)\s|copyright\b)|all rights reserved", re.I)
# Captions and labels: never headings, whatever their font.
_CAPTION = re.compile(r"^(figure|fig\.|table|chart|graph|diagram|image|photo|source)\s*(\d+[a-z]?\s*[.:)\u2013-]?|:)(\s|$)", re.I)
# Roman and letter numbered headings: "I. Introduction", "IV. Results", "A. Method".
_LABEL_HEADING = re.compile(r"^(?P<label>[IVX]{1,5}|[A-H])\.\s+(?P<rest>[A-Z\u2018\u201c\"'].*)$")
_PAGE_REF = re.compile(r"(page\s*)?\d{1,3}", re.I)
_LETTERS = re.compile(r"[^\W\d_]{2}")
_TRAILING_NUM = re.compile(r"\s\d{1,3}$")
_END_STOP = re.compile(r"[.!?:;]['\"\u2019\u201d)]?$")

# Headings set in larger type may run to this many words; bold body-size ones to fewer.
_MAX_HEADING_WORDS = 25
_MAX_BOLD_HEADING_WORDS = 12


@dataclass
class _Group:
    kind: str
    lines: list[Line] = field(default_factory=list)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        # pdfium's last error is not reset by a failure that sets none (a PDF with no pages):
        # such a failure reads as the previous file's, so "encrypted" is believed only of a
        # file that has an encryption dictionary
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY) and _has_encryption(path):
            return _open_unlocked(path)
        if code == pdfium_c.FPDF_ERR_FILE:
            raise IngestError("cannot read the file: it is missing or cannot be opened") from None
        if code in (pdfium_c.FPDF_ERR_FORMAT, pdfium_c.FPDF_ERR_PAGE):
            m = re.search(r"PDFium: ([^)]*)", str(e))
            raise IngestError(f"corrupt PDF: {(m.group(1) if m else str(e)).strip().lower()}") from None
        raise IngestError(NO_PAGES if _page_count(path) == 0 else "corrupt PDF: it cannot be opened") from None
    except OSError:
        raise IngestError("cannot read the file: it is missing or cannot be opened") from None


def _has_encryption(path: Path) -> bool:
    """Whether the file names an encryption dictionary (``/Encrypt`` in a trailer or an
    xref stream's dictionary, which are never compressed), read a chunk at a time."""
    tail = b""
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                if b"/Encrypt" in tail + chunk:
                    return True
                tail = chunk[-8:]
    except OSError:
        return False
    return False


def _page_count(path: Path) -> int | None:
    """The pages pdfminer finds in a PDF pdfium would not open, or None when it cannot tell."""
    # lazy: pdfminer loads only for a PDF pdfium refused
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with open(path, "rb") as fh:
            return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(fh))))
    except Exception:  # noqa: BLE001 - any failure means: it cannot tell
        return None


def _open_unlocked(path: Path) -> pdfium.PdfDocument:
    """A PDF pdfium refused for its password: opened with the empty password (tried outright,
    then with its permissions check mended, see :mod:`ingest.readers.pdf_crypt`), else refused."""
    # lazy: pdfminer and cryptography load only for an encrypted file
    from ingest.readers.pdf_crypt import unlocked

    try:
        return pdfium.PdfDocument(str(path), password="")
    except pdfium.PdfiumError:
        pass
    data = unlocked(path)
    if data is not None:
        try:
            return pdfium.PdfDocument(data, password="")
        except pdfium.PdfiumError:
            pass
    raise IngestError(ENCRYPTED) from None


def _norm(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def _edge_lines(lines: list[Line], page_h: float) -> list[Line]:
    """The first and last three lines of a page, if they lie in the top or bottom 15%."""
    by_y = sorted(lines, key=lambda ln: ln.base)
    picked = by_y[:3] + by_y[-3:]
    return [ln for ln in picked if ln.base < 0.15 * page_h or ln.base > 0.85 * page_h]


def _drop_furniture(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    edges = [_edge_lines(lines, h) for lines, h in zip(pages, heights)]
    seen: Counter = Counter()
    for page_edges in edges:
        seen.update({_norm(ln.text) for ln in page_edges})
    need = max(2, math.ceil(0.5 * len(pages)))
    out = []
    for lines, page_edges in zip(pages, edges):
        drop = {id(ln) for ln in page_edges
                if seen[_norm(ln.text)] >= need or _PAGE_NUM.match(ln.text) or _RIGHTS.search(ln.text)}
        out.append([ln for ln in lines if id(ln) not in drop])
    return out


_BARE_NUM = re.compile(r"\d{1,4}")
_LEADING_NUM = re.compile(r"(\d{1,4})\s+(?=\S)")


def _strip_page_numbers(pages: list[list[Line]], heights: list[float]) -> None:
    """Take printed page numbers off the lines they share with a heading or header.

    A page number set on the same line as a heading ("12   Safer Partnership") would be
    read as its section number. The printed numbers are told by their offset from the page
    index, the same on at least two pages (bare number lines and number cells at the
    page's edges); a number cell at either end of an edge line that fits it is removed.
    A number run into the line's first words is removed only on a page that shows its
    number nowhere else, when other pages confirm the offset.
    """
    offsets: Counter = Counter()
    bare_pages: set[int] = set()
    for lines, h in zip(pages, heights):
        seen = set()
        for ln in _edge_lines(lines, h):
            ends = [ln.segs[0][2], ln.segs[-1][2]] if len(ln.segs) > 1 else []
            if _PAGE_NUM.match(ln.text):
                ends.append(_DIGITS.findall(ln.text)[0])  # "Page 3 of 10": 3
                bare_pages.add(ln.page)
            seen.update(int(t) - ln.page for t in ends if _BARE_NUM.fullmatch(t))
        offsets.update(seen)
    if not offsets:
        return
    offset, count = offsets.most_common(1)[0]
    if count < 2:
        return
    for lines, h in zip(pages, heights):
        for ln in _edge_lines(lines, h):
            printed = str(ln.page + offset)
            if len(ln.segs) > 1 and ln.segs[0][2] == printed:
                del ln.segs[0]
            elif len(ln.segs) > 1 and ln.segs[-1][2] == printed:
                del ln.segs[-1]
            else:
                m = _LEADING_NUM.match(ln.segs[0][2])
                if not (m and m.group(1) == printed and ln.page not in bare_pages):
                    continue
                ln.segs[0][2] = ln.segs[0][2][m.end():]
            ln.text = " ".join(s[2] for s in ln.segs)


def _mode(values, default: float) -> float:
    c = Counter(values)
    return c.most_common(1)[0][0] if c else default


def _join(lines: list[Line]) -> str:
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

    def __init__(self, pages: list[list[Line]]) -> None:
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

    def is_body(self, ln: Line) -> bool:
        return abs(ln.size - self.body) < 1 and not ln.bold

    def styled(self, ln: Line) -> bool:
        return ln.size >= self.body + 1 or ln.bold

    def short(self, ln: Line) -> bool:
        return ln.x1 - ln.x0 < 0.7 * self.full_width


def _drop_toc(lines: list[Line]) -> list[Line]:
    """Remove table-of-contents lines: dot leaders, or a page number set apart at the end."""
    out: list[Line] = []
    in_toc = False
    for line in lines:
        if is_contents_heading(line.text):
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


def _starts_block(line: Line, layout: _Layout) -> bool:
    return (layout.styled(line) or strip_bullet(line.text)[0]
            or split_number(line.text)[0] is not None or len(line.segs) > 1)


def _group(pages: list[list[Line]], layout: _Layout) -> list[_Group]:
    groups: list[_Group] = []
    flat = _drop_toc([ln for lines in pages for ln in lines])
    cur: _Group | None = None
    for idx, line in enumerate(flat):
        prev = flat[idx - 1] if idx else None
        nxt = flat[idx + 1] if idx + 1 < len(flat) else None
        # lines in the same column of the same page flow by position; across a page or a
        # column break only the words can say whether a paragraph goes on
        same_page = prev is not None and prev.page == line.page and prev.column == line.column
        delta = line.base - prev.base if same_page else 0.0
        text = line.text
        bullet, _ = strip_bullet(text)
        number, rest = split_number(text)

        if line.table or (len(line.segs) > 1 and not bullet and not (number and len(line.segs) == 2)):
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

        continues = (nxt is not None and nxt.page == line.page and nxt.column == line.column
                     and not _starts_block(nxt, layout) and 0 < nxt.base - line.base <= 1.4 * layout.pitch)
        label = _LABEL_HEADING.match(text)
        if (label and len(text.split()) <= 10 and not text.endswith(".")
                and (layout.short(line) or not continues)):
            cur = _Group(HEADING, [line])
            groups.append(cur)
            cur = None
            continue

        if number is not None:
            words = len(rest.split())
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
    _demote_cells(groups, layout)
    return groups


def _demote_cells(groups: list[_Group], layout: _Layout) -> None:
    """Bold body-size lines set against a table row are its cells (a wrapped header), not headings."""
    for i, g in enumerate(groups):
        if g.kind != HEADING or len(g.lines) != 1 or g.lines[0].size >= layout.body + 1:
            continue
        line = g.lines[0]
        if split_number(line.text)[0] is not None or _LABEL_HEADING.match(line.text):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(groups) and groups[j].kind == TABLE_ROW:
                other = groups[j].lines[0] if j > i else groups[j].lines[-1]
                if (other.page == line.page and other.column == line.column
                        and abs(other.base - line.base) <= 1.5 * layout.pitch):
                    g.kind = TABLE_ROW
                    break


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


def _closed(text: str) -> bool:
    """False for a heading cut short: open brackets, or ending on a dash or a joining word."""
    return (text.count("(") <= text.count(")") and text.count("[") <= text.count("]")
            and not re.search(r"[-\u2013\u2014(/&,]$|\b(and|or|of|the|to|for|in|with)$", text, re.I))


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
            if (len(rest.split()) <= limit and not rest.endswith(".") and _LETTERS.search(rest)
                    and not _CAPTION.match(rest) and _closed(rest)):
                label = None if number else _LABEL_HEADING.match(rest)
                if label and not by_font:
                    level = 1 if label.group("label")[0] in "IVX" else 2
                else:
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


def _cover(rects, width: float, height: float) -> float:
    """The share of a ``width`` × ``height`` page that rectangles (x0, y0, x1, y1) cover, at most 1
    (an estimate: where rectangles overlap, the overlap counts twice)."""
    area = sum(min(abs(x1 - x0), width) * min(abs(y1 - y0), height) for x0, y0, x1, y1 in rects)
    return min(1.0, area / (width * height)) if width > 0 and height > 0 else 0.0


def _scanned(page, pieces, width: float, height: float) -> bool:
    """Whether a page is a scan for OCR: no text layer, or one that covers next to nothing of a
    page that images cover (a page number or stamp on a scan); see :func:`ocr.is_scan`."""
    if not pieces:
        return True
    text = _cover(((p.x0, p.bottom, p.x1, p.top) for p in pieces), width, height)
    if text >= ocr_mod.SCAN_TEXT_COVER:
        return False  # plainly a page of text: its images are not looked at
    images = _cover((o.get_bounds() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)),
                    width, height)
    return ocr_mod.is_scan(text, images)


def _text_pieces(ext: Extractor, page) -> list[Piece]:
    """The words of a page's text layer (its text page closed again)."""
    textpage = page.get_textpage()
    try:
        return ext.pieces(textpage)
    finally:
        textpage.close()


def scan_pages(path: str | Path) -> list[int]:
    """The pages (1-based) that ``--ocr auto`` reads by OCR: those :func:`_scanned` finds."""
    pdf = _open(Path(path))
    try:
        ext = Extractor()
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                if _scanned(page, _text_pieces(ext, page), page.get_width(), page.get_height()):
                    out.append(i + 1)
            finally:
                page.close()
        return out
    finally:
        pdf.close()


def read_pdf(path: Path, ocr: str = "auto") -> ReadResult:
    """Read a PDF file into blocks (``fmt="pdf"``, ``pages`` = page count).

    ``ocr``: ``auto`` reads scanned pages by OCR when Tesseract is installed (a page with no
    text layer, or whose text layer is only a page number or stamp on a page-sized image),
    ``always`` reads every page by OCR, ``never`` reads none.
    """
    if ocr not in ocr_mod.MODES:
        raise ValueError(f"ocr must be one of {', '.join(ocr_mod.MODES)}")
    can_ocr: bool | None = None  # looked up when a page first needs it
    ocr_pages: list[int] = []
    pdf = _open(Path(path))
    try:
        props = pdf.get_metadata_dict()
        npages = len(pdf)
        if npages == 0:
            raise IngestError(NO_PAGES)
        ext = Extractor()
        raw: list[tuple[list, float, float, bool]] = []
        for i in range(npages):
            try:
                page = pdf[i]
            except pdfium.PdfiumError:
                raise IngestError(f"corrupt PDF: page {i + 1} cannot be read") from None
            try:
                width, height = page.get_width(), page.get_height()
                pieces = _text_pieces(ext, page)
                if ocr == "always" or (ocr == "auto" and _scanned(page, pieces, width, height)):
                    if can_ocr is None:
                        can_ocr = ocr_mod.available()
                    if can_ocr:
                        read = ocr_mod.page_pieces(page, height)
                        if read or not pieces:  # OCR that reads nothing leaves the text layer's words
                            pieces = read
                            ocr_pages.append(i + 1)
                ruled = bool(pieces) and may_hold_table(page, body_size(pieces))
            finally:
                page.close()
            raw.append((pieces, width, height, ruled))
    finally:
        pdf.close()
    tables = find_tables(Path(path), [i + 1 for i, r in enumerate(raw) if r[3]])
    pages: list[list[Line]] = []
    heights: list[float] = []
    for i, (pieces, width, height, _) in enumerate(raw):
        body = body_size(pieces)
        page_tables = tables.get(i + 1, [])
        if page_tables:
            pieces = [p for p in pieces if not (p.turn == 0 and any(
                inside(t, p.x0, p.x1, p.bottom, p.top, height) for t in page_tables))]
        lines = page_lines(i + 1, pieces, width, height, body)
        for t in page_tables:
            lines = place(lines, t, table_lines(i + 1, t, body))
        turn = lines[0].column[0] if lines else 0
        _, bottom, _, top = page_frame(turn, width, height)
        pages.append(lines)
        heights.append(top - bottom)
    if not any(pages):
        if ocr_pages:
            raise IngestError("no text layer, and OCR found no words on the scanned pages")
        raise IngestError("no text layer: scanned? " + ocr_mod.INSTALL if ocr != "never" and can_ocr is False
                          else NO_TEXT)
    _strip_page_numbers(pages, heights)
    pages = _drop_furniture(pages, heights)
    layout = _Layout(pages)
    blocks = _blocks(_group(pages, layout), layout)
    if not blocks:
        raise IngestError(NO_TEXT if ocr == "never" else "no text to read: the pages hold only page numbers, "
                                                          "headers or footers")
    if ocr_pages:
        done = set(ocr_pages)
        for b in blocks:
            b.ocr = b.page in done
    meta = {k: str(props.get(v) or "").strip() for k, v in (("title", "Title"), ("author", "Author"))}
    return ReadResult(blocks=blocks, pages=npages, fmt="pdf", ocr_pages=ocr_pages,
                      meta={k: v for k, v in meta.items() if v})
