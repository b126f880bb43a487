"""The engine-neutral query tree: what the answering layer builds and each backend translates.

Nodes are small frozen dataclasses. Text nodes hold terms as the index's analysers make
them (stemmed for ``heading``, ``text`` and ``title``; as written for ``exact``). Every
node has a ``boost`` that multiplies its score. Besides the usual forms (term, phrase,
prefix, range, and/or/not, everything, nothing) three nodes serve ranking:
:class:`DisMax` scores the best of its parts (one word over several fields),
:class:`Const` scores a fixed amount when its query matches (how the coordination of
distinct query words is added in the engine), :class:`Plus` adds a fixed amount to a
query's own score where it matches (a constant read with the query, not apart from it), and
:class:`AndMaybe` matches what its first query matches while the second only adds to the
score (proximity, filler words).
A backend that cannot express a node raises :class:`search.index.backends.Unsupported`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

__all__ = ["And", "AndMaybe", "Const", "DisMax", "Every", "Node", "Not", "Nothing", "Or", "Phrase", "Plus", "Prefix", "Range",
           "Term", "all_of", "any_of", "matching", "required", "terms"]


class Node:
    """A query node (see the module docstring)."""

    boost: float = 1.0


@dataclass(frozen=True)
class Term(Node):
    """A section whose ``field`` holds the term ``text``."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase(Node):
    """The ``words`` in order in ``field``, with at most ``slop`` other words in all between
    the first and the last (``child in care`` of slop 1 is not in "child meetings in primary care")."""

    field: str
    words: tuple[str, ...]
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix(Node):
    """A term of ``field`` that starts with ``text``."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Range(Node):
    """An integer field between ``start`` and ``end`` inclusive (None: open)."""

    field: str
    start: int | None
    end: int | None
    boost: float = 1.0


@dataclass(frozen=True)
class And(Node):
    """Every part; :class:`Not` parts exclude (at least one part must be positive)."""

    parts: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or(Node):
    """Any part; the scores of the parts that match add up (no :class:`Not` inside)."""

    parts: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class DisMax(Node):
    """Any part; the best part's score plus ``tiebreak`` times each other matching part's."""

    parts: tuple[Node, ...]
    tiebreak: float = 0.0
    boost: float = 1.0


@dataclass(frozen=True)
class Not(Node):
    """Excludes what ``part`` matches: only as a part of :class:`And`."""

    part: Node
    boost: float = 1.0


@dataclass(frozen=True)
class AndMaybe(Node):
    """What ``must`` matches; ``should`` only adds to the score of those."""

    must: Node
    should: Node
    boost: float = 1.0


@dataclass(frozen=True)
class Const(Node):
    """What ``part`` matches, scoring ``score`` each whatever the terms' frequencies."""

    part: Node
    score: float
    boost: float = 1.0


@dataclass(frozen=True)
class Plus(Node):
    """What ``part`` matches, scoring ``part``'s own score plus ``score``: the same as ``part``
    beside ``Const(part, score)``, but an engine reads ``part`` once."""

    part: Node
    score: float
    boost: float = 1.0


@dataclass(frozen=True)
class Every(Node):
    """Every section."""

    boost: float = 1.0


@dataclass(frozen=True)
class Nothing(Node):
    """No section."""

    boost: float = 1.0


def all_of(parts) -> Node:
    """``And`` of the parts (the part itself when there is one)."""
    parts = tuple(parts)
    return parts[0] if len(parts) == 1 else And(parts) if parts else Nothing()


def any_of(parts) -> Node:
    """``Or`` of the parts (the part itself when there is one; :class:`Nothing` when none)."""
    parts = tuple(parts)
    return parts[0] if len(parts) == 1 else Or(parts) if parts else Nothing()


def terms(node: Node) -> Iterator[tuple[str, str]]:
    """Every ``(field, term)`` the tree names (a phrase's words one by one), negated parts left out."""
    if isinstance(node, Term):
        yield node.field, node.text
    elif isinstance(node, Phrase):
        for w in node.words:
            yield node.field, w
    elif isinstance(node, (And, Or, DisMax)):
        for p in node.parts:
            yield from terms(p)
    elif isinstance(node, AndMaybe):
        yield from terms(node.must)
        yield from terms(node.should)
    elif isinstance(node, (Const, Plus)):
        yield from terms(node.part)


