"""Bodies that publish, and how a text names one: the publisher data (kinds of body, national
bodies, council forms, weights), a council of the gazetteer by its name, a health body named
"NHS <area>", and a body's name as written read into its kind and area."""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest import places
from ingest.metadata.ruledata import RULES_FILE, merged_rules, read_rules, rules


def trim_area(name: str, not_area: frozenset[str]) -> str:
    """A name without its leading words that are no area's (``not_area``: "Welcome To", "Annual
    Report"; and joining words), down to its last word; a leading "NHS " is kept."""
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
    data = read_rules(RULES_FILE)["publisher"]
    if extra:
        for entry in read_rules(Path(extra)).get("publisher", {}).get("national", []):
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


def kind_of(body: str, p: Publishers) -> str | None:
    """The kind of body (``[publisher.kinds]``) a body's words name ("LSCB", "the two CCGs"), or None."""
    body = re.sub(r"\s+", " ", body.replace("\u2019", "'")).strip()
    body = re.sub(r"(?<=[A-Z])s$", "", body)  # "the two CCGs" are of the kind "CCG"
    return next((k for k, rx in p.kinds if rx.match(body)), None)


# a council's name inside another body's or a building's name ("The London Borough of Southwark
# Safeguarding Children Partnership", "Highland Council HQ")
_NOT_THE_COUNCIL = re.compile(r"[ \t]+(?:Safeguarding|Local|Children|HQ|Headquarters|Offices|Chamber)\b")


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
    pub = merged_rules(data[0])["publisher"]
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


def unshout(name: str) -> str:
    """A name written in capitals as a name is written ("ROTHERHAM SAFEGUARDING CHILDREN
    PARTNERSHIP" -> "Rotherham Safeguarding Children Partnership"); abbreviations stay."""
    if not name.isupper() or not re.search(r"\b[A-Z]{5,}\b", name):
        return name
    keep = set(rules().abbreviations) | {"NHS"}  # the bodies' abbreviations hold ICB and CCG
    return " ".join(w if w in keep or not re.search(r"[AEIOUY]", w) else
                    (w.lower() if places.key(w) in {"and", "of", "the", "upon", "on", "with", "for"} else w.capitalize())
                    for w in name.split())


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
def read_name(raw: str, data: tuple) -> tuple[str, str, str, tuple | None, str]:
    """A body's name as written: (name without leading words, kind of body, area words,
    the gazetteer's area and its words or None, the area's key); ``data`` names the rule and
    gazetteer files in force, so that a change of them is not answered from the cache."""
    r, p = rules(), publishers()
    # one body's name: "North Yorkshire and York CCGs" names the CCG of that area
    name = re.sub(r"(?<=[A-Z]{2})s$", "", trim_area(raw, r.not_area))
    body_m = r.body_at_end.search(name)
    body = body_m.group(0) if body_m else name.split()[-1]
    kind = kind_of(body, p) or body.lower()
    area_words = name[: len(name) - len(body)].strip()
    if r.joint_boards and r.joint_children and r.joint_boards.fullmatch(body):
        body = r.joint_children  # a joint board's report on children is its children's board's
        name = f"{unshout(area_words)} {body}".strip()
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
        name = ("NHS " if nhs and area_words else "") + f"{area_words if body.isupper() else unshout(area_words)} {body}".strip()
    area_key = places.key(found[0].name) if found else places.key(area_words)
    return name, kind, area_words, found, area_key
