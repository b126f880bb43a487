"""Read an OpenDocument text file (.odt) with odfpy into the same blocks as a .docx.

``text:h`` elements are headings at their outline level, a paragraph in the ``Title``
style is a level-1 heading, ``text:list`` items are list items, table rows keep their
cells, and a table of contents is skipped. Section numbers written in a heading's text
set its level, as for Word files.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.blocks import HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block, IngestError, ReadResult
from ingest.clean import clean_inline, strip_bullet
from ingest.numbering import level_of, split_number
from ingest.readers.zipped import check_package

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_SKIP = {(_TEXT, "table-of-content"), (_TEXT, "sequence-decls"), (_TEXT, "tracked-changes"),
         (_TEXT, "index-title"), (_TEXT, "alphabetical-index"), (_TEXT, "bibliography")}


def _text(el) -> str:
    # lazy: odfpy loads only for .odt files
    from odf import teletype

    return clean_inline(teletype.extractText(el).replace("\n", " "))


def _parents(doc) -> dict[str, str]:
    """Automatic and named paragraph styles -> the style they are based on."""
    out = {}
    for styles in (doc.automaticstyles, doc.styles):
        for st in styles.childNodes:
            name = st.attributes.get((_STYLE, "name")) if hasattr(st, "attributes") else None
            parent = st.attributes.get((_STYLE, "parent-style-name")) if name else None
            if name and parent:
                out[name] = parent
    return out


def _style_names(el, parents: dict[str, str]) -> list[str]:
    name = el.attributes.get((_TEXT, "style-name"))
    names = []
    while name and name not in names and len(names) < 10:
        names.append(name)
        name = parents.get(name)
    return names


def _heading(text: str, level: int) -> Block:
    number, rest = split_number(text)
    return Block(HEADING, rest, level=level_of(number) if number else level, number=number, strong=True)


def _walk(el, parents: dict[str, str], blocks: list[Block], in_list: bool = False) -> None:
    for child in el.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None or qname in _SKIP:
            continue
        if qname == (_TEXT, "h"):
            text = _text(child)
            if text:
                level = child.attributes.get((_TEXT, "outline-level")) or "1"
                blocks.append(_heading(text, int(level) if str(level).isdigit() else 1))
        elif qname == (_TEXT, "p"):
            text = _text(child)
            if not text:
                continue
            styles = [s.lower() for s in _style_names(child, parents)]
            bullet, unbulleted = strip_bullet(text)
            if "title" in styles:
                blocks.append(_heading(text, 1))
            elif in_list or bullet or any("list" in s for s in styles):
                if unbulleted.strip():
                    blocks.append(Block(LIST_ITEM, unbulleted.strip()))
            else:
                blocks.append(Block(PARAGRAPH, text))
        elif qname == (_TEXT, "list"):
            _walk(child, parents, blocks, in_list=True)
        elif qname == (_TABLE, "table"):
            _table(child, blocks)
        else:  # sections, list items, frames: read what they hold
            _walk(child, parents, blocks, in_list)


def _table(table, blocks: list[Block]) -> None:
    # lazy: odfpy loads only for .odt files
    from odf import teletype
    from odf.table import TableRow

    for row in table.getElementsByType(TableRow):
        cells = []
        for cell in row.childNodes:
            if getattr(cell, "qname", None) == (_TABLE, "table-cell"):
                parts = [clean_inline(teletype.extractText(p)) for p in cell.childNodes]
                cells.append("; ".join(p for p in parts if p))
            elif getattr(cell, "qname", None) == (_TABLE, "covered-table-cell"):
                cells.append("")
        text = "; ".join(c for c in cells if c)
        if text:
            blocks.append(Block(TABLE_ROW, text, cells=cells))


def read_odt(path: Path) -> ReadResult:
    """Read a .odt file into blocks (``fmt="odt"``; no page numbers)."""
    # lazy: odfpy loads only for .odt files
    from odf.opendocument import load

    if not zipfile.is_zipfile(path):
        raise IngestError("corrupt OpenDocument file: not a valid .odt package")
    check_package(path, "OpenDocument")
    try:
        doc = load(str(path))
        body = doc.text
    except Exception as e:  # odfpy raises zip, XML and key errors of many kinds on damaged files
        raise IngestError(f"corrupt OpenDocument file: the package cannot be read ({type(e).__name__})") from None
    blocks: list[Block] = []
    _walk(body, _parents(doc), blocks)
    if not blocks:
        raise IngestError("no text found in the document")
    return ReadResult(blocks=blocks, pages=None, fmt="odt")
