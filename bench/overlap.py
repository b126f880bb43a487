"""Runs of words the repository shares with real pages kept outside it.

Real pages (the development set, held-out sets) must never enter the repository, not even a
sentence of one in a test, a comment or a generator of training documents: a fit on our own
documents that quotes them is a fit on them. This prints every run of ``--words`` or more
words that a tracked file shares with a page, longest first, so that a quote is found before
it is committed::

    python bench/overlap.py                        # against the development set
    python bench/overlap.py --dir ../notes/heldout --words 10

Runs made only of figures, and the bundled corpus (published text we ship on purpose), are
left out. Exit status 1 when anything is found.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import _realdev
from _common import ROOT

TEXT = (".md", ".txt", ".html", ".htm", ".tsv", ".csv")
CODE = (".py", ".toml", ".md", ".txt", ".tsv", ".json", ".html", ".js", ".css", ".cfg")


def words(text: str) -> list[str]:
    """Lower-case words and numbers, punctuation dropped (so quoting style does not hide a quote)."""
    return re.findall(r"[a-z0-9]+", text.lower())


def _wordy(run: list[str]) -> bool:
    return sum(len(w) >= 3 and not w.isdigit() for w in run) >= len(run) // 2 + 1


def shingles(folders: list[Path], n: int) -> dict[tuple, str]:
    """Every run of ``n`` words of the pages under ``folders`` → the page's file name."""
    seen: dict[tuple, str] = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix.lower() in TEXT:
                w = words(p.read_text(encoding="utf-8", errors="ignore"))
                for i in range(len(w) - n + 1):
                    seen.setdefault(tuple(w[i:i + n]), p.name)
    return seen


def tracked() -> list[Path]:
    """The repository's tracked text files, the bundled corpus left out."""
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / f for f in out.stdout.splitlines()
            if f.endswith(CODE) and not f.startswith("corpus/")]


def overlaps(files: list[Path], seen: dict[tuple, str], n: int) -> list[tuple[int, str, str, str]]:
    """``(length, file, page, run)`` for each longest shared run, longest first."""
    found = []
    for f in files:
        try:
            w = words(f.read_text(encoding="utf-8", errors="ignore"))
        except OSError:
            continue
        i = 0
        while i <= len(w) - n:
            page = seen.get(tuple(w[i:i + n]))
            if page is None or not _wordy(w[i:i + n]):
                i += 1
                continue
            j = i + n
            while j < len(w) and seen.get(tuple(w[j - n + 1:j + 1])) == page:
                j += 1
            found.append((j - i, str(f.relative_to(ROOT)), page, " ".join(w[i:j])))
            i = j
    return sorted(found, key=lambda r: (-r[0], r[1]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, action="append",
                    help="a folder of real pages (repeatable; default: the development set)")
    ap.add_argument("--words", type=int, default=9, help="shortest run reported (default 9)")
    args = ap.parse_args()
    folders = args.dir or [_realdev.folder()]
    seen = shingles(folders, args.words)
    found = overlaps(tracked(), seen, args.words)
    for length, f, page, run in found:
        print(f"{length:3d} words  {f}  <- {page}: {run}")
    print(f"{len(found)} shared runs of {args.words}+ words in {len({f for _, f, _, _ in found})} files")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
