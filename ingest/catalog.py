"""Read a corpus catalog: facts about documents stated by people, which win over detection.

A catalog is a TOML file named ``catalog.toml`` in any folder that is ingested (the
bundled ``corpus/`` has one). Each ``[[document]]`` names a ``file`` (relative to the
catalog's folder) and may state ``id``, ``title``, ``publisher``, ``doc_type``,
``period_start``, ``period_end``, ``year`` and ``parts``; a part is an embedded paper
(a board pack's annual report) that starts at the first line matching ``start`` and
keeps its own ``title``/``year``/``period_start``/``period_end`` until the next part.

A top-level ``taxonomy = "themes.toml"`` (or a list of files, relative to the catalog's
folder) names theme files that an ingest of the folder uses, as ``--taxonomy`` does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from ingest.blocks import IngestError
from ingest.metadata import DOC_TYPES, parse_year_label
from search.vocab.userfiles import load_toml

CATALOG_NAME = "catalog.toml"
DOC_FIELDS = {"file", "id", "title", "publisher", "doc_type", "period_start", "period_end", "year", "parts"}
TOP_FIELDS = {"document", "taxonomy"}
PART_FIELDS = {"start", "title", "year", "period_start", "period_end", "doc_type"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Entry:
    """What a catalog says about one file."""

    fields: dict
    parts: list[dict] = field(default_factory=list)
    catalog: Path | None = None  # the catalog file that says it, for messages


def _check(where: str, data: dict, allowed: set[str]) -> dict:
    unknown = set(data) - allowed
    if unknown:
        raise IngestError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    out = dict(data)
    if "doc_type" in out and out["doc_type"] not in DOC_TYPES:
        raise IngestError(f"{where}: doc_type must be one of {', '.join(DOC_TYPES)}")
    for key in ("period_start", "period_end"):
        if key in out:
            out[key] = str(out[key])
            if not _DATE.match(out[key]):
                raise IngestError(f"{where}: {key} must be a date YYYY-MM-DD")
    if "year" in out:
        start = parse_year_label(str(out["year"]))
        if start is None:
            raise IngestError(f"{where}: year {out['year']!r} is not a year like 2021-22")
        out["year_start"] = start
    return out


def read_catalog(folder: Path, problems: list[str] | None = None) -> tuple[dict[Path, Entry], list[Path]]:
    """The entries of ``folder/catalog.toml`` (by resolved file path) and the theme files it names.

    A catalog that cannot be read at all raises IngestError. With a ``problems`` list, a bad
    entry is left out with a line there naming it and the key at fault, and an entry whose
    file does not exist gets a line too; the good entries still apply. Without one, the
    first bad entry raises."""
    path = source = Path(folder) / CATALOG_NAME
    if not path.is_file():
        return {}, []
    try:
        data = load_toml(path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise IngestError(f"invalid catalog: {e}") from None
    except OSError as e:
        raise IngestError(f"cannot read the catalog: {e.strerror or e}") from None
    unknown = set(data) - TOP_FIELDS
    if unknown:
        raise IngestError(f"unknown top-level key(s) {', '.join(sorted(unknown))}: use [[document]] and taxonomy")
    tax = data.get("taxonomy", [])
    tax = [tax] if isinstance(tax, str) else tax
    if not isinstance(tax, list) or not all(isinstance(t, str) and t for t in tax):
        raise IngestError('taxonomy must be a file name or a list of them, e.g. taxonomy = "themes.toml"')
    taxonomy = [(Path(folder) / t).resolve() for t in tax]
    for t in taxonomy:
        if not t.is_file():
            raise IngestError(f"taxonomy file {t} named in the catalog does not exist")
    documents = data.get("document", [])
    if not isinstance(documents, list):  # "[document]", one pair of brackets, is a single table
        raise IngestError('write each document as a [[document]] table (two pairs of brackets) with its file = "..."')
    entries: dict[Path, Entry] = {}
    for n, doc in enumerate(documents, start=1):
        try:
            path, entry = _entry(Path(folder), n, doc)
        except IngestError as e:
            if problems is None:
                raise
            problems.append(f"{e}; this entry is ignored")
            continue
        if problems is not None and not path.exists():
            problems.append(f"[[document]] #{n} (file = {entry.fields['file']!r}): no such file in {folder}")
        entry.catalog = source
        entries[path] = entry
    return entries, taxonomy


def _entry(folder: Path, n: int, doc) -> tuple[Path, Entry]:
    """One ``[[document]]`` table, checked: its file's resolved path and its entry."""
    where = f"[[document]] #{n}"
    if not isinstance(doc, dict) or "file" not in doc:
        raise IngestError(f"{where}: every document needs a file = \"...\"")
    where += f" (file = {doc['file']!r})"
    fields = _check(where, doc, DOC_FIELDS)
    parts = [_check(f"{where} part #{k}", p, PART_FIELDS) for k, p in enumerate(fields.pop("parts", []), 1)]
    for p in parts:
        if "start" not in p:
            raise IngestError(f"{where}: every part needs start = \"the line it begins with\"")
    return (folder / fields["file"]).resolve(), Entry(fields, parts)
