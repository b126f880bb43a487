"""Re-tag themes on everything indexed, from the stored section text (no re-parsing).

Used after a taxonomy change (``sgsearch ingest --retag``): the source files need not
be present, because every section's heading and text are stored in the index.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ingest.tagworker import Tagging, section_text, theme_evidence, vocabulary_stamp
from search.index.records import exact_value, years_covered
from search.index.store import Store
from search.vocab.taxonomy import bundled_path


def retag(index_dir: str | os.PathLike, taxonomy_files: list[Path] | None = None) -> int:
    """Tag every section and item again with the current taxonomy: the bundled themes, the
    theme files the index was tagged with (read again: they may have changed) and
    ``taxonomy_files``. Returns the number of sections re-tagged."""
    store = Store(index_dir)
    extra = [Path(p) for p in taxonomy_files or []]
    skip = {bundled_path().resolve(), *(p.resolve() for p in extra)}
    recorded = [Path(p) for p in store.taxonomy().sources if Path(p).resolve() not in skip and Path(p).is_file()]
    # the tagger loads in a child process while the records are read (see ingest.tagworker);
    # a broken taxonomy file stops it before anything is read
    with Tagging([*recorded, *extra]) as tagging:
        with store.locked(), contextlib.closing(store):  # its files let go however it ends (Windows)
            sections = store.records("section")
            docs = {d["doc_id"]: d for d in store.records("doc")}
            items = store.records("item")
            stags = tagging.tag_later([section_text(s) for s in sections], batch=256)
            itags = tagging.tag_later([i["item_text"] for i in items], batch=256)
            stamp = vocabulary_stamp()
            with store.writer(taxonomy=tagging.taxonomy) as (w, manifest):
                for entry in manifest.values():  # every document now carries this version's themes
                    if isinstance(entry, dict):
                        entry["tagged_with"] = stamp
                for s, tags in zip(sections, stags):
                    s["themes"] = ",".join(t["id"] for t in tags)
                    s["theme_evidence"] = theme_evidence(tags)
                    s["exact"] = exact_value(s)
                    if s.get("year_start") is not None:  # the years covered are indexed, not stored
                        s["years"] = years_covered(s["year_start"], docs.get(s["doc_id"], {}))
                    w.update(s)
                for i, tags in zip(items, itags):
                    i["item_themes"] = [t["id"] for t in tags]
                    w.update(i)
    return len(sections)
