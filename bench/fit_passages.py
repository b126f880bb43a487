"""Fit the passage floor (``ingest/passages.toml``): the lowest item score a candidate needs to be
kept as a passage, what ``recur --check`` lists as said in passing.

For each floor tried (``--floors``, the file's own among them) the pages of each pair set are
ingested keeping passages from that floor up, and measured end to end as ``bench/recur_real.py``
measures them (its ``end_to_end``): passages kept, gold items found as an item or a passage (holding
at least half its words), same pairs linked (grouped, or the earlier item or passage among the first
five of the later text's ``--check``), look-alikes whose earlier item or passage is listed among the
first five (for a person to judge) and look-alikes made before (never allowed). The sets are realdev's
real2 pairs and each ``--dir`` folder laid out as it is (a held-out ``pairs`` folder).

Then what a floor costs on the bundled corpus (ingested ``--ingest-runs`` times into a fresh index
each): passages kept, per section and per item, the index's size and the ingest time. With
``--scale``, also ``recur --check``'s warm time and peak memory at 120,000 items with passages at
that floor's ratio of passages to items (``bench/recur.py --commands-only --passages --floor F``:
slow, a scale index built per floor).

The rule: a floor qualifies when, on every set, it links at least as many same pairs as the file's
floor, lists no more look-alikes and makes none before, and (when measured) ``--check`` stays within
1.5 s warm and 500 MB (its CPU time: the process's own, which a machine busy with other work does not
inflate as it does the wall time); of those, the floor linking the most pairs over every set is fitted; on a tie,
the highest (fewer passages: a smaller index, a faster check, less for a person to read).
``--causes`` counts, for each set, the gold items found as neither an item nor a passage even at the
lowest floor tried, by why: no candidate holds any of its words (read as a heading, a label, a
lead-in), or candidates hold parts of it but none half its words (cut, or merged into a longer one).

    python bench/fit_passages.py --dir /work/notes/heldout/h2/pairs /work/notes/heldout/h3/pairs
    python bench/fit_passages.py --dir FOLDER --scale --scale-dir /tmp/floor-scale --causes
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also in the tagging worker, which spawn starts
import _realdev  # noqa: E402
from _common import load, revision, use_project_root  # noqa: E402
from recur_real import _words, end_to_end  # noqa: E402  (before the project root shadows this folder)

use_project_root()

from corpus import corpus_dir  # noqa: E402
from ingest.document import parse_file  # noqa: E402
from ingest.items import document_candidates  # noqa: E402
from ingest.passages import passage_floor  # noqa: E402
from ingest.pipeline import ingest  # noqa: E402
from search.index.store import Store  # noqa: E402
from search.recur import DEFAULT_THRESHOLD, load_items, store_concepts  # noqa: E402
from search.recur.passages import index_passages  # noqa: E402

FLOORS = (0.01, 0.005, 0.002, 0.001, 0.0)
CHECK_S, CHECK_MB = 1.5, 500.0  # issue 27's --check target; the recur command's memory bound
_WARM = re.compile(r"recur --check TEXT: warm median ([\d.]+) s \(CPU ([\d.]+) s.*peak (\d+) MB")


def measure_set(name: str, directory: Path | None, floor: float, tmp: Path) -> dict:
    """One pair set's end-to-end figures with its pages ingested at ``floor``."""
    where = tmp / f"{name}-{floor:g}"
    ingest([p.path for p in _realdev.pages("real2", directory)], where, passages_from=floor)
    gold, pairs = _realdev.items(directory), _realdev.pairs(directory)
    m = end_to_end(Store(where), gold, pairs, DEFAULT_THRESHOLD)
    return {"passages": len(m["said"]), "found": sum(1 for no in m["owner"] if m["owner"][no] or m["passages"][no]),
            "gold": len(gold), "linked": m["any"], "same": m["same_total"], "listed": m["alike_listed"],
            "made_before": m["alike"], "alike": m["alike_total"],
            "missing": [g for g in gold if not (m["owner"][g.item_no] or m["passages"][g.item_no])]}


def corpus_cost(floor: float, tmp: Path, runs: int) -> dict:
    """The bundled corpus ingested at ``floor`` ``runs`` times (a fresh index each): passages kept,
    sections, items, the index's size in KB and each ingest's seconds."""
    times = []
    for n in range(runs):
        where = tmp / f"corpus-{floor:g}-{n}"
        t = time.perf_counter()
        ingest([corpus_dir()], where, passages_from=floor)
        times.append(time.perf_counter() - t)
    store = Store(where)
    sections = list(store.records("section"))
    said = len(index_passages(store, store_concepts(store)).ids)
    kb = sum(f.stat().st_size for f in where.rglob("*") if f.is_file()) / 1024
    return {"passages": said, "sections": len(sections), "items": len(load_items(store)), "kb": kb, "times": times}


