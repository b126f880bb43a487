"""Extract items from sections: recommendations, learning, findings, priorities,
objectives (with a status), actions and risks.

Reports write items in a few recognisable ways, and each is a rule here:

- list entries (bullets or numbered lines) under a heading that names a kind
  ("Recommendations", "Next steps", "Priorities for 2022-2023", "Ambitions for 2025/26")
  or after a lead-in line that does ("These reviews have identified some key areas for
  consideration, learning and action…:", "The SCR identifies lessons in the following areas:");
- short paragraphs under such a heading when it has no list ("Focus for next year:");
- table rows whose last cell is a status (ACHIEVED, ONGOING, Complete…): objectives;
- risk-register rows: an id, a description and a numeric score.

The cue words are data (:data:`CUES`), tried in order; the first that matches wins.
"""
from __future__ import annotations

import re

from ingest.blocks import LIST_ITEM, PARAGRAPH, TABLE_ROW
from ingest.metadata import is_furniture
from search.vocab.kinds import ITEM_KINDS as KINDS  # noqa: F401  (the kinds items are found as)

# (kind, pattern over a heading or lead-in line), most specific first
CUES: list[tuple[str, str]] = [
    ("recommendation", r"\brecommendations?\b|\bwe recommend\b|\bshould consider\b|\bwhat needs to change\b"
                       r"|\bwhat (?:should|can|must) (?:practitioners|professionals|you|we|agencies|partners) do\b"),
    ("risk", r"\brisk register\b|\bcurrent risks\b|\brisks?\s*:"),
    ("objective", r"\bobjectives?\b|\bprogress against\b"),
    ("learning", r"\blearning\b|\blessons?\b|\bkey areas for consideration\b|\bareas? for (?:improvement|development)\b"
                 r"|\bwhat we learned\b|\bareas? of development\b"),
    ("action", r"\bnext steps\b|\bactions?\b(?! plan for)|\baction plan\b|\bwe will\b|\bwill continue to\b"
               r"|\bplanned (?:work|activity|activities)\b|\baction log\b"),
    ("priority", r"\bpriorit(?:y|ies)\b|\bambitions?\b|\bfocus for (?:next|the coming) year\b|\bfuture activity\b"
                 r"|\bfuture (?:work|developments?)\b|\bplans? for (?:next year|20\d\d)\b|\bkey aims\b"
                 r"|\bareas? of focus\b"),
    ("finding", r"\bfindings?\b|\bemerging themes\b|\bissues (?:identified|raised)\b|\bthe (?:review|scr|audit) found\b"
                r"|^issues$|^impact of (?:the )?\w+ (?:activity|work)$|\bwhat [\w ]{0,30}\bfound\b|\bwhat did [\w ]{0,30}\bfind\b"),
]
_CUE_RX = [(k, re.compile(p, re.I)) for k, p in CUES]

STATUS_MAP = {
    "achieved and ongoing": "achieved-ongoing",
    "achieved & ongoing": "achieved-ongoing",
    "partially achieved": "partly-achieved",
    "partly achieved": "partly-achieved",
    "achieved": "achieved",
    "complete": "achieved",
    "completed": "achieved",
    "met": "achieved",
    "ongoing": "ongoing",
    "in progress": "ongoing",
    "on track": "on-track",
    "red": "red",
    "amber": "amber",
    "green": "green",
    "delayed": "delayed",
    "not started": "not-started",
    "not achieved": "not-achieved",
    "not met": "not-achieved",
    "closed": "achieved",
    "open": "ongoing",
}
_STATUS_RX = re.compile(r"^\s*(" + "|".join(sorted(map(re.escape, STATUS_MAP), key=len, reverse=True)) + r")\s*\.?\s*$", re.I)
_RISK_ID = re.compile(r"^(?:[A-Z]{1,6}[- ]?)?\d{1,5}[a-z]?$")
_SCORE = re.compile(r"^\d{1,2}$")
_LEAD_IN = re.compile(r":\s*$")
_FIELD = re.compile(r"^[A-Z][\w /&()-]{0,30}:\s")  # "Lead Officer: …", a form field, not an item
MIN_WORDS = 4
_QUOTES = ("“", '"', "‘", "'")  # quoted feedback is not an item
MAX_PARAGRAPH_WORDS = 80


def normalise_status(text: str | None) -> str | None:
    """``ACHIEVED AND ONGOING`` -> ``achieved-ongoing``, ``Complete`` -> ``achieved``; None if not a status."""
    if not text:
        return None
    m = _STATUS_RX.match(text)
    return STATUS_MAP[m.group(1).lower()] if m else None


def cue_kind(text: str) -> str | None:
    """The item kind a heading or lead-in names, or None."""
    for kind, rx in _CUE_RX:
        if rx.search(text):
            return kind
    return None


def _words(text: str) -> int:
    return len(text.split())


