"""Re-tag themes on everything indexed, from the stored section text (no re-parsing).

Used after a taxonomy change (``sgsearch ingest --retag``): the source files need not
be present, because every section's heading and text are stored in the index.
"""
from __future__ import annotations

import os
from pathlib import Path

from search.index import Store


def retag(index_dir: str | os.PathLike, taxonomy_files: list[Path] | None = None) -> int:
    """Tag every section and item again with the current taxonomy; return the sections re-tagged."""
    from ingest.taxonomy import load_taxonomy
    from ingest.themes import get_tagger

    tagger = get_tagger(load_taxonomy(taxonomy_files))
    store = Store(index_dir)
    with store.locked():
        sections = store.records("section")
        items = store.records("item")
        stags = tagger.tag_many([f"{s['heading']}\n{s['text']}" for s in sections])
        itags = tagger.tag_many([i["item_text"] for i in items])
        with store.writer() as (w, _manifest):
            for s, tags in zip(sections, stags):
                s["themes"] = ",".join(t.id for t in tags)
                s["theme_evidence"] = {t.id: {"count": t.count, "evidence": t.evidence} for t in tags}
                s["exact"] = f"{s['heading']}\n{s['text']}"
                w.update_document(**s)
            for i, tags in zip(items, itags):
                i["item_themes"] = [t.id for t in tags]
                w.update_document(**i)
        store.close()
    return len(sections)
