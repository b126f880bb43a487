"""Score metadata reading on a folder of real pages kept outside the repository, judged as
``bench/realdev.py`` judges ``realdev/real``.

    python bench/heldout.py --dir DIR [--per-page]
    python bench/heldout.py --pool DIR [DIR ...] [--except NAME,...] [--misses]
    python bench/heldout.py --pool PARENT --except NAME,...    (every set under PARENT)


``DIR`` holds saved pages (``.md`` with a leading ``<!-- url -->`` comment, or ``.docx``/``.pdf``)
and a ``manifest.tsv`` in ``realdev/real/manifest.tsv``'s shape (file, format, url, what,
year, date_note, publisher, page_host, expected_doc_type, themes_core, themes_also), written
by a careful reader before the tool ran. Prints titles, stated years, publishers and doc
types as fetched from the page's address, [from the file alone] and {from the text alone: a
saved page without its leading address comment, the harder case of a file that never had one},
then theme recall as fetched.

``--pool`` reads several such folders (or every one under a parent folder) and prints, per folder
and pooled, titles, stated years, publishers, doc types and theme recall (of the manifest's
``themes_core``) as fetched, a confusion table of doc types (gold -> got) and the year misses by kind
(no year found; the year before or after: a date mapped to the neighbouring financial year;
a year inside a span the document covers; a year from another date the page names; a span
where one year was wanted), each with the rule that found the year. It is for finding the
kinds of error that recur across many pages, not single pages. ``--except`` leaves out the
folders named (sets only measured, whose misses nobody reads); ``--misses`` lists every year,
publisher, doc-type and core-theme miss of the folders pooled, one line each, for an error analysis.
"""
from __future__ import annotations

import csv
import os
import re
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _realdev  # noqa: E402
import realdev  # noqa: E402
from _common import load, use_project_root  # noqa: E402

use_project_root()

from tests.quality import run_document  # noqa: E402