def _is_label(text: str) -> bool:
    """A short unpunctuated line such as "Next steps" that labels the list after it."""
    return _words(text) <= 6 and not re.search(r"[.!?;,]\s*$", text)


def _strip_number(text: str) -> str:
    return re.sub(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[a-z]\)|\(?[ivx]{1,4}\))\s+", "", text)


# "Recommendation 1: …", "Finding 2 …", "Learning point 3 -", "ACTION: …": a labelled paragraph
_LABELLED = re.compile(
    r"^\s*(?P<label>recommendations?|findings?|learning points?|lessons? learn(?:ed|t)|lessons?|key learning|"
    r"actions?(?: points?)?|priorit(?:y|ies)|objectives?)"
    r"(?:\s+(?:no\.?\s*)?(?P<num>\d{1,2}[a-z]?|[ivx]{1,4}|[A-Z]))?\s*(?:[:.)–—-]\s*|\s+(?=(?-i:[A-Z])))(?P<text>\S.*)$",
    re.I | re.S)
_LABEL_KIND = {"recommendation": "recommendation", "finding": "finding", "learning": "learning", "lesson": "learning",
               "key": "learning", "action": "action", "priorit": "priority", "objective": "objective"}
# "The Partnership had three priorities for 2019-2022: neglect; exploitation; and …",
# "Recommendations include: a; b; c"
_INLINE_LIST = re.compile(r"^(?P<lead>[^:;]{3,160}):\s+(?P<rest>[^:]+)$", re.S)
# An introduction, scope or signposting sentence is never an item
_INTRO = re.compile(
    r"^(?:the\s+)?(?:table|chart|list|figure|graph|diagram)s?\s+below\b|\bbelow\s+(?:shows?|sets? out|lists?|summari[sz]es?)\b"
    r"|^this\s+(?:section|report|briefing|page|summary|document|table|chapter|paper)\s+(?:sets|is|was|describes|summari[sz]es|"
    r"gives|provides|covers|looks|outlines|shows)\b|^the following\b|\bis based on\b|^(?:published|updated|date)\b",
    re.I)
_NAME_LINE = re.compile(r"^(?:NHS\s+)?(?:[A-Z][\w'’&-]*\s*|&\s*|and\s+|of\s+)+$")  # "Kingsmere Safeguarding Children Partnership"
_SHORT_BULLET = re.compile(r"^[A-Z][\w'’ ,&/()-]{1,60}$")  # "Neglect", "Early Help"


def _label_kind(label: str) -> str:
    low = label.lower()
    return next(kind for prefix, kind in _LABEL_KIND.items() if low.startswith(prefix))


def labelled(text: str) -> tuple[str, str] | None:
    """``(kind, text)`` of a paragraph that names its kind ("Recommendation 1: The Board should…")."""
    m = _LABELLED.match(text)
    if not m or _words(m.group("text")) < MIN_WORDS:
        return None
    kind = _label_kind(m.group("label"))
    if kind in ("priority", "objective") and not re.match(r"^[^:]{0,30}:", text):
        return None  # "Priority 2) Children are safeguarded…" names a part of the report, not an item
    return kind, m.group("text").strip()


def _bullets(text: str) -> list[str]:
    """The points of a cell or paragraph that runs several bullets together ("• a; • b")."""
    parts = [p.strip(" ;") for p in re.split(r"\s*[•·▪]\s*", text)]
    parts = [p for p in parts if _words(p) >= 2]
    return parts if len(parts) >= 2 else [text.lstrip("•·▪ ")]


