"""Passages: what a report said in passing, kept with each section at ingest.

An item candidate the model scores below the item bar is not an item, but a reviewer asking
"has this been said before?" still wants it: ``recur --check`` compares a text with passages
too, and lists one like it as said in passing (never as made before). A candidate is kept as
a passage when its score is at least the floor of ``passages.toml`` (data a user can read).
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PASSAGES_FILE = Path(__file__).resolve().parent / "passages.toml"


@lru_cache(maxsize=1)
def passage_floor() -> float:
    """The lowest item score a candidate needs to be kept as a passage (``passages.toml``)."""
    data = tomllib.loads(PASSAGES_FILE.read_text(encoding="utf-8"))
    return float(data["floor"])
