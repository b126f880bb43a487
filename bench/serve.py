"""Web page benchmark: page times of ``sgsearch serve`` on the bundled corpus, and its start time.

Builds an index of the bundled corpus in a temporary folder, then times in-process requests
(Starlette's TestClient, no network) to the search page (a set of queries, each page asked
``--rounds`` times), the themes page and the recurrence page, and prints p50/p95 per page
(target: p95 <= 100 ms). The first recurrence request (which computes the groups; later
ones reuse them until the index changes) is printed on its own. Then it starts
``sgsearch serve`` ``--starts`` times on a free port of 127.0.0.1 and times until the first
page answers (target: median <= 1.5 s).

With ``--scale-dir DIR`` (a synthetic index built by ``python bench/query.py --scale-dir DIR``,
100,000 sections by default, matched by tantivy) it also times the search page there
(target: p95 <= 300 ms).

This is a benchmark, not a test: it always exits 0 and prints PASS or MISS.

    python bench/serve.py
    python bench/serve.py --rounds 20 --starts 7
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load, revision, use_project_root, verdict  # noqa: E402

use_project_root()

PAGE_TARGET_MS = 100.0
SCALE_TARGET_MS = 300.0
START_TARGET_S = 1.5
QUERIES = ["pre-birth", "neglect", "fathers and male carers", "domestic abuse", "training", "was not brought",
           "exploitation", "child death", "escalation", "early help"]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


CPU: list[float] = []  # CPU time of each timed request (all threads of this process)


def timed(client, url: str) -> float:
    """Wall time of one request in ms; its CPU time goes to CPU (less skewed by other work on the machine)."""
    c, t = time.process_time(), time.perf_counter()
    r = client.get(url)
    dt = (time.perf_counter() - t) * 1000
    CPU.append((time.process_time() - c) * 1000)
    assert r.status_code == 200, (url, r.status_code)
    return dt


def collect(results: dict, name: str, client, url: str) -> None:
    results.setdefault(name, ([], []))
    results[name][0].append(timed(client, url))
    results[name][1].append(CPU[-1])


def pages(index: Path, rounds: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from web import create_app

    with TestClient(create_app(index), base_url="http://127.0.0.1:8765") as c:
        timed(c, "/")  # templates compiled, index opened
        first_recur = timed(c, "/recur")
        results: dict[str, tuple[list[float], list[float]]] = {}
        for _ in range(rounds):
            for q in QUERIES:
                collect(results, "search", c, "/?q=" + urllib.request.quote(q))
            collect(results, "search, page 2 and a facet", c, "/?q=training&page=2")
            collect(results, "search, page 2 and a facet", c, "/?q=pre-birth&year=2016-17")
            collect(results, "themes", c, "/themes")
            collect(results, "themes cell", c, "/themes?theme=neglect&year=2016-17")
            collect(results, "recur", c, "/recur")
    print(f"page times over the bundled corpus ({rounds} rounds; target p95 <= {PAGE_TARGET_MS:.0f} ms):")
    for name, (ms, cpu) in results.items():
        p95 = pct(ms, 95)
        print(f"  {name:<28} p50 {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {max(ms):6.1f} ms"
              f"  (CPU p50 {statistics.median(cpu):5.1f}, p95 {pct(cpu, 95):5.1f} ms; {len(ms)} requests)"
              f"  {verdict(p95 <= PAGE_TARGET_MS)}")
    print(f"  recur, first request (computes the groups): {first_recur:.0f} ms")


def scale(index: Path, rounds: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from web import create_app

    with TestClient(create_app(index), base_url="http://127.0.0.1:8765") as c:
        timed(c, "/?q=children")
        results: dict[str, tuple[list[float], list[float]]] = {}
        for _ in range(rounds):
            for q in QUERIES:
                collect(results, "search", c, "/?q=" + urllib.request.quote(q))
        ms, cpu = results["search"]
        p95 = pct(ms, 95)
    print(f"search page at scale ({index}): p50 {statistics.median(ms):.1f} ms  p95 {p95:.1f} ms  "
          f"max {max(ms):.1f} ms  (CPU p50 {statistics.median(cpu):.1f}, p95 {pct(cpu, 95):.1f} ms; "
          f"{len(ms)} requests; target p95 <= {SCALE_TARGET_MS:.0f} ms)  "
          f"{verdict(p95 <= SCALE_TARGET_MS)}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_time(index: Path) -> float:
    port = free_port()
    exe = shutil.which("sgsearch")
    cmd = [exe] if exe else [sys.executable, "-m", "cli"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd + ["serve", "--index", str(index), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t < 30:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
                return time.perf_counter() - t
            except OSError:
                time.sleep(0.01)
        return float("inf")
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=10, help="Times each page is asked.")
    ap.add_argument("--starts", type=int, default=5, help="Server starts timed.")
    ap.add_argument("--scale-dir", type=Path, help="Also time the search page on this synthetic index.")
    args = ap.parse_args()
    from corpus import corpus_dir
    from ingest.pipeline import ingest

    print(f"load {load()}; {revision(('web/app.py', 'web/routes.py', 'search/facets.py', 'search/query.py'))}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("SGSEARCH_CACHE", str(Path(tmp) / "cache"))
        index = Path(tmp) / "index"
        ingest([corpus_dir()], index)
        pages(index, args.rounds)
        starts = [start_time(index) for _ in range(args.starts)]
        med = statistics.median(starts)
        print(f"server start to first page: median {med:.2f} s (min {min(starts):.2f}, max {max(starts):.2f}; "
              f"{len(starts)} starts; target <= {START_TARGET_S} s)  {verdict(med <= START_TARGET_S)}")
    if args.scale_dir:
        scale(args.scale_dir, max(1, args.rounds // 5))
    print(f"load {load()}")


if __name__ == "__main__":
    main()