def scale_check(floor: float, prefix: Path) -> tuple[float, float, float] | None:
    """``recur --check``'s warm median seconds (wall, then CPU) and peak MB at 120,000 items with passages at ``floor``'s
    ratio (``bench/recur.py``; its scale index in ``<prefix>-<floor>``, built there unless one for that
    floor is); None if it printed no such line."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "recur.py"), "--commands-only",
                          "--passages", "--runs", "3", "--floor", f"{floor:g}", "--scale-dir",
                          f"{prefix}-{floor:g}"], capture_output=True, text=True).stdout
    got = _WARM.search(out)
    return (float(got.group(1)), float(got.group(2)), float(got.group(3))) if got else None


def unreached(directory: Path | None, missing: list) -> dict[str, int]:
    """Why each gold item ``missing`` (found as neither an item nor a passage) is: no candidate of its
    page holds any of its words, or candidates hold parts of it but none half of them."""
    out = {"no candidate holds it": 0, "cut or merged: no candidate holds half its words": 0,
           "a candidate holds half its words (kept by neither)": 0}
    paths = {p.file: p.path for p in _realdev.pages("real2", directory)}
    cands: dict[str, list[set[str]]] = {}
    for g in missing:
        if g.file not in cands:
            parsed = parse_file(paths[g.file])
            cands[g.file] = [_words(c.text) for _, cs in document_candidates(parsed.sections) for c in cs]
        want = _words(g.text)
        best = max((len(want & c) / max(len(want), 1) for c in cands[g.file]), default=0.0)
        out[list(out)[0 if best == 0 else 1 if best < 0.5 else 2]] += 1
    return out


def fit(rows: dict[float, dict[str, dict]], scale: dict[float, tuple[float, float, float] | None],
        base: float) -> float:
    """The floor the rule of the module's docstring keeps."""
    def qualifies(f: float) -> bool:
        sets = rows[f]
        ok = all(s["linked"] >= rows[base][n]["linked"] and s["listed"] <= rows[base][n]["listed"]
                 and s["made_before"] == 0 for n, s in sets.items())
        speed = scale.get(f)
        return ok and (speed is None or (speed[1] <= CHECK_S and speed[2] <= CHECK_MB))

    good = [f for f in rows if qualifies(f)] or [base]
    return max(good, key=lambda f: (sum(s["linked"] for s in rows[f].values()), f))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", type=Path, nargs="*", default=[], metavar="FOLDER",
                    help="Pair sets laid out as real2, measured beside realdev.")
    ap.add_argument("--no-realdev", action="store_true", help="Only the --dir sets.")
    ap.add_argument("--floors", type=float, nargs="+", default=None, help=f"Floors tried (default {FLOORS}).")
    ap.add_argument("--ingest-runs", type=int, default=2, help="Ingests of the bundled corpus per floor (timed).")
    ap.add_argument("--scale", action="store_true", help="Also time --check at 120,000 items per floor (slow).")
    ap.add_argument("--scale-dir", type=Path, metavar="PREFIX",
                    help="With --scale: each floor's scale index is PREFIX-<floor> (kept, reused when built).")
    ap.add_argument("--causes", action="store_true", help="Why gold items are unreached at the lowest floor.")
    args = ap.parse_args(argv)
    base = passage_floor()
    floors = sorted({base, *(args.floors or FLOORS)}, reverse=True)
    sets = ([] if args.no_realdev else [("realdev", None)]) + [
        (d.parent.name if d.name == "pairs" else d.name, d) for d in args.dir]
    tmp = Path(tempfile.mkdtemp(prefix="fit-passages-"))
    print(f"# {revision(('ingest/passages.toml', 'ingest/items.py', 'search/recur/scoring.py'))}; load {load()}")
    rows: dict[float, dict[str, dict]] = {f: {} for f in floors}
    costs, scale = {}, {}
    for f in floors:
        for name, d in sets:
            rows[f][name] = measure_set(name, d, f, tmp)
        costs[f] = corpus_cost(f, tmp, args.ingest_runs)
        scale[f] = scale_check(f, args.scale_dir or tmp / "scale") if args.scale else None
    print("pair sets, end to end (items or passages): passages kept, gold found as an item or a passage, "
          "same pairs linked, look-alikes listed in the top 5 / made before")
    print("floor   " + "".join(f"{n:>28}" for n, _ in sets))
    for f in floors:
        print(f"{f:<8g}" + "".join(f"{s['passages']:>5} {s['found']:>3}/{s['gold']:<3} {s['linked']:>3}/{s['same']:<3} "
                                   f"{s['listed']:>2}/{s['made_before']:<2}".rjust(28) for s in rows[f].values()))
    print("bundled corpus: passages, per section, per item, index KB, ingest s; --check at 120,000 items "
          f"(warm median s, its CPU s, peak MB; target: CPU <= {CHECK_S:g} s, <= {CHECK_MB:g} MB)")
    for f in floors:
        c, sc = costs[f], scale[f]
        print(f"{f:<8g}{c['passages']:>6} {c['passages'] / max(c['sections'], 1):>6.2f} {c['passages'] / max(c['items'], 1):>6.2f}"
              f" {c['kb']:>8,.0f} {' '.join(f'{t:.1f}' for t in c['times']):>12}   "
              + (f"{sc[0]:.2f} s (CPU {sc[1]:.2f} s) {sc[2]:.0f} MB" if sc else "not measured"))
    if args.causes:
        low = floors[-1]
        for name, d in sets:
            why = unreached(d, rows[low][name]["missing"])
            print(f"{name}: gold items found as neither at floor {low:g}: {len(rows[low][name]['missing'])}; "
                  + "; ".join(f"{k} {v}" for k, v in why.items()))
    best = fit(rows, scale, base)
    print(f"fitted floor: {best:g} (ingest/passages.toml has {base:g}; "
          f"{'--check speed measured' if args.scale else '--check speed not measured: run with --scale'})")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
