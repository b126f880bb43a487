"""A document's type (one of :data:`DOC_TYPES`): the type its cues in the title, opening,
cover and address score highest (``[[doc_type.cue]]`` in ``ingest/metadata.toml``)."""
from __future__ import annotations

import functools
import re
from collections import Counter

from ingest import places
from ingest.metadata.bodies import publishers
from ingest.metadata.ruledata import RULES_FILE, read_rules
from search.vocab.doctypes import DOC_TYPES


@functools.cache
def _doc_type_rules() -> dict:
    """The ``[doc_type]`` table of the bundled rules, read once."""
    return read_rules(RULES_FILE)["doc_type"]


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
def doc_type_weights() -> dict[str, float]:
    """The live weight of each ``[[doc_type.cue]]``, by its key ``"<n>:<type>"``."""
    cues = _doc_type_rules()["cue"]
    return {f"{i}:{c['type']}": float(c["weight"]) for i, c in enumerate(cues)}


@functools.cache
def _doc_type_minimum() -> float:
    """What a type must score to win over ``other``: one weak cue alone (a mention of another
    body's annual report) does not make a page that document."""
    return float(_doc_type_rules().get("minimum", 0.0))


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
    weights = doc_type_weights()
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
