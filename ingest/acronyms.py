"""Acronyms a document defines itself: "Local Authority Designated Officer (LADO)",
"LADO (Local Authority Designated Officer)", "the Joint Targeted Area Inspection (JTAI)".

A Schwartz–Hearst style match: for an abbreviation in brackets, the letters of the
abbreviation are found right to left in the words before the brackets, the first letter
at the start of a word; the expansion runs from that word to the brackets. The other
way round (an abbreviation followed by its expansion in brackets) is matched the same
way. Pure functions on text; ingest stores the pairs with the document
(``search.vocab.thesaurus``), and search uses them like the thesaurus.
"""
from __future__ import annotations

import re

from search.vocab.thesaurus import is_abbreviation

_BRACKETED = re.compile(r"\(([^()\n]{2,120})\)")
_WORDS_BEFORE = re.compile(r"[\w’'&,/-]+", re.UNICODE)
_LEAD = {"the", "a", "an", "our", "its", "their", "this", "of", "and", "in", "for", "to", "by", "with"}
_QUOTES = " '\"\\‘’“”"
_STOP_AT = re.compile(r"[.;:!?()\[\]\n]")


def _short_form(text: str) -> str | None:
    """The abbreviation in ``text`` (without a plural ``s``), or None if it is not one."""
    t = text.strip()
    if not is_abbreviation(t) or len(t) > 10:
        return None
    return t[:-1] if t.endswith("s") and t[:-1].upper() == t[:-1] and len(t) > 2 else t


def best_long_form(short: str, long: str) -> str | None:
    """The end of ``long`` that ``short`` abbreviates (Schwartz & Hearst's match), or None.

    Each letter or digit of ``short`` is found in ``long`` from the right; the first one
    must begin a word. The result starts at that word."""
    s, i = len(short) - 1, len(long) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (long[i].lower() != c or (s == 0 and i > 0 and long[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = long.rfind(" ", 0, i + 1) + 1
    return long[start:].strip()


_FILLERS = {"of", "and", "&", "the", "for", "in", "on", "to"}


def initials_long_form(short: str, long: str) -> str | None:
    """The end of ``long`` whose words' initials spell ``short`` (small joining words such
    as "and" may sit between them), or None. Tried before :func:`best_long_form`, which
    takes a letter from inside a word when it can: "Safer Somerset Partnership (SSP)" is
    all three words, not "Somerset Partnership"."""
    letters = [c.lower() for c in short if c.isalnum()]
    words = long.split()

    def start(n: int, i: int) -> int | None:
        """Index of the first word when the first ``n`` letters end at word ``i``."""
        if n == 0:
            return i + 1
        if i < 0:
            return None
        w = words[i].lower()
        if w in _FILLERS:  # a joining word: passed over first, taken as a letter only if need be
            found = start(n, i - 1)
            if found is not None:
                return found
        return start(n - 1, i - 1) if w[:1] == letters[n - 1] else None

    first = start(len(letters), len(words) - 1)
    return " ".join(words[first:]) if first is not None else None


def _plausible(short: str, long: str) -> bool:
    """Loose matches ruled out: too few or too many words, or too few letters on word starts."""
    words = long.split()
    if len(words) < 2 or len(words) > min(len(short) + 5, 2 * len(short) + 1):
        return False
    if words[0].lower() in _LEAD:
        return False
    initials = [w[0].lower() for w in words if w[:1].isalnum()]
    letters = [c.lower() for c in short if c.isalpha()]
    on_starts = sum(1 for c in letters if c in initials)
    return on_starts * 2 >= len(letters) and len(letters) >= 2


def _words_before(text: str, end: int, n: int) -> str:
    """Up to ``n`` words before ``end``, not reaching back past a sentence or bracket."""
    start = max(0, end - 200)
    chunk = text[start:end]
    stops = list(_STOP_AT.finditer(chunk))
    if stops:
        chunk = chunk[stops[-1].end():]
    words = _WORDS_BEFORE.findall(chunk)[-n:]
    return " ".join(w.strip(",") for w in words).strip()


def find_acronyms(text: str) -> list[tuple[str, str]]:
    """``(abbreviation, expansion)`` pairs that ``text`` defines, each abbreviation once (its
    first definition), in order of appearance."""
    out: dict[str, str] = {}
    for m in _BRACKETED.finditer(text):
        inside = m.group(1).strip()
        short = _short_form(inside)
        if short is not None:  # "Long Form (LF)"
            before = _words_before(text, m.start(), min(len(short) + 5, 2 * len(short)))
            found = (initials_long_form(short, before), best_long_form(short, before)) if before else ()
            long = next((f for f in found if f and _plausible(short, f)), None)
        else:  # "LF (Long Form)"
            words = _WORDS_BEFORE.findall(text[max(0, m.start() - 20):m.start()])
            short = _short_form(words[-1]) if words else None
            long = best_long_form(short, inside) if short and len(inside.split()) >= 2 else None
            if long is not None and long != inside.strip():
                long = None  # the whole bracket must be the expansion
        if short and long and _plausible(short, long) and short not in out:
            out[short] = " ".join(long.split()).strip(_QUOTES)
    return list(out.items())


def document_acronyms(texts) -> list[tuple[str, str]]:
    """The acronyms a document's texts (headings and sections) define, each once."""
    out: dict[str, str] = {}
    for t in texts:
        for short, long in find_acronyms(t or ""):
            out.setdefault(short, long)
    return list(out.items())
