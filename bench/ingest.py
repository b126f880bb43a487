"""Ingest benchmark: cold ingest, unchanged re-ingest and PDF throughput.

What it measures (each measurement repeated ``--runs`` times; median, min and max shown):

1. Cold ingest of the bundled corpus into a fresh temporary index, in a fresh Python
   subprocess, so interpreter start-up, imports and the spaCy pipeline load are all
   counted. Reported as wall seconds, documents/s and sections/s.
2. Unchanged re-ingest: the wall time of ``sgsearch ingest CORPUS --index DIR`` against
   an index that already holds the corpus (every file is skipped by its hash).
3. PDF throughput: ``--pdfs`` generated PDFs of about ``--pages`` pages each (Helvetica,
   numbered headings, prose taken from the bundled reports) ingested into a fresh index
   with ``--jobs 1`` and ``--jobs 2``; pages/s over the subprocess wall time (start-up
   included) and over the ``ingest()`` call alone.

4. With ``--overhead``: what tagging adds to a cold ingest of the corpus, from cold ingests
   run tagged and untagged alternately (so that a machine slowing down or speeding up
   during the run touches both alike): the ratio of the medians, and the median of the
   ratios of each tagged run to the untagged run after it.

Targets printed beside the figures: cold < 10 s, unchanged re-ingest < 1 s, at least
20 PDF pages/s with ``--jobs 2``, and tagging adding at most a third. This is a benchmark, not a test: it always exits 0 and
only prints PASS or MISS against each target.

Run it from the project root::

    python bench/ingest.py --runs 5
    python bench/ingest.py --runs 3 --pdfs 12 --pages 10 --no-tag
    python bench/ingest.py --runs 10 --overhead --skip cold --skip unchanged --skip pdf
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, use_project_root  # noqa: E402
from _common import load as _load  # noqa: E402
from _common import revision as _revision  # noqa: E402
from _common import verdict as _verdict  # noqa: E402

use_project_root()

TARGET_COLD_S = 10.0
TARGET_UNCHANGED_S = 1.0
TARGET_PDF_PAGES_S = 20.0
TARGET_TAG_RATIO = 4 / 3  # tagged cold ingest at most a third slower than untagged

# Run in a fresh interpreter: argv = index_dir, jobs, tag (0/1), paths...
_DRIVER = r"""
import json, sys, time
t0 = time.perf_counter()
from ingest.pipeline import ingest
t1 = time.perf_counter()
index_dir, jobs, tag, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4:]
r = ingest(paths, index_dir, jobs=jobs, tag=tag)
t2 = time.perf_counter()
print(json.dumps({"added": len(r.added), "updated": len(r.updated), "unchanged": len(r.unchanged),
                  "failed": r.failed, "sections": r.sections, "pages": r.pages,
                  "import_s": t1 - t0, "ingest_s": t2 - t1}))
