"""Re-tag themes on everything indexed, from the stored section text (no re-parsing).

Used after a taxonomy change (``sgsearch ingest --retag``): the source files need not
be present, because every section's heading and text are stored in the index.
"""
from __future__ import annotations

import os
from pathlib import Path

from search.index import Store


def retag(index_dir: str | os.PathLike, taxonomy_files: list[Path] | None = None) -> int:
    """Tag every section and item again with the current taxonomy: the bundled themes, the
    theme files the index was tagged with (read again: they may have changed) and
    ``taxonomy_files``. Returns the number of sections re-tagged."""
    from ingest.taxonomy import bundled_path, load_taxonomy
    from ingest.themes import get_tagger

    store = Store(index_dir)
    bundled = bundled_path().resolve()
    recorded = [Path(p) for p in store.taxonomy().sources if Path(p).resolve() != bundled and Path(p).is_file()]
    extra = [Path(p) for p in taxonomy_files or []]
    taxonomy = load_taxonomy([*(p for p in recorded if p.resolve() not in {e.resolve() for e in extra}), *extra])
    tagger = get_tagger(taxonomy)
    with store.locked():
        sections = store.records("section")
        items = store.records("item")
        stags = tagger.tag_many([f"{s['heading']}\n{s['text']}" for s in sections])
        itags = tagger.tag_many([i["item_text"] for i in items])
        with store.writer(taxonomy=taxonomy) as (w, _manifest):
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
