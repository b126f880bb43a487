"""What every writer needs: the format from a file's name, and an atomic write."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from search.errors import FormatError


def file_format(path, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """``fmt``, else the file's extension, checked against ``allowed`` (a
    :class:`~search.errors.FormatError` names the file, and the format asked for when it was
    asked for rather than read from the name)."""
    given = fmt
    fmt = (fmt or Path(path).suffix).lower().lstrip(".")
    fmt = {"markdown": "md"}.get(fmt, fmt)
    if fmt not in allowed:
        if given:  # the name may be right: the format asked for is what cannot be written here
            names = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
            raise FormatError(f"cannot write {str(path)!r} as {given}: the format is {names} here")
        names = ", ".join(f".{a}" for a in allowed[:-1]) + f" or .{allowed[-1]}"
        raise FormatError(f"cannot write {str(path)!r}: name the file {names}")
    return fmt


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
