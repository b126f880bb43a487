"""Extract items from sections: recommendations, learning, findings, priorities,
objectives (with a status), actions and risks.

Items come two ways:

- a few forms say what they are and are taken as they stand: table rows whose last cell is
  a status (ACHIEVED, ONGOING, Complete…: objectives), risk-register rows (an id, a
  description and a numeric score), rows of a table whose header names a kind ("Action |
  Owner | RAG"), labelled paragraphs ("Recommendation 1: …") and inline lists after a
  lead-in naming a kind ("The Partnership had three priorities: a; b; c");
- everything else is a candidate (every bullet, numbered point, other table row and sentence
  of a paragraph), scored by the fitted model of :mod:`ingest.candidates` from its signals,
  which also give its kind.
"""
from __future__ import annotations

import re

from ingest.blocks import LIST_ITEM, TABLE_ROW
from ingest.candidates import (
    Candidate,
    addressed,
    carries_on,
    cue_kind,
    cues,
    gate_signals,
    list_lead_kind,
    model,
    points_back,
    signals,
    split_sentences,
)
from ingest.metadata import is_furniture
from search.vocab.kinds import ITEM_KINDS as KINDS

__all__ = ["KINDS", "cue_kind", "document_candidates", "extract_items", "extract_section_items", "inline_list",
           "inline_points", "labelled", "normalise_status", "section_candidates"]

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
MIN_WORDS = 4
MAX_PARAGRAPH_WORDS = 80
# A heading of up to this many words can label a kind ("Next steps", "What needs to change");
# a longer one that names a kind is a headline, and its paragraphs are read sentence by sentence.
LABEL_WORDS = 7
BARE_LINE_WORDS = 25
LABEL_LEAD_WORDS = 5  # a lead-in of up to this many words is a label ("Child and family centred approach:")
OPENING_WORDS = 4  # the words of a paragraph's opening that may name its kind
LABEL_GAP = 5  # how many words longer the paragraph after a plain-text subheading is
# A paragraph alone under a heading naming a kind ("Focus for next year:") is the point the
# heading announces unless its signals speak against it: it is kept at a lower score.
PARAGRAPH_BAR = 0.3


def normalise_status(text: str | None) -> str | None:
    """``ACHIEVED AND ONGOING`` -> ``achieved-ongoing``, ``Complete`` -> ``achieved``; None if not a status."""
    if not text:
        return None
    m = _STATUS_RX.match(text)
    return STATUS_MAP[m.group(1).lower()] if m else None


def _words(text: str) -> int:
    return len(text.split())


def _bare_line(text: str, lines: list, n: int) -> bool:
    """A short one-sentence paragraph that the next line continues in kind: one entry of a
    run of points written one to a line with no list marker."""
    if _words(text) > BARE_LINE_WORDS or len(split_sentences(text)) > 1 or _LEAD_IN.search(text):
        return False
    nxt = lines[n + 1] if n + 1 < len(lines) else None
    prev = lines[n - 1] if n > 0 else None
    def short(line) -> bool:  # another point of the run: a short line that introduces nothing
        return (bool(line) and line[0] not in (LIST_ITEM, TABLE_ROW) and _words(line[1]) <= BARE_LINE_WORDS
                and not _LEAD_IN.search(line[1]))
    return short(nxt) or short(prev)


def _labels_next(text: str, lines: list, n: int) -> bool:
    """A short unpunctuated line before a longer paragraph ("Voice of the child" above what the
    partnership aims for there): a subheading written as plain text."""
    nxt = lines[n + 1] if n + 1 < len(lines) else None
    return (_is_label(text) and nxt is not None and nxt[0] != TABLE_ROW
            and _words(nxt[1]) >= _words(text) + LABEL_GAP)


def _is_label(text: str) -> bool:
    """A short unpunctuated line such as "Next steps" that labels the list after it."""
    return _words(text) <= 6 and not re.search(r"[.!?;,]\s*$", text)


