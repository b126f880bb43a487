"""A document's reporting year: dates, UK financial years (April to March, labelled ``2021-22``
with the integer start year 2021), spans of several years and meeting dates.

The year is read from a stated period ("1st April 2021 to 30th June 2022", "Annual Report
2016/17"), else a meeting, publication or event date (the date cues and weights are
``[year]`` in ``ingest/metadata.toml``); :func:`year_of_address` reads one from a page's
address.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from datetime import date
from urllib.parse import unquote

from ingest import places
from ingest.blocks import BREAK, Block
from ingest.metadata.ruledata import RULES_FILE, read_rules
from search.vocab.years import FY_PATTERN, fy_start_of

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
# a month's name, in full or shortened ("Sept", "Jun"), as a pattern
MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
# "1 April 2014", "1st of April 2014", and "1stApril 2014" as a PDF's text run together gives it
_DATE = rf"(\d{{1,2}})(?:\s?(?:st|nd|rd|th)\s*|\s+)(?:of\s+)?({MONTH_RE})\.?,?\s+(\d{{4}})"
_PERIOD = re.compile(rf"{_DATE}\s*(?:to|until|-|–|—)\s*{_DATE}", re.I)
_FY = FY_PATTERN
_REPORT_YEAR = re.compile(
    # "Annual Report 2019/20", "Annual Report for 2019-20", "Annual Report - 2019-2020", "Annual Report: 2019/20"
    rf"(?:annual|twelve[- ]monthly|yearly|12[- ]month(?:ly)?)\s+reports?\s*(?:[-–—:|]\s*)?(?:for\s+|of\s+)?(?:the\s+year\s+)?{_FY}"
    # "the Annual Reports of the … Board (…) for 2016/17", "the Annual Report of the … Board 2021-2022",
    # "the annual report for the … Board (WSCB) 2013-14"
    rf"|annual\s+reports?\s+(?:of|from|by|for\s+the)\s+[^.\n]{{0,160}}?(?:\bfor\s+(?:the\s+year\s+)?|\s){_FY}",
    re.I,
)
# a report named for a calendar year: "2020 Annual Report", "Annual Report 2020" (no other year after it)
_CALENDAR_REPORT = re.compile(r"\b((?:19|20)\d{2})\s+annual\s+report\b|\bannual\s+report\s+((?:19|20)\d{2})\b(?!\s*(?:/|-|–|—|to)\s*\d)",
                              re.I)
_YEAR_LABEL = re.compile(rf"^\W*{_FY}\W*$")
_FULL_DATE = re.compile(_DATE, re.I)


# An embedded report announcing itself: "SSCB – Annual Report 2016-17"
_EMBEDDED_TITLE = re.compile(rf"^.{{0,60}}?\b(?:annual|twelve[- ]monthly)\s+report\s*(?:for\s+)?{_FY}\s*$", re.I)


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), _MONTHS[month.lower().rstrip(".")[:3] if month.lower()[:3] != "sep" else "sep"], int(day))
    except (ValueError, KeyError):
        return None


def _fy_from_match(m: re.Match) -> int | None:
    """The financial year of a match of a pattern holding ``FY_PATTERN`` (in any of its branches)."""
    start_text, end = [g for g in m.groups() if g is not None][:2]
    start = int(start_text)
    end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    return start if end_full == start + 1 else None


_MONTH_RANGE = re.compile(
    rf"\b({MONTH_RE})\.?\s+((?:19|20)\d{{2}})\s*(?:to|until|-|–|—)\s*({MONTH_RE})\.?\s+((?:19|20)\d{{2}})\b", re.I)
_YEAR_ENDING = re.compile(rf"\byear\s+end(?:ing|ed)\s+(?:on\s+)?{_DATE}", re.I)
# A period the body states of itself: "for the year 2022/23", "at the end of 2015-16",
# "during 2023-24", "covers 2020 to 2021", "Period covered: 2019-20", "Reporting year 2021/22"
_OWN_YEAR = re.compile(
    rf"\b(?:for\s+the\s+(?:financial\s+)?year|at\s+the\s+end\s+of|during|in|covers?|covering|report\s+for"
    rf"|(?:period|year)\s+covered\W{{0,3}}|reporting\s+(?:period|year)\W{{0,3}})\s+(?:the\s+)?"
    rf"(?:year\s+)?{_FY}", re.I)
# A plan's year: "Priorities for 2024-25", "Business plan 2024/25"
_PLAN_YEAR = re.compile(rf"\b(?:priorities|plan|objectives|strategy|ambitions)\s+(?:for\s+)?{_FY}", re.I)


_TITLE_FY = re.compile(rf"(?<![\d/.-]){FY_PATTERN}(?![/.-]?\d)")
# a title line that ends in a calendar year ("National Child Protection Inspections 2019"), not an
# Act's year ("Children Act 1989") nor a span's end
_TITLE_CALENDAR_YEAR = re.compile(r"(?<![\d/.–—-])(?<![–—-] )(?<!\bto )(?<!\bact )(?<!\bact, )((?:19|20)\d{2})\W*$", re.I)


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


# a date written month first: "April 15, 2021", "April 15th 2021", "April 15th, 2021"
_DATE_US = rf"({MONTH_RE})\.?\s+(\d{{1,2}})(?:(?:st|nd|rd|th),?|,)\s+(\d{{4}})"
_DATE_FIELD_YEAR = re.compile(r"^\W*(?:date|year|published)\s*:\s*((?:19|20)\d{2})\W*$", re.I)
# a year from April to March whose years conversion lost: "over the year 1 st April to st
# March", "the financial year, /17" (only its end year left)
_LOST_YEARS = re.compile(r"\b(?:financial\s+)?year\W{0,3}(?:from\s+)?(?:1\s?(?:st)?\s+)?april(?!\W{0,3}\d)"
                         r"[\s\w–-]{0,12}?\bmarch\b(?!\W{0,3}\d)", re.I)
_END_YEAR_ONLY = re.compile(r"\bfinancial\s+year\W{0,3}/\s?(\d{2})\b", re.I)
# a year looked forward to: "The year ahead: 2026-27" is written at the end of 2025-26
_FORWARD = re.compile(rf"\b(?:the\s+)?(?:coming|next|year\s+ahead|looking\s+ahead\s+to)\s*(?:year\s+)?"
                      rf"(?:[(:–—-]\s*)?{_FY}", re.I)
# a report named for several years: "Biennial Report 2021-2023", "Strategy 2023 to 2026",
# "Annual Report 2021/22 - 2022/23" (years as financial years, like "2020 to 2021")
# ("Plan 2017-19" with its end year shortened; "a strategy agreed for the period 2020-2022")
_REPORT_SPAN = re.compile(
    r"\b(?:report|review|plan|strategy|priorities|arrangements|analysis|evaluation)s?\s+(?:[^.\n]{0,60}?\bfor\s+)?"
    r"(?:the\s+(?:years|period)\s+)?"
    r"((?:19|20)\d{2})(?:\s*/\s*\d{2})?\s*(?:-|–|—|to|\s)\s*((?:19|20)?\d{2})(?:\s*/\s*(\d{2}))?\b", re.I)


def _stated_year(text: str, lines: list[str]) -> tuple[int, str] | None:
    """The financial year the text states of itself, by vote when it names more than one
    ("Annual Report 2021-2022" as a page title, "Annual Report 2020-21" twice in its body).
    A line repeated word for word (a running header or footer) votes once."""
    for rx, how in ((_REPORT_YEAR, "report-year"), (_OWN_YEAR, "stated-year")):
        votes: Counter[int] = Counter()
        first: dict[int, int] = {}
        voted: set[tuple[int, str]] = set()
        for m in rx.finditer(text):
            fy = _fy_from_match(m)
            end = text.find("\n", m.end())
            line = text[text.rfind("\n", 0, m.start()) + 1:end if end >= 0 else None].strip()
            if fy is not None and (fy, line) not in voted:
                voted.add((fy, line))
                votes[fy] += 1
                first.setdefault(fy, m.start())
        if votes:
            return max(votes, key=lambda y: (votes[y], -first[y])), how
    return None


@functools.cache
def year_rules() -> tuple[tuple[tuple[str, str, re.Pattern], ...], dict[str, float]]:
    """The date cues (``[[year.date_cue]]``: key, kind, pattern) and the live weights: each
    cue's by its key ``"<n>:<kind>"``, and ``[year.weights]``."""
    y = read_rules(RULES_FILE)["year"]
    cues = tuple((f"{i}:{c['kind']}", c["kind"], re.compile(c["pattern"], re.I)) for i, c in enumerate(y["date_cue"]))
    weights = {f"{i}:{c['kind']}": float(c["weight"]) for i, c in enumerate(y["date_cue"])}
    return cues, weights | {k: float(v) for k, v in y["weights"].items()}


