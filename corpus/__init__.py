"""The bundled corpus: published Somerset safeguarding reports and their catalog."""
from __future__ import annotations

from pathlib import Path


def corpus_dir() -> Path:
    """The folder holding the bundled reports and ``catalog.toml``."""
    return Path(__file__).resolve().parent
