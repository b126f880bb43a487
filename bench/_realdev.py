"""Reading the real development set (``../shared/realdev``) for the benchmark scripts.

The set lives outside the repository and its texts never enter it: this module only finds
the folder and reads its manifests, gold items, pairs and search tasks into plain records.
The folder is ``$SGSEARCH_REALDEV`` if set, else the first ``shared/realdev`` found beside
the project root or one of its parents (a git worktree sits deeper than the main checkout).
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

from _common import ROOT


def folder() -> Path:
    """The realdev folder, or SystemExit with one line saying where it was looked for."""
    env = os.environ.get("SGSEARCH_REALDEV")
    if env:
        p = Path(env)
        if (p / "README.md").exists():
            return p
        raise SystemExit(f"SGSEARCH_REALDEV={env}: no realdev set there (README.md missing)")
    for parent in [ROOT, *ROOT.parents]:
        p = parent / "shared" / "realdev"
        if (p / "README.md").exists():
            return p
        p = parent.parent / "shared" / "realdev"
        if (p / "README.md").exists():
            return p
    raise SystemExit("realdev set not found: set SGSEARCH_REALDEV to the folder holding it")


def _tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@dataclass
class Page:
    """One real page: its set (``real`` or ``real2``), file name as the manifest gives it
    (``.md``, ``.docx`` or ``.pdf``), its manifest row and its path."""

    set: str
    file: str
    row: dict
    path: Path

    @property
    def stem(self) -> str:
        """The file name without its format: search tasks name pages as ``stem.md``."""
        return self.path.stem


def pages(which: str | None = None, base: Path | None = None) -> list[Page]:
    """Every page of ``real`` and ``real2`` (or of the set named), in file order; with
    ``base``, the pages of that folder laid out as ``real2`` (a held-out set)."""
    sets = [(base.name, Path(base))] if base is not None else \
        [(name, folder() / name) for name in ("real", "real2") if not which or which == name]
    out = []
    for name, where in sets:
        for row in _tsv(where / "manifest.tsv"):
            path = where / row["file"]
            if path.exists():  # a row whose page could not be collected has no file
                out.append(Page(name, row["file"], row, path))
    return out


@dataclass
class GoldItem:
    """An item a careful reader found: its page, kind, number and text (page[start:end])."""

    file: str
    kind: str
    item_no: str
    start: int
    end: int
    text: str


def items(base: Path | None = None) -> list[GoldItem]:
    """The 110 gold items of ``real2`` (or of the folder ``base``), their text cut from the page as the README says."""
    base = Path(base) if base is not None else folder() / "real2"
    texts: dict[str, str] = {}
    out = []
    for r in _tsv(base / "items.tsv"):
        if r["file"] not in texts:
            texts[r["file"]] = (base / r["file"]).read_text(encoding="utf-8")
        s, e = int(r["start"]), int(r["end"])
        out.append(GoldItem(r["file"], r["kind"], r["item_no"], s, e, texts[r["file"]][s:e]))
    return out


def pairs(base: Path | None = None) -> list[tuple[str, str, bool]]:
    """(earlier item_no, later item_no, same?) for every labelled pair of ``real2`` (or of the folder ``base``)."""
    base = Path(base) if base is not None else folder() / "real2"
    return [(r["a_item_no"], r["b_item_no"], r["same"].strip() == "1") for r in _tsv(base / "pairs.tsv")]


def queries() -> list[dict]:
    """The search tasks: ``{query, why, gold: [{set, file, quote}]}``."""
    return json.loads((folder() / "queries.json").read_text(encoding="utf-8"))