def _strip_number(text: str) -> str:
    """The item without its number: "3.", "b)", "(iv)", or a code such as "R1:" or "LP 2 –"."""
    return re.sub(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[a-z]\)|\(?[ivx]{1,4}\)|(?-i:[A-Z]{1,3})\s?\d{1,2}[a-z]?\s*[:.)–—-])\s+",
                  "", text)


# "Recommendation 1: …", "Finding 2 …", "Learning point 3 -", "ACTION: …": a labelled paragraph
_LABELLED = re.compile(
    r"^\s*(?P<label>recommendations?|findings?|learning points?|lessons? learn(?:ed|t)|lessons?|key learning|"
    r"actions?(?: points?)?|priorit(?:y|ies)|objectives?)"
    r"(?:\s+(?:no\.?\s*)?(?P<num>\d{1,2}[a-z]?|[ivx]{1,4}|[A-Z]))?\s*(?:[:.)–—-]\s*|\s+(?=(?-i:[A-Z])))(?P<text>\S.*)$",
    re.I | re.S)
_LABEL_KIND = {"recommendation": "recommendation", "finding": "finding", "learning": "learning", "lesson": "learning",
               "key": "learning", "action": "action", "priorit": "priority", "objective": "objective"}
# "Our three priorities for 2021-24 were: neglect; exploitation; and …",
# "Recommendations include: a; b; c"
_INLINE_LIST = re.compile(r"^(?P<lead>[^:;]{3,160}):\s+(?P<rest>[^:]+)$", re.S)
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


def _labelled_points(text: str, rest: str) -> list[str]:
    """The points of a labelled paragraph: its bullets, or, when its label carries no number
    ("Key learning: a; b; and c", not "Recommendation 2: …"), the points between its semicolons."""
    parts = _bullets(rest)
    if len(parts) > 1 or _LABELLED.match(text).group("num"):
        return parts
    points = _points(re.split(r"\s*;\s*", re.sub(r"^include[sd]?:\s*", "", rest, flags=re.I)))
    return points if len(points) >= 2 and all(_words(p) >= 2 for p in points) else parts


