"""Long-text benchmark: the peak memory of ingesting one very long plain-text report.

Writes a ``--words``-word .txt (default 2,000,000) from the bundled corpus's own sections,
paragraphs of about 100 words, with a numbered heading every ``--every`` words (0: none,
one section the length of the file), and ingests it with theme tagging in a fresh
process. Prints the wall time, the peak memory (VmHWM) of the ingesting process and of
its tagging worker, and both against the file's size. With ``--files N`` the words are
split over N files ingested together: as each document is written once read and tagged,
the peak should follow the largest file, not the collection. A benchmark, not a test:
it always exits 0.

    python bench/longtext.py --words 2000000 --every 2000
    python bench/longtext.py --words 2000000 --every 0
    python bench/longtext.py --words 2000000 --files 20 --engine tantivy
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load, revision, use_project_root  # noqa: E402

use_project_root()

_INGEST = r"""
import json, resource, sys, time
t = time.perf_counter()
from ingest.pipeline import ingest
r = ingest([sys.argv[1]], sys.argv[2], engine=sys.argv[3] or None)
with open("/proc/self/status") as fh:
    kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the worker's peak (KB on Linux)
print(json.dumps({"s": time.perf_counter() - t, "mb": kb / 1024, "worker_mb": child / 1024,
                  "sections": r.sections, "failed": r.failed}))
"""


def write_text(path: Path, words: int, every: int, seed: int) -> None:
    from corpus import corpus_dir

    pool = []
    for f in sorted(corpus_dir().glob("*")):
        if f.suffix in (".txt", ".md"):
            pool += f.read_text(encoding="utf-8").split()
    if not pool:  # the corpus holds PDFs: read their sections from an index instead
        from ingest.pipeline import ingest
        from search.index.store import Store

        ix = Path(tempfile.mkdtemp(prefix="longtext-corpus-"))
        ingest([corpus_dir()], ix, tag=False)
        pool = [w for s in Store(ix).records("section") for w in (s.get("text") or "").split()]
        shutil.rmtree(ix, ignore_errors=True)
    rng = random.Random(seed)
    out, n, heading = ["Safeguarding Children Partnership Annual Report 2021/22", ""], 0, 0
    while n < words:
        if every and n % every < 100:
            heading += 1
            out += [f"{heading} {' '.join(rng.choice(pool) for _ in range(4)).title()}", ""]
        start = rng.randrange(max(1, len(pool) - 100))
        para = pool[start:start + 100]
        out += [" ".join(para), ""]
        n += len(para)
    path.write_text("\n".join(out), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=2_000_000)
    ap.add_argument("--every", type=int, default=2000, help="words between headings (0: no headings)")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--files", type=int, default=1, help="files the words are split over")
    ap.add_argument("--engine", choices=["whoosh", "tantivy"], default=None)
    args = ap.parse_args(argv)
    print(f"load {load()}; {revision(('ingest/pipeline.py', 'ingest/tagworker.py', 'ingest/themes.py'))}")
    tmp = Path(tempfile.mkdtemp(prefix="sgsearch-longtext-"))
    try:
        if args.files > 1:
            src = tmp / "reports"
            src.mkdir()
            for i in range(args.files):
                write_text(src / f"report-{i:03d}.txt", args.words // args.files, args.every, args.seed + i)
        else:
            src = tmp / "long-report.txt"
            write_text(src, args.words, args.every, args.seed)
        mb = sum(f.stat().st_size for f in ([src] if src.is_file() else src.iterdir())) / 2**20
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _INGEST, str(src), str(tmp / "index"), args.engine or ""],
                              capture_output=True, text=True)
        if proc.returncode:
            print(f"ingest failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
            return 0
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        files = f" in {args.files} files" if args.files > 1 else ""
        print(f"{args.words:,} words ({mb:.1f} MB{files}), a heading every {args.every or 'never'} words"
              f"{', ' + args.engine if args.engine else ''}: ingested in "
              f"{time.perf_counter() - t:.0f} s, {r['sections']} sections, failed {r['failed']}\n"
              f"  peak memory: ingest {r['mb']:.0f} MB (x{r['mb'] / mb:.0f} the text), tagging worker "
              f"{r['worker_mb']:.0f} MB (x{r['worker_mb'] / mb:.0f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
