"""What every writer needs: the format from a file's name, and an atomic write."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from search.errors import FormatError

# how a format that cannot be written is said: asked for by name, or read from the file's name
# ({path}, {given} as asked, {names} "md, docx or csv", {exts} ".md, .docx or .csv")
WRITER_WORDING = ("cannot write {path!r} as {given}: the format is {names} here",
                  "cannot write {path!r}: name the file {exts}")


def file_format(path, fmt: str | None, allowed: tuple[str, ...], wording: tuple[str, str] = WRITER_WORDING) -> str:
    """``fmt``, else the file's extension, checked against ``allowed`` (a
    :class:`~search.errors.FormatError` names the file, and the format asked for when it was
    asked for rather than read from the name; ``wording``: the two messages, as
    :data:`WRITER_WORDING`)."""
    name = (fmt or Path(path).suffix).lower().lstrip(".")
    name = {"markdown": "md"}.get(name, name)
    if name in allowed:
        return name
    names = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
    exts = ", ".join(f".{a}" for a in allowed[:-1]) + f" or .{allowed[-1]}"
    # when a format was asked for the name may be right: the format is what cannot be written here
    said = wording[0] if fmt else wording[1]
    raise FormatError(said.format(path=str(path), given=fmt, names=names, exts=exts))


@contextmanager
def atomic(path):
    """A temporary path beside ``path``, moved over it when the block ends without error."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
