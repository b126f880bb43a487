"""Fit the item scorer's weights on the tests' own documents and write ingest/item_weights.toml.

    python bench/fit_items.py [--docs N] [--seed S] [--gate-only] [--with-prose]
    python bench/fit_items.py --cv-weight [--docs N] [--seed S] [--with-prose]

The documents: those ``tests/itemgen.py`` writes (many house styles, items labelled) and the
realistic set in ``tests/realistic`` (its ``.toml`` files list each document's items; written
by hand, each of its candidates counts as WRITTEN_WEIGHT generated ones). ``--with-prose``
also fits on the prose set, ``tests/realistic/prose`` (pages written as reports write their
points in running text, and pages that hold none), as hand-written documents: measured and
not kept (BENCHMARKS.md, w-items6), so the committed weights are fitted without it and the
set is scored by ``bench/realdev_items.py`` as documents the fit never saw. Every
candidate of every section is labelled: the kind of the expected item it is, or not an item.
Two models are fitted by L2-regularised maximum likelihood (numpy and scipy only): a logistic
model, item or not, and a softmax model, which kind, on the items alone. The threshold is
the lowest between 0.4 and 0.7 whose F1 over the candidates is within F1_FLAT of the best
(below 0.4 the scorer would keep what it thinks more likely not an item).

Then the page gate, on other documents (generated with seed SEED + 1, so the item model's
scores are not those of the documents it was fitted on, and the realistic set): each page
(or part of a long one) is a row, labelled by whether any of its candidates is an item; a
logistic model on its signals (``ingest.candidates.gate_signals``), then the cut below which
the gate doubts a page and the bar a candidate of a doubted page must reach, chosen from
GATE_CUTS and GATE_BARS for the best F1 over those documents' candidates. ``--gate-only`` refits the gate alone, against the item model as it
is written. Realdev is never read here.

The weights file records what it was fitted on: a hash of all the fitting candidates (signals,
labels, weights) and the settings, and ``fingerprint()``, a hash of the candidates of the
realistic documents and the first CHECK_DOCS generated ones with their page-gate signals.
``tests/test_item_scorer.py`` recomputes the fingerprint: a change to the signals, the
generator or the realistic set that the weights were not refitted for fails it.

``--cv-weight`` chooses WRITTEN_WEIGHT from the tests' own documents: the hand-written
documents are dealt into CV_FOLDS folds in the order the fit reads them; for each weight in
CV_WEIGHTS and each fold, the item model is fitted on the generated documents and the other
folds, its threshold chosen as above, and scored by F1 on the left-out fold's candidates (each
counted once). The rule, printed with the table: the smallest weight whose mean left-out F1 is
within CV_FLAT of the best. Nothing is written. WRITTEN_WEIGHT (4) was set before the rule
existed; on the realistic set alone the rule's table is flat from 2 to 8 (it prints 2); with
``--with-prose`` it chose 32, and that fit did not gain on real pages.
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import use_project_root  # noqa: E402

use_project_root()

import numpy as np  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from ingest.candidates import SCORED_KINDS, WEIGHTS_FILE  # noqa: E402
from tests.quality import SET_DIR, load_set, norm_text  # noqa: E402

L2_ITEM = 2.0    # penalty on the squared weights of the item model
L2_KIND = 1.0    # and of the kind model
DOCS_PER_STYLE = 50  # generated documents of each house style to fit on
SEED = 1         # the generator's seed for the fitting documents (tests check on another)
F1_FLAT = 0.001  # F1 within this of the best counts as the best
WRITTEN_WEIGHT = 4.0  # a candidate of a hand-written document counts as this many generated ones (see --cv-weight)
L2_GATE = 1.0    # penalty on the squared weights of the page gate
GATE_BARS = (0.0, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.01)  # 0.0: no bar; 1.01: a doubted page gives nothing
GATE_CUTS = (0.3, 0.4, 0.5, 0.6, 0.7)  # a page the gate scores below the cut is doubted
CHECK_DOCS = 40  # generated documents the weights file's fingerprint covers (with the realistic set)
PROSE_DIR = SET_DIR / "prose"  # hand-written pages whose points are written in running text
CV_FOLDS = 4     # folds of the hand-written documents for --cv-weight
CV_WEIGHTS = (2.0, 4.0, 8.0, 16.0, 32.0, 64.0)  # the weights --cv-weight compares
CV_FLAT = 0.005  # a mean left-out F1 within this of the best counts as the best
SETTINGS = (L2_ITEM, L2_KIND, DOCS_PER_STYLE, SEED, F1_FLAT, WRITTEN_WEIGHT, L2_GATE, GATE_BARS, GATE_CUTS)


def training_documents(n: int, tmp: Path, seed: int = SEED,
                       prose: bool = False) -> list[tuple[Path, list[tuple[str, str]], float]]:
    """(Markdown file, its items as (kind, text), its weight) for the generated and the realistic documents."""
    from tests.itemgen import documents

    out = []
    for d in documents(seed, n):
        path = tmp / f"{d.name}.md"
        path.write_text(d.text, encoding="utf-8")
        out.append((path, d.items, 1.0))
    for path, items in written_documents(prose):
        out.append((path, items, WRITTEN_WEIGHT))
    return out


def written_documents(prose: bool = False) -> list[tuple[Path, list[tuple[str, str]]]]:
    """The hand-written documents the fit reads (the realistic set, and the prose set if
    ``prose``), each with its items as (kind, text)."""
    return [(path, [(i["kind"], i["text"]) for i in exp.get("items", [])])
            for directory in ((SET_DIR, PROSE_DIR) if prose else (SET_DIR,)) for path, exp in load_set(directory)]


def label(text: str, items: list[tuple[str, str]]) -> str | None:
    """The kind of the expected item a candidate is (None: not an item)."""
    c = norm_text(text)
    if not c:
        return None
    for kind, item in items:
        e = norm_text(item)
        if fuzz.ratio(c, e) >= 85:
            return kind
        if c in e and len(c) >= 0.5 * len(e):
            return kind
        if e in c and len(e) >= 0.5 * len(c):
            return kind
    return None


def candidates(files) -> list[tuple[dict, str | None, float]]:
    """Every candidate's signals, label and weight, over all the documents."""
    return [row for rows in candidates_by_file(files) for row in rows]


