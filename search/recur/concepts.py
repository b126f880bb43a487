"""Concepts of an index: the tokeniser (``search.vocab.concepts``, which ingest uses too)
with the themes, thesaurus and publishers' areas the index holds."""
from __future__ import annotations

from search.index.store import DOCS_EVERY, Store
from search.recur.cachefiles import kept_value
from search.vocab.concepts import (  # noqa: F401 - recur's names for the tokeniser
    CONCEPT_PREFIX,
    CONCEPTS_NAME,
    OBJECT_PREFIX,
    SYNONYM_PREFIX,
    THEME_PREFIX,
    Concepts,
    ConceptsError,
    bundled_concepts_path,
    default_concepts,
    load_concepts,
    normalise,
    publisher_places,
    tokens,
)
from search.vocab.thesaurus import index_thesaurus

_by_taxonomy: dict = {}


def store_concepts(store: Store | None, release: bool = False) -> Concepts:
    """The concepts for an index: the bundled ones, the themes of the taxonomy it was tagged
    with, the thesaurus it reads, and the areas its documents' publishers name (read once
    per index generation; ``release``: letting go of the engine's pages as they are read)."""
    if store is None:
        return default_concepts()
    tax = store.taxonomy()
    thesaurus = index_thesaurus(store.current_dir())
    c = default_concepts()
    places = tuple(store.cached("recur-places", lambda: kept_value(
        store, "places", [sorted(c.place_bodies), sorted(c.stock)],
        lambda: publisher_places(d.get("publisher") for d in store.iter_records(
            "doc", release_every=DOCS_EVERY if release else 0)))))
    key = (getattr(tax, "fingerprint", lambda: None)(), thesaurus.to_json(), places)
    cached = _by_taxonomy.get(key)
    if cached is None:
        cached = _by_taxonomy[key] = load_concepts(tax, thesaurus=thesaurus, places=places)
    return cached
