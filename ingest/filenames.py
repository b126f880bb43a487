"""File names taken from outside (an upload's name, the last part of a URL) made safe to
create on any system: no folders, no characters a file system misreads, and never one of
the device names Windows reserves (``CON``, ``NUL``, ``COM1`` …, with any extension)."""
from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^\w.\- ()]+")
_RESERVED = re.compile(r"(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9\u00b9\u00b2\u00b3])", re.I)


def not_reserved(name: str) -> str:
    """``name`` with ``_`` before it when Windows reserves what comes before its first dot."""
    return "_" + name if _RESERVED.fullmatch(name.split(".", 1)[0].rstrip(" ")) else name


def safe_file_name(name: str, default: str = "upload", limit: int = 120) -> str:
    """A file name with no folders, no unsafe characters, no trailing dots or spaces, at
    most ``limit`` characters, and not a reserved device name; ``default`` when nothing is left."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")[:limit].rstrip(" .")
    return not_reserved(name) if name else default
