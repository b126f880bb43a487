"""Ranking against plain BM25: recall@10, MRR and nDCG@10 for sgsearch and a plain BM25 index.

Two sets of search tasks:

- **realdev**: the 24 tasks of ``../shared/realdev/queries.json`` over its 42 real pages
  (``.md``, ``.docx`` and ``.pdf`` as they are), ingested into one temporary index. A
  section is relevant to a task when its text contains one of the task's gold quotes
  (whitespace collapsed, quotes and case folded).
- **held-out** (``--dir DIR``): real pages outside realdev, kept outside the repository:
  ``DIR/queries.json`` in realdev's shape over ``DIR/pages/*.md`` (or ``DIR/*.md``), indexed
  together with realdev's 42 pages, which serve as distractors.
- **pooled held-out** (``--pool DIR DIR …``): several held-out folders as one: their pages and
  realdev's in one index, their tasks as one list (figures per set and pooled).
- **owned**: the tests' own search tasks (``tests/data/relevance_tasks.toml``), written as a
  practitioner types them, over the documents the tests own: the bundled corpus, the test
  briefing and every page under ``tests/realistic/``; each task lists the quotes of the
  passages that answer it, placed as realdev's gold quotes are.
- **bundled**: the tests' own query/passage pairs (``tests/data/expansion_pairs.toml``)
  over the bundled corpus and the test briefing, as ``bench/expansion.py`` builds it; a
  section is relevant when its heading or text contains the passage.

Plain BM25 is built here over the very same sections (heading and text as one field):
Whoosh's ``StemmingAnalyzer``, ``OrGroup``, BM25F with its defaults, no boosts, no
expansion. recall@10 is counted against what ten sections can hold (relevant found in the
first ten / min(relevant, 10)); MRR is the mean of 1/rank of the first relevant section
(0 beyond ten); nDCG@10 has binary gains. Figures are per kind of task too (realdev's
``why`` says the kind). It always exits 0 and prints PASS or MISS against the targets.

    python bench/relevance.py
    python bench/relevance.py --per-query
    python bench/relevance.py --engine tantivy --only realdev
    python bench/relevance.py --dir /path/to/heldout --only heldout
    python bench/relevance.py --pool /path/to/h1 /path/to/h4 --only heldout
    python bench/relevance.py --only owned --per-query
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also in the tagging worker, which spawn starts
import _realdev  # noqa: E402
import expansion  # noqa: E402
from _common import ROOT, load, revision, use_project_root, verdict  # noqa: E402

use_project_root()

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

OWNED_TASKS = ROOT / "tests" / "data" / "relevance_tasks.toml"
REALISTIC = ROOT / "tests" / "realistic"

K = 10
# the kind of a realdev task, from the opening words of its ``why`` (first match wins)
KINDS = (
    ("year intent", ("year intent",)),
    ("plain questions", ("natural-language question", "document-type intent")),
    ("abbreviations", ("abbreviation", "full form")),
    ("other wordings", ("synonym", "informal wording")),
    ("rare phrase", ("rare word",)),
    ("keywords", ("short keyword",)),
)


def kind_of(why: str) -> str:
    w = why.lower()
    for kind, cues in KINDS:
        if any(w.startswith(c) for c in cues):
            return kind
    return "broad themes" if "broad" in w else "other"


def norm(text: str) -> str:
    """Case, curly quotes and runs of whitespace folded."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.lower().split())


# -- the sections of an index ----------------------------------------------------------------
def sections_of(store) -> list[dict]:
    """Every section of the index: id, doc path stem, heading, text."""
    backend = store.backend()
    paths = {d["doc_id"]: Path(d.get("path") or "").stem for d in backend.records("doc")}
    out = []
    for s in backend.records("section"):
        out.append({"id": s["id"], "stem": paths.get(s.get("doc_id"), ""), "heading": s.get("heading") or "",
                    "text": s.get("text") or ""})
    return out


# -- plain BM25 --------------------------------------------------------------------------------
class PlainBM25:
    """A stemmed, OR, unboosted BM25 index over the given sections (heading and text as one field)."""

    def __init__(self, sections: list[dict], folder: Path):
        import whoosh.index
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=StemmingAnalyzer()))
        folder.mkdir(parents=True, exist_ok=True)
        self.ix = whoosh.index.create_in(str(folder), schema)
        w = self.ix.writer()
        for s in sections:
            w.add_document(id=s["id"], body=f"{s['heading']}\n{s['text']}")
        w.commit()
        self.searcher = self.ix.searcher()

    def search(self, query: str, k: int = K) -> list[str]:
        from whoosh import qparser

        p = qparser.QueryParser("body", self.ix.schema, group=qparser.OrGroup)
        q = p.parse(re.sub(r"[^\w\s'-]", " ", query))
        return [hit["id"] for hit in self.searcher.search(q, limit=k)]

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