def candidates_by_file(files) -> list[list[tuple[dict, str | None, float]]]:
    """Each document's candidates: signals, label and weight."""
    from ingest.document import parse_file
    from ingest.items import document_candidates

    out = []
    for path, items, weight in files:
        out.append([(c.features, label(c.text, items), weight)
                    for _fixed, cands in document_candidates(parse_file(path).sections) for c in cands])
    return out


def _digest(rows) -> str:
    h = hashlib.sha256(json.dumps(SETTINGS).encode())
    for row in rows:
        h.update(json.dumps(row, sort_keys=True).encode())
    return h.hexdigest()[:16]


def inputs_hash(rows: list[tuple[dict, str | None, float]]) -> str:
    """A hash of the settings and of every fitting candidate's signals, label and weight."""
    return _digest(rows)


def fingerprint(n: int = CHECK_DOCS, seed: int = SEED, prose: bool = False) -> str:
    """A hash of the settings and of the candidates of the realistic documents and the first ``n``
    generated ones: signals, label, weight and the page-gate signals the written item model gives."""
    from ingest.candidates import model
    from ingest.document import parse_file
    from ingest.items import document_candidates

    model.cache_clear()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for path, items, weight in training_documents(n, Path(tmp), seed, prose):
            for _fixed, cands in document_candidates(parse_file(path).sections):
                rows += [(c.features, label(c.text, items), weight,
                          {k: round(v, 6) for k, v in c.context["gate_signals"].items()}) for c in cands]
    return _digest(rows)


