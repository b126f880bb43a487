"""Characters of one PDF page into upright words, with their font size and weight.

pdfium gives each character a box in page space and an angle. Text drawn at 90, 180
or 270 degrees (landscape pages saved with ``/Rotate``, vertical margin notes) is
turned into its own upright frame, so every word reads left to right whatever the
page's rotation. Text at other angles (diagonal watermarks, chart labels) is skipped.
A word (:class:`Piece`) is a run of characters with no space between them; its
order in the content stream is kept, so that words can be rejoined by position later.
"""
from __future__ import annotations

import ctypes
import math
import re
from collections import Counter

import pypdfium2.raw as pdfium_c

_BOLD_NAME = re.compile(r"bold|black|heavy", re.I)  # also matches SemiBold, ExtraBold
_FORCE_BOLD = 1 << 18  # font descriptor flag
_SPACES = frozenset((9, 32, 0xA0, 0x2002, 0x2003, 0x2009, 0x202F))
_HYPHEN_MARK = 2  # pdfium replaces a hyphen that ends a line with U+0002
_QUARTER = math.pi / 2
_ANGLE_SLACK = 0.05  # radians either side of a quarter turn still counted as that turn


class Piece:
    """One word in an upright frame: x grows along the text, ``bottom``/``top`` across it."""

    __slots__ = ("x0", "x1", "bottom", "top", "size", "chars", "bold", "space_before", "hyphen",
                 "seq", "turn", "sizes")

    def __init__(self, x0, bottom, top, size, bold, space_before, seq, turn) -> None:
        self.x0 = self.x1 = x0
        self.bottom, self.top = bottom, top
        self.size, self.bold = size, bold
        self.chars: list[str] = []
        self.sizes: Counter = Counter()
        self.space_before = space_before
        self.hyphen = False
        self.seq, self.turn = seq, turn

    @property
    def text(self) -> str:
        """The piece's characters as one string."""
        return "".join(self.chars)


def turn_of(angle: float) -> int | None:
    """The quarter turn (0-3) a pdfium character angle is nearest, or None when it is skewed."""
    turn = round(angle / _QUARTER)
    if abs(angle - turn * _QUARTER) > _ANGLE_SLACK:
        return None
    return turn % 4


def frame(turn: int, x: float, y: float) -> tuple[float, float]:
    """Page point ``(x, y)`` in the upright frame of text turned ``turn`` quarters.

    pdfium measures angles clockwise, so text at angle a runs along (cos a, -sin a)
    and its glyphs stand along (sin a, cos a).
    """
    if turn == 0:
        return x, y
    if turn == 1:  # running down the page
        return -y, x
    if turn == 2:  # upside down
        return -x, -y
    return y, -x   # running up the page


def frame_box(turn: int, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
    """A page-space box as ``(x0, bottom, x1, top)`` in the upright frame of ``turn``."""
    if turn == 0:
        return left, bottom, right, top
    ax, ay = frame(turn, left, bottom)
    bx, by = frame(turn, right, top)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


class Extractor:
    """Turns pdfium text pages into words; keeps reusable ctypes buffers and a font cache."""

    def __init__(self) -> None:
        self.rect = pdfium_c.FS_RECTF()
        self.matrix = pdfium_c.FS_MATRIX()
        self.namebuf = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.bold_cache: dict[bytes, bool] = {}

    def _font(self, tp, i: int) -> tuple[float, bool]:
        size = pdfium_c.FPDFText_GetFontSize(tp, i)
        if pdfium_c.FPDFText_GetMatrix(tp, i, self.matrix):
            m = self.matrix
            size *= math.sqrt(abs(m.a * m.d - m.b * m.c)) or 1.0
        pdfium_c.FPDFText_GetFontInfo(tp, i, self.namebuf, 256, ctypes.byref(self.flags))
        name = self.namebuf.value
        bold = self.bold_cache.get(name)
        if bold is None:
            bold = self.bold_cache[name] = bool(_BOLD_NAME.search(name.decode("latin-1")))
        return round(size * 2) / 2, bold or bool(self.flags.value & _FORCE_BOLD)

    def pieces(self, textpage) -> list[Piece]:
        """The words of one text page, in content-stream order."""
        tp = textpage.raw
        n = pdfium_c.FPDFText_CountChars(tp)
        get_u = pdfium_c.FPDFText_GetUnicode
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        get_angle = pdfium_c.FPDFText_GetCharAngle
        is_generated = pdfium_c.FPDFText_IsGenerated
        rect = self.rect
        out: list[Piece] = []
        cur: Piece | None = None
        size, bold = 0.0, False
        turn: int | None = 0
        word_start = True
        space = True
        for i in range(n):
            u = get_u(tp, i)
            if u == 13 or u == 10 or u in _SPACES:
                # pdfium generates spaces and line breaks where it guesses them; only the
                # document's own spaces are trusted, the rest is decided by position later
                cur = None
                word_start = True
                space = space or is_generated(tp, i) != 1
                continue
            if u < 32 and u != _HYPHEN_MARK:
                continue
            if word_start:
                word_start = False
                turn = turn_of(get_angle(tp, i))
                if turn is None:
                    cur = None
                    continue
                size, bold = self._font(tp, i)
            elif turn is None:
                continue
            get_box(tp, i, rect)
            x0, bottom, x1, top = frame_box(turn, rect.left, rect.bottom, rect.right, rect.top)
            if u == _HYPHEN_MARK:
                if cur is not None:
                    cur.hyphen = True
                    cur.x1 = max(cur.x1, x1)
                cur = None
                continue
            tol = 0.6 * max(size, 4.0)
            if cur is not None and (abs(bottom - cur.bottom) > tol or x0 < cur.x1 - 0.5 * size
                                    or x0 - cur.x1 > 0.3 * size):
                # a new line, a jump back, or a word gap pdfium did not mark with a space
                space = space or x0 - cur.x1 > 0.3 * size
                cur = None
            if cur is None:
                cur = Piece(x0, bottom, top, size, bold, space, len(out), turn)
                out.append(cur)
                space = False
            cur.chars.append(chr(u))
            cur.sizes[size] += 1
            if x1 > cur.x1:
                cur.x1 = x1
            if top > cur.top:
                cur.top = top
        return out


def page_frame(turn: int, width: float, height: float) -> tuple[float, float, float, float]:
    """The page's box ``(x0, bottom, x1, top)`` in the upright frame of ``turn``."""
    return frame_box(turn, 0.0, 0.0, width, height)
