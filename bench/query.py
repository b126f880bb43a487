"""Query benchmark: cold command-line latency and warm query latency at scale.

(a) Cold CLI latency. Builds an index of the bundled corpus (or uses ``--index DIR``),
    then runs ``sgsearch "pre-birth" --index DIR`` as a fresh process ``--runs`` times
    (one untimed warm-up run first, so the OS file cache is warm and the Python process
    is cold) and prints the median and p95 wall time (target: median <= 250 ms). Both the
    ``sgsearch`` found on PATH and the console script beside this interpreter are timed
    (they differ when PATH holds a pyenv shim). A breakdown follows (interpreter start-up,
    ``import cli``, the search itself), a check that the query path imported neither spaCy
    nor pdfplumber, and the slowest imports from ``python -X importtime``.

(b) Warm query latency at scale. Builds (once; cached in ``--scale-dir``) a synthetic
    index of ``--sections`` sections (default 100000) over ``--docs`` documents and ten
    financial years, written directly with ``Store.writer(fresh=True)`` and
    ``section_to_fields``. Section text is spliced from runs of words of the corpus's own
    sections (80-250 words each), so the vocabulary, word frequencies and common phrases
    are those of real reports; each section takes the themes of the corpus section that
    gave it most words. Then ``--queries`` queries (single words, two-word AND, quoted
    phrases, theme names, and words filtered by --from/--to years) run in-process with
    ``search.query.search`` and p50/p95/max are printed (target: p95 <= 50 ms on
    tantivy). The index is written with ``--engine`` (default tantivy); the write rate
    excludes making the text (target: >= 2,000 sections/s on tantivy).

(c) Counting at scale: ``sgsearch trace`` of a common word and ``sgsearch themes`` over
    the synthetic index, each in a fresh process: wall time and the process's peak
    memory (targets on tantivy: <= 1 s and <= 200 MB each).

This is a benchmark, not a test: it always exits 0 and prints PASS or MISS per target.

Run it from the project root::

    python bench/query.py --runs 15
    python bench/query.py --sections 100000 --scale-dir /tmp/sgsearch-scale
    python bench/query.py --engine whoosh --sections 20000 --skip cli
    python bench/query.py --skip scale --runs 30
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
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
from _common import load as _load  # noqa: E402
from _common import revision as _revision  # noqa: E402
from _common import use_project_root  # noqa: E402
from _common import verdict as _verdict  # noqa: E402

use_project_root()

TARGET_CLI_MS = 250.0
TARGET_CLI_RATIO = 1.5  # cold query over a bare `python -c "import click, whoosh.index"` (tantivy: click, tantivy)
TARGET_WRITE_RATE = 2000.0
TARGET_COUNT_S, TARGET_COUNT_MB = 1.0, 200.0
TARGET_WARM_P95_MS = 50.0
HEAVY = ("spacy", "pdfplumber", "pypdfium2", "docx", "thinc", "numpy", "rapidfuzz")
FIRST_YEAR, YEARS = 2015, 10
PARAMS_FILE = "bench-scale.json"
_WORD = re.compile(r"^[A-Za-z][a-z]+$")
_STOP = frozenset("""a about after all also an and any are as at be been being but by can could did do does for
from had has have he her his how if in into is it its may more most must not of on or other our out over she
should so some such than that the their them then there these they this those through to under up was we were
what when where which while who will with within would you your""".split())


def _pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def _run(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tempfile.gettempdir(), **kw)
    return time.perf_counter() - t, proc


def _time_cmd(cmd: list[str], runs: int) -> list[float]:
    _run(cmd)  # warm-up: OS file cache, .pyc files
    return [_run(cmd)[0] * 1000 for _ in range(runs)]


# -- corpus index --------------------------------------------------------------------------

_INGEST = r"""
import json, sys
from ingest.pipeline import ingest
r = ingest([sys.argv[2]], sys.argv[1], tag=sys.argv[3] == "1")
print(json.dumps({"added": len(r.added), "unchanged": len(r.unchanged), "sections": r.sections, "failed": r.failed}))
"""


def corpus_index(index_dir: Path, tag: bool) -> tuple[Path, bool]:
    """Make sure ``index_dir`` holds the bundled corpus; return it and whether it is tagged."""
    from corpus import corpus_dir
    from search.index.store import Store

    if Store(index_dir).exists():
        return index_dir, tag
    for attempt_tag in ([True, False] if tag else [False]):
        wall, proc = _run([sys.executable, "-c", _INGEST, str(index_dir), str(corpus_dir()), "1" if attempt_tag else "0"])
        if proc.returncode == 0:
            rep = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"Built the corpus index at {index_dir} in {wall:.1f} s: {rep['added']} documents,"
                  f" {rep['sections']} sections, tagging {'on' if attempt_tag else 'off'}")
            return index_dir, attempt_tag
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        print(f"  note: ingest with tagging {'on' if attempt_tag else 'off'} failed: {tail}")
    raise SystemExit("could not build the corpus index")


# -- (a) cold CLI --------------------------------------------------------------------------

_MODULES = r"""
import json, sys
from cli import main
try:
    main(["pre-birth", "--index", sys.argv[1]], standalone_mode=False)
