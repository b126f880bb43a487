"""Why a task ranks its answers below plain BM25's: each part of the query switched off alone.

For every task of the kinds asked (plain questions by default; ``--kinds keywords "other
wordings" other abbreviations "year intent"`` for the rest) that loses to plain BM25, either
finding fewer relevant sections in the first ten or placing its first one later (or outside the
first ten while BM25's is inside), the query is searched again with one part of the ranking
switched off through ``search(..., weights=)`` (no module is patched): theme expansion, other
forms, coordination, the phrase and proximity constants, filler words, headings, titles, the
document share, diversity, heading-only sections, years; every one of these at once; the
exact words (``search(exact=True)``: heading and text as one field, as plain BM25 reads them,
words unstemmed, no other forms, themes or title); and once with each of its content
words left out. The part whose removal alone mends most of what was lost (the found count for a
task that finds fewer, else the first rank) is the task's cause (ties: every such part); where
none mends any, "none alone". Also said: whether the spelling correction fired, and how many of
each ranker's first ten come from its commonest document (a one-word query's page taken by one
report?). The sets: realdev and the held-out folders given (one index, as ``bench/relevance.py
--pool`` builds it) and the owned tasks (their own index).

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
# every part above at once: the engine's own BM25 over heading (at the text's weight) and text, and no more
ALL_OFF = {k: v for part in PARTS.values() for k, v in part.items()}
# ``search(exact=True)``: heading and text as one field, as plain BM25 reads them, the words as
# written (no stemming), no other forms, themes or title
EXACT = "exact words"


def first_of(ids: list[str], relevant: set[str]) -> int | None:
    return next((i + 1 for i, sid in enumerate(ids[: rel.K]) if sid in relevant), None)


def _rank(first: int | None) -> int:
    return first if first is not None else rel.K + 1


def outcome(ids: list[str], relevant: set[str]) -> tuple[int, int | None]:
    """The relevant sections in the first ten, and the rank of the first."""
    return sum(sid in relevant for sid in ids[: rel.K]), first_of(ids, relevant)


def standing(o: tuple[int, int | None], by_found: bool) -> tuple[int, int]:
    """What a task lost, as a key where lower is better: the found count first for a task that
    finds fewer than BM25, else the first rank."""
    return (-o[0], _rank(o[1])) if by_found else (_rank(o[1]), -o[0])


def one_document(ids: list[str], doc_of: dict[str, str]) -> int:
    """How many of the first ten come from the document that gives most of them."""
    docs = Counter(doc_of.get(sid, sid) for sid in ids[: rel.K])
    return max(docs.values()) if docs else 0


def _exact_ids(store, query: str, weights: dict | None = None) -> list[str]:
    from search.query import QueryError, search

    try:
        return [h.section["section_id"]
                for h in search(store, query, limit=rel.K, snippets=False, exact=True, weights=weights or None).hits]
    except QueryError:
        return []


def content_words(query: str) -> list[str]:
    from search.query import ranking

    filler = ranking()["filler"]
    return [w for w in query.split() if w.lower().strip("?,.") not in filler]


def diagnose(store, sections: list[dict], tasks: list[dict], kinds: set[str], folder: Path, name: str,
             weights: dict | None = None) -> list[dict]:
    """The losing tasks of ``kinds`` with each part's (found, first) and their cause. ``weights``:
    the ranking weights to start from (``search/ranking.toml``'s when None); each part is
    switched off from them."""
    from search.query import corrected_query

    start = dict(weights or {})
    bm25 = rel.PlainBM25(sections, folder / f"bm25-{name}")
    by_id = {s["id"]: s for s in sections}
    doc_of = {s["id"]: s["stem"] for s in sections}
    out = []
    for t in tasks:
        if t["kind"] not in kinds or not t["relevant"]:
            continue
        q, relevant = t["query"], t["relevant"]
        ours_ids, base_ids = rel.sgsearch_ids(store, q, weights=start or None), bm25.search(q)
        ours, base = outcome(ours_ids, relevant), outcome(base_ids, relevant)
        by_found = ours[0] < base[0]
        if not by_found and _rank(ours[1]) <= _rank(base[1]):
            continue
        parts = {p: outcome(rel.sgsearch_ids(store, q, weights={**start, **w}), relevant) for p, w in PARTS.items()}
        parts["every part"] = outcome(rel.sgsearch_ids(store, q, weights={**start, **ALL_OFF}), relevant)
        parts[EXACT] = outcome(_exact_ids(store, q, start), relevant)
        typed = q.split()
        if len(content_words(q)) > 1:
            for j, word in enumerate(typed):
                if content_words(word):
                    rest = " ".join(x for i, x in enumerate(typed) if i != j)
                    parts[f"word '{word}'"] = outcome(rel.sgsearch_ids(store, rest, weights=start or None), relevant)
        best = min(standing(v, by_found) for v in parts.values())
        causes = ([p for p, v in parts.items() if standing(v, by_found) == best]
                  if best < standing(ours, by_found) else ["none alone"])
        above = [by_id[sid] for sid in ours_ids[: (ours[1] or rel.K + 1) - 1]]
        out.append({"set": t.get("set") or name, "kind": t["kind"], "query": q, "ours": ours, "bm25": base,
                    "lost": "found" if by_found else "first", "parts": parts, "causes": causes,
                    "corrected": corrected_query(store, q), "above": above,
                    "one_doc": (one_document(ours_ids, doc_of), one_document(base_ids, doc_of))})
    bm25.close()
    return out


def _said(o: tuple[int, int | None]) -> str:
    return f"{o[0]} found, first {o[1] or '-'}"


def report(rows: list[dict]) -> None:
    for r in rows:
        print(f"\n[{r['set']}] ({r['kind']}) {r['query']}\n  sgsearch {_said(r['ours'])}; plain BM25 {_said(r['bm25'])}"
              f"; lost on {r['lost']}; from one document: sgsearch {r['one_doc'][0]}, BM25 {r['one_doc'][1]} of ten"
              + (f"; spelling corrected to {r['corrected']!r}" if r["corrected"] else ""))
        moved = [f"{p} {_said(v)}" for p, v in r["parts"].items() if v != r["ours"]]
        print("  off alone -> " + ("; ".join(moved) if moved else "nothing moves it"))
        print("  cause: " + ", ".join(r["causes"]))
        for s in r["above"]:
            print(f"    above: {s['stem'][:40]:40} | {s['heading'][:60]}")
    print("\n## causes (a task counts once for each part whose removal alone mends most of what it lost)")
    count, kinds = Counter(), {}
    for r in rows:
        for c in r["causes"]:
            c = "one word left out" if c.startswith("word ") else c
            count[c] += 1
            kinds.setdefault(c, Counter())[r["kind"]] += 1
    print(f"{'cause':34} {'tasks':>5}  kinds")
    for c, n in count.most_common():
        print(f"{c:34} {n:>5}  " + ", ".join(f"{k} {m}" for k, m in sorted(kinds[c].items())))
    print(f"{'losing tasks':34} {len(rows):>5}")
    sets = Counter(r["set"] for r in rows)
    print("by set: " + ", ".join(f"{s} {n}" for s, n in sorted(sets.items())))
    print("by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(Counter(r["kind"] for r in rows).items())))
    lost = Counter(r["lost"] for r in rows)
    print(f"lost on: found {lost['found']}, first rank only {lost['first']}; corrected by spelling: "
          f"{sum(bool(r['corrected']) for r in rows)}; first ten with more from one document than BM25's: "
          f"{sum(r['one_doc'][0] > r['one_doc'][1] for r in rows)}")


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
