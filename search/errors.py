"""The base of the errors the library raises for input it cannot use or a state it cannot
work in: each message is one line that says what to fix, shown as it is by the command line
and the web page."""
from __future__ import annotations

__all__ = ["FIELD_NAMES", "FormatError", "QueryError", "SgsearchError", "did_you_mean", "quoted"]


class SgsearchError(Exception):
    """Something sgsearch cannot do with what it was given; the message says why, in one line."""


# How the page names a filter in a message; the command line says its option instead (cli.py)
FIELD_NAMES = {"year": "Year", "from_year": "From year", "to_year": "To year", "doc_type": "Document type",
               "theme": "theme", "publisher": "Publisher", "since": "Since", "theme_list": "the Themes page"}


class QueryError(SgsearchError, ValueError):
    """A query or filter that cannot be understood; the message says how to fix it.

    A filter named in the message is written as its field in braces (``{from_year}``):
    ``str()`` says it as the page does ("From year"), :meth:`said` as a caller names it
    (the command line's ``--from``)."""

    def __init__(self, message: str):
        self.template = message
        super().__init__(self.said(FIELD_NAMES))

    def said(self, names: dict[str, str]) -> str:
        """The message with each ``{field}`` called by ``names`` (FIELD_NAMES for any it lacks)."""
        text = self.template
        for key, name in FIELD_NAMES.items():
            text = text.replace("{" + key + "}", names.get(key, name))
        return text


class FormatError(SgsearchError, ValueError):
    """A file format that cannot be written, asked for or read from the file's name; the
    message names the file and the formats that can be."""


def quoted(value) -> str:
    """A user's value in a message, its braces changed so that it is never taken for a field."""
    return repr(str(value)).replace("{", "(").replace("}", ")")


def did_you_mean(value: str, choices) -> str:
    """``"did you mean X? "`` for the choice closest to ``value`` (any case), or ``""``."""
    import difflib  # lazy: only an error message needs it

    by_key: dict[str, str] = {}
    for c in choices:  # the first of choices that differ only in case is said
        by_key.setdefault(str(c).lower(), str(c))
    close = difflib.get_close_matches(str(value).strip().lower(), list(by_key), n=1)
    return f"did you mean {by_key[close[0]]}? " if close else ""
