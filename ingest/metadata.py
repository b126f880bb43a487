"""Detect a document's title, publisher, type and reporting period from its text.

Titles, publishers and types are scored candidates: the cue lists and weights are data
(``ingest/metadata.toml``, fitted by ``bench/fit_metadata.py``), areas come from the
gazetteer (:mod:`ingest.places`), and a page's address counts where the text is silent.
Years are UK financial years (April to March), labelled ``2021-22`` with the integer
start year 2021, read from a stated period ("1st April 2021 to 30th June 2022", "Annual
Report 2016/17"), else a meeting, publication or event date. A catalog entry (see
:mod:`ingest.catalog`) wins over all of it.
"""
from __future__ import annotations

import functools
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from ingest import places
from ingest.blocks import BREAK, HEADING, Block
from search.vocab.bodies import spelled_out
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
# "1 April 2014", "1st of April 2014", and "1stApril 2014" as a PDF's text run together gives it
_DATE = rf"(\d{{1,2}})(?:\s?(?:st|nd|rd|th)\s*|\s+)(?:of\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})"
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
_ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z]{2,6})\)")
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
    rf"\b({_MONTH_RE})\.?\s+((?:19|20)\d{{2}})\s*(?:to|until|-|–|—)\s*({_MONTH_RE})\.?\s+((?:19|20)\d{{2}})\b", re.I)
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
_DATE_US = rf"({_MONTH_RE})\.?\s+(\d{{1,2}})(?:(?:st|nd|rd|th),?|,)\s+(\d{{4}})"
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
def _year_rules() -> tuple[tuple[tuple[str, str, re.Pattern], ...], dict[str, float]]:
    """The date cues (``[[year.date_cue]]``: key, kind, pattern) and the live weights: each
    cue's by its key ``"<n>:<kind>"``, and ``[year.weights]``."""
    y = _read_rules(Path(__file__).with_name("metadata.toml"))["year"]
    cues = tuple((f"{i}:{c['kind']}", c["kind"], re.compile(c["pattern"], re.I)) for i, c in enumerate(y["date_cue"]))
    weights = {f"{i}:{c['kind']}": float(c["weight"]) for i, c in enumerate(y["date_cue"])}
    return cues, weights | {k: float(v) for k, v in y["weights"].items()}


# a date written in figures, day first as in the UK: "11/10/2011", "23.03.2017"; or as ISO "2023-07-20"
_NUM_DATE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?![\d/.])")
_ISO_DATE = re.compile(r"(?<![\d-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\d-])")
_ANY_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?,?\s+((?:19|20)\d{{2}})\b", re.I)
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
    found = _scored_dates(tuple(lines), tuple(_year_rules()[1].items()))
    return [c[:4] for c in found if c[4] < head or c[5]]


@functools.lru_cache(maxsize=8)
def _scored_dates(lines: tuple[str, ...], weights: tuple[tuple[str, float], ...]) -> tuple[tuple, ...]:
    """:func:`date_candidates` for every line, each with its line number and whether a cue
    names it; cached by the lines and the weights in force (a fit changes them)."""
    cues, w = _year_rules()[0], dict(weights)
    out = []
    offset = 0
    for i, line in enumerate(lines):
        taken: list[tuple[int, int]] = []
        found = []
        for m in _FULL_DATE.finditer(line):
            found.append((m, _date(*m.groups()[-3:]), "full"))
        for m in re.finditer(_DATE_US, line, re.I):
            found.append((m, _date(m.group(2), m.group(1), m.group(3)), "full"))
        for rx, order in ((_NUM_DATE, (3, 2, 1)), (_ISO_DATE, (1, 2, 3))):
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
            if form == "figures" and not cued:
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


_YEARLY_REPORT = re.compile(r"\b(?:annual|yearly|twelve[- ]monthly)\s+report\b|\bannual\s+review\b", re.I)


def names_yearly_report(title: str) -> bool:
    """Whether a title names a yearly report ("Croydon Safeguarding Children Board Annual Report")."""
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
    if m and re.search(rf"\b{_MONTH_RE}\W*$", lines[0][:m.start()], re.I):
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
    m = re.search(rf"/((?:19|20)\d{{2}})/(0?[1-9]|1[0-2]|{_MONTH_RE})(?:/|$)", path, re.I)
    if m:
        month = int(m.group(2)) if m.group(2).isdigit() else _MONTHS[m.group(2).lower()[:3]]
        return fy_start_of(date(int(m.group(1)), month, 1))
    # a page named for its month and year: "/newsletter-march-2023", "/JanuaryNewsletter2026"
    words = re.findall(r"[A-Z]?[a-z]+|\d+", path.rstrip("/").rsplit("/", 1)[-1])
    months = {_MONTHS[w.lower()[:3]] for w in words if re.fullmatch(_MONTH_RE, w, re.I)}
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


@dataclass(frozen=True)
class Rules:
    """The data metadata detection reads (``ingest/metadata.toml`` plus a user's file)."""

    furniture: re.Pattern
    publisher: re.Pattern
    adults: re.Pattern
    not_area: frozenset[str]
    bodies: re.Pattern
    body_at_end: re.Pattern
    body_word: re.Pattern
    abbreviations: tuple[str, ...] = ()
    joint_boards: re.Pattern | None = None
    joint_children: str = ""
    related: re.Pattern | None = None
    resume: re.Pattern | None = None
    name_link: re.Pattern | None = None


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


def _merged_rules(extra: str | None) -> dict:
    """The bundled rules, each list lengthened by the same list of a user's rules file (``extra``)."""
    data = _read_rules(Path(__file__).with_name("metadata.toml"))
    if extra:
        more = _read_rules(Path(extra))
        for table, values in more.items():
            for key, items in (values or {}).items():
                data.setdefault(table, {}).setdefault(key, [])
                data[table][key] = list(data[table][key]) + list(items)
    return data


