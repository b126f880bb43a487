"""Snippets: the part of a section to show for a hit, with the query's words marked.

Matched words are found the way the index found them, by analysing each word of the
text with the index's own analyzer (cached per word), so ``pre-birth`` in a report is
marked for the query ``prebirth`` and ``recommendations`` for ``recommendation``;
fragments of about two lines are cut around the best run of matches. Markers
``HL_START``/``HL_END`` wrap each match; the CLI renders them bold or drops them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from search.index.analysis import COMPOUNDS, HYPHEN_SPLIT, PREFIXES, TOKEN_RX, index_terms, stem_word

SNIPPET_CHARS = 240
SURROUND = 90  # characters of context either side of a run of matches
HL_START, HL_END = "\x02", "\x03"  # highlight markers inside snippets (CLI renders them)


def plain(snippet: str) -> str:
    """A snippet without highlight markers."""
    return snippet.replace(HL_START, "").replace(HL_END, "")


def spans(snippet: str) -> list[list[int]]:
    """``[start, end]`` offsets of highlighted words in the plain snippet."""
    out, pos, start = [], 0, None
    for ch in snippet:
        if ch == HL_START:
            start = pos
        elif ch == HL_END and start is not None:
            out.append([start, pos])
            start = None
        else:
            pos += 1
    return out


def highlight(text: str, words, stemmed: bool = True, top: int = 2) -> tuple[str, int | None]:
    """Up to ``top`` fragments of ``text`` around the matches of ``words`` (analysed terms,
    stemmed or not), in text order, joined by " … ". Returns the snippet and the offset of
    its first match (None, with an empty snippet, when nothing matches)."""
    found = match_spans(text, frozenset(words), stemmed)
    if not found:
        return "", None
    frags = []
    i = 0
    while i < len(found):
        j = i + 1
        while j < len(found) and found[j][1] - found[i][0] <= SNIPPET_CHARS - SURROUND:
            j += 1
        frags.append(found[i:j])
        i = j
    # the fragments with the longest run of matched words (a phrase), then the most different
    # words, then the earliest; shown in text order
    best = sorted(frags, key=lambda f: (-max(n for _a, _b, n in f), -len({text[a:b].lower() for a, b, _n in f}),
                                        f[0][0]))[:top]
    best.sort(key=lambda f: f[0][0])
    # a fragment reaching back to its sentence's start may begin before the last one ends:
    # one run of text then, not the same words twice either side of " … "
    cuts: list[tuple[int, int, list]] = []
    for f in best:
        start, end = bounds(text, f[0][0], f[-1][1])
        if cuts and start < cuts[-1][1]:
            cuts[-1] = (cuts[-1][0], max(end, cuts[-1][1]), cuts[-1][2] + f)
        else:
            cuts.append((start, end, list(f)))
    return " … ".join(_fragment(text, marks, start, end) for start, end, marks in cuts), best[0][0][0]


# Where a sentence (or a list item, or a line) starts: after closing punctuation and space,
# or at a line break or bullet, before a capital, digit or opening quote.
_SENTENCE_START = re.compile(r"(?:(?<=[.!?;:])[\"'\u201d\u2019)\]]*\s+|\n\s*|[\u2022\u00b7]\s*)"
                             r"(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s)")
_SPACE = re.compile(r"\s")
LOOKBACK = 150  # characters before a match within which its sentence's start opens the fragment


def _fragment(text: str, marks: list[tuple[int, int, int]], start: int, end: int) -> str:
    out, at = [], start
    for a, b, _n in marks:
        out.append(text[at:a])
        out.append(f"{HL_START}{text[a:b]}{HL_END}")
        at = b
    out.append(text[at:end])
    return "".join(out)


def bounds(text: str, first: int, last: int, chars: int = SNIPPET_CHARS) -> tuple[int, int]:
    """Where to cut a fragment showing ``text[first:last]``: at the start of the sentence
    holding it when that is close, else at a word; at a sentence end or a word after it,
    about ``chars`` in all. Never inside a word."""
    room = max(0, chars - (last - first)) // 2
    start = max(0, first - min(SURROUND, room))
    opening = [m.end() for m in _SENTENCE_START.finditer(text, max(0, first - LOOKBACK), first + 1)
               if m.end() <= first]
    if opening or first <= LOOKBACK:
        start = opening[-1] if opening else 0
    elif start > 0 and not text[start - 1].isspace():
        gap = _SPACE.search(text, start, first)
        start = gap.end() if gap else first
    end = min(len(text), max(last + min(SURROUND, room), start + chars))
    if end < len(text):
        stops = [m.end() for m in _SENTENCE_END.finditer(text, last, end)]
        if stops and stops[-1] - start >= chars // 2:
            end = stops[-1]
        elif not text[end].isspace():
            cut = max((m.start() for m in _SPACE.finditer(text, last, end)), default=None)
            if cut is None:  # a long word: run on to its end
                gap = _SPACE.search(text, end)
                cut = gap.start() if gap else len(text)
            end = cut
    return start, end


def match_spans(text: str, words: frozenset, stemmed: bool = True, prefilter: bool = True,
                ) -> list[tuple[int, int, int]]:
    """``(start, end, n)`` of each run of ``n`` words of ``text`` whose index terms include
    one of ``words``; neighbouring matches on one line are one run (a phrase is marked whole).

    A bare prefix and the next word ("pre birth") are one term to the analyzer, so the
    pair is tried as one before each word on its own. Only words that could match are
    analysed: stemming keeps a word's first letter, so a word (or part of a hyphenated
    word) whose first letter starts none of ``words`` cannot match (``prefilter``).
    """
    if not words:
        return []
    initials = frozenset(w[:1] for w in words) if prefilter else None
    toks = list(TOKEN_RX.finditer(text))
    out: list[tuple[int, int, int]] = []
    last = -2  # index of the last matched word
    i = 0
    while i < len(toks):
        m, step = toks[i], 1
        w = m.group(0)
        hit = None
        if (w.lower() in PREFIXES or w.lower() in COMPOUNDS) and i + 1 < len(toks):
            nxt = toks[i + 1].group(0)
            if (initials is None or w[0].lower() in initials or _may_match(nxt, initials)) and \
                    not _terms(f"{w} {nxt}", stemmed).isdisjoint(words):
                hit, step = (m.start(), toks[i + 1].end()), 2
        if hit is None and (initials is None or _may_match(w, initials)) and not _terms(w, stemmed).isdisjoint(words):
            hit = (m.start(), m.end())
        if hit is not None:
            gap = text[out[-1][1]:hit[0]] if out else ""
            if last == i - 1 and len(gap) <= 3 and "\n" not in gap:
                out[-1] = (out[-1][0], hit[1], out[-1][2] + 1)
            else:
                out.append((hit[0], hit[1], 1))
            last = i + step - 1
        i += step
    return out


def _may_match(word: str, initials: frozenset) -> bool:
    if word[0].lower() in initials or not word[0].isascii():  # accented: the analyzer folds it
        return True
    if "-" in word or "/" in word or "–" in word:
        return any(p[:1].lower() in initials or not p[:1].isascii() for p in HYPHEN_SPLIT.split(word))
    return False


@lru_cache(maxsize=200_000)
def _terms(word: str, stemmed: bool) -> frozenset:
    """The index terms of one word (with its parts, as the index stores them)."""
    terms = (t for t, _pos in index_terms(word))
    return frozenset(map(stem_word, terms) if stemmed else terms)


LONG = 8000  # a section longer than this is highlighted in a window around its likely matches
WINDOW = 320  # characters either side of a likely match in such a window
NEAR = 60  # characters within which matches count as together (a phrase)


def window(text: str, terms: list) -> tuple[int, str]:
    """The part of a section to highlight: all of it, or around the likely matches of a long one.

    Marking words costs about a microsecond a word, so a section of up to ``LONG``
    characters is marked whole; in a longer one a cheap pattern built from the terms
    (letters in order, an optional hyphen or space between them, so the term "prebirth"
    finds "pre-birth") finds where to look. Returns the part's offset in the text, and the part.
    """
    if len(text) <= LONG or not terms:
        return 0, text[:LONG]
    # each term once: a query names one in several of its parts, and compiling is per letter
    rx = _term_pattern(tuple(sorted({t.decode() if isinstance(t, bytes) else t for t in terms})))
    hits = [(m.start(), m.end(), m.lastgroup) for m in rx.finditer(text)]
    if not hits:
        return 0, text[: 12 * WINDOW]
    # the window whose start holds the most different query terms close together (a phrase),
    # then the most in the whole window, earliest first
    best, best_key, j = 0, (0, 0), 0
    for i, (pos, _end, _g) in enumerate(hits):
        while hits[j][0] < pos - WINDOW:
            j += 1
        k = near = i
        while k + 1 < len(hits) and hits[k + 1][0] <= pos + WINDOW:
            k += 1
            if hits[k][0] <= pos + NEAR:
                near = k
        key = (len({g for _s, _e, g in hits[i:near + 1]}), len({g for _s, _e, g in hits[j:k + 1]}))
        if key > best_key:
            best, best_key = i, key
    pos = hits[best][0]
    start, end = max(0, pos - WINDOW), min(len(text), pos + 2 * WINDOW)
    if start:
        start = text.find(" ", start) + 1 or start
    if end < len(text):  # whole words only, at both ends
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > pos else end
    return start, text[start:end]


_PATTERNS: dict = {}


def _term_pattern(terms: tuple[str, ...]) -> re.Pattern:
    rx = _PATTERNS.get(terms)
    if rx is None:
        # a stem's last letter may differ from the word ("strategi" for "strategy")
        alts = [f"(?P<t{n}>" + r"[\s\-–/]?".join(re.escape(c) for c in (t[:-1] if len(t) > 4 else t)) + ")"
                for n, t in enumerate(terms) if t]
        rx = re.compile(r"(?i)\b(?:" + "|".join(alts) + ")")
        _PATTERNS[terms] = rx
    return rx


def evidence_snippet(text: str, phrases: list[str]) -> tuple[str, int | None]:
    """A snippet around the first theme phrase found in the text, the phrase marked."""
    low = text.lower()
    found = [(low.find(p.lower()), p) for p in phrases if p and low.find(p.lower()) >= 0]
    if not found:
        return "", None
    at, phrase = min(found)
    start, end = bounds(text, at, at + len(phrase))
    head = "… " if start > 0 else ""
    tail = " …" if end < len(text) else ""
    body = text[start:at] + HL_START + text[at:at + len(phrase)] + HL_END + text[at + len(phrase):end]
    return head + body + tail, at


def lead(text: str) -> str:
    """A section's opening as a snippet (no word of the query in it to centre on): its text on
    one line, cut at a word within ``SNIPPET_CHARS``."""
    t = " ".join(text.split())
    if len(t) <= SNIPPET_CHARS:
        return t
    cut = t[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def page_at(offsets: list, charpos: int) -> int | None:
    """The page on which character ``charpos`` of a section's text lies."""
    page = None
    for start, p in offsets:
        if start <= charpos:
            page = p
        else:
            break
    return page