def sgsearch_ids(store, query: str, k: int = K, weights=None) -> list[str]:
    """The ids of sgsearch's first ``k`` sections for ``query`` (``weights``: other ranking
    weights than ``search/ranking.toml``'s, as ``search.query.search`` takes them)."""
    from search.query import QueryError, search

    try:
        return [h.section["section_id"] for h in search(store, query, limit=k, snippets=False, weights=weights).hits]
    except QueryError:
        return []


# -- measures ----------------------------------------------------------------------------------
def measures(ranked: list[str], relevant: set[str]) -> dict:
    top = ranked[:K]
    found = [i for i, sid in enumerate(top) if sid in relevant]
    if not relevant:
        return {"recall": 0.0, "mrr": 0.0, "ndcg": 0.0, "first": None, "found": 0, "n": 0}
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), K)))
    dcg = sum(1 / math.log2(i + 2) for i in found)
    return {"recall": len(found) / min(len(relevant), K), "mrr": 1 / (found[0] + 1) if found else 0.0,
            "ndcg": dcg / ideal, "first": found[0] + 1 if found else None, "found": len(found),
            "n": len(relevant)}


def mean(rows: list[dict], key: str) -> float:
    return sum(r[key] for r in rows) / len(rows) if rows else 0.0


# -- the two sets -----------------------------------------------------------------------------
def realdev_tasks(sections: list[dict], queries: list[dict] | None = None) -> list[dict]:
    """Each task (realdev's, or ``queries`` in its shape) with the ids of its relevant sections and its kind."""
    texts = [(s["id"], s["stem"], norm(f"{s['heading']}\n{s['text']}")) for s in sections]
    tasks = []
    for q in _realdev.queries() if queries is None else queries:
        rel: set[str] = set()
        unplaced = 0
        for g in q["gold"]:
            quote, stem = norm(g["quote"]), Path(g["file"]).stem
            got = {sid for sid, st, t in texts if st == stem and quote in t}
            if not got:  # a quote cut where a section ends: its first 30 characters
                got = {sid for sid, st, t in texts if st == stem and quote[:30] in t}
            if not got:
                unplaced += 1
            rel |= got
        tasks.append({"query": q["query"], "kind": kind_of(q["why"]), "relevant": rel, "unplaced": unplaced,
                      "set": q.get("set")})
    return tasks


# Pages of tests/realistic written for the item fit after the owned tasks were: nobody labelled
# their sections for a task, so any of them that answers one would count against it.
UNLABELLED = ("prose",)


def owned_paths() -> list[Path]:
    """The documents the owned tasks are written over: the bundled corpus, the test briefing and
    the pages under ``tests/realistic/`` (those of :data:`UNLABELLED` folders left out)."""
    from corpus import corpus_dir

    pages = [p for p in sorted(REALISTIC.rglob("*.md")) if p.relative_to(REALISTIC).parts[0] not in UNLABELLED]
    return [corpus_dir(), expansion.TEST_DOC, *pages]


