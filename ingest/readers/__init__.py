"""Pick a reader by content (magic bytes) and extension, and run it.

Every reader returns an :class:`ingest.blocks.ReadResult`; every bad file raises
:class:`ingest.blocks.IngestError` with a one-line reason. Formats: PDF (``pdf``; OCR
for scans in ``ocr``), Word (``docx``; old ``.doc`` through LibreOffice in ``doc``),
OpenDocument (``odt``), RTF (``rtf``), web pages (``html``), Markdown (``markup``) and
plain text (``text``). Each reader is imported only when a file of its kind is read.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

from ingest.blocks import IngestError, ReadResult

# The formats read, in the order messages list them: a name people know, its extensions.
FORMATS = (
    ("PDF", (".pdf",)),
    ("DOCX", (".docx",)),
    ("ODT", (".odt",)),
    ("RTF", (".rtf",)),
    ("DOC", (".doc",)),
    ("HTML", (".html", ".htm")),
    ("TXT", (".txt", ".text")),
    ("MD", (".md", ".markdown")),
)
_BY_NAME = {name: set(exts) for name, exts in FORMATS}
MARKDOWN_EXTS = _BY_NAME["MD"]
TEXT_EXTS = _BY_NAME["TXT"] | MARKDOWN_EXTS
PDF_EXTS = _BY_NAME["PDF"]
DOCX_EXTS = _BY_NAME["DOCX"]
HTML_EXTS = _BY_NAME["HTML"]
ODT_EXTS = _BY_NAME["ODT"]
RTF_EXTS = _BY_NAME["RTF"]
DOC_EXTS = _BY_NAME["DOC"]
SUPPORTED_EXTS = set().union(*_BY_NAME.values())


def format_names(exts: bool = False) -> str:
    """The formats read, for a message: "PDF, DOCX, … or MD" (``exts``: ".pdf, .docx, … or .md")."""
    names = [e[0] for _, e in FORMATS] if exts else [name for name, _ in FORMATS]
    return ", ".join(names[:-1]) + " or " + names[-1]


# Files larger than this are refused rather than read into memory (override with
# SGSEARCH_MAX_FILE_MB). Published reports are a few MB; a 200 MB "report" is junk.
DEFAULT_MAX_MB = 100
# A zip-based document (.docx, .odt) is refused once its members have inflated to more
# than this (a "zip bomb"); override with SGSEARCH_MAX_UNZIPPED_MB.
DEFAULT_MAX_UNZIPPED_MB = 200


def _megabytes(name: str, default: float) -> int:
    """A size limit in bytes from the environment variable ``name`` (in MB); IngestError,
    naming the variable, when it is not a positive number."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return int(default * 1024 * 1024)
    try:
        mb = float(raw)
    except ValueError:
        mb = math.nan
    if not (math.isfinite(mb) and mb > 0):
        raise IngestError(f"{name}={raw!r} is not a size: give a positive number of megabytes, e.g. {name}={default:g}")
    return int(mb * 1024 * 1024)


def max_file_bytes() -> int:
    """The size limit for one input file, from ``SGSEARCH_MAX_FILE_MB`` or the default."""
    return _megabytes("SGSEARCH_MAX_FILE_MB", DEFAULT_MAX_MB)


def max_unzipped_bytes() -> int:
    """The limit on what a zip-based document may inflate to, from ``SGSEARCH_MAX_UNZIPPED_MB`` or the default."""
    return _megabytes("SGSEARCH_MAX_UNZIPPED_MB", DEFAULT_MAX_UNZIPPED_MB)


def check_limits() -> None:
    """Raise IngestError (one line naming the variable) when a size limit set in the environment is unusable."""
    max_file_bytes()
    max_unzipped_bytes()


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
        raise IngestError(f"unsupported file type {ext or '(no extension)'}: use {format_names(exts=True)}")
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

        return parse_markdown(decode(p.read_bytes()))
    # lazy: each reader's library loads only for its own kind of file
    from ingest.readers.text import read_text

    return read_text(p)
