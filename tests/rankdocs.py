"""What the tests of the benches share: their modules imported from bench/, and two
written documents where a heading only names a word that a passage elsewhere is about."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(*names: str) -> tuple:
    """The bench modules ``names``, imported with bench/ on the path and the path restored after:
    left there, bench/ingest.py would shadow the ``ingest`` package in a process that spawn
    starts later (the tagging worker)."""
    folder = str(ROOT / "bench")
    sys.path.insert(0, folder)
    try:
        return tuple(importlib.import_module(n) for n in names)
    finally:
        sys.path[:] = [p for p in sys.path if p != folder]


def fostering_docs(folder: Path) -> None:
    """A rota whose heading only names "fostering" and a guide whose passage is about it."""
    folder.mkdir(parents=True)
    filler = "The partnership met in the spring and the board discussed its work with children and families. "
    # the heading names the word, the text is about something else
    (folder / "rota.txt").write_text(
        "Ward Rota Annual Report 2021/22\n\n1 Fostering\n\n" + filler * 3 + "Staff rotas were agreed for winter.\n\n"
        "2 Budget\n\n" + filler * 2 + "The budget was set.\n", encoding="utf-8")
    # the answer: the word in the text, under a heading that does not say it
    (folder / "guide.txt").write_text(
        "Practice Guide Annual Report 2021/22\n\n1 Arrangements made by families\n\n" + filler
        + "A child living with a family friend for 28 days or more is in a fostering arrangement made "
          "privately, and the council must be told about the fostering so a social worker can visit.\n\n"
          "2 Contacts\n\n" + filler + "Call the office.\n", encoding="utf-8")
