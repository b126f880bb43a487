"""A user's own TOML files (catalogs, themes, thesauruses, metadata rules) read as the
editors people use save them: UTF-8, with or without the byte-order mark that Windows
Notepad and other Windows editors put at the start."""
from __future__ import annotations

import os

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


def load_toml(path: str | os.PathLike) -> dict:
    """The tables of a TOML file; raises as reading and ``tomllib`` do (``OSError``,
    ``UnicodeDecodeError``, ``tomllib.TOMLDecodeError``), for the caller to say in its words."""
    with open(path, "rb") as fh:
        raw = fh.read()
    return tomllib.loads(raw.decode("utf-8-sig"))