def inline_list(text: str) -> tuple[str, list[str]] | None:
    """``(kind, entries)`` of a sentence listing items after a lead-in naming their kind."""
    m = _INLINE_LIST.match(text.strip())
    if not m:
        return None
    kind = cue_kind(m.group("lead"))
    if kind not in KINDS:
        return None
    rest = m.group("rest").strip().rstrip(".")
    if len(split_sentences(rest)) > 1:
        return None  # a sentence runs on after the list: not a list of items
    parts = [p.strip() for p in re.split(r"\s*[;•·▪]\s*", rest)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        parts = [p.strip() for p in re.split(r",\s*|\s+and\s+(?=[^,]*$)", rest)]
        if len(parts) < 3 or any(_words(p) > 6 for p in parts):
            return None
    parts = [re.sub(r"^(?:and|or)\s+", "", p).strip() for p in parts]
    parts = [p for p in parts if p]
    return (kind, parts) if len(parts) >= 2 else None


# "Practice issues: a; b; and c", "Key issues: include: a; b" (a label, then its verb)
_POINTS_LEAD = re.compile(r"^(?P<lead>[^:;]{3,160}(?::\s*include[sd]?)?):\s+(?P<rest>[^:]+)$", re.S | re.I)
# "Findings include that X, and that Y", "Among its findings are that X and that Y": points led by "that"
# ("…found that X and that Y" reports one finding, read as a sentence)
_THAT_LIST = re.compile(r"^(?P<lead>[^:;]{3,160}?\b(?:includes?|included|are|were))\s+that\s+(?P<rest>.+)$", re.S | re.I)
_THAT_SPLIT = re.compile(r"(?:\s*[;,]\s*(?:and\s+)?|\s+and\s+)that\s+", re.I)


def _points(parts: list[str]) -> list[str]:
    parts = [re.sub(r"^(?:and|or)\s+", "", p.strip(), flags=re.I).strip().rstrip(".").strip() for p in parts]
    return [p for p in parts if p]


def inline_points(sentence: str) -> tuple[str, list[str]] | None:
    """``(kind, points)`` of one sentence that lists two or more points after a lead-in naming or
    implying their kind: "Practice issues: a; b; and c." (points at its semicolons) or
    "Recommendations include that X should …, and that Y …" (points at each "that")."""
    text = sentence.strip()
    m = _POINTS_LEAD.match(text)
    if m:
        points = _points(re.split(r"\s*[;•·▪]\s*", m.group("rest")))
    else:
        m = _THAT_LIST.match(text)
        if not m:
            return None
        points = _points(_THAT_SPLIT.split(m.group("rest")))
    kind = list_lead_kind(m.group("lead").strip())
    if kind not in KINDS or len(points) < 2:
        return None
    return kind, points


PLAIN_POINTS = 3  # a colon lead-in naming no kind lists points when it has this many clauses or more
TOPIC_WORDS = 7   # a list whose every entry is this short names topics ("The learning covered: …")
_TOPIC_KINDS = ("priority", "objective")  # short names are what such lists hold


def _plain_points(sentence: str) -> list[str] | None:
    """The clauses of a sentence listing three or more points at its semicolons after a colon
    lead-in that names no kind and is not addressed to the reader ("The panel noted: staff changed
    often; plans were reviewed late; …"): entries of a list, as bullets after a plain
    lead-in are, for the scorer to judge. None if it is no such sentence."""
    m = _POINTS_LEAD.match(sentence.strip())
    if not m or list_lead_kind(m.group("lead").strip()) or addressed(m.group("lead")):
        return None
    points = _points(re.split(r"\s*[;•·▪]\s*", m.group("rest")))
    if len(points) < PLAIN_POINTS or any(_words(p) < MIN_WORDS for p in points):
        return None
    return points


def _topics(kind: str, points: list[str]) -> bool:
    """Whether a list names topics rather than makes points: every entry a short name (no verb,
    no instruction), under a kind other than a priority or an objective ("The learning covered: delay
    in acting; working with fathers; …"; not "Recommendations: refresh training; repeat the audit")."""
    if kind in _TOPIC_KINDS:
        return False
    instruction = cues().cues["imperative_open"]
    return all(_words(p) <= TOPIC_WORDS and not _FINITE.search(p) and not instruction.search(p.lower())
               for p in points)


def _listed(sentence: str) -> tuple[str | None, list[str]] | None:
    """``(kind or None, points)`` of a sentence that lists points: after a lead-in naming or implying
    their kind (:func:`inline_points`), or after a plain colon lead-in (kind None). A list of short
    names under a kind other than a priority or an objective ("The learning covered: delay in acting;
    …") names topics, not points (:func:`_topics`): None, and the sentence is read whole."""
    found = inline_points(sentence)
    if found:
        return None if _topics(*found) else found
    points = _plain_points(sentence)
    return (None, points) if points else None


def _title_like(section: dict) -> bool:
    """The section under the document's own title: its cue words describe the whole document."""
    heading = section.get("heading") or ""
    return section.get("ordinal") == 0 and section.get("level") in (1, None) and (
        ":" in heading or _words(heading) >= 5)


def lead_kind(text: str) -> str | None:
    """The kind a lead-in names for the list after it: the one its last clause names
    ("…under the priorities for the year, we also planned some work:" introduces work); in a
    paragraph that ends with its lead-in, the last sentence's, else the sentences' before it
    ("The report sets out the areas of focus. These include:")."""
    sentences = split_sentences(text.strip()) or [text.strip()]
    for sentence in (sentences[-1], " ".join(sentences[:-1])):
        clauses = [c for c in re.split(r"[,;]\s+", sentence) if c.strip()]
        if clauses and cue_kind(clauses[-1]):
            return cue_kind(clauses[-1])
    return None


_MODAL_LEAD = re.compile(r"\b(?:should|must|need to|needs to|have to|has to|(?:are|is) expected to|be able to|ought to)"
                         r"(?: \w+){0,2}\s*:\s*$", re.I)
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|can|could|may|might|did|does|do)\b", re.I)


