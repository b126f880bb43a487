"""Shared by the benchmark scripts: import path set-up, code revision, load average, verdicts."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


def use_project_root() -> None:
    """Run as ``python bench/X.py``, this folder is sys.path[0], where bench/ingest.py would
    shadow the ``ingest`` package: drop it, and put the project root first."""
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def revision(files: tuple[str, ...]) -> str:
    """The git commit and a hash of the files measured, so figures can be traced to code."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip() or "?"
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.count("\n")
    except OSError:
        head, dirty = "?", 0
    sums = []
    for f in files:
        p = ROOT / f
        if p.exists():
            sums.append(f"{f} {hashlib.sha256(p.read_bytes()).hexdigest()[:10]}")
    return f"git {head} ({dirty} tracked files modified); " + ", ".join(sums)


def load() -> str:
    """The load average now (other work on a shared machine skews timings)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def tag_texts(texts: list[str], taxonomy) -> list[list[str]]:
    """The theme ids of each text, tagged as ingest tags sections (in a tagging worker)."""
    from ingest.tagworker import Tagging

    with Tagging(taxonomy=taxonomy) as tagging:
        return [[t["id"] for t in tags] for tags in tagging.tag_later(texts)]
