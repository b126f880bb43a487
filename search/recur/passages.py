"""What reports said in passing, as ``recur --check`` compares them.

Ingest keeps, with each section, the candidates its item model scored below the item bar
but above a floor (``ingest/passages.toml``): sentences, list entries and rows that are not
items. ``--check`` compares a text with them too and may list one among the nearest earlier
texts as said in passing, with its citation; a passage never makes a text "made before"
and is never grouped by ``recur``. An index written before passages were kept has none.

The passages and their tokens are read once per index generation and kept in the per-user
cache (see :func:`search.recur.cachefiles.kept_value`).
"""
from __future__ import annotations

from search.index.store import Store
from search.recur.cachefiles import kept_value
from search.recur.concepts import _THEME, Concepts
from search.vocab.concepts import concepts_digest, item_tokens

PASSAGE_KIND = "said in passing"  # what a passage shows where an item shows its kind
_VERSION = 1  # raise whenever what is kept changes
_RELEASE_EVERY = 20_000  # sections read between two lets-go of the engine's pages (with ``release``)
_FIELDS = ("section_id", "doc_id", "title", "year", "year_start", "number", "heading")


def index_passages(store: Store, concepts: Concepts, release: bool = False) -> dict:
    """The index's passages: ``{"passages": [{"item_id", "section_id", "doc_id", "title", "year",
    "year_start", "number", "heading", "page", "text", "themes"}], "tokens": [each one's tokens
    joined by spaces], "surface": {stem: readable word}}``. A passage's id is its section's and
    its place there (``<section id>~<n>``); its themes are those whose phrases it holds, as a
    checked text's are. ``release``: let go of the index's pages as many sections are read."""
    return kept_value(store, "passages", [_VERSION, concepts_digest(concepts)],
                      lambda: _read(store, concepts, release))


def _read(store: Store, concepts: Concepts, release: bool) -> dict:
    passages: list[dict] = []
    toks: list[str] = []
    surface: dict[str, str] = {}
    for r in store.iter_records("section", release_every=_RELEASE_EVERY if release else 0):
        said = (r.get("cells") or {}).get("passages")
        if not said:
            continue
        base = {f: r.get(f) for f in _FIELDS}
        base["section_id"] = r.get("section_id") or r.get("id")
        for n, p in enumerate(said, start=1):
            if not isinstance(p, dict) or not p.get("text"):
                continue
            it = dict(base, item_id=f"{base['section_id']}~{n}", text=str(p["text"]), page=p.get("page"))
            t = item_tokens(it, concepts, surface)
            it["themes"] = list(dict.fromkeys(x[len(_THEME):] for x in t if x.startswith(_THEME)))
            passages.append(it)
            toks.append(" ".join(t))
    return {"passages": passages, "tokens": toks, "surface": surface}