@functools.cache
def _rules_for(extra: str | None) -> Rules:
    data = _merged_rules(extra)
    furniture = "|".join(f"(?:{p})" for p in data["furniture"]["lines"])
    pub = data["publisher"]
    bodies = "|".join(f"(?:{b})" for b in pub["bodies"])
    abbrevs = "|".join(re.escape(a) for a in pub["abbreviations"])
    # a name's words: capitalised ones ("Blackburn with Darwen"), a possessive written "St Thomas'",
    # and words joined past one of them ("Hospital for": ``name_links``)
    links = "".join(f"{x}[ \t]+[A-Z]\\w*|" for x in pub.get("name_links", ()))
    word = rf"(?:{links}[A-Z]\w*s['’](?=[ \t])|[A-Z]\w*(?:-\w+)*(?:['’]s)?|&|and|of|upon|on|the|with)"
    # a name starts at a word's start: no attempt inside a word (the search is the cost here)
    publisher = re.compile(
        rf"(?<![\w'’&-])((?:NHS[ \t]+)?(?:{word}[ \t]+){{0,6}}?(?:(?i:{bodies})|(?<=[ \t])(?:{abbrevs})s?\b))"
    )
    return Rules(
        furniture=re.compile(rf"^\s*(?:{furniture})\s*$", re.I),
        publisher=publisher,
        adults=re.compile("|".join(f"(?:{a})" for a in pub["adults"])),
        not_area=frozenset(pub["not_area"]),
        bodies=re.compile(rf"(?i:{bodies})|(?:{abbrevs})"),
        body_at_end=re.compile(rf"(?:(?i:{bodies})|(?:{abbrevs})s?)$"),
        body_word=re.compile(rf"(?i:board|partnership|group|committee|trust|council)|(?:{abbrevs})"),
        abbreviations=tuple(pub["abbreviations"]),
        joint_boards=re.compile(pub["joint_boards"], re.I) if pub.get("joint_boards") else None,
        joint_children=pub.get("joint_children", ""),
        related=re.compile(rf"^\W*(?:{'|'.join(data['furniture']['related'])})\W*$", re.I),
        resume=re.compile(rf"^\W*(?:{'|'.join(data['furniture']['resume'])})\b", re.I),
        name_link=re.compile(rf"\b(?:{'|'.join(pub['name_links'])})\b") if pub.get("name_links") else None,
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


def own_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks that are the document's own: a list of other documents a page shows beside it
    ("Similar documents", "Related publications") is left out, up to where the document's own
    text starts again ("Transcription")."""
    r = rules()
    out, skipping = [], False
    for b in blocks:
        line = b.text.strip()
        if r.related.match(line):
            skipping = True
        elif skipping and r.resume.match(line):
            skipping = False
        elif not skipping:
            out.append(b)
    return out


def is_furniture(line: str) -> bool:
    """A line of page or portal furniture ("Skip to content", "Agenda item", "Contact: …")."""
    line = (line or "").strip()
    # furniture is short; body paragraphs are not worth the patterns' time
    return bool(line) and len(line) <= MAX_FURNITURE and bool(rules().furniture.match(line))





def _trim_area(name: str, not_area: frozenset[str]) -> str:
    nhs = name.startswith("NHS ")
    words = name[4:].split() if nhs else name.split()
    while len(words) > 1 and (words[0] in not_area or words[0] in ("&", "and", "of", "the", "on", "upon", "with", "for")):
        words = words[1:]
    return ("NHS " if nhs else "") + " ".join(words)


@dataclass(frozen=True)
class Publishers:
    """The publisher data: kinds of body, national bodies, address words and weights."""

    kinds: tuple[tuple[str, re.Pattern], ...]
    full_names: dict
    national: tuple[tuple[str, re.Pattern, tuple[str, ...]], ...]
    address_words: dict
    weights: dict
    unnamed_kinds: tuple[tuple[str, re.Pattern], ...] = ()
    inspection: re.Pattern | None = None
    inspectors: frozenset[str] = frozenset()
    nations: dict = field(default_factory=dict)
    council_forms: dict = field(default_factory=dict)
    council_written: tuple[str, ...] = ()


@functools.cache
def _publishers_for(extra: str | None) -> Publishers:
    data = _read_rules(Path(__file__).with_name("metadata.toml"))["publisher"]
    if extra:
        for entry in _read_rules(Path(extra)).get("publisher", {}).get("national", []):
            data["national"].append(entry)
    kinds = tuple((k, re.compile(rf"^(?:{'|'.join(v)})$", re.I)) for k, v in data["kinds"].items())
    national = tuple((n["name"], re.compile(rf"\b(?:{n['pattern']})\b"), tuple(n.get("hosts", ())))
                     for n in data["national"])
    unnamed = tuple((k, re.compile("|".join(v), re.I)) for k, v in data.get("unnamed_kinds", {}).items())
    inspection = data.get("inspection", {}).get("pattern")
    return Publishers(kinds, dict(data["full_names"]), national, dict(data["address_words"]), dict(data["weights"]),
                      unnamed, re.compile(inspection, re.I) if inspection else None,
                      frozenset(n["name"] for n in data["national"] if n.get("inspects")),
                      {k: frozenset(v) for k, v in data.get("nations", {}).items()},
                      dict(data.get("council_forms", {})),
                      tuple(data.get("council_written", {}).get("forms", ())))


def publishers() -> Publishers:
    """The publisher data in force (bundled, plus national bodies from ``$SGSEARCH_METADATA``)."""
    return _publishers_for(os.environ.get("SGSEARCH_METADATA") or None)


def _kind_of(body: str, p: Publishers) -> str | None:
    body = re.sub(r"\s+", " ", body.replace("\u2019", "'")).strip()
    body = re.sub(r"(?<=[A-Z])s$", "", body)  # "the two CCGs" are of the kind "CCG"
    return next((k for k, rx in p.kinds if rx.match(body)), None)


def _exists_in(area: places.Area, kind: str, p: Publishers) -> bool:
    """Whether a body of this kind exists in the area's nation (``[publisher.nations]``); an NHS
    region has only NHS bodies."""
    if area.kind == "nhs-region" and kind not in ("icb", "ccg", "trust"):
        return False
    if kind == "council" and council_name(area, p) is None:
        return False  # a nation, a region or an NHS area has no council of its own
    return kind not in p.nations or area.nation in p.nations[kind]


# a council's name inside another body's or a building's name ("The London Borough of Southwark
# Safeguarding Children Partnership", "Highland Council HQ")
_NOT_THE_COUNCIL = re.compile(r"[ \t]+(?:Safeguarding|Local|Children|HQ|Headquarters|Offices|Chamber)\b")
# the end of a line of attendees: "Name, Role, <Council>"
_AFTER_COMMA = re.compile(r",[ \t]*$")
_LINE_END = re.compile(r"[ \t]*(?:[,;.)][ \t]*)?(?:\n|$)")
# an attendee's line up to their employer: "• Ms A Smith, Chief Executive, <Council> and …"
_ATTENDEE = re.compile(r"\n[ \t]*(?:[•*\-–][ \t]*)?(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Cllr|Councillor)\.?[ \t]+)?"
                       r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’.-]*){1,3},[^,\n]{1,80},[ \t]*$")


def council_name(area: places.Area, p: Publishers) -> str | None:
    """An area's council by its own name: the gazetteer's, else its kind's usual form
    ("Devon County Council", "London Borough of Brent"); None for an area with no council."""
    if area.council:
        return None if area.council == "-" else area.council
    form = p.council_forms.get(area.kind)
    return form.format(area.name) if form else None


@functools.lru_cache(maxsize=8)
def _council_names(data: tuple) -> dict[str, places.Area]:
    """Every council of the gazetteer as a text may write it (its own name, its kind's usual form,
    and ``[publisher.council_written]``: "<area> City Council", "London Borough of <area>", ...),
    by ``places.key``, with its area;
    ``data`` names the files in force, so a change is not answered from the cache."""
    p = publishers()
    names: dict[str, places.Area] = {}
    for a in places.areas():
        own = council_name(a, p)
        if not own:
            continue
        usual = p.council_forms.get(a.kind)
        written = {own, *([usual.format(a.name)] if usual else [])}
        written |= {form.format(x) for x in (a.name, *a.short) for form in p.council_written}
        for w in written:
            names.setdefault(places.key(w), a)
    return names


# the word every council's name holds, and the words of a name around it
_COUNCIL_WORD = re.compile(r"\b(?:Council|COUNCIL|Borough|BOROUGH|Corporation|Comhairle)\b")
_NAME_WORD = re.compile(r"[A-Za-z][\w'\u2019.-]*|&")
_LOWER_WORDS = frozenset({"and", "of", "upon", "on", "the", "with", "&", "nan"})
# "the council by", "a Council meeting": a lower-case word before "Council" and no "of" after it names none
_LOWER_BEFORE = re.compile(r"\b[a-z]+\s+$")
COUNCIL_SPAN = 8  # words either side of "Council" a council's name may run to


def councils_found(text: str) -> list[tuple[int, int, places.Area]]:
    """Each council of the gazetteer named in ``text``: (start, end, area), the longest name at
    each place, written capitalised ("Slough Borough Council", "the London Borough of Brent",
    "Cornwall Council"; "the council" or "brent council" in a sentence is no name, nor is a council
    inside another body's or a building's name: "Highland Council HQ")."""
    names = _council_names((os.environ.get("SGSEARCH_METADATA"), os.environ.get("SGSEARCH_PLACES")))
    out: list[tuple[int, int, places.Area]] = []
    done = -1
    for anchor in _COUNCIL_WORD.finditer(text):
        if anchor.start() < done or (anchor.group(0) == "Council" and _LOWER_BEFORE.search(text, max(0, anchor.start() - 30), anchor.start())
                                     and not text.startswith(" of ", anchor.end())):
            continue
        lo, hi = max(0, anchor.start() - 120), min(len(text), anchor.end() + 120)
        toks = [m for m in _NAME_WORD.finditer(text, lo, hi) if "\n" not in text[m.start():anchor.start()]
                and "\n" not in text[anchor.end():m.end()]]
        at = next((i for i, m in enumerate(toks) if m.start() == anchor.start()), None)
        if at is None:
            continue
        keys = [places.key(t.group(0)) for t in toks]
        # a name starts and ends with a capitalised word; its other words are capitalised or joining words
        caps = [t.group(0)[0].isupper() for t in toks]
        joins = [k in _LOWER_WORDS for k in keys]
        best = None
        for i in range(max(0, at - COUNCIL_SPAN), at + 1):
            if not caps[i] or not all(caps[x] or joins[x] for x in range(i, at)):
                continue
            for j in range(min(len(toks), at + COUNCIL_SPAN + 1), at, -1):
                if best and j - i <= best[1] - best[0]:
                    break
                if not caps[j - 1] or not all(caps[x] or joins[x] for x in range(at, j)):
                    continue
                area = names.get(" ".join(k for k in keys[i:j] if k))
                if area is not None:
                    best = (i, j, area)
                    break
        if best:
            s0, e0 = toks[best[0]].start(), toks[best[1] - 1].start() + len(toks[best[1] - 1].group(0).rstrip("."))
            if not _NOT_THE_COUNCIL.match(text, e0):
                out.append((s0, e0, best[2]))
            done = e0
    return out


@functools.lru_cache(maxsize=8)
def _nhs_named_rx(data: tuple) -> re.Pattern | None:
    """The pattern of a health body named "NHS <area>" (``nhs_boards``: a Scottish health board;
    ``icb_areas`` and the gazetteer's NHS regions: an English integrated care board); ``data``
    names the files in force, so a change is not answered from the cache."""
    pub = _merged_rules(data[0])["publisher"]
    icbs = {*pub.get("icb_areas", ()), *(n for a in places.areas() if a.kind == "nhs-region" for n in (a.name, *a.short))}
    icb = "|".join(re.escape(n).replace(r"\ ", r"\s+").replace(r"\&", "(?:&|and)").replace(" and ", " (?:&|and) ")
                   for n in sorted(icbs, key=len, reverse=True))
    boards = "|".join(f"(?:{b})" for b in pub.get("nhs_boards", ()))
    if not (icb or boards):
        return None
    return re.compile(rf"(?<![\w'’&-])NHS[ \t]+(?:(?P<board>{boards or '(?!)'})|(?P<icb>{icb or '(?!)'}))(?![\w'’&-])")


def nhs_named(text: str) -> list[tuple[int, int, str, str]]:
    """Each health body ``text`` names as "NHS <area>" ("NHS Lothian", "NHS Kent and Medway"):
    (start, end, kind, area words as written); the kind is ``trust`` for a Scottish health board,
    ``icb`` for an English integrated care board."""
    rx = _nhs_named_rx((os.environ.get("SGSEARCH_METADATA"), os.environ.get("SGSEARCH_PLACES")))
    if rx is None:
        return []
    return [(m.start(), m.end(), "trust" if m.group("board") else "icb",
             " ".join((m.group("board") or m.group("icb")).split())) for m in rx.finditer(text)]


def _composed(area: places.Area, kind: str, p: Publishers) -> str:
    """A body's name made from its area and kind: a council by its own name ("Devon County Council")."""
    if kind == "council":
        return council_name(area, p) or f"{area.name} Council"
    if kind == "board" and area.kind == "welsh-region":
        kind = "regional-board"  # a Welsh region's board is its Safeguarding Board
    return f"{area.name} {p.full_names[kind]}"


_PATH_PARTNERSHIP = re.compile(r"(?:safeguardingchildren|childrensafeguarding|safeguarding)partnership$")
_PATH_BOARD = re.compile(r"(?:safeguardingchildren|childrensafeguarding)board$")


def _address_kind(url: str | None, p: Publishers) -> str | None:
    """The body a host's words name: "devonscp" a partnership, "...lscb" a board, a council's site a council."""
    host = places.host_of(url)
    labels = host.split(".")
    for kind in ("partnership", "board"):
        # at a label's end or start, beside the area ("walsallsp", "scpdevon"), not inside another word
        if any(lab.endswith(w) or lab.startswith(w) for lab in labels for w in p.address_words.get(kind, [])):
            return kind
    # a part of the path that is the body's name or its letters, where a council's site holds its
    # partnership's pages ("/lscp/", "/southampton-safeguarding-children-partnership/")
    parts = places.split_address(url)
    for seg in (re.sub(r"[-_]", "", seg) for seg in (parts.path.lower().split("/")[1:4] if parts else [])):
        for kind, full in (("partnership", _PATH_PARTNERSHIP), ("board", _PATH_BOARD)):
            if (seg in p.address_words.get(kind, []) and seg not in ("board", "partnership", "sp")) or full.search(seg):
                return kind
    # a council's site, or its committee portal ("northlincolnshire.moderngov.co.uk")
    portal = any(label in p.address_words.get("portal", []) for label in host.split("."))
    return "council" if host.endswith(".gov.uk") or portal else None


def _unnamed_kind(head: str, p: Publishers) -> tuple[str, int] | None:
    """The kind of body the opening names most without an area ("the Partnership", "the
    safeguarding partners"), with how often, or None."""
    counts = [(len(rx.findall(head[:AREA_CHARS])), k) for k, rx in p.unnamed_kinds]
    n, kind = max(counts, default=(0, ""))
    return (kind, n) if n else None


def _unshout(name: str) -> str:
    """A name written in capitals as a name is written ("ROTHERHAM SAFEGUARDING CHILDREN
    PARTNERSHIP" -> "Rotherham Safeguarding Children Partnership"); abbreviations stay."""
    if not name.isupper() or not re.search(r"\b[A-Z]{5,}\b", name):
        return name
    keep = set(rules().abbreviations) | {"NHS"}  # the bodies' abbreviations hold ICB and CCG
    return " ".join(w if w in keep or not re.search(r"[AEIOUY]", w) else
                    (w.lower() if places.key(w) in {"and", "of", "the", "upon", "on", "with", "for"} else w.capitalize())
                    for w in name.split())


# what comes before the body whose report this is: "the second safeguarding report of NHS X CCG"
_REPORT_OF = re.compile(r"\breport\s+(?:of|for|from|by)\s+(?:the\s+)?$", re.I)
# what follows the body whose report this is: "... Partnership Annual Report 2022-23"
# (also its plan, strategy or newsletter: "... Children Partnership Business Plan")
_SUBJECT = re.compile(r"(?:\s*\([A-Z]{2,6}\))?\W{0,3}(?:draft\s+)?(?:(?:annual|yearly|twelve[- ]monthly)\s+report"
                      r"|(?:business|strategic|improvement|delivery)\s+plan|strategy\b|newsletter\b)", re.I)
TITLE_CHARS = 200  # a title is never longer: past this a first line is a page flattened into one line
NATIONAL_CHARS = 20000  # a national body that publishes says so early; mentions are capped anyway
# a national body as the author: "Ofsted's evaluation", "The NSPCC has analysed", "... published", "... publish"
_AUTHOR = (r"(?:\W?s\s+(?:\w+\s+)?(?:evaluation|report|review|analysis|briefing|research|summary|study)\b"
           r"|\s+(?:has|have|had)\s+(?:analysed|published|made|reviewed|carried out|found)|\s+publish(?:es|ed)?\b)")
# a body named after "by" is the author ("a review by the NSPCC"), unless it only asked for or paid for the
# work ("commissioned by the Department")
_BY_AUTHOR = re.compile(r"(?<!commissioned )(?<!funded )(?<!requested )(?<!sponsored )\bby\s+(?:the\s+)?(?:national\s+)?$",
                        re.I)
# the page's own byline before a national body's name: "Author: Research in Practice", "As
# Chair of the … Panel, I write to", "on behalf of the NSPCC"
_BYLINE = re.compile(r"(?:^|\n)\W*(?:author|published by|publisher|source|written by)\s*:?\s*(?:the\s+)?$"
                     r"|\bas\s+(?:the\s+)?chair\s+of\s+(?:the\s+)?(?:independent\s+|national\s+)?$"
                     r"|\bon\s+behalf\s+of\s+(?:the\s+)?$", re.I)


# the body a page speaks as: its copyright line, byline or "we": "© 2024 …", "Published by the …",
# "our duties as …", "Welcome to the … website"
_SPEAKS_AS = re.compile(r"(?:©|\(c\)|\bcopyright|\b(?:published|produced|issued) by|\bon behalf of|(?<!such )\bas"
                        r"|\bwelcome to|\bwe are|\bwe,)\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*)?(?:the\s+)?$", re.I)
_PRINTED_HOST = re.compile(r"(?:\bhttps?://|\bwww\.|[\w.+-]@)((?:[a-z0-9-]+\.)+[a-z]{2,})", re.I)
AREA_CHARS = 5000  # where the places a page names are counted: its opening


def _area_of_text(head: str, address_words: tuple[str, ...]) -> tuple[places.Area | None, str, list[str]]:
    """The area a page gives of itself without an address, the weight of that signal and the
    printed addresses that name it: the area its printed web and e-mail addresses name most
    (``text_address``), else the one its opening names most, first at a tie (``text_area``)."""
    urls = [f"https://{m.group(1)}" for m in _PRINTED_HOST.finditer(head)]
    hosts = [(places.area_of_address(u, address_words), u) for u in urls]
    for found, weight in (([a for a, _ in hosts if a], "text_address"), (places.areas_named(head[:AREA_CHARS]), "text_area")):
        if found:
            counts = Counter(found)
            best = max(counts, key=lambda a: (counts[a], -found.index(a)))
            return best, weight, [u for a, u in hosts if a == best]
    return None, "text_area", []


@functools.lru_cache(maxsize=256)
def _any_case(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


def _national_found(rx: re.Pattern, text: str) -> list[re.Match]:
    """Where a national body is named in ``text``: as its pattern is written, and its
    name of several words on a line in capitals ("THE SAFEGUARDING BOARD FOR NORTHERN IRELAND")."""
    found = list(rx.finditer(text))
    pos = 0
    for line in text.split("\n"):
        if len(line) > 12 and line.isupper():
            found += [m for m in _any_case(rx.pattern).finditer(text, pos, pos + len(line)) if " " in m.group(0)]
        pos += len(line) + 1
    return sorted(found, key=lambda m: m.start())


def detect_publisher(text: str, url: str | None = None) -> str | None:
    """The body that publishes the document, named with its area: the best of
    :func:`publisher_candidates`, or None."""
    cands = publisher_candidates(text, url)
    return cands[0][1] if cands else None


def _body_matches(head: str, r: Rules):
    """The publisher pattern's matches, tried only on lines that hold a body's word (the
    pattern is slow to try at every place of a long report)."""
    pos = 0
    for line in head.split("\n"):
        if r.body_word.search(line):
            yield from r.publisher.finditer(head, pos, pos + len(line))
        pos += len(line) + 1


# points of the compass before a known area name a part of it: "North and East Devon"
_COMPASS_LEAD = re.compile(r"(?:(?:North|South|East|West|Mid|Central)(?:[ -]|\s+(?:and|&)\s+))+", re.I)


HEALTH_LEAD_WORDS = 3  # capitalised words a trust's name may hold before its area ("Chelsea and", "Royal")
_CONNECTOR = re.compile(r"\b(?:of|the|from|by|to|for|with|on|in)\b", re.I)


def _own_lead(lead: str, not_area: frozenset[str]) -> bool:
    """Whether the words before a trust's area are its name's ("Royal", "Chelsea and"), not a
    line's other words ("Safeguarding Report", "Functions of the")."""
    words = lead.split()
    return (0 < len(words) <= HEALTH_LEAD_WORDS and not _CONNECTOR.search(lead)
            and not any(x in not_area for x in words) and words[0][0].isupper())


@functools.lru_cache(maxsize=4096)
def _read_name(raw: str, data: tuple) -> tuple[str, str, str, tuple | None, str]:
    """A body's name as written: (name without leading words, kind of body, area words,
    the gazetteer's area and its words or None, the area's key); ``data`` names the rule and
    gazetteer files in force, so that a change of them is not answered from the cache."""
    r, p = rules(), publishers()
    # one body's name: "North Yorkshire and York CCGs" names the CCG of that area
    name = re.sub(r"(?<=[A-Z]{2})s$", "", _trim_area(raw, r.not_area))
    body_m = r.body_at_end.search(name)
    body = body_m.group(0) if body_m else name.split()[-1]
    kind = _kind_of(body, p) or body.lower()
    area_words = name[: len(name) - len(body)].strip()
    if r.joint_boards and r.joint_children and r.joint_boards.fullmatch(body):
        body = r.joint_children  # a joint board's report on children is its children's board's
        name = f"{_unshout(area_words)} {body}".strip()
    if area_words.startswith("NHS "):
        area_words = area_words[4:]
    cut = [i for i, x in enumerate(area_words.split()) if x in r.not_area]
    if cut:
        area_words = " ".join(area_words.split()[cut[-1] + 1:])
        name = f"{area_words} {body}".strip()
    if re.search(r"(?:^|\s)(?:the|and|&|of)$", area_words, re.I):
        # "In Westshire the SCP office …": the article starts the body's name; the place before it is the sentence's
        area_words, name = "", body
    found = places.area_in(area_words) if area_words else None
    # "Reports of the Leicestershire and Rutland LSCB", "Governance Performance Trafford LSCB" (a
    # contents line), "Functions of the Safeguarding Board": words before the area, or before
    # "of the", name something of a body, not its area (in capitals too: "PAPER FOR THE COMMITTEE ON THE
    # PROPOSED SAFEGUARDING BOARD" names no area)
    lead = area_words[:area_words.index(found[1])] if found else area_words
    if found and _COMPASS_LEAD.fullmatch(lead):
        lead = ""  # "North and East Devon": the points of the compass are the area's
    if found and kind == "trust" and _own_lead(lead, r.not_area):
        lead = ""  # "Royal Devon University Healthcare NHS Foundation Trust": a trust's name is its own
    # ("Hospital for" joins a name's words: no sentence's "for")
    if (found and lead.strip()) or _CONNECTOR.search(r.name_link.sub(" ", lead) if r.name_link else lead):
        nhs = name.startswith("NHS ")
        area_words = area_words[len(lead):].strip()
        name = ("NHS " if nhs and area_words else "") + f"{area_words if body.isupper() else _unshout(area_words)} {body}".strip()
    area_key = places.key(found[0].name) if found else places.key(area_words)
    return name, kind, area_words, found, area_key


def _area_acronyms(head: str, area: places.Area | None, p: Publishers) -> list[tuple[str, int, int]]:
    """Bodies named by an acronym of the address's area and a body's abbreviation ("NSCP" for
    Newcastle's partnership, "WSCB"): (kind, first position, count) for each kind."""
    if area is None:
        return []
    letters = {area.name[0].upper(), area.initials().upper()} - {""}
    abbrevs = sorted(rules().abbreviations, key=len, reverse=True)
    # written as a body ("the NSCP", "our WSCB"), not a link's label in a list of other areas' sites
    rx = re.compile(rf"\b(?i:the|our)\s+((?:{'|'.join(sorted(letters, key=len, reverse=True))})({'|'.join(abbrevs)}))s?\b")
    found: dict[str, list[int]] = {}
    for m in rx.finditer(head[:AREA_CHARS]):
        kind = _kind_of(m.group(2), p)
        if kind in p.full_names and m.group(1) not in abbrevs:
            found.setdefault(kind, []).append(m.start())
    return [(k, v[0], len(v)) for k, v in found.items()]


def _mentioned(c: dict, text: str, head: str, start: int, end: int, before: int, title_end: int) -> None:
    """Note on a publisher candidate what one mention of it (``start``-``end``; its name proper from
    ``before``) says: the page is about it, the title names it, the page speaks as it."""
    c["subject"] = (c["subject"] or bool(_SUBJECT.match(text[end:end + 40]))
                    or bool(_REPORT_OF.search(text[max(0, start - 40):start])))
    c["title"] = c.get("title") or start < title_end
    c["speaks"] = c.get("speaks") or bool(_SPEAKS_AS.search(head, max(0, before - 40), before))


_WELSH_BOARDS = frozenset({"board", "regional-board"})


def publisher_candidates(text: str, url: str | None = None) -> list[tuple[float, str]]:
    """Every candidate publisher with its score, best first.

    Candidates: every body the text names ("<Area> Safeguarding Children Partnership",
    "<Area> LSCB", "NHS <Area> Integrated Care Board", "<Area> Child Protection Committee"),
    national bodies (NSPCC, Ofsted, the Panel, ...), and the area the page's address names
    (``url``, with the gazetteer) joined to the kind of body the text names. A name whose area
    is in the gazetteer, is named often and early, or agrees with the address scores higher;
    an adults' board never publishes a report about children. Weights are data
    (``[publisher.weights]`` in ``ingest/metadata.toml``).
    """
    r, p = rules(), publishers()
    w = p.weights
    head = text[:60000]
    children = len(re.findall(r"\bchild(?:ren)?\b", head, re.I))
    adults = len(re.findall(r"\badults?\b", head, re.I))
    address_words = tuple(x for v in p.address_words.values() for x in v)
    host_area = places.area_of_address(url, address_words) or places.area_by_initials(
        url, tuple(x for k in ("partnership", "board") for x in p.address_words.get(k, [])),
        places.areas_named(head[:AREA_CHARS]))
    host = places.host_of(url)
    # (area name or "", kind) -> score, written forms with their counts, first position
    cands: dict[tuple[str, str], dict] = {}
    # "the Safeguarding Board for Northern Ireland" is the national body, not a board of no area
    # the document's first line is its name: a body named there is what it is about ("15th Meeting of the …")
    # (its opening words only: a page flattened into one line has no title line)
    title_end = len(head) - len(head.lstrip()) + min(len(head.lstrip().split("\n", 1)[0]), TITLE_CHARS)
    national_at = [x.span() for _, rx, _ in p.national for x in _national_found(rx, head[:NATIONAL_CHARS])]
    body_at: list[tuple[int, int]] = []
    for m in _body_matches(head, r):
        body_at.append(m.span(1))
        raw = re.sub(r"\s+", " ", m.group(1)).strip()
        if children >= adults and r.adults.search(raw):
            continue
        if any(a < m.end(1) and m.start(1) < b for a, b in national_at):
            continue
        name, kind, area_words, found, area_key = _read_name(
            raw, (os.environ.get("SGSEARCH_METADATA"), os.environ.get("SGSEARCH_PLACES")))
        if kind == "council" and found:
            continue  # a council of the gazetteer's is read below, by its own name
        c = cands.get((area_key, kind))
        if c is None:
            c = cands[(area_key, kind)] = {"names": Counter(), "first": m.start(), "subject": False,
                                           "known": bool(found), "bare": not area_words, "area": found,
                                           # "Conwy & Denbighshire LSCB": a joint body is each of its areas'
                                           "joined": tuple(places.areas_named(area_words)) if found else ()}
        c["names"][name] += 1
        # what comes before the name, past the words trimmed off its start ("As Tameside …")
        at = m.start(1) + max(0, m.group(1).find(name.split()[0]) if name else 0)
        _mentioned(c, text, head, m.start(1), m.end(), at, title_end)
        acr = _ACRONYM_AFTER.match(text[m.end():m.end() + 12])
        if acr:
            c.setdefault("acronym", acr.group(1))
    for start, end, area in councils_found(head):
        # "Slough Borough Council", "the London Borough of Brent", "Cornwall Council", "Royal Borough of X"
        if any(a < end and start < b for a, b in national_at):
            continue
        if (_AFTER_COMMA.search(head, max(0, start - 80), start) and _LINE_END.match(head, end)) or \
                _ATTENDEE.search("\n" + head[max(0, start - 200):start]):
            continue  # "Ms A Smith, Legal Manager, Highland Council": a person's employer, not the author
        c = cands.setdefault((places.key(area.name), "council"), {
            "names": Counter(), "first": start, "subject": False, "known": True, "bare": False, "area": (area, area.name)})
        c["names"][re.sub(r"\s+", " ", head[start:end])] += 1  # as the text writes it: "Sefton Council"
        c["first"] = min(c["first"], start)
        _mentioned(c, text, head, start, end, start, title_end)
    for start, end, kind, words in nhs_named(head):
        # "NHS Lothian", "NHS Kent and Medway": a health body named by its area alone (one followed by its
        # body's words, "NHS Kent and Medway Integrated Care Board", is read above)
        if any(a < end and start < b for a, b in national_at + body_at):
            continue
        found = places.area_in(words)
        name = f"NHS {words}" + (f" {p.full_names[kind]}" if kind == "icb" else "")
        # named so, a health body is as often one of the partners a page lists ("NHS Lothian, the
        # council and the police"): it is a candidate only where the page presents it as its own
        # (its title line, "… annual report", "published by …"), unless the text also names it in full
        c = cands.setdefault((places.key(found[0].name) if found else places.key(words), kind), {
            "names": Counter(), "first": start, "subject": False, "known": True, "bare": False, "area": found,
            "short_only": True})
        c["names"][name] += 1
        c["first"] = min(c["first"], start)
        _mentioned(c, text, head, start, end, start, title_end)
    for kind, first, n in _area_acronyms(head, host_area, p):
        # "the NSCP" on newcastlesafeguarding.org.uk: the area's initial and a body's abbreviation
        c = cands.setdefault((places.key(host_area.name), kind), {
            "names": Counter(), "first": first, "subject": False, "known": True, "bare": False,
            "area": (host_area, host_area.name)})
        c["names"][_composed(host_area, kind, p)] += n
        c["first"] = min(c["first"], first)

    def agrees(c: dict) -> bool:
        if not host_area or not c["area"]:
            return False
        if c["area"][0] == host_area or host_area in c.get("joined", ()):
            return True
        # a joint board ("Kingston & Richmond") agrees with the address of either area
        area_words = f" {places.key(c['area'][0].name)} "
        return any(f" {places.key(n)} " in area_words for n in (host_area.name, *host_area.short))

    # "the LSCB" after "Southampton Local Safeguarding Children Board (LSCB)" is that board again
    for (_area, kind), c in cands.items():
        named = [o for (_, k), o in cands.items() if k == kind and not o["bare"]]
        if c["bare"] and named:
            to = max(named, key=lambda o: (sum(o["names"].values()), -o["first"]))
            to["also"] = to.get("also", 0) + sum(c["names"].values())
            to["subject"] = to["subject"] or c["subject"]
            c["absorbed"] = True
    text_area, text_weight, printed = _area_of_text(head, address_words) if not host_area else (None, "", [])
    # "the Safeguarding Board" after "the Safeguarding Board for Northern Ireland" is that national body again
    opening = head[:NATIONAL_CHARS]
    named_national = {name for name, rx, _ in p.national if _national_found(rx, opening)}
    shortened: Counter[str] = Counter()
    for c in cands.values():
        if c["bare"]:
            whole = next((nm for nm in named_national for x in c["names"] if x.lower() in nm.lower()), None)
            if whole:
                shortened[whole] += sum(c["names"].values())
                c["absorbed"] = c["national"] = True

    # a report of an inspection that names its inspectorate: a council named there is the one inspected
    portal = any(lab in p.address_words.get("portal", []) for lab in host.split("."))
    inspected = bool(p.inspection and not portal and p.inspection.search(head[:TITLE_CHARS * 10]) and any(
        _national_found(rx, head[:TITLE_CHARS * 10]) for name, rx, _ in p.national if name in p.inspectors))
    scored: list[tuple[float, int, str]] = []
    # the kind of body the site's own name says ("wsscp.org.uk": a partnership), when the text names more than one
    site_kind = _address_kind(url, p) if host_area else None
    for (_area, kind), c in cands.items():
        n = sum(c["names"].values()) + c.get("also", 0)
        score = w["named_known_area"] if c["known"] else (w["bare"] if c["bare"] else w["named_area"])
        score += w["mention"] * min(n - 1, w["mentions_cap"]) + (w["early"] if c["first"] < 1500 else 0)
        score += w["address_agrees"] + (w["address_kind"] if kind == site_kind else 0) if agrees(c) else 0
        score += (w["subject"] if c["subject"] else 0) + (w["title_line"] if c.get("title") else 0)
        score += w["speaks_as"] if c.get("speaks") else 0
        score += w["inspected"] if inspected and kind == "council" else 0
        # a Welsh region's board is one body whether named its Safeguarding Board or its children's board
        alike = {kind} | (_WELSH_BOARDS if kind in _WELSH_BOARDS and host_area and host_area.kind == "welsh-region" else set())
        named_here = any(k in alike and not o["bare"] and agrees(o) for (_, k), o in cands.items())
        if c.get("national"):
            continue
        if c["bare"] and host_area and kind in p.full_names and not named_here and _exists_in(host_area, kind, p):
            # the body the text names, in the area the page's address names
            composed = w["address_area"] + w["address_agrees"] + w["mention"] * min(n - 1, w["mentions_cap"])
            composed += w["address_kind"] if kind == site_kind else 0
            composed += (w["early"] if c["first"] < 1500 else 0) + (w["subject"] if c["subject"] else 0)
            composed += w["title_line"] if c.get("title") else 0
            scored.append((composed, -c["first"], _composed(host_area, kind, p)))
        elif c["bare"] and text_area and kind in p.full_names and not c.get("absorbed") and _exists_in(text_area, kind, p):
            # the body the text names, in the area its printed addresses or its place names give
            composed = w[text_weight] + w["mention"] * min(n - 1, w["mentions_cap"])
            composed += (w["early"] if c["first"] < 1500 else 0) + (w["subject"] if c["subject"] else 0)
            composed += w["title_line"] if c.get("title") else 0
            scored.append((composed, -c["first"], _composed(text_area, kind, p)))
        if c.get("short_only") and not (c["subject"] or c.get("title") or c.get("speaks")):
            continue
        if c.get("absorbed") or c["bare"]:
            continue  # a body of no area ("the Local Safeguarding Children Board") names no publisher
        # a spelled-out name reads better than its abbreviation ("Devon Safeguarding Children Partnership")
        best = spelled_out(_unshout(max(c["names"], key=lambda x: (len(x.split()) > 2, c["names"][x], len(x)))))
        if c.get("acronym") and not best.endswith(c["acronym"]):
            best = f"{best} ({c['acronym']})"
        scored.append((score, -c["first"], best))
    if host_area and not cands:
        kind = _address_kind(url, p)
        unnamed = _unnamed_kind(head, p)
        if unnamed and kind is None and unnamed[0] in p.full_names and _exists_in(host_area, unnamed[0], p):
            # "the Partnership" on a site whose address names only the area
            kind = unnamed[0]
            scored.append((w["address_area"] + w["unnamed_kind"] * min(unnamed[1], w["mentions_cap"]), 0,
                           _composed(host_area, kind, p)))
        elif kind and _exists_in(host_area, kind, p):
            scored.append((w["address_area"] + w["address_agrees"], 0, _composed(host_area, kind, p)))
    elif printed and not cands:
        # a page that names no body: the one its printed addresses are (a partnership's site before the council's)
        kinds = [k for k in (_address_kind(u, p) for u in printed) if k]
        kind = min(kinds, key=lambda k: k == "council", default=None)
        if kind:
            scored.append((w["text_address"], 0, _composed(text_area, kind, p)))
    elif text_area and not cands and not named_national:
        # no address at all: the area the page names most, and the body it names without one ("the Partnership")
        unnamed = _unnamed_kind(head, p)
        if unnamed and unnamed[0] in p.full_names and _exists_in(text_area, unnamed[0], p):
            scored.append((w[text_weight] + w["unnamed_kind"] * min(unnamed[1], w["mentions_cap"]), 0,
                           _composed(text_area, unnamed[0], p)))
    for name, rx, hosts in p.national:
        found = _national_found(rx, opening)
        score = w["national_mention"] * min(len(found) + shortened[name], w["national_cap"])
        if any(re.match(_AUTHOR, head[f.end():f.end() + 30]) or
               _BY_AUTHOR.search(head[max(0, f.start() - 40):f.start()])
               for f in found):
            score += w["national_author"]
        if any(_BYLINE.search(head[max(0, f.start() - 60):f.start()]) for f in found):
            score += w["national_byline"]
        if places.on_site(host, hosts):
            score += w["national_host"]
        if found and name in p.inspectors and inspected:
            score += w["national_inspection"]  # the inspectorate reports, the area is inspected
        if found and found[0].start() < title_end:
            score += w["title_line"]
        if score > 0:
            scored.append((score, -(found[0].start() if found else 0), name))
    best: dict[str, tuple[float, int]] = {}
    for score, pos, name in scored:
        best[name] = max(best.get(name, (score, pos)), (score, pos))
    return [(v[0], k) for k, v in sorted(best.items(), key=lambda kv: kv[1], reverse=True)]


@functools.cache
def _doc_type_rules() -> dict:
    """The ``[doc_type]`` table of the bundled rules, read once."""
    return _read_rules(Path(__file__).with_name("metadata.toml"))["doc_type"]


@functools.cache
def _doc_type_cues() -> tuple[tuple[str, str, re.Pattern, int, bool], ...]:
    """Each ``[[doc_type.cue]]``: type, where it is looked for, pattern and how many of its
    matches count (``cap``, 1 unless the cue says; a shape shown by many sentences, such as a
    committee's record of what its members did, counts by how many there are)."""
    cues = _doc_type_rules()["cue"]
    body = "(?:" + "|".join(f"(?:{rx.pattern})" for _, rx, _ in publishers().national) + ")"
    return tuple((c["type"], c["where"], re.compile(c["pattern"].replace("{body}", body), re.I | re.M),
                  int(c.get("cap", 1)), "{body}" in c["pattern"]) for c in cues)


def _elsewhere(found: list[re.Match], url: str | None) -> list[re.Match]:
    """The matches of a cue that names a national body (``{body}`` in its pattern) that name no body
    whose own site the page is on: a page telling of another body's report. Without an address, or
    on a site that puts up anyone's documents (``[doc_type] document_hosts``) or the government's own
    publishing site (``government_hosts``, where the national bodies publish), nothing is known of
    whose site it is, and none counts."""
    host = places.host_of(url) if url else ""
    if not host or places.on_site(host, _document_hosts()) or host in _government_hosts():
        return []
    own = [re.compile(rx.pattern, re.I) for _, rx, hosts in publishers().national
           if places.on_site(host, hosts)]
    return [m for m in found if not any(rx.search(m.group(0)) for rx in own)]


@functools.cache
def _government_hosts() -> frozenset[str]:
    """The government's publishing sites (``[doc_type] government_hosts``), matched exactly: a
    council's site under gov.uk is not one of them."""
    return frozenset(_doc_type_rules().get("government_hosts", ()))


@functools.cache
def _document_hosts() -> tuple[str, ...]:
    return tuple(_doc_type_rules().get("document_hosts", ()))


@functools.cache
def _doc_type_weights() -> dict[str, float]:
    cues = _doc_type_rules()["cue"]
    return {f"{i}:{c['type']}": float(c["weight"]) for i, c in enumerate(cues)}


@functools.cache
def _doc_type_minimum() -> float:
    """What a type must score to win over ``other``: one weak cue alone (a mention of another
    body's annual report) does not make a page that document."""
    return float(_doc_type_rules().get("minimum", 0.0))


def weight_tables() -> dict[str, dict[str, float]]:
    """The weights in force, by table (``title``, ``publisher``, ``doc_type`` cue by cue,
    ``year``: date cue by cue and ``[year.weights]``): the live tables, which a fitting
    script may change and write back."""
    return {"title": _title_rules().weights, "publisher": publishers().weights, "doc_type": _doc_type_weights(),
            "year": _year_rules()[1]}


# a contents line: words, then dots, spaces or a table's separators, then a page number
_CONTENTS_LINE = re.compile(r"^[^\n]*[a-z)][ \t.|/]+\d{1,3}[ \t]*$", re.M)
# a contents list without page numbers: three or more numbered entries (or appendices) in a row,
# each a short name with no sentence's end ("1. Overview", "6. The Rapid Review", "Appendix A: …")
_CONTENTS_RUN = re.compile(r"(?:^[ \t]*(?:\d{1,2}(?:\.\d{1,2})*\.?|(?:appendix|annex)\s+\w{1,3}\s*[:.)–-])[ \t]+[^.!?\n]{1,90}\n){3,}",
                           re.M)


COVER_CHARS = 300  # a document's cover: its first lines, which a PDF put up as text may run into one (case kept)


def _cover(text: str, title: str) -> str:
    """The document's first lines past its title (which the title's cues read already), case kept."""
    body = text.lstrip()
    if title and body.startswith(title):
        body = body[len(title):]
    return body[:COVER_CHARS]


def doc_type_scores(text: str, title: str = "", url: str | None = None) -> dict[str, float]:
    """How strongly the title, opening text and address say each document type."""
    low_title = title.lower()
    # a contents line ("chapter 2: multi-agency safeguarding arrangements 22") names a part, not the
    # document; a numbered run of names ("3. The Rapid Review") too, except that an agenda's numbered
    # items ("2. Matters arising") are the meeting's own business
    head, opening = (_CONTENTS_LINE.sub("", _CONTENTS_RUN.sub("", text[:n].lower() + "\n")) for n in (5000, 600))
    listed = {"head": _CONTENTS_LINE.sub("", text[:5000].lower()), "opening": _CONTENTS_LINE.sub("", text[:600].lower())}
    texts = {"title": low_title, "head": f"{low_title}\n{head}", "opening": f"{low_title}\n{opening}",
             "cover": _cover(text, title), "address": (url or "").lower()}
    scores: Counter[str] = Counter()
    weights = _doc_type_weights()
    for i, (kind, where, rx, cap, about_body) in enumerate(_doc_type_cues()):
        seen = f"{low_title}\n{listed[where]}" if kind == "board-papers" and where in listed else texts[where]
        found = len(_elsewhere(list(rx.finditer(seen)), url)) if about_body else (
            bool(rx.search(seen)) if cap == 1 else len(rx.findall(seen)))
        if found:
            scores[kind] += weights[f"{i}:{kind}"] * (1 if cap == 1 else min(found, cap))
    scores["other"] = max(scores["other"], _doc_type_minimum())
    return dict(scores)


def detect_doc_type(text: str, title: str = "", url: str | None = None) -> str:
    """Classify a document as one of :data:`DOC_TYPES`: the type its cues score highest
    (``[[doc_type.cue]]`` in ``ingest/metadata.toml``), ``other`` when none scores at least
    ``[doc_type] minimum``."""
    scores = doc_type_scores(text, title, url)
    order = list(DOC_TYPES)
    best = max(scores, key=lambda k: (scores[k], -order.index(k)), default=None)
    return best if best and scores[best] > 0 else "other"


_COUNTED = re.compile(r"^(?:minute(?!\s+of\b)|step|key|things|ways|top|points?)\b", re.I)
_FIELD_LINE = re.compile(r"^[A-Z][\w ]{0,30}:\s")  # "Decision Maker: …", "Date of meeting: …"
# a cover sheet's field that names the paper: "Paper Title: …", "Title of report: …", "Subject: …"
_TITLE_FIELD = re.compile(r"^\W*(?:(?:paper|report|document)\s+title|title(?:\s+of\s+(?:the\s+)?(?:paper|report))?|subject)"
                          r"\s*:\s*(\S.{6,150})$", re.I)
# what kind of document a line's words after a topic's colon say it is: "…: learning from case reviews",
# "…: a briefing for practitioners", "…: annual report 2022-23"
_NAMED_KIND = re.compile(r"^\s*(?:an?\s+|the\s+)?(?:(?:learning|lessons)\s+from\b|(?:[\w-]+\s+){0,2}(?:briefing|report|review|summary|guidance|strategy)\b)", re.I)
_DATE_WORDS = re.compile(rf"\b(?:{_MONTH_RE}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|am|pm|st|nd|rd|th)\b|\d+", re.I)
# what says when a page was put out, before its date: "Posted on 3 March 2023", "Post on 12-May-2021", "Last updated: …"
_STAMP = re.compile(r"^\W*(?:(?:first |last )?(?:posted|post(?=\s+on\b)|published|updated|issued|reviewed)|dated?|publication date"
                    r"|date of publication)\b(?:\s+on)?\s*:?\s*", re.I)


def _is_date_stamp(line: str) -> bool:
    """A line that only dates the page: a date alone ("September 2021"), a stamp ("Posted on
    3 March 2023") or a field whose value is a date ("Inspection dates: 4 to 8 December 2023")."""
    line = line.strip()
    values = [_STAMP.sub("", line)] + ([line.split(":", 1)[1]] if _FIELD_LINE.match(line) else [])
    return any(re.search(rf"\d|\b{_MONTH_RE}\b", v, re.I) and
               len(re.sub(r"[\W_]+", "", re.sub(r"\b(?:to|and|until)\b", "", _DATE_WORDS.sub("", v)))) < 3
               for v in values)


_DATE_LED = re.compile(rf"^\W*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE}\b)", re.I)


def _is_period(line: str) -> bool:
    """A date line that names a period, not a day: "April 2022 to March 2023", "2022-2023"."""
    months = re.findall(rf"\b{_MONTH_RE}\b", line, re.I)
    return len(months) >= 2 or len(re.findall(r"\b(?:19|20)\d{2}\b", line)) >= 2 or bool(re.search(_FY, line))


@dataclass(frozen=True)
class TitleRules:
    """The title data: report words, generic headings, link furniture and weights."""

    report: re.Pattern
    generic: re.Pattern
    link: re.Pattern
    weights: dict


@functools.cache
def _title_rules() -> TitleRules:
    t = _read_rules(Path(__file__).with_name("metadata.toml"))["title"]
    return TitleRules(
        report=re.compile(rf"\b(?:{'|'.join(t['report_words'])})s?\b", re.I),
        generic=re.compile(rf"^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:{'|'.join(t['generic'])})\W*$", re.I),
        link=re.compile(t["link_furniture"], re.I),
        weights=dict(t["weights"]),
    )


def _layout_title(opening: list[Block]) -> str | None:
    """The title by layout alone: a styled top-level heading, else the first short lines joined."""
    strong = [b for b in opening if b.kind == HEADING and b.strong and len(b.text) <= 160]
    if strong:
        top = min(b.level or 1 for b in strong)
        if top <= 1:
            first = next(b for b in strong if (b.level or 1) == top)
            title = first.text.strip()
            if first.number and _COUNTED.match(title):
                title = f"{first.number} {title}"  # "7 Minute Briefing: …", not section 7
            if len(title) >= 8:
                return title
    parts: list[str] = []
    tr = _title_rules()
    for i, b in enumerate(opening[:8]):
        t = b.text.strip()
        # a field line or a generic heading ("Introduction", "Contents") starts the body
        if len(t) > 90 or b.number or t.endswith(".") or (parts and (_FIELD_LINE.match(t) or tr.generic.match(t))):
            break
        if not parts and _STAMP.match(t) and _is_date_stamp(t):
            continue  # a stamp above the name ("Posted on 3 March 2023" / "<name>") is no part of it
        # a stamp ("Posted on 3 March 2023") dates the page, and so does a date under a name of
        # some words ("… caused by male carers" / "September 2021"); a period names it
        if parts and _is_date_stamp(t) and not _is_period(t) and (
                _STAMP.match(t) or len(" ".join(parts).split()) >= 4):
            break
        if parts and _DATE_LED.match(t):
            break  # "Wednesday 15th January 2025, 10am, City Chambers": when and where a meeting was
        # a short line right above the first paragraph heads a section ("What happened"),
        # unless it says what the document is
        after = opening[i + 1].text.strip() if i + 1 < len(opening) else ""
        if parts and (len(after) > 90 or after.endswith(".")) and not tr.report.search(t) \
                and not re.search(r"\b(?:19|20)\d{2}\b", t):
            break
        parts.append(t)
        if len(parts) == 3 or (b.kind == HEADING and len(parts) > 1):
            break
    title = " ".join(parts).strip()
    return title if len(title) >= 8 else None


def _name_phrases(paragraphs: list[str]) -> list[str]:
    """A report naming itself in its opening sentences: "The Annual Report of the <Body>",
    "<Body> Annual Report 2022-23", "this Child Safeguarding Practice Review"."""
    r = rules()
    body = rf"(?:{r.bodies.pattern})"
    cap = r"[A-Z][\w'\u2019&-]*"
    kinds = r"(?:Annual|Yearly|Twelve[- ]Monthly)\s+Report"
    patterns = [
        rf"\b[Tt]he\s+({kinds}\s+(?:of|from)\s+the\s+(?:{cap}\s+){{1,6}}?{body}(?:\s+{_FY})?)",
        rf"((?:{cap}\s+){{1,6}}?{body}(?:\s*\([A-Z]{{2,6}}\))?\s+{kinds}(?:\s+{_FY})?)",
        rf"\b[Tt]his\s+((?:{cap}\s+){{1,5}}(?:Review|Report|Briefing|Audit|Plan|Strategy))\b",
    ]
    out = []
    for para in paragraphs:
        for n, rx in enumerate(patterns):
            for m in re.finditer(rx, para):
                out.append(_trim_area(m.group(1), r.not_area) if n else m.group(1))
    return out


def _address_title(url: str | None, any_words: bool = False) -> str | None:
    """A title from the last words of a page's address, when they name a report
    ("/devon-scp-yearly-report-2024-25" -> "Devon SCP Yearly Report 2024-25"), or whatever
    they say (``any_words``: "/independent-scrutiny" -> "Independent Scrutiny")."""
    parts = places.split_address(url)
    segs = [x for x in unquote(parts.path).split("/") if x] if parts else []
    if not segs:
        return None
    slug = re.sub(r"\.[a-z0-9]{2,5}$", "", segs[-1], flags=re.I)
    slug = re.sub(r"\b((?:19|20)\d{2})[-_]((?:19|20)?\d{2})\b", r"\1/\2", slug)
    words = [w for w in re.split(r"[-_+\s]+", slug) if w]
    # a site's own document number is no part of a title ("/103694593-Annual-report", "20165945.star-…")
    while words and re.fullmatch(r"\d{5,}(?:\.\w+)?", words[0]):
        words = words[1:]
    if len(words) < (2 if any_words else 3) or sum(w.isalpha() for w in words) < (2 if any_words else 1):
        return None
    abbrevs = {a.lower(): a for a in rules().abbreviations}
    text = " ".join(abbrevs.get(w.lower(), w.capitalize()) for w in words).replace("/", "-")
    return text if any_words or _title_rules().report.search(text) else None


def _is_body_name(line: str) -> bool:
    """A line that is only a body's name ("North Wales Safeguarding Board")."""
    m = rules().publisher.fullmatch(line.strip())
    return bool(m) and len(line.split()) <= 10


def title_candidates(blocks: list[Block], meta_title: str | None = None, url: str | None = None,
                     site_name: str | None = None) -> list[tuple[float, str]]:
    """Every candidate title with its score, best first.

    Candidates are the opening headings and short lines, the layout's choice (styled top
    heading or first short lines), a report's name for itself in its opening sentences, the
    document's own title metadata and its address; scored by level, styling, position,
    length and report words, with generic headings, dates, questions, field lines and the
    site's name scored down (weights: ``[title.weights]`` in ``ingest/metadata.toml``).
    """
    tr = _title_rules()
    w = tr.weights
    opening = [b for b in blocks[:40] if b.kind != BREAK and b.text.strip() and not is_furniture(b.text)][:14]
    cands: list[tuple[float, str]] = []
    shape: dict[int, float] = {}  # each opening line's score by layout and position alone

    def clean(t: str) -> str:
        t = tr.link.sub("", re.sub(r"\s+", " ", t or "")).strip(" -–—|")
        return t.title() if t.isupper() and len(t) > 6 else t

    def features(t: str) -> float:
        score = 0.0
        if tr.report.search(t):
            score += w["report_words"]
        if rules().publisher.search(t):
            score += w["names_body"]
        if re.search(r"\b(?:19|20)\d{2}\b", t):
            score += w["year"]
        if len(t) < 8:
            score += w["too_short"]
        elif len(t) > 150:
            score += w["too_long"]
        if tr.generic.match(t):
            score += w["generic"]
        if len(re.sub(r"[\W_]+", "", _DATE_WORDS.sub("", t))) < 3 or _is_date_stamp(t):
            score += w["date_line"]
        if t.endswith("?"):
            score += w["question"]
        if t.endswith(":"):
            score += w["ends_colon"]
        elif _FIELD_LINE.match(t) and not tr.report.search(t.split(":")[0]) and not _NAMED_KIND.search(t.split(":", 1)[1]):
            # "Date of meeting: …", not a report's name and subtitle ("Learning Briefing: …") nor a topic
            # and the kind of document it is ("Neglect: learning from case reviews")
            score += w["field"]
        if site_name and t.lower() == site_name.strip().lower():
            score += w["site_name"]
        return score

    # a line after the first paragraph of prose heads a section of the body, when a line that
    # could name the document came before that paragraph
    prose = False
    for i, b in enumerate(opening):
        t = clean(b.text)
        if b.number and _COUNTED.match(t):
            t = f"{b.number} {t}"
        if b.kind != HEADING and (len(t) > 120 or t.endswith(".")):
            prose = prose or any(c[0] >= w["minimum"] for c in cands)
            continue
        # a heading the source did not style is only a short line set apart; a numbered one
        # ("1 Background") is a section of the report, not its name
        numbered = b.number and not _COUNTED.match(b.text.strip())
        level = {1: w["level1"], 2: w["level2"]}.get(3 if numbered else b.level or (1 if b.strong else 3),
                                                     w["level3"]) if b.kind == HEADING else 0.0
        shape[i] = level + (w["strong"] if b.strong else 0) - w["position"] * i + (w["after_prose"] if prose else 0)
        score = shape[i] + features(t)
        cands.append((score, t))
        named = _TITLE_FIELD.match(t)
        if named:
            cands.append((w["title_field"] - w["position"] * i + features(named.group(1).strip()), named.group(1).strip()))
        before = clean(opening[i - 1].text) if i else ""
        if before and tr.report.search(t) and not rules().publisher.search(t) and _is_body_name(before):
            # a body's name on its own line above the report's name: "<Body>" / "Annual Report 2022-23";
            # laid out as the better of its two lines, and read for all it says
            joined = f"{before} {t}"
            cands.append((max(shape.get(i - 1, shape[i]), shape[i]) + features(joined), joined))
    layout = _layout_title(opening)
    if layout:
        # the layout's choice: a heading already scored gains the bonus, joined lines are new
        t = clean(layout)
        same = [i for i, c in enumerate(cands) if c[1] == t]
        if same:
            cands[same[0]] = (cands[same[0]][0] + w["layout"], t)
        else:
            cands.append((w["layout"] + features(t), t))
    paragraphs = [b.text for b in blocks[:60] if b.kind not in (HEADING, BREAK)][:20]
    for t in dict.fromkeys(_name_phrases(paragraphs)):
        cands.append((w["phrase"] + features(clean(t)), clean(t)))
    t = _address_title(url)
    if t:
        cands.append((w["address"] + features(t), t))
    if meta_title:
        t = clean(meta_title)
        if not re.match(r"^(?:microsoft (?:word|powerpoint)|untitled|document\d*$|slide \d)", t, re.I):
            cands.append((w["metadata"] + features(t), t))
    return sorted(cands, key=lambda c: -c[0])


def detect_title(blocks: list[Block], fallback: str, meta_title: str | None = None, url: str | None = None,
                 site_name: str | None = None) -> str:
    """The best-scored candidate title (see :func:`title_candidates`), else ``fallback``."""
    cands = title_candidates(blocks, meta_title, url, site_name)
    if cands and cands[0][0] >= _title_rules().weights["minimum"]:
        return cands[0][1]
    # a page with no line that names it: its address's last words name it better than a file name
    return _address_title(url, any_words=True) or fallback


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
