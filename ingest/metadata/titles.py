"""A document's title: its opening headings and short lines, the layout's choice, its name for
itself in its opening sentences, its title metadata and its address, scored as candidates
(weights: ``[title.weights]`` in ``ingest/metadata.toml``)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote

from ingest import places
from ingest.blocks import BREAK, HEADING, Block
from ingest.metadata.bodies import trim_area
from ingest.metadata.furniture import is_furniture
from ingest.metadata.ruledata import RULES_FILE, read_rules, rules
from ingest.metadata.years import MONTH_RE
from search.vocab.years import FY_PATTERN

_COUNTED = re.compile(r"^(?:minute(?!\s+of\b)|step|key|things|ways|top|points?)\b", re.I)
_FIELD_LINE = re.compile(r"^[A-Z][\w ]{0,30}:\s")  # "Decision Maker: …", "Date of meeting: …"
# a cover sheet's field that names the paper: "Paper Title: …", "Title of report: …", "Subject: …"
_TITLE_FIELD = re.compile(r"^\W*(?:(?:paper|report|document)\s+title|title(?:\s+of\s+(?:the\s+)?(?:paper|report))?|subject)"
                          r"\s*:\s*(\S.{6,150})$", re.I)
# what kind of document a line's words after a topic's colon say it is: "…: learning from case reviews",
# "…: a briefing for practitioners", "…: annual report 2022-23"
_NAMED_KIND = re.compile(r"^\s*(?:an?\s+|the\s+)?(?:(?:learning|lessons)\s+from\b|(?:[\w-]+\s+){0,2}(?:briefing|report|review|summary|guidance|strategy)\b)", re.I)
_DATE_WORDS = re.compile(rf"\b(?:{MONTH_RE}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|am|pm|st|nd|rd|th)\b|\d+", re.I)
# what says when a page was put out, before its date: "Posted on 3 March 2023", "Post on 12-May-2021", "Last updated: …"
_STAMP = re.compile(r"^\W*(?:(?:first |last )?(?:posted|post(?=\s+on\b)|published|updated|issued|reviewed)|dated?|publication date"
                    r"|date of publication)\b(?:\s+on)?\s*:?\s*", re.I)


def _is_date_stamp(line: str) -> bool:
    """A line that only dates the page: a date alone ("September 2021"), a stamp ("Posted on
    3 March 2023") or a field whose value is a date ("Inspection dates: 4 to 8 December 2023")."""
    line = line.strip()
    values = [_STAMP.sub("", line)] + ([line.split(":", 1)[1]] if _FIELD_LINE.match(line) else [])
    return any(re.search(rf"\d|\b{MONTH_RE}\b", v, re.I) and
               len(re.sub(r"[\W_]+", "", re.sub(r"\b(?:to|and|until)\b", "", _DATE_WORDS.sub("", v)))) < 3
               for v in values)


_DATE_LED = re.compile(rf"^\W*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_RE}\b)", re.I)


def _is_period(line: str) -> bool:
    """A date line that names a period, not a day: "April 2022 to March 2023", "2022-2023"."""
    months = re.findall(rf"\b{MONTH_RE}\b", line, re.I)
    return len(months) >= 2 or len(re.findall(r"\b(?:19|20)\d{2}\b", line)) >= 2 or bool(re.search(FY_PATTERN, line))


@dataclass(frozen=True)
class TitleRules:
    """The title data: report words, generic headings, link furniture and weights."""

    report: re.Pattern
    generic: re.Pattern
    link: re.Pattern
    weights: dict


@functools.cache
def title_rules() -> TitleRules:
    """The ``[title]`` table of the bundled rules, compiled once (its weights are the live table)."""
    t = read_rules(RULES_FILE)["title"]
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
    lines = 0  # the opening lines joined or passed over as said already: a title is at most three
    tr = title_rules()
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
        said = parts and t.casefold() in " ".join(parts).casefold()
        if not said:  # a name set twice (a cover's banner and its title) is said once
            parts.append(t)
        lines += 1
        if lines == 3 or (b.kind == HEADING and len(parts) > 1):
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
        rf"\b[Tt]he\s+({kinds}\s+(?:of|from)\s+the\s+(?:{cap}\s+){{1,6}}?{body}(?:\s+{FY_PATTERN})?)",
        rf"((?:{cap}\s+){{1,6}}?{body}(?:\s*\([A-Z]{{2,6}}\))?\s+{kinds}(?:\s+{FY_PATTERN})?)",
        rf"\b[Tt]his\s+((?:{cap}\s+){{1,5}}(?:Review|Report|Briefing|Audit|Plan|Strategy))\b",
    ]
    out = []
    for para in paragraphs:
        for n, rx in enumerate(patterns):
            for m in re.finditer(rx, para):
                out.append(trim_area(m.group(1), r.not_area) if n else m.group(1))
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
    # or after it ("…-are-published-1-8107368"), with a short number it follows
    if len(words) > 2 and re.fullmatch(r"\d{5,}", words[-1]):
        words = words[:-1]
        if re.fullmatch(r"\d{1,2}", words[-1]) and not re.fullmatch(r"(?:19|20)\d{2}", words[-2]):
            words = words[:-1]
    if len(words) < (2 if any_words else 3) or sum(w.isalpha() for w in words) < (2 if any_words else 1):
        return None
    abbrevs = {a.lower(): a for a in rules().abbreviations}
    text = " ".join(abbrevs.get(w.lower(), w.capitalize()) for w in words).replace("/", "-")
    return text if any_words or title_rules().report.search(text) else None


