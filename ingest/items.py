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

KINDS = ("recommendation", "learning", "finding", "priority", "objective", "action", "risk")

# (kind, pattern over a heading or lead-in line), most specific first
CUES: list[tuple[str, str]] = [
    ("recommendation", r"\brecommendations?\b|\bwe recommend\b|\bshould consider\b"),
    ("risk", r"\brisk register\b|\bcurrent risks\b|\brisks?\s*:"),
    ("objective", r"\bobjectives?\b|\bprogress against\b"),
    ("learning", r"\blearning\b|\blessons?\b|\bkey areas for consideration\b|\bareas? for (?:improvement|development)\b"
                 r"|\bwhat we learned\b"),
    ("action", r"\bnext steps\b|\bactions?\b(?! plan for)|\baction plan\b|\bwe will\b|\bwill continue to\b"),
    ("priority", r"\bpriorit(?:y|ies)\b|\bambitions?\b|\bfocus for (?:next|the coming) year\b|\bfuture activity\b"
                 r"|\bfuture (?:work|developments?)\b|\bplans? for (?:next year|20\d\d)\b|\bkey aims\b"),
    ("finding", r"\bfindings?\b|\bemerging themes\b|\bissues (?:identified|raised)\b|\bthe (?:review|scr|audit) found\b"
                r"|^issues$|^impact of (?:the )?\w+ (?:activity|work)$"),
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
    "on track": "ongoing",
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


def extract_section_items(section: dict) -> list[dict]:
    """Items of one section record (needs its ``lines``), in reading order, without ids."""
    # only the section's own heading: "Impact" under "Progress against priorities"
    # reports achievements, not objectives
    heading_kind = cue_kind(section.get("heading") or "")
    lines = section.get("lines") or []
    items: list[dict] = []
    lead_kind = None
    has_list = any(k == LIST_ITEM for k, *_ in lines)
    for kind, text, page, cells in lines:
        if kind == TABLE_ROW:
            item = _row_item(cells, heading_kind, page)
            if item:
                items.append(item)
            continue
        if kind == PARAGRAPH and (_LEAD_IN.search(text) or _is_label(text)):
            lead_kind = cue_kind(text)
            if lead_kind or _LEAD_IN.search(text):
                continue
        current = lead_kind or heading_kind
        if kind == LIST_ITEM:
            if current and _words(text) >= MIN_WORDS and not text.startswith(_QUOTES):
                items.append({"kind": current, "text": _strip_number(text), "page": page})
            continue
        lead_kind = None
        if kind == PARAGRAPH and heading_kind and not has_list:
            if (MIN_WORDS <= _words(text) <= MAX_PARAGRAPH_WORDS and not text.startswith(_QUOTES)
                    and not _FIELD.match(text)):
                items.append({"kind": heading_kind, "text": _strip_number(text), "page": page})
    return items


def _row_item(cells: list[str], heading_kind: str | None, page) -> dict | None:
    cells = [c for c in cells if c]
    if len(cells) < 2:
        return None
    status = normalise_status(cells[-1])
    if status:
        text = "; ".join(cells[:-1])
        if _words(text) < MIN_WORDS:
            return None
        kind = heading_kind if heading_kind in ("priority", "action", "recommendation") else "objective"
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
