"""A document's publisher: every body the text, its address and its printed addresses name,
scored as candidates (weights: ``[publisher.weights]`` in ``ingest/metadata.toml``)."""
from __future__ import annotations

import functools
import os
import re
from collections import Counter
from dataclasses import dataclass

from ingest import places
from ingest.metadata.bodies import (
    Publishers,
    council_name,
    councils_found,
    kind_of,
    nhs_named,
    publishers,
    read_name,
    unshout,
)
from ingest.metadata.ruledata import Rules, rules
from search.vocab.bodies import spelled_out

# a body's abbreviation right after its name: "... Safeguarding Children Board (LSCB)"
_ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z]{2,6})\)")


def _exists_in(area: places.Area, kind: str, p: Publishers) -> bool:
    """Whether a body of this kind exists in the area's nation (``[publisher.nations]``); an NHS
    region has only NHS bodies."""
    if area.kind == "nhs-region" and kind not in ("icb", "ccg", "trust"):
        return False
    if kind == "council" and council_name(area, p) is None:
        return False  # a nation, a region or an NHS area has no council of its own
    return kind not in p.nations or area.nation in p.nations[kind]


# the end of a line of attendees: "Name, Role, <Council>"
_AFTER_COMMA = re.compile(r",[ \t]*$")
_LINE_END = re.compile(r"[ \t]*(?:[,;.)][ \t]*)?(?:\n|$)")
# an attendee's line up to their employer: "• Ms A Smith, Chief Executive, <Council> and …"
_ATTENDEE = re.compile(r"\n[ \t]*(?:[•*\-–][ \t]*)?(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Cllr|Councillor)\.?[ \t]+)?"
                       r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’.-]*){1,3},[^,\n]{1,80},[ \t]*$")


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
        kind = kind_of(m.group(2), p)
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


@dataclass(frozen=True)
class _Page:
    """What a page says of itself, apart from the bodies it names: its text and opening
    (``head``), its address's host and area, else the area its printed addresses or place names
    give (``text_area``, the weight of that signal and the printed addresses), where its title
    line ends, where it names a national body, whether it reports an inspection; and the
    publisher data in force."""

    text: str
    head: str
    url: str | None
    host: str
    host_area: places.Area | None
    text_area: places.Area | None
    text_weight: str
    printed: list[str]
    title_end: int
    national_at: list[tuple[int, int]]
    inspected: bool
    p: Publishers


def _read_page(text: str, url: str | None, p: Publishers) -> _Page:
    """Signals of the page as a whole: its address (the area and host), or without one its
    printed addresses and place names; its first line; its national bodies; an inspection."""
    head = text[:60000]
    address_words = tuple(x for v in p.address_words.values() for x in v)
    host_area = places.area_of_address(url, address_words) or places.area_by_initials(
        url, tuple(x for k in ("partnership", "board") for x in p.address_words.get(k, [])),
        places.areas_named(head[:AREA_CHARS]))
    host = places.host_of(url)
    # the document's first line is its name: a body named there is what it is about ("15th Meeting of the …")
    # (its opening words only: a page flattened into one line has no title line)
    title_end = len(head) - len(head.lstrip()) + min(len(head.lstrip().split("\n", 1)[0]), TITLE_CHARS)
    # "the Safeguarding Board for Northern Ireland" is the national body, not a board of no area
    national_at = [x.span() for _, rx, _ in p.national for x in _national_found(rx, head[:NATIONAL_CHARS])]
    text_area, text_weight, printed = _area_of_text(head, address_words) if not host_area else (None, "", [])
    # a report of an inspection that names its inspectorate: a council named there is the one inspected
    portal = any(lab in p.address_words.get("portal", []) for lab in host.split("."))
    inspected = bool(p.inspection and not portal and p.inspection.search(head[:TITLE_CHARS * 10]) and any(
        _national_found(rx, head[:TITLE_CHARS * 10]) for name, rx, _ in p.national if name in p.inspectors))
    return _Page(text, head, url, host, host_area, text_area, text_weight, printed, title_end, national_at,
                 inspected, p)