_JOINING = frozenset("a an the of to into is are in on for and by at with from its their".split())


def _word_key(text: str) -> list[str]:
    """A line's words as an address spells them: lower case, no punctuation, an apostrophe's
    "s" kept on its word ("baby's" and "babys" alike), the joining words an address often drops
    left out."""
    words: list[str] = []
    for w in re.findall(r"[a-z0-9]+", re.sub(r"[’'‘]", "", text.lower())):
        if w == "s" and words:
            words[-1] += "s"
        else:
            words.append(w)
    return [w for w in words if w not in _JOINING]


def _spelt_in_text(address_title: str, lines: list[str]) -> str | None:
    """The opening line an address's words restate, in the page's own spelling ("'We let
    them down' - children's …" for "/we-let-them-down-children-s-…"): the same words in the
    same order, joining words aside."""
    key = _word_key(address_title)
    if len(key) < 3:
        return None
    return next((line for line in lines if len(line) <= 200 and _word_key(line) == key), None)


def _opening(blocks: list[Block]) -> list[Block]:
    """The opening lines a title is read from: the first fourteen lines of text among the first
    forty blocks, furniture left out."""
    # a mirror's "Transcription" line, where a document's own text starts again, names nothing
    return [b for b in blocks[:40] if b.kind != BREAK and b.text.strip() and not is_furniture(b.text)
            and not rules().resume.match(b.text.strip())][:14]


def _clean(text: str) -> str:
    """A line as a title is written: one space between words, no link furniture ("PDF 205 KB"),
    empty brackets or edge dashes and bars, capitals set in title case."""
    t = title_rules().link.sub("", re.sub(r"\s+", " ", re.sub(r"\(\s*\)", "", text or ""))).strip(" -–—|")
    return t.title() if t.isupper() and len(t) > 6 else t


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
    tr = title_rules()
    w = tr.weights
    opening = _opening(blocks)
    cands: list[tuple[float, str]] = []
    shape: dict[int, float] = {}  # each opening line's score by layout and position alone

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
        t = _clean(b.text)
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
        before = _clean(opening[i - 1].text) if i else ""
        if before and tr.report.search(t) and not rules().publisher.search(t) and _is_body_name(before):
            # a body's name on its own line above the report's name: "<Body>" / "Annual Report 2022-23";
            # laid out as the better of its two lines, and read for all it says
            joined = f"{before} {t}"
            cands.append((max(shape.get(i - 1, shape[i]), shape[i]) + features(joined), joined))
    layout = _layout_title(opening)
    if layout:
        # the layout's choice: a heading already scored gains the bonus, joined lines are new
        t = _clean(layout)
        same = [i for i, c in enumerate(cands) if c[1] == t]
        if same:
            cands[same[0]] = (cands[same[0]][0] + w["layout"], t)
        else:
            cands.append((w["layout"] + features(t), t))
    paragraphs = [b.text for b in blocks[:60] if b.kind not in (HEADING, BREAK)][:20]
    for t in dict.fromkeys(_name_phrases(paragraphs)):
        cands.append((w["phrase"] + features(_clean(t)), _clean(t)))
    t = _address_title(url)
    if t:
        t = _spelt_in_text(t, [_clean(b.text) for b in opening]) or t
        cands.append((w["address"] + features(t), t))
    if meta_title:
        t = _clean(meta_title)
        if not re.match(r"^(?:microsoft (?:word|powerpoint)|untitled|document\d*$|slide \d)", t, re.I):
            cands.append((w["metadata"] + features(t), t))
    return sorted(cands, key=lambda c: -c[0])


def detect_title(blocks: list[Block], fallback: str, meta_title: str | None = None, url: str | None = None,
                 site_name: str | None = None) -> str:
    """The best-scored candidate title (see :func:`title_candidates`), else ``fallback``."""
    cands = title_candidates(blocks, meta_title, url, site_name)
    if cands and cands[0][0] >= title_rules().weights["minimum"]:
        return cands[0][1]
    # a page with no line that names it: its address's last words name it better than a file name,
    # in the page's own spelling when a line of its opening says the same words
    t = _address_title(url, any_words=True)
    return (_spelt_in_text(t, [_clean(b.text) for b in _opening(blocks)]) or t) if t else fallback
