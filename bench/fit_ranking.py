"""Fit the search ranking weights (``search/ranking.toml``'s ``[weights]``) on the tests' own search tasks.

The tasks are the tests' own: the bundled query/passage pairs (``tests/data/expansion_pairs.toml``,
over the bundled corpus and the test briefing, as ``bench/relevance.py``'s bundled set) and the
owned search tasks (``tests/data/relevance_tasks.toml``, over the bundled corpus, the briefing
and ``tests/realistic/``). Each set is indexed once; only the query side depends on the weights,
so every trial ranks with ``search.query.search(..., weights=...)`` over the same indexes.

**Objective**: the mean over every task of (recall@10 + MRR + nDCG@10) / 3, measured as
``bench/relevance.py`` measures them (its ``measures``).

**Search**: coordinate ascent over a grid of values per weight (``GRID``): in each pass, each
fitted weight in turn takes the grid value that scores best with the others held; a move is made
only when it gains more than ``TOLERANCE`` (ties keep the value in hand), so the start is kept
where nothing clearly beats it. The start is the file's weights.

**Over-fitting**: how far to move (a step limit: how many of the ascent's moves to keep) is
chosen by k-fold cross-validation over the tasks, repeated (``--folds``, ``--repeats``: each
set dealt round-robin into the folds in a shuffle seeded ``--seed``, ``--seed`` + 1, ...): for
each fold, the ascent runs on the other folds and the weights after each move (0 = the start)
are scored on the held-out fold. The number of moves with the best mean held-out objective over
every fold of every repeat is kept of the ascent on every task, if that mean beats the start's
by more than ``TOLERANCE``; else none, and the file's weights stay. (One split of the tasks is
noisy: with 109 tasks, one task's rank moves a fold's mean by about 0.01.) The table, and the
ascent on every task move by move, are printed.

**Fixed, not fitted**: ``text`` (the scale the other field weights are read against), ``least``
and ``common`` (cut-offs that leave out what costs the most to read for the least change: a small
index cannot see their cost at a million sections), ``pair_in_phrase`` (a switch of how two words
are read, for speed), ``heading_only_words`` (what a heading alone is, not how much it weighs).

``--write`` puts the fitted weights into ``search/ranking.toml`` (values only; the comments and
filler list stay) under a header line naming this script, the task counts and the objective.

    python bench/fit_ranking.py                       # fit and print, write nothing
    python bench/fit_ranking.py --write
    python bench/fit_ranking.py --folds 4 --passes 3 --engine tantivy
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also in the tagging worker, which spawn starts
import relevance  # noqa: E402
from _common import ROOT, load, revision, use_project_root  # noqa: E402

use_project_root()

RANKING = ROOT / "search" / "ranking.toml"
HEADER = "# Fitted by bench/fit_ranking.py"
# the values each fitted weight may take (the file's own value is always tried as well)
GRID: dict[str, tuple[float, ...]] = {
    "heading": (0.75, 1.0, 1.5, 2.0, 3.0),
    "title": (0.0, 0.25, 0.5, 1.0),
    "synonym": (0.4, 0.6, 0.8, 1.0),
    "theme": (0.0, 0.1, 0.3, 0.6),
    "coordination": (2.0, 3.0, 4.0, 5.0),
    "phrase": (2.0, 4.0, 6.0),
    "proximity": (0.5, 1.0, 2.0),
    "filler": (0.1, 0.3, 0.5),
    "year": (1.0, 3.0, 5.0),
    "document": (0.0, 0.1, 0.25, 0.5),
    "diversity": (0.25, 0.5, 0.75, 1.0),
    "heading_only": (0.25, 0.5, 0.75, 1.0),
}
FIXED = ("text", "least", "common", "pair_in_phrase", "heading_only_words")
TOLERANCE = 1e-3  # a move must gain more than this on the objective (a tenth of one task's worth in 100)


# -- the search over weights (no index needed: tests drive it with their own scorer) ----------------
def coordinate_ascent(score: Callable[[Mapping[str, float]], float], start: Mapping[str, float],
                      grid: Mapping[str, Sequence[float]], passes: int,
                      tolerance: float = TOLERANCE) -> list[tuple[dict[str, float], float]]:
    """Coordinate ascent from ``start``: in each of at most ``passes`` passes, each weight named
    in ``grid`` in turn takes whichever of its grid values (its value in hand among them) makes
    ``score(weights)`` highest with the others held, moving only for a gain above ``tolerance``;
    a pass that moves nothing ends it. Returns the path: the start and its score, then the
    weights and score after each move (a weight set to its best grid value), in order, so a
    caller can stop after any number of moves."""
    current = dict(start)
    best = score(current)
    path = [(dict(current), best)]
    for _ in range(passes):
        moved = False
        for name, values in grid.items():
            held, pick = current[name], None
            for v in sorted(set(values) - {held}):
                got = score({**current, name: v})
                if got > best + tolerance:
                    best, pick = got, v
            if pick is not None:
                current, moved = {**current, name: pick}, True
                path.append((dict(current), best))
        if not moved:
            break
    return path


def folds_of(groups: Sequence[Sequence[int]], k: int, seed: int) -> list[list[int]]:
    """Task indices dealt into ``k`` folds: each group (a task set) shuffled with ``seed`` and dealt
    round-robin, so every fold holds a share of every set."""
    rng = random.Random(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    n = 0
    for g in groups:
        g = list(g)
        rng.shuffle(g)
        for i in g:
            folds[n % k].append(i)
            n += 1
    return folds


def cross_validate(score_on: Callable[[Mapping[str, float], Sequence[int]], float], start: Mapping[str, float],
                   grid: Mapping[str, Sequence[float]], folds: Sequence[Sequence[int]], passes: int,
                   tolerance: float = TOLERANCE) -> list[list[float]]:
    """For each fold, the ascent on the other folds' tasks (``score_on(weights, task_indices)``) and
    the held-out fold's score after each move (the start first): one row per fold, each as long as
    the longest (a fold whose ascent stopped sooner keeps its last score)."""
    rows = []
    for held in folds:
        held_set = set(held)
        train = [i for f in folds for i in f if i not in held_set]
        path = coordinate_ascent(lambda w, train=train: score_on(w, train), start, grid, passes, tolerance)
        rows.append([score_on(w, held) for w, _s in path])
    return padded(rows)


def padded(rows: Sequence[Sequence[float]]) -> list[list[float]]:
    """Rows of held-out scores made as long as the longest, each keeping its last score (an ascent
    that stopped sooner stays where it stopped)."""
    longest = max(len(r) for r in rows)
    return [list(r) + [r[-1]] * (longest - len(r)) for r in rows]


def chosen_moves(rows: Sequence[Sequence[float]], tolerance: float = TOLERANCE) -> int:
    """How far the ascent on every task may go: the number of moves whose mean held-out score
    (over ``rows``, one per fold, padded alike) is highest, the fewest on a tie; none unless
    that mean beats the start's by more than ``tolerance``."""
    rows = padded(rows)
    means = [sum(r[p] for r in rows) / len(rows) for p in range(len(rows[0]))]
    best = max(range(len(means)), key=lambda p: (means[p], -p))
    return best if means[best] > means[0] + tolerance else 0


