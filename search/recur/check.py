"""Earlier items like a new text (``sgsearch recur --check``), and whether it was made before."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import numpy as np

from search.index.store import Store
from search.recur.cache import SlimItems, full_item, items_and_rows
from search.recur.concepts import (
    CONCEPT_PREFIX,
    OBJECT_PREFIX,
    SYNONYM_PREFIX,
    THEME_PREFIX,
    store_concepts,
    tokens,
)
from search.recur.passages import index_passages, passage
from search.recur.scoring import (
    CHECK_CANDIDATES,
    CHECK_MIN_SCORE,
    CHECK_NEAR_FLOOR,
    CHECK_NEAREST,
    COSINE_SHARE,
    DEFAULT_THRESHOLD,
    MIN_TOKENS,
    PASSAGE_FACTOR,
    THEME_ONLY_MAX,
    Prepared,
    beyond_theme,
    concept_count,
    held_cosine,
    item_subject,
    pair_score,
    prepare,
    scores_and_evidence,
    why,
)


def _check_score(p: Prepared, i: int, q: int) -> float:
    """Score of item ``i`` against the checked text ``q``. A short text ("asthma") that an
    item contains scores by how much of it the item holds, so a one-word check finds items;
    an item about someone else's point than the text's (see :func:`_someone_else`) is a
    likeness at most."""
    if concept_count(p, q) >= MIN_TOKENS:
        return pair_score(p, i, q)
    probe = [t for t in p.bag(q) if not t.startswith("#")]
    if not probe:
        return 0.0
    bag = p.bag(i)
    held = sum(p.idf[t] for t in probe if t in bag) / sum(p.idf[t] for t in probe)
    if not held:
        return 0.0
    score = round(COSINE_SHARE * 100.0 * held, 1)
    return score if beyond_theme(p, i, q) and not _someone_else(p, bag, probe) else min(score, THEME_ONLY_MAX)


def _someone_else(p: Prepared, bag: set[str], probe: list[str]) -> bool:
    """Whether an item (its ``bag``) is about other people than the short text ``probe``: one of
    them names whose point it is (a parent's, a father's, a professional's) and the other names
    none of those people. A short text naming nobody is about the child ("anxiety, low
    mood"); an item that holds its words as a parent's ("parental anxiety and low mood")
    says something else of someone else."""
    people = p.concepts.someone
    mine, theirs = people.intersection(probe), people & bag
    return bool(mine or theirs) and not mine & theirs


NEAR_EVIDENCE = 2  # what a weak match shares with the text: a concept of the data file counts 2, a word 1
NEAR_CANDIDATES = 200  # weaker candidates scored for the nearest items, the best by cosine


def _best(idx: np.ndarray, val: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` candidates of ``idx`` with the highest ``val`` (all of them if fewer), as int64."""
    if len(idx) > k:
        idx = idx[np.argpartition(-val, k)[:k]]
    return idx.astype(np.int64)


def _near(p: Prepared, i: int, q: int) -> bool:
    """Whether item ``i`` shares enough with the checked text ``q`` to be listed among its nearest
    items below the floor: a concept of the data file, or two words ("chair" alone is not a point)."""
    c = p.concepts
    shared = [t for t in p.bag(i) & p.bag(q) if not t.startswith(("#", THEME_PREFIX, OBJECT_PREFIX)) and t not in c.generic]
    weight = sum(2 if t.startswith(CONCEPT_PREFIX) and not t.startswith(SYNONYM_PREFIX) else 1 for t in shared)
    return weight >= NEAR_EVIDENCE


def _headings(p: Prepared, idx: np.ndarray, q: int, tags: np.ndarray, named: np.ndarray,
              min_score: float) -> list[tuple[float, int]]:
    """Scores of short items (a heading such as "Neglect" or "Safeguarding young people") against
    the checked text ``q``: how much of the heading the text holds, at most :data:`THEME_ONLY_MAX`,
    since a heading names a subject, not a recommendation (listed for a person to judge, never
    made before). Only a subject the concepts or themes know counts ("chair" alone does not)."""
    if not len(idx):
        return []
    x = p.x[idx.astype(np.int64)]
    held = np.zeros(p.x.shape[1], dtype=np.float32)
    held[p.x[q].indices] = 1.0
    subject = (x.multiply(named[None, :]).tocsr() @ held) > 0  # a concept or theme both name
    x = x.multiply(~tags[None, :]).tocsr()  # a heading's words and concepts, not its theme tags
    total = np.asarray(x.sum(axis=1)).ravel()
    frac = np.where(subject, (x @ held) / np.maximum(total, 1e-9), 0.0)
    score = np.minimum(np.round(COSINE_SHARE * 100.0 * frac, 1), THEME_ONLY_MAX)
    return [(s, i) for i, s in zip(idx.tolist(), score.tolist()) if s >= min_score]


def check_many(store: Store, texts: list[str], themes: list[list[str]] | None = None, limit: int = 10,
               kind: str | None = None, min_score: float = CHECK_MIN_SCORE,
               items: list[dict] | None = None, exclude_docs=(), near_floor: float = CHECK_NEAR_FLOOR,
               nearest: int = CHECK_NEAREST, release: bool = False, passages: bool = True) -> list[dict]:
    """For each text (a new review's recommendations), the indexed items most like it, best first:
    those scoring ``min_score`` or more and, when they are fewer than ``nearest``, the next best
    that share more than a theme, down to ``near_floor`` (the nearest items, ranked as a search
    ranks them, for a person to judge).

    ``themes`` holds each text's theme ids if the caller tagged them; by default, the themes
    whose phrases a text holds (this module never runs the tagger).
    Items of the documents in ``exclude_docs`` (doc ids: the checked document itself, when it
    is indexed) are never matches.
    Returns ``[{"text", "matches": [Item + "score", "title", "why"]}]`` in the order given.
    Candidates come from one sparse product of the texts against every item; only those
    whose cosine could still reach ``min_score`` are scored exactly. The index's items come
    tokenised from the cache (see :func:`index_tokens`); only the texts are tokenised here.
    ``release``: let go of the index's pages as many records are read (see :func:`search.recur.recur`).

    ``passages``: also compare each text with what the index's reports said in passing (see
    :mod:`search.recur.passages`; not when ``items`` or ``kind`` is given): up to ``nearest`` of
    them that score ``near_floor`` as an item would are listed among the nearest items (after every
    match from ``min_score``) at that score weighed by :data:`PASSAGE_FACTOR`, each with ``"passage": True`` and the kind "said
    in passing". A passage is never a match at or above a threshold: it never makes a text "made before".
    """
    concepts = store_concepts(store, release)
    given = items is not None
    items, rows, surface = items_and_rows(store, items, kind, concepts, release)
    surface = dict(surface)
    said = index_passages(store, concepts, release) if passages and not given and not kind else None
    said = said if said is not None and said.ids else None
    for stem, word in (said.surface if said else {}).items():
        surface.setdefault(stem, word)
    ptoks = [tokens(item_subject(t), concepts, surface) for t in texts]
    if themes is None:  # the themes whose phrases the texts hold, as the concepts read them
        themes = [[t[len(THEME_PREFIX):] for t in toks if t.startswith(THEME_PREFIX)] for toks in ptoks]
    probes = [{"item_id": "?", "text": t, "themes": list(themes[n] or []), "year_start": None}
              for n, t in enumerate(texts)]
    rows = rows.plus(probes, ptoks)
    if said:  # after the texts, and not counted in how rare a concept is: the items' rarities weigh them
        rows = rows.then(said.rows)
    p = prepare(items, concepts, surface=surface, rows=rows, counted=len(items) + len(texts))
    n_items = len(items)
    base = n_items + len(texts)  # row of the first passage
    own = set(exclude_docs or ())
    slim = isinstance(items, SlimItems)  # the index's, by column: only its ids, documents and kinds are read
    ids = items.column("item_id") if slim else [it["item_id"] for it in items]
    docs = items.column("doc_id") if slim else [it.get("doc_id") for it in items]
    left_out = np.array([d in own for d in docs], dtype=bool) if own else None
    sims = (p.x[n_items:base] @ p.x[:n_items].T).tocsr()
    said_sims = (p.x[n_items:base] @ p.x[base:].T).tocsr() if said else None
    said_out = np.array([d in own for d in said.docs], dtype=bool) if said else None
    near_floor = min(near_floor, min_score)
    # the cosine a candidate needs to reach a score at all (its lexical part at most adds the rest)
    floor, near_cos = ((max(0.0, (f - (1 - COSINE_SHARE) * 100.0) / COSINE_SHARE) / 100.0) for f in (min_score, near_floor))
    tags = np.array([t.startswith("#") for t in p.rows.vocab] or [False])
    named = np.array([t.startswith(("#", CONCEPT_PREFIX)) for t in p.rows.vocab] or [False])
    sizes = np.asarray(p.rows.sizes, dtype=np.int64)
    short = sizes[:n_items] < MIN_TOKENS
    cos = np.zeros(p.x.shape[0], dtype=np.float32)

    state = _Checking(p=p, ids=ids, said_ids=said.ids if said else [], n_items=n_items, base=base, sizes=sizes,
                      cos=cos, min_score=min_score, near_floor=near_floor, near_cos=near_cos, nearest=nearest,
                      said_sims=said_sims, said_out=said_out)
    ranked = state.ranked
    out = []
    for n, text in enumerate(texts):
        q = n_items + n
        lo, hi = sims.indptr[n], sims.indptr[n + 1]
        idx, val = sims.indices[lo:hi], sims.data[lo:hi]
        if left_out is not None:
            keep = ~left_out[idx]
            idx, val = idx[keep], val[keep]
        cos[:] = 0.0
        cos[idx] = val  # ties are broken by the cosine: the item most about it first
        if concept_count(p, q) >= MIN_TOKENS:  # scored as recur scores pairs, all candidates at once
            heads = short[idx]
            scored = _headings(p, idx[heads], q, tags, named, min_score)
            idx, val = idx[~heads], val[~heads]
            # what a score can reach: the cosine with the longer item's length counted as scores count it
            val = held_cosine(val, p.norms[idx], p.norms[q], sizes[idx], sizes[q], 1.0)
            keep = val >= floor - 1e-6
            weak = ~keep & (val >= near_cos - 1e-6)
            strong, weak, weak_val = _best(idx[keep], val[keep], CHECK_CANDIDATES), idx[weak], val[weak]
            scores, beyond = scores_and_evidence(p, strong, np.full(len(strong), q, dtype=np.int64))
            scored += [(s, i) for i, s in zip(strong.tolist(), scores.tolist()) if s >= min_score]
            if len(scored) < nearest:  # the nearest items sharing what the text says, however weakly
                weak = _best(weak, weak_val, NEAR_CANDIDATES)
                more, more_beyond = scores_and_evidence(p, weak, np.full(len(weak), q, dtype=np.int64))
                near = sorted(((s, i) for i, s, b in zip(np.concatenate([strong, weak]).tolist(),
                                                          np.concatenate([scores, more]).tolist(),
                                                          np.concatenate([beyond, more_beyond]).tolist())
                               if near_floor <= s < min_score and b), key=ranked)
                scored += islice((x for x in near if _near(p, x[1], q)), nearest - len(scored))
        else:  # a short text is scored by how much of it an item holds
            scored = [(s, i) for i in idx.tolist() if (s := _check_score(p, i, q)) >= min_score]
        if said_sims is not None:
            scored += _passing(state, n, q)
        # a match (an item from the floor up) first: a passage ranks among the nearest items below it
        scored.sort(key=lambda x: (x[1] >= base or x[0] < min_score, *ranked(x)))
        matches = []
        for s, i in scored[:limit]:
            if i >= base:  # said in passing: listed for a person to judge, never a match
                it = dict(passage(store, said.ids[i - base]), nearest=True)
            else:
                it = dict(items[i]) if given else full_item(store, {"item_id": ids[i], "doc_id": docs[i]})
            it["score"] = s
            it["why"] = why(p, i, q)
            if s < min_score:
                it["nearest"] = True  # listed as the nearest earlier item, not as a match
            matches.append(it)
        out.append({"text": text, "matches": matches})
    return out


@dataclass
class _Checking:
    """What the texts of one :func:`check_many` call are scored with: the prepared rows ``p`` (the
    items, then the texts from row ``n_items``, then the passages from row ``base``), the items' and
    passages' ids, every row's concepts counted (``sizes``, see :func:`concept_count`), each row's cosine
    with the text being checked (``cos``, which breaks ties), the floors, and the texts' cosines
    with the passages (``said_sims``, a row a text; None without passages) with the passages of the
    documents left out (``said_out``)."""

    p: Prepared
    ids: list[str]
    said_ids: list[str]
    n_items: int
    base: int
    sizes: np.ndarray
    cos: np.ndarray
    min_score: float
    near_floor: float
    near_cos: float
    nearest: int
    said_sims: object = None
    said_out: np.ndarray | None = None

    def ranked(self, x: tuple[float, int]):
        """Sort key of a scored row: best score first; ties to the item most about it, then by id."""
        i = x[1]
        return -x[0], -float(self.cos[i]), self.ids[i] if i < self.n_items else self.said_ids[i - self.base]


def _passing(c: _Checking, n: int, q: int) -> list[tuple[float, int]]:
    """The passages most like the checked text ``q`` (row ``n`` of ``c.said_sims``), best first, at
    most ``c.nearest``: each scoring ``c.near_floor`` or more as an item would and sharing more than
    a theme (what a nearest item must score and share), its score then times
    :data:`PASSAGE_FACTOR` (below the floor, maybe: it ranks below an item saying as much); a short
    text's (fewer than :data:`MIN_TOKENS` concepts) also scoring ``c.min_score`` or more before the
    factor, as its items must to be listed."""
    p, sizes, base, near_floor = c.p, c.sizes, c.base, c.near_floor
    lo, hi = c.said_sims.indptr[n], c.said_sims.indptr[n + 1]
    idx, val = c.said_sims.indices[lo:hi], c.said_sims.data[lo:hi]
    keep = ~c.said_out[idx]
    idx, val = idx[keep], val[keep]
    c.cos[base + idx] = val
    rows = idx.astype(np.int64) + base
    if concept_count(p, q) >= MIN_TOKENS:
        held = held_cosine(val, p.norms[rows], p.norms[q], sizes[rows], sizes[q], 1.0)
        keep = held >= c.near_cos - 1e-6
        rows = _best(rows[keep], held[keep], NEAR_CANDIDATES)
        scores, beyond = scores_and_evidence(p, rows, np.full(len(rows), q, dtype=np.int64))
        scored = [(s, i) for i, s, b in zip(rows.tolist(), scores.tolist(), beyond.tolist()) if b and _near(p, i, q)]
    else:  # a short text's passages are listed as its items are: by how much of it they hold ("asthma"
        # shares one word, never the two a weak match of a longer text must); a theme alone still needs more
        rows = _best(rows, val, NEAR_CANDIDATES)
        scored = [(s, i) for i in rows.tolist()
                  if (s := _check_score(p, i, q)) >= c.min_score and (s > THEME_ONLY_MAX or _near(p, i, q))]
    # listed from the floor a nearest item must reach, scored as an item would be; the factor only
    # ranks it below an item saying as much
    scored = sorted(((round(s * PASSAGE_FACTOR, 1), i) for s, i in scored if s >= near_floor), key=c.ranked)
    return scored[:c.nearest]


VERDICTS = ("made before", "similar", "new")


def verdict(check_result: dict, threshold: float = DEFAULT_THRESHOLD) -> str:
    """``made before`` (a match at or above ``threshold``: what recur would group), ``similar``
    (only weaker matches, for a person to judge) or ``new`` (nothing like it: at most the
    nearest earlier items, listed below the floor)."""
    if made_before(check_result, threshold):
        return "made before"
    return "similar" if any(not m.get("nearest") for m in check_result["matches"]) else "new"


def verdict_line(said: str, matches: bool) -> str:
    """What a verdict says, as the command line and the web page both print it (``matches``:
    whether earlier items are listed after it)."""
    if said == "made before":
        return "Made before."
    if said == "similar":
        return "Not made before (similar, weaker matches below)."
    return "Not made before." + (" The nearest earlier items:" if matches else "")


def check(store: Store, text: str, limit: int = 10, kind: str | None = None, min_score: float = CHECK_MIN_SCORE,
          themes: list[str] | None = None) -> list[dict]:
    """The indexed items most similar to ``text``, best first, each with its score and why.

    ``themes``: the text's theme ids, if the caller tagged it (``recur --check`` does)."""
    return check_many(store, [text], [themes or []], limit=limit, kind=kind, min_score=min_score)[0]["matches"]


def made_before(check_result: dict, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether a checked text has a match scoring at least ``threshold`` (what recur would group);
    a passage said in passing is never one."""
    return any(m["score"] >= threshold and not m.get("passage") for m in check_result["matches"])


def summary(checks: list[dict], threshold: float = DEFAULT_THRESHOLD, left_out: list[dict] | None = None) -> dict:
    """``{"items", "made_before", "similar", "new", "left_out"}``: how many texts were checked,
    how many were made before, similar only or new, and the indexed documents whose items were
    left out (the checked document itself: ``[{"doc_id", "title"}]``)."""
    verdicts = [verdict(c, threshold) for c in checks]
    return {"items": len(checks), "made_before": verdicts.count("made before"), "similar": verdicts.count("similar"),
            "new": verdicts.count("new"), "left_out": list(left_out or [])}