# a date written in figures, day first as in the UK: "11/10/2011", "23.03.2017", "14-11-2021" (one
# separator throughout); or as ISO "2023-07-20"
_NUM_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d{2})(?![\d/.-])")
_ISO_DATE = re.compile(r"(?<![\d-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\d-])")
_ANY_MONTH_YEAR = re.compile(rf"\b({MONTH_RE})\.?,?\s+((?:19|20)\d{{2}})\b", re.I)
# a season dates a newsletter by the school term it is named for: spring (January to Easter) in
# the financial year before its calendar year's April, summer and autumn in the one that starts
# then; winter (December to February) straddles two financial years and dates nothing
_SEASON_YEAR = re.compile(r"\b(spring|summer|autumn)(?:\s+term)?\s+((?:19|20)\d{2})\b", re.I)
_SEASON_MONTH = {"spring": "feb", "summer": "jun", "autumn": "oct"}
_SENTENCE_START = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'\u2018\u201c])")
# the kinds that date a meeting's own papers
MEETING_KINDS = frozenset({"meeting", "weekday", "date_field"})


def date_candidates(lines: list[str], head: int = 60) -> list[tuple[float, int, date, frozenset[str]]]:
    """Every date the opening lines carry, scored, best first: ``(score, position, date, kinds)``.

    A date counts by the cues that end right before it (``[[year.date_cue]]`` in
    ``ingest/metadata.toml``: a meeting, publication, version or update date, a "Date:"
    field, a previous meeting or a target), by standing in the title lines and by how early
    it comes. A month and year with no cue counts only on a line of its own, at a line's
    start or in the title lines ("June 2019", "March 2023 | Version 2"), and a date in
    figures only with a cue; past ``head`` lines only cued dates count.
    """
    found = _scored_dates(tuple(lines), tuple(year_rules()[1].items()))
    return [c[:4] for c in found if c[4] < head or c[5]]