def _lead(text: str) -> dict:
    """What a lead-in line says of the points after it: the kind it names, or that it is a
    short label, a modal ("Practitioners should:", their entries are what should be done) or
    a plain sentence ("Members of the Board include:", a list of anything)."""
    kind_named = lead_kind(text)
    modal = not kind_named and bool(_MODAL_LEAD.search(text))
    label = _words(text) <= LABEL_LEAD_WORDS and not kind_named and not modal and not _FINITE.search(text)
    return {"lead": kind_named, "lead_plain": not (kind_named or label or modal), "lead_label": label,
            "lead_modal": modal, "open": True}


def _runin(sentences: list[str]) -> bool:
    """A paragraph led by a short phrase that names its point ("Hear the child. Visits were
    made but the child was not spoken to alone …"): the whole paragraph is one candidate."""
    return (len(sentences) >= 2 and _words(sentences[0]) <= 6 and not _FINITE.search(sentences[0])
            and not sentences[0].endswith("?"))  # "So what should change? …" asks, the sentences after answer


def section_candidates(section: dict) -> tuple[list[tuple[tuple[int, int], dict]], list[Candidate]]:
    """The items of a section that say what they are (with their place in reading order),
    and every other candidate, with its signals."""
    title_like = _title_like(section)
    heading = section.get("heading") or ""
    base = {"heading": None if title_like else cue_kind(heading),
            "title": cue_kind(heading) if title_like else None,
            "above": next((k for k in map(cue_kind, reversed((section.get("heading_path") or [])[:-1])) if k), None)}
    if (not base["heading"] and not title_like and base["above"] in KINDS and heading.rstrip().endswith(":")
            and _words(heading) <= LABEL_LEAD_WORDS):
        # "Early help:" under "Key learning": a label grouping the points of the heading above
        base["heading"] = base["above"]
    base["heading_nav"] = bool(cues().headings["nav"].search(heading.lower()))
    lines = section.get("lines") or []
    base["has_list"] = any(k == LIST_ITEM for k, *_ in lines)
    fixed: list[tuple[tuple[int, int], dict]] = []
    cands: list[Candidate] = []
    # a heading that is a sentence ending with a colon ("After a review, agencies should:") is
    # the lead-in of what follows it, read as a lead-in line is
    lead: dict = _lead(heading) if _LEAD_IN.search(heading) and not base["heading"] and not title_like else {}
    if lead.get("lead_label"):
        lead = {}  # a short label ("Early help:") is a heading like any other
    run = bool(lead)  # the lines after a lead-in ending with a colon may be a list without markers
    table_kind = None  # what a table's header row names ("Action | Owner | RAG")
    header_cells = 0
    for n, (kind, text, page, cells) in enumerate(lines):
        nxt = lines[n + 1][0] if n + 1 < len(lines) else None
        if kind == TABLE_ROW:
            item = _row_item(cells, table_kind or base["heading"], page)
            if item:
                fixed.append(((n, 0), item))
            elif _is_header(cells) and not table_kind:
                table_kind = next((k for k in map(cue_kind, cells) if k in _ROW_KINDS), None)
                header_cells = len([c for c in cells if c])
                cands.append(Candidate(text, "row", page, n, context={**base, "header_row": True}, cells=cells))
            elif table_kind and _plain_row(cells, header_cells):
                # "No. | Action | Lead | Due date": a row of a table whose header names the kind
                joined = "; ".join(c for i, c in enumerate(cells) if c and not (i == 0 and _RISK_ID.match(c)))
                fixed.append(((n, 0), {"kind": table_kind, "text": joined, "page": page, "cells": cells}))
            else:
                cands.append(Candidate("; ".join(c for c in cells if c) or text, "row", page, n,
                                       context={**base, **lead}, cells=cells))
            continue
        table_kind = None
        found = labelled(text)
        if found:
            fixed += [((n, i), {"kind": found[0], "text": t, "page": page})
                      for i, t in enumerate(_labelled_points(text, found[1]))]
            continue
        if kind == LIST_ITEM:
            cands.append(Candidate(text, "list", page, n, context={**base, **lead, "after_lead": bool(lead),
                                                                   "furniture": is_furniture(text)}))
            continue
        numbered = bool(_NUMBERED.match(text))
        found = inline_list(text)
        if found and not _topics(*found):
            fixed += [((n, i), {"kind": found[0], "text": t, "page": page}) for i, t in enumerate(found[1])]
            lead = {}
            continue
        if _LEAD_IN.search(text) or (_is_label(text) and cue_kind(text)):
            lead = _lead(text)
            run = bool(_LEAD_IN.search(text))
            continue
        if run and lead and _bare_line(text, lines, n):
            # a run of short one-line points after a lead-in: a list whose markers were lost
            cands.append(Candidate(text, "line", page, n, context={**base, **lead, "after_lead": True,
                                                                   "furniture": is_furniture(text)}))
            continue
        run = False
        ctx = {**base, **(lead if numbered or lead.get("open") else {}), "furniture": is_furniture(text),
               "numbered": numbered, "after_lead": bool(lead) and (numbered or bool(lead.get("open"))),
               "labels_next": _labels_next(text, lines, n)}
        lead = {**lead, "open": False} if numbered and lead else {}
        sentences = split_sentences(text)
        listed = [_listed(t) for t in sentences]
        if any(listed):
            # a sentence listing points after a lead-in gives one candidate a point, read as the
            # entries of a list after that lead-in would be, and none for the whole sentence
            for i, (t, found) in enumerate(zip(sentences, listed)):
                if found:
                    entry = {**base, "lead": found[0], "lead_plain": not found[0], "lead_label": False,
                             "lead_modal": False, "after_lead": True, "furniture": False}
                    cands += [Candidate(point, "list", page, n, i, len(sentences), context=entry) for point in found[1]]
                else:
                    cands.append(Candidate(t, "sentence", page, n, i, len(sentences), context=ctx))
        elif (base["heading"] and not base["has_list"] and _words(text) <= MAX_PARAGRAPH_WORDS
                and _words(heading) <= LABEL_WORDS):
            # under a heading naming a kind, with no list, a paragraph is one point
            cands.append(Candidate(text, "para", page, n, 0, 1, context=ctx))
        elif _runin(sentences):
            cands.append(Candidate(text, "sentence", page, n, 0, 1, context={**ctx, "runin": True}))
        else:
            cands += [Candidate(t, "sentence", page, n, i, len(sentences), context=ctx)
                      for i, t in enumerate(sentences)]
        if nxt == LIST_ITEM and sentences:
            # a sentence introducing the list after it without a colon ("Two types have been identified.")
            lead = {"prose": lead_kind(sentences[-1]) or "none"}
            cands[-1].context = {**cands[-1].context, "leads_list": True}
    for c in cands:
        c.features = signals(c)
    _paragraph_signals(cands)
    return fixed, cands


