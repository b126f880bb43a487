"""Detect a document's title, publisher, type and reporting period from its text.

Years are UK financial years (April to March), labelled ``2021-22`` with the integer
start year 2021. The reporting period is read from phrases such as "This report
covers the period of 1st April 2021 to 30th June 2022", "Twelve Monthly Report
2020-21", "Annual Report 2016/17", a meeting date ("Thursday 18 January 2018") or a
month ("June 2019"). A catalog entry (see :mod:`ingest.catalog`) wins over all of it.
"""
from __future__ import annotations

import functools
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from ingest.blocks import BREAK, HEADING, Block
from search.vocab.doctypes import DOC_TYPES  # noqa: F401  (re-exported: one list of document types, for search too)
from search.vocab.years import FY_PATTERN, fy_label, fy_start_of, parse_year_label  # noqa: F401  (re-exported)

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
_FY = FY_PATTERN
_REPORT_YEAR = re.compile(
    rf"(?:annual|twelve[- ]monthly|yearly|12[- ]month(?:ly)?)\s+report\s*(?:for\s+|of\s+)?(?:the\s+year\s+)?{_FY}",
    re.I,
)
_YEAR_LABEL = re.compile(rf"^\W*{_FY}\W*$")
_WEEKDAY_DATE = re.compile(rf"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+{_DATE}", re.I)
_FULL_DATE = re.compile(_DATE, re.I)
_MONTH_YEAR = re.compile(rf"(?:^|\s)({_MONTH_RE})\s+((?:19|20)\d{{2}})\W*$", re.I)
_ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z]{2,6})\)")
# An embedded report announcing itself: "SSCB – Annual Report 2016-17"
_EMBEDDED_TITLE = re.compile(rf"^.{{0,60}}?\b(?:annual|twelve[- ]monthly)\s+report\s*(?:for\s+)?{_FY}\s*$", re.I)


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


_MONTH_RANGE = re.compile(
    rf"\b({_MONTH_RE})\.?\s+((?:19|20)\d{{2}})\s*(?:to|until|-|–|—)\s*({_MONTH_RE})\.?\s+((?:19|20)\d{{2}})\b", re.I)
_YEAR_ENDING = re.compile(rf"\byear\s+end(?:ing|ed)\s+(?:on\s+)?{_DATE}", re.I)
# A period the body states of itself: "for the year 2022/23", "at the end of 2015-16",
# "during 2023-24", "covers 2020 to 2021"
_OWN_YEAR = re.compile(
    rf"\b(?:for\s+the\s+(?:financial\s+)?year|at\s+the\s+end\s+of|during|in|covers?|covering|report\s+for)\s+(?:the\s+)?"
    rf"(?:year\s+)?{_FY}", re.I)
# A plan's year: "Priorities for 2024-25", "Business plan 2024/25"
_PLAN_YEAR = re.compile(rf"\b(?:priorities|plan|objectives|strategy|ambitions)\s+(?:for\s+)?{_FY}", re.I)
_PUBLISHED = re.compile(rf"\b(?:published|issued|date of publication)\s*:?\s*(?:on\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?"
                        rf"({_MONTH_RE})\.?,?\s+((?:19|20)\d{{2}})\b", re.I)
