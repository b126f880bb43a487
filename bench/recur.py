"""Recurrence benchmark: time ``recur`` over the items of a 100,000-section synthetic index.

Builds (once; cached in ``--scale-dir``) an index of synthetic items at the corpus's own
ratio of items to sections (the bundled corpus has about 1.2 items per section, so
100,000 sections give about 120,000 items) over ten financial years and ``--docs``
documents. Each synthetic item is a corpus item rewritten deterministically: words are
dropped, swapped for words of other items and shuffled in part, so near-duplicates,
paraphrase-like variants and unrelated items all occur, as in years of real reports.
Then it times the commands as a user runs them, each in a fresh process: ``sgsearch recur``
(target: <= 30 s and <= 500 MB peak memory, read from the process's own VmHWM) and
``sgsearch recur --check TEXT`` (target: <= 1.5 s warm), the first run (which fills the
per-user cache) and ``--runs`` warm ones; then, in-process, ``search.recur.recur(store)``
and ``--check`` of 20 recommendations (``check_many``), and the precision and recall of the
default threshold on the labelled pairs in ``tests/recur_pairs.toml``. The load average is
printed with every timing: the machine may be shared.

``--passages`` also writes, for each synthetic section, the passages a report said in passing
(``recur --check`` compares a text with them too), at the bundled corpus's ratio of passages to
items (about 1.5), each a corpus passage rewritten as the items are, and lists them as ingest does;
use another ``--scale-dir``.

``--after-ingest`` then times what a user meets after adding one report: on a copy of the scale
index (in ``--copy-dir``), ``recur --check TEXT`` once (the per-user cache a user has), then
``sgsearch ingest`` of one small generated report (a point said in passing in its prose) as a
command, then the first ``recur --check`` of that point with the cache kept and with an empty one,
and whether the new report's passages are among those it compares (``--ingests N``: N reports one
after another).
``--after-build`` does the same after the copy is built afresh (a new generation of the same
folder), with the cache kept and with an empty one. ``--copy-from DIR`` copies another index
instead (a national one: it is only read) and times only the adding of reports.
``--floor F`` ingests the corpus keeping passages from item score F up (not ``ingest/passages.toml``'s
floor), so the scale holds as many passages as that floor would keep.

This is a benchmark, not a test: it always exits 0 and prints PASS or MISS.

    python bench/recur.py                       # 100,000 sections, 3 runs
    python bench/recur.py --sections 20000 --runs 5
    python bench/recur.py --commands-only --passages --after-ingest --copy-dir /tmp/recur-copy
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # also in the tagging worker, which spawn starts

# run as a script, this folder (holding ingest.py) would shadow the ``ingest`` package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from corpus import corpus_dir  # noqa: E402
from ingest.itemtokens import ItemTokens  # noqa: E402
from ingest.metadata import fy_label  # noqa: E402
from ingest.pipeline import ingest  # noqa: E402
from search.index.records import item_to_fields, section_to_fields  # noqa: E402
from search.index.store import Store  # noqa: E402
from search.recur import (  # noqa: E402
    DEFAULT_THRESHOLD,
    check_many,
    labelled_figures,
    load_items,
    load_pairs,
    recur,
    store_concepts,
)
from search.vocab.taxonomy import load_taxonomy  # noqa: E402

TARGET_S = 20.0
CHECK_TARGET_S = 3.0
COMMAND_S, COMMAND_MB, CHECK_COMMAND_S = 30.0, 500.0, 1.5
# runs the command's own entry point in this process, then reports its wall time, peak
# memory (VmHWM: this process alone, not a forked parent's) and the lines it printed
_RUN = """
import io, json, os, sys, time, contextlib
sys.argv = ["sgsearch", *json.loads(sys.argv[1])]
t = time.perf_counter()
out = io.StringIO()
code = 0
with contextlib.redirect_stdout(out):
    try:
        import cli
        cli.main()
    except SystemExit as e:
        code = e.code or 0
wall = time.perf_counter() - t
kb = 0
try:
    with open("/proc/self/status") as fh:
        kb = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:"))