_SHARED = ("legal", "procedural", "narration", "nav", "quote_open", "self_ref")


def _paragraph_signals(cands: list[Candidate]) -> None:
    """What the other sentences of a paragraph say about it (a statutory quote, minutes,
    a case history or links around a sentence colour it)."""
    by_block: dict[int, list[Candidate]] = {}
    for c in cands:
        if c.form == "sentence":
            by_block.setdefault(c.block, []).append(c)
    for group in by_block.values():
        for c in group:
            for other in group:
                if other is not c:
                    for name in _SHARED:
                        if name in other.features:
                            c.features[f"para_{name}"] = 1.0


_NOT_CARRIED = ("nav", "date", "procedural", "stat", "self_ref", "narration", "legal", "question", "intro",
                "quote_open", "furniture")


def _named_kind(c: Candidate) -> str | None:
    """The kind a list's lead-in (with a colon, or a sentence just before it), else its section's
    heading, names for its entries (numbered points after a lead-in are a list too), or a
    heading for the paragraphs of a section without a list: a reader takes an entry of a list
    under "Next steps" as an action whatever its wording."""
    ctx = c.context
    if c.form in ("list", "line", "row") or ctx.get("numbered"):
        named = [ctx.get("lead"), ctx.get("prose"), ctx.get("heading")]
    else:
        # a paragraph that opens by naming its kind ("Learning from this review highlights …")
        # is that kind under any heading
        opening = " ".join(c.text.split()[:OPENING_WORDS])
        named = [cue_kind(opening), ctx.get("heading")] if c.form == "para" else [None]
    return next((k for k in named if k in KINDS), None)


