"""Read a Word .docx file into blocks with python-docx.

Body paragraphs and tables are read in document order (content controls are opened,
a table of contents is skipped); headers, footers and footnotes are never read.
Headings come from heading styles, outline levels, a bold short paragraph, and a
leading section number. Pages are counted only when the file records page breaks.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block, IngestError, ReadResult
from ingest.clean import clean_inline, strip_bullet
from ingest.numbering import level_of, split_number
from ingest.readers.zipped import check_package
from ingest.shape import is_contents_entry, is_contents_heading

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _SDT, _T = f"{_W}p", f"{_W}tbl", f"{_W}sdt", f"{_W}t"
_BR, _LRPB, _PBB = f"{_W}br", f"{_W}lastRenderedPageBreak", f"{_W}pageBreakBefore"
_VAL, _TYPE = f"{_W}val", f"{_W}type"
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)
_MAX_BOLD_HEADING_WORDS = 12


def _open(path: Path):
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise IngestError(f"cannot read the file: {e.strerror or 'it cannot be opened'}") from None
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k" in path.read_bytes():
            raise IngestError("encrypted Word file: it needs a password to open; save a copy without the password and use that")
        raise IngestError("an old binary Word (.doc) file: save it as .docx first")
    if not zipfile.is_zipfile(path):
        raise IngestError("corrupt Word file: not a valid .docx package")
    check_package(path, "Word")
    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, EOFError):
        raise IngestError("corrupt Word file: not a valid .docx package") from None
    except (KeyError, PackageNotFoundError):
        raise IngestError("corrupt Word file: the package has no word/document.xml") from None
    except ValueError as e:
        if "content type" in str(e):
            raise IngestError("not a Word document: the package is another Office file type") from None
        raise IngestError("corrupt Word file: the document cannot be parsed") from None
    except Exception as e:  # lxml syntax errors, zlib errors in damaged members
        if "XMLSyntax" in type(e).__name__:
            raise IngestError("corrupt Word file: the document XML is damaged") from None
        raise IngestError(f"corrupt Word file: the package cannot be read ({type(e).__name__})") from None


def _is_toc_sdt(sdt) -> bool:
    gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(_VAL) or "").lower()


def _iter_body(parent, element, controls: bool = True):
    """``(element, Paragraph or Table)`` in order, like ``iter_inner_content`` but also inside
    content controls (unless ``controls`` is off). The reader keeps each element beside its
    proxy: python-docx gives a paragraph's or a row's XML only through private attributes."""
    for child in element.iterchildren():
        if child.tag == _P:
            yield child, Paragraph(child, parent)
        elif child.tag == _TBL:
            yield child, Table(child, parent)
        elif controls and child.tag == _SDT and not _is_toc_sdt(child):
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _iter_body(parent, content)


class _Pages:
    """Counts pages from recorded page breaks; ``None`` throughout when there are none.

    Word records where it last broke pages (``lastRenderedPageBreak``); when present those
    are used alone, as they already include hard breaks. Otherwise hard page breaks,
    "page break before" and next-page section breaks are counted.
    """

    def __init__(self, body) -> None:
        self.rendered = any(True for _ in body.iter(_LRPB))
        explicit = (any(el.get(_TYPE) == "page" for el in body.iter(_BR))
                    or any(True for _ in body.iter(_PBB))
                    or any(self._section_break(p) for p in body.iter(_P)))
        self.page = 1 if (self.rendered or explicit) else None

    @staticmethod
    def _section_break(p) -> bool:
        sect = p.find(f"{_W}pPr/{_W}sectPr")
        if sect is None:
            return False
        kind = sect.find(f"{_W}type")
        return kind is None or kind.get(_VAL) in (None, "nextPage", "evenPage", "oddPage")

    def _is_break(self, el) -> bool:
        if self.rendered:
            return el.tag == _LRPB
        return el.tag == _BR and el.get(_TYPE) == "page"

    def block(self, element) -> int | None:
        """The page ``element`` starts on; advances past the breaks inside it."""
        if self.page is None:
            return None
        if not self.rendered:
            pbb = element.find(f"{_W}pPr/{_PBB}")
            if pbb is not None and pbb.get(_VAL) not in ("0", "false", "off"):
                self.page += 1
        start, seen_text = self.page, False
        for el in element.iter(_T, _BR, _LRPB):
            if el.tag == _T:
                seen_text = seen_text or bool((el.text or "").strip())
            elif self._is_break(el):
                self.page += 1
                if not seen_text:
                    start = self.page
        if not self.rendered and element.tag == _P and self._section_break(element):
            self.page += 1
        return start

    @property
    def count(self) -> int | None:
        return self.page


def _style_chain(style):
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = style.base_style
        seen += 1


def _heading_level(p, paragraph) -> int | None:
    """Level from the style (``Heading n``, ``Title``) or an outline level; None if neither."""
    ppr = p.pPr
    styles = list(_style_chain(paragraph.style))
    for style in styles:
        name = style.name or ""
        if name.lower() == "title":
            return 1
        m = _HEADING_STYLE.match(name)
        if m:
            return int(m.group(1))
    for el in [ppr] + [s.element.pPr for s in styles]:
        if el is None:
            continue
        lvl = el.find(f"{_W}outlineLvl")
        if lvl is not None and (lvl.get(_VAL) or "").isdigit() and int(lvl.get(_VAL)) < 9:
            return int(lvl.get(_VAL)) + 1
    return None


def _is_list(p, paragraph) -> bool:
    ppr = p.pPr
    if ppr is not None and ppr.numPr is not None:
        num_id = ppr.numPr.find(f"{_W}numId")
        # numId 0 switches off numbering inherited from the style
        return num_id is None or num_id.get(_VAL) != "0"
    return any("list" in (s.name or "").lower() for s in _style_chain(paragraph.style))


def _all_bold(paragraph) -> bool:
    style_bold = next((s.font.bold for s in _style_chain(paragraph.style) if s.font.bold is not None), False)
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    for run in runs:
        bold = run.bold
        if bold is None and run.style is not None:
            bold = next((s.font.bold for s in _style_chain(run.style) if s.font.bold is not None), None)
        if not (style_bold if bold is None else bold):
            return False
    return True


def _text(paragraph) -> str:
    return clean_inline(paragraph.text.replace("\n", " ").replace("\r", " "))


def _paragraph_block(p, paragraph, page: int | None) -> Block | None:
    style_name = (paragraph.style.name or "") if paragraph.style is not None else ""
    if style_name.lower().startswith("toc"):
        return None  # table-of-contents lines are not content
    text = _text(paragraph)
    if not text:
        return None
    level = _heading_level(p, paragraph)
    number, rest = split_number(text)
    if level is not None:
        if number:
            level = level_of(number)
        return Block(HEADING, rest, page=page, level=level, number=number, strong=True)
    bullet, unbulleted = strip_bullet(text)
    if _is_list(p, paragraph) or bullet:
        unbulleted = unbulleted.strip()
        return Block(LIST_ITEM, unbulleted, page=page) if unbulleted else None
    if (len(text.split()) <= _MAX_BOLD_HEADING_WORDS and not text.endswith(".")
            and _all_bold(paragraph)):
        return Block(HEADING, rest, page=page, level=level_of(number) if number else None,
                     number=number, strong=True)
    return Block(PARAGRAPH, text, page=page)


def _cell_text(tc, table) -> str:
    parts: list[str] = []
    for el, item in _iter_body(table, tc, controls=False):
        if isinstance(item, Table):
            parts += ["; ".join(c for c in _row_cells(tr, item) if c) for tr in el.tr_lst]
        else:
            parts.append(_text(item))
    out = ""
    for part in filter(None, parts):
        out = part if not out else out + (" " if out[-1] in ".:;," else "; ") + part
    return out


def _row_cells(tr, table) -> list[str]:
    cells = []
    # one entry per w:tc: a horizontally merged cell appears once, and the lower parts of
    # a vertically merged cell are empty rather than repeating the text above
    for tc in tr.tc_lst:
        cells.append("" if tc.vMerge == "continue" else _cell_text(tc, table))
    return cells


def _textbox_blocks(p, parent, page: int | None, seen: set[str]) -> list[Block]:
    """Paragraphs inside text boxes anchored in paragraph ``p`` (python-docx skips them)."""
    out = []
    for box in p.iter(f"{_W}txbxContent"):
        if any(a.tag == f"{_MC}Fallback" for a in box.iterancestors()):
            continue  # the same box again, for old readers
        for inner in box.iter(_P):
            text = _text(Paragraph(inner, parent))
            if text and text not in seen:
                seen.add(text)
                out.append(Block(PARAGRAPH, text, page=page))
    return out


def _emit(items, parent, pages: _Pages, blocks: list[Block], boxes_seen: set[str]) -> None:
    for el, item in items:
        if isinstance(item, Table):
            rows = el.tr_lst
            if all(len(tr.tc_lst) == 1 for tr in rows):
                # a one-column table is a layout box (a callout, or a whole page laid out
                # in a table): read its content as body text, headings included
                for tr in rows:
                    for tc in tr.tc_lst:
                        if tc.vMerge != "continue":
                            _emit(_iter_body(item, tc, controls=False), item, pages, blocks, boxes_seen)
                continue
            for tr in rows:
                page = pages.block(tr)
                cells = _row_cells(tr, item)
                text = "; ".join(c for c in cells if c)
                if text:
                    blocks.append(Block(TABLE_ROW, text, page=page, cells=cells))
            continue
        page = pages.block(el)
        block = _paragraph_block(el, item, page)
        if block is not None:
            blocks.append(block)
        blocks += _textbox_blocks(el, parent, page, boxes_seen)


def read_docx(path: Path) -> ReadResult:
    """Read a .docx file into blocks (``fmt="docx"``; pages only if page breaks are recorded)."""
    document = _open(Path(path))
    body = document.element.body
    pages = _Pages(body)
    blocks: list[Block] = []
    try:
        _emit(_iter_body(document, body), document, pages, blocks, set())
    except IngestError:
        raise
    except Exception as e:  # malformed XML that python-docx cannot interpret
        raise IngestError(f"corrupt Word file: {type(e).__name__} while reading the body") from None
    blocks = _drop_contents_list(blocks)
    if not blocks:
        raise IngestError("no text found in the document")
    props = document.core_properties
    meta = {"title": (props.title or "").strip(), "author": (props.author or "").strip()}
    return ReadResult(blocks=blocks, pages=pages.count, fmt="docx", meta={k: v for k, v in meta.items() if v})


def _drop_contents_list(blocks: list[Block]) -> list[Block]:
    """Drop a contents list typed as ordinary paragraphs: a "Contents" line followed by
    lines that end in a page number ("Foreword 2", "Our priorities 3"). A contents list
    is never body text, whatever its style."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        if is_contents_heading(blocks[i].text):
            j = i + 1
            while j < len(blocks) and blocks[j].kind != TABLE_ROW and is_contents_entry(blocks[j].text):
                j += 1
            if j - i > 2:  # at least two entries: a contents list, not a heading "Contents"
                i = j
                continue
        out.append(blocks[i])
        i += 1
    return out