def inline_list(text: str) -> tuple[str, list[str]] | None:
    """``(kind, entries)`` of a sentence listing items after a lead-in naming their kind."""
    m = _INLINE_LIST.match(text.strip())
    if not m:
        return None
    kind = cue_kind(m.group("lead"))
    if not kind:
        return None
    rest = m.group("rest").strip().rstrip(".")
    parts = [p.strip() for p in re.split(r"\s*[;•·▪]\s*", rest)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        parts = [p.strip() for p in re.split(r",\s*|\s+and\s+(?=[^,]*$)", rest)]
        if len(parts) < 3 or any(_words(p) > 6 for p in parts):
            return None
    parts = [re.sub(r"^(?:and|or)\s+", "", p).strip() for p in parts]
    parts = [p for p in parts if p]
    return (kind, parts) if len(parts) >= 2 else None


def _not_an_item(text: str, bullet: bool = False) -> bool:
    """Furniture, an introduction or scope sentence, a quote, or (outside a list) a name line."""
    return (is_furniture(text) or bool(_INTRO.search(text)) or text.startswith(_QUOTES)
            or (not bullet and bool(_NAME_LINE.match(text) and not re.search(r"[.!?]$", text))))


def _title_like(section: dict) -> bool:
    """The section under the document's own title: its cue words describe the whole document."""
    heading = section.get("heading") or ""
    return section.get("ordinal") == 0 and section.get("level") in (1, None) and (
        ":" in heading or _words(heading) >= 5)


def extract_section_items(section: dict) -> list[dict]:
    """Items of one section record (needs its ``lines``), in reading order, without ids."""
    # only the section's own heading: "Impact" under "Progress against priorities"
    # reports achievements, not objectives
    heading_kind = None if _title_like(section) else cue_kind(section.get("heading") or "")
    lines = section.get("lines") or []
    items: list[dict] = []
    lead_kind = None
    table_kind = None  # what a table's header row names ("Action | Owner | RAG")
    header_cells = 0
    has_list = any(k == LIST_ITEM for k, *_ in lines)
    for kind, text, page, cells in lines:
        if kind == TABLE_ROW:
            item = _row_item(cells, table_kind or heading_kind, page)
            if item:
                items.append(item)
            elif _is_header(cells) and not table_kind:
                table_kind = next((k for k in map(cue_kind, cells) if k in _ROW_KINDS), None)
                header_cells = len([c for c in cells if c])
            elif table_kind and _plain_row(cells, header_cells):
                # "No. | Action | Lead | Due date": a row of a table whose header names the kind
                text = "; ".join(c for n, c in enumerate(cells) if c and not (n == 0 and _RISK_ID.match(c)))
                items.append({"kind": table_kind, "text": text, "page": page, "cells": cells})
            continue
        table_kind = None
        if kind in (PARAGRAPH, LIST_ITEM):
            found = labelled(text)
            if found:
                items += [{"kind": found[0], "text": t, "page": page} for t in _bullets(found[1])]
                continue
        if kind == PARAGRAPH:
            found = inline_list(text)
            if found:
                items += [{"kind": found[0], "text": t, "page": page} for t in found[1]]
                lead_kind = None
                continue
        if kind == PARAGRAPH and (_LEAD_IN.search(text) or _is_label(text)):
            lead_kind = cue_kind(text)
            if lead_kind or _LEAD_IN.search(text):
                continue
        current = lead_kind or heading_kind
        if kind == LIST_ITEM:
            if current and not _not_an_item(text, bullet=True) and (
                    _words(text) >= MIN_WORDS or (current == "priority" and _SHORT_BULLET.match(text))):
                items.append({"kind": current, "text": _strip_number(text), "page": page})
            continue
        lead_kind = None
        if kind == PARAGRAPH and heading_kind and not has_list:
            if (MIN_WORDS <= _words(text) <= MAX_PARAGRAPH_WORDS and not _not_an_item(text)
                    and not _FIELD.match(text)):
                items.append({"kind": heading_kind, "text": _strip_number(text), "page": page})
    return items


_ROW_KINDS = ("recommendation", "action", "priority", "objective", "finding", "learning")


_DATA_CELL = re.compile(r"^\W*$|^[A-Z]$|^[\d.,%£$-]+$")  # a number, a symbol, a one-letter rating


def _plain_row(cells: list[str], header_cells: int) -> bool:
    """A row of words under a header naming a kind: as many cells, none a number or a symbol."""
    cells = [c for c in cells if c]
    if len(cells) != header_cells or any(_DATA_CELL.match(c) for c in cells[1:]):
        return False
    main = cells[1] if _RISK_ID.match(cells[0]) and len(cells) > 1 else cells[0]
    return MIN_WORDS <= _words(main) <= MAX_PARAGRAPH_WORDS


def _is_header(cells: list[str]) -> bool:
    """A table's header row: short labels ("Action", "Owner", "RAG"), no status."""
    cells = [c for c in cells if c]
    return len(cells) >= 2 and all(_words(c) <= 3 for c in cells)


def _row_item(cells: list[str], heading_kind: str | None, page) -> dict | None:
    cells = [c for c in cells if c]
    if len(cells) < 2:
        return None
    status = normalise_status(cells[-1])
    if status:
        text = "; ".join(cells[:-1])
        if _words(text) < MIN_WORDS:
            return None
        kind = heading_kind if heading_kind in _ROW_KINDS[:3] else "objective"
        return {"kind": kind, "text": text, "status": status, "page": page, "cells": cells}
    if len(cells) >= 3 and _RISK_ID.match(cells[0]) and _SCORE.match(cells[-1]) and _words(cells[1]) >= MIN_WORDS:
        return {"kind": "risk", "text": "; ".join(cells[1:-1]), "ref": cells[0], "risk_score": int(cells[-1]),
                "page": page, "cells": cells}
    return None


def extract_items(parsed) -> list[dict]:
    """Every item of a parsed document, with ids, section, document and year filled in."""
    out: list[dict] = []
    for s in parsed.sections:
        for n, item in enumerate(extract_section_items(s), start=1):
            item.update(
                item_id=f"{s['section_id']}.{n}",
                section_id=s["section_id"],
                doc_id=s["doc_id"],
                year=s["year"],
                year_start=s["year_start"],
                ordinal=s["ordinal"] * 1000 + n,
                number=s["number"],
                heading=s["heading"],
            )
            item.setdefault("status", None)
            out.append(item)
    return out
