"""Section numbers at the start of a line: ``2``, ``2.1``, ``2.1.1``, ``3.7.6``, ``1.1.``.

Shared by every reader and by the sectioner, so that a number means the same thing
whatever format the report came in.
"""
from __future__ import annotations

import re

# A number is 1-3 digits, optionally followed by up to four dotted parts; an optional
# trailing dot or closing bracket; then whitespace and text. Years (2016) and figures
# (1,051) are excluded by the digit limit and by requiring a following letter or quote.
_NUM_RE = re.compile(
    r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?P<trail>\.?\)?)\s+(?P<rest>[^\s\d].*)$",
    re.DOTALL,
)


def split_number(text: str) -> tuple[str | None, str]:
    """Split a leading section number from ``text``.

    Returns ``(number, rest)`` with the number normalised (no trailing dot), or
    ``(None, text)`` when the line does not start with one.
    """
    m = _NUM_RE.match(text)
    if not m:
        return None, text.strip()
    rest = m.group("rest").strip()
    if not rest:
        return None, text.strip()
    return m.group("num"), rest


def level_of(number: str | None) -> int:
    """Depth of a section number: ``2`` is 1, ``2.1`` is 2, ``3.7.6`` is 3."""
    if not number:
        return 1
    return number.count(".") + 1


def number_key(number: str) -> tuple[int, ...]:
    """A sortable key for a section number."""
    return tuple(int(p) for p in number.split(".") if p.isdigit())


def follows(prev: str | None, number: str) -> bool:
    """True when ``number`` is what an outline expects after heading ``prev``.

    ``2.1`` follows ``2``; ``2.2`` follows ``2.1.4``; ``3`` follows ``2.9``; ``1``
    follows nothing. Gaps of one are tolerated (a heading lost in conversion).
    """
    want = number_key(number)
    if prev is None:
        return want in ((1,), (1, 1))
    have = number_key(prev)
    if want[:-1] == have and want[-1] in (1, 2):
        return True
    for depth in range(len(have), 0, -1):
        if want[:-1] == have[: depth - 1] and 1 <= want[-1] - have[depth - 1] <= 2:
            return True
    return False
