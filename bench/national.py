"""National-scale benchmark: every command on one tantivy index of a national collection.

Builds (once; cached in ``--scale-dir``) the synthetic index of ``bench/query.py``
(``--sections`` sections over ``--docs`` documents and ten years, text spliced from the
corpus's own sections) on tantivy, and adds items (``--items`` per section, rewritten
corpus items, as ``bench/recur.py`` makes them) so that ``recur`` has work. Then prints:

- the write rate, and its ratio to raw tantivy writing the same sections with its own
  ``en_stem`` tokenizer (alternately, ``--raw`` sections a round, three rounds);
- the index size; warm query p50/p95 (``bench/query.py``'s query mix, in-process);
- each command in a fresh process, with its wall time and peak memory (VmHWM, by
  ``/usr/bin/time``; beside it the sampled peak of its own, anonymous memory, since VmHWM also
  counts the index's file pages the engine maps, as many as the page cache holds): the cold
  query ``sgsearch "pre-birth"`` (and, alternately, a bare ``python -c "import click,
  tantivy"``), ``trace``, ``themes``, ``recur`` (its first run, with an empty cache of its
  own, then warm), ``recur --check``;
- the search page against its own ``search()`` call, the facet counts it fetches after its
  hits (``/facets``) and the themes page (in one fresh process through Starlette's
  TestClient, warm medians), with that process's peak memory.

Targets (issue 29, at 1,000,000 sections / 1,500 documents): every command exits 0;
write >= 1/2 raw tantivy; warm p95 <= 50 ms; themes and trace <= 1 s; recur <= 30 s and
<= 500 MB; search page <= 2x its search(); any command <= 1 GB; cold query <= 1.5x the
bare import. A benchmark, not a test: it always exits 0 and prints PASS or MISS.

    python bench/national.py --sections 300000 --docs 1500 --scale-dir /tmp/national
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import query as qb  # noqa: E402  (bench/query.py: corpus index, synthetic sections, warm queries)
from _common import load, revision, verdict  # noqa: E402

TARGET_RAW_RATIO, TARGET_P95_MS, TARGET_COUNT_S = 0.5, 50.0, 1.0
TARGET_RECUR_S, TARGET_RECUR_MB, TARGET_MB, TARGET_PAGE_X, TARGET_COLD_X = 30.0, 500.0, 1024.0, 2.0, 1.5
ITEMS_FILE = "bench-items.json"
CHECK = "Fathers and male carers should be included in assessments and invited to meetings."


CPU: dict[str, float] = {}  # the CPU seconds (user and system) of the last process _timed ran
OWN: dict[str, float] = {}  # the last process's own memory at its sampled peak (MB, RssAnon)


def _own_peak(pid: int, stop, out: list) -> None:
    """Sample the anonymous memory (RssAnon: not the index's file pages the engine maps, which
    VmHWM counts as they are touched, so that it swings with the page cache) of the command
    ``/usr/bin/time`` (process ``pid``) runs, every 10 ms, into ``out``."""
    peak, child = 0, None
    while not stop.is_set():
        try:
            if child is None:
                kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                child = kids[0] if kids else None
            if child is not None:
                status = Path(f"/proc/{child}/status").read_text()
                peak = max(peak, next((int(ln.split()[1]) for ln in status.splitlines()
                                       if ln.startswith("RssAnon:")), 0))
        except (OSError, ValueError):
            pass
        stop.wait(0.01)
    out.append(peak / 1024)


def _timed(cmd: list[str], timeout: float, env: dict | None = None) -> tuple[float, float, int, str, str]:
    """``(wall s, peak MB, exit code, last line of stderr, stdout)`` of one fresh process
    (its CPU time in ``CPU["last"]``: wall time beyond it is mostly the machine's other work;
    its own memory's sampled peak in ``OWN["last"]``)."""
    t = time.perf_counter()
    CPU["last"] = OWN["last"] = float("nan")
    proc = subprocess.Popen(["/usr/bin/time", "-f", "@@%M %U %S", *cmd], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tempfile.gettempdir(), env=env)
    stop, own = threading.Event(), []
    sampler = threading.Thread(target=_own_peak, args=(proc.pid, stop, own), daemon=True)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return timeout, float("nan"), -1, f"did not finish in {timeout:.0f} s", ""
    finally:
        stop.set()
        sampler.join()
    wall = time.perf_counter() - t
    OWN["last"] = own[0] if own else float("nan")
    lines = stderr.strip().splitlines()
    kb, user, system = next((ln[2:].split() for ln in reversed(lines) if ln.startswith("@@")), ("0", "nan", "nan"))
    CPU["last"] = float(user) + float(system)
    other = [ln for ln in lines if not ln.startswith("@@") and "exited with non-zero" not in ln]
    return wall, int(kb) / 1024, proc.returncode, (other or [""])[-1][:160], stdout


# -- items ---------------------------------------------------------------------------------

def add_items(scale_dir: Path, corpus_ix: Path, n_sections: int, n_docs: int, per_section: float, seed: int) -> int:
    """Add rewritten corpus items to the synthetic sections (once per generation); how many."""
    from ingest.itemtokens import ItemTokens
    from search.index.records import item_to_fields
    from search.index.store import Store
    from search.recur import load_items
    from search.vocab.thesaurus import stored
    from search.vocab.years import fy_label

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from recur import _variant

    store = Store(scale_dir)
    marker = scale_dir / ITEMS_FILE
    want = {"generation": store.current_dir().name, "per_section": per_section}
    if marker.exists() and json.loads(marker.read_text()) == want:
        return int(n_sections * per_section)
    base = load_items(Store(corpus_ix))
    pool = [w for it in base for w in it["text"].split()]
    rng = random.Random(seed)
    n_items = int(n_sections * per_section)
    per_doc = n_sections // n_docs
    t = time.perf_counter()
    tokens = ItemTokens(store.taxonomy(), stored(store.current_dir()))  # stored as ingest stores them
    tokens.list_earlier(store)  # the sections' passages listed, as ingest lists them writing into an older index
    extra: dict = {}
    with store.locked(), store.writer(extra=extra) as (w, _manifest):
        for n in range(n_items):
            it = base[n % len(base)]
            d = rng.randrange(n_docs)
            year = qb.FIRST_YEAR + d % qb.YEARS
            sid = f"synth-{d:04d}:{rng.randrange(1, per_doc + 1)}"
            text = it["text"] if rng.random() < 0.05 else _variant(rng, it["text"].split(), pool)
            item = {"item_id": f"{sid}.{n}", "section_id": sid, "doc_id": f"synth-{d:04d}", "ordinal": n,
                    "kind": it["kind"], "text": text, "status": it["status"], "themes": it["themes"],
                    "year": fy_label(year), "year_start": year, "number": it.get("number"),
                    "heading": it.get("heading")}
            fields = item_to_fields(item, {"title": f"Synthetic report {d}", "doc_type": "annual-report"})
            tokens.add(fields)
            w.add(fields)
        extra.update(tokens.files(store.current_dir()))
    store.close()
    marker.write_text(json.dumps({**want, "generation": Store(scale_dir).current_dir().name}))
    print(f"    added {n_items:,} items in {time.perf_counter() - t:.0f} s")
    return n_items


# -- write rate against raw tantivy ----------------------------------------------------------

def _raw_schema():
    import tantivy

    b = tantivy.SchemaBuilder()
    for name in ("id", "kind", "doc_id", "section_id", "doc_type", "themes"):
        b.add_text_field(name, stored=name in ("id", "doc_id"), tokenizer_name="raw",
                         fast=name in ("doc_id", "doc_type", "themes"))
    for name in ("heading", "text", "title"):
        b.add_text_field(name, tokenizer_name="en_stem", index_option="position")
    for name in ("exact", "publisher"):
        b.add_text_field(name, tokenizer_name="default", index_option="position")
    b.add_integer_field("year_start", indexed=True, fast=True)
    b.add_bytes_field("data", stored=True)
    return b.build()


def _raw_doc(fields: dict):
    import tantivy

    from search.index.schema import UNSTORED

    d = tantivy.Document()
    for name in ("id", "kind", "doc_id", "section_id", "doc_type"):
        d.add_text(name, str(fields.get(name) or ""))
    for t in (fields.get("themes") or "").split(","):
        if t:
            d.add_text("themes", t)
    for name in ("heading", "text", "title", "exact", "publisher"):
        d.add_text(name, fields.get(name) or "")
    d.add_integer("year_start", fields["year_start"])
    stored = {k: v for k, v in fields.items() if v is not None and k not in UNSTORED}
    d.add_bytes("data", json.dumps(stored, default=str, separators=(",", ":")).encode("utf-8"))
    return d


def raw_ratio(scale_dir: Path, n: int, rounds: int = 3) -> tuple[float, float]:
    """Sections/s of our tantivy writer and of raw tantivy on the same ``n`` sections, alternately
    (the CPU seconds each took, all of this process's threads, in ``CPU["ours"]`` and ``CPU["raw"]``)."""
    import tantivy

    from search.index.backends.tantivy import TantivyBackend
    from search.index.records import exact_value
    from search.index.store import Store

    st = Store(scale_dir)
    sections: list[dict] = []
    for d in range(qb.YEARS * 20):  # documents' worth until there are enough
        sections += st.records("section", doc_id=f"synth-{d:04d}")
        if len(sections) >= n:
            break
    st.close()
    fields = [{**s, "exact": exact_value(s)} for s in sections[:n]]
    ours, raw = [], []
    cpu: dict[str, list[float]] = {"ours": [], "raw": []}
    for r in range(rounds):
        for which in (("ours", "raw") if r % 2 == 0 else ("raw", "ours")):
            tmp = Path(tempfile.mkdtemp(prefix=f"national-{which}-"))
            try:
                t, c = time.perf_counter(), time.process_time()
                if which == "ours":
                    b = TantivyBackend.create(tmp)
                    w = b.writer()
                    for f in fields:
                        w.add(f)
                    w.commit()
                    b.close()
                    ours.append(len(fields) / (time.perf_counter() - t))
                else:
                    ix = tantivy.Index(_raw_schema(), path=str(tmp))
                    w = ix.writer(64_000_000, 1)
                    for f in fields:
                        w.add_document(_raw_doc(f))
                    w.commit()
                    w.wait_merging_threads()
                    raw.append(len(fields) / (time.perf_counter() - t))
                cpu[which].append(time.process_time() - c)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    CPU.update({k: statistics.median(v) for k, v in cpu.items()})
    return statistics.median(ours), statistics.median(raw)


# -- pages ---------------------------------------------------------------------------------

_PAGES = r"""
import json, statistics, sys, time, urllib.parse, warnings
warnings.simplefilter("ignore")
from starlette.testclient import TestClient
from web import create_app
from search.query import search
from search.index.store import Store
index, rounds = sys.argv[1], int(sys.argv[2])
queries = ["pre-birth", "neglect", "domestic abuse", "training", "early help", "information sharing"]
store = Store(index)
out = {"search()": [], "search page": [], "facets": [], "themes page": []}
cpu = {k: [] for k in out}  # the process's CPU time of each (the app answers in a thread of this process)
def timed(name, call):
    t, p = time.perf_counter(), time.process_time()
    r = call()
    out[name].append(time.perf_counter() - t); cpu[name].append(time.process_time() - p)
    return r
with TestClient(create_app(index, hosts=["testserver"])) as c:
    r0 = c.get("/?q=children").text
    assert c.get("/themes").status_code == 200
    for _ in range(rounds):
        for q in queries:
            timed("search()", lambda: search(store, q, limit=10))
            r = timed("search page", lambda: c.get("/?q=" + urllib.parse.quote(q)))
            assert r.status_code == 200, r.status_code
            # the counts the page fetches after its hits (a code without them answers 404)
            r = timed("facets", lambda: c.get("/facets?fragment=1&q=" + urllib.parse.quote(q)))
            assert r.status_code in (200, 404), r.status_code
        r = timed("themes page", lambda: c.get("/themes"))
        assert r.status_code == 200, r.status_code
print(json.dumps({**{k: statistics.median(v) * 1000 for k, v in out.items()}, "inline": int("data-facets" not in r0),
                  **{k + " CPU": statistics.median(v) * 1000 for k, v in cpu.items()}}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sections", type=int, default=1_000_000)
    ap.add_argument("--docs", type=int, default=1500)
    ap.add_argument("--items", type=float, default=0.4,
                    help="items per section (default 0.4; the bundled corpus has 1.2)")
    ap.add_argument("--scale-dir", type=Path, default=Path(tempfile.gettempdir()) / "sgsearch-national")
    ap.add_argument("--index", type=Path, help="corpus index (default: built in a temporary folder)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--raw", type=int, default=10_000, help="sections a round of the raw tantivy comparison")
    ap.add_argument("--runs", type=int, default=5, help="fresh-process runs of the cold query")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the page timings")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds a command may take")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--tag", action="store_true",
                    help="tag each generated section with the tagger, as ingest does (default: the themes of the"
                         " corpus section that gave it most words, which its text need not hold)")
    ap.add_argument("--skip", choices=["raw", "warm", "recur"], action="append", default=[],
                    help="leave out a part (e.g. when measuring again on the same index)")
    args = ap.parse_args(argv)

    print(f"sgsearch national-scale benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"{args.sections:,} sections, {args.docs:,} documents, {args.items:g} items a section, tantivy")
    print("code: " + revision(("search/index/backends/tantivy.py", "search/trace.py", "search/facets.py", "search/query.py",
                               "search/recur/clustering.py", "web/routes.py")))
    print(f"load average at start: {load()}")
    tmp = Path(tempfile.mkdtemp(prefix="sgsearch-national-"))
    try:
        corpus_ix, _ = qb.corpus_index((args.index or tmp / "corpus-ix").resolve(), True)
        scale = args.scale_dir.resolve()
        t = time.perf_counter()
        qb.build_scale(scale, corpus_ix, args.sections, args.docs, args.seed, "tantivy", args.tag)
        n_items = add_items(scale, corpus_ix, args.sections, args.docs, args.items, args.seed)
        from search.index.store import Store

        live = Store(scale).current_dir()  # a generation a rebuild retired is kept a while beside it: not counted
        print(f"    index ready in {time.perf_counter() - t:.0f} s; size "
              f"{sum(f.stat().st_size for f in live.rglob('*') if f.is_file()) / 2**20:.0f} MiB "
              f"with {n_items:,} items")

        ours, raw = raw_ratio(scale, args.raw) if "raw" not in args.skip else (0.0, 0.0)
        if raw:
            print(f"\nwrite rate, {args.raw:,} of its sections written 3 times each way, alternately: ours {ours:.0f}"
                  f" sections/s, raw tantivy (en_stem) {raw:.0f}/s: x{ours / raw:.2f}   target >= x{TARGET_RAW_RATIO}"
                  f"  {verdict(ours / raw >= TARGET_RAW_RATIO)}\n    CPU a round: ours {CPU['ours']:.1f} s, raw"
                  f" {CPU['raw']:.1f} s: x{CPU['raw'] / CPU['ours']:.2f} (other work on the machine hardly changes it)")
        if "warm" not in args.skip:
            qb.bench_warm(scale, corpus_ix, args.queries, args.seed, 10)

        print(f"\ncommands, each a fresh process (wall, peak memory VmHWM; own: the sampled peak of its anonymous"
              f" memory, without the index's mapped file pages; load {load()}):")
        py = sys.executable
        sg = str(Path(py).with_name("sgsearch"))
        qs, bs, mbs, qc, bc, owns = [], [], [], [], [], []
        for _ in range(args.runs):  # alternately: the query, then the bare import
            wall, mb, code, err, _ = _timed([sg, "pre-birth", "--index", str(scale)], args.timeout)
            qs.append(wall)
            qc.append(CPU["last"])
            mbs.append(mb)
            owns.append(OWN["last"])
            bs.append(_timed([py, "-c", "import click, tantivy"], args.timeout)[0])
            bc.append(CPU["last"])
        x = statistics.median(qs) / statistics.median(bs)
        print(f"  {'cold query pre-birth':34s} {statistics.median(qs):7.2f} s  {max(mbs):6.0f} MB  exit {code}"
              f"   bare import {statistics.median(bs):.2f} s: x{x:.2f}  target <= x{TARGET_COLD_X}"
              f"  {verdict(x <= TARGET_COLD_X and code == 0)}   (CPU {statistics.median(qc):.2f} s,"
              f" bare import's {statistics.median(bc):.2f} s; own {max(owns):.0f} MB)")
        for label, cmd, limit_s, limit_mb in (
                ("trace safeguarding", ["trace", "safeguarding"], TARGET_COUNT_S, TARGET_MB),
                ("trace neglect (the theme)", ["trace", "neglect"], TARGET_COUNT_S, TARGET_MB),
                ("themes", ["themes"], TARGET_COUNT_S, TARGET_MB),
                ("recur, first run (empty cache)", ["recur"], TARGET_RECUR_S, TARGET_RECUR_MB),
                ("recur, warm", ["recur"], TARGET_RECUR_S, TARGET_RECUR_MB),
                ("recur --check", ["recur", "--check", CHECK], TARGET_RECUR_S, TARGET_RECUR_MB)):
            if cmd[0] == "recur" and "recur" in args.skip:
                continue
            # recur's own cache in this run's folder: its first run is one with nothing cached
            env = {**os.environ, "SGSEARCH_CACHE": str(tmp / "recur-cache")} if cmd[0] == "recur" else None
            wall, mb, code, err, _ = _timed([sg, *cmd, "--index", str(scale)], args.timeout, env)
            ok = code == 0 and wall <= limit_s and mb <= limit_mb
            print(f"  {label:34s} {wall:7.2f} s  {mb:6.0f} MB  exit {code}   target <= {limit_s:g} s and "
                  f"<= {limit_mb:g} MB  {verdict(ok)}   (CPU {CPU['last']:.2f} s, own {OWN['last']:.0f} MB)"
                  + (f"   ({err})" if code else ""))

        _timed([py, "-c", _PAGES, str(scale), "1"], args.timeout)  # the OS file cache, as for the commands
        wall, mb, code, err, out = _timed([py, "-c", _PAGES, str(scale), str(args.rounds)], args.timeout)
        if code:
            print(f"  pages: failed ({err})")
        else:
            ms = json.loads(out.strip().splitlines()[-1])
            x = ms["search page"] / ms["search()"]
            print(f"  pages (one process, warm medians of {args.rounds} rounds; peak {mb:.0f} MB, own {OWN['last']:.0f} MB, "
                  f"CPU {CPU['last']:.1f} s): search() "
                  f"{ms['search()']:.0f} ms, search page {ms['search page']:.0f} ms: x{x:.2f}   target <= "
                  f"x{TARGET_PAGE_X:g}  {verdict(x <= TARGET_PAGE_X)}; themes page {ms['themes page']:.0f} ms\n"
                  f"    in CPU time: search() {ms['search() CPU']:.0f} ms, search page {ms['search page CPU']:.0f} ms:"
                  f" x{ms['search page CPU'] / ms['search() CPU']:.2f}; themes page {ms['themes page CPU']:.0f} ms\n"
                  f"    the facet counts the page fetches after its hits (/facets): {ms['facets']:.0f} ms, CPU "
                  f"{ms['facets CPU']:.0f} ms" + ("" if not ms["inline"] else " (this page counts them with its hits)"))
    finally:
        print(f"\nload average at end: {load()}")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
