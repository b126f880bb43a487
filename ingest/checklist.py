"""A new review's recommendations, read for ``sgsearch recur --check FILE``.

A ``.txt`` (or ``.md``) file holds one recommendation per line (bullets and numbers are
dropped); any other document sgsearch reads is parsed and its items are taken. The texts
are tagged with the index's themes here, so that ``search.recur`` never has to tag.
"""
from __future__ import annotations

import re
from pathlib import Path

_BULLET = re.compile(r"^\s*(?:[-*•·❑]|\(?\d{1,3}[.)]|\(?[a-z][.)]|recommendation\s*\d*\s*[:.])\s*", re.I)
TEXT_SUFFIXES = (".txt", ".md", ".text")


class ChecklistError(ValueError):
    """The file cannot be read as a list of recommendations; the message names the file."""


def looks_like_file(text: str) -> bool:
    """Whether ``recur --check`` text is meant as a file name rather than a recommendation:
    one line ending in a document's extension, or a path with a folder in it and no spaces."""
    from ingest.readers import SUPPORTED_EXTS

    t = text.strip()
    if not t or "\n" in t or len(t) > 400:
        return False
    return Path(t).suffix.lower() in SUPPORTED_EXTS or (("/" in t or "\\" in t) and not any(c.isspace() for c in t))


def read_checklist(path, name: str | None = None) -> list[str]:
    """The recommendations in ``path``: one per line of a text file, or a document's items.

    ``name`` is what messages call the file (an uploaded file's own name; default the path)."""
    path = Path(path)
    name = name or str(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise ChecklistError(f"{name}: cannot read it as text: {getattr(e, 'strerror', None) or e}") from e
        texts = [_BULLET.sub("", ln).strip() for ln in lines]
        texts = [t for t in texts if len(t.split()) >= 1]
    else:
        from ingest.document import parse_file
        from ingest.items import extract_items

        try:
            texts = [i["text"] for i in extract_items(parse_file(path))]
        except Exception as e:  # noqa: BLE001 - any reader failure is the file's problem, said in one line
            raise ChecklistError(f"{name}: cannot read it: {' '.join(str(e).split()) or type(e).__name__}") from e
    if not texts:
        raise ChecklistError(f"{name}: no recommendations found (a .txt file needs one per line)")
    return texts


def tag_texts(texts: list[str], taxonomy=None) -> list[list[str]]:
    """The theme ids of each text (spaCy tagger); empty lists when the tagger cannot load."""
    try:
        from ingest.themes import get_tagger

        tagger = get_tagger(taxonomy)
    except ImportError:  # pragma: no cover - spaCy missing: check by words alone
        return [[] for _ in texts]
    return [[t.id for t in tags] for tags in tagger.tag_many(texts)]


def check_texts(store, texts: list[str], kind: str | None = None, limit: int = 10) -> list[dict]:
    """Each text (a new review's recommendations) against the index, as ``recur --check`` does it:
    tagged with the index's themes, its earlier matches best first, each match cited.
    ``[{"text", "matches": [item + "score", "why", "citation"]}]`` in the order given."""
    from search.cite import cite_items
    from search.recur import check_many

    checks = check_many(store, texts, tag_texts(texts, store.taxonomy()), limit=limit, kind=kind)
    cite_items(store, [m for c in checks for m in c["matches"]])
    return checks