# -- the tasks and their scores --------------------------------------------------------------------
class Scorer:
    """The tests' own tasks over their indexes; the objective of a set of weights on any subset of
    the tasks. Each task's measures are remembered per weights (folds share most trials)."""

    def __init__(self, sets: list[tuple[str, object, list[dict]]]):
        self.tasks = [(name, store, t) for name, store, tasks in sets for t in tasks]
        self.groups = []
        n = 0
        for _name, _store, tasks in sets:
            self.groups.append(list(range(n, n + len(tasks))))
            n += len(tasks)
        self.memo: dict[tuple, dict] = {}
        self.searches = 0

    def measures(self, weights: Mapping[str, float], i: int) -> dict:
        key = (tuple(sorted(weights.items())), i)
        if key not in self.memo:
            _name, store, t = self.tasks[i]
            self.searches += 1
            self.memo[key] = relevance.measures(relevance.sgsearch_ids(store, t["query"], weights=weights),
                                                t["relevant"])
        return self.memo[key]

    def score(self, weights: Mapping[str, float], which: Sequence[int] | None = None) -> float:
        which = range(len(self.tasks)) if which is None else which
        ms = [self.measures(weights, i) for i in which]
        return sum((m["recall"] + m["mrr"] + m["ndcg"]) / 3 for m in ms) / len(ms) if ms else 0.0

    def figures(self, weights: Mapping[str, float], group: int) -> tuple[float, float, float]:
        ms = [self.measures(weights, i) for i in self.groups[group]]
        return tuple(relevance.mean(ms, k) for k in ("recall", "mrr", "ndcg"))


# -- writing the file ----------------------------------------------------------------------------------
def write_weights(path: Path, weights: Mapping[str, float], header: str) -> None:
    """``path`` (ranking.toml) with each ``[weights]`` value in ``weights`` replaced and ``header`` as
    its first line (an earlier fit's header line replaced); comments and the filler list kept."""
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith(HEADER)]
    start = lines.index("[weights]")
    for n in range(start + 1, len(lines)):
        m = re.match(r"^(\w+) = ", lines[n])
        if lines[n].startswith("["):
            break
        if m and m.group(1) in weights:
            v, was = weights[m.group(1)], lines[n][m.end():].strip()
            lines[n] = f"{m.group(1)} = {int(v) if '.' not in was and float(v).is_integer() else float(v)}"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")


def fitted_header(path: Path = RANKING) -> str | None:
    """The fit's header line of ``path``, None when its weights were not written by this script."""
    first = path.read_text(encoding="utf-8").splitlines()[:1]
    return first[0] if first and first[0].startswith(HEADER) else None


