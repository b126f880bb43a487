"""The engines an index can be written with, chosen when it is created (see :mod:`.base`).

``whoosh`` (the default) is pure Python and fine up to some 20,000 sections; ``tantivy``
is compiled and answers in milliseconds at 100,000. ``$SGSEARCH_ENGINE`` sets the
engine of new indexes when ``--engine`` is not given.
"""
from __future__ import annotations

import os

from search.errors import SgsearchError
from search.index.backends.base import ANY, COUNT_FIELDS, Backend, Count, Found, Unsupported, Writer

__all__ = ["ANY", "COUNT_FIELDS", "DEFAULT_ENGINE", "ENGINES", "Backend", "Count", "EngineUnavailable", "Found",
           "Unsupported", "Writer", "backend_class", "default_engine"]

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"
ENV_VAR = "SGSEARCH_ENGINE"


class EngineUnavailable(SgsearchError):
    """The engine asked for cannot run here (unknown, or not installed)."""


def default_engine() -> str:
    """The engine for a new index: ``$SGSEARCH_ENGINE``, else Whoosh."""
    return os.environ.get(ENV_VAR, "").strip().lower() or DEFAULT_ENGINE


def backend_class(name: str) -> type[Backend]:
    """The backend of engine ``name`` (imported only when used)."""
    if name == "whoosh":
        # lazy: an engine's library loads only for an index on that engine
        from search.index.backends.whoosh import WhooshBackend

        return WhooshBackend
    if name == "tantivy":
        try:
            # lazy: an engine's library loads only for an index on that engine
            import tantivy
        except ImportError:
            tantivy = None
        if tantivy is None or not hasattr(tantivy, "PreTokenizedString"):
            raise EngineUnavailable("the tantivy engine needs tantivy 0.27 or later, which has wheels for "
                                    "Python 3.11 and later: use --engine whoosh, or a newer Python")
        # lazy: an engine's library loads only for an index on that engine
        from search.index.backends.tantivy import TantivyBackend

        return TantivyBackend
    raise EngineUnavailable(f"unknown engine {name!r}: use one of {', '.join(ENGINES)}")
