"""Read the query syntax into the engine-neutral tree (:mod:`search.index.qtree`).

The syntax: words side by side must all match; ``"a phrase"`` (``"a phrase"~3``: up to two
other words between each two) and ``'a phrase'``; parentheses group; ``AND``, ``OR`` and
``NOT`` (in capitals; ``-word`` is rewritten as ``NOT word`` before). ``NOT`` binds
closest, then ``AND``, then ``OR``, then words side by side: ``a b OR c`` is ``a`` and
(``b`` or ``c``). Anything else is text: ``title:x``, ``[a TO b]`` and ``ANDNOT`` are
words. Odd input has a reading, never an error: an unmatched quote or parenthesis is
text or closes at the end, an operator with nothing to join is dropped.

Each word or phrase is looked for in every field given, weighted by the field's boost, as
the field's analyser makes its terms (``terms(field, text)``); a word that makes several
terms (``multi-agency/partnership``) is a phrase of them, one that makes none is left out.
The tree is then simplified as Lucene-style parsers do (nested and/or merged, repeats and
empty parts dropped, a one-word phrase a term), so that both engines get the same tree.
"""
from __future__ import annotations

import re
from dataclasses import replace

from search.index import qtree

__all__ = ["normalize", "parse", "replace_terms"]

_SINGLE = re.compile(r"(^|(?<=\W))'(?P<text>.*?)'(?=\s|\]|[)}]|$)")
_PHRASE = re.compile(r'"(?P<text>.*?)"(~(?P<slop>[1-9][0-9]*))?')
_NOT = re.compile(r"(^|(?<=(\s|[()])))NOT(?=\s)")
_AND = re.compile(r"(?<=\s)AND(?=\s)")
_OR = re.compile(r"(?<=\s)OR(?=\s)")
_SPACE = re.compile(r"\s+")


class _Text:
    """A word or phrase of the query, searched for in one field (or, before fields are given, in none)."""

    __slots__ = ("text", "phrase", "slop", "field", "boost")

    def __init__(self, text: str, phrase: bool, slop: int = 1, field: str | None = None, boost: float = 1.0):
        self.text, self.phrase, self.slop, self.field, self.boost = text, phrase, slop, field, boost


class _Group(list):
    """Nodes that all match (``AND``), any match (``OR``) or that are excluded (``NOT``)."""

    def __init__(self, op: str, nodes=()):
        super().__init__(nodes)
        self.op = op


class _Op(str):
    """An operator as typed: ``AND``, ``OR`` or ``NOT``."""


_OPEN, _CLOSE, _SPACED = object(), object(), object()


def _tag(text: str) -> list:
    """The query's pieces in order: words, phrases, brackets, operators and spaces."""
    out: list = []
    pos = prev = 0
    while pos < len(text):
        node, end = None, pos
        m = _SINGLE.match(text, pos)
        if m:
            node, end = _Text(m.group("text"), phrase=False), m.end()
        elif m := _PHRASE.match(text, pos):
            node, end = _Text(m.group("text"), phrase=True, slop=int(m.group("slop") or 1)), m.end()
        elif text[pos] in "()":
            node, end = (_OPEN if text[pos] == "(" else _CLOSE), pos + 1
        else:
            for rx, op in ((_NOT, "NOT"), (_AND, "AND"), (_OR, "OR"), (_SPACE, None)):
                m = rx.match(text, pos)
                if m and m.end() > pos:
                    node, end = (_Op(op) if op else _SPACED), m.end()
                    break
        if node is None:
            pos += 1
            continue
        if prev < pos:
            out.append(_Text(text[prev:pos], phrase=False))
        out.append(node)
        prev = pos = end
    if prev < len(text):
        out.append(_Text(text[prev:], phrase=False))
    return out


def _grouped(nodes: list) -> _Group:
    """Brackets as nested groups (an unclosed one runs to the end, a stray closing one is dropped)."""
    stack = [_Group("AND")]
    for node in nodes:
        if node is _OPEN:
            stack.append(_Group("AND"))
        elif node is _CLOSE:
            if len(stack) > 1:
                last = stack.pop()
                stack[-1].append(last)
        else:
            stack[-1].append(node)
    top = stack[0]
    for level in stack[1:]:
        top.extend(level)
    if len(top) == 1 and isinstance(top[0], _Group):  # spaces count: " (a b)" stays a group in a group
        top = top[0]
    return _unspaced(top)


def _unspaced(group: _Group) -> _Group:
    group[:] = [_unspaced(n) if isinstance(n, _Group) else n for n in group if n is not _SPACED]
    return group


