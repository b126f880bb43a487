"""Score metadata reading on a folder of real pages kept outside the repository, judged as
``bench/realdev.py`` judges ``realdev/real``.

    python bench/heldout.py --dir DIR [--per-page]

``DIR`` holds saved pages (``.md`` with a leading ``<!-- url -->`` comment, or ``.docx``/``.pdf``)
and a ``manifest.tsv`` in ``realdev/real/manifest.tsv``'s shape (file, format, url, what,
year, date_note, publisher, page_host, expected_doc_type, themes_core, themes_also), written
by a careful reader before the tool ran. Prints titles, stated years, publishers and doc
types as fetched from the page's address, [from the file alone] and {from the text alone: a
saved page without its leading address comment, the harder case of a file that never had one}.
"""
from __future__ import annotations

import csv
import os
import re
import sys
import tempfile
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


def main(argv: list[str]) -> int:
    if "--dir" not in argv[:-1]:
        raise SystemExit("usage: python bench/heldout.py --dir DIR [--per-page]")
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

    def figure(values: list) -> str:
        judged = [v for v in values if v is not None]
        return f"{sum(judged)} of {len(judged)} {sum(judged) / max(len(judged), 1):.2f}"

    for f in realdev.FIGURES:
        print(f"  {realdev.NAMES[f]:<36} {figure([v[f] for _, _, v in verdicts]):<14}"
              f" [{figure([v[f] for v in alone])}] {{{figure([v[f] for v in bare])}}}")
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
            print(f"    doc type:  {r.got.get('doc_type')!r} (manifest {p.row.get('expected_doc_type')!r})")
    print(f"(load {load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
