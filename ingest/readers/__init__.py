"""Pick a reader by content (magic bytes) and extension, and run it.

Every reader returns an :class:`ingest.blocks.ReadResult`; every bad file raises
:class:`ingest.blocks.IngestError` with a one-line reason. Formats: PDF (``pdf``; OCR
for scans in ``ocr``), Word (``docx``; old ``.doc`` through LibreOffice in ``doc``),
OpenDocument (``odt``), RTF (``rtf``), web pages (``html``), Markdown (``markup``) and
plain text (``text``). Each reader is imported only when a file of its kind is read.
"""
from __future__ import annotations

import os
from pathlib import Path

from ingest.blocks import IngestError, ReadResult

TEXT_EXTS = {".txt", ".md", ".text", ".markdown"}
MARKDOWN_EXTS = {".md", ".markdown"}
PDF_EXTS = {".pdf"}
DOCX_EXTS = {".docx"}
HTML_EXTS = {".html", ".htm"}
ODT_EXTS = {".odt"}
RTF_EXTS = {".rtf"}
DOC_EXTS = {".doc"}
SUPPORTED_EXTS = TEXT_EXTS | PDF_EXTS | DOCX_EXTS | HTML_EXTS | ODT_EXTS | RTF_EXTS | DOC_EXTS

# Files larger than this are refused rather than read into memory (override with
# SGSEARCH_MAX_FILE_MB). Published reports are a few MB; a 200 MB "report" is junk.
DEFAULT_MAX_MB = 100


def max_file_bytes() -> int:
    """The size limit for one input file, from ``SGSEARCH_MAX_FILE_MB`` or the default."""
    try:
        mb = float(os.environ.get("SGSEARCH_MAX_FILE_MB", DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(mb * 1024 * 1024)


# A .docx is a zip: refuse one whose members would unzip to more than this before
# decompressing anything (a "zip bomb"); override with SGSEARCH_MAX_UNZIPPED_MB.
DEFAULT_MAX_UNZIPPED_MB = 200


def max_unzipped_bytes() -> int:
    """The limit on the total unzipped size of a .docx, from ``SGSEARCH_MAX_UNZIPPED_MB`` or the default."""
    try:
        mb = float(os.environ.get("SGSEARCH_MAX_UNZIPPED_MB", DEFAULT_MAX_UNZIPPED_MB))
    except ValueError:
        mb = DEFAULT_MAX_UNZIPPED_MB
    return int(mb * 1024 * 1024)


def sniff(head: bytes) -> str | None:
    """Say what a file is from its first bytes: ``pdf``, ``zip``, ``ole`` (old .doc) or None."""
    if head.lstrip(b"\x00\t\r\n ")[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    return None


def read_path(path: str | os.PathLike, ocr: str = "auto") -> ReadResult:
    """Read one file into blocks, choosing the reader by content and extension.

    ``ocr`` (``auto``, ``always``, ``never``) says which PDF pages are read by OCR.
    """
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in SUPPORTED_EXTS:
        raise IngestError(f"unsupported file type {ext or '(no extension)'}: use .pdf, .docx, .doc, .odt, "
                          ".rtf, .html, .txt or .md")
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError:
        raise IngestError("file vanished before it could be read") from None
    except PermissionError:
        raise IngestError("permission denied: cannot read the file") from None
    except IsADirectoryError:
        raise IngestError("is a folder, not a file") from None
    except OSError as e:
        raise IngestError(f"cannot read the file: {e.strerror or e}") from None
    if size == 0:
        raise IngestError("empty file (0 bytes)")
    if size > max_file_bytes():
        raise IngestError(
            f"file is {size / 1048576:.0f} MB, over the {max_file_bytes() // 1048576} MB limit "
            "(set SGSEARCH_MAX_FILE_MB to raise it)"
        )
    kind = sniff(head)
    if ext in PDF_EXTS:
        if kind != "pdf" and b"%PDF-" not in head[:1024]:  # viewers accept a banner before it
            raise IngestError("not a PDF: no %PDF header in the first 1,024 bytes")
        # lazy: each reader's library loads only for its own kind of file
        from ingest.readers.pdf import read_pdf

        return read_pdf(p, ocr=ocr)
    if ext in DOCX_EXTS:
        if kind not in ("zip", "ole"):
            raise IngestError("not a Word document: the file is not a .docx (zip) package")
        # lazy: each reader's library loads only for its own kind of file
        from ingest.readers.docx import read_docx

        return read_docx(p)
    if ext in ODT_EXTS:
        if kind != "zip":
            raise IngestError("not an OpenDocument text file: the file is not a .odt (zip) package")
        # lazy: each reader's library loads only for its own kind of file
        from ingest.readers.odt import read_odt

        return read_odt(p)
    if ext in DOC_EXTS:
        if kind == "zip":
            raise IngestError("named .doc but the content is a .docx (zip) file: rename it to .docx")
        if kind != "ole":
            if head.lstrip().startswith(b"{\\rtf"):  # Word saves RTF as .doc too
                # lazy: each reader's library loads only for its own kind of file
                from ingest.readers.rtf import read_rtf

                return read_rtf(p)
            raise IngestError("not a Word document: the file is not an old binary Word (.doc) file")
        # lazy: each reader's library loads only for its own kind of file
        from ingest.readers.doc import read_doc

        return read_doc(p)
    if kind in ("pdf", "zip", "ole"):
        raise IngestError(f"named {ext} but the content is a {kind.upper()} file: rename it")
    if ext in RTF_EXTS:
        # lazy: each reader's library loads only for its own kind of file
        from ingest.readers.rtf import read_rtf

        return read_rtf(p)
    if ext in HTML_EXTS:
        # lazy: each reader's library loads only for its own kind of file
        from ingest.readers.html import read_html

        return read_html(p)
    if ext in MARKDOWN_EXTS:
        # lazy: each reader's library loads only for its own kind of file
        from ingest.readers.markup import parse_markdown
        from ingest.readers.text import decode

        return parse_markdown(decode(p.read_bytes(), str(p)))
    # lazy: each reader's library loads only for its own kind of file
    from ingest.readers.text import read_text

    return read_text(p)
