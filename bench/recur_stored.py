"""Tokens stored at write time: ``recur``'s first run (empty cache) with and without them, and
the write rate of an ingest with and without making them, alternately.

Builds an index with ``bench/recur.py``'s generator (its items' tokens stored as ingest stores
them), then runs ``search.recur.recur`` in this process on an empty cache, the stored tokens
file in place and moved aside in turn; then ingests the bundled corpus into a fresh index,
making the tokens and not, in turn. Prints CPU and wall times with the load average; checks
that both first runs give the same answer.

    python bench/recur_stored.py --sections 100000 --runs 2
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recur as bench_recur  # noqa: E402  (bench/recur.py: its generator; it sets up sys.path)

import ingest.pipeline as pipeline  # noqa: E402
from corpus import corpus_dir  # noqa: E402
from ingest.itemtokens import ItemTokens  # noqa: E402
from search.index.store import Store  # noqa: E402
from search.recur import recur  # noqa: E402
from search.vocab.concepts import TOKENS_FILE  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def first_run(root: Path, cache: Path) -> tuple[float, float, list]:
    """CPU and wall seconds of recur on an empty cache, and its answer."""
    shutil.rmtree(cache, ignore_errors=True)
    os.environ["SGSEARCH_CACHE"] = str(cache)
    store = Store(root)
    c, t = time.process_time(), time.perf_counter()
    out = recur(store)
    cpu, wall = time.process_time() - c, time.perf_counter() - t
    store.close()
    return cpu, wall, out


class _NoTokens(ItemTokens):
    """Ingest's token maker doing nothing: an ingest as before tokens were stored (its other
    methods inherited, so it keeps the interface ingest calls)."""

    def __init__(self, *a, **k):
        self.gone = set()

    def add_item(self, item: dict) -> None:
        pass

    def add_section(self, *a, **k) -> None:
        pass

    def list_earlier(self, store) -> None:
        pass

    def files(self, folder: Path | None = None) -> dict[str, object]:
        return {}

    def close(self) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sections", type=int, default=100_000)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=29)
    ap.add_argument("--runs", type=int, default=2, help="pairs of runs")
    ap.add_argument("--copies", type=int, default=4, help="ingests of the corpus each way")
    ap.add_argument("--write-sections", type=int, default=20_000, help="the generator's writes timed each way")
    ap.add_argument("--writes-only", action="store_true", help="time the writes only")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="recur-stored-"))
    try:
        for run in range(args.copies):
            for make in (True, False):
                c, t = time.process_time(), time.perf_counter()
                n = bench_recur.build(tmp / f"write-{run}-{make}", args.write_sections, args.docs, args.seed, make)
                cpu, wall = time.process_time() - c, time.perf_counter() - t
                print(f"generator's write of {n:,} items, {'making' if make else 'without'} tokens: {cpu:.2f} s CPU, "
                      f"{wall:.2f} s wall, {n / wall:.0f} items/s (load {_load()})", flush=True)
                shutil.rmtree(tmp / f"write-{run}-{make}", ignore_errors=True)
        if args.writes_only:
            return 0
        root = tmp / "ix"
        t = time.perf_counter()
        n = bench_recur.build(root, args.sections, args.docs, args.seed)
        gen = Store(root).current_dir()
        files = sorted(gen.glob(f"{TOKENS_FILE}-*.tsv"))
        print(f"{n:,} items written in {time.perf_counter() - t:.0f} s; stored tokens "
              f"{sum(f.stat().st_size for f in files) / 2**20:.1f} MiB (load {_load()})")
        answers = {}
        for _ in range(args.runs):
            for stored in (True, False):
                if not stored:
                    for f in files:
                        f.rename(f.with_name(f.name + ".off"))
                cpu, wall, out = first_run(root, tmp / "cache")
                if not stored:
                    for f in files:
                        f.with_name(f.name + ".off").rename(f)
                answers.setdefault(stored, out)
                print(f"recur first run, {'with' if stored else 'without'} stored tokens: {cpu:.2f} s CPU, "
                      f"{wall:.2f} s wall, {len(out)} groups (load {_load()})")
        print("same answer with and without:", answers[True] == answers[False])
        real = pipeline.ItemTokens
        for run in range(args.copies):
            for make in (True, False):
                pipeline.ItemTokens = real if make else _NoTokens
                c, t = time.process_time(), time.perf_counter()
                report = pipeline.ingest([corpus_dir()], tmp / f"ingest-{run}-{make}", rebuild=True)
                cpu, wall = time.process_time() - c, time.perf_counter() - t
                print(f"ingest of the corpus ({report.sections} sections), {'making' if make else 'without'} tokens: "
                      f"{cpu:.2f} s CPU here, {wall:.2f} s wall, {report.sections / wall:.0f} sections/s (load {_load()})")
        pipeline.ItemTokens = real
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