_MEETING_DATE = re.compile(
    rf"(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date|meeting\s+held\s+on|held\s+on|date)\s*:?\s*"
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?{_DATE}", re.I)


def _months_fy(a: date, b: date) -> int:
    """The financial year holding most of the months from ``a`` to ``b``."""
    counts: Counter[int] = Counter()
    y, m = a.year, a.month
    while (y, m) <= (b.year, b.month):
        counts[y if m >= 4 else y - 1] += 1
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return max(counts, key=lambda k: (counts[k], -k))


def _dated(d: date, how: str) -> dict:
    return {"period_start": None, "period_end": None, "year_start": fy_start_of(d), "how": how, "date": d.isoformat()}


def detect_period(lines: list[str], prefer_date: bool = False) -> dict:
    """Find the reporting period in the opening lines of a document (or a part of one).

    Returns ``period_start``, ``period_end`` (ISO dates or None) and ``year_start``
    (int or None), with ``how`` saying which rule found it. The rules, strongest first:
    a meeting date (board papers), a period between two dates or two months, the report's
    own name ("Annual Report 2016/17"), what the body says of itself ("for the year
    2022/23", "at the end of 2015-16", "year ending 31 March 2023"), a plan's year
    ("Priorities for 2024-25"), a year on a line of its own, then any date or month.
    """
    text = "\n".join(lines)
    if prefer_date:
        # board papers: the meeting date decides, not the reports the agenda lists
        m = _WEEKDAY_DATE.search(text) or _MEETING_DATE.search(text)
        d = _date(*m.groups()[-3:]) if m else None
        if d:
            return _dated(d, "date")
    m = _PERIOD.search(text)
    if m:
        a, b = _date(*m.group(1, 2, 3)), _date(*m.group(4, 5, 6))
        if a and b and a < b:
            return {"period_start": a.isoformat(), "period_end": b.isoformat(), "year_start": fy_start_of(a), "how": "period"}
    m = _MONTH_RANGE.search(text)
    if m:
        a, b = _date("1", m.group(1), m.group(2)), _date("1", m.group(3), m.group(4))
        if a and b and a < b:
            return _fy_period(_months_fy(a, b), "months")
    for rx, how in ((_REPORT_YEAR, "report-year"), (_OWN_YEAR, "stated-year")):
        for m in rx.finditer(text):
            if _fy_from_match(m) is not None:
                return _fy_period(_fy_from_match(m), how)
    m = _YEAR_ENDING.search(text)
    if m and _date(*m.groups()[-3:]):
        return _fy_period(fy_start_of(_date(*m.groups()[-3:])), "year-ending")
    for m in _PLAN_YEAR.finditer(text):
        if _fy_from_match(m) is not None:
            return _fy_period(_fy_from_match(m), "plan-year")
    for line in lines[:15]:
        m = _YEAR_LABEL.match(line)
        if m and _fy_from_match(m) is not None:
            return _fy_period(_fy_from_match(m), "year-label")
    m = _WEEKDAY_DATE.search(text) or _MEETING_DATE.search(text) or _FULL_DATE.search("\n".join(lines[:40]))
    if m:
        d = _date(*m.groups()[-3:])
        if d:
            return _dated(d, "date")
    m = _PUBLISHED.search(text)
    if m and _date("1", m.group(1), m.group(2)):
        return {"period_start": None, "period_end": None, "how": "month",
                "year_start": fy_start_of(_date("1", m.group(1), m.group(2)))}
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


@dataclass(frozen=True)
class Rules:
    """The data metadata detection reads (``ingest/metadata.toml`` plus a user's file)."""

    furniture: re.Pattern
    publisher: re.Pattern
    adults: re.Pattern
    not_area: frozenset[str]


def _read_rules(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read metadata rules: {exc.strerror or exc}") from exc
    except UnicodeDecodeError:
        raise ValueError(f"{path}: cannot read metadata rules: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: cannot read metadata rules: {' '.join(str(exc).split())}") from exc


@functools.cache
def _rules_for(extra: str | None) -> Rules:
    data = _read_rules(Path(__file__).with_name("metadata.toml"))
    if extra:
        more = _read_rules(Path(extra))
        for table, values in more.items():
            for key, items in (values or {}).items():
                data.setdefault(table, {}).setdefault(key, [])
                data[table][key] = list(data[table][key]) + list(items)
    furniture = "|".join(f"(?:{p})" for p in data["furniture"]["lines"])
    pub = data["publisher"]
    bodies = "|".join(f"(?:{b})" for b in pub["bodies"])
    abbrevs = "|".join(re.escape(a) for a in pub["abbreviations"])
    word = r"(?:[A-Z]\w*(?:-\w+)*(?:['’]s)?|&|and|of|upon|on|the)"
    publisher = re.compile(
        rf"((?:NHS[ \t]+)?(?:{word}[ \t]+){{0,6}}?(?:(?i:{bodies})|(?<=[ \t])(?:{abbrevs})\b))"
    )
    return Rules(
        furniture=re.compile(rf"^\s*(?:{furniture})\s*$", re.I),
        publisher=publisher,
        adults=re.compile("|".join(f"(?:{a})" for a in pub["adults"])),
        not_area=frozenset(pub["not_area"]),
    )


def rules() -> Rules:
    """The metadata rules in force: the bundled data plus ``$SGSEARCH_METADATA`` if set
    (ValueError, one line naming the file, when that file cannot be used)."""
    extra = os.environ.get("SGSEARCH_METADATA") or None
    if extra is None:
        return _rules_for(None)
    try:
        return _rules_for(extra)
    except ValueError as e:
        raise ValueError(f"SGSEARCH_METADATA: {e}") from None
    except re.error as e:
        raise ValueError(f"SGSEARCH_METADATA: {extra}: a pattern is not a valid regular expression ({e})") from None
    except (TypeError, AttributeError, KeyError):
        raise ValueError(f"SGSEARCH_METADATA: {extra}: not laid out as metadata rules (lists of patterns "
                         "under [furniture] and [publisher])") from None


MAX_FURNITURE = 160  # characters: a longer line is never furniture


def is_furniture(line: str) -> bool:
    """A line of page or portal furniture ("Skip to content", "Agenda item", "Contact: …")."""
    line = (line or "").strip()
    # furniture is short; body paragraphs are not worth the patterns' time
    return bool(line) and len(line) <= MAX_FURNITURE and bool(rules().furniture.match(line))





def _trim_area(name: str, not_area: frozenset[str]) -> str:
    nhs = name.startswith("NHS ")
    words = name[4:].split() if nhs else name.split()
    while len(words) > 1 and (words[0] in not_area or words[0] in ("&", "and", "of", "the", "on", "upon")):
        words = words[1:]
    return ("NHS " if nhs else "") + " ".join(words)


def detect_publisher(text: str) -> str | None:
    """The body most often named in the document, with its area.

    "<Area> Safeguarding Children Partnership/Board", "<Area>'s Safeguarding Children
    Board", "<Area> LSCB", "NHS <Area> Integrated Care Board"…; a name with an area beats
    the bare body, and an adults' board never publishes a report about children.
    """
    r = rules()
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    acronyms: dict[str, str] = {}
    for m in r.publisher.finditer(text[:60000]):
        name = _trim_area(re.sub(r"\s+", " ", m.group(1)).strip(), r.not_area)
        counts[name] += 1
        first_seen.setdefault(name, m.start())
        acr = _ACRONYM_AFTER.match(text[m.end():m.end() + 12])
        if acr:
            acronyms.setdefault(name, acr.group(1))
    if not counts:
        return None
    children = len(re.findall(r"\bchild(?:ren)?\b", text[:60000], re.I))
    adults = len(re.findall(r"\badults?\b", text[:60000], re.I))
    if children >= adults:
        counts = Counter({n: c for n, c in counts.items() if not r.adults.search(n)}) or counts

    def area_of(n: str) -> bool:
        # "Somerset Safeguarding Children Partnership" names its area; "Safeguarding Children Partnership" does not
        return not re.match(r"^(?:NHS\s+)?(?:Safeguarding|Children|Clinical|Integrated|Health|County|[A-Z]{2,6}$)", n)

    # a name given with its area counts the bare mentions of its body too
    best = max(counts, key=lambda n: (area_of(n), counts[n], -first_seen[n]))
    return f"{best} ({acronyms[best]})" if best in acronyms and not best.endswith(acronyms[best]) else best


def detect_doc_type(text: str, title: str = "") -> str:
    """Classify a document as one of :data:`DOC_TYPES` from its title and opening text."""
    head = f"{title}\n{text[:5000]}".lower()
    low_title = title.lower()
    if re.search(r"\barrangements\b", low_title):
        return "arrangements"
    if re.search(r"\bagenda\b|\bminutes\b|\bdecision details\b|\bcommittee report\b", low_title) or re.search(
            r"\bagenda\b|\bminutes of\b|\bagenda pack\b|\bdecision details\b|\bagenda item\b", head):
        return "board-papers"
    if re.search(r"learning briefing|\b(?:7|seven)[- ]minute briefing|\bsix[- ]step\b|\bbriefing\b"
                 r"|^learning from\b|\blearning summary\b", f"{low_title}\n{head[:600]}"):
        return "briefing"
    if re.search(r"serious case review|practice review|rapid review|thematic review|\bscr\b|\blc?spr\b",
                 f"{title}\n{text[:600]}".lower()):
        return "review"
    if re.search(r"annual report|twelve[- ]monthly report|yearly report|annual review", head):
        return "annual-report"
    if re.search(r"\barrangements\b", head):
        return "arrangements"
    return "other"


_COUNTED = re.compile(r"^(?:minute|step|key|things|ways|top|points?)\b", re.I)
_FIELD_LINE = re.compile(r"^[A-Z][\w ]{0,30}:\s")  # "Decision Maker: …", "Date of meeting: …"


def detect_title(blocks: list[Block], fallback: str) -> str:
    """A title from the strongest signal in the opening blocks, skipping page and portal furniture.

    A styled top-level heading (a Markdown ``#``, Word's Title or Heading 1, the largest PDF
    font) wins; else the first short lines before body text starts, joined.
    """
    opening = [b for b in blocks[:30] if b.kind != BREAK and b.text.strip() and not is_furniture(b.text)][:12]
    strong = [b for b in opening if b.kind == HEADING and b.strong and len(b.text) <= 160]
    if strong:
        top = min(b.level or 1 for b in strong)
        if top <= 1:
            first = next(b for b in strong if (b.level or 1) == top)
            title = first.text.strip()
            if first.number and _COUNTED.match(title):
                title = f"{first.number} {title}"  # "7 Minute Briefing: …", not section 7
            if len(title) >= 8:
                return title.title() if title.isupper() else title
    parts: list[str] = []
    for b in opening[:8]:
        t = b.text.strip()
        if len(t) > 90 or b.number or t.endswith(".") or (parts and _FIELD_LINE.match(t)):
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