# -- the run ---------------------------------------------------------------------------------------------
def build_sets(tmp: Path, engine: str | None) -> list[tuple[str, object, list[dict]]]:
    from corpus import corpus_dir
    from search.index.store import Store

    relevance.build([corpus_dir(), relevance.expansion.TEST_DOC], tmp / "bundled", engine)
    bundled = Store(tmp / "bundled")
    relevance.build(relevance.owned_paths(), tmp / "owned", engine)
    owned = Store(tmp / "owned")
    return [("bundled", bundled, relevance.bundled_tasks(relevance.sections_of(bundled))),
            ("owned", owned, relevance.owned_tasks(relevance.sections_of(owned)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engine", choices=("whoosh", "tantivy"), default="tantivy",
                    help="the engine to index and rank with (tantivy: about ten times quicker here; both rank alike)")
    ap.add_argument("--folds", type=int, default=4, help="cross-validation folds (default 4)")
    ap.add_argument("--passes", type=int, default=3, help="the most passes of coordinate ascent tried (default 3)")
    ap.add_argument("--repeats", type=int, default=3, help="cross-validations, each with its own shuffle (default 3)")
    ap.add_argument("--seed", type=int, default=1, help="the first shuffle dealing tasks into folds")
    ap.add_argument("--write", action="store_true", help="write the fitted weights into search/ranking.toml")
    args = ap.parse_args()
    from search.query import ranking

    started = time.process_time()
    print(f"# bench/fit_ranking.py  load {load()}  engine {args.engine or 'default'}")
    print(f"# {revision(('search/query.py', 'search/ranking.toml', 'tests/data/relevance_tasks.toml'))}")
    start = {k: v for k, v in ranking()["weights"].items()}
    grid = {k: v for k, v in GRID.items() if k in start}
    with tempfile.TemporaryDirectory() as tmp:
        sets = build_sets(Path(tmp), args.engine)
        scorer = Scorer(sets)
        counts = ", ".join(f"{len(t)} {name}" for name, _s, t in sets)
        print(f"# tasks: {counts}; fitted: {', '.join(grid)}; fixed: {', '.join(FIXED)}")
        rows = []
        for r in range(args.repeats):
            rows += cross_validate(scorer.score, start, grid, folds_of(scorer.groups, args.folds, args.seed + r),
                                   args.passes)
        rows = padded(rows)
        longest = len(rows[0])
        print(f"\n## {args.folds}-fold cross-validation x {args.repeats} (seeds {args.seed}-{args.seed + args.repeats - 1}): "
              "held-out objective after each move (0 = the file's weights)")
        print("fold  " + " ".join(f"{p:>5}" for p in range(longest)))
        for n, r in enumerate(rows):
            print(f"{n + 1:>4}  " + " ".join(f"{s:5.3f}" for s in r))
        means = [sum(r[p] for r in rows) / len(rows) for p in range(len(rows[0]))]
        print("mean  " + " ".join(f"{s:5.3f}" for s in means))
        moves = chosen_moves(rows)
        print(f"moves kept: {moves}")
        path = coordinate_ascent(scorer.score, start, grid, args.passes)
        print("\n## the ascent on every task, move by move (objective on every task)")
        print(f"   0  the file's weights  {path[0][1]:.4f}")
        for n in range(1, len(path)):
            (prev, _), (w, s) = path[n - 1], path[n]
            name = next(k for k in w if w[k] != prev[k])
            print(f"{n:>4}  {name} {prev[name]} -> {w[name]}  {s:.4f}" + ("  (kept)" if n <= moves else ""))
        fitted, objective = path[min(moves, len(path) - 1)]
        before = scorer.score(start)
        print(f"\n## the fit on every task ({moves} moves kept)")
        for name in grid:
            mark = "" if fitted[name] == start[name] else f"  (was {start[name]})"
            print(f"{name:14} {fitted[name]}{mark}")
        print(f"\n{'set':10} {'tasks':>5}  {'recall@10':>15}  {'MRR':>13}  {'nDCG@10':>13}   (file's weights -> fitted)")
        for g, (name, _s, tasks) in enumerate(sets):
            b, a = scorer.figures(start, g), scorer.figures(fitted, g)
            print(f"{name:10} {len(tasks):>5}  {b[0]:6.3f} -> {a[0]:5.3f}  {b[1]:5.2f} -> {a[1]:5.2f}  {b[2]:5.2f} -> {a[2]:5.2f}")
        print(f"objective (mean of recall@10, MRR, nDCG@10 over every task): {before:.4f} -> {objective:.4f}")
        print(f"# {scorer.searches} searches, CPU {time.process_time() - started:.0f} s")
        for _name, store, _t in sets:
            store.close()
    if args.write:
        header = (f"{HEADER} ({counts} tasks; {args.folds}-fold cross-validation x {args.repeats} kept {moves} "
                  "moves): objective, the mean "
                  f"of recall@10, MRR and nDCG@10, {objective:.4f} (the weights before: {before:.4f})")
        write_weights(RANKING, fitted, header)
        print(f"written: {RANKING.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