def _named_bodies(page: _Page, cands: dict) -> list[tuple[int, int]]:
    """Signal: the bodies the text names by the publisher pattern ("<Area> Safeguarding Children
    Partnership", "<Area> LSCB", "NHS <Area> Integrated Care Board"), each read into its kind and
    area, an adults' board left out of a page about children; added to ``cands``. Returns where
    each name stands."""
    r, text, head, title_end = rules(), page.text, page.head, page.title_end
    children = len(re.findall(r"\bchild(?:ren)?\b", head, re.I))
    adults = len(re.findall(r"\badults?\b", head, re.I))
    body_at: list[tuple[int, int]] = []
    for m in _body_matches(head, r):
        body_at.append(m.span(1))
        raw = re.sub(r"\s+", " ", m.group(1)).strip()
        if children >= adults and r.adults.search(raw):
            continue
        if any(a < m.end(1) and m.start(1) < b for a, b in page.national_at):
            continue
        name, kind, area_words, found, area_key = read_name(
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
    return body_at


def _named_councils(page: _Page, cands: dict) -> None:
    """Signal: the councils of the gazetteer the text names by their own names, less a person's
    employer on a line of attendees; added to ``cands``."""
    head = page.head
    for start, end, area in councils_found(head):
        # "Slough Borough Council", "the London Borough of Brent", "Cornwall Council", "Royal Borough of X"
        if any(a < end and start < b for a, b in page.national_at):
            continue
        if (_AFTER_COMMA.search(head, max(0, start - 80), start) and _LINE_END.match(head, end)) or \
                _ATTENDEE.search("\n" + head[max(0, start - 200):start]):
            continue  # "Ms A Smith, Legal Manager, Highland Council": a person's employer, not the author
        c = cands.setdefault((places.key(area.name), "council"), {
            "names": Counter(), "first": start, "subject": False, "known": True, "bare": False, "area": (area, area.name)})
        c["names"][re.sub(r"\s+", " ", head[start:end])] += 1  # as the text writes it: "Sefton Council"
        c["first"] = min(c["first"], start)
        _mentioned(c, page.text, head, start, end, start, page.title_end)


def _named_health_bodies(page: _Page, cands: dict, body_at: list[tuple[int, int]]) -> None:
    """Signal: a health body named "NHS <area>" alone, away from the names read already
    (``body_at``); added to ``cands``, to count only where the page presents it as its own."""
    head = page.head
    for start, end, kind, words in nhs_named(head):
        # "NHS Lothian", "NHS Kent and Medway": a health body named by its area alone (one followed by its
        # body's words, "NHS Kent and Medway Integrated Care Board", is read above)
        if any(a < end and start < b for a, b in page.national_at + body_at):
            continue
        found = places.area_in(words)
        name = f"NHS {words}" + (f" {page.p.full_names[kind]}" if kind == "icb" else "")
        # named so, a health body is as often one of the partners a page lists ("NHS Lothian, the
        # council and the police"): it is a candidate only where the page presents it as its own
        # (its title line, "… annual report", "published by …"), unless the text also names it in full
        c = cands.setdefault((places.key(found[0].name) if found else places.key(words), kind), {
            "names": Counter(), "first": start, "subject": False, "known": True, "bare": False, "area": found,
            "short_only": True})
        c["names"][name] += 1
        c["first"] = min(c["first"], start)
        _mentioned(c, page.text, head, start, end, start, page.title_end)


def _acronym_bodies(page: _Page, cands: dict) -> None:
    """Signal: a body named by the address's area's initials and a body's abbreviation (see
    :func:`_area_acronyms`); added to ``cands`` under that area."""
    host_area, p = page.host_area, page.p
    for kind, first, n in _area_acronyms(page.head, host_area, p):
        # "the NSCP" on newcastlesafeguarding.org.uk: the area's initial and a body's abbreviation
        c = cands.setdefault((places.key(host_area.name), kind), {
            "names": Counter(), "first": first, "subject": False, "known": True, "bare": False,
            "area": (host_area, host_area.name)})
        c["names"][_composed(host_area, kind, p)] += n
        c["first"] = min(c["first"], first)


def _agrees(c: dict, host_area: places.Area | None) -> bool:
    """Whether a candidate's area is the one the page's address names (either area of a joint board)."""
    if not host_area or not c["area"]:
        return False
    if c["area"][0] == host_area or host_area in c.get("joined", ()):
        return True
    # a joint board ("Kingston & Richmond") agrees with the address of either area
    area_words = f" {places.key(c['area'][0].name)} "
    return any(f" {places.key(n)} " in area_words for n in (host_area.name, *host_area.short))


def _absorb_bare(cands: dict) -> None:
    """Signal: a body named without an area after one of its kind named with one: that body again."""
    # "the LSCB" after "Southampton Local Safeguarding Children Board (LSCB)" is that board again
    for (_area, kind), c in cands.items():
        named = [o for (_, k), o in cands.items() if k == kind and not o["bare"]]
        if c["bare"] and named:
            to = max(named, key=lambda o: (sum(o["names"].values()), -o["first"]))
            to["also"] = to.get("also", 0) + sum(c["names"].values())
            to["subject"] = to["subject"] or c["subject"]
            c["absorbed"] = True


def _absorb_national(page: _Page, cands: dict) -> tuple[set[str], Counter[str]]:
    """Signal: a body named without an area that a national body's name the opening writes holds:
    that national body again. Returns the national bodies the opening names, and how many such
    shortened mentions each has."""
    p = page.p
    # "the Safeguarding Board" after "the Safeguarding Board for Northern Ireland" is that national body again
    opening = page.head[:NATIONAL_CHARS]
    named_national = {name for name, rx, _ in p.national if _national_found(rx, opening)}
    shortened: Counter[str] = Counter()
    for c in cands.values():
        if c["bare"]:
            # the gazetteer's order, not the set's: the same page reads the same under any hash seed
            whole = next((nm for nm, _rx, _h in p.national if nm in named_national
                          for x in c["names"] if x.lower() in nm.lower()), None)
            if whole:
                shortened[whole] += sum(c["names"].values())
                c["absorbed"] = c["national"] = True
    return named_national, shortened


def _scored_bodies(page: _Page, cands: dict) -> list[tuple[float, int, str]]:
    """Each body the text names, scored (``[publisher.weights]``): an area the gazetteer knows,
    mentions, an early first one, the address's area (and the kind the site's name says), the
    page about it, its title line, the page speaking as it, an inspection; a body named without an
    area joined to the address's area, else to the area the text gives."""
    p, host_area, text_area = page.p, page.host_area, page.text_area
    w = p.weights
    scored: list[tuple[float, int, str]] = []
    # the kind of body the site's own name says ("wsscp.org.uk": a partnership), when the text names more than one
    site_kind = _address_kind(page.url, p) if host_area else None
    for (_area, kind), c in cands.items():
        n = sum(c["names"].values()) + c.get("also", 0)
        score = w["named_known_area"] if c["known"] else (w["bare"] if c["bare"] else w["named_area"])
        score += w["mention"] * min(n - 1, w["mentions_cap"]) + (w["early"] if c["first"] < 1500 else 0)
        score += w["address_agrees"] + (w["address_kind"] if kind == site_kind else 0) if _agrees(c, host_area) else 0
        score += (w["subject"] if c["subject"] else 0) + (w["title_line"] if c.get("title") else 0)
        score += w["speaks_as"] if c.get("speaks") else 0
        score += w["inspected"] if page.inspected and kind == "council" else 0
        # a Welsh region's board is one body whether named its Safeguarding Board or its children's board
        alike = {kind} | (_WELSH_BOARDS if kind in _WELSH_BOARDS and host_area and host_area.kind == "welsh-region" else set())
        named_here = any(k in alike and not o["bare"] and _agrees(o, host_area) for (_, k), o in cands.items())
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
            composed = w[page.text_weight] + w["mention"] * min(n - 1, w["mentions_cap"])
            composed += (w["early"] if c["first"] < 1500 else 0) + (w["subject"] if c["subject"] else 0)
            composed += w["title_line"] if c.get("title") else 0
            scored.append((composed, -c["first"], _composed(text_area, kind, p)))
        if c.get("short_only") and not (c["subject"] or c.get("title") or c.get("speaks")):
            continue
        if c.get("absorbed") or c["bare"]:
            continue  # a body of no area ("the Local Safeguarding Children Board") names no publisher
        # a spelled-out name reads better than its abbreviation ("Devon Safeguarding Children Partnership")
        best = spelled_out(unshout(max(c["names"], key=lambda x: (len(x.split()) > 2, c["names"][x], len(x)))))
        if c.get("acronym") and not best.endswith(c["acronym"]):
            best = f"{best} ({c['acronym']})"
        scored.append((score, -c["first"], best))
    return scored


def _unnamed_body(page: _Page, cands: dict, named_national: set[str]) -> list[tuple[float, int, str]]:
    """When the text names no body: the address's area with the kind of body its host or path
    says, or the kind the text names without an area ("the Partnership"); else the body its
    printed addresses are; else the area it names most with that kind."""
    p, host_area, text_area, text_weight = page.p, page.host_area, page.text_area, page.text_weight
    w = p.weights
    scored: list[tuple[float, int, str]] = []
    if host_area and not cands:
        kind = _address_kind(page.url, p)
        unnamed = _unnamed_kind(page.head, p)
        if unnamed and kind is None and unnamed[0] in p.full_names and _exists_in(host_area, unnamed[0], p):
            # "the Partnership" on a site whose address names only the area
            kind = unnamed[0]
            scored.append((w["address_area"] + w["unnamed_kind"] * min(unnamed[1], w["mentions_cap"]), 0,
                           _composed(host_area, kind, p)))
        elif kind and _exists_in(host_area, kind, p):
            scored.append((w["address_area"] + w["address_agrees"], 0, _composed(host_area, kind, p)))
    elif page.printed and not cands:
        # a page that names no body: the one its printed addresses are (a partnership's site before the council's)
        kinds = [k for k in (_address_kind(u, p) for u in page.printed) if k]
        kind = min(kinds, key=lambda k: k == "council", default=None)
        if kind:
            scored.append((w["text_address"], 0, _composed(text_area, kind, p)))
    elif text_area and not cands and not named_national:
        # no address at all: the area the page names most, and the body it names without one ("the Partnership")
        unnamed = _unnamed_kind(page.head, p)
        if unnamed and unnamed[0] in p.full_names and _exists_in(text_area, unnamed[0], p):
            scored.append((w[text_weight] + w["unnamed_kind"] * min(unnamed[1], w["mentions_cap"]), 0,
                           _composed(text_area, unnamed[0], p)))
    return scored


def _national_bodies(page: _Page, shortened: Counter[str]) -> list[tuple[float, int, str]]:
    """Each national body, scored: its mentions in the opening (with the ``shortened`` ones),
    wording that makes it the author ("Ofsted's evaluation", "a review by the NSPCC"), a byline,
    the page on its own site, an inspection it made, its title line."""
    p, head = page.p, page.head
    w = p.weights
    opening = head[:NATIONAL_CHARS]
    scored: list[tuple[float, int, str]] = []
    for name, rx, hosts in p.national:
        found = _national_found(rx, opening)
        score = w["national_mention"] * min(len(found) + shortened[name], w["national_cap"])
        if any(re.match(_AUTHOR, head[f.end():f.end() + 30]) or
               _BY_AUTHOR.search(head[max(0, f.start() - 40):f.start()])
               for f in found):
            score += w["national_author"]
        if any(_BYLINE.search(head[max(0, f.start() - 60):f.start()]) for f in found):
            score += w["national_byline"]
        if places.on_site(page.host, hosts):
            score += w["national_host"]
        if found and name in p.inspectors and page.inspected:
            score += w["national_inspection"]  # the inspectorate reports, the area is inspected
        if found and found[0].start() < page.title_end:
            score += w["title_line"]
        if score > 0:
            scored.append((score, -(found[0].start() if found else 0), name))
    return scored


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
    page = _read_page(text, url, publishers())
    # (area name or "", kind) -> score, written forms with their counts, first position
    cands: dict[tuple[str, str], dict] = {}
    body_at = _named_bodies(page, cands)
    _named_councils(page, cands)
    _named_health_bodies(page, cands, body_at)
    _acronym_bodies(page, cands)
    _absorb_bare(cands)
    named_national, shortened = _absorb_national(page, cands)
    scored = _scored_bodies(page, cands)
    scored += _unnamed_body(page, cands, named_national)
    scored += _national_bodies(page, shortened)
    best: dict[str, tuple[float, int]] = {}
    for score, pos, name in scored:
        best[name] = max(best.get(name, (score, pos)), (score, pos))
    return [(v[0], k) for k, v in sorted(best.items(), key=lambda kv: kv[1], reverse=True)]