except SystemExit:
    pass
heavy = {m: m in sys.modules for m in sys.argv[2].split(",")}
print("\n@@" + json.dumps(heavy))
"""


# The least a cold search through Whoosh's documented API does on our index: the floor under
# any Whoosh-based query command (whoosh.searching imports whoosh.query, which brings asyncio
# through the cached-property package, and whoosh.lang.morph_en's compiled patterns).
_FLOOR = r"""
import sys
import click, whoosh.index
from whoosh.qparser import QueryParser
ix = whoosh.index.open_dir(sys.argv[1])  # its schema's analyzers are ours: unpickling imports them
with ix.searcher() as s:
    for hit in s.search(QueryParser("text", ix.schema).parse("pre-birth"), limit=10):
        print(hit["id"])
"""

def _importtime(code: str) -> list[tuple[int, int, str]]:
    """``(cumulative us, depth, module)`` from ``python -X importtime -c code``, slowest first."""
    _, proc = _run([sys.executable, "-X", "importtime", "-c", code])
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    return sorted(rows, reverse=True)


def bench_cli(index_dir: Path, runs: int, extra: list[str]) -> None:
    print(f"\n(a) Cold CLI latency: sgsearch \"pre-birth\" --index {index_dir}  ({runs} runs after 1 warm-up)")
    py = sys.executable
    commands: list[tuple[str, list[str]]] = []
    on_path = shutil.which("sgsearch")
    beside = Path(py).with_name("sgsearch")
    if on_path:
        commands.append((f"sgsearch on PATH ({on_path})", [on_path]))
    if beside.exists() and (not on_path or Path(on_path).resolve() != beside.resolve()):
        commands.append((f"console script ({beside})", [str(beside)]))
    for cmd in extra:
        commands.append((f"--cli {cmd}", cmd.split()))
    if not commands:
        commands.append(("python -c 'from cli import main'", [py, "-c", "import sys; from cli import main; sys.exit(main())"]))
    _, proc = _run([*commands[0][1], "pre-birth", "--index", str(index_dir)])
    first = next((ln for ln in proc.stdout.splitlines() if ln.strip()), "")
    print(f"  exit {proc.returncode}; first line of output: {first[:110]}")
    if proc.returncode not in (0, 1):
        print(f"  stderr: {(proc.stderr.strip().splitlines() or ['?'])[-1][:200]}")
    for label, cmd in commands:
        ms = _time_cmd([*cmd, "pre-birth", "--index", str(index_dir)], runs)
        med = statistics.median(ms)
        print(f"  {label}:\n    median {med:6.0f} ms   p95 {_pct(ms, 95):6.0f} ms   min {min(ms):.0f}  max {max(ms):.0f}"
              f"   target median <= {TARGET_CLI_MS:.0f} ms  {_verdict(med <= TARGET_CLI_MS)}")

    from search.index.store import Store

    engine = Store(index_dir).engine_name() or "whoosh"
    bare = "import click, tantivy" if engine == "tantivy" else "import click, whoosh.index"
    base = [py, "-c", bare]
    floor = [py, "-c", _FLOOR, str(Store(index_dir).current_dir())]
    query = [str(beside) if beside.exists() else commands[0][1][0], "pre-birth", "--index", str(index_dir)]
    others = [(cmd, [*c, "pre-birth", "--index", str(index_dir)]) for cmd, c in ((c, c.split()) for c in extra)]
    qs, bs, fs, os_ = [], [], [], [[] for _ in others]
    for _ in range(runs):  # alternately, so that all see the same load
        qs.append(_run(query)[0] * 1000)
        bs.append(_run(base)[0] * 1000)
        if engine == "whoosh":
            fs.append(_run(floor)[0] * 1000)
        for times, (_label, cmd) in zip(os_, others):
            times.append(_run(cmd)[0] * 1000)
    ratio = statistics.median(qs) / statistics.median(bs)
    print(f"  alternately with a bare `python -c \"{bare}\"` ({engine} index): query median"
          f" {statistics.median(qs):.0f} ms, bare {statistics.median(bs):.0f} ms: x{ratio:.2f}   target <="
          f" x{TARGET_CLI_RATIO}  {_verdict(ratio <= TARGET_CLI_RATIO)}")
    for times, (label, _cmd) in zip(os_, others):
        print(f"  in the same rounds, --cli {label}: median {statistics.median(times):.0f} ms:"
              f" x{statistics.median(times) / statistics.median(bs):.2f} the bare import")
    if fs:
        print(f"  and, in the same rounds, the least a search through Whoosh's documented API does (open the index,"
              f" parse \"pre-birth\" with QueryParser,\n  print the top 10 ids; no snippets, themes or counts):"
              f" median {statistics.median(fs):.0f} ms: x{statistics.median(fs) / statistics.median(bs):.2f} the bare"
              f" import; the query is x{statistics.median(qs) / statistics.median(fs):.2f} that")
    _cli_breakdown(py, index_dir, runs)


def _cli_breakdown(py: str, index_dir: Path, runs: int) -> None:
    print("  breakdown (median wall ms of a fresh process, same interpreter, no shim):")
    steps = [
        ("python -c pass", [py, "-c", "pass"]),
        ("python -c 'import cli'", [py, "-c", "import cli"]),
        ("python -c 'import cli, search.query'", [py, "-c", "import cli, search.query"]),
        ("sgsearch --version", [py, "-c", "import sys; from cli import main; sys.exit(main(['--version']))"]),
        ("search via cli.main", [py, "-c", "import sys; from cli import main; sys.exit(main(sys.argv[1:]))",
                                 "pre-birth", "--index", str(index_dir)]),
    ]
    for label, cmd in steps:
        ms = _time_cmd(cmd, runs)
        print(f"    {label:40s} {statistics.median(ms):6.0f} ms  (p95 {_pct(ms, 95):.0f})")

    _, proc = _run([py, "-c", _MODULES, str(index_dir), ",".join(HEAVY)])
    marker = [ln for ln in proc.stdout.splitlines() if ln.startswith("@@")]
    if marker:
        loaded = json.loads(marker[-1][2:])
        bad = [m for m in ("spacy", "pdfplumber") if loaded.get(m)]
        print(f"  modules loaded by a query: {', '.join(f'{m}={v}' for m, v in loaded.items())}"
              f"   spaCy/pdfplumber kept out: {_verdict(not bad)}")
    else:
        print(f"  module check failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")

    rows = _importtime("import cli")
    print("  slowest imports, python -X importtime -c 'import cli' (cumulative ms; depth):")
    for us, depth, name in rows[:6]:
        print(f"    {us / 1000:6.1f} ms  {'  ' * depth}{name}")
    code = f"from cli import main\ntry:\n    main(['pre-birth', '--index', {str(index_dir)!r}], standalone_mode=False)\nexcept SystemExit:\n    pass"
    rows = _importtime(code)
    top = [r for r in rows if r[1] == 0][:8]
    print("  top-level imports during a whole query (cumulative ms):")
    for us, _depth, name in top:
        print(f"    {us / 1000:6.1f} ms  {name}")


# -- (b) synthetic index at scale ------------------------------------------------------------

def _source(index_dir: Path) -> tuple[list[dict], list[dict]]:
    from search.index.store import Store

    st = Store(index_dir)
    secs = [s for s in st.records("section") if len((s.get("text") or "").split()) >= 8]
    docs = st.records("doc")
    st.close()
    return secs, docs


def build_scale(scale_dir: Path, corpus_ix: Path, n_sections: int, n_docs: int, seed: int, engine: str,
                tag: bool = False) -> None:
    """Write (or reuse) the synthetic index in ``scale_dir`` with ``engine``. Each section takes the
    themes of the corpus section that gave it most words, or with ``tag`` the themes the tagger
    finds in its own heading and text, as ingest tags them (what a query's theme tags hold).
    """
    from search.index.records import doc_to_fields, section_to_fields
    from search.index.schema import SCHEMA_VERSION
    from search.index.store import Store

    secs, docs = _source(corpus_ix)
    corpus_sig = hashlib.sha256("".join(s["section_id"] + (s.get("themes") or "") for s in secs).encode()).hexdigest()[:12]
    params = {"sections": n_sections, "docs": n_docs, "seed": seed, "schema": SCHEMA_VERSION, "corpus": corpus_sig,
              "engine": engine, **({"tagged": "tagger"} if tag else {})}
    store = Store(scale_dir)
    pfile = scale_dir / PARAMS_FILE
    if store.exists() and store.up_to_date() and pfile.exists():
        try:
            if json.loads(pfile.read_text()) == params:
                print(f"\n(b) Reusing the synthetic index in {scale_dir} ({n_sections} sections, {n_docs} documents,"
                      f" {engine})")
                return
        except ValueError:
            pass
    rng = random.Random(seed)
    words = [s["text"].split() for s in secs]
    themes = [[t for t in (s.get("themes") or "").split(",") if t] for s in secs]
    weights = [len(w) for w in words]
    headings = sorted({s["heading"] for s in secs if s.get("heading") and len(s["heading"]) < 80})
    publishers = sorted({d.get("publisher") or "" for d in docs}) or ["Safeguarding Children Partnership"]
    kinds = [("annual-report", "Annual Report"), ("board-papers", "Board Papers"), ("review", "Practice Review"),
             ("briefing", "Learning Briefing"), ("arrangements", "Safeguarding Arrangements")]
    per_doc = [n_sections // n_docs + (1 if i < n_sections % n_docs else 0) for i in range(n_docs)]
    print(f"\n(b) Building a synthetic index of {n_sections} sections over {n_docs} documents and {YEARS} years"
          f" with the {engine} engine in {scale_dir}\n    (text spliced from {len(secs)} corpus sections, {sum(weights)} words)")
    t0 = time.perf_counter()
    gen_s = 0.0
    written = 0
    from search.vocab.taxonomy import load_taxonomy

    if tag:
        from ingest.tagworker import section_text, theme_evidence
        from ingest.themes import get_tagger

        tagger = get_tagger()
    # the corpus's themes (the bundled taxonomy) saved beside the sections, as ingest saves them
    with store.writer(fresh=True, engine=engine, taxonomy=load_taxonomy()) as (w, _manifest):
        for d in range(n_docs):
            tg = time.perf_counter()
            year = FIRST_YEAR + d % YEARS
            label = f"{year}-{(year + 1) % 100:02d}"
            doc_type, type_title = kinds[d % len(kinds)]
            publisher = publishers[d % len(publishers)]
            doc_id = f"synth-{d:04d}"
            doc = {"doc_id": doc_id, "path": f"/synthetic/{doc_id}.pdf", "sha256": hashlib.sha256(doc_id.encode()).hexdigest(),
                   "title": f"{publisher} {type_title} {label}", "publisher": publisher, "doc_type": doc_type,
                   "period_start": f"{year}-04-01", "period_end": f"{year + 1}-03-31", "year": label,
                   "year_start": year, "fmt": "pdf", "sections": per_doc[d]}
            records = []
            h1, h2, page = 0, 0, 1
            h1_heading = ""
            for o in range(per_doc[d]):
                if o == 0 or rng.random() < 0.2:
                    h1, h2 = h1 + 1, 0
                    h1_heading = rng.choice(headings)
                    number, heading, level, path = str(h1), h1_heading, 1, [f"{h1} {h1_heading}"]
                else:
                    h2 += 1
                    heading = rng.choice(headings)
                    number, level = f"{h1}.{h2}", 2
                    path = [f"{h1} {h1_heading}", f"{number} {heading}"]
                target = rng.randint(80, 250)
                out: list[str] = []
                contrib: dict[int, int] = {}
                while len(out) < target:
                    src = rng.choices(range(len(words)), weights)[0]
                    ws = words[src]
                    k = min(len(ws), rng.randint(8, 40), target - len(out) + 5)
                    start = rng.randint(0, len(ws) - k)
                    out.extend(ws[start:start + k])
                    contrib[src] = contrib.get(src, 0) + k
                text = " ".join(out)
                main_src = max(contrib, key=contrib.get)
                end_page = page + (1 if rng.random() < 0.3 else 0)
                offsets = [[0, page]] + ([[len(text) // 2, end_page]] if end_page != page else [])
                sec = {"section_id": f"{doc_id}:{o + 1}", "doc_id": doc_id, "ordinal": o, "number": number,
                       "heading": heading, "heading_path": path, "level": level, "text": text,
                       "page_start": page, "page_end": end_page, "page_offsets": offsets,
                       "themes": themes[main_src], "theme_evidence": {}, "year": label, "year_start": year}
                records.append(sec)
                page = end_page + (1 if rng.random() < 0.3 else 0)
            if tag:  # tagged as ingest tags a document's sections (in its worker process)
                found = tagger.tag_many([section_text(r) for r in records])
                for r, tags in zip(records, found):
                    r["themes"] = [t.id for t in tags]
                    r["theme_evidence"] = theme_evidence([t.to_dict() for t in tags])
            records = [section_to_fields(r, doc) for r in records]
            doc["pages"] = page
            gen_s += time.perf_counter() - tg
            w.add(doc_to_fields(doc))
            for r in records:
                w.add(r)
            written += len(records)
            if (d + 1) % 50 == 0:
                el = time.perf_counter() - t0
                print(f"    {written:7d} sections written, {el:6.0f} s ({written / el:.0f} sections/s)", flush=True)
        tc = time.perf_counter()
        print("    committing (merging segments)…", flush=True)
    commit_s = time.perf_counter() - tc
    total = time.perf_counter() - t0
    pfile.write_text(json.dumps(params))
    size = sum(f.stat().st_size for f in scale_dir.rglob("*") if f.is_file())
    rate = n_sections / max(total - gen_s, 1e-9)
    print(f"    build time {total:.0f} s: text generation {gen_s:.0f} s, commit {commit_s:.0f} s; index size"
          f" {size / 2**20:.0f} MiB\n    written (text generation excluded): {rate:.0f} sections/s"
          + (f"   target >= {TARGET_WRITE_RATE:.0f}  {_verdict(rate >= TARGET_WRITE_RATE)}" if engine == "tantivy" else ""))


def _queries(secs: list[dict], n: int, seed: int) -> list[tuple[str, str, dict]]:
    """``(category, query, search kwargs)``: a reproducible mix drawn from corpus vocabulary."""
    from collections import Counter

    rng = random.Random(seed + 1)
    freq = Counter(w.lower() for s in secs for w in re.findall(r"[A-Za-z]+", s["text"]))
    vocab = [w for w, c in freq.most_common() if len(w) >= 5 and w not in _STOP and c >= 3]
    mid = vocab[20:800] or vocab
    bigrams = Counter()
    for s in secs:
        toks = s["text"].split()
        for a, b in zip(toks, toks[1:]):
            if _WORD.match(a) and _WORD.match(b) and a.lower() not in _STOP and b.lower() not in _STOP and len(a) > 3 and len(b) > 3:
                bigrams[f"{a.lower()} {b.lower()}"] += 1
    phrases = [p for p, c in bigrams.most_common(300) if c >= 2]
    theme_words = ["neglect", "pre-birth", "domestic abuse", "early help", "missing children", "information sharing",
                   "hidden harm", "fathers and male carers", "babies", "online harm"]
    try:
        from search.vocab.taxonomy import load_taxonomy

        ids = [t.id.replace("-", " ") if t.id != "pre-birth" else t.id for t in load_taxonomy().themes.values()]
        theme_words = sorted(set(theme_words) | set(ids))
    except Exception:
        pass
    mix = {"single": 0.3, "and2": 0.25, "phrase": 0.15, "theme": 0.15, "filtered": 0.15}
    counts = {k: int(round(v * n)) for k, v in mix.items()}
    counts["single"] += n - sum(counts.values())
    out: list[tuple[str, str, dict]] = []
    for _ in range(counts["single"]):
        out.append(("single", rng.choice(mid), {}))
    for _ in range(counts["and2"]):
        # two words from one corpus sentence, so that sections holding both exist
        s = rng.choice(secs)
        cands = [w.lower() for w in re.findall(r"[A-Za-z]{5,}", s["text"]) if w.lower() not in _STOP]
        pair = rng.sample(cands, 2) if len(set(cands)) >= 2 else rng.sample(mid, 2)
        out.append(("and2", " ".join(pair), {}))
    for _ in range(counts["phrase"]):
        out.append(("phrase", f'"{rng.choice(phrases)}"' if phrases else rng.choice(mid), {}))
    for _ in range(counts["theme"]):
        out.append(("theme", rng.choice(theme_words), {}))
    for _ in range(counts["filtered"]):
        a = rng.randint(FIRST_YEAR, FIRST_YEAR + YEARS - 3)
        b = rng.randint(a, FIRST_YEAR + YEARS - 1)
        out.append(("filtered", rng.choice(mid), {"from_year": str(a), "to_year": str(b)}))
    rng.shuffle(out)
    return out


def bench_warm(scale_dir: Path, corpus_ix: Path, n_queries: int, seed: int, limit: int) -> None:
    from search.index.store import Store
    from search.query import search

    secs, _ = _source(corpus_ix)
    queries = _queries(secs, n_queries, seed)
    store = Store(scale_dir)
    t = time.perf_counter()
    first = search(store, "safeguarding", limit=limit)
    print(f"\n    engine: {store.engine_name()}")
    first_ms = (time.perf_counter() - t) * 1000
    for _cat, q, kw in queries[:10]:  # warm-up, untimed
        search(store, q, limit=limit, **kw)
    times: dict[str, list[float]] = {}
    totals: dict[str, list[int]] = {}
    cpu: list[float] = []  # this process's CPU time a query (other work on the machine hardly changes it)
    zero = 0
    slow: list[tuple[float, str, str]] = []
    summary: list[float] = []  # and with the summary read (years, documents), as the CLI prints it
    for cat, q, kw in queries:
        t, c = time.perf_counter(), time.process_time()
        res = search(store, q, limit=limit, **kw)
        ms = (time.perf_counter() - t) * 1000
        cpu.append((time.process_time() - c) * 1000)
        res.years, res.documents  # noqa: B018  (counted when read)
        summary.append((time.process_time() - c) * 1000)
        times.setdefault(cat, []).append(ms)
        totals.setdefault(cat, []).append(res.total)
        zero += res.total == 0
        slow.append((ms, cat, q + (f" --from {kw['from_year']} --to {kw['to_year']}" if kw else "")))
    allms = [m for v in times.values() for m in v]
    print(f"\n    {len(allms)} queries in-process with search(store, q, limit={limit}) (first query, opening the index:"
          f" {first_ms:.0f} ms, {first.total} hits; then 10 warm-up queries untimed)")
    print(f"    {'category':10s} {'n':>4s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} {'median hits':>12s}")
    for cat, v in times.items():
        print(f"    {cat:10s} {len(v):4d} {statistics.median(v):8.1f} {_pct(v, 95):8.1f} {max(v):8.1f}"
              f" {statistics.median(totals[cat]):12.0f}")
    p95 = _pct(allms, 95)
    print(f"    {'all':10s} {len(allms):4d} {statistics.median(allms):8.1f} {p95:8.1f} {max(allms):8.1f}"
          f"   target p95 <= {TARGET_WARM_P95_MS:.0f} ms  {_verdict(p95 <= TARGET_WARM_P95_MS)}")
    print(f"    {'CPU time':10s} {len(cpu):4d} {statistics.median(cpu):8.1f} {_pct(cpu, 95):8.1f} {max(cpu):8.1f}"
          f"   (this process's; wall time over it is the machine's other work, load {_load()})")
    print(f"    {'+summary':10s} {len(summary):4d} {statistics.median(summary):8.1f} {_pct(summary, 95):8.1f}"
          f" {max(summary):8.1f}   (CPU time with the years and documents read, as the CLI prints them)")
    print(f"    queries with no hits (these also compute spelling suggestions): {zero}")
    print("    slowest: " + "; ".join(f"{c} {q!r} {ms:.0f} ms" for ms, c, q in sorted(slow, reverse=True)[:5]))
    store.close()


_COUNT = """
import json, resource, sys, time
t0 = time.perf_counter()
from search.index.store import Store
store = Store(sys.argv[1])
if sys.argv[2] == "trace":
    from search.trace import trace
    data = trace(store, sys.argv[3])
    what = sum(y["sections"] for y in data["years"])
else:
    from search.trace import theme_table
    data = theme_table(store)
    what = sum(t["total"] for t in data["themes"])
wall = time.perf_counter() - t0
# this program's own peak: ru_maxrss also keeps the high-water mark of the process before
# exec (the forked copy of a large parent, such as this script after building an index)
try:
    with open("/proc/self/status") as fh:
        kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"s": wall, "mb": kb / 1024, "n": what}))
