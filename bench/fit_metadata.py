"""Fit the weights metadata reading uses (``ingest/metadata.toml``: ``[title.weights]``,
``[publisher.weights]``, each doc-type cue's and each date cue's ``weight`` and
``[year.weights]``) on documents the tests own.

    python bench/fit_metadata.py [--write] [--rounds N]

Training documents: ``tests/realistic`` and its ``field``, ``kinds``, ``shapes``, ``styles``, ``reported``, ``about``, ``listed``, ``bodies`` and ``gathered`` folders; ``tests/realistic/holdout``
is left out and scored after the fit, to show whether it generalises (the real development
set is checked by ``bench/realdev.py``, never fitted on). The objective is the number of
titles, years, publishers and doc types right, then the sum of margins (the right candidate's score
minus the best wrong one's, clipped to [-1, 1]) so that right answers are won clearly. A
coordinate search tries each weight a step up and down and keeps a change only when the
objective improves and generic headings, dates and questions stay below the minimum however
they are styled (the fit may not buy a right answer by letting one of them through). ``--write`` writes the fitted weights back into ``ingest/metadata.toml``.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, use_project_root  # noqa: E402

use_project_root()

from ingest import metadata  # noqa: E402
from ingest.document import read_metadata  # noqa: E402
from ingest.readers import read_path  # noqa: E402
from tests.quality import SET_DIR, build_files, norm_publisher, norm_text  # noqa: E402

TOML = ROOT / "ingest" / "metadata.toml"
FIXED = {"mentions_cap", "national_cap", "minimum"}  # counts and thresholds, not weights
STEPS = (0.5, 0.8, 1.25, 1.6)


def load(directories: list[Path], out: Path) -> list[tuple[object, Path, dict]]:
    """Each document read once: (read result, path, expectations)."""
    docs = []
    for d in directories:
        for path, exp in build_files(out / d.name, d):
            docs.append((read_path(path), path, exp))
    return docs


def _margin(right: float | None, wrong: list[float]) -> float:
    if right is None:
        return -1.0
    return max(-1.0, min(1.0, right - max(wrong, default=right - 1.0)))


def evaluate(docs) -> tuple[int, float]:
    """(fields right, sum of clipped margins): titles, years, publishers and doc types right; the
    margins of titles, publishers and doc types."""
    right, margins = 0, 0.0
    for result, path, exp in docs:
        got = read_metadata(result, path)
        right += norm_text(got["title"]) == norm_text(exp["title"])
        right += norm_publisher(got["publisher"]) == norm_publisher(exp["publisher"])
        right += got["doc_type"] == exp["doc_type"]
        right += (got["year"] or "undated") == exp["year"]
        meta = result.meta or {}
        text = "\n".join(b.text for b in result.blocks)
        titles = metadata.title_candidates(result.blocks, meta.get("title"), meta.get("url"), meta.get("site_name"))
        want = norm_text(exp["title"])
        margins += _margin(next((s for s, t in titles if norm_text(t) == want), None),
                           [s for s, t in titles if norm_text(t) != want])
        pubs = metadata.publisher_candidates(text, meta.get("url"))
        want = norm_publisher(exp["publisher"])
        margins += _margin(next((s for s, n in pubs if norm_publisher(n) == want), None),
                           [s for s, n in pubs if norm_publisher(n) != want])
        types = metadata.doc_type_scores(text, got["title"], meta.get("url"))
        margins += _margin(types.get(exp["doc_type"], 0.0), [v for k, v in types.items() if k != exp["doc_type"]])
    return right, round(margins, 6)


VETOES = ("generic", "date_line", "question")  # lines that are never a title, whatever else they have


def allowed(tables: dict[str, dict[str, float]]) -> bool:
    """Weights keep a generic heading, a date or a question below the minimum however it is styled."""
    w = tables["title"]
    most = w["level1"] + w["strong"] + w["layout"] + w["report_words"] + w["names_body"] + w["year"]
    return all(w[k] + most < w["minimum"] for k in VETOES)


def fit(docs, rounds: int) -> tuple[tuple[int, float], list[str]]:
    """Coordinate search over every weight; returns the objective reached and the changes made."""
    tables = metadata.weight_tables()
    best = evaluate(docs)
    changes = []
    for _ in range(rounds):
        moved = False
        for name, table in tables.items():
            for key in list(table):
                if key in FIXED:
                    continue
                start = table[key]
                trials = [round(start * s, 3) for s in STEPS] if start else [-0.5, 0.5]
                for value in trials:
                    table[key] = value
                    if not allowed(tables):
                        table[key] = start
                        continue
                    score = evaluate(docs)
                    if score > best:
                        best, moved = score, True
                        changes.append(f"{name}.{key}: {start} -> {value} {score}")
                        start = value
                    table[key] = start
        if not moved:
            break
    return best, changes


def write_back(tables: dict[str, dict[str, float]]) -> None:
    """Write the weights into ingest/metadata.toml in place, keeping its comments and order."""
    lines = TOML.read_text(encoding="utf-8").split("\n")
    section, cue, date_cue = "", -1, -1
    for i, line in enumerate(lines):
        head = re.match(r"^\[\[?([\w.]+)\]\]?\s*$", line)
        if head:
            section = head.group(1)
            cue += section == "doc_type.cue"
            date_cue += section == "year.date_cue"
            continue
        m = re.match(r"^([\w-]+) = (-?[\d.]+)\s*$", line)
        if not m:
            continue
        key = m.group(1)
        if section in ("title.weights", "publisher.weights") and key in tables[section.split(".")[0]]:
            lines[i] = f"{key} = {tables[section.split('.')[0]][key]}"
        elif section == "doc_type.cue" and key == "weight":
            weight = next(v for k, v in tables["doc_type"].items() if k.startswith(f"{cue}:"))
            lines[i] = f"weight = {weight}"
        elif section == "year.date_cue" and key == "weight":
            weight = next(v for k, v in tables["year"].items() if k.startswith(f"{date_cue}:"))
            lines[i] = f"weight = {weight}"
        elif section == "year.weights" and key in tables["year"]:
            lines[i] = f"{key} = {tables['year'][key]}"
    TOML.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str]) -> int:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv[:-1] else 2
    with tempfile.TemporaryDirectory() as tmp:
        train = load([SET_DIR, SET_DIR / "field", SET_DIR / "kinds", SET_DIR / "shapes", SET_DIR / "styles",
                      SET_DIR / "reported", SET_DIR / "about", SET_DIR / "listed",
                      SET_DIR / "bodies", SET_DIR / "gathered"], Path(tmp))
        held = load([SET_DIR / "holdout"], Path(tmp))
        before, held_before = evaluate(train), evaluate(held)
        after, changes = fit(train, rounds)
        held_after = evaluate(held)
    print(f"training: {len(train)} documents, {4 * len(train)} fields; holdout: {len(held)} documents")
    print(f"before: right {before[0]} margin {before[1]:.2f}   holdout right {held_before[0]} of {4 * len(held)}")
    print(f"after:  right {after[0]} margin {after[1]:.2f}   holdout right {held_after[0]} of {4 * len(held)}")
    for c in changes:
        print(f"  {c}")
    if "--write" in argv:
        write_back(metadata.weight_tables())
        print(f"written: {TOML.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