def owned_queries(path: Path = OWNED_TASKS) -> list[dict]:
    """The owned tasks in realdev's shape (query, why, gold quotes), or SystemExit naming the file."""
    try:
        with open(path, "rb") as fh:
            tasks = tomllib.load(fh)["tasks"]
        for t in tasks:
            if not (t["query"] and t["why"] and t["gold"] and all(g["file"] and g["quote"] for g in t["gold"])):
                raise ValueError(f"task {t.get('query')!r} lacks a query, a why or its gold quotes")
    except (OSError, KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as e:
        raise SystemExit(f"{path}: not a task file ({e})") from None
    return tasks


def owned_tasks(sections: list[dict]) -> list[dict]:
    """The owned tasks with the ids of their relevant sections (placed as realdev's gold quotes)."""
    return realdev_tasks(sections, owned_queries())


def bundled_tasks(sections: list[dict]) -> list[dict]:
    tasks = []
    for p in expansion.load_pairs():
        is_rel = expansion.relevant(p["passage"])
        rel = {s["id"] for s in sections if is_rel(f"{s['heading']}\n{s['text']}")}
        tasks.append({"query": p["query"], "kind": p["kind"], "relevant": rel, "unplaced": 0})
    return tasks


def pooled_sets(folders: list[Path]) -> tuple[list[Path], list[dict]]:
    """Several held-out folders as one: every page and every task (each task's ``set`` is its
    folder's name, the parent's where names repeat: ``.../h1/queries``). SystemExit when two
    sets hold a page of the same name (the gold quotes name pages by name)."""
    names = [f.name for f in folders]
    pages, queries, seen = [], [], {}
    for f in folders:
        label = f"{f.parent.name}/{f.name}" if names.count(f.name) > 1 else f.name
        for p in heldout_pages(f):
            if p.stem in seen:
                raise SystemExit(f"{p}: a page of the same name is in {seen[p.stem]}: the pool cannot tell them apart")
            seen[p.stem] = f
            pages.append(p)
        for q in json.loads((f / "queries.json").read_text(encoding="utf-8")):
            queries.append({**q, "set": label})
    return pages, queries


def run(name: str, store, sections: list[dict], tasks: list[dict], folder: Path, per_query: bool) -> dict:
    bm25 = PlainBM25(sections, folder / f"bm25-{name}")
    rows = []
    for t in tasks:
        ours = measures(sgsearch_ids(store, t["query"]), t["relevant"])
        base = measures(bm25.search(t["query"]), t["relevant"])
        rows.append({"task": t, "ours": ours, "bm25": base})
    bm25.close()
    sets = sorted({t["set"] for t in tasks if t.get("set")})
    unplaced = sum(t["unplaced"] for t in tasks)
    print(f"\n## {name}: {len(tasks)} tasks, {len(sections)} sections"
          + (f" ({unplaced} gold quotes found in no section)" if unplaced else ""))
    if per_query:
        print(f"{'query':58} {'kind':16} {'rel':>3}  {'sgsearch':>18}  {'plain BM25':>18}")
        for r in rows:
            t, o, b = r["task"], r["ours"], r["bm25"]
            note = f"  ({t['unplaced']} gold quotes not placed)" if t["unplaced"] else ""
            print(f"{t['query'][:58]:58} {t['kind'][:16]:16} {o['n']:>3}  "
                  f"{o['found']:>2} found, first {str(o['first'] or '-'):>2}  "
                  f"{b['found']:>2} found, first {str(b['first'] or '-'):>2}{note}")
    print(f"{'kind':18} {'n':>3}  {'recall@10':>17}  {'MRR':>13}  {'nDCG@10':>13}")
    print(f"{'':18} {'':>3}  {'sgs':>8} {'bm25':>8}  {'sgs':>6} {'bm25':>6}  {'sgs':>6} {'bm25':>6}")
    kinds = sorted({r["task"]["kind"] for r in rows})
    out = {}
    for label in sets if len(sets) > 1 else ():
        sub = [r for r in rows if r["task"].get("set") == label]
        o = {m: mean([r["ours"] for r in sub], m) for m in ("recall", "mrr", "ndcg")}
        b = {m: mean([r["bm25"] for r in sub], m) for m in ("recall", "mrr", "ndcg")}
        print(f"{'set ' + label:18} {len(sub):>3}  {o['recall']:8.2f} {b['recall']:8.2f}  {o['mrr']:6.2f} {b['mrr']:6.2f}  "
              f"{o['ndcg']:6.2f} {b['ndcg']:6.2f}")
    for kind in [*kinds, "all"]:
        sub = [r for r in rows if kind == "all" or r["task"]["kind"] == kind]
        o = {m: mean([r["ours"] for r in sub], m) for m in ("recall", "mrr", "ndcg")}
        b = {m: mean([r["bm25"] for r in sub], m) for m in ("recall", "mrr", "ndcg")}
        out[kind] = (o, b)
        print(f"{kind:18} {len(sub):>3}  {o['recall']:8.2f} {b['recall']:8.2f}  {o['mrr']:6.2f} {b['mrr']:6.2f}  "
              f"{o['ndcg']:6.2f} {b['ndcg']:6.2f}")
    hit = [r["ours"]["first"] is not None for r in rows]
    out["hit"] = sum(hit) / len(hit) if hit else 0.0
    other = [r["ours"]["first"] is not None for r in rows if r["task"]["kind"] == "other-form"]
    out["hit_other"] = sum(other) / len(other) if other else 0.0
    return out


def heldout_pages(folder: Path) -> list[Path]:
    """The pages of a held-out set (``pages/*.md``, else ``*.md``), or SystemExit saying what is missing."""
    if not (folder / "queries.json").exists():
        raise SystemExit(f"{folder}: no queries.json there (a held-out set needs queries.json and pages/*.md)")
    found = sorted((folder / "pages").glob("*.md")) or sorted(folder.glob("*.md"))
    if not found:
        raise SystemExit(f"{folder}: no pages (*.md in pages/ or in the folder)")
    return found


def build(paths: list[Path], root: Path, engine: str | None) -> None:
    from ingest.pipeline import ingest

    report = ingest(paths, root, engine=engine)
    if report.failed:
        print(f"# not ingested: {report.failed}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-query", action="store_true", help="print each task's figures")
    ap.add_argument("--engine", choices=("whoosh", "tantivy"), default=None, help="sgsearch's engine")
    ap.add_argument("--only", choices=("realdev", "heldout", "owned", "bundled"), help="one set only")
    ap.add_argument("--dir", type=Path, help="a held-out set: queries.json and pages/*.md (outside the repository)")
    ap.add_argument("--pool", type=Path, nargs="+", metavar="DIR",
                    help="several held-out sets measured as one index and one task list")
    args = ap.parse_args()
    from corpus import corpus_dir
    from search.index.store import Store

    print(f"# bench/relevance.py  load {load()}  engine {args.engine or 'default'}")
    print(f"# {revision(('search/query.py', 'search/ranking.toml', 'search/vocab/thesaurus.toml', 'search/index/backends/whoosh.py', 'search/index/backends/tantivy.py'))}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.only in (None, "realdev"):
            build([p.path for p in _realdev.pages()], tmp / "realdev", args.engine)
            store = Store(tmp / "realdev")
            secs = sections_of(store)
            results["realdev"] = run("realdev", store, secs, realdev_tasks(secs), tmp, args.per_query)
            store.close()
        if args.pool and args.only in (None, "heldout"):
            held, queries = pooled_sets(args.pool)
            build([p.path for p in _realdev.pages()] + held, tmp / "pooled", args.engine)
            store = Store(tmp / "pooled")
            secs = sections_of(store)
            results["pooled"] = run("pooled held-out", store, secs, realdev_tasks(secs, queries), tmp, args.per_query)
            store.close()
        if args.dir and args.only in (None, "heldout"):
            held = heldout_pages(args.dir)
            build([p.path for p in _realdev.pages()] + held, tmp / "heldout", args.engine)
            store = Store(tmp / "heldout")
            secs = sections_of(store)
            queries = json.loads((args.dir / "queries.json").read_text(encoding="utf-8"))
            results["heldout"] = run("heldout", store, secs, realdev_tasks(secs, queries), tmp, args.per_query)
            store.close()
        if args.only in (None, "owned"):
            build(owned_paths(), tmp / "owned", args.engine)
            store = Store(tmp / "owned")
            secs = sections_of(store)
            results["owned"] = run("owned", store, secs, owned_tasks(secs), tmp, args.per_query)
            store.close()
        if args.only in (None, "bundled"):
            build([corpus_dir(), expansion.TEST_DOC], tmp / "bundled", args.engine)
            store = Store(tmp / "bundled")
            secs = sections_of(store)
            results["bundled"] = run("bundled", store, secs, bundled_tasks(secs), tmp, args.per_query)
            store.close()
    print("\n## targets")
    if "realdev" in results:
        r = results["realdev"]
        o, b = r["all"]
        print(f"realdev recall@10 >= 0.90: {o['recall']:.3f} {verdict(o['recall'] >= 0.9)}")
        worse = [k for k, v in r.items() if isinstance(v, tuple) and k != "all" and v[0]["recall"] < v[1]["recall"] - 1e-9]
        print(f"realdev recall@10 >= plain BM25 on every kind: {verdict(not worse)}"
              + (f" (below on: {', '.join(worse)})" if worse else ""))
        print(f"realdev MRR >= plain BM25 + 0.05: {o['mrr']:.2f} vs {b['mrr']:.2f} {verdict(o['mrr'] >= b['mrr'] + 0.05)}")
    for key, label in (("heldout", "held-out"), ("pooled", "pooled held-out")):
        if key in results:
            o, b = results[key]["all"]
            print(f"{label} recall@10 >= plain BM25: {o['recall']:.2f} vs {b['recall']:.2f} "
                  f"{verdict(o['recall'] >= b['recall'] - 1e-9)}")
            print(f"{label} MRR >= plain BM25 + 0.05: {o['mrr']:.2f} vs {b['mrr']:.2f} "
                  f"{verdict(o['mrr'] >= b['mrr'] + 0.05 - 1e-9)}")
    if "bundled" in results:
        r = results["bundled"]
        o, _b = r["all"]
        print(f"bundled recall@10 >= 0.97: {o['recall']:.3f} {verdict(o['recall'] >= 0.97)}")
        print(f"bundled MRR >= 0.85: {o['mrr']:.2f} {verdict(o['mrr'] >= 0.85)}")
        print(f"bundled: a relevant section in the first ten for {r['hit']:.2f} of the tasks (other-form recall, "
              f"bench/expansion.py's measure: {r['hit_other']:.2f}, target >= 0.90 {verdict(r['hit_other'] >= 0.9)})")


if __name__ == "__main__":
    main()
