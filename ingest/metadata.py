"""Detect a document's title, publisher, type and reporting period from its text.

Years are UK financial years (April to March), labelled ``2021-22`` with the integer
start year 2021. The reporting period is read from phrases such as "This report
covers the period of 1st April 2021 to 30th June 2022", "Twelve Monthly Report
2020-21", "Annual Report 2016/17", a meeting date ("Thursday 18 January 2018") or a
month ("June 2019"). A catalog entry (see :mod:`ingest.catalog`) wins over all of it.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from ingest.blocks import BREAK, HEADING, Block
from search.filters import DOC_TYPES  # noqa: F401  (re-exported: one list of document types, for search too)

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})"
_PERIOD = re.compile(rf"{_DATE}\s*(?:to|until|-|–|—)\s*{_DATE}", re.I)
_FY = r"((?:19|20)\d{2})\s*(?:/|-|–|—|\s+to\s+)\s*((?:19|20)?\d{2})\b"
_REPORT_YEAR = re.compile(
    rf"(?:annual|twelve[- ]monthly|yearly|12[- ]month(?:ly)?)\s+report\s*(?:for\s+|of\s+)?(?:the\s+year\s+)?{_FY}",
    re.I,
)
_YEAR_LABEL = re.compile(rf"^\W*{_FY}\W*$")
_WEEKDAY_DATE = re.compile(rf"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+{_DATE}", re.I)
_FULL_DATE = re.compile(_DATE, re.I)
_MONTH_YEAR = re.compile(rf"(?:^|\s)({_MONTH_RE})\s+((?:19|20)\d{{2}})\W*$", re.I)
_PUBLISHER = re.compile(
    r"\b((?:NHS\s+)?(?:[A-Z][a-z]+\s+){0,3}?"
    r"(?:Safeguarding\s+Children(?:'s)?\s+(?:Partnership|Board)|Clinical\s+Commissioning\s+Group|"
    r"Integrated\s+Care\s+Board|Health\s+and\s+Wellbeing\s+Board|Safeguarding\s+Adults\s+Board|"
    r"County\s+Council))"
)
_ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z]{2,6})\)")
# An embedded report announcing itself: "SSCB – Annual Report 2016-17"
_EMBEDDED_TITLE = re.compile(rf"^.{{0,60}}?\b(?:annual|twelve[- ]monthly)\s+report\s*(?:for\s+)?{_FY}\s*$", re.I)


def fy_start_of(d: date) -> int:
    """The start year of the UK financial year containing ``d``."""
    return d.year if d.month >= 4 else d.year - 1


def fy_label(start: int) -> str:
    """``2021`` -> ``"2021-22"``."""
    return f"{start}-{(start + 1) % 100:02d}"


def parse_year_label(text: str) -> int | None:
    """Read a financial-year label (``2016/17``, ``2016-17``, ``2016 to 2017``, ``2016``) as its start year."""
    text = str(text).strip()
    m = re.fullmatch(_FY, text, re.I) or re.fullmatch(r"((?:19|20)\d{2})", text)
    if not m:
        return None
    start = int(m.group(1))
    if m.lastindex and m.lastindex >= 2:
        end = m.group(2)
        end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_full != start + 1:
            return None
    return start


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), _MONTHS[month.lower().rstrip(".")[:3] if month.lower()[:3] != "sep" else "sep"], int(day))
    except (ValueError, KeyError):
        return None


def _fy_from_match(m: re.Match) -> int | None:
    start = int(m.group(1))
    end = m.group(2)
    end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    return start if end_full == start + 1 else None


def detect_period(lines: list[str], prefer_date: bool = False) -> dict:
    """Find the reporting period in the opening lines of a document (or a part of one).

    Returns ``period_start``, ``period_end`` (ISO dates or None) and ``year_start``
    (int or None), with ``how`` saying which rule found it.
    """
    text = "\n".join(lines)
    if prefer_date:
        # board papers: the meeting date decides, not the reports the agenda lists
        m = _WEEKDAY_DATE.search(text)
        d = _date(*m.groups()[-3:]) if m else None
        if d:
            return {"period_start": None, "period_end": None, "year_start": fy_start_of(d), "how": "date", "date": d.isoformat()}
    m = _PERIOD.search(text)
    if m:
        a, b = _date(*m.group(1, 2, 3)), _date(*m.group(4, 5, 6))
        if a and b and a < b:
            return {"period_start": a.isoformat(), "period_end": b.isoformat(), "year_start": fy_start_of(a), "how": "period"}
    for rx in (_REPORT_YEAR,):
        m = rx.search(text)
        if m and _fy_from_match(m) is not None:
            start = _fy_from_match(m)
            return _fy_period(start, "report-year")
    for line in lines[:15]:
        m = _YEAR_LABEL.match(line)
        if m and _fy_from_match(m) is not None:
            return _fy_period(_fy_from_match(m), "year-label")
    m = _WEEKDAY_DATE.search(text) or _FULL_DATE.search("\n".join(lines[:40]))
    if m:
        groups = m.groups()[-3:]
        d = _date(*groups)
        if d:
            return {"period_start": None, "period_end": None, "year_start": fy_start_of(d), "how": "date", "date": d.isoformat()}
    for line in lines[:60]:
        m = _MONTH_YEAR.search(line) if len(line) < 120 else None
        if m:
            d = _date("1", m.group(1), m.group(2))
            if d:
                return {"period_start": None, "period_end": None, "year_start": fy_start_of(d), "how": "month"}
    return {"period_start": None, "period_end": None, "year_start": None, "how": None}


def _fy_period(start: int, how: str) -> dict:
    return {
        "period_start": date(start, 4, 1).isoformat(),
        "period_end": date(start + 1, 3, 31).isoformat(),
        "year_start": start,
        "how": how,
    }


def detect_publisher(text: str) -> str | None:
    """The body most often named in the document (a partnership, board, CCG or ICB)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    acronyms: dict[str, str] = {}
    for m in _PUBLISHER.finditer(text[:60000]):
        name = re.sub(r"\s+", " ", m.group(1)).replace("Children's", "Children")
        counts[name] += 1
        first_seen.setdefault(name, m.start())
        acr = _ACRONYM_AFTER.match(text[m.end():m.end() + 12])
        if acr:
            acronyms.setdefault(name, acr.group(1))
    if not counts:
        return None
    best = max(counts, key=lambda n: (counts[n], -first_seen[n]))
    return f"{best} ({acronyms[best]})" if best in acronyms else best


