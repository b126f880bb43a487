"""Print how well titles, years, publishers, types, items and themes come out on the
realistic test set (tests/realistic: documents in many partnerships' house styles).

    python bench/quality.py [--details] [--set DIR]

``--set tests/realistic/holdout`` scores the documents written after the rules, unseen by them.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also in the tagging worker, which spawn starts
from _common import use_project_root  # noqa: E402

use_project_root()

from tests.quality import SET_DIR, evaluate  # noqa: E402


def main(argv: list[str]) -> int:
    details = "--details" in argv
    directory = Path(argv[argv.index("--set") + 1]) if "--set" in argv[:-1] else SET_DIR
    with tempfile.TemporaryDirectory() as tmp:
        s = evaluate(Path(tmp), directory)
    print(f"documents: {s['documents']}")
    for k, v in s["metadata"].items():
        print(f"{k:<10} right {v:6.1%}")
        if details:
            for w in s["metadata_wrong"][k]:
                print(f"    wrong: {w}")
    it = s["items"]
    print(f"items      recall {it['recall']:.2f}  precision {it['precision']:.2f}")
    for kind, v in it["by_kind"].items():
        print(f"  {kind:<15} expected {v['expected']:>3}  got {v['got']:>3}  "
              f"recall {v['recall']:.2f}  precision {v['precision']:.2f}")
    if details:
        for m in it["missed"]:
            print(f"    missed: {m}")
        for m in it["extra"]:
            print(f"    extra:  {m}")
    th = s["themes"]
    print(f"themes     recall {th['recall']:.2f}  precision {th['precision']:.2f}")
    if details:
        for d in th["differences"]:
            print(f"    {d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
