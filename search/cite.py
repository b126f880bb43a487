"""One citation format for every passage sgsearch quotes: search results, trace examples,
recurring items and briefings all cite the same way, so a quote can be checked.

``SSCP Twelve Monthly Report 2020-21 (2020-21), §2.1 Heading, p. 4``; a report embedded in
a board pack is cited by its own title, ``in`` the pack:
``SSCB Annual Report 2016/17 (2016-17), in Health and Wellbeing Board agenda pack, §12 Key
priorities``. A document with no title is cited by its id.
"""
from __future__ import annotations

from search.safe import strip_control


def clean(text) -> str:
    """Text from a document made safe to write anywhere: escape sequences and control
    characters removed, runs of whitespace (and line breaks) folded to one space."""
    if text is None:
        return ""
    return " ".join(strip_control(str(text).replace("\r\n", "\n").replace("\r", "\n")).split())


def citation(title, year, number=None, heading=None, page=None, part_title=None, ocr=False,
             source_url=None) -> str:
    """``"SSCP Twelve Monthly Report 2020-21 (2020-21), §2.1 Heading, p. 4"``.

    The § part is left out when a section has no number (the heading stays, unless it only
    repeats the title), the page when it is not known. A report embedded in a board pack is cited by its own title,
    ``in`` the pack. Text read by OCR from a scan is marked ``(OCR)``; a document
    ingested from a web address ends with that address.
    """
    title, part_title = clean(title), clean(part_title)
    doc = f"{part_title} ({year}), in {title}" if part_title and part_title != title else f"{title} ({year})"
    if not year:
        doc = f"{part_title}, in {title}" if part_title and part_title != title else title
    parts = [doc]
    number, heading = clean(number), clean(heading)
    if number:
        parts.append(f"§{number} {heading}".strip())
    elif heading and heading.casefold() not in (title.casefold(), part_title.casefold()):
        parts.append(heading)
    if page not in (None, "", 0):
        parts.append(f"p. {page}")
    out = ", ".join(p for p in parts if p) + (" (OCR)" if ocr else "")
    return f"{out}, {source_url}" if source_url else out


def section_citation(section: dict, title: str | None, page=None) -> str:
    """The citation of a section (its fields as :func:`search.index.records.section_json` gives
    them, ``part_title`` included) in a document titled ``title``."""
    return citation(title or section.get("doc_id"), section.get("year"), section.get("number"),
                    section.get("heading"), page if page is not None else section.get("page_start"),
                    section.get("part_title"), ocr=bool(section.get("ocr")), source_url=section.get("source_url"))


def item_citation(store, item: dict, _parts: dict | None = None) -> str:
    """The citation of an item (a recurring recommendation, priority …): its section's,
    with the embedded report's title looked up in ``store`` (``_parts`` caches lookups)."""
    sid = item.get("section_id")
    parts = {} if _parts is None else _parts
    if sid not in parts:
        rec = store.record(sid) if sid else None
        parts[sid] = ((rec or {}).get("cells") or {}).get("part_title")
    return citation(item.get("title") or item.get("doc_id"), item.get("year"), item.get("number"),
                    item.get("heading"), item.get("page"), parts[sid])


def cite_items(store, items: list[dict], release_every: int = 0) -> None:
    """Give each item (recurring groups' items, ``--check`` matches) its ``citation``, in place.

    Only a document holding embedded reports (a board pack) needs its sections looked up for
    their report's title; the others' sections are known to have none, without a lookup.
    ``release_every``: close the index's files every so many records looked up (a one-shot
    command citing many: the pages each lookup maps stay while the files are open)."""
    parts: dict = {}
    has_parts: dict = {}
    released = 0
    for it in items:
        if release_every and len(has_parts) + len(parts) - released >= release_every:
            store.close()  # reopened by the next lookup
            released = len(has_parts) + len(parts)
        doc = it.get("doc_id")
        if doc not in has_parts:
            rec = store.record(f"doc:{doc}") if doc else None
            has_parts[doc] = rec is None or bool(((rec or {}).get("parts") or {}).get("parts"))
        if not has_parts[doc]:
            parts.setdefault(it.get("section_id"), None)
        it["citation"] = item_citation(store, it, parts)
