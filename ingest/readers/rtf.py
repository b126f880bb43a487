"""Read a Rich Text Format file (.rtf) with striprtf: its text, then the text reader.

RTF keeps paragraphs, not heading styles, so headings are found as in a plain text
report: by their section numbers and shape. Each RTF paragraph becomes its own
text paragraph; table cells (``|`` in striprtf's output) become tab-separated cells.
"""
from __future__ import annotations

from pathlib import Path

from ingest.blocks import IngestError, ReadResult
from ingest.readers.text import decode, parse_text


def rtf_text(data: bytes) -> str:
    """The text of an RTF document, one paragraph per blank-line separated block."""
    # lazy: striprtf loads only for .rtf files
    from striprtf.striprtf import rtf_to_text

    raw = decode(data)
    if not raw.lstrip().startswith("{\\rtf"):
        raise IngestError("not an RTF file: it does not start with {\\rtf")
    try:
        text = rtf_to_text(raw, errors="ignore")
    except Exception as e:  # striprtf on damaged control words
        raise IngestError(f"corrupt RTF file: {type(e).__name__} while reading it") from None
    paras = []
    for line in text.replace("\r", "").split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.endswith("|") and line.count("|") >= 2:
            line = "\t".join(c.strip() for c in line.rstrip("|").split("|"))
        paras.append(line)
    return "\n\n".join(paras)


def read_rtf(path: Path) -> ReadResult:
    """Read a .rtf file into blocks (``fmt="rtf"``)."""
    result = parse_text(rtf_text(Path(path).read_bytes()))
    result.fmt = "rtf"
    return result
