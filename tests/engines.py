"""The engines this Python can run (tantivy needs 3.11+), for tests parametrized over both."""
from __future__ import annotations

from search.index.backends import ENGINES, EngineUnavailable, backend_class


def _available() -> list[str]:
    out = []
    for name in ENGINES:
        try:
            backend_class(name)
        except EngineUnavailable:
            continue
        out.append(name)
    return out


AVAILABLE = _available()
