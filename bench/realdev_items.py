"""Item recall, precision and kind accuracy on real text (realdev ``real2``) and on the tests' own set.

    python bench/realdev_items.py [--per-page] [--details] [--dir FOLDER] [--pool PARENT [--except NAME,…] [--causes]]

``--dir FOLDER`` scores a folder shaped like realdev ``real2`` instead (its ``.md`` pages and an
``items.tsv`` of file, start, end, kind, item_no): a held-out set of real pages kept outside the
repository. ``--pool PARENT`` scores every such folder under ``PARENT``, prints each set's line
and the pooled totals, and counts the misses and the false items by what they are (see
``error_kinds``); ``--except`` leaves out the sets named (a fresh set only measured, never read).

Matching rule (the same for both sets): an extracted item is located in its page's text
(letters and digits only, lower case, so list markers, joined cells and quotes do not
count); it MATCHES a gold item when their spans overlap by at least half of the gold's
length AND at least half of the extracted item's length (a whole-page catch-all and a
fragment both fail). Pairs are made one to one, largest overlap first: each gold item is
matched once, each extracted item once. Recall = matched gold / gold; precision = matched
extracted / extracted; kinds = matched pairs whose kind is the gold's kind / matched pairs.

A second, containing rule is printed beside it ("containing: …"): after the pairs above, an
extracted item and a gold item still unpaired also match when one lies wholly (nine tenths)
inside the other and is at least a quarter of its length. It credits an item found with the
sentence after it joined on ("… found that X. This meant Y.") or two gold points read as one
entry, once: the second gold point stays missed. A whole-page catch-all still fails.

Recurrence sets (a ``pairs.tsv`` beside ``items.tsv``) list only the items of their pairs, so
an item extracted there and not in the gold is not necessarily false: the pooled line over the
item sets alone ("pooled item sets") is the one whose precision means what it says.

``--causes`` (with ``--pool``) also counts every miss and false item of the item sets by its
cause, from the candidates the scorer saw (``causes``): a gold item the extracted one cuts or
merges with its neighbour, one no candidate holds (read as a heading, a label, a lead-in), one
scored below the bar (under a heading naming a kind or not; list entry or prose), one scored
enough on a page the gate doubted; a false item from a page that holds none, one overlapping a
gold item, a short line (a heading or label) or other text on a page with items.

``item_figures(extracted_by_file, gold, texts)`` is the library face other benchmark
scripts import: extracted items per page file in, a dict of figures out.
"""
from __future__ import annotations

import bisect
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _realdev  # noqa: E402
from _common import use_project_root  # noqa: E402

use_project_root()

from rapidfuzz import fuzz  # noqa: E402

from tests.quality import one_to_one  # noqa: E402