@functools.lru_cache(maxsize=8)
def _scored_dates(lines: tuple[str, ...], weights: tuple[tuple[str, float], ...]) -> tuple[tuple, ...]:
    """:func:`date_candidates` for every line, each with its line number and whether a cue
    names it; cached by the lines and the weights in force (a fit changes them)."""
    cues, w = year_rules()[0], dict(weights)
    out = []
    offset = 0
    for i, line in enumerate(lines):
        taken: list[tuple[int, int]] = []
        found = []
        for m in _FULL_DATE.finditer(line):
            found.append((m, _date(*m.groups()[-3:]), "full"))
        for m in re.finditer(_DATE_US, line, re.I):
            found.append((m, _date(m.group(2), m.group(1), m.group(3)), "full"))
        for rx, order in ((_NUM_DATE, (4, 3, 1)), (_ISO_DATE, (1, 2, 3))):
            for m in rx.finditer(line):
                try:
                    d = date(*(int(m.group(g)) for g in order))
                except ValueError:
                    d = None
                found.append((m, d, "figures"))
        for m in _ANY_MONTH_YEAR.finditer(line):
            found.append((m, _date("1", m.group(1), m.group(2)), "month"))
        for m in _SEASON_YEAR.finditer(line):
            found.append((m, _date("1", _SEASON_MONTH[m.group(1).lower()], m.group(2)), "month"))
        for m, d, form in found:
            if d is None or any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            # the words before it back to the sentence's start (or the line before, for a date
            # that starts its line)
            before = _SENTENCE_START.split(line[max(0, m.start() - 240):m.start()])[-1]
            if not before.strip() and i:
                before = _SENTENCE_START.split(lines[i - 1][-240:])[-1] + "\n"
            hits = [(key, kind) for key, kind, rx in cues if rx.search(before)]
            kinds = frozenset(kind for _, kind in hits)
            score = sum(w[key] for key, _ in hits)
            cued = bool(kinds - {"target", "previous"})
            if form == "figures" and not (cued or "previous" in kinds):
                # (a previous meeting's date is kept, scored down: it dates the papers when nothing else does)
                continue
            if form == "month" and not cued:
                # a month and year on a line of its own, at a line's start or in the title
                # lines ("Newsletter - October 2019 edition")
                rest = line[m.end():].strip(" .,;:)|-–—")
                alone = (not rest and len(line) < 120 and "target" not in kinds) or not line[:m.start()].strip(" (|-–—*#")
                # (a title line run together with what follows it, as a PDF's text can be, still dates
                # the document in its first words: "… in Northern Ireland March 2016 CONTENTS 1.0 …")
                alone = alone or (i < 2 and (len(line) < 120 or m.start() < 150) and "target" not in kinds)
                if not alone or re.match(r"\s*(?:-|–|—|to)\s*\w", line[m.end():]):
                    continue
            score += (w["title_line"] if i < 2 else 0.0) - w["position"] * i
            out.append((score, offset + m.start(), d, kinds, i, cued))
        offset += len(line) + 1
    return tuple(sorted(out, key=lambda c: (-c[0], c[1])))


