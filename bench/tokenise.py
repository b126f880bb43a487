"""Time ``recur``'s tokeniser on an index's own items, and print a digest of what it made.

Reads every ``--every``-th item of the index (at most ``--limit``), tokenises them all with the
index's concepts ``--rounds`` times (``item_tokens``, the readable words learnt as ``recur``
learns them) and prints the best round's CPU time per item, with the load average. The digest
is of every item's tokens and words: two revisions that print the same digest tokenise alike::

    python bench/tokenise.py --index /tmp/national --every 10 --limit 40000
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import time
from pathlib import Path

from _common import load, revision, use_project_root

use_project_root()

from search.index.store import Store  # noqa: E402
from search.recur.cache import shown_item  # noqa: E402
from search.recur.concepts import store_concepts  # noqa: E402
from search.recur.scoring import item_tokens  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--limit", type=int, default=40_000)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args(argv)
    store = Store(args.index)
    concepts = store_concepts(store)
    items = [{"text": it.get("text"), "heading": it.get("heading")}
             for it in map(shown_item, itertools.islice(store.iter_records("item"), 0, None, args.every))][:args.limit]
    store.close()
    best, made = float("inf"), []
    for _ in range(args.rounds):
        start = time.process_time()
        made = []
        for it in items:
            learnt: dict[str, str] = {}
            made.append((item_tokens(it, concepts, learnt), learnt))
        best = min(best, time.process_time() - start)
    digest = hashlib.sha256(json.dumps(made, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
    print(revision(("search/vocab/concepts.py", "search/recur/scoring.py")))
    print(f"{len(items):,} items: best of {args.rounds} {best:.3f} s CPU, {best / max(len(items), 1) * 1e6:.1f} us an item "
          f"(load {load()}); tokens digest {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
