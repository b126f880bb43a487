"""Why a plain question ranks its first answer below plain BM25's: each part of the query switched off alone.

For every task of the kinds asked (plain questions by default) where sgsearch's first relevant
section is later than plain BM25's (or outside the first ten while BM25's is inside), the query
is searched again with one part of the ranking switched off through ``search(..., weights=)``
(no module is patched): theme expansion, other forms, coordination, the phrase and proximity
constants, filler words, headings, titles, the document share, diversity, heading-only sections,
years; and once with each of its content words left out. The part whose removal alone lifts the
first answer most is the task's cause (ties: every such part); where none lifts it, "none
alone". Whether the spelling correction fired is said too. The sets: realdev and the held-out
folders given (one index, as ``bench/relevance.py --pool`` builds it) and the owned tasks
(their own index).

    python bench/question_causes.py --pool DIR [DIR ...] [--engine tantivy] [--kinds "plain questions"] [--no-owned]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _realdev  # noqa: E402
import relevance as rel  # noqa: E402
from _common import load, revision, use_project_root  # noqa: E402

use_project_root()

# each part of the ranking, and the weights that switch it off alone
PARTS = {
    "theme": {"theme": 0.0},
    "other forms": {"synonym": 0.0},
    "coordination": {"coordination": 0.0},
    "phrase": {"phrase": 0.0},
    "proximity": {"proximity": 0.0},
    "filler": {"filler": 0.0},
    "heading": {"heading": 1.0},
    "title": {"title": 0.0},
    "document": {"document": 0.0},
    "diversity": {"diversity": 1.0},
    "heading only": {"heading_only": 1.0},
    "year": {"year": 0.0},
}


def first_of(ids: list[str], relevant: set[str]) -> int | None:
    return next((i + 1 for i, sid in enumerate(ids[: rel.K]) if sid in relevant), None)


def _rank(first: int | None) -> int:
    return first if first is not None else rel.K + 1


def content_words(query: str) -> list[str]:
    from search.query import ranking

    filler = ranking()["filler"]
    return [w for w in query.split() if w.lower().strip("?,.") not in filler]


def diagnose(store, sections: list[dict], tasks: list[dict], kinds: set[str], folder: Path, name: str) -> list[dict]:
    """The losing tasks of ``kinds`` with each part's first rank and their cause."""
    from search.query import corrected_query

    bm25 = rel.PlainBM25(sections, folder / f"bm25-{name}")
    by_id = {s["id"]: s for s in sections}
    out = []
    for t in tasks:
        if t["kind"] not in kinds or not t["relevant"]:
            continue
        q, relevant = t["query"], t["relevant"]
        ours_ids = rel.sgsearch_ids(store, q)
        ours, base = first_of(ours_ids, relevant), first_of(bm25.search(q), relevant)
        if _rank(ours) <= _rank(base):
            continue
        parts = {p: first_of(rel.sgsearch_ids(store, q, weights=w), relevant) for p, w in PARTS.items()}
        typed = q.split()
        if len(content_words(q)) > 1:
            for j, word in enumerate(typed):
                if content_words(word):
                    rest = " ".join(x for i, x in enumerate(typed) if i != j)
                    parts[f"word '{word}'"] = first_of(rel.sgsearch_ids(store, rest), relevant)
        best = min(_rank(v) for v in parts.values())
        causes = [p for p, v in parts.items() if _rank(v) == best] if best < _rank(ours) else ["none alone"]
        above = [by_id[sid] for sid in ours_ids[: (ours or rel.K + 1) - 1]]
        out.append({"set": t.get("set") or name, "query": q, "ours": ours, "bm25": base, "parts": parts,
                    "causes": causes, "corrected": corrected_query(store, q), "above": above})
    bm25.close()
    return out


def report(rows: list[dict]) -> None:
    for r in rows:
        print(f"\n[{r['set']}] {r['query']}\n  first: sgsearch {r['ours'] or '-'}, plain BM25 {r['bm25'] or '-'}"
              + (f"; spelling corrected to {r['corrected']!r}" if r["corrected"] else ""))
        moved = [f"{p} {v or '-'}" for p, v in r["parts"].items() if v != r["ours"]]
        print("  off alone -> first: " + (", ".join(moved) if moved else "nothing moves it"))
        print("  cause: " + ", ".join(r["causes"]))
        for s in r["above"]:
            print(f"    above: {s['stem'][:40]:40} | {s['heading'][:60]}")
    print("\n## causes (a task counts once for each part whose removal alone lifts it most)")
    count = Counter()
    for r in rows:
        for c in r["causes"]:
            count["one word left out" if c.startswith("word ") else c] += 1
    print(f"{'cause':34} {'tasks':>5}")
    for c, n in count.most_common():
        print(f"{c:34} {n:>5}")
    print(f"{'losing tasks':34} {len(rows):>5}")
    sets = Counter(r["set"] for r in rows)
    print("by set: " + ", ".join(f"{s} {n}" for s, n in sorted(sets.items())))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pool", type=Path, nargs="*", default=[], metavar="DIR", help="held-out query folders")
    ap.add_argument("--engine", choices=("whoosh", "tantivy"), default=None)
    ap.add_argument("--kinds", nargs="+", default=["plain questions"], help="the kinds of task to look at")
    ap.add_argument("--no-owned", action="store_true", help="leave the owned tasks out")
    args = ap.parse_args()
    from search.index.store import Store

    print(f"# bench/question_causes.py  load {load()}  engine {args.engine or 'default'}")
    print(f"# {revision(('search/query.py', 'search/ranking.toml', 'search/vocab/thesaurus.toml'))}")
    kinds, rows = set(args.kinds), []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        held, queries = rel.pooled_sets(args.pool) if args.pool else ([], [])
        rel.build([p.path for p in _realdev.pages()] + held, tmp / "pooled", args.engine)
        store = Store(tmp / "pooled")
        secs = rel.sections_of(store)
        tasks = [{**t, "set": "realdev"} for t in rel.realdev_tasks(secs)] + rel.realdev_tasks(secs, queries)
        rows += diagnose(store, secs, tasks, kinds, tmp, "pooled")
        store.close()
        if not args.no_owned:
            rel.build(rel.owned_paths(), tmp / "owned", args.engine)
            store = Store(tmp / "owned")
            secs = rel.sections_of(store)
            rows += diagnose(store, secs, [{**t, "set": "owned"} for t in rel.owned_tasks(secs)], kinds, tmp, "owned")
            store.close()
    report(rows)


if __name__ == "__main__":
    main()