def pages(folder: Path) -> list[_realdev.Page]:
    with (folder / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [_realdev.Page("real", r["file"], r, folder / r["file"]) for r in rows if (folder / r["file"]).exists()]


def text_alone(page: _realdev.Page, r, tmp: Path):
    """The page read with its leading ``<!-- url -->`` comment taken away (no address at all)."""
    from ingest.document import parse_file

    if page.path.suffix != ".md":
        return realdev.file_alone(page, r)
    bare = tmp / page.path.name
    bare.write_text(re.sub(r"\A\s*<!--.*?-->\s*", "", page.path.read_text(encoding="utf-8"), flags=re.S),
                    encoding="utf-8")
    return replace(r, got=parse_file(bare).doc)


def year_rule(page: _realdev.Page, r) -> str:
    """Which rule of :func:`ingest.metadata.detect_period` dated the page ("date", "span", …),
    given the opening ``ingest.document.read_metadata`` hands it."""
    from ingest.metadata import detect_period, names_yearly_report
    from ingest.readers import read_path

    blocks = read_path(page.path).blocks
    title = r.got.get("title") or ""
    opening = [b.text for b in blocks[:120] if b.text]
    if title not in "\n".join(opening):
        opening.insert(0, title)
    how = detect_period(opening, prefer_date=r.got.get("doc_type") == "board-papers"
                        and not names_yearly_report(title))["how"]
    return how or "address or file date"


def year_miss(want: str, r) -> str:
    """The kind of a year miss, from the gold and what the document was given."""
    got = r.got.get("year")
    if not got:
        return "no year found"
    start, end = r.got.get("period_start"), r.got.get("period_end")
    w, g = int(want[:4]), int(got[:4])
    if start and end and int(end[:4]) - int(start[:4]) >= 2:
        if int(start[:4]) <= w < int(end[:4]):
            return "a year inside a span the document covers"
        return "a span, and the wanted year outside it"
    if abs(g - w) == 1:
        return "the neighbouring financial year (a date mapped across April, or the year a report was written)"
    return "another date's year (an event, a document the page names)"


def pool(folders: list[Path], misses_listed: bool = False) -> int:
    """Years and doc types per folder and pooled, doc types' confusion, year misses by kind."""
    rows: list[tuple[str, _realdev.Page, object, dict]] = []
    print("held-out sets pooled; as fetched from its address")
    print(f"  {'set':<12} {'pages':>5}  {'title right':<20} {'stated year right':<20} {'publisher right':<20} "
          f"{'doc type right':<20} theme recall")
    for folder in folders:
        if not (folder / "manifest.tsv").exists():
            raise SystemExit(f"{folder}: no manifest.tsv there")
        found = [(p, run_document(p.path, {}, source_url=p.row.get("url") or None)) for p in pages(folder)]
        here = [(folder.name, p, r, realdev.judge(p, r)) for p, r in found]
        rows += here
        print(f"  {folder.name:<12} {len(here):>5}  {_row(here)}")
    print(f"  {'pooled':<12} {len(rows):>5}  {_row(rows)}")
    confusion: Counter[tuple[str, str]] = Counter()
    for _, p, r, v in rows:
        if v["doc_type"] is not None:
            want = _want_type(p.row)
            confusion[(want, "ok" if v["doc_type"] else r.got.get("doc_type") or "-")] += 1
    wants = sorted({w for w, _ in confusion})
    gots = sorted({g for _, g in confusion} - {"ok"})
    print("\ndoc types, gold -> got (ok: right)")
    print(f"  {'gold':<28}" + "".join(f"{g[:13]:>14}" for g in ["ok", *gots]))
    for w in wants:
        print(f"  {w:<28}" + "".join(f"{confusion[(w, g)] or '.':>14}" for g in ["ok", *gots]))
    misses: Counter[tuple[str, str]] = Counter()
    for _, p, r, v in rows:
        if v["year"] is False:
            misses[(year_miss(realdev.first_year(p.row.get("year", "")), r), year_rule(p, r))] += 1
    print("\nyear misses by kind (and the rule that dated the page)")
    for (kind, how), n in sorted(misses.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:>3}  {kind}  [{how}]")
    if misses_listed:
        print("\nevery miss: set/file: field want -> got")
        for name, p, r, v in rows:
            if v["year"] is False:
                print(f"  {name}/{p.file}: year {p.row.get('year')!r} -> {r.got.get('year')!r} "
                      f"(period {r.got.get('period_start')} to {r.got.get('period_end')}; {year_rule(p, r)}; "
                      f"gold note {p.row.get('date_note')!r})")
            if v["publisher"] is False:
                print(f"  {name}/{p.file}: publisher {p.row.get('publisher') or p.row.get('area_publisher')!r} -> "
                      f"{r.got.get('publisher')!r}")
            if v["doc_type"] is False:
                print(f"  {name}/{p.file}: doc type {_want_type(p.row)!r} -> {r.got.get('doc_type')!r}"
                      f" (title {r.got.get('title')!r})")
            if v["missing_themes"]:
                print(f"  {name}/{p.file}: themes missing {', '.join(v['missing_themes'])}")
    print(f"(load {load()})")
    return 0


def _want_type(row: dict) -> str:
    """The gold doc type as ``realdev.judge`` reads it (an item set's manifest names its column ``doc_type``)."""
    return row.get("expected_doc_type") or row.get("doc_type") or ""


def _row(rows: list) -> str:
    return ("".join(f"{_figure([v[f] for *_, v in rows]):<21}" for f in ("title", "year", "publisher", "doc_type"))
            + _themes([v for *_, v in rows]))


def _themes(verdicts: list) -> str:
    """Theme recall over the pages' ``themes_core``: the share of the reader's core themes the
    document is tagged with (a theme of any of its sections), as ``bench/realdev.py`` judges it."""
    hit, total = realdev.theme_recall(verdicts)
    return f"{hit} of {total} {hit / max(total, 1):.2f}"


def _figure(values: list) -> str:
    judged = [v for v in values if v is not None]
    return f"{sum(judged)} of {len(judged)} {sum(judged) / max(len(judged), 1):.2f}"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--pool"] and argv[1:]:
        os.environ.pop("SGSEARCH_METADATA", None)
        rest = argv[1:]
        leave_out: set[str] = set()
        if "--except" in rest[:-1]:
            at = rest.index("--except")
            leave_out = set(rest[at + 1].split(","))
            del rest[at:at + 2]
        listed = "--misses" in rest
        # a folder without a manifest is a parent of held-out sets: each of its sets is pooled
        folders = [f for a in rest if a != "--misses" for f in
                   ([Path(a)] if (Path(a) / "manifest.tsv").exists() or not Path(a).is_dir()
                    else sorted(d for d in Path(a).iterdir() if (d / "manifest.tsv").exists()))]
        return pool([f for f in folders if f.name not in leave_out], listed)
    if "--dir" not in argv[:-1]:
        raise SystemExit("usage: python bench/heldout.py --dir DIR [--per-page] | --pool DIR [DIR ...] [--except NAME,...] [--misses]")
    folder = Path(argv[argv.index("--dir") + 1])
    if not (folder / "manifest.tsv").exists():
        raise SystemExit(f"{folder}: no manifest.tsv there")
    os.environ.pop("SGSEARCH_METADATA", None)
    found = pages(folder)
    results = [(p, run_document(p.path, {}, source_url=p.row.get("url") or None)) for p in found]
    verdicts = [(p, r, realdev.judge(p, r)) for p, r in results]
    alone = [realdev.judge(p, realdev.file_alone(p, r)) for p, r in results]
    with tempfile.TemporaryDirectory() as tmp:
        bare = [realdev.judge(p, text_alone(p, r, Path(tmp))) for p, r in results]
    print(f"held-out {folder.name}: {len(found)} pages; as fetched from its address [file alone] {{text alone}}")

    for f in realdev.FIGURES:
        print(f"  {realdev.NAMES[f]:<36} {_figure([v[f] for _, _, v in verdicts]):<14}"
              f" [{_figure([v[f] for v in alone])}] {{{_figure([v[f] for v in bare])}}}")
    print(f"  {'theme recall (themes_core)':<36} {_themes([v for *_, v in verdicts])}")
    if "--per-page" in argv:
        for (p, r, v), a in zip(verdicts, alone):
            marks = " ".join(f"{f}={'-' if v[f] is None else ('ok' if v[f] else 'WRONG')}"
                             f"{'' if a[f] is None or a[f] == v[f] else '[' + ('ok' if a[f] else 'WRONG') + ']'}"
                             for f in realdev.FIGURES)
            print(f"\n{p.file}: {marks}")
            print(f"    title:     {r.got.get('title')!r}")
            print(f"    year:      {r.got.get('year')!r} (period {r.got.get('period_start')} to "
                  f"{r.got.get('period_end')}; manifest {p.row.get('year')!r})")
            print(f"    publisher: {r.got.get('publisher')!r} (manifest {p.row.get('publisher')!r})")
            print(f"    doc type:  {r.got.get('doc_type')!r} (manifest {_want_type(p.row)!r})")
            if v["missing_themes"]:
                print(f"    themes missing: {', '.join(v['missing_themes'])}")
    print(f"(load {load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