def gate_rows(files) -> list[tuple[dict, list[tuple[float, bool]], float]]:
    """Per page part: its gate signals, its candidates' (item score, is an item), its weight."""
    from ingest.document import parse_file
    from ingest.items import document_candidates

    out = []
    for path, items, weight in files:
        parts: dict[int, tuple[dict, list]] = {}
        for _fixed, cands in document_candidates(parse_file(path).sections):
            for c in cands:
                sig = c.context["gate_signals"]
                parts.setdefault(id(sig), (sig, []))[1].append((c.features, label(c.text, items) is not None))
        for sig, cs in parts.values():
            out.append((sig, cs, weight))
    return out


def fit_gate(n: int, seed: int, prose: bool = False) -> tuple[list[str], np.ndarray, tuple[float, float], str]:
    """The page gate's signal names, weights, and (cut, bar), fitted with the item model now written."""
    from ingest.candidates import model

    model.cache_clear()
    m = model()
    with tempfile.TemporaryDirectory() as tmp:
        rows = gate_rows(training_documents(n, Path(tmp), seed + 1, prose))
    names = sorted({k for sig, _, _ in rows for k in sig})
    X = _matrix([sig for sig, _, _ in rows], names)
    y = np.array([any(is_item for _, is_item in cs) for _, cs, _ in rows], dtype=float)
    sw = np.array([wt for _, _, wt in rows])
    w = fit_logistic(X, y, sw, L2_GATE)
    g = 1 / (1 + np.exp(-(X @ w)))
    scored = [(gi, [(m.p_item(f), it) for f, it in cs], wt) for gi, (_, cs, wt) in zip(g, rows)]

    def f1(cut: float, bar: float) -> float:
        tp = fp = fn = 0.0
        for gi, cs, wt in scored:
            need = max(m.threshold, bar) if gi < cut else m.threshold
            for p, it in cs:
                tp += wt * (p >= need and it)
                fp += wt * (p >= need and not it)
                fn += wt * (p < need and it)
        return 2 * tp / (2 * tp + fp + fn or 1.0)

    # the best F1 (the mildest gate among equals); no tolerance as for the threshold: the
    # curve is flat, and the mildest gate within it doubts almost no page
    curve = [((c, b), f1(c, b)) for c in GATE_CUTS for b in GATE_BARS]
    print("gate cut/bar: " + " ".join(f"{c:.1f}/{b:.2f}:{f:.4f}" for (c, b), f in curve))
    top = max(f for _, f in curve)
    cut, bar = next(cb for cb, f in curve if f >= top)
    doubted = int(np.sum(g < cut))
    summary = (f"gate: {len(rows)} page parts ({int(y.sum())} with items) from {n} generated (seed {seed + 1}) and "
               f"the realistic documents; cut {cut:.1f}, bar {bar:.2f}; {doubted} doubted, of them "
               f"{int(np.sum((g < cut) & (y == 1)))} with items")
    return names, w, (cut, bar), summary


