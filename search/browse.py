"""Browse the index: list documents, outline one document, show one section.

Library functions behind ``sgsearch docs`` and ``sgsearch show``; they return the
``--json`` contract's shapes (see :mod:`search.index.records`).
"""
from __future__ import annotations

from search.errors import SgsearchError
from search.index.passagelist import parse_passage_id
from search.index.records import doc_json, item_json, passage_json, section_json
from search.index.store import Store
from search.vocab.bodies import body_name
from search.vocab.thesaurus import stored
from search.vocab.years import fy_label


class DocNotFound(SgsearchError, LookupError):
    """No document or section with the id asked for."""


def documents(store: Store) -> list[dict]:
    """Every indexed document, newest year first, then by title. A report embedded in a
    board pack is listed in its pack's ``parts`` with ``section_id``, its first section."""
    docs = [doc_json(d) for d in store.records("doc")]
    for d in docs:
        if d.get("parts"):
            first: dict = {}
            for s in store.records("section", doc_id=d["doc_id"]):
                first.setdefault((s.get("cells") or {}).get("part_title"), s.get("id"))
            for part in d["parts"]:
                part["section_id"] = first.get(part.get("title"))
    return sorted(docs, key=lambda d: (-(d["year_start"] or 0), d["title"] or ""))


def year_span(store: Store) -> list[str]:
    """The first and last year searches cover (the years of the sections, so a report
    embedded in a later board pack counts in its own year); ``[]`` when nothing is dated."""
    starts = sorted(k[0] for k in store.backend().counts(None, None, ("year_start",)) if k and k[0] is not None)
    return [fy_label(starts[0]), fy_label(starts[-1])] if starts else []


def document(store: Store, doc_id: str) -> dict:
    """One document with its sections in reading order, and the acronyms it defines."""
    found = store.record(f"doc:{doc_id}")
    if not found:
        known = ", ".join(sorted(d["doc_id"] for d in store.records("doc"))[:8])
        raise DocNotFound(f"no document {doc_id!r}; indexed: {known or 'none'}")
    sections = [section_json(s) for s in store.records("section", doc_id=doc_id)]
    out = doc_json(found, sections=sections)
    out["acronyms"] = defined_acronyms(store, doc_id)
    return out


def _no_section(store: Store, asked: str) -> str:
    """Why ``asked`` names no section: its document's own section numbers when the document
    is indexed, else the form of an id, taken from the index itself."""
    doc_id = asked.rsplit(":", 1)[0] if ":" in asked else asked
    if store.record(f"doc:{doc_id}"):
        ids = [s["id"] for s in store.records("section", doc_id=doc_id)]
        numbers = [i.rsplit(":", 1)[1] for i in ids]
        has = (f"sections {numbers[0]} to {numbers[-1]}" if len(numbers) > 1
               else f"one section, {ids[0]}" if ids else "no sections")
        return f"no section {asked!r}: document {doc_id!r} has {has} (see 'sgsearch docs {doc_id}')"
    first = next(store.iter_records("section"), None)  # one record, not the whole index
    example = f", e.g. {first['id']}" if first else ""
    return f"no section {asked!r}: ids are DOC_ID:N{example} (see 'sgsearch docs' and 'sgsearch docs DOC_ID')"


def defined_acronyms(store: Store, doc_id: str) -> list[dict]:
    """The acronyms a document defines itself (``[{"abbreviation", "expansion"}]``), learned at ingest."""
    kept = stored(store.current_dir())
    pairs = kept.defined.get(doc_id, []) if kept is not None else []
    return [{"abbreviation": a, "expansion": e} for a, e in pairs]


def section(store: Store, section_id: str) -> dict:
    """One section with its document's title, publisher and type, and its items.

    An item id (``hwbb-2018-01-18:134.8``, as ``recur`` prints) shows the item's section
    with that item marked (``"item_id"`` at the top, ``"marked": true`` on the item); a
    passage id (``hwbb-2018-01-18:141~6``, what ``recur --check`` lists as said in passing)
    shows its section with the passage (``"passage": {"passage_id", "text", "page"}``)."""
    asked = section_id
    found = store.record(section_id)
    item_id = passage = None
    if found and found.get("kind") == "item":
        item_id = section_id
        section_id = item_json(found)["section_id"]
        found = store.record(section_id)
    elif not found and (parsed := parse_passage_id(section_id)):
        section_id = parsed[0]
        found = store.record(section_id)
        passage = passage_json(found, asked) if found else None
        if found and found.get("kind") == "section" and not passage:
            # the section is there, the number is not one of its passages: say that, not "no section"
            raise DocNotFound(f"section {section_id!r} has no passage {parsed[1]} "
                              f"('sgsearch show {section_id}' shows the section)")
    if not found or found.get("kind") != "section":
        raise DocNotFound(_no_section(store, asked))
    out = section_json(found)
    out["title"] = found.get("title")
    out["publisher"] = body_name(found.get("publisher")) or None
    out["doc_type"] = found.get("doc_type")
    out["items"] = [item_json(i) for i in store.records("item", section_id=section_id)]
    if item_id:
        out["item_id"] = item_id
        for it in out["items"]:
            it["marked"] = it["item_id"] == item_id
    if passage:
        out["passage"] = passage
    return out
