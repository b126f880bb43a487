"""The base of the errors the library raises for input it cannot use or a state it cannot
work in: each message is one line that says what to fix, shown as it is by the command line
and the web page."""
from __future__ import annotations

__all__ = ["QueryError", "SgsearchError"]


class SgsearchError(Exception):
    """Something sgsearch cannot do with what it was given; the message says why, in one line."""


class QueryError(SgsearchError, ValueError):
    """A query or filter that cannot be understood; the message says how to fix it."""