def _carries_on(c: Candidate) -> bool:
    """A sentence that is no item itself but says more about the item sentence before it."""
    if any(name in c.features for name in _NOT_CARRIED):
        return False
    return carries_on(c.text) or (c.sentence == c.sentences - 1 and _words(c.text) >= 6)


_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]?\s+\S")


# wording that marks a candidate as a finding, a recommendation, learning or a plan
_ITEM_CUES = ("modal", "important", "ensure", "finding_verb", "reported", "there_was", "shortfall", "recommend_word",
              "we_will", "imperative_open", "sometimes")
# wording of the pages that hold none: figures, dates, people, committee procedure, case history, links
_DATA_CUES = ("stat", "date", "role", "procedural", "narration", "nav", "behalf", "legal", "date_open")
_OPENINGS = ("imperative_open", "gerund_open", "to_open", "we_open", "quote_open")
# a share of a document's candidates, in thirds: how much of it is worded as items, or as data
LOW_SHARE, HIGH_SHARE = 0.25, 0.5
PART_CANDIDATES = 80  # a document with more candidates than this is read part by part


def _share(x: float) -> str:
    return "few" if x < LOW_SHARE else "many" if x >= HIGH_SHARE else "some"


def document_candidates(sections: list[dict]) -> list[tuple[list, list[Candidate]]]:
    """Each section's fixed items and candidates, the candidates' signals including what the
    whole document says: whether any heading or lead-in names a kind, and how much of it is
    worded as findings or plans, or as figures, dates and procedure (a news item about an
    event, minutes or a statistics page hold few items or none). A long document is read
    part by part (a board pack's minutes, and the annual report within it)."""
    per = [section_candidates(s) for s in sections]
    for part in _parts(sections, per):
        _document_signals(part)
    return per