def matching(node: Node) -> Node:
    """A tree that matches exactly the sections ``node`` matches, for counting: what only
    ranks (constants, boosts, the ``should`` of :class:`AndMaybe`) left out, and in each
    alternative (or conjunction) a part dropped when another part matches every section it
    does (a phrase beside one of its own words, or beside a shorter phrase it holds), so the
    engine reads fewer positions."""
    if isinstance(node, (Const, Plus)):
        return matching(node.part)
    if isinstance(node, AndMaybe):
        return matching(node.must)
    if isinstance(node, Not):
        return Not(matching(node.part))
    if isinstance(node, (Or, DisMax)):
        parts: list[Node] = []
        for p in node.parts:
            m = matching(p)
            parts += m.parts if isinstance(m, Or) else [] if isinstance(m, Nothing) else [m]
        return any_of(_kept(parts, wide=True))
    if isinstance(node, And):
        pos = [matching(p) for p in node.parts if not isinstance(p, Not)]
        neg = [matching(p) for p in node.parts if isinstance(p, Not)]
        if not pos:
            return And(tuple(neg))
        # the narrower of two parts is enough: And(phrase, one of its words) is the phrase
        return all_of([*_kept(pos, wide=False), *neg])
    return replace(node, boost=1.0) if node.boost != 1.0 else node


def required(node: Node | None) -> Node | None:
    """``node`` without the ``should`` of its :class:`AndMaybe` (the tree itself, or one part of
    a conjunction beside exclusions): the same sections, without what is read for every match
    only to rank them (for listing in another order, such as by year)."""
    if isinstance(node, AndMaybe) and node.boost == 1.0:
        return node.must
    if isinstance(node, And) and node.boost == 1.0 and sum(isinstance(p, AndMaybe) for p in node.parts) == 1:
        return And(tuple(required(p) if isinstance(p, AndMaybe) else p for p in node.parts))
    return node


def _kept(parts: list[Node], wide: bool) -> list[Node]:
    """``parts`` without repeats and without a part another covers: one that matches no more
    than another (``wide``: in an alternative) or no less (in a conjunction); of two that
    cover each other, the first is kept. Between two different terms and phrases only a
    phrase and one of its words cover each other, so a long list of them is checked by
    lookup, not pair by pair, and a phrase with the phrases of its field only."""
    parts = list(dict.fromkeys(parts))

    def covered(x: Node, y: Node) -> bool:
        return _implies(x, y) if wide else _implies(y, x)

    leaves = (Term, Phrase)
    others = [j for j, p in enumerate(parts) if not isinstance(p, leaves)]
    terms = {(p.field, p.text) for p in parts if isinstance(p, Term)}
    in_phrases = {(p.field, w) for p in parts if isinstance(p, Phrase) for w in p.words}
    phrases: dict[str, list[int]] = {}
    for j, p in enumerate(parts):
        if isinstance(p, Phrase):
            phrases.setdefault(p.field, []).append(j)
    kept = []
    for i, x in enumerate(parts):
        if isinstance(x, leaves):
            if wide and isinstance(x, Phrase) and any((x.field, w) in terms for w in x.words):
                continue  # the phrase's word finds all it finds
            if not wide and isinstance(x, Term) and (x.field, x.text) in in_phrases:
                continue  # the phrase holds the word
            rivals = others + phrases[x.field] if isinstance(x, Phrase) else others
        else:
            rivals = range(len(parts))
        if not any(j != i and covered(x, parts[j]) and (j < i or not covered(parts[j], x)) for j in rivals):
            kept.append(x)
    return kept


def _implies(x: Node, y: Node) -> bool:
    """Whether every section ``x`` matches is matched by ``y`` (False when unsure)."""
    if x == y:
        return True
    if isinstance(y, Or):
        return any(_implies(x, p) for p in y.parts)
    if isinstance(y, And) and not any(isinstance(p, Not) for p in y.parts):
        return all(_implies(x, p) for p in y.parts)
    if isinstance(x, Or):
        return all(_implies(p, y) for p in x.parts)
    if isinstance(x, And):
        return any(_implies(p, y) for p in x.parts if not isinstance(p, Not))
    if isinstance(x, Phrase) and isinstance(y, Term):
        return x.field == y.field and y.text in x.words  # a phrase's words are each in its field
    if isinstance(x, Phrase) and isinstance(y, Phrase):
        return x.field == y.field and _holds(x, y)
    if isinstance(x, Term) and isinstance(y, Prefix):
        return x.field == y.field and x.text.startswith(y.text)
    return False


def _holds(x: Phrase, y: Phrase) -> bool:
    """Whether ``y`` stands wherever ``x`` does: ``y``'s words are some of ``x``'s in order, and
    the words of ``x`` left out between ``y``'s first and last, with the other words ``x``
    allows (its slop), are no more than ``y``'s slop allows. Unsure (False) for ``x`` of slop
    2 or more, which an engine may read with words out of order."""
    n = len(y.words)
    if n == 1:
        return y.words[0] in x.words
    if not n or x.slop > 1:
        return False
    for start, w in enumerate(x.words):
        if w != y.words[0]:
            continue
        at, k = start, 1  # the earliest place of each next word of ``y`` after the last
        for i in range(start + 1, len(x.words)):
            if k < n and x.words[i] == y.words[k]:
                at, k = i, k + 1
        if k == n and (at - start - (n - 1)) + x.slop <= y.slop:
            return True
    return False