def detect_doc_type(text: str, title: str = "") -> str:
    """Classify a document as one of :data:`DOC_TYPES` from its title and opening text."""
    head = f"{title}\n{text[:5000]}".lower()
    if re.search(r"\barrangements\b", title.lower()):
        return "arrangements"
    if re.search(r"\bagenda\b|\bminutes of\b|\bagenda pack\b", head):
        return "board-papers"
    if re.search(r"learning briefing|\b7[- ]minute briefing|\bbriefing\b", head[:600]):
        return "briefing"
    if re.search(r"serious case review|practice review|rapid review|\bscr\b|\blcspr\b", f"{title}\n{text[:600]}".lower()):
        return "review"
    if re.search(r"annual report|twelve[- ]monthly report|yearly report", head):
        return "annual-report"
    if re.search(r"\barrangements\b", head):
        return "arrangements"
    return "other"


def detect_title(blocks: list[Block], fallback: str) -> str:
    """A title from the opening lines: the first short lines before body text starts."""
    parts: list[str] = []
    for b in blocks[:8]:
        t = b.text.strip()
        if not t or b.kind == BREAK:
            continue
        if len(t) > 90 or b.number or t.endswith("."):
            break
        parts.append(t)
        if len(parts) == 3 or (b.kind == HEADING and len(parts) > 1):
            break
    title = " ".join(parts).strip()
    if not title or len(title) < 8:
        return fallback
    if title.isupper():
        title = title.title()
    return title


def embedded_reports(blocks: list[Block]) -> list[tuple[int, int]]:
    """Block indexes where an embedded report announces itself, with its start year.

    Used for board packs with no catalog parts: "SSCB – Annual Report 2016-17" on a
    line of its own starts a part that runs to the next paper boundary.
    """
    found = []
    for i, b in enumerate(blocks):
        if b.kind == BREAK or len(b.text) > 90:
            continue
        m = _EMBEDDED_TITLE.match(b.text)
        if m and _fy_from_match(m) is not None:
            found.append((i, _fy_from_match(m)))
    return found
