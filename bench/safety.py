"""Refusing hostile input cheaply, and scans that carry a stamp: figures for issue 30's points.

1. Zip bombs made in code: a real .docx and .odt whose main XML member inflates to
   ``--mb`` MB of spaces while its size headers say 1,000 bytes. Peak Python memory
   (tracemalloc) and CPU time while ``read_path`` refuses each, and its one-line reason.
2. Scans with a text layer: a page-sized scanned image of text with a real text-layer
   page number, running header or stamp, read under the default ``--ocr auto``: which pages
   are OCR'd and the first block (OCR needs Tesseract; without it, only the decision).
3. realdev's PDFs (``../shared/realdev/real``): pages ``--ocr auto`` would read by OCR.

A benchmark, not a test: it always exits 0.

    python bench/safety.py --mb 60
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import load, revision  # noqa: E402

STAMPS = ("Page 1", "Somerset Safeguarding Children Partnership Annual Report 2020-21", "RECEIVED 12 JAN 2019")


def bombs(tmp: Path, mb: int) -> None:
    from ingest.blocks import IngestError
    from ingest.readers import read_path
    from tests import docgen, officegen

    real = {"docx": docgen.write_docx(tmp / "real.docx"), "odt": officegen.write_odt(tmp / "real.odt")}
    members = {"docx": "word/document.xml", "odt": "content.xml"}
    print(f"zip bombs: {mb} MB inside, size headers saying 1,000 bytes")
    for ext, member in members.items():
        bomb = officegen.write_zip_bomb(tmp / f"bomb.{ext}", member, mb, real[ext], forged=1000)
        tracemalloc.start()
        started = time.process_time()
        try:
            read_path(bomb)
            what = "read (not refused)"
        except IngestError as e:
            what = f"refused: {e}"
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  .{ext} ({bomb.stat().st_size / 1024:.0f} KB): peak {peak / 1048576:.1f} MB, "
              f"CPU {time.process_time() - started:.2f} s, {what}")


def scans(tmp: Path) -> None:
    from ingest.blocks import IngestError
    from ingest.readers import ocr, read_path
    from ingest.readers.pdf import scan_pages
    from tests import pdfgen

    print(f"scans with a text-layer stamp (Tesseract {'installed' if ocr.available() else 'not installed'}):")
    for stamp in STAMPS:
        path = pdfgen.write_stamped_scan(tmp / "scan.pdf", stamp)
        started = time.monotonic()
        try:
            r = read_path(path)
            what = f"OCR pages {r.ocr_pages}, {len(r.blocks)} blocks, first {r.blocks[0].text!r}"
        except IngestError as e:
            what = f"refused: {e}"
        print(f"  stamp {stamp!r}: auto OCRs pages {scan_pages(path)}; {what} ({time.monotonic() - started:.1f} s)")


def realdev() -> None:
    import pypdfium2 as pdfium

    from ingest.readers.pdf import scan_pages

    sys.path.append(str(Path(__file__).resolve().parent))  # _realdev finds _common there; ingest is loaded
    import _realdev

    pdfs = sorted((_realdev.folder() / "real").glob("*.pdf"))

    pages = flagged = 0
    for f in pdfs:
        doc = pdfium.PdfDocument(str(f))
        pages += len(doc)
        doc.close()
        flagged += len(scan_pages(f))
    print(f"realdev: {len(pdfs)} PDFs, {pages} pages, {flagged} read by OCR under --ocr auto")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=60, help="What each bomb inflates to (MB).")
    args = ap.parse_args()
    print(revision(("ingest/readers/zipped.py", "ingest/readers/pdf.py", "ingest/readers/ocr.py")))
    print(load())
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        bombs(Path(tmp), args.mb)
        scans(Path(tmp))
    realdev()


if __name__ == "__main__":
    main()