def meeting_date(lines: list[str]) -> date | None:
    """The date a meeting's papers carry for the meeting itself (not a previous one), or None."""
    for score, _pos, d, kinds in date_candidates(lines, head=0):
        if kinds & MEETING_KINDS and "previous" not in kinds and score > 0:
            return d
    return None


def _dated_year(text: str, lines: list[str]) -> dict | None:
    """The year of the best-scored date the document carries (see :func:`date_candidates`):
    a publication, version or meeting date first, then the first date or dated event; a
    deadline or a previous meeting's date only when the document carries no other."""
    every = date_candidates(lines)
    cands = [c for c in every if "previous" not in c[3] and "target" not in c[3]]
    cued = [c for c in cands if c[3] - {"event"}]
    if cued and cued[0][0] > 0:
        return _dated(cued[0][2], "date")
    for line in lines[:40]:
        m = _DATE_FIELD_YEAR.match(line)
        if m:
            return {"period_start": None, "period_end": None, "how": "year", "year_start": int(m.group(1))}
    if cands or every:
        first = (cands or every)[0]
        # a dated event ("died in March 2013") is told of, not when the document is from
        return _dated(first[2], "event" if first[3] == {"event"} else "date")
    return None


# a report named for its year in two-digit years: "Independent Scrutineer's Report 24-25", "Plan 23/24"
_SHORT_YEAR = re.compile(r"\b(?:report|review|plan|strategy|priorities|update)s?\W{0,3}(\d{2})\s*[-/–]\s*(\d{2})(?![\d/-])", re.I)


def _short_report_year(where: str) -> int | None:
    """The financial year a title line names in two-digit years, or None."""
    for m in _SHORT_YEAR.finditer(where):
        first, end = int(m.group(1)), int(m.group(2))
        if end == (first + 1) % 100:
            return 2000 + first if first < 70 else 1900 + first
    return None