def _matrix(rows: list[dict], names: list[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    X = np.zeros((len(rows), len(names)))
    for r, f in enumerate(rows):
        for k, v in f.items():
            if k in index:
                X[r, index[k]] = v
    return X


def fit_logistic(X: np.ndarray, y: np.ndarray, sw: np.ndarray, l2: float) -> np.ndarray:
    """Weights of a logistic model, each row counted ``sw`` times (the bias is a column of X;
    it is penalised like the rest)."""
    def loss(w):
        z = X @ w
        p = 1 / (1 + np.exp(-z))
        ll = np.sum(sw * (np.logaddexp(0, z) - y * z))
        return ll + l2 * w @ w / 2, X.T @ (sw * (p - y)) + l2 * w

    return minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B").x


def fit_softmax(X: np.ndarray, y: np.ndarray, sw: np.ndarray, k: int, l2: float) -> np.ndarray:
    """Weights (features x kinds) of a softmax model, each row counted ``sw`` times."""
    Y = np.eye(k)[y] * sw[:, None]

    def loss(flat):
        W = flat.reshape(X.shape[1], k)
        Z = X @ W
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        ll = -np.sum(Y * np.log(P + 1e-12))
        return ll + l2 * np.sum(W * W) / 2, (X.T @ (P * sw[:, None] - Y) + l2 * W).ravel()

    return minimize(loss, np.zeros(X.shape[1] * k), jac=True, method="L-BFGS-B").x.reshape(X.shape[1], k)


def _toml_key(name: str) -> str:
    return f'"{name}"'


def write_weights(path: Path, threshold: float, names: list[str], w_item: np.ndarray, W_kind: np.ndarray,
                  kinds: list[str], summary: str, gate: tuple[list[str], np.ndarray, float] | None = None) -> None:
    lines = ["# Fitted by bench/fit_items.py on the tests' own documents: do not edit by hand.",
             *(f"# {line}" for line in summary.splitlines()), f"threshold = {threshold:.3f}", "", "[item]"]
    lines += [f"{_toml_key(n)} = {w:.4f}" for n, w in zip(names, w_item) if abs(w) >= 1e-3]
    for j, kind in enumerate(kinds):
        lines += ["", f"[kind.{kind}]"]
        lines += [f"{_toml_key(n)} = {w:.4f}" for n, w in zip(names, W_kind[:, j]) if abs(w) >= 1e-3]
    if gate:
        gate_names, w_gate, (cut, bar) = gate
        lines += ["", "[gate]", f"cut = {cut:.3f}", f"bar = {bar:.3f}"]
        lines += [f"{_toml_key(n)} = {w:.4f}" for n, w in zip(gate_names, w_gate) if abs(w) >= 1e-3]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def choose_threshold(p: np.ndarray, y: np.ndarray, show: bool = False) -> tuple[float, float]:
    """(threshold, F1): the lowest threshold between 0.4 and 0.7 whose F1 is within F1_FLAT of the best."""
    curve = [(t, _f1(p >= t, y)) for t in np.arange(0.4, 0.71, 0.02)]
    if show:
        print(" ".join(f"{t:.2f}:{f:.4f}" for t, f in curve))
    # F1 is flat near its best: take the lowest threshold within F1_FLAT of it (a missed item is
    # lost to search and recurrence, an extra one is read past)
    top = max(f for _, f in curve)
    return next((float(t), f) for t, f in curve if f >= top - F1_FLAT)


def cv_weight(n: int, seed: int, prose: bool = False) -> float:
    """WRITTEN_WEIGHT chosen by the left-out F1 over folds of the hand-written documents (printed)."""
    with tempfile.TemporaryDirectory() as tmp:
        generated = candidates(training_documents(n, Path(tmp), seed)[:n])
    written = candidates_by_file([(path, items, 1.0) for path, items in written_documents(prose)])
    names = sorted({k for f, _, _ in generated for k in f} | {k for rows in written for f, _, _ in rows for k in f})

    def arrays(rows):
        return (_matrix([f for f, _, _ in rows], names), np.array([lab is not None for _, lab, _ in rows], dtype=float))

    Xg, yg = arrays(generated)
    folds = [[row for i, rows in enumerate(written) if i % CV_FOLDS == k for row in rows] for k in range(CV_FOLDS)]
    table = {}
    for wt in CV_WEIGHTS:
        scores = []
        for k in range(CV_FOLDS):
            Xw, yw = arrays([row for j, fold in enumerate(folds) if j != k for row in fold])
            X, y = np.vstack([Xg, Xw]), np.concatenate([yg, yw])
            sw = np.concatenate([np.ones(len(yg)), np.full(len(yw), wt)])
            w = fit_logistic(X, y, sw, L2_ITEM)
            t, _ = choose_threshold(1 / (1 + np.exp(-(X @ w))), y)
            Xo, yo = arrays(folds[k])
            scores.append(_f1(1 / (1 + np.exp(-(Xo @ w))) >= t, yo))
        table[wt] = scores
        print(f"written weight {wt:5.1f}: left-out F1 " + " ".join(f"{f:.3f}" for f in scores)
              + f"  mean {np.mean(scores):.4f}")
    top = max(np.mean(s) for s in table.values())
    chosen = next(wt for wt in CV_WEIGHTS if np.mean(table[wt]) >= top - CV_FLAT)
    print(f"{len(written)} hand-written documents in {CV_FOLDS} folds, {n} generated (seed {seed}); "
          f"the smallest weight within {CV_FLAT} of the best mean: {chosen:g} (WRITTEN_WEIGHT is {WRITTEN_WEIGHT:g}); "
          f"prose set {'in' if prose else 'out'}")
    return chosen


def main(argv: list[str]) -> int:
    from tests.itemgen import STYLES

    n = int(argv[argv.index("--docs") + 1]) if "--docs" in argv[:-1] else DOCS_PER_STYLE * len(STYLES)
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv[:-1] else SEED
    prose = "--with-prose" in argv
    if "--gate-only" in argv:
        return _refit_gate(n, seed, prose)
    if "--cv-weight" in argv:
        cv_weight(n, seed, prose)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        rows = candidates(training_documents(n, Path(tmp), seed, prose))
    names = sorted({k for f, _, _ in rows for k in f})
    X = _matrix([f for f, _, _ in rows], names)
    y = np.array([lab is not None for _, lab, _ in rows], dtype=float)
    sw = np.array([wt for _, _, wt in rows])
    w = fit_logistic(X, y, sw, L2_ITEM)
    p = 1 / (1 + np.exp(-(X @ w)))
    best = choose_threshold(p, y, show=True)
    kinds = [k for k in SCORED_KINDS if any(lab == k for _, lab, _ in rows)]
    pos = [i for i, (_, lab, _) in enumerate(rows) if lab is not None]
    yk = np.array([kinds.index(rows[i][1]) for i in pos])
    W = fit_softmax(X[pos], yk, sw[pos], len(kinds), L2_KIND)
    kind_acc = float(np.mean((X[pos] @ W).argmax(axis=1) == yk))
    summary = (f"{len(rows)} candidates ({int(y.sum())} items) from {n} generated (seed {seed}) and the realistic documents{' and the prose set' if prose else ''}; "
               f"threshold {best[0]:.2f}, F1 {best[1]:.3f}, kind accuracy {kind_acc:.3f} (on the fitting set)")
    write_weights(WEIGHTS_FILE, float(best[0]), names, w, W, kinds, summary)
    gate_names, w_gate, bar, gate_summary = fit_gate(n, seed, prose)
    summary += f"\ninputs {inputs_hash(rows)}; fingerprint {fingerprint(seed=seed, prose=prose)}\n" + gate_summary
    write_weights(WEIGHTS_FILE, float(best[0]), names, w, W, kinds, summary, (gate_names, w_gate, bar))
    print(summary)
    print(f"wrote {WEIGHTS_FILE}")
    return 0


def _refit_gate(n: int, seed: int, prose: bool = False) -> int:
    """Replace the gate of the weights file, leaving the item and kind models as they are."""
    text = WEIGHTS_FILE.read_text(encoding="utf-8")
    lines = [line for line in text.split("\n[gate]")[0].splitlines() if not line.startswith("# gate:")]
    WEIGHTS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")  # the gate is fitted without a gate
    names, w, (cut, bar), summary = fit_gate(n, seed, prose)
    lines.insert(next(i for i, line in enumerate(lines) if line.startswith("threshold")), f"# {summary}")
    lines += ["", "[gate]", f"cut = {cut:.3f}", f"bar = {bar:.3f}"]
    lines += [f"{_toml_key(k)} = {v:.4f}" for k, v in zip(names, w) if abs(v) >= 1e-3]
    WEIGHTS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(summary)
    print(f"wrote {WEIGHTS_FILE}")
    return 0


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float(np.sum(pred & (y == 1)))
    return 2 * tp / (float(np.sum(pred)) + float(np.sum(y)) or 1.0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