"""


def bench_counts(scale_dir: Path, runs: int) -> None:
    """(c) trace of a common word and the theme table, each in a fresh process."""
    from search.index.store import Store

    engine = Store(scale_dir).engine_name()
    print(f"\n(c) Counting at scale ({engine}): each in a fresh process, import and open included; median of {runs}")
    for label, args in (("trace safeguarding", ["trace", "safeguarding"]), ("themes", ["themes"])):
        got = []
        for _ in range(runs):
            proc = subprocess.run([sys.executable, "-c", _COUNT, str(scale_dir), *args], capture_output=True, text=True)
            if proc.returncode:
                print(f"    {label}: failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
                break
            got.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        if not got:
            continue
        s = statistics.median(g["s"] for g in got)
        mb = max(g["mb"] for g in got)
        ok = s <= TARGET_COUNT_S and mb <= TARGET_COUNT_MB
        print(f"    {label:20s} {s:6.2f} s (min {min(g['s'] for g in got):.2f})  peak {mb:5.0f} MB  ({got[0]['n']} counted)"
              + (f"   target <= {TARGET_COUNT_S:.0f} s and <= {TARGET_COUNT_MB:.0f} MB  {_verdict(ok)}"
                 if engine == "tantivy" else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15, help="cold CLI runs (default 15)")
    ap.add_argument("--index", type=Path, help="corpus index to query (default: built in a temporary folder)")
    ap.add_argument("--no-tag", dest="tag", action="store_false", help="build the corpus index without theme tagging")
    ap.add_argument("--scale-dir", type=Path, help="where to build/cache the synthetic index (default: temporary)")
    ap.add_argument("--sections", type=int, default=100_000, help="synthetic sections (default 100000)")
    ap.add_argument("--docs", type=int, default=500, help="synthetic documents (default 500)")
    ap.add_argument("--queries", type=int, default=200, help="timed warm queries (default 200)")
    ap.add_argument("--limit", type=int, default=10, help="hits per query, as the CLI default (10)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--engine", choices=["tantivy", "whoosh"], default="tantivy", help="engine of the synthetic index")
    ap.add_argument("--count-runs", type=int, default=3, help="fresh-process runs of (c) (default 3)")
    ap.add_argument("--cli", action="append", default=[], metavar="CMD",
                    help="another command to time as the CLI, e.g. ~/.pyenv/shims/sgsearch (repeatable)")
    ap.add_argument("--skip", choices=["cli", "scale", "counts"], action="append", default=[], help="leave out a part")
    args = ap.parse_args(argv)

    print(f"sgsearch query benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print("code: " + _revision(('search/query.py', 'search/index/store.py', 'search/index/schema.py', 'search/index/backends/whoosh.py', 'search/index/backends/tantivy.py',
                                'search/trace.py', 'search/snippets.py', 'cli.py')))
    print(f"load average at start: {_load()}  (other work on this machine skews the figures)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: modules without a compiled copy (an editable install's) are"
              " compiled again in every process, which a `pip install .` never does; unset it for figures users see")
    tmp = Path(tempfile.mkdtemp(prefix="sgsearch-bench-query-"))
    try:
        corpus_ix, _tagged = corpus_index((args.index or tmp / "corpus-ix").resolve(), args.tag)
        if "cli" not in args.skip:
            bench_cli(corpus_ix, max(1, args.runs), args.cli)
        if "scale" not in args.skip:
            scale_dir = (args.scale_dir or tmp / "scale").resolve()
            build_scale(scale_dir, corpus_ix, args.sections, max(1, min(args.docs, args.sections)), args.seed,
                        args.engine)
            bench_warm(scale_dir, corpus_ix, args.queries, args.seed, args.limit)
            if "counts" not in args.skip:
                bench_counts(scale_dir, max(1, args.count_runs))
    finally:
        print(f"\nload average at end: {_load()}")
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
