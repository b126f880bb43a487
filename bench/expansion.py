"""Search quality benchmark: recall@10 and MRR on query/passage pairs, with and without expansion.

The pairs are in ``tests/data/expansion_pairs.toml`` (the tests own them): each query with a
passage its relevant sections contain, either in another form than the query (an
abbreviation for its expansion, a synonym, a compound written apart) or in the query's own
words (``literal``). An index of the bundled corpus and the test briefing
(``tests/data/widget-panel-briefing.txt``) is built in a temporary folder (or use
``--index DIR`` built the same way). Each query runs with ``search.query.search`` as is
(abbreviations, synonyms, themes, proximity) and with ``exact=True``; recall@10 (a
relevant section among the first ten) and MRR (mean of 1/rank of the first relevant
section, 0 when none in the first ten) are printed per kind.

Targets: recall@10 >= 0.9 on the other-form pairs with expansion; literal pairs
no worse than before. It always exits 0 and prints PASS or MISS.

    python bench/expansion.py
    python bench/expansion.py --verbose
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also in the tagging worker, which spawn starts
from _common import ROOT, load, revision, use_project_root  # noqa: E402

use_project_root()

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PAIRS = ROOT / "tests" / "data" / "expansion_pairs.toml"
TEST_DOC = ROOT / "tests" / "data" / "widget-panel-briefing.txt"
K = 10


def load_pairs() -> list[dict]:
    with open(PAIRS, "rb") as fh:
        return tomllib.load(fh)["pairs"]


def relevant(passage: str):
    """A test for a section's heading and text: contains the passage (capitals: as written)."""
    flags = 0 if passage.upper() == passage else re.I
    rx = re.compile(r"\b" + re.escape(passage), flags)
    return lambda text: bool(rx.search(text))


def build_index(root: Path) -> None:
    from corpus import corpus_dir
    from ingest.pipeline import ingest

    report = ingest([corpus_dir(), TEST_DOC], root)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed}")


def first_relevant(store, pair: dict, exact: bool) -> int | None:
    """The rank of the first relevant hit in the first K, or None."""
    from search.query import QueryError, search

    is_rel = relevant(pair["passage"])
    try:
        res = search(store, pair["query"], limit=K, exact=exact)
    except QueryError:
        return None
    for h in res.hits:
        if is_rel(f"{h.section.get('heading') or ''}\n{h.section.get('text') or ''}"):
            return h.rank
    return None


def scores(ranks: list[int | None]) -> tuple[float, float]:
    n = len(ranks) or 1
    return sum(r is not None for r in ranks) / n, sum(1 / r for r in ranks if r) / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", help="an index of the corpus and the test briefing (default: build one)")
    ap.add_argument("--verbose", action="store_true", help="print each pair's rank")
    args = ap.parse_args()
    from search.index.store import Store

    print(f"# bench/expansion.py  load {load()}")
    print(f"# {revision(('search/query.py', 'search/vocab/thesaurus.py', 'search/vocab/thesaurus.toml', 'search/index/analysis.py'))}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.index) if args.index else Path(tmp) / "index"
        if not args.index:
            build_index(root)
        store = Store(root)
        pairs = load_pairs()
        table = {}
        for mode, exact in (("expanded", False), ("exact", True)):
            for kind in ("other-form", "literal"):
                ranks = [first_relevant(store, p, exact) for p in pairs if p["kind"] == kind]
                table[(mode, kind)] = scores(ranks)
                if args.verbose:
                    for p, r in zip([p for p in pairs if p["kind"] == kind], ranks):
                        print(f"  {mode:8} {kind:10} {p['query']!r:45} rank {r}")
        store.close()
    print(f"{'pairs':12} {'n':>3}  {'mode':9} {'recall@10':>9} {'MRR':>6}")
    for kind in ("other-form", "literal"):
        n = sum(p["kind"] == kind for p in pairs)
        for mode in ("expanded", "exact"):
            r, m = table[(mode, kind)]
            print(f"{kind:12} {n:>3}  {mode:9} {r:9.2f} {m:6.2f}")
    r = table[("expanded", "other-form")][0]
    print(f"target recall@10 >= 0.90 on other-form pairs with expansion: {r:.2f} {'PASS' if r >= 0.9 else 'MISS'}")


if __name__ == "__main__":
    main()
