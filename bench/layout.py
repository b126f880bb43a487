"""Documents as published: PDF reading speed, multi-column reading order, OCR speed.

1. Text PDFs: ``--pdfs`` generated reports (docgen's report, repeated to about ``--pages``
   pages each), without tables and with docgen's ruled table in each copy (about one page
   in three, each read by pdfplumber), ingested with ``--jobs 2`` (no tagging) into a
   fresh index; pages/s over the ``ingest()`` call. Target: at least 30 pages/s.
2. Multi-column set: two- and three-column pages, drawn column by column and line by line
   across the page (as forms do), read back; word recall (multiset) and word-pair recall
   against the source text in reading order. Targets: 0.98 and 0.95.
3. OCR: ``--ocr-pages`` scanned pages (text rendered at 200 dpi, no text layer) read by
   Tesseract; pages/s. Skipped when Tesseract is not installed. No target.

Medians over ``--runs`` runs. A benchmark, not a test: it always exits 0.

    python bench/layout.py --runs 3
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import load, revision  # noqa: E402


def _text_pdfs(folder: Path, n: int, pages: int, tables: bool) -> int:
    from ingest.readers import read_path
    from tests import docgen

    body = [(k, v) for k, v in docgen.SPEC if k != "title" and (tables or k != "table")]
    spec = [docgen.SPEC[0]]
    for _ in range(max(1, pages // 4)):
        spec += body + [("pagebreak", None)]
    per_file = 0
    for i in range(n):
        path = docgen.write_pdf(folder / f"report-{i}.pdf", spec)
        per_file = per_file or read_path(path).pages
    return per_file * n


def bench_text(runs: int, n: int, pages: int, tables: bool) -> None:
    from ingest.pipeline import ingest

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pdfs"
        src.mkdir()
        total = _text_pdfs(src, n, pages, tables)
        rates = []
        for r in range(runs):
            t0 = time.perf_counter()
            report = ingest([src], Path(tmp) / f"ix{r}", jobs=2, tag=False)
            dt = time.perf_counter() - t0
            assert not report.failed, report.failed
            rates.append(total / dt)
    med = statistics.median(rates)
    what = "with a ruled table every ~3 pages" if tables else "no tables"
    print(f"text PDFs ({what}), --jobs 2: {n} files, {total} pages; pages/s median {med:.1f} "
          f"(min {min(rates):.1f}, max {max(rates):.1f})  {'PASS' if med >= 30 else 'MISS'} (>= 30)")


def _recall(src: list[str], got: list[str]) -> tuple[float, float]:
    have = Counter(got)
    words = sum(min(c, have[w]) for w, c in Counter(src).items()) / len(src)
    pairs_src = Counter(zip(src, src[1:]))
    pairs_got = Counter(zip(got, got[1:]))
    pairs = sum(min(c, pairs_got[p]) for p, c in pairs_src.items()) / max(1, len(src) - 1)
    return words, pairs


def bench_columns() -> None:
    from ingest.readers import read_path
    from tests import pdfgen

    src_all: list[str] = []
    got_all: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        n = 0
        for columns, gutter in ((2, 18.0), (2, 12.0), (3, 12.0), (3, 9.0)):
            for interleave in (False, True):
                for seed in (1, 2):
                    n += 1
                    path, texts = pdfgen.write_columns(Path(tmp) / f"c{n}.pdf", columns=columns, gutter=gutter,
                                                       interleave=interleave, seed=seed, pages=2)
                    result = read_path(path)
                    src_all += " ".join(texts).lower().split()
                    got_all += " ".join(b.text for b in result.blocks).lower().split()
    words, pairs = _recall(src_all, got_all)
    print(f"multi-column set: {n} files, {len(src_all)} words; word recall {words:.3f} "
          f"{'PASS' if words >= 0.98 else 'MISS'} (>= 0.98), word-pair recall {pairs:.3f} "
          f"{'PASS' if pairs >= 0.95 else 'MISS'} (>= 0.95)")


def bench_ocr(runs: int, pages: int) -> None:
    from ingest.readers import ocr, read_path
    from tests.test_ocr import LINES, write_scan

    if not ocr.available():
        print("OCR: Tesseract not installed, skipped")
        return
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        files = [write_scan(Path(tmp) / f"scan{i}.pdf", LINES * 6, height=2339) for i in range(pages)]
        for _ in range(runs):
            t0 = time.perf_counter()
            for f in files:
                read_path(f)
            rates.append(pages / (time.perf_counter() - t0))
    print(f"OCR (Tesseract, 200 dpi, full A4 pages of text, one process): {pages} pages; "
          f"pages/s median {statistics.median(rates):.2f} (min {min(rates):.2f}, max {max(rates):.2f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pdfs", type=int, default=12)
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--ocr-pages", type=int, default=3)
    ap.add_argument("--skip", action="append", default=[], choices=["text", "columns", "ocr"])
    args = ap.parse_args()
    print(f"load: {load()}")
    print(revision(("ingest/readers/pdf.py", "ingest/readers/pdf_layout.py", "ingest/readers/pdf_text.py",
                    "ingest/readers/pdf_tables.py", "ingest/readers/ocr.py")))
    if "text" not in args.skip:
        bench_text(args.runs, args.pdfs, args.pages, tables=False)
        bench_text(args.runs, args.pdfs, args.pages, tables=True)
    if "columns" not in args.skip:
        bench_columns()
    if "ocr" not in args.skip:
        bench_ocr(args.runs, args.ocr_pages)


if __name__ == "__main__":
    main()
