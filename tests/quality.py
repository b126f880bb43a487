"""Score metadata, items and themes against the realistic test set in ``tests/realistic``.

Each document there is a ``.md`` file written for the tests, with a ``.toml`` beside it
holding what a careful reader expects: title, year (or "undated"), publisher, doc type,
the items (kind, text, status) and the document-level themes. ``format`` says whether the
document is read as Markdown or first written out as .docx or .pdf (from the same text).
``bench/quality.py`` prints the figures; ``tests/test_quality.py`` asserts the targets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from tests import docgen

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

SET_DIR = Path(__file__).resolve().parent / "realistic"
ITEM_KINDS = ("recommendation", "learning", "finding", "priority", "objective", "action", "risk")
MATCH = 90  # rapidfuzz ratio (0-100) on normalised text for an item to count as found


@dataclass
class DocResult:
    """What was expected of one document and what came out."""

    name: str
    expected: dict
    got: dict
    items: list[dict] = field(default_factory=list)
    themes: set[str] = field(default_factory=set)


def load_set(directory: Path = SET_DIR) -> list[tuple[Path, dict]]:
    """The set's documents (their Markdown source) and expectations, in name order."""
    out = []
    for toml_path in sorted(directory.glob("*.toml")):
        with open(toml_path, "rb") as fh:
            out.append((toml_path.with_suffix(".md"), tomllib.load(fh)))
    return out


def materialise(source: Path, fmt: str, out_dir: Path) -> Path:
    """The file to ingest: the Markdown itself, or a .docx/.pdf written from it."""
    if fmt == "md":
        return source
    spec = docgen.spec_from_markdown(source.read_text(encoding="utf-8"))
    target = out_dir / f"{source.stem}.{fmt}"
    writer = {"docx": docgen.write_docx, "pdf": docgen.write_pdf}[fmt]
    return writer(target, spec, header=None)


def build_files(out_dir: Path, directory: Path = SET_DIR) -> list[tuple[Path, dict]]:
    """Every document of the set as the file a user would ingest, with its expectations."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [(materialise(src, exp.get("format", "md"), out_dir), exp) for src, exp in load_set(directory)]


def run_document(path: Path, expected: dict, source_url: str | None = None) -> DocResult:
    """Parse, extract items and tag one file the way ``sgsearch ingest`` does (``source_url``:
    the address it was fetched from, as ``sgsearch ingest URL`` records it)."""
    from ingest.document import parse_file
    from ingest.items import extract_items
    from ingest.tagworker import section_text
    from ingest.themes import get_tagger

    parsed = parse_file(path, source_url=source_url)
    items = extract_items(parsed)
    texts = [section_text(s) for s in parsed.sections]
    themes = {t.id for tags in get_tagger().tag_many(texts) for t in tags}
    return DocResult(path.stem, expected, parsed.doc, items, themes)


def norm_text(text: str) -> str:
    """Lower case, quotes and dashes folded, punctuation dropped, spaces collapsed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.split())


def norm_publisher(text: str | None) -> str:
    """A publisher as compared: "&" is "and", possessive and trailing "(ACRONYM)" ignored."""
    text = re.sub(r"\s*\([A-Z]{2,8}\)\s*$", "", text or "")
    text = text.replace("&", " and ").replace("Children's", "Children").replace("'s ", " ")
    return norm_text(text)


def _year(doc: dict) -> str:
    return doc.get("year") or "undated"


def metadata_checks(r: DocResult) -> dict[str, bool]:
    """Which of title, year, publisher and doc type came out right for one document."""
    e, g = r.expected, r.got
    return {
        "title": norm_text(g.get("title") or "") == norm_text(e["title"]),
        "year": _year(g) == e["year"],
        "publisher": norm_publisher(g.get("publisher")) == norm_publisher(e["publisher"]),
        "doc_type": g.get("doc_type") == e["doc_type"],
    }


def match_items(expected: list[dict], got: list[dict]) -> list[tuple[int, int]]:
    """Pairs (expected index, got index): same kind, same status if one is expected, text alike."""
    pairs: list[tuple[float, int, int]] = []
    for i, e in enumerate(expected):
        for j, g in enumerate(got):
            if e["kind"] != g["kind"]:
                continue
            if "status" in e and e["status"] != g.get("status"):
                continue
            score = fuzz.ratio(norm_text(e["text"]), norm_text(g["text"]))
            if score >= MATCH:
                pairs.append((score, i, j))
    return one_to_one(pairs)


def one_to_one(pairs: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """From scored candidate pairs (score, expected index, got index), each side used once,
    best score first."""
    used_e: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _score, i, j in sorted(pairs, reverse=True):
        if i not in used_e and j not in used_g:
            used_e.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def score(results: list[DocResult]) -> dict:
    """All the figures: metadata accuracy, items and themes recall/precision (per kind too)."""
    meta = {k: 0 for k in ("title", "year", "publisher", "doc_type")}
    wrong: dict[str, list[str]] = {k: [] for k in meta}
    kinds = {k: {"expected": 0, "got": 0, "matched": 0} for k in ITEM_KINDS}
    missed: list[str] = []
    extra: list[str] = []
    th = {"expected": 0, "got": 0, "matched": 0}
    theme_misses: list[str] = []
    for r in results:
        for k, ok in metadata_checks(r).items():
            meta[k] += ok
            if not ok:
                wrong[k].append(f"{r.name}: {r.got.get(k if k != 'year' else 'year')!r}")
        expected = r.expected.get("items", [])
        pairs = match_items(expected, r.items)
        matched_e = {i for i, _ in pairs}
        matched_g = {j for _, j in pairs}
        for e in expected:
            kinds[e["kind"]]["expected"] += 1
        for g in r.items:
            kinds[g["kind"]]["got"] += 1
        for i, _j in pairs:
            kinds[expected[i]["kind"]]["matched"] += 1
        missed += [f"{r.name}: {e['kind']}: {e['text']}" for i, e in enumerate(expected) if i not in matched_e]
        extra += [f"{r.name}: {g['kind']}: {g['text']} [{g.get('status')}]"
                  for j, g in enumerate(r.items) if j not in matched_g]
        want = set(r.expected.get("themes", []))
        th["expected"] += len(want)
        th["got"] += len(r.themes)
        th["matched"] += len(want & r.themes)
        if want != r.themes:
            theme_misses.append(f"{r.name}: missing {sorted(want - r.themes)} extra {sorted(r.themes - want)}")
    n = len(results)
    total = {x: sum(k[x] for k in kinds.values()) for x in ("expected", "got", "matched")}
    return {
        "documents": n,
        "metadata": {k: v / n for k, v in meta.items()},
        "metadata_wrong": wrong,
        "items": {
            "recall": _ratio(total["matched"], total["expected"]),
            "precision": _ratio(total["matched"], total["got"]),
            "by_kind": {
                k: {"expected": v["expected"], "got": v["got"],
                    "recall": _ratio(v["matched"], v["expected"]), "precision": _ratio(v["matched"], v["got"])}
                for k, v in kinds.items() if v["expected"] or v["got"]
            },
            "missed": missed,
            "extra": extra,
        },
        "themes": {
            "recall": _ratio(th["matched"], th["expected"]),
            "precision": _ratio(th["matched"], th["got"]),
            "differences": theme_misses,
        },
    }


def evaluate(out_dir: Path, directory: Path = SET_DIR) -> dict:
    """Build the set's files under ``out_dir``, run each document, and score them."""
    return score([run_document(path, exp) for path, exp in build_files(out_dir, directory)])
