"""Convert between parsed records, Whoosh stored fields and the ``--json`` contract.

The field names of the contract (GUIDE.md) are produced here and only here, so that
every command prints documents, sections and items the same way.
"""
from __future__ import annotations

from datetime import date

from search.index.passagelist import parse_passage_id
from search.vocab.bodies import body_name

DOC_KEYS = ("doc_id", "path", "sha256", "title", "publisher", "doc_type", "period_start",
            "period_end", "year", "year_start", "pages", "source_url")
SECTION_KEYS = ("section_id", "doc_id", "number", "heading", "heading_path", "level", "text",
                "page_start", "page_end", "themes", "year", "year_start", "ocr")


def _themes_str(themes) -> str:
    return ",".join(themes or [])


def _themes_list(value) -> list[str]:
    if not value:
        return []
    return [t for t in value.split(",") if t]


def doc_to_fields(doc: dict) -> dict:
    """Whoosh fields for a document record."""
    f = {
        "kind": "doc",
        "id": f"doc:{doc['doc_id']}",
        "doc_id": doc["doc_id"],
        "path": doc["path"],
        "sha256": doc["sha256"],
        "doc_title": doc["title"] or "",
        "publisher": doc.get("publisher") or "",
        "doc_type": doc["doc_type"],
        "period_start": doc.get("period_start"),
        "period_end": doc.get("period_end"),
        "pages": doc.get("pages"),
        "nsections": doc.get("sections", 0),
        "fmt": doc.get("fmt"),
        "source_url": doc.get("source_url"),
        "parts": {"parts": doc.get("parts", []), "catalog_sig": doc.get("catalog_sig", "")},
        "ordinal": 0,
    }
    if doc.get("year"):
        f["year"] = doc["year"]
        f["year_start"] = doc["year_start"]
    return f


def _common(kind: str, rid: str, rec: dict, doc: dict) -> dict:
    """Fields every section and item carries: identity, its document, year, themes."""
    f = {
        "kind": kind,
        "id": rid,
        "section_id": rec["section_id"],
        "doc_id": rec["doc_id"],
        "doc_type": doc["doc_type"],
        "ordinal": rec["ordinal"],
    }
    if rec.get("year"):
        f["year"] = rec["year"]
        f["year_start"] = rec["year_start"]
        f["years"] = years_covered(rec["year_start"], doc)
    return f


def years_covered(year_start: int, doc: dict) -> str:
    """The start years a record counts for, comma-separated: its own year, and every financial
    year of which its document's period covers six months or more (a review of 2007 to 2011,
    a report for 2021-2023; not the last three months of a 15-month report), when the record
    has the document's year (a report embedded in a pack keeps its own)."""
    try:
        lo, hi = date.fromisoformat(str(doc.get("period_start"))), date.fromisoformat(str(doc.get("period_end")))
    except ValueError:
        return str(year_start)
    if year_start != doc.get("year_start") or not 0 <= hi.year - lo.year < 30:
        return str(year_start)
    months: dict[int, int] = {}
    y, m = lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        fy = y if m >= 4 else y - 1  # January to March belong to the year that began the April before
        months[fy] = months.get(fy, 0) + 1
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return ",".join(str(y) for y in sorted({*(fy for fy, n in months.items() if n >= 6), year_start}))


def exact_value(s: dict) -> str:
    """A section's ``exact`` field (its heading and text, for exact phrases), from a section or its fields."""
    return f"{s.get('heading') or ''}\n{s.get('text') or ''}"


def section_to_fields(s: dict, doc: dict) -> dict:
    """Whoosh fields for a section record."""
    f = _common("section", s["section_id"], s, doc)
    f.update(
        title=doc["title"] or "",
        publisher=doc.get("publisher") or "",
        themes=_themes_str(s.get("themes")),
        number=s["number"] or "",
        heading=s["heading"],
        heading_path=s["heading_path"],
        level=s["level"],
        text=s["text"],
        exact=exact_value(s),
        page_start=s["page_start"],
        page_end=s["page_end"],
        page_offsets=s["page_offsets"],
        ocr=bool(s.get("ocr")),
        source_url=doc.get("source_url"),
        theme_evidence=s.get("theme_evidence", {}),
        cells={"part_title": s.get("part_title")},
    )
    if s.get("passages"):  # what the section said in passing ({"text", "page"}), read by recur --check
        f["cells"]["passages"] = s["passages"]
    return f


def item_to_fields(item: dict, doc: dict) -> dict:
    """Whoosh fields for an extracted item (recommendation, objective, risk…)."""
    f = _common("item", item["item_id"], item, doc)
    f.update(
        doc_title=doc["title"] or "",
        item_kind=item["kind"],
        item_text=item["text"],
        item_themes=list(item.get("themes") or []),
        status=item.get("status") or "",
        page_start=item.get("page"),
        cells={"cells": item.get("cells"), "score": item.get("risk_score"), "ref": item.get("ref"),
               "number": item.get("number"), "heading": item.get("heading")},
    )
    return f


def doc_json(stored: dict, sections: int | list | None = None) -> dict:
    """A Document in the contract's shape from stored fields."""
    out = {k: stored.get(k) for k in DOC_KEYS}
    out["title"] = stored.get("doc_title", stored.get("title"))
    out["publisher"] = body_name(out["publisher"]) or None  # unknown: null, as a section and a result say it
    out["sections"] = stored.get("nsections", 0) if sections is None else sections
    out["format"] = stored.get("fmt")
    parts = (stored.get("parts") or {}).get("parts") or []
    if parts:
        out["parts"] = parts
    return out


def section_json(stored: dict) -> dict:
    """A Section in the contract's shape from stored fields."""
    out = {k: stored.get(k) for k in SECTION_KEYS}
    out["number"] = stored.get("number") or None
    out["themes"] = _themes_list(stored.get("themes"))
    out["ocr"] = bool(stored.get("ocr"))
    # every field in every section, null when it does not apply: a program reads each without asking first
    out["source_url"] = stored.get("source_url") or None
    out["theme_evidence"] = stored.get("theme_evidence") or {}
    out["part_title"] = (stored.get("cells") or {}).get("part_title") or None
    return out


def item_json(stored: dict) -> dict:
    """An Item in the contract's shape from stored fields."""
    extra = stored.get("cells") or {}
    out = {
        "item_id": stored.get("id"),
        "section_id": stored.get("section_id"),
        "doc_id": stored.get("doc_id"),
        "kind": stored.get("item_kind"),
        "text": stored.get("item_text"),
        "status": stored.get("status") or None,
        "themes": list(stored.get("item_themes") or []),
        "year": stored.get("year"),
        "year_start": stored.get("year_start"),
    }
    if extra.get("score") is not None:
        out["risk_score"] = extra["score"]
    if extra.get("ref"):
        out["ref"] = extra["ref"]
    return out


def passage_json(stored: dict, passage_id: str) -> dict | None:
    """The passage ``<section id>~<n>`` names, from its section's stored fields (what ingest
    kept as said in passing: see :func:`section_to_fields`): ``{"passage_id", "text", "page"}``;
    None when the section keeps no such passage."""
    parsed = parse_passage_id(passage_id)
    said = (stored.get("cells") or {}).get("passages") or []
    p = said[parsed[1] - 1] if parsed and parsed[1] <= len(said) else None
    if not isinstance(p, dict):
        return None
    return {"passage_id": passage_id, "text": str(p.get("text") or ""), "page": p.get("page")}


def stored_catalog_sig(stored: dict) -> str:
    """The catalog signature recorded with a document (to notice catalog edits)."""
    return (stored.get("parts") or {}).get("catalog_sig", "")
