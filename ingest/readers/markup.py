"""Markdown as published: front matter, HTML comments and pipe tables.

Front matter (a ``---`` block of ``key: value`` lines at the top, as static site
generators and trafilatura write it) is not body text; its ``title``, ``date``, site
name and address (``url``) become metadata. HTML comments are dropped; one holding only
an address on the first line (how saved pages record where they came from) gives ``url``. Pipe tables become tab-separated
rows, the shape the text reader reads as table rows.
"""
from __future__ import annotations

import re

from ingest.readers.text import parse_text

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# the keys that name the same thing in the front matter of different tools
_ALIASES = {"title": "title", "date": "date", "published": "date", "sitename": "site_name",
            "site_name": "site_name", "site": "site_name", "author": "author", "description": "description",
            "url": "url", "canonical": "url", "source": "url"}
# a saved page's address, kept as a comment on its first line: "<!-- https://... -->"
_URL_COMMENT = re.compile(r"\A\ufeff?\s*<!--\s*(https?://\S+)\s*-->")


def front_matter(text: str) -> tuple[dict, str]:
    """Split leading front matter from ``text``: ``({"title", "date", "site_name", ...}, body)``."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict = {}
    for line in m.group(1).splitlines():
        km = _KEY.match(line)
        if not km:
            continue
        key = _ALIASES.get(km.group(1).lower())
        value = km.group(2).strip().strip("\"'").strip()
        if key and value and key not in meta:
            meta[key] = value
    # keep the line count, so that nothing after it moves
    return meta, "\n" * m.group(0).count("\n") + text[m.end():]


def drop_comments(text: str) -> str:
    """Remove HTML comments (``<!-- ... -->``), keeping their line breaks."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def pipe_tables(text: str) -> str:
    """Rewrite Markdown pipe-table rows as tab-separated rows; drop their ``|---|`` rules."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") and s.count("|") >= 2:
            if _TABLE_RULE.match(s):
                continue
            cells = [c.strip() for c in s.strip("|").split("|")]
            out.append("\t".join(cells))
            continue
        out.append(line)
    return "\n".join(out)


def parse_markdown(text: str):
    """Markdown into a :class:`ingest.blocks.ReadResult` whose ``meta`` holds the front matter."""
    meta, body = front_matter(text)
    m = _URL_COMMENT.match(body)
    if m:
        meta.setdefault("url", m.group(1))
    result = parse_text(pipe_tables(drop_comments(body)))
    result.meta = meta
    return result
