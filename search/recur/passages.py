"""What reports said in passing, as ``recur --check`` compares them.

Ingest keeps, with each section, the candidates its item model scored below the item bar
but above a floor (``ingest/passages.toml``): sentences, list entries and rows that are not
items. ``--check`` compares a text with them too and may list one among the nearest earlier
texts as said in passing, with its citation; a passage never makes a text "made before"
and is never grouped by ``recur``. An index written before passages were kept has none.

Ingest also lists the passages beside the index, their tokens made with the items' (see
:mod:`search.index.passagelist`), so that ``--check`` reads that list, never every section:
after an ingest only the passages it added are looked up in what it stored (each one not
carried over from the index's previous generation), and none is tokenised again unless the
index's concepts read it differently now. An index written before passages were listed is read
from its sections (until its next ingest lists them). Their concepts are kept per index
generation in the per-user cache (see :func:`search.recur.cachefiles.kept_value`) as a sparse
matrix, packed as the items' are: a check reads them back in a blink, and only the few passages
it lists are read whole from their sections.
"""
from __future__ import annotations

import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np

from search.index.passagelist import (
    TOKENS_FILE,
    ListDamaged,
    Listed,
    listed,
    parse_passage_id,
    section_passages,
)
from search.index.records import passage_json
from search.index.store import Store
from search.recur.cache import (
    BATCH,
    CacheFile,
    KnownTokens,
    cache_path,
    code_values,
    decode_values,
    made_tokens,
    pack_ints,
    unpack_ints,
)
from search.recur.cachefiles import kept_value
from search.recur.concepts import THEME_PREFIX, Concepts
from search.recur.scoring import ConceptRows, JoinedStrings, concept_rows
from search.vocab.concepts import concepts_digest

PASSAGE_KIND = "said in passing"  # what a passage shows where an item shows its kind
_VERSION = 2  # raise whenever what is kept changes
_RELEASE_EVERY = 20_000  # sections read between two lets-go of the engine's pages (with ``release``)
_PREFIX = "said"  # the per-user cache's files of the passages' tokens, carried to the next generation


@dataclass
class Said:
    """The index's passages: ``ids`` (``<section id>~<n>``, the n-th passage of that section),
    the document of each, their concepts as :class:`ConceptRows` (with the ``#theme`` tags of the
    themes whose phrases each holds, as a checked text has) and the words their stems read as."""

    ids: list[str]
    docs: list[str]
    rows: ConceptRows
    surface: dict[str, str]


def index_passages(store: Store, concepts: Concepts, release: bool = False) -> Said:
    """The index's passages (see :class:`Said`), from the cache or read from the index's list
    (from its sections when it lists none). ``release``: let go of the index's pages as many
    sections are read."""
    got = _said(kept_value(store, "passages", [_VERSION, concepts_digest(concepts)],
                           lambda: _read(store, concepts, release)))
    return got if got is not None else _said(_read(store, concepts, release))  # a damaged cache is never trusted


def _said(data) -> Said | None:
    """:class:`Said` from what :func:`_read` made (or the cache kept); None if it is damaged."""
    try:
        ids = data["ids"].split("\n") if data["ids"] else []
        rows = ConceptRows(JoinedStrings(data["strings"].encode("utf-8"), data["count"]), unpack_ints(data["sizes"], "<i4").tolist(),
                           data["vocab"].split("\n") if data["vocab"] else [], unpack_ints(data["indptr"], "<i8"),
                           unpack_ints(data["indices"], "<i4"))
        docs = decode_values(data["docs"])
        if len(docs) == len(ids) == len(rows.sizes) == len(rows.indptr) - 1:
            return Said(ids, docs, rows, dict(data["surface"]))
    except (TypeError, KeyError, ValueError, AttributeError, binascii.Error):
        pass
    return None