def _report_span(text: str, where: str) -> dict | None:
    """The span of a report named for several years in ``where`` (its title lines), dated
    by the document's own date when that falls in it, else by its last year (a plan or a
    strategy by its first)."""
    for m in _REPORT_SPAN.finditer(where):
        if any(r.end() <= m.start() and _fy_from_match(r) is not None for r in _REPORT_YEAR.finditer(where)):
            return None  # "Annual Report 2019-20 and Business Plan 2020-22": the report's own year
        first, end = int(m.group(1)), int(m.group(2))
        last = (end if end > 99 else (first // 100) * 100 + end) - (m.group(3) is None)
        if 1 <= last - first < 30:
            rest = text.replace(m.group(0), " ")
            dated = _dated_year(rest, rest.split("\n"))
            ahead = re.match(r"(?:plan|strategy|priorities)\b", m.group(0), re.I)  # looks forward from its first year
            own = dated["year_start"] if dated and first <= dated["year_start"] <= last + 1 else None
            return {"period_start": date(first, 4, 1).isoformat(), "period_end": date(last + 1, 3, 31).isoformat(),
                    "year_start": own or (first if ahead else last), "how": "span"}
    return None


# in the plural too: a committee's item on several bodies' reports for one year ("Safeguarding Boards
# Annual Reports 2015/16") is about the year they cover, as one report's is
_YEARLY_REPORT = re.compile(r"\b(?:annual|yearly|twelve[- ]monthly)\s+reports?\b|\bannual\s+review\b", re.I)


def names_yearly_report(title: str) -> bool:
    """Whether a title names a yearly report ("Croydon Safeguarding Children Board Annual Report") or
    several ("Safeguarding Boards Annual Reports 2015/16")."""
    return bool(_YEARLY_REPORT.search(title or ""))


def detect_period(lines: list[str], prefer_date: bool = False) -> dict:
    """Find the reporting period in the opening lines of a document (or a part of one).

    Returns ``period_start``, ``period_end`` (ISO dates or None) and ``year_start``
    (int or None), with ``how`` saying which rule found it. A stated period wins: a
    meeting date for board papers, a period between two dates or two months, the report's
    own name ("Annual Report 2016/17"), what the body says of itself ("for the year
    2022/23", "at the end of 2015-16", "year ending 31 March 2023"), the year before one it
    looks forward to ("The year ahead: 2026-27"), a plan's year ("Priorities for 2024-25"),
    a year on a line of its own; else a publication or version date, then the first dated
    event or date. A period of more than two years, or a report named for several years
    ("Biennial Report 2021-2023"), is kept as a span, its year taken from the document's
    date when it has one.
    """
    text = "\n".join(lines)
    if prefer_date:
        # board papers: the meeting date decides, not the reports the agenda lists
        d = meeting_date(lines)
        if d:
            return _dated(d, "date")
    m = _PERIOD.search(text)
    if m:
        a, b = _date(*m.group(1, 2, 3)), _date(*m.group(4, 5, 6))
        if a and b and a < b:
            span = {"period_start": a.isoformat(), "period_end": b.isoformat(), "year_start": fy_start_of(a),
                    "how": "period"}
            if fy_start_of(b) - fy_start_of(a) >= 2:
                # years of work reviewed at once: a span, dated by the document itself
                rest = text[:m.start()] + text[m.end():]
                dated = _dated_year(rest, rest.split("\n"))
                span["year_start"] = dated["year_start"] if dated else fy_start_of(b)
                span["how"] = "span"
            return span
    m = _MONTH_RANGE.search(text)
    if m:
        a, b = _date("1", m.group(1), m.group(2)), _date("1", m.group(3), m.group(4))
        if a and b and a < b:
            return _fy_period(_months_fy(a, b), "months")
    # a span the title names ("Annual Report 2021/22 - 2022/23" also names 2021/22); one the
    # body names is another document's ("the new Neglect Strategy 2023-2026 was launched")
    named = _report_span(text, "\n".join(lines[:3]))
    if named:
        return named
    short = _short_report_year("\n".join(lines[:3]))
    stated = _stated_year(text, lines)
    if stated:
        return _fy_period(*stated)
    if short:
        return _fy_period(short, "report-year")
    m = _YEAR_ENDING.search(text)
    if m and _date(*m.groups()[-3:]):
        return _fy_period(fy_start_of(_date(*m.groups()[-3:])), "year-ending")
    for m in _FORWARD.finditer(text):
        if _fy_from_match(m) is not None:
            return _fy_period(_fy_from_match(m) - 1, "before-coming-year")
    for m in _PLAN_YEAR.finditer(text):
        if _fy_from_match(m) is not None:
            return _fy_period(_fy_from_match(m), "plan-year")
    for line in lines[:15]:
        m = _YEAR_LABEL.match(line)
        if m and _fy_from_match(m) is not None:
            return _fy_period(_fy_from_match(m), "year-label")
    m = _CALENDAR_REPORT.search("\n".join(lines[:3]))  # the title lines: a report a page lists further down is another's
    if m:  # April to December of a calendar year are the financial year that starts in it
        return _fy_period(int(m.group(1) or m.group(2)), "calendar-report")
    m = _END_YEAR_ONLY.search(text)
    if m:
        return _fy_period(2000 + int(m.group(1)) - 1, "end-year")
    # a financial year anywhere in the title lines ("Quarterly Update Q3 2023/24")
    fy = next((_fy_from_match(m) for m in _TITLE_FY.finditer("\n".join(lines[:3])) if _fy_from_match(m)), None)
    if fy:
        return _fy_period(fy, "title-year")
    d = meeting_date(lines)
    dated = _dated(d, "date") if d else _dated_year(text, lines)
    if dated and dated.get("date") and _LOST_YEARS.search(text):
        # a year's report whose years are lost reports on the last year ended before its date
        return _fy_period(dated["year_start"] - 1, "year-before-date")
    # a title named for a calendar year ("Case reviews published in 2014"): the financial year that
    # starts in it, when no meeting, publication or version date dates the document (an event the
    # body tells of is no date of the document's own)
    m = _TITLE_CALENDAR_YEAR.search(lines[0]) if lines and len(lines[0]) <= 120 else None
    if m and re.search(rf"\b{MONTH_RE}\W*$", lines[0][:m.start()], re.I):
        m = None  # a month and year is a date
    if dated and not (m and dated["how"] == "event"):
        return dated
    if m:
        return _fy_period(int(m.group(1)), "title-calendar-year")
    return {"period_start": None, "period_end": None, "year_start": None, "how": None}


def year_of_address(url: str | None) -> int | None:
    """A financial year written in a page's address ("/yearly-report-2024-25"), else the
    financial year of the month a dated address files the page under ("/news/2016/aug/",
    "/2021/05/") or its last part names ("/newsletter-march-2023"), or None."""
    parts = places.split_address(url)
    if not parts:
        return None
    path = unquote(parts.path)
    m = re.search(r"(?<!\d)((?:19|20)\d{2})[-_/]((?:19|20)?\d{2})(?!\d)", path)
    if m and _fy_from_match(m) is not None:
        return _fy_from_match(m)
    m = re.search(rf"/((?:19|20)\d{{2}})/(0?[1-9]|1[0-2]|{MONTH_RE})(?:/|$)", path, re.I)
    if m:
        month = int(m.group(2)) if m.group(2).isdigit() else _MONTHS[m.group(2).lower()[:3]]
        return fy_start_of(date(int(m.group(1)), month, 1))
    # a page named for its month and year: "/newsletter-march-2023", "/JanuaryNewsletter2026"
    words = re.findall(r"[A-Z]?[a-z]+|\d+", path.rstrip("/").rsplit("/", 1)[-1])
    months = {_MONTHS[w.lower()[:3]] for w in words if re.fullmatch(MONTH_RE, w, re.I)}
    years = {int(w) for w in words if re.fullmatch(r"(?:19|20)\d{2}", w)}
    if len(months) == 1 and len(years) == 1:
        return fy_start_of(date(years.pop(), months.pop(), 1))
    return None


def _fy_period(start: int, how: str) -> dict:
    return {
        "period_start": date(start, 4, 1).isoformat(),
        "period_end": date(start + 1, 3, 31).isoformat(),
        "year_start": start,
        "how": how,
    }


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