"""


def _stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def _run_driver(index_dir: Path, paths: list[Path], jobs: int, tag: bool) -> tuple[float, dict]:
    """Ingest in a fresh interpreter; return (wall seconds, the report it printed)."""
    cmd = [sys.executable, "-c", _DRIVER, str(index_dir), str(jobs), "1" if tag else "0", *map(str, paths)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"ingest subprocess failed (exit {proc.returncode}):\n{tail}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    if report["failed"]:
        print(f"  note: {len(report['failed'])} file(s) failed: {report['failed'][:3]}")
    return wall, report


def _sgsearch_cmd() -> list[str]:
    """The console script next to this interpreter (no pyenv shim), else the one on PATH."""
    exe = Path(sys.executable).with_name("sgsearch")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("sgsearch")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from cli import main; sys.exit(main())"]


# -- PDF generation ----------------------------------------------------------------------

_HEADINGS = [
    "Introduction", "Governance and Accountability", "Learning from Reviews", "Neglect",
    "Domestic Abuse", "Early Help", "Multi-agency Audit", "Training and Development",
    "Child Exploitation", "Voice of the Child", "Safeguarding in Health", "Child Death Overview Panel",
    "Pre-birth Assessment", "Fathers and Male Carers", "Performance Information", "Next Steps",
    "Independent Scrutiny", "Education and Schools", "Mental Health", "Priorities for the Year Ahead",
]
_SUBHEADINGS = [
    "Background", "Findings", "What we learned", "Impact", "Recommendations", "Assurance",
    "Progress against objectives", "Feedback from practitioners", "Data and trends", "Actions",
]


def _corpus_paragraphs() -> list[str]:
    """Prose paragraphs (30+ words) from the bundled reports, encodable in windows-1252."""
    from corpus import corpus_dir

    paras: list[str] = []
    for f in sorted(corpus_dir().glob("*.txt")):
        for block in re.split(r"\n\s*\n", f.read_text(encoding="utf-8")):
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)  # markdown links
            text = " ".join(text.replace("**", "").split())
            if len(text.split()) < 30 or "|" in text:
                continue
            try:
                text.encode("cp1252")
            except UnicodeEncodeError:
                continue
            paras.append(text)
    return paras


def _spec(rng: random.Random, paras: list[str], n: int, pages: int) -> list[tuple[str, object]]:
    """A report spec of roughly ``pages`` A4 pages (about 380 words of body text a page)."""
    year = 2014 + n % 11
    spec: list[tuple[str, object]] = [
        ("title", f"Safeguarding Children Partnership Annual Report {year}-{(year + 1) % 100:02d} ({n + 1})"),
        ("p", rng.choice(paras)),
    ]
    words, target, h1 = 0, pages * 380, 0
    heads = rng.sample(_HEADINGS, len(_HEADINGS))
    while words < target:
        h1 += 1
        spec.append(("h1", f"{h1} {heads[(h1 - 1) % len(heads)]}"))
        for h2 in range(1, rng.randint(2, 4) + 1):
            spec.append(("h2", f"{h1}.{h2} {rng.choice(_SUBHEADINGS)}"))
            for _ in range(rng.randint(1, 3)):
                p = rng.choice(paras)
                spec.append(("p", p))
                words += len(p.split())
            if rng.random() < 0.25:
                items = [" ".join(rng.choice(paras).split()[:rng.randint(6, 14)]) for _ in range(rng.randint(3, 5))]
                spec.append(("list", items))
                words += sum(len(i.split()) for i in items)
    return spec


def _load_docgen():
    path = ROOT / "tests" / "docgen.py"
    if not path.exists():
        return None
    import importlib.util

    spec = importlib.util.spec_from_file_location("_bench_docgen", path)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except Exception as e:  # being edited by someone else: fall back to our own writer
        print(f"  note: tests/docgen.py not usable ({type(e).__name__}: {e}); using the built-in PDF writer")
        return None
    return mod if hasattr(mod, "write_pdf") else None


def _write_pdf_fallback(path: Path, spec: list[tuple[str, object]]) -> None:
    """A plain fpdf2 report: Helvetica, bold numbered headings, a header and page numbers."""
    from fpdf import FPDF

    class _Report(FPDF):
        def header(self):
            self.set_font("Helvetica", "", 9)
            self.cell(0, 6, "Safeguarding Children Partnership", align="R")
            self.ln(12)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", "", 9)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    sizes = {"title": 20, "h1": 16, "h2": 13, "h3": 11}
    pdf = _Report(format="A4", unit="mm")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    for kind, value in spec:
        if kind in sizes:
            pdf.set_font("Helvetica", "B", sizes[kind])
            pdf.multi_cell(pdf.epw, sizes[kind] * 0.5, str(value), new_x="LMARGIN", new_y="NEXT")
        elif kind == "list":
            pdf.set_font("Helvetica", "", 11)
            for item in value:
                pdf.multi_cell(pdf.epw, 5.5, "\u2022 " + item, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(pdf.epw, 5.5, str(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))


def make_pdfs(folder: Path, count: int, pages: int, seed: int = 7) -> tuple[list[Path], int, str]:
    """Write ``count`` PDFs into ``folder``; return (paths, total pages, generator used)."""
    import pypdfium2 as pdfium

    paras = _corpus_paragraphs()
    docgen = _load_docgen()
    rng = random.Random(seed)
    out, total = [], 0
    for n in range(count):
        path = folder / f"report-{n + 1:03d}.pdf"
        spec = _spec(rng, paras, n, pages)
        if docgen is not None:
            docgen.write_pdf(path, spec=spec)
        else:
            _write_pdf_fallback(path, spec)
        pdf = pdfium.PdfDocument(str(path))
        total += len(pdf)
        pdf.close()
        out.append(path)
    return out, total, "tests/docgen.py write_pdf" if docgen is not None else "built-in fpdf2 writer"


# -- measurements ------------------------------------------------------------------------

def bench_cold(corpus: Path, runs: int, tag: bool, work: Path) -> Path:
    """Cold ingests of the corpus; returns one of the indexes built (for the re-ingest)."""
    print(f"\n[1] Cold ingest of the bundled corpus ({corpus}), fresh index and interpreter each run")
    walls, dps, sps, ingest_s = [], [], [], []
    keep = None
    for i in range(runs):
        ix = work / f"cold-{i}"
        wall, rep = _run_driver(ix, [corpus], jobs=1, tag=tag)
        walls.append(wall)
        dps.append(rep["added"] / wall)
        sps.append(rep["sections"] / wall)
        ingest_s.append(rep["ingest_s"])
        print(f"  run {i + 1}: {wall:6.2f} s wall ({rep['import_s']:.2f} s imports, {rep['ingest_s']:.2f} s ingest()),"
              f" {rep['added']} documents, {rep['sections']} sections")
        if keep is None:
            keep = ix
        else:
            shutil.rmtree(ix, ignore_errors=True)
    med, lo, hi = _stats(walls)
    print(f"  wall       median {med:6.2f} s  (min {lo:.2f}, max {hi:.2f})   target < {TARGET_COLD_S:.0f} s"
          f"  {_verdict(med < TARGET_COLD_S)}")
    print(f"  ingest()   median {statistics.median(ingest_s):6.2f} s  (the call alone, no start-up)")
    m, lo, hi = _stats(dps)
    print(f"  documents/s median {m:6.2f}  (min {lo:.2f}, max {hi:.2f})")
    m, lo, hi = _stats(sps)
    print(f"  sections/s  median {m:6.1f}  (min {lo:.1f}, max {hi:.1f})")
    return keep


def bench_unchanged(corpus: Path, index_dir: Path, runs: int) -> None:
    cmd = [*_sgsearch_cmd(), "ingest", str(corpus), "--index", str(index_dir)]
    print(f"\n[2] Unchanged re-ingest: {' '.join(cmd)}")
    walls = []
    for i in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tempfile.gettempdir())
        wall = time.perf_counter() - t
        walls.append(wall)
        line = (proc.stdout.strip().splitlines() or [""])[-1]
        print(f"  run {i + 1}: {wall * 1000:7.0f} ms  exit {proc.returncode}  {line[:100]}")
    med, lo, hi = _stats(walls)
    print(f"  wall       median {med * 1000:6.0f} ms (min {lo * 1000:.0f}, max {hi * 1000:.0f})"
          f"   target < {TARGET_UNCHANGED_S * 1000:.0f} ms  {_verdict(med < TARGET_UNCHANGED_S)}")


def bench_pdf(pdfs: list[Path], runs: int, tag: bool, work: Path) -> None:
    folder = pdfs[0].parent
    for jobs in (1, 2):
        print(f"\n[3] PDF ingest, --jobs {jobs}: {len(pdfs)} files in {folder}, fresh index and interpreter each run")
        rates, call_rates, walls = [], [], []
        for i in range(runs):
            ix = work / f"pdf-j{jobs}-{i}"
            wall, rep = _run_driver(ix, [folder], jobs=jobs, tag=tag)
            shutil.rmtree(ix, ignore_errors=True)
            walls.append(wall)
            rates.append(rep["pages"] / wall)
            call_rates.append(rep["pages"] / rep["ingest_s"])
            print(f"  run {i + 1}: {wall:6.2f} s wall ({rep['ingest_s']:.2f} s ingest()), {rep['added']} documents,"
                  f" {rep['pages']} pages, {rep['sections']} sections -> {rates[-1]:.1f} pages/s")
        m, lo, hi = _stats(rates)
        target = f"   target >= {TARGET_PDF_PAGES_S:.0f}  {_verdict(m >= TARGET_PDF_PAGES_S)}" if jobs == 2 else ""
        print(f"  pages/s (wall)     median {m:6.1f}  (min {lo:.1f}, max {hi:.1f}){target}")
        m, lo, hi = _stats(call_rates)
        print(f"  pages/s (ingest()) median {m:6.1f}  (min {lo:.1f}, max {hi:.1f})")


def bench_overhead(corpus: Path, runs: int, work: Path) -> None:
    print("\n[4] Tagging overhead: cold ingests of the bundled corpus, tagged and untagged alternately")
    walls: dict[bool, list[float]] = {True: [], False: []}
    for i in range(runs):
        for tag in (True, False):
            ix = work / f"overhead-{i}-{int(tag)}"
            walls[tag].append(_run_driver(ix, [corpus], jobs=1, tag=tag)[0])
            shutil.rmtree(ix, ignore_errors=True)
        print(f"  run {i + 1}: {walls[True][-1]:6.2f} s tagged, {walls[False][-1]:6.2f} s untagged")
    for tag in (True, False):
        med, lo, hi = _stats(walls[tag])
        print(f"  {'tagged' if tag else 'untagged':9s} median {med:6.2f} s  (min {lo:.2f}, max {hi:.2f})")
    ratio = statistics.median(walls[True]) / statistics.median(walls[False])
    pairs = statistics.median(t / u for t, u in zip(walls[True], walls[False]))
    print(f"  tagged / untagged: {ratio:.3f} (medians), {pairs:.3f} (median of run pairs)"
          f"   target <= {TARGET_TAG_RATIO:.3f}  {_verdict(ratio <= TARGET_TAG_RATIO)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="repetitions of each measurement (default 5)")
    ap.add_argument("--pdfs", type=int, default=12, help="PDFs to generate (default 12)")
    ap.add_argument("--pages", type=int, default=10, help="approximate pages per PDF (default 10)")
    ap.add_argument("--no-tag", dest="tag", action="store_false", help="skip theme tagging (spaCy) while ingesting")
    ap.add_argument("--corpus", type=Path, default=None, help="folder to ingest (default: the bundled corpus)")
    ap.add_argument("--skip", choices=["cold", "unchanged", "pdf"], action="append", default=[],
                    help="leave out a measurement (repeatable)")
    ap.add_argument("--overhead", action="store_true",
                    help="also time cold ingests tagged and untagged alternately: what tagging adds")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    args = ap.parse_args(argv)
    runs = max(1, args.runs)

    from corpus import corpus_dir

    corpus = (args.corpus or corpus_dir()).resolve()
    print(f"sgsearch ingest benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, runs={runs},"
          f" tagging {'on' if args.tag else 'off'}")
    print("code: " + _revision(('ingest/pipeline.py', 'ingest/tagworker.py', 'ingest/themes.py', 'ingest/readers/pdf.py')))
    print(f"load average at start: {_load()}  (other work on this machine skews the figures)")
    work = Path(tempfile.mkdtemp(prefix="sgsearch-bench-ingest-"))
    try:
        index_dir = None
        if "cold" not in args.skip:
            try:
                index_dir = bench_cold(corpus, runs, args.tag, work)
            except RuntimeError as e:
                print(f"  cold ingest could not run: {e}")
        if "unchanged" not in args.skip:
            if index_dir is None:
                index_dir = work / "unchanged"
                try:
                    _run_driver(index_dir, [corpus], jobs=1, tag=args.tag)
                except RuntimeError as e:
                    print(f"  could not build the index for the re-ingest: {e}")
                    index_dir = None
            if index_dir is not None:
                bench_unchanged(corpus, index_dir, runs)
        if "pdf" not in args.skip:
            folder = work / "pdfs"
            folder.mkdir()
            t = time.perf_counter()
            pdfs, pages, how = make_pdfs(folder, args.pdfs, args.pages)
            print(f"\nGenerated {len(pdfs)} PDFs, {pages} pages ({pages / len(pdfs):.1f} per file) with {how}"
                  f" in {time.perf_counter() - t:.1f} s")
            try:
                bench_pdf(pdfs, runs, args.tag, work)
            except RuntimeError as e:
                print(f"  PDF ingest could not run: {e}")
        if args.overhead:
            try:
                bench_overhead(corpus, runs, work)
            except RuntimeError as e:
                print(f"  tagging overhead could not be measured: {e}")
    finally:
        print(f"\nload average at end: {_load()}")
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