def _passages(store: Store, release: bool, from_list: bool = True) -> Iterator[Listed]:
    """The index's passages: its list (unless not ``from_list``), or (an index that lists none)
    every section read."""
    found = listed(store.current_dir()) if from_list else None
    if found is not None:
        yield from found
        return
    for r in store.iter_records("section", release_every=_RELEASE_EVERY if release else 0):
        said = (r.get("cells") or {}).get("passages")
        if said:
            for pid, it in section_passages(r.get("section_id") or r.get("id"), r.get("heading"), said):
                yield Listed.of(r.get("doc_id"), pid, it)


def _read(store: Store, concepts: Concepts, release: bool) -> dict:
    """The index's passages tokenised, as the cache keeps them (a JSON value), read from its
    sections when its list is found damaged (never in part)."""
    try:
        return _tokenised(store, concepts, release, True)
    except ListDamaged:
        return _tokenised(store, concepts, release, False)


def _tokenised(store: Store, concepts: Concepts, release: bool, from_list: bool) -> dict:
    """:func:`_read` from the list or (not ``from_list``) the sections. Tokens found made already
    (carried from the previous generation, or stored by ingest) are not made again; those of this
    generation are kept for the next."""
    ids: list[str] = []
    docs: list[str] = []
    items: list[dict] = []
    joined: list[str] = []  # each passage's tokens joined by spaces: one string, not a list of them
    words: list[int] = []
    surface: dict[str, str] = {}
    themes_of: dict[tuple, dict] = {}  # one {"themes"} for the passages of the same themes
    reuse_path = cache_path(store, concepts, "reuse", prefix=_PREFIX)
    known = KnownTokens(store, concepts, reuse_path, TOKENS_FILE)
    passages = _passages(store, release, from_list)
    with CacheFile(reuse_path) as reuse:
        while batch := list(islice(passages, BATCH)):
            got = known.get_many([p.key for p in batch], lambda n: batch[n].item())
            for p, g in zip(batch, got):
                t, learnt = made_tokens(g, p.item() if g is None else None, concepts, surface)
                if "\t" not in t:
                    reuse.write(f"{p.key:016x}\t{t}\t{learnt}\n")
                themes = tuple(dict.fromkeys(x[len(THEME_PREFIX):] for x in t.split(" ") if x.startswith(THEME_PREFIX)))
                ids.append(p.pid)
                docs.append(p.doc)
                items.append(themes_of.get(themes) or themes_of.setdefault(themes, {"themes": list(themes)}))
                joined.append(t)
                words.append(p.words)
    known = None  # its buffers go before the rows are built
    # each passage's tokens split as its row is made (a token never is empty nor holds a space)
    rows = concept_rows(items, (t.split(" ") if t else [] for t in joined), words=words, strings=False)
    return {"ids": "\n".join(ids), "docs": code_values(docs), "count": len(ids), "strings": "\n".join(joined),
            "sizes": pack_ints(np.array(rows.sizes, dtype=np.int64), "<i4"), "vocab": "\n".join(rows.vocab),
            "indptr": pack_ints(rows.indptr, "<i8"), "indices": pack_ints(rows.indices, "<i4"), "surface": surface}


def passage(store: Store, pid: str) -> dict:
    """A passage as ``--check`` lists it (its section's document, title, year, number, heading and
    themes; its own text and page), by its id; an empty one if its section is gone."""
    sid = (parse_passage_id(pid) or ("",))[0]
    r = store.record(sid) or {}
    p = passage_json(r, pid) or {}
    themes = r.get("themes") or ""
    return {"item_id": pid, "section_id": sid, "doc_id": r.get("doc_id"), "kind": PASSAGE_KIND,
            "text": p.get("text") or "", "status": None,
            "themes": [t for t in themes.split(",") if t] if isinstance(themes, str) else list(themes),
            "year": r.get("year"), "year_start": r.get("year_start"), "title": r.get("title"),
            "number": r.get("number") or None, "heading": r.get("heading"), "page": p.get("page"), "passage": True}