def _fielded(group: _Group, fields: list[str], boosts: dict[str, float]) -> _Group:
    """Each word or phrase as any of its copies in the fields given."""
    for i, node in enumerate(group):
        if isinstance(node, _Group):
            _fielded(node, fields, boosts)
        elif isinstance(node, _Text):
            group[i] = _Group("OR", [_Text(node.text, node.phrase, node.slop, f, boosts.get(f, 1.0)) for f in fields])
    return group


def _operators(group: _Group) -> _Group:
    """``NOT`` then ``AND`` then ``OR`` applied in each group, left to right."""
    for op in ("NOT", "AND", "OR"):
        i = 0
        while i < len(group):
            node = group[i]
            if not (isinstance(node, _Op) and node == op):
                i += 1
                continue
            if op == "NOT":
                length = len(group)
                del group[i]
                if i < length - 1:
                    group[i] = _Group("NOT", [group[i]])
                continue
            if 0 < i < len(group) - 1:
                left, right = group[i - 1], group[i + 1]
                if isinstance(left, _Group) and left.op == op:
                    left.append(right)
                    del group[i:i + 2]
                else:
                    group[i - 1:i + 2] = [_Group(op, [left, right])]
            else:
                del group[i]
    for i, node in enumerate(group):
        if isinstance(node, _Group):
            group[i] = _operators(node)
    return group


def _tree(node, terms) -> qtree.Node | None:
    """The neutral tree of a parsed node (None for what has no terms)."""
    if isinstance(node, _Text):
        words = tuple(terms(node.field, node.text))
        if node.phrase or len(words) > 1:
            return qtree.Phrase(node.field, words, node.slop - 1, node.boost)
        return qtree.Term(node.field, words[0], node.boost) if words else None
    if isinstance(node, _Group):
        parts = [p for p in (_tree(n, terms) for n in node) if p is not None]
        if node.op == "NOT":
            return qtree.Not(parts[0]) if parts and _has_parts(parts[0]) else None
        return qtree.And(tuple(parts)) if node.op == "AND" else qtree.Or(tuple(parts))
    return None  # an operator left with nothing to join


def _has_parts(node: qtree.Node) -> bool:
    return not isinstance(node, (qtree.And, qtree.Or)) or bool(node.parts)


def _boosted(node: qtree.Node, boost: float) -> qtree.Node:
    return replace(node, boost=boost)


def normalize(node: qtree.Node) -> qtree.Node:
    """The tree simplified: nested ands (ors) merged into their parent (boosts multiplied
    in), repeated parts and parts that match nothing dropped, a group of one part that
    part, a phrase of one word a term (with no boost) and of none nothing."""
    if isinstance(node, qtree.Phrase):
        if not node.words:
            return qtree.Nothing()
        return qtree.Term(node.field, node.words[0]) if len(node.words) == 1 else node
    if isinstance(node, qtree.Not):
        inner = normalize(node.part)
        return qtree.Nothing() if isinstance(inner, qtree.Nothing) else qtree.Not(inner, node.boost)
    if not isinstance(node, (qtree.And, qtree.Or)):
        return node
    kind = type(node)
    parts: list[qtree.Node] = []
    for p in node.parts:
        p = normalize(p)
        if type(p) is kind:
            parts += [_boosted(pp, pp.boost * p.boost) for pp in p.parts]
        else:
            parts.append(p)
    parts = [p for p in dict.fromkeys(parts) if not isinstance(p, qtree.Nothing)]
    if not parts:
        return qtree.Nothing()
    if len(parts) == 1:
        sub = parts[0]
        if not (node.boost == 1.0 and sub.boost == 1.0):
            sub = _boosted(sub, sub.boost * node.boost)
        return sub
    return kind(tuple(parts), node.boost)


def replace_terms(node: qtree.Node, fn) -> qtree.Node:
    """The tree with each term replaced by ``fn(term)`` (a term to keep returns itself)."""
    if isinstance(node, qtree.Term):
        return fn(node)
    if isinstance(node, (qtree.And, qtree.Or)):
        return replace(node, parts=tuple(replace_terms(p, fn) for p in node.parts))
    if isinstance(node, qtree.Not):
        return replace(node, part=replace_terms(node.part, fn))
    return node


def parse(text: str, fields: list[str], boosts: dict[str, float], terms) -> qtree.Node:
    """The neutral tree of a query's ``text``, each word and phrase in every one of
    ``fields`` (weighted by ``boosts``) as ``terms(field, text)`` analyses it, normalized
    (:class:`qtree.Nothing` when nothing is left to search for)."""
    group = _operators(_fielded(_grouped(_tag(text)), fields, boosts))
    tree = _tree(group, terms)
    return normalize(tree) if tree is not None else qtree.Nothing()
