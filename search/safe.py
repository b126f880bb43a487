"""One sanitiser for text from documents and file names, whatever it is written to: the
terminal, Markdown, Word, a spreadsheet or the index."""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["ESCAPES", "strip_control"]

# ANSI/VT escape sequences: CSI (ESC [ ... or the one-byte CSI), OSC (ESC ] ... BEL or ST),
# and two-character escapes (ESC followed by one byte).
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# Control characters (C0, DEL, C1), characters XML 1.0 forbids (lone surrogates, U+FFFE,
# U+FFFF) and bidirectional overrides, which can make a passage display differently from
# what it says.
_CONTROL = "\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069"


@lru_cache(maxsize=None)
def _control(keep: str) -> re.Pattern:
    return re.compile(rf"(?![{re.escape(keep)}])[{_CONTROL}]" if keep else f"[{_CONTROL}]")


def strip_control(text, keep: str = "\t\n") -> str:
    """``text`` with escape sequences and control characters removed, but those in ``keep``
    (tab and newline unless told otherwise)."""
    return _control(keep).sub("", ESCAPES.sub("", str(text or "")))