OVERLAP = 0.5   # share of each side's length the two spans must have in common
INSIDE = 0.9    # containing rule: share of the smaller span that lies inside the larger
QUARTER = 0.25  # containing rule: the smaller span's least share of the larger's length
FUZZY = 88      # partial_ratio (0-100) needed to place an item not found word for word
HELD_OUT_SEED = 7  # generated documents scored here; bench/fit_items.py fits on seed 1


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` as lower-case letters and digits with single spaces, and where each
    character of that came from in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isalnum():
            out.append(ch.lower())
            where.append(i)
        elif out and out[-1] != " ":
            out.append(" ")
            where.append(i)
    return "".join(out), where


@dataclass
class _Page:
    norm: str
    where: list[int]

    def to_norm(self, start: int, end: int) -> tuple[int, int]:
        """A span of the original text as a span of the normalised text."""
        return bisect.bisect_left(self.where, start), bisect.bisect_left(self.where, end)

    def locate(self, text: str) -> tuple[int, int] | None:
        """Where an extracted item's text lies in the normalised page, or None."""
        needle = _normalise(text)[0].strip()
        if not needle:
            return None
        at = self.norm.find(needle)
        if at >= 0:
            return at, at + len(needle)
        al = fuzz.partial_ratio_alignment(needle, self.norm, score_cutoff=FUZZY)
        return (al.dest_start, al.dest_end) if al else None


def _page(text: str) -> _Page:
    norm, where = _normalise(text)
    return _Page(norm, where)


def _match(gold_spans: list[tuple[int, int]], got_spans: list[tuple[int, int] | None]) -> list[tuple[int, int]]:
    pairs = []
    for i, (gs, ge) in enumerate(gold_spans):
        for j, span in enumerate(got_spans):
            if span is None:
                continue
            ov = min(ge, span[1]) - max(gs, span[0])
            if ov > 0 and ov >= OVERLAP * (ge - gs) and ov >= OVERLAP * (span[1] - span[0]):
                pairs.append((ov, i, j))
    return one_to_one(pairs)


def _contained(gold_spans: list[tuple[int, int]], got_spans: list[tuple[int, int] | None],
               pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The containing rule's further pairs among the gold and extracted items ``pairs`` left unpaired."""
    done_g, done_e = {i for i, _ in pairs}, {j for _, j in pairs}
    more = []
    for i, (gs, ge) in enumerate(gold_spans):
        if i in done_g:
            continue
        for j, span in enumerate(got_spans):
            if span is None or j in done_e:
                continue
            ov = min(ge, span[1]) - max(gs, span[0])
            small, large = sorted((ge - gs, span[1] - span[0]))
            if ov > 0 and ov >= INSIDE * small and small >= QUARTER * large:
                more.append((ov, i, j))
    return one_to_one(more)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def item_figures(extracted_by_file: dict[str, list[dict]], gold: list, texts: dict[str, str]) -> dict:
    """Recall, precision and kind accuracy of the items extracted from each page file.

    ``extracted_by_file``: file name -> items (dicts with ``kind`` and ``text``);
    ``gold``: records with ``file``, ``kind``, ``start``, ``end`` (offsets into the page) and
    ``text``; ``texts``: file name -> the page's text. Pages with gold items or extracted
    items are scored. Returns totals, ``per_page`` and the ``missed``, ``extra`` and
    ``wrong_kind`` lists for reading.
    """
    gold_by: dict[str, list] = defaultdict(list)
    for g in gold:
        gold_by[g.file].append(g)
    files = sorted(set(gold_by) | {f for f, v in extracted_by_file.items() if v})
    tot = {"gold": 0, "extracted": 0, "matched": 0, "kind_right": 0, "contained": 0}
    per_page: dict[str, dict] = {}
    missed: list[str] = []
    extra: list[str] = []
    wrong: list[str] = []
    for f in files:
        page = _page(texts[f])
        golds = gold_by.get(f, [])
        got = extracted_by_file.get(f, [])
        g_spans = [page.to_norm(g.start, g.end) for g in golds]
        e_spans = [page.locate(e["text"]) for e in got]
        pairs = _match(g_spans, e_spans)
        right = sum(golds[i].kind == got[j]["kind"] for i, j in pairs)
        row = {"gold": len(golds), "extracted": len(got), "matched": len(pairs), "kind_right": right,
               "contained": len(_contained(g_spans, e_spans, pairs))}
        for k in tot:
            tot[k] += row[k]
        row.update(recall=_ratio(row["matched"], row["gold"]), precision=_ratio(row["matched"], row["extracted"]),
                   kinds=_ratio(right, row["matched"]))
        per_page[f] = row
        mg = {i for i, _ in pairs}
        me = {j for _, j in pairs}
        missed += [f"{f}: {g.kind}: {g.text[:110]}" for i, g in enumerate(golds) if i not in mg]
        extra += [f"{f}: {e['kind']}: {e['text'][:110]}" for j, e in enumerate(got) if j not in me]
        wrong += [f"{f}: {got[j]['kind']} (gold {golds[i].kind}): {golds[i].text[:90]}"
                  for i, j in pairs if golds[i].kind != got[j]["kind"]]
    none_pages = [f for f in texts if not gold_by.get(f)]
    return {**tot, "recall": _ratio(tot["matched"], tot["gold"]),
            "from_none": sum(len(extracted_by_file.get(f, [])) for f in none_pages), "none_pages": len(none_pages),
            "precision": _ratio(tot["matched"], tot["extracted"]),
            "kinds": _ratio(tot["kind_right"], tot["matched"]),
            "recall_containing": _ratio(tot["matched"] + tot["contained"], tot["gold"]),
            "precision_containing": _ratio(tot["matched"] + tot["contained"], tot["extracted"]),
            "per_page": per_page, "missed": missed, "extra": extra, "wrong_kind": wrong}


def extract(path: Path) -> list[dict]:
    """The items sgsearch extracts from one file, as ``sgsearch ingest`` does."""
    from ingest.document import parse_file
    from ingest.items import extract_items

    return extract_items(parse_file(path))


def realdev_figures() -> dict:
    """The figures on realdev ``real2`` (its pages and gold items)."""
    pages = _realdev.pages("real2")
    texts = {p.file: p.path.read_text(encoding="utf-8") for p in pages}
    got = {p.file: extract(p.path) for p in pages}
    return item_figures(got, _realdev.items(), texts)


def folder_figures(directory: Path) -> dict:
    """The figures on a folder shaped like realdev ``real2``: every ``.md`` page and its ``items.tsv``."""
    texts, gold, got = _folder(directory)
    return item_figures(got, gold, texts)


def _folder(directory: Path) -> tuple[dict[str, str], list, dict[str, list[dict]]]:
    """A held-out folder's page texts, gold items and extracted items."""
    import csv

    if not (directory / "items.tsv").exists():
        raise SystemExit(f"{directory}: no items.tsv there")
    texts = {p.name: p.read_text(encoding="utf-8") for p in _page_files(directory)}
    with (directory / "items.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    gold = [_Gold(r["file"], r["kind"], int(r["start"]), int(r["end"]),
                  texts[r["file"]][int(r["start"]):int(r["end"])]) for r in rows]
    got = {name: extract(directory / name) for name in texts}
    return texts, gold, got


def _page_files(directory: Path) -> list[Path]:
    """A held-out folder's pages: the files its ``manifest.tsv`` lists, else every ``.md`` but a README."""
    import csv

    manifest = directory / "manifest.tsv"
    if manifest.exists():
        with manifest.open(encoding="utf-8", newline="") as fh:
            return [directory / r["file"] for r in csv.DictReader(fh, delimiter="\t")]
    return [p for p in sorted(directory.glob("*.md")) if p.name.lower() != "readme.md"]


@dataclass
class _Gold:
    file: str
    kind: str
    start: int
    end: int
    text: str


def _figures_of(docs: list[tuple[Path, str, list[tuple[str, str]]]]) -> dict:
    """Figures for documents the tests wrote: (file to read, its Markdown source, its items as
    (kind, text)); each expected item is placed in the source to give its span."""
    got: dict[str, list[dict]] = {}
    texts: dict[str, str] = {}
    gold: list[_Gold] = []
    for path, text, items in docs:
        name = path.stem + ".md"
        texts[name] = text
        got[name] = extract(path)
        page = _page(text)
        for kind, item in items:
            span = page.locate(item)
            if span is None:
                raise SystemExit(f"{name}: expected item not found in its source: {item[:60]}")
            start, end = page.where[span[0]], page.where[min(span[1], len(page.where)) - 1] + 1
            gold.append(_Gold(name, kind, start, end, item))
    return item_figures(got, gold, texts)


def own_figures(directory: Path | None = None) -> dict:
    """The figures on a set of the tests' own documents (``tests/realistic`` by default)."""
    from tests.quality import SET_DIR, build_files

    directory = directory or SET_DIR
    with tempfile.TemporaryDirectory() as tmp:
        docs = [(path, (directory / (path.stem + ".md")).read_text(encoding="utf-8"),
                 [(e["kind"], e["text"]) for e in exp.get("items", [])])
                for path, exp in build_files(Path(tmp), directory)]
        return _figures_of(docs)


def generated_figures(seed: int = HELD_OUT_SEED, n: int = 80) -> dict:
    """The figures on documents ``tests/itemgen.py`` writes with a seed the fitting never used."""
    from tests.itemgen import documents

    with tempfile.TemporaryDirectory() as tmp:
        docs = []
        for d in documents(seed, n):
            path = Path(tmp) / f"{d.name}.md"
            path.write_text(d.text, encoding="utf-8")
            docs.append((path, d.text, d.items))
        return _figures_of(docs)


_MARKER = re.compile(r"^\s*(?:[-*•·▪–]|\(?\d{1,2}[.):]|\(?[a-z][.)])\s")
_STOP = (".", "!", "?", ";", ":")


def _line_of(text: str, start: int) -> str:
    """The line of ``text`` that holds offset ``start``."""
    return text[text.rfind("\n", 0, start) + 1:text.find("\n", start) if "\n" in text[start:] else len(text)]


def _heading_above(text: str, start: int) -> str:
    """The nearest Markdown heading or short stand-alone line above ``start``."""
    for line in reversed(text[:start].splitlines()[:-1] or [""]):
        bare = line.strip()
        if bare.startswith("#") or (bare and len(bare.split()) <= 8 and not bare.endswith(_STOP[:3])
                                    and not _MARKER.match(bare)):
            return bare.lstrip("# ")
    return ""


def _form_of(line: str) -> str:
    if "|" in line or "\t" in line:
        return "table row"
    if _MARKER.match(line):
        return "list entry"
    return "sentence of prose"


def error_kinds(fig: dict, gold: list, texts: dict[str, str], got: dict[str, list[dict]]) -> dict[str, int]:
    """Misses and false items counted by what they are: a miss by its form (list entry, table
    row, sentence of prose) and whether the heading above it names a kind; a false item by
    whether its page holds none, its shape (a short line without a stop: a heading or label; a
    line with a date or a figure) and its form; a kind error by (extracted -> gold)."""
    from ingest.candidates import cue_kind

    out: dict[str, int] = defaultdict(int)
    gold_by: dict[str, list] = defaultdict(list)
    for g in gold:
        gold_by[g.file].append(g)
    for line in fig["missed"]:
        f, _kind, snippet = line.split(": ", 2)
        g = next((g for g in gold_by[f] if g.text[:110] == snippet), None)
        if g is None:
            continue
        named = "under a heading naming a kind" if cue_kind(_heading_above(texts[f], g.start)) else \
            "no heading naming a kind"
        out[f"missed: {_form_of(_line_of(texts[f], g.start))}, {named}"] += 1
    for f, items in got.items():
        for e in items:
            if f"{f}: {e['kind']}: {e['text'][:110]}" not in fig["extra"]:
                continue
            words = e["text"].split()
            where = "page with no items" if not gold_by.get(f) else "page with items"
            if len(words) <= 8 and not e["text"].rstrip().endswith(_STOP[:3]):
                shape = "short line without a stop (heading, label, link)"
            elif re.search(r"\b(?:19|20)\d\d\b|\d+(?:\.\d+)?%|\b\d{2,}\b", e["text"]):
                shape = "names a date or a figure"
            else:
                at = texts[f].find(e["text"][:40])
                shape = _form_of(_line_of(texts[f], at)) if at >= 0 else "sentence of prose"
            out[f"false item on a {where}: {shape}"] += 1
    for line in fig["wrong_kind"]:
        f, rest = line.split(": ", 1)
        out[f"kind wrong: {rest.split(':', 1)[0]}"] += 1
    return dict(sorted(out.items(), key=lambda kv: (kv[0].split(":")[0], -kv[1])))


def causes(directory: Path) -> dict[str, int]:
    """Misses and false items of one held-out folder counted by cause (see the module's docstring)."""
    from ingest.candidates import cue_kind, model
    from ingest.document import parse_file
    from ingest.items import PARAGRAPH_BAR, document_candidates

    texts, gold, got = _folder(directory)
    m = model()
    out: dict[str, int] = defaultdict(int)

    def ov(a, b):
        return 0 if a is None or b is None else max(0, min(a[1], b[1]) - max(a[0], b[0]))

    for f, text in texts.items():
        page = _page(text)
        golds = [g for g in gold if g.file == f]
        items = got.get(f, [])
        g_spans = [page.to_norm(g.start, g.end) for g in golds]
        e_spans = [page.locate(e["text"]) for e in items]
        pairs = _match(g_spans, e_spans)
        mg, me = {i for i, _ in pairs}, {j for _, j in pairs}
        parsed = parse_file(directory / f)
        cands = [(c, page.locate(c.text), s.get("heading") or "")
                 for s, (_, cs) in zip(parsed.sections, document_candidates(parsed.sections)) for c in cs]
        for i, gs in enumerate(g_spans):
            if i in mg:
                continue
            if any(ov(gs, e_spans[j]) for j in range(len(items)) if j not in me):
                out["missed: cut short or merged with its neighbour"] += 1
                continue
            held = [(ov(gs, sp), c, sp, h) for c, sp, h in cands if ov(gs, sp)]
            if not held:
                out["missed: no candidate holds it (read as a heading, a label, a lead-in)"] += 1
                continue
            o, c, sp, heading = max(held, key=lambda x: x[0])
            if o < OVERLAP * (gs[1] - gs[0]) or o < OVERLAP * (sp[1] - sp[0]):
                out["missed: its candidate is cut otherwise"] += 1
                continue
            bar = min(m.threshold, PARAGRAPH_BAR) if c.form == "para" else m.threshold
            if c.p is not None and c.p >= bar:
                out["missed: scored enough, on a page the gate doubted"] += 1
                continue
            named = "under a heading naming a kind" if cue_kind(heading) else "no heading naming a kind"
            form = "prose" if c.form in ("sentence", "para") else "list entry or line"
            out[f"missed: scored below the bar, {form}, {named}"] += 1
        for j, e in enumerate(items):
            if j in me:
                continue
            words = e["text"].split()
            if not golds:
                what = "from a page that holds none"
            elif any(ov(gs, e_spans[j]) for gs in g_spans):
                what = "overlapping a gold item (cut or merged)"
            elif len(words) <= 8 and not e["text"].rstrip().endswith(_STOP[:3]):
                what = "a short line without a stop (heading, label)"
            else:
                what = "other text on a page with items"
            out[f"false item: {what}"] += 1
    return dict(out)


def pool_figures(parent: Path, leave_out: set[str] = frozenset()) -> list[tuple[str, dict, dict[str, int]]]:
    """Every held-out folder under ``parent`` with an ``items.tsv`` (but those named in
    ``leave_out``): (name, figures, error kinds), then ``pooled`` over them all."""
    rows = []
    pooled: dict[bool, tuple[dict, dict, list]] = {True: ({}, {}, []), False: ({}, {}, [])}
    for d in sorted(x for x in parent.iterdir() if (x / "items.tsv").exists() and x.name not in leave_out):
        texts, gold, got = _folder(d)
        fig = item_figures(got, gold, texts)
        rows.append((d.name, fig, error_kinds(fig, gold, texts, got)))
        all_texts, all_got, all_gold = pooled[not (d / "pairs.tsv").exists()]
        all_texts.update({f"{d.name}/{f}": t for f, t in texts.items()})
        all_got.update({f"{d.name}/{f}": v for f, v in got.items()})
        all_gold += [_Gold(f"{d.name}/{g.file}", g.kind, g.start, g.end, g.text) for g in gold]
    items_only = item_figures(pooled[True][1], pooled[True][2], pooled[True][0])
    all_texts = {**pooled[True][0], **pooled[False][0]}
    all_got = {**pooled[True][1], **pooled[False][1]}
    all_gold = pooled[True][2] + pooled[False][2]
    fig = item_figures(all_got, all_gold, all_texts)
    rows.append(("pooled item sets", items_only, {}))
    rows.append(("pooled", fig, error_kinds(fig, all_gold, all_texts, all_got)))
    return rows


def _print(label: str, fig: dict, per_page: bool, details: bool) -> None:
    print(f"{label}: items {fig['gold']} gold, {fig['extracted']} extracted, {fig['matched']} matched: "
          f"recall {fig['recall']:.2f}  precision {fig['precision']:.2f}  kinds {fig['kinds']:.2f}"
          f"  (from {fig['none_pages']} pages with no gold item: {fig['from_none']});"
          f"  containing: recall {fig['recall_containing']:.2f}  precision {fig['precision_containing']:.2f}")
    if per_page:
        for f, r in fig["per_page"].items():
            print(f"  {f:<58} gold {r['gold']:>3} got {r['extracted']:>3} matched {r['matched']:>3}  "
                  f"recall {r['recall']:.2f} precision {r['precision']:.2f} kinds {r['kinds']:.2f}")
    if details:
        for k in ("missed", "extra", "wrong_kind"):
            for line in fig[k]:
                print(f"    {k}: {line}")


def main(argv: list[str]) -> int:
    per_page, details = "--per-page" in argv, "--details" in argv
    from tests.quality import SET_DIR

    if "--dir" in argv:
        at = argv.index("--dir") + 1
        if at >= len(argv):
            raise SystemExit("--dir needs a folder")
        directory = Path(argv[at])
        _print(str(directory), folder_figures(directory), per_page, details)
        return 0

    if "--pool" in argv:
        at = argv.index("--pool") + 1
        if at >= len(argv) or not Path(argv[at]).is_dir():
            raise SystemExit("--pool needs a folder holding held-out sets")
        leave_out = set(argv[argv.index("--except") + 1].split(",")) if "--except" in argv[:-1] else set()
        rows = pool_figures(Path(argv[at]), leave_out)
        for name, fig, _errors in rows:
            _print(name, fig, per_page, details)
        print("pooled misses and false items, by what they are:")
        for what, n in rows[-1][2].items():
            print(f"  {n:>4}  {what}")
        if "--causes" in argv:
            total: dict[str, int] = defaultdict(int)
            for d in sorted(x for x in Path(argv[at]).iterdir() if (x / "items.tsv").exists()
                            and not (x / "pairs.tsv").exists() and x.name not in leave_out):
                for what, n in causes(d).items():
                    total[what] += n
            print("item sets' misses and false items, by cause:")
            for what, n in sorted(total.items()):
                print(f"  {n:>4}  {what}")
        return 0

    _print("realdev real2", realdev_figures(), per_page, details)
    _print("tests/realistic", own_figures(SET_DIR), per_page, details)
    _print("tests/realistic/holdout", own_figures(SET_DIR / "holdout"), per_page, details)
    _print("tests/realistic/field", own_figures(SET_DIR / "field"), per_page, details)
    _print("tests/realistic/prose", own_figures(SET_DIR / "prose"), per_page, details)
    _print(f"generated (seed {HELD_OUT_SEED}, 80 documents)", generated_figures(), False, details)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
