"""The common block model every reader produces, and the error type for bad input.

A reader turns a file into a flat list of :class:`Block` objects in reading order.
Sectioning, metadata detection and item extraction all work on blocks, so a report
gives the same sections whether it arrives as text, DOCX or PDF.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from search.errors import SgsearchError

# Block kinds
HEADING = "heading"      # a heading candidate (style, font, number or shape says so)
PARAGRAPH = "paragraph"  # body text
LIST_ITEM = "list"       # a bullet or numbered list entry
TABLE_ROW = "row"        # one table row, cells joined so that it reads as a sentence
BREAK = "break"          # a hard boundary between papers ("This page is intentionally left blank")

KINDS = (HEADING, PARAGRAPH, LIST_ITEM, TABLE_ROW, BREAK)


class IngestError(SgsearchError):
    """A file cannot be ingested; the message is one line saying why (no path)."""


@dataclass
class Block:
    """One unit of a document in reading order.

    ``level`` and ``number`` are set for headings when the source says so (a DOCX
    heading style, a PDF font size, a section number such as ``2.1.3``).
    ``strong`` marks a heading that the source styled explicitly (DOCX style, PDF
    font), as opposed to one guessed from the shape of a line of plain text.
    ``cells`` keeps a table row's cells for item extraction (status columns).
    ``ocr`` marks text read by OCR from a page image.
    """

    kind: str
    text: str
    page: int | None = None
    level: int | None = None
    number: str | None = None
    strong: bool = False
    cells: list[str] = field(default_factory=list)
    ocr: bool = False  # the text came from OCR of a scanned page

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")


@dataclass
class ReadResult:
    """What a reader returns: the blocks, the page count and any notes.

    ``meta`` holds what the file says about itself (a web page's or Markdown front
    matter's ``title``, ``date``, ``site_name``), for metadata detection to prefer.
    ``ocr_pages`` lists the pages whose text came from OCR.
    """

    blocks: list[Block]
    pages: int | None = None
    fmt: str = "txt"
    meta: dict = field(default_factory=dict)
    ocr_pages: list[int] = field(default_factory=list)
