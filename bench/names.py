"""How job titles and committee names change theme tags on the real pages (realdev).

    python bench/names.py [--details]

Tags every realdev page (its ``.md`` form) with and without the ``[names]`` rule of
``ingest/cues.toml`` and prints how many tags and evidence spans the rule removes;
``--details`` lists each removed tag with the name it came from, to judge by eye.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _realdev  # noqa: E402
from _common import use_project_root  # noqa: E402

use_project_root()

from ingest.readers import read_path  # noqa: E402
from ingest.themes import get_tagger  # noqa: E402


def main(argv: list[str]) -> int:
    tagger = get_tagger()
    names = tagger.names
    texts = []
    for page in _realdev.pages():
        md = page.path.with_suffix(".md")
        if md.exists() and md not in {p for p, _ in texts}:
            texts.append((md, "\n".join(b.text for b in read_path(md).blocks)))
    counts = {}
    for label, rule in (("without", None), ("with", names)):
        tagger.names = rule
        counts[label] = [{t.id: t for t in tags} for tags in tagger.tag_many(t for _, t in texts)]
    tagger.names = names
    before = sum(len(c) for c in counts["without"])
    after = sum(len(c) for c in counts["with"])
    lost = [(p.name, tid, counts["without"][i][tid].evidence) for i, (p, _) in enumerate(texts)
            for tid in counts["without"][i] if tid not in counts["with"][i]]
    fewer = sum(counts["without"][i][tid].count - counts["with"][i][tid].count
                for i in range(len(texts)) for tid in counts["with"][i])
    print(f"pages {len(texts)}  theme tags without the rule {before}, with it {after} "
          f"(lost {len(lost)}); mentions removed from tags kept: {fewer}")
    if "--details" in argv:
        for name, tid, ev in lost:
            print(f"  {name}: {tid} (evidence {ev})")
        for p, text in texts:
            for m in names.finditer(text):
                print(f"  {p.name}: name {m.group(0)!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
