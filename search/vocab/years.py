"""UK financial years (April to March): labels such as ``2021-22`` and their start years.

Shared by ingest (reading a document's period) and search (year filters, tables), so it
lives here, below both.
"""
from __future__ import annotations

import re
from datetime import date

UNDATED = "undated"  # how a document, section or item whose report states no year is shown

# "2016/17", "2016-17", "2016 to 2017", "2016–2017": the start year, then the end year
FY_PATTERN = r"((?:19|20)\d{2})\s*(?:/|-|–|—|\s+to\s+)\s*((?:19|20)?\d{2})\b"


def fy_start_of(d: date) -> int:
    """The start year of the UK financial year containing ``d``."""
    return d.year if d.month >= 4 else d.year - 1


def fy_label(start: int) -> str:
    """``2021`` -> ``"2021-22"``."""
    return f"{start}-{(start + 1) % 100:02d}"


def parse_year_label(text: str) -> int | None:
    """Read a financial-year label (``2016/17``, ``2016-17``, ``2016 to 2017``, ``2016``) as its start year."""
    text = str(text).strip()
    m = re.fullmatch(FY_PATTERN, text, re.I) or re.fullmatch(r"((?:19|20)\d{2})", text)
    if not m:
        return None
    start = int(m.group(1))
    if m.lastindex and m.lastindex >= 2:
        end = m.group(2)
        end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_full != start + 1:
            return None
    return start


def year_labels(starts) -> list[str]:
    """Labels of the given start years, ascending (values outside 1900-2200 are not years)."""
    return [fy_label(y) for y in sorted(y for y in set(starts) if y is not None and 1900 < y < 2200)]
