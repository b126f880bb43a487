"""A new review's recommendations, read for ``sgsearch recur --check FILE``.

A ``.txt`` (or ``.md``) file holds one recommendation per line (bullets and numbers are
dropped); any other document sgsearch reads is parsed and its items are taken.
:func:`tag_texts` tags texts with the spaCy tagger, as the index's items were (the benchmarks
use it); a check itself reads a text's themes from their phrases (``search.recur``).
"""
from __future__ import annotations

import re
from pathlib import Path

_BULLET = re.compile(r"^\s*(?:[-*•·❑]|\(?\d{1,3}[.)]|\(?[a-z][.)]|recommendation\s*\d*\s*[:.])\s*", re.I)
TEXT_SUFFIXES = (".txt", ".md", ".text")


class ChecklistError(ValueError):
    """The file cannot be read as a list of recommendations; the message names the file."""


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


def own_documents(store, path, name: str | None = None) -> list[dict]:
    """The indexed documents that are the checked file itself: the same content (sha256), or
    the id its name would be given (``name``: an uploaded file's own name). ``[{"doc_id", "title"}]``."""
    from ingest.document import sha256_file, slug

    try:
        digest = sha256_file(Path(path))
    except OSError:
        digest = None
    doc_id = slug(Path(name or path).stem)
    return [{"doc_id": d["doc_id"], "title": d.get("doc_title") or d["doc_id"]} for d in store.records("doc")
            if (digest and d.get("sha256") == digest) or d.get("doc_id") == doc_id]


def check_texts(store, texts: list[str], kind: str | None = None, limit: int = 10,
                exclude_docs=()) -> list[dict]:
    """Each text (a new review's recommendations) against the index, as ``recur --check`` does it:
    tagged with the index's themes, its earlier matches best first, each match cited, and
    Items of ``exclude_docs`` are left out.
    ``[{"text", "matches": [item + "score", "why", "citation"]}]`` in the order given."""
    from search.cite import cite_items
    from search.recur import check_many

    checks = check_many(store, texts, limit=limit, kind=kind, exclude_docs=exclude_docs)
    cite_items(store, [m for c in checks for m in c["matches"]])
    return checks


def check_review(store, texts: list[str], kind: str | None = None, limit: int = 10,
                 own: list[dict] = ()) -> dict:
    """A review's recommendations checked (``recur --check FILE``): ``{"checks": [{"text",
    "verdict", "matches"}], "summary"}``, the items of ``own`` (the review itself, if indexed:
    see :func:`own_documents`) left out and the summary saying so."""
    from search.recur import summary, verdict

    checks = check_texts(store, texts, kind=kind, limit=limit, exclude_docs=[d["doc_id"] for d in own])
    for c in checks:
        c["verdict"] = verdict(c)
    return {"checks": checks, "summary": summary(checks, left_out=list(own))}