except (OSError, StopIteration):
    import resource
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = sum(os.times()[:2])
sys.stderr.write(json.dumps({"s": wall, "cpu": cpu, "mb": kb / 1024, "lines": out.getvalue().count("\\n"), "code": code}))
"""


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def command(args: list[str], cache: Path) -> dict:
    """Run ``sgsearch ARGS`` in a fresh process: ``{"s", "mb", "lines", "code"}``."""
    env = dict(os.environ, SGSEARCH_CACHE=str(cache), PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", _RUN, json.dumps(args)], capture_output=True, text=True, env=env,
                       cwd=str(ROOT))
    try:
        return json.loads(r.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise SystemExit(f"sgsearch {' '.join(args)} failed: {r.stderr.strip()[-500:]}") from None


def bench_commands(scale_dir: Path, runs: int) -> None:
    """``sgsearch recur`` and ``recur --check TEXT`` as commands: first run, then warm runs."""
    cache = Path(tempfile.mkdtemp(prefix="recur-cache-"))
    text = "Fathers and male carers should be included in assessments"
    for name, args, limit_s in (("recur", ["recur", "--index", str(scale_dir)], COMMAND_S),
                                ("recur --check TEXT", ["recur", "--index", str(scale_dir), "--check", text],
                                 CHECK_COMMAND_S)):
        first = command(args, cache)
        print(f"command sgsearch {name}: first run {first['s']:.1f} s (CPU {first['cpu']:.1f} s), {first['mb']:.0f} MB, "
              f"{first['lines']:,} lines (load {_load()})")
        warm = []
        for _ in range(runs):
            warm.append(command(args, cache))
            print(f"   warm {warm[-1]['s']:.2f} s (CPU {warm[-1]['cpu']:.2f} s), {warm[-1]['mb']:.0f} MB (load {_load()})")
        s = statistics.median(w["s"] for w in warm)
        cpu = statistics.median(w["cpu"] for w in warm)
        mb = max(w["mb"] for w in warm + [first])
        ok = s <= limit_s and (name != "recur" or mb <= COMMAND_MB)
        print(f"command sgsearch {name}: warm median {s:.2f} s (CPU {cpu:.2f} s: the process's own time, "
              f"what a busy machine does not inflate), peak {mb:.0f} MB; target <= {limit_s:g} s"
              f"{' and <= 500 MB' if name == 'recur' else ''}: {'PASS' if ok else 'MISS'}")
ITEMS_PER_SECTION = 1.2


def _variant(rng: random.Random, words: list[str], pool: list[str]) -> str:
    out = [w for w in words if rng.random() > 0.15]  # drop some words
    for i in range(len(out)):
        if rng.random() < 0.12:
            out[i] = rng.choice(pool)  # swap in a word from elsewhere
    if len(out) > 4 and rng.random() < 0.3:
        i = rng.randrange(len(out) - 3)
        seg = out[i:i + 3]
        rng.shuffle(seg)
        out[i:i + 3] = seg
    return " ".join(out) or " ".join(words)


def build(scale_dir: Path, sections: int, docs: int, seed: int, stored_tokens: bool = True,
          passages: bool = False, floor: float | None = None) -> int:
    """Write the synthetic items into a fresh index at ``scale_dir``; return how many. With
    ``stored_tokens`` their recurrence tokens are stored as ingest stores them; with ``passages``
    each synthetic section also holds passages (see the module docstring)."""
    src = Path(tempfile.mkdtemp(prefix="recur-src-"))
    ingest([corpus_dir()], src, passages_from=floor)
    base = load_items(Store(src))
    said = [p["text"] for r in Store(src).records("section") for p in (r.get("cells") or {}).get("passages") or []]
    per_item = len(said) / max(len(base), 1)
    if passages:
        print(f"bundled corpus: {len(said):,} passages for {len(base):,} items ({per_item:.2f} an item)")
    pool = [w for it in base for w in it["text"].split()]
    rng = random.Random(seed)
    n_items = int(sections * ITEMS_PER_SECTION)
    store = Store(scale_dir)
    tokens = ItemTokens(load_taxonomy()) if stored_tokens else None  # the bundled themes: the index keeps none
    extra: dict = {}
    with store.locked(), store.writer(fresh=True, extra=extra) as (w, manifest):
        for n in range(n_items):
            it = base[n % len(base)]
            year = 2015 + rng.randrange(10)
            doc = f"synthetic-{rng.randrange(docs):04d}"
            sid = f"{doc}:{rng.randrange(1, 200)}"
            text = it["text"] if rng.random() < 0.05 else _variant(rng, it["text"].split(), pool)
            item = {
                "item_id": f"{sid}.{n}", "section_id": sid, "doc_id": doc, "ordinal": n, "kind": it["kind"],
                "text": text, "status": it["status"], "themes": it["themes"], "year": fy_label(year),
                "year_start": year, "number": it.get("number"), "heading": it.get("heading"),
            }
            fields = item_to_fields(item, {"title": f"Synthetic report {doc}", "doc_type": "annual-report"})
            if tokens is not None:
                tokens.add(fields)
            w.add(fields)
        if passages:
            _write_passages(w, rng, said, pool, n_items * per_item, docs, tokens)
        manifest["synthetic"] = {"sections": sections, "items": n_items,
                                 **({"passages": True, "listed": True} if passages else {}),
                                 **({"floor": floor} if floor is not None else {})}
        if tokens is not None:
            extra.update(tokens.files())
    store.close()
    return n_items


def _write_passages(w, rng: random.Random, said: list[str], pool: list[str], total: float, docs: int,
                    tokens: ItemTokens | None = None) -> None:
    """Synthetic sections, each holding a few passages (variants of the corpus's), ``total`` in all
    (listed with their tokens by ``tokens``, as ingest lists them)."""
    n = 0
    while n < total:
        year = 2015 + rng.randrange(10)
        doc = f"synthetic-{rng.randrange(docs):04d}"
        held = [{"text": _variant(rng, said[(n + k) % len(said)].split(), pool), "page": None} for k in range(3)]
        n += len(held)
        sid = f"{doc}:p{n}"
        fields = section_to_fields({"section_id": sid, "doc_id": doc, "ordinal": n, "year": fy_label(year),
                                    "year_start": year, "number": "", "heading": "Synthetic", "heading_path": "Synthetic",
                                    "level": 1, "text": " ".join(p["text"] for p in held), "page_start": None,
                                    "page_end": None, "page_offsets": None, "passages": held},
                                   {"title": f"Synthetic report {doc}", "doc_type": "annual-report"})
        if tokens is not None:
            tokens.add(fields)
        w.add(fields)


# one small report to add: a point said in passing in its prose (not under a heading naming a kind)
NEW_POINT = "Police officers seldom shared information about domestic abuse incidents with schools the next morning."
NEW_REPORT = f"""# Northfield Safeguarding Children Partnership Annual Report 2025-26

Published: July 2026

## About the partnership

The partnership brings together the council, the police and health services. It met five times this
year. {NEW_POINT} The board received ten reports during the year.

## Our year

Training was delivered to 350 staff and a new website was launched in the spring.
"""


_SAID = """
import json, sys
from search.index.store import Store
from search.recur import store_concepts
from search.recur.passages import index_passages, passage
store = Store(sys.argv[1])
said = index_passages(store, store_concepts(store))
print(json.dumps([passage(store, pid)["text"] for pid, doc in zip(said.ids, said.docs) if doc == sys.argv[2]]))
"""


def _passages_of(index: Path, cache: Path, doc_id: str) -> list[str]:
    """The texts of the passages of document ``doc_id`` that ``recur --check`` compares (in a fresh process)."""
    env = dict(os.environ, SGSEARCH_CACHE=str(cache), PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", _SAID, str(index), doc_id], capture_output=True, text=True, env=env,
                       cwd=str(ROOT))
    try:
        return json.loads(r.stdout)
    except ValueError:
        return []


def _first_checks(index: Path, kept: Path, what: str) -> None:
    """The first ``recur --check`` after a write, with the cache ``kept`` and with an empty one; a warm one."""
    args = ["recur", "--index", str(index), "--check", NEW_POINT]
    for label, cache in (("the per-user cache kept", kept), ("an empty per-user cache", Path(tempfile.mkdtemp(prefix="recur-cache-")))):
        got = command(args, cache)
        print(f"command sgsearch recur --check, first after {what}, {label}: {got['s']:.2f} s (CPU {got['cpu']:.2f} s), "
              f"{got['mb']:.0f} MB (load {_load()})")
    warm = command(args, kept)
    print(f"   then warm {warm['s']:.2f} s (CPU {warm['cpu']:.2f} s), {warm['mb']:.0f} MB")


def bench_after_write(scale_dir: Path, copy_dir: Path, sections: int, docs: int, seed: int,
                      ingests: int, rebuild: bool) -> None:
    """``--after-ingest`` (``ingests`` reports added one after another, each followed by the first
    checks) and ``--after-build`` (see the module docstring), on a copy of ``scale_dir``."""
    copy = copy_dir / "index"
    shutil.rmtree(copy, ignore_errors=True)
    copy_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(scale_dir, copy, ignore=shutil.ignore_patterns("ingest.lock", "ingest.pid"))
    kept = Path(tempfile.mkdtemp(prefix="recur-cache-"))
    command(["recur", "--index", str(copy), "--check", NEW_POINT], kept)  # the cache a user has before the write
    for n in range(1, ingests + 1):
        report = copy_dir / f"northfield-{n}-2025-26.md"
        report.write_text(NEW_REPORT, encoding="utf-8")
        got = command(["ingest", str(report), "--index", str(copy)], Path(tempfile.mkdtemp(prefix="recur-cache-")))
        print(f"command sgsearch ingest of one small report ({n} of {ingests}) into the copy: {got['s']:.1f} s "
              f"(CPU {got['cpu']:.1f} s), {got['mb']:.0f} MB, exit {got['code']} (load {_load()})")
        _first_checks(copy, kept, "adding one report")
        said = _passages_of(copy, kept, report.stem)
        print(f"   the new report's passages compared: {len(said)}, its point among them: "
              f"{'yes' if NEW_POINT in said else 'NO'}")
    if rebuild:
        t = time.perf_counter()
        build(copy, sections, docs, seed, passages=True)
        print(f"built the copy afresh in {time.perf_counter() - t:.1f} s")
        _first_checks(copy, kept, "a fresh build")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sections", type=int, default=100_000)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--scale-dir", type=Path, default=Path(tempfile.gettempdir()) / "sgsearch-recur-scale")
    ap.add_argument("--commands-only", action="store_true", help="Only time the commands.")
    ap.add_argument("--passages", action="store_true", help="Sections holding passages too (another --scale-dir).")
    ap.add_argument("--after-ingest", action="store_true",
                    help="Time the first --check after adding one report to a copy (see the docstring).")
    ap.add_argument("--after-build", action="store_true", help="Time the first --check after building a copy afresh.")
    ap.add_argument("--copy-dir", type=Path, default=Path(tempfile.gettempdir()) / "sgsearch-recur-copy",
                    help="Where --after-ingest and --after-build copy the scale index.")
    ap.add_argument("--ingests", type=int, default=1, help="With --after-ingest: reports added one after another.")
    ap.add_argument("--copy-from", type=Path,
                    help="With --after-ingest: copy this index (only read) instead; nothing is built or timed besides.")
    ap.add_argument("--floor", type=float, help="With --passages: the bundled corpus ingested keeping passages from "
                                                "this item score up (its ratio of passages to items is the scale's).")
    args = ap.parse_args(argv)
    if args.copy_from:
        bench_after_write(args.copy_from, args.copy_dir, 0, 0, 0, args.ingests if args.after_ingest else 0, False)
        return 0

    store = Store(args.scale_dir)
    # "listed": the passages listed beside the index as ingest lists them (an index built before was not)
    want = {"sections": args.sections, "items": int(args.sections * ITEMS_PER_SECTION),
            **({"passages": True, "listed": True} if args.passages else {}),
            **({"floor": args.floor} if args.floor is not None else {})}
    if store.manifest().get("synthetic") != want or not store.up_to_date():
        t = time.perf_counter()
        n = build(args.scale_dir, args.sections, args.docs, args.seed, passages=args.passages, floor=args.floor)
        print(f"built {n:,} synthetic items for {args.sections:,} sections in {time.perf_counter() - t:.1f} s")
    bench_commands(args.scale_dir, args.runs)
    if args.after_ingest or args.after_build:
        bench_after_write(args.scale_dir, args.copy_dir, args.sections, args.docs, args.seed,
                          args.ingests if args.after_ingest else 0, args.after_build)
    if args.commands_only:
        return 0
    src = Path(tempfile.mkdtemp(prefix="recur-labelled-"))
    ingest([corpus_dir()], src, passages_from=args.floor)
    corpus = Store(src)
    fig = labelled_figures(load_pairs(ROOT / "tests" / "recur_pairs.toml"), DEFAULT_THRESHOLD,
                           background=[i["text"] for i in load_items(corpus)], concepts=store_concepts(corpus))
    print(f"labelled pairs ({fig['pairs']}): threshold {DEFAULT_THRESHOLD:g}, precision {fig['precision']:.2f}, "
          f"recall {fig['recall']:.2f} (targets >= 0.90, >= 0.85)")
    recs = [i["text"] for i in load_items(corpus, kind=None)][:200:10]
    corpus.close()
    ctimes = []
    for _ in range(args.runs):
        store = Store(args.scale_dir)
        t = time.perf_counter()
        check_many(store, recs)
        ctimes.append(time.perf_counter() - t)
        store.close()
    cmed = statistics.median(ctimes)
    print(f"--check of {len(recs)} recommendations against {args.sections:,} sections: median {cmed:.2f} s "
          f"(min {min(ctimes):.2f}, max {max(ctimes):.2f}); target <= {CHECK_TARGET_S:.0f} s: "
          f"{'PASS' if cmed <= CHECK_TARGET_S else 'MISS'}")
    times, clusters = [], 0
    for _ in range(args.runs):
        store = Store(args.scale_dir)
        t = time.perf_counter()
        clusters = len(recur(store))
        times.append(time.perf_counter() - t)
        store.close()
    med = statistics.median(times)
    print(f"recur over {want['items']:,} items ({args.sections:,} sections): median {med:.1f} s "
          f"(min {min(times):.1f}, max {max(times):.1f}, {args.runs} runs), {clusters:,} clusters")
    print(f"target <= {TARGET_S:.0f} s: {'PASS' if med <= TARGET_S else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