def _parts(sections: list[dict], per: list) -> list[list]:
    """The document's top-level parts, each a list of (section, (fixed items, candidates)), or
    the whole document as one part when it is short."""
    pairs = list(zip(sections, per))
    if sum(len(cs) for _, cs in per) <= PART_CANDIDATES:
        return [pairs]
    top = min((s.get("level") or 99 for s in sections if s.get("heading")), default=99)
    parts: list[list] = [[]]
    for s, x in pairs:
        # a part runs from a top-level heading to the first one after it has enough candidates
        if (s.get("heading") and (s.get("level") or 99) == top
                and sum(len(cs) for _, (_, cs) in parts[-1]) >= PART_CANDIDATES // 2):
            parts.append([])
        parts[-1].append((s, x))
    return parts


def _document_signals(part: list) -> None:
    per = [x for _, x in part]
    cands = [c for _, cs in per for c in cs]
    if not cands:
        return
    named = any(fixed for fixed, _ in per) or any(cue_kind(s.get("heading") or "") in KINDS for s, _ in part) or any(
        c.context.get(k) in KINDS for c in cands for k in ("heading", "lead", "above", "prose", "title")) or any(
        c.context.get("lead_modal") for c in cands)
    cued = sum(any(n in c.features for n in _ITEM_CUES) for c in cands) / len(cands)
    data = sum(any(n in c.features for n in _DATA_CUES) for c in cands) / len(cands)
    doc = ["doc_named" if named else "doc_unnamed", f"doc_cues_{_share(cued)}", f"doc_data_{_share(data)}"]
    for c in cands:
        for name in doc:
            c.features[name] = 1.0
            c.features[f"{name}&form_{c.form}"] = 1.0
        c.features[f"{doc[0]}&{doc[1]}"] = 1.0
        c.features[f"{doc[0]}&{doc[2]}"] = 1.0
        # an imperative point is a recommendation in a briefing, a step in a procedure
        opening = next((o for o in _OPENINGS if o in c.features), "plain_open")
        c.features[f"{doc[0]}&{opening}"] = 1.0
    m = model()
    for c in cands:
        c.p = m.p_item(c.features)
    page = gate_signals(cands, [c.p for c in cands], m.threshold, any(fixed for fixed, _ in per))
    gate = m.p_gate(page)
    for c in cands:
        c.context["gate"] = gate
        c.context["gate_signals"] = page  # one dict for the part: the fitting script groups by it


def extract_section_items(section: dict) -> list[dict]:
    """Items of one section record (needs its ``lines``), in reading order, without ids."""
    return _scored_items(*document_candidates([section])[0])


def _scored_items(fixed: list, cands: list[Candidate], passages: list | None = None,
                  floor: float = 1.0) -> list[dict]:
    """The fixed items and the candidates the model keeps, in reading order. ``passages``: a
    list given gets, in reading order, the candidates scored below their bar but at ``floor`` or
    above that no item took in (``{"text", "page"}``: what a report said in passing)."""
    m = model()
    placed = list(fixed)
    last: dict | None = None  # the item the previous sentence of the same paragraph gave
    before: tuple[Candidate, bool] | None = None  # the sentence before, kept by no item (and if a passage)
    for c in cands:
        p = m.p_item(c.features) if c.p is None else c.p
        bar = min(m.threshold, PARAGRAPH_BAR) if c.form == "para" else m.threshold
        if c.context.get("gate", 1.0) < m.gate_cut:
            bar = max(bar, m.gate_bar)  # a page that seems to hold no items keeps only strongly marked ones
        if p >= bar:
            item = {"kind": _named_kind(c) or m.kind(c.features), "text": _strip_number(c.text), "page": c.page}
            if c.cells:
                item["cells"] = c.cells
            if (before is not None and c.form == "sentence" and before[0].block == c.block
                    and before[0].sentence == c.sentence - 1 and points_back(c.text)):
                # "This meant that …" says what the sentence before it means: when that sentence is
                # no item itself, the item is both (when it is one, each stays its own item)
                item["text"] = _strip_number(before[0].text) + " " + item["text"]
                if before[1]:
                    passages.pop()
            placed.append(((c.block, c.sentence), item))
            last = item if c.form == "sentence" else None
            before = None
        elif (last is not None and c.form == "sentence" and c.sentence > 0
              and placed[-1][0] == (c.block, c.sentence - 1) and _carries_on(c)):
            # "This may result in …", or a paragraph's last sentence, carries on the point before it
            last["text"] += " " + c.text
            placed[-1] = ((c.block, c.sentence), last)
            before = None
        else:
            last = None
            passage = passages is not None and p >= floor
            if passage:
                passages.append({"text": _strip_number(c.text), "page": c.page})
            before = (c, passage) if c.form == "sentence" else None
    return [item for _, item in sorted(placed, key=lambda x: x[0])]



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


def extract_items(parsed, passage_floor: float | None = None) -> list[dict]:
    """Every item of a parsed document, with ids, section, document and year filled in.
    ``passage_floor``: each section also gets its ``passages`` (see :func:`_scored_items`), the
    candidates scored from that floor up to the item bar."""
    out: list[dict] = []
    for s, (fixed, cands) in zip(parsed.sections, document_candidates(parsed.sections)):
        passages = None if passage_floor is None else []
        for n, item in enumerate(_scored_items(fixed, cands, passages, passage_floor or 0.0), start=1):
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
        if passages is not None:
            s["passages"] = passages
    return out
