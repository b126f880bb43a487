"""The errors the library raises for bad input; each message says what to fix."""
from __future__ import annotations

__all__ = ["QueryError"]


class QueryError(ValueError):
    """A query or filter that cannot be understood; the message says how to fix it."""
