"""Parse one file into a document record and its section records (the GUIDE's contract).

This is the per-file work of an ingest: read blocks, detect metadata, apply the
catalog, split embedded papers into parts with their own year, build sections and
give them stable ids. It is a pure function of the file's bytes and catalog entry,
so files can be parsed in worker processes (``--jobs``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.blocks import BREAK, HEADING, Block
from ingest.catalog import Entry
from ingest.clean import clean_inline
from ingest.metadata import (
    detect_doc_type,
    detect_period,
    detect_publisher,
    detect_title,
    embedded_reports,
    fy_label,
    fy_start_of,
    is_furniture,
    names_yearly_report,
    own_blocks,
    parse_year_label,
    year_of_address,
)
from ingest.readers import read_path
from ingest.sections import build_sections, label


@dataclass
class ParsedDoc:
    """A parsed file: its document record and its section records, ready to index."""

    doc: dict
    sections: list[dict] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    """Content hash of a file (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def slug(text: str, limit: int = 48) -> str:
    """A readable id from a file name: lower case, words joined by hyphens, a letter with an
    accent as the letter ("Ynys Môn" is ``ynys-mon``, not ``ynys-m-n``)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    s = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return (s[:limit].rstrip("-")) or "doc"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("–", "-").replace("—", "-")).strip().lower()


def _file_meta(meta: dict) -> dict:
    """What a file says about itself (web page or front matter): title, site name, year of its date."""
    out = {k: clean_inline(str(meta[k])) for k in ("title", "site_name", "url", "author") if meta.get(k)}
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", str(meta.get("date") or ""))
    if m:
        try:
            out["year_start"] = fy_start_of(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            pass
    return {k: v for k, v in out.items() if v not in ("", None)}


def _publisher(text: str, meta: dict, url: str | None) -> str | None:
    """The site's name or the file's author when it is a body's name with its area, else the
    scored publisher, else the site's name."""
    for own in (meta.get("site_name"), meta.get("author")):
        if own and detect_publisher(own) == own.strip() and len(own.split()) > 1:
            return own.strip()
    return detect_publisher(text, url) or meta.get("site_name")


def _find_parts(blocks: list[Block], entry: Entry | None, doc_type: str) -> tuple[dict[int, int], list[dict]]:
    """Where embedded papers start (block index -> part number) and what each part states."""
    starts: dict[int, int] = {}
    parts: list[dict] = [{}]  # part 0 is the document itself
    if entry and entry.parts:
        pos = 0
        for p in entry.parts:
            want = _norm(p["start"])
            for i in range(pos, len(blocks)):
                if _norm(blocks[i].text).startswith(want):
                    parts.append(p)
                    starts[i] = len(parts) - 1
                    pos = i + 1
                    break
        return starts, parts
    if doc_type == "board-papers":
        # An uncatalogued pack: an embedded report runs from its title line to the next paper boundary.
        found = embedded_reports(blocks)
        last_part_end = -1
        for i, start in found:
            if i <= last_part_end:
                continue
            parts.append({"year_start": start, "year": fy_label(start), "title": blocks[i].text})
            starts[i] = len(parts) - 1
            end = next((j for j in range(i, len(blocks)) if blocks[j].kind == BREAK), len(blocks))
            last_part_end = end
            if end < len(blocks):
                parts.append({})  # back to the pack's own year after the boundary
                starts[end + 1 if end + 1 < len(blocks) else end] = len(parts) - 1
    return starts, parts


def read_metadata(result, path: Path, fields: dict | None = None, source_url: str | None = None) -> dict:
    """Title, publisher, doc type and period of a read file (catalog ``fields`` win)."""
    fields = fields or {}
    blocks = own_blocks(result.blocks)
    text = "\n".join(b.text for b in blocks)
    # a file name or a catalog value may hold control characters too (terminal escapes): clean them
    meta = _file_meta(result.meta)
    url = source_url or meta.get("url")
    title = clean_inline(fields.get("title") or "") or detect_title(
        blocks, clean_inline(path.stem.replace("-", " ").replace("_", " ")) or "Untitled",
        meta_title=meta.get("title"), url=url, site_name=meta.get("site_name"))
    doc_type = fields.get("doc_type") or detect_doc_type(text, title, url)
    opening = [b.text for b in blocks[:120] if b.text]
    if title not in text:
        opening.insert(0, title)  # a title from the file's properties or address states its year too
    # a committee's papers take their meeting's year, but its record of one item that is a
    # yearly report ("Annual Report of the … Board") takes the year that report covers
    period = detect_period(opening, prefer_date=doc_type == "board-papers" and not names_yearly_report(title))
    if period["how"] == "title-calendar-year" and (meta.get("year_start") is not None or year_of_address(url) is not None):
        # the page's own date or address dates it better than a calendar year its title ends in
        period = {"period_start": None, "period_end": None, "year_start": None, "how": None}
    year_start = fields.get("year_start", period["year_start"])
    if year_start is None and period.get("period_start"):
        year_start = parse_year_label(period["period_start"][:4])
    if year_start is None and meta.get("year_start") is not None:
        year_start = meta["year_start"]  # the page's own date: only when the text states no period
    if year_start is None:
        year_start = year_of_address(url)
    return {
        "title": title,
        "publisher": clean_inline(fields.get("publisher") or "") or _publisher(text, meta, url),
        "doc_type": doc_type,
        "period_start": fields.get("period_start", period["period_start"] if "year" not in fields else None),
        "period_end": fields.get("period_end", period["period_end"] if "year" not in fields else None),
        "year": fy_label(year_start) if year_start is not None else None,
        "year_start": year_start,
    }


def parse_file(path: str | Path, entry: Entry | None = None, doc_id: str | None = None,
               ocr: str = "auto", source_url: str | None = None, sha256: str | None = None) -> ParsedDoc:
    """Read and structure one file. Raises :class:`ingest.blocks.IngestError` for bad input.

    ``ocr`` (``auto``, ``always``, ``never``) says which PDF pages are read by OCR;
    ``source_url`` is the address the file was fetched from (its area helps name the publisher);
    ``doc_id``, when given, is the document's id (an ingest's, which keeps ids unique), else the
    catalog entry's ``id``, else one made from the file's name; ``sha256``, when given, is the
    file's hash taken before it was read (an ingest's, which decided from it to read the file).
    """
    path = Path(path)
    result = read_path(path, ocr=ocr)
    blocks = result.blocks
    fields = dict(entry.fields) if entry else {}
    doc = {
        "doc_id": doc_id or fields.get("id") or slug(path.stem),
        "path": str(path.resolve()),
        "sha256": sha256 or sha256_file(path),
        **read_metadata(result, path, fields, source_url),
        "pages": result.pages,
        "fmt": result.fmt,
    }
    doc_type = doc["doc_type"]
    # portal and page furniture ("Skip to content", "Agenda item", "Published: …") has done its
    # work for the title and period: it is no heading, section text or item
    blocks = [b for b in blocks if b.kind == BREAK or not is_furniture(b.text)] or blocks
    starts, parts = _find_parts(blocks, entry, doc_type)
    for i in starts:
        if blocks[i].kind != HEADING:
            blocks[i] = Block(HEADING, blocks[i].text, blocks[i].page, strong=True)
    sections = build_sections(blocks, starts)
    records = []
    for s in sections:
        part = parts[s.part] if s.part < len(parts) else {}
        ys = part.get("year_start", doc["year_start"])
        records.append(
            {
                "section_id": f"{doc['doc_id']}:{s.ordinal + 1}",
                "doc_id": doc["doc_id"],
                "ordinal": s.ordinal,
                "number": s.number,
                "heading": s.heading,
                "heading_path": s.heading_path,
                "level": s.level,
                "text": s.text,
                "page_start": s.page_start,
                "page_end": s.page_end,
                "page_offsets": s.page_offsets(),
                "year": fy_label(ys) if ys is not None else None,
                "year_start": ys,
                "part_title": part.get("title"),
                "label": label(s.number, s.heading),
                "ocr": any(b.ocr for b in s.blocks),
                # block-level structure for item extraction (not stored in the index)
                "lines": [(b.kind, b.text, b.page, list(b.cells)) for b in s.blocks if b.text],
            }
        )
    doc["parts"] = [
        {"title": p.get("title"), "year": p.get("year"), "start": p.get("start")} for p in parts[1:] if p
    ]
    doc["sections"] = len(records)
    return ParsedDoc(doc, records)
