"""Judge lines of plain text by their shape: heading-like, body-like, a TOC line.

Plain text has no styles, so an unnumbered heading is recognised by shape: short,
no final full stop, title case or capitals (or a short sentence-case phrase), and
followed by body text. The same tests serve every reader that lacks style
information for a line.
"""
from __future__ import annotations

import re

# Words that stay lower case in a title-case heading.
_MINOR = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "with", "within", "across", "about", "our", "their", "its", "vs", "via",
    "per", "is", "are", "be", "we", "&", "-", "–", "—", "/",
}
_WORD = re.compile(r"[A-Za-z][\w'’&/-]*|\d[\w/-]*")
_TOC_LINE = re.compile(r"^(?P<title>.*?\S)\s*(?:\.{2,}|…+|\t| {2,}| -)\s*(?:Page\s*)?\d{1,3}(?:\s*-\s*\d{1,3})?\s*$", re.I)
_PAGE_END = re.compile(r"(?:\t|\.{2,}|\s-|\bPage)\s*\d{1,3}\s*$", re.I)
_CONTENTS = re.compile(r"^\s*(?:table of )?contents\s*:?\s*$", re.I)
_SENTENCE_END = re.compile(r"[.!?;:\"”’]\s*$")
_LEAD_IN = re.compile(r"\b(?:include[sd]?|are|were|is|was|following|below|follows|has|have|by|to)\s*:\s*$", re.I)


def words(text: str) -> list[str]:
    """The words of a line (letters/digits runs), for counting and case tests."""
    return _WORD.findall(text)


def is_contents_heading(text: str) -> bool:
    """True for a 'Contents' / 'Table of contents' line."""
    return bool(_CONTENTS.match(text))


def is_toc_line(raw: str) -> bool:
    """True for a table-of-contents line: text then a page number (after a tab, dots or 'Page')."""
    return bool(_TOC_LINE.match(raw)) and bool(_PAGE_END.search(raw) or "\t" in raw)


_CONTENTS_ENTRY = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+)?[^.!?;:]{2,90}?[\s.…_-]+\d{1,3}$")


def is_contents_entry(text: str) -> bool:
    """True for a line of a contents list typed as plain words and a page number
    ("Foreword 2", "4.1 Training 12"); only meaningful right after a "Contents" line."""
    return bool(_CONTENTS_ENTRY.match(text.strip())) or is_toc_line(text)


def case_shape(text: str) -> str:
    """Classify a line's capitalisation: ``upper``, ``title``, ``sentence`` or ``lower``."""
    ws = [w for w in words(text) if w[0].isalpha()]
    if not ws:
        return "lower"
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return "upper"
    major = [w for w in ws if w.lower() not in _MINOR]
    if major and all(w[0].isupper() for w in major) and ws[0][0].isupper():
        return "title"
    if ws[0][0].isupper():
        return "sentence"
    return "lower"


def looks_like_heading(text: str, max_words: int = 12) -> bool:
    """True when a cleaned line could be an unnumbered heading by its shape alone."""
    t = text.strip()
    if not t or len(t) > 100 or t[0] in "\"“‘'(•·-–*[":
        return False
    if not (t[0].isupper() or t[0].isdigit()):
        return False
    if t.endswith((".", ",", ";")) and not t.endswith("..."):
        return False
    n = len(words(t))
    if n == 0 or n > max_words:
        return False
    if re.search(r"https?://|www\.|@\w", t):
        return False
    if re.fullmatch(r"[\d\s/.,%£:-]+", t):
        return False
    if all(part in _MINOR for w in words(t) for part in w.lower().split("/")):
        return False  # "OR", "AND/OR" between two lists join them; they never name a section
    shape = case_shape(t)
    if shape in ("upper", "title"):
        return not (t.endswith(":") and n > 8)
    # sentence case: only short phrases ("Key developments", "Focus for next year:"),
    # not lead-ins to a list ("Future developments include:")
    return shape == "sentence" and n <= 7 and not _LEAD_IN.search(t)


def is_body(text: str) -> bool:
    """True when a line reads as body text: a sentence, or a long run of words."""
    t = text.strip()
    if not t:
        return False
    n = len(words(t))
    if n >= 20:
        return True
    return n >= 3 and bool(_SENTENCE_END.search(t))
