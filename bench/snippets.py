"""How snippets are cut, on the real pages (realdev): inside a word, or at a sentence start.

    python bench/snippets.py [--corpus]

Indexes every realdev ``.md`` page (no theme tagging; with ``--corpus``, the bundled
corpus as well, tagged), runs the set's search tasks (and on the corpus the same queries)
and prints, over the fragments of the top 10 snippets of each, how many start or end inside
a word and how many open where a sentence, list item or line starts.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _realdev  # noqa: E402
from _common import use_project_root  # noqa: E402

use_project_root()

from ingest.pipeline import ingest  # noqa: E402
from search.index.store import Store  # noqa: E402
from search.query import plain, search  # noqa: E402

_OPENS = re.compile(r"(?:^|[.!?:;\u2022\u00b7][\"'\u201d\u2019)\]]*)$")


def measure(store: Store, queries: list[str]) -> dict:
    """Fragments of the top 10 snippets of each query: how many, cut inside a word, opening a sentence."""
    out = {"fragments": 0, "inside_word": 0, "opens_sentence": 0}
    for q in queries:
        for h in search(store, q, limit=10).hits:
            text = " ".join((h.section.get("text") or "").split())
            for frag in plain(h.snippet).split(" \u2026 "):
                frag = frag.strip(" \u2026")
                at = text.find(frag) if frag else -1
                if at < 0:
                    continue
                end = at + len(frag)
                out["fragments"] += 1
                out["inside_word"] += (at > 0 and text[at - 1] != " ") or (end < len(text) and text[end] != " ")
                out["opens_sentence"] += bool(_OPENS.search(text[:at].rstrip())) or frag[:1] in "\u2022\u00b7"
    return out


def main(argv: list[str]) -> int:
    pages = sorted({p.path.with_suffix(".md") for p in _realdev.pages()} & {p.path for p in _realdev.pages()})
    queries = [t["query"] for t in _realdev.queries()]
    with tempfile.TemporaryDirectory() as tmp:
        report = ingest(pages, Path(tmp) / "ix", tag=False)
        store = Store(Path(tmp) / "ix")
        m = measure(store, queries)
        store.close()
    n = m["fragments"] or 1
    print(f"pages {len(report.added)}  queries {len(queries)}  fragments {m['fragments']}  "
          f"cut inside a word {m['inside_word']} ({m['inside_word'] / n:.0%})  "
          f"open on a sentence {m['opens_sentence']} ({m['opens_sentence'] / n:.0%})")
    if "--corpus" in argv:
        from corpus import corpus_dir

        with tempfile.TemporaryDirectory() as tmp:
            ingest([corpus_dir()], Path(tmp) / "ix")
            store = Store(Path(tmp) / "ix")
            m = measure(store, queries)
            store.close()
        n = m["fragments"] or 1
        print(f"bundled corpus: fragments {m['fragments']}  cut inside a word {m['inside_word']} "
              f"({m['inside_word'] / n:.0%})  open on a sentence {m['opens_sentence']} ({m['opens_sentence'] / n:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
