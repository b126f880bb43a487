"""Remove conversion artefacts from text, whatever reader produced it.

Artefacts seen in published reports converted to text (see the corpus README):
``[bookmark: _Toc197420056]``, ``[footnoteRef:1]`` markers and ``[1: ...]`` footnote
definitions, ``[image: ...]`` placeholders, Markdown emphasis, ``[text](#)`` links,
HTML fragments in table cells, non-breaking spaces and stray control characters.
"""
from __future__ import annotations

import html
import re

from search.safe import strip_control

# Bounded by the next bracket, tag or delimiter: a long line full of unclosed openers must
# not make these quadratic (a 100 KB line of "**a " took minutes).
_BOOKMARK = re.compile(r"\[bookmark:[^\]\[]*\]", re.I)
_FOOTREF = re.compile(r"\[footnoteRef:\s*\d+\]", re.I)
# A footnote definition runs from "[N:" to the matching "]"; its text may contain
# brackets of its own, so it is removed with a small scanner (see strip_footnotes).
_FOOTDEF_START = re.compile(r"\[(\d{1,3}):")
_IMAGE = re.compile(r"\[image:[^\]]*\]?", re.I | re.S)
_LINK = re.compile(r"\[([^\]\[]*)\]\((?:[^()\s]|\([^()]*\))*\)")
_LINK_ESC = re.compile(r"\\([()\[\]*_#])")
_BOLD = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_STRAY_STARS = re.compile(r"\*{2,}")
_TAG = re.compile(r"</?(?:p|ul|ol|li|br|span|div|b|i|u|em|strong|a|table|tr|td|th|sup|sub|font)\b[^<>]*>", re.I)
_BLOCK_TAG = re.compile(r"</?(?:p|br|li|div|tr)\b[^<>]*>", re.I)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028\u2029\ufeff\ufffd]")  # zero-width, separators, BOM, replacement
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def strip_footnotes(text: str) -> tuple[str, list[str]]:
    """Remove ``[N: footnote text]`` definitions; return the text and the footnotes."""
    notes: list[str] = []
    out: list[str] = []
    i = 0
    while True:
        m = _FOOTDEF_START.search(text, i)
        if not m:
            out.append(text[i:])
            break
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            if text[j] == "[":
                depth += 1
            elif text[j] == "]":
                depth -= 1
            j += 1
        notes.append(text[m.end():j - 1].strip())
        i = j
    return "".join(out), notes


def html_to_text(text: str) -> str:
    """Turn HTML fragments (``<p>``, ``<ul><li>``) into plain text with ``; `` between parts."""
    if "<" not in text:
        return text
    text = _BLOCK_TAG.sub(" ; ", text)
    text = _TAG.sub(" ", text)
    text = re.sub(r"(\s*;\s*)+", "; ", text)
    return text.strip(" ;")


def clean_inline(text: str) -> str:
    """Clean one line or cell of text: remove artefacts, unescape, fold white space."""
    if not text:
        return ""
    text = _BOOKMARK.sub("", text)
    text = _FOOTREF.sub("", text)
    text, _ = strip_footnotes(text)
    text = _IMAGE.sub("", text)
    text = html_to_text(text)
    text = html.unescape(text)
    text = _LINK.sub(r"\1", text)
    text = _LINK_ESC.sub(r"\1", text)
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(r"\1", text)
    text = _STRAY_STARS.sub("", text)
    text = _INVISIBLE.sub("", strip_control(text, keep="\t\n\r\x0c"))
    text = _SPACES.sub(" ", text)
    return text.strip()


_GLYPHS = "·•❑▪◦●○■□➢➤►✓✔\uf0b7\uf0a7\uf0d8\uf076\uf0fc"
# "* " opens a bullet in Markdown and plain text; "**" (bold) and "*word*" do not
_BULLET = re.compile(rf"^\s*(?:[-{_GLYPHS}](?:\s*[{_GLYPHS}])*|\*(?=\s))\s*")


def strip_bullet(text: str) -> tuple[bool, str]:
    """Remove a leading bullet glyph (``·``, ``•``, ``❑``, ``-``, ``- · · ·``).

    Returns ``(had_bullet, rest)``.
    """
    m = _BULLET.match(text)
    if not m or m.end() == 0:
        return False, text
    rest = text[m.end():]
    # "-5%" or "- 12" are figures, not bullets; a dash bullet needs a space after it
    if text.lstrip().startswith("-") and not re.match(r"^\s*-\s", text):
        return False, text
    return True, rest
