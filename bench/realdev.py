"""Print how well sgsearch reads real pages it has never seen (``../shared/realdev``), beside
the same figures on the tests' own house-style set (``tests/realistic``).

    python bench/realdev.py [--per-page] [--set DIR]

Without ``--set`` the house-style figures are those of ``tests/realistic``, its ``holdout`` and
its ``field`` set (styles from the whole field: a Welsh regional board, a CPC paper, a news
item, a Panel summary, an NHS trust report).

Every page is read as a user's ``sgsearch ingest`` reads it: no catalog, no
``SGSEARCH_METADATA``, the file as it is (``.md``, ``.docx`` or ``.pdf``), with the address
it was fetched from (the manifest's ``url``, as ``sgsearch ingest URL`` records it); the
figures in brackets read the file alone (a saved ``.md`` page still has its address in its
first-line comment; the ``.docx`` and ``.pdf`` conversions and ``real2`` have none). The
page's expected values come from the set's manifests; no page text is kept here.

How each figure is judged (strictly: a near miss is wrong):

- **title right** (``real/``, whose manifest says what each page is): the title is a line
  of the page, not furniture (a portal or page heading such as "Agenda item", "Issue -
  decisions", "Table of contents", "Background"), nor carrying a link's furniture ("PDF 205
  KB"), not a date line, a question, the site's
  host or the file name; and it shares at least two naming words (report words, subject
  words, the year) with the manifest's description of the page, abbreviations such as
  LSCB and SCP spelled out on both sides.
- **stated year right**: pages whose manifest gives a year; the document's ``year`` label
  must be that financial year (the first one named, for a page reporting on two).
- **publisher names its body and area**: the body type the manifest names (board,
  partnership, NSPCC, Ofsted, the Panel, a council, or any national body of the gazetteer's
  ``[[publisher.national]]``) and, unless the body is national, its area (any of the areas
  named; a short form such as "B&NES" counts as its area; a council's area is the name before
  "Council") must both be in the publisher. "X reporting Y" (or reposting) allows X or Y, and a
  note in brackets that is a body's own name allows that body; a proper name of no known kind
  (a news site, a company) allows that name.
- **doc type right**: the manifest's type (``a|b`` means either).
- **theme recall**: of the manifest's ``themes_core`` (mapped to taxonomy ids below), the
  share the document is tagged with (a theme of any of its sections).
- **items**: ``item_figures`` from ``bench/realdev_items.py`` when that file exists.
"""
from __future__ import annotations

import functools
import inspect
import os
import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also in the tagging worker, which spawn starts
import _realdev  # noqa: E402
from _common import ROOT, load, revision, use_project_root  # noqa: E402

use_project_root()

from tests.quality import SET_DIR, build_files, metadata_checks, run_document  # noqa: E402
from tests.quality import score as house_score  # noqa: E402

# the manifest's theme words, as taxonomy ids (any one of several counts)
THEMES = {
    "audit": ["audit-quality-assurance"],
    "training": ["training"],
    "looked-after children": ["looked-after-children"],
    "education/exclusion": ["education-exclusion", "not-in-school"],
    "mental health": ["mental-health", "child-mental-health"],
    "early help": ["early-help"],
    "workforce": ["workforce"],
    "neglect": ["neglect"],
    "parental mental health": ["parental-mental-health"],
    "housing": ["poverty-housing"],
    "voice of the child": ["voice-of-the-child"],
    "child sexual abuse": ["child-sexual-abuse"],
    "sexual exploitation": ["child-sexual-exploitation"],
    "parental substance misuse": ["substance-misuse"],
    "domestic abuse": ["domestic-abuse"],
    "missing children": ["missing-children"],
    "child death": ["child-death"],
    "online safety": ["online-harm"],
    "fathers/male carers": ["fathers-male-carers"],
    "pre-birth/unborn babies": ["pre-birth"],
    "information sharing": ["information-sharing"],
    "escalation": ["escalation"],
    "professional curiosity": ["professional-curiosity"],
    "transitions": ["transitions"],
    "criminal exploitation/county lines": ["criminal-exploitation"],
}

# body types as the manifest and a publisher name them
BODIES = {
    "board": r"\blscb\b|\bscb\b|safeguarding children'?s? board|children'?s? safeguarding board",
    "partnership": r"\b[a-z]?scp\b|\bcscp\b|safeguarding children'?s? partnership|children'?s? safeguarding partnership"
                   r"|safeguarding partnership",
    "nspcc": r"\bnspcc\b|national society for the prevention of cruelty",
    "ofsted": r"\bofsted\b",
    "panel": r"practice review panel",
    "council": r"\bcouncil\b|\blondon borough of\b",
    "committee": r"child protection committee",
    "icb": r"integrated care board|\bicb\b",
    "trust": r"\bnhs\b.*\btrust\b|health and social care trust|\bhealth board\b"
             r"|\b(?:hospitals?|healthcare|health|ambulance services?|partnership) (?:university )?(?:foundation )?trust\b",
    "sbni": r"\bsbni\b|safeguarding board for northern ireland",
    "ccg": r"clinical commissioning group|\bccg\b",
    "public-protection": r"public protection committee",
    "care-inspectorate": r"\bcare inspectorate\b",
    "research-in-practice": r"\bresearch in practice\b",
    "scottish-government": r"\bscottish government\b",
    "welsh-government": r"\bwelsh government\b",
    "ailc": r"association of independent (?:lscb )?chairs|\bailc\b",
    "tasp": r"association of safeguarding partners|\btasp\b",
    "regional-board": r"(?<!children )(?<!children's )\bsafeguarding boards?\b",
    # a health body named by its area alone: a Scottish health board, an English ICB ("NHS Lothian")
    "nhs-body": r"^(?:the )?nhs (?!england\b)[a-z]",
}
_BODY_WORDS = re.compile(r"\b(?:local|safeguarding|children'?s?|boards?|regional|partnership|lscb|scp|sscp|cscp|london borough of)\b")
# bodies with no area: the manifest names them alone, or as the body a page is "reporting"
NATIONAL = frozenset({"nspcc", "ofsted", "panel", "sbni", "care-inspectorate", "research-in-practice",
                      "scottish-government", "welsh-government", "ailc", "tasp"})
# a council's area is the name before "Council" ("City of York Council Children's Scrutiny"), or after "Borough of"
_COUNCIL_AREA = re.compile(r"^(?:.*\bborough of\s+(?P<of>[a-z'\- ]+?)(?:\s+council\b.*)?$|(?:the\s+)?(?P<before>.+?)"
                           r"(?:\s+(?:city|county|borough|district|metropolitan borough|county borough))?\s+council\b.*$)")


@functools.cache
def _national_bodies() -> tuple[tuple[str, re.Pattern], ...]:
    """Every national body of the gazetteer (``[[publisher.national]]``), as a kind the manifest may
    name ("Care Quality Commission (CQC)"): the judge then knows every body the tool can answer with."""
    try:
        from ingest.metadata import publishers
    except ImportError:
        return ()
    return tuple((f"national:{name}", re.compile(rx.pattern, re.I)) for name, rx, _ in publishers().national)


def _body_of(raw: str, low: str) -> str | None:
    """The kind of body a name is: one of ``BODIES`` (read on the normalised name), else a national
    body of the gazetteer (read on the name as written)."""
    return next((b for b, rx in BODIES.items() if re.search(rx, low)), None) or \
        next((b for b, rx in _national_bodies() if rx.search(raw)), None)


def _is_body(body: str, got: str) -> bool:
    """Whether the publisher ``got`` is a body of this kind."""
    if body.startswith("national:"):
        return any(rx.search(got) for b, rx in _national_bodies() if b == body)
    return bool(re.search(BODIES[body], norm(got)))
EXPAND = {"lscb": "local safeguarding children board", "scp": "safeguarding children partnership",
          "sscp": "safeguarding children partnership", "cscp": "safeguarding children partnership",
          "scr": "serious case review", "cspr": "child safeguarding practice review"}
STOP = set("a an and the of for on in to by with from at or its is as page web council committee item minutes + & "
           "safeguarding children board partnership local".split())
GENERIC_TITLES = re.compile(
    r"^(?:(?:table of )?contents|background|introduction|foreword|summary|overview|home|news|agenda item|"
    r"agenda and minutes|agenda|minutes|decision details|issue - (?:decisions|meetings)|issue details|"
    r"untitled|about us|priorities)$")


def norm(text: str) -> str:
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ").lower()
    text = re.sub(r"\b(\d{4})\s*(?:/|-|–|—|\s+to\s+)\s*(?:20)?(\d{2})\b", r"\1-\2", text)
    return " ".join(re.sub(r"[^a-z0-9'\- ]+", " ", text).split())


def words(text: str) -> set[str]:
    out = set()
    for w in norm(text).split():
        w = w.strip("'-")
        out.update(EXPAND.get(w, w).split())
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in out if w and w not in STOP}


def title_right(title: str, page: _realdev.Page) -> bool:
    t = norm(title)
    if not t or GENERIC_TITLES.match(t) or title.strip().endswith("?"):
        return False
    if re.search(r"\bpdf icon\b|\bpdf \d+ ?kb\b|\bdocx? \d+ ?kb\b", t):
        return False  # a download link's furniture is not part of a title
    if t in (norm(page.path.stem.replace("-", " ")), norm(page.row.get("page_host", ""))):
        return False
    if re.fullmatch(r"[\d\s/:.\-]*(?:[a-z]+day)?[\d\s/:.\-]*(?:[a-z]+)?[\d\s/:.\-]*(?:am|pm)?", t):
        return False  # a date or time line
    return len(words(title) & words(page.row.get("what", ""))) >= 2


def _areas_alike(want: str, got: str) -> bool:
    from_gaz = _gazetteer_areas()
    want_n, got_n = norm(want), norm(got)
    # "Westbury Borough Safeguarding Children Partnership" is Westbury's: "Borough" is its council's kind
    for w in {want_n, re.sub(r"\s+borough$", "", want_n)}:
        if w and re.search(rf"\b{re.escape(w)}\b", got_n):
            return True
    for names in from_gaz:  # a short form and its area are the same area
        if want_n in names and any(re.search(rf"\b{re.escape(n)}\b", got_n) for n in names):
            return True
    return False


def _gazetteer_areas() -> list[set[str]]:
    try:
        from ingest.places import area_names
    except ImportError:
        return []
    return [{norm(n) for n in names} for names in area_names()]


# "X reporting Y", "X (reporting Y)", "X reposting Y": the page is X's, about Y's work
_REPORTING = re.compile(r"\(?\s*\b(?:reporting|reposting)\b")
# words a name of no known kind may carry or leave off ("Harbour Training Ltd", "Radio Fen news")
_NAME_EXTRA = frozenset("the ltd limited plc news blog website online".split())


def _name_words(text: str) -> list[str]:
    return [w for w in norm(text).split() if w not in _NAME_EXTRA]


def _balanced(text: str) -> str:
    """A part of a split name without the bracket the split left open or unopened."""
    text = text.strip().rstrip("(").strip()
    return text.rstrip(")").strip() if text.count(")") > text.count("(") else text


def _alternatives(text: str) -> list[str]:
    """The manifest's publisher as the names it allows: each of "A / B"; in "X reporting Y" both X
    and Y; and a note in brackets that is itself a body's name, written as one ("Westshire Public
    Protection Committee (Westshire Child Protection Committee)"), not a remark ("(interview with …)")."""
    alts = [_balanced(a) for part in _REPORTING.split(text, maxsplit=1) for a in part.split(" / ")]
    notes = [n.strip() for a in alts for n in re.findall(r"\(([^)]*)\)", a)]
    alts += [n for n in notes if n[:1].isupper() and _body_of(n, norm(n)) and not re.search(r"\bnational\b", n)]
    return [a for a in alts if a]


def expected_publisher(text: str) -> list[tuple[str, list[str]]]:
    """Alternatives (body type, areas) the manifest's publisher allows; no areas = national. A
    proper name of no known kind ("Westshire Gazette", "Harbour Training Ltd") is the alternative ``("name", [its
    words])``: the publisher must be that name."""
    text = text.replace("\u2019", "'")
    out = []
    for alt in _alternatives(text):
        notes = re.findall(r"\(([^)]*)\)", alt)
        bare = re.sub(r"\([^)]*\)", " ", alt)
        low = norm(bare)
        body = _body_of(bare, low)
        if body is None:
            if bare.strip()[:1].isupper() and _name_words(bare):
                out.append(("name", [" ".join(_name_words(bare))]))
            continue
        areas = []
        national = any("national" in n for n in notes) or body in NATIONAL or body.startswith("national:")
        area = " ".join(_BODY_WORDS.sub(" ", low).split())
        if body == "council":
            m = _COUNCIL_AREA.match(low)
            area = ((m.group("of") or m.group("before")) if m else re.sub(r"\bcouncil\b", "", area)).strip()
        if area and not national:
            areas.append(area)
        for n in notes:  # "(BANES)", "(LBHF, RBKC, WCC)": short forms of the area
            if not national and re.fullmatch(r"[A-Z&, ]+", n.strip()):
                areas += [a.strip() for a in n.split(",") if a.strip()]
        out.append((body, areas))
    return out


def _named_right(got: str, name: str) -> bool:
    """A publisher is a body of no known kind when it is its name, the words run together or not
    ("LanternNI"), with or without "The", "Ltd" or "news"."""
    g = _name_words(got)
    return bool(g) and not _body_of(got, norm(got)) and "".join(g) == name.replace(" ", "")


def publisher_right(got: str | None, want: str) -> bool:
    g = norm(got or "")
    for body, areas in expected_publisher(want):
        if body == "name":
            if g and _named_right(got or "", areas[0]):
                return True
            continue
        if not g or not _is_body(body, got or ""):
            continue
        if not areas or any(_areas_alike(a, got or "") for a in areas):
            return True
    return False


def first_year(text: str) -> str | None:
    m = re.match(r"\s*(\d{4}-\d{2})", text or "")
    return m.group(1) if m else None


def theme_ids(cell: str) -> list[list[str]]:
    return [THEMES[w.strip()] for w in (cell or "").split(";") if w.strip() in THEMES]


def read_pages() -> list[tuple[_realdev.Page, object]]:
    """Each page read as fetched from its address (``sgsearch ingest URL`` records it)."""
    return [(p, run_document(p.path, {}, source_url=p.row.get("url") or None)) for p in _realdev.pages()]


def file_alone(page: _realdev.Page, r):
    """The same page read from the file alone: a saved page's own comment is all it has of its address."""
    from ingest.document import parse_file

    return replace(r, got=parse_file(page.path).doc)


def theme_recall(verdicts: list[dict]) -> tuple[int, int]:
    """Of the pages' core themes (``themes_core``), how many the documents are tagged with, and
    how many there are, over the verdicts of :func:`judge`."""
    return sum(v["themes"][0] for v in verdicts), sum(v["themes"][1] for v in verdicts)


def judge(page: _realdev.Page, r) -> dict:
    """One page's verdicts: None where the manifest gives nothing to judge by."""
    row, got = page.row, r.got
    want_type = row.get("expected_doc_type") or row.get("doc_type") or ""
    want_year = first_year(row.get("year", ""))
    want_pub = row.get("publisher") or row.get("area_publisher") or ""
    themes = theme_ids(row.get("themes_core", "")) if page.set == "real" else []
    return {
        "title": title_right(got.get("title") or "", page) if page.set == "real" else None,
        "year": (got.get("year") == want_year) if want_year else None,
        "publisher": publisher_right(got.get("publisher"), want_pub) if want_pub else None,
        "doc_type": (got.get("doc_type") in want_type.split("|")) if want_type else None,
        "themes": (sum(bool(set(t) & r.themes) for t in themes), len(themes)),
        "missing_themes": [t[0] for t in themes if not set(t) & r.themes],
    }


def _items(results) -> dict | str:
    """Item figures from ``bench/realdev_items.py`` (``real2``'s pages, whose items are
    annotated), or "n/a" when that script is not there."""
    here = Path(__file__).resolve().parent
    if not (here / "realdev_items.py").exists():
        return "n/a"
    sys.path.insert(0, str(here))  # run from the project root, bench/ is not on the path
    try:
        from realdev_items import item_figures
    finally:
        use_project_root()

    real2 = [(p, r) for p, r in results if p.set == "real2"]
    offered = {"extracted_by_file": {p.file: r.items for p, r in real2}, "gold": _realdev.items(),
               "texts": {p.file: p.path.read_text(encoding="utf-8") for p, _ in real2}}
    params = inspect.signature(item_figures).parameters
    figures = item_figures(**{k: v for k, v in offered.items() if k in params})
    return {k: v for k, v in figures.items() if isinstance(v, (int, float))}


FIGURES = ("title", "year", "publisher", "doc_type")
NAMES = {"title": "title right", "year": "stated year right", "publisher": "publisher names its body and area",
         "doc_type": "doc type right"}


def print_realdev(per_page: bool) -> None:
    results = read_pages()
    verdicts = [(p, r, judge(p, r)) for p, r in results]
    alone = [judge(p, file_alone(p, r)) for p, r in results]
    print(f"realdev: {len(results)} pages ({sum(p.set == 'real' for p, _ in results)} real, "
          f"{sum(p.set == 'real2' for p, _ in results)} real2); as fetched from its address [file alone]")
    for f in FIGURES:
        judged = [v[f] for _, _, v in verdicts if v[f] is not None]
        judged_alone = [v[f] for v in alone if v[f] is not None]
        print(f"  {NAMES[f]:<36} {sum(judged):>3} of {len(judged):<3} {sum(judged) / max(len(judged), 1):.2f}"
              f"   [{sum(judged_alone)} of {len(judged_alone)} {sum(judged_alone) / max(len(judged_alone), 1):.2f}]")
    hit, total = theme_recall([v for _, _, v in verdicts])
    print(f"  {'theme recall (themes_core)':<36} {hit:>3} of {total:<3} {hit / max(total, 1):.2f}")
    figures = _items(results)
    if isinstance(figures, dict):
        print("  items: " + "  ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()))
    else:
        print(f"  items: {figures}")
    if per_page:
        for p, r, v in verdicts:
            marks = " ".join(f"{f}={'-' if v[f] is None else ('ok' if v[f] else 'WRONG')}" for f in FIGURES)
            print(f"\n{p.set}/{p.file}: {marks} themes {v['themes'][0]}/{v['themes'][1]}")
            print(f"    title:     {r.got.get('title')!r}")
            print(f"    year:      {r.got.get('year')!r} (period {r.got.get('period_start')} to "
                  f"{r.got.get('period_end')}; manifest {p.row.get('year')!r})")
            print(f"    publisher: {r.got.get('publisher')!r} (manifest "
                  f"{p.row.get('publisher') or p.row.get('area_publisher')!r})")
            print(f"    doc type:  {r.got.get('doc_type')!r} (manifest "
                  f"{p.row.get('expected_doc_type') or p.row.get('doc_type')!r})")
            if v["missing_themes"]:
                print(f"    themes missing: {', '.join(v['missing_themes'])}")


def print_house(directory: Path, per_page: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = [run_document(path, exp) for path, exp in build_files(Path(tmp), directory)]
    s = house_score(results)
    print(f"house styles ({directory.name}): {s['documents']} documents")
    for f in FIGURES:
        right = round(s["metadata"][f] * s["documents"])
        print(f"  {NAMES[f]:<36} {right:>3} of {s['documents']:<3} {s['metadata'][f]:.2f}")
    th, it = s["themes"], s["items"]
    print(f"  {'theme recall':<36} {th['recall']:.2f} (precision {th['precision']:.2f})")
    print(f"  items: recall {it['recall']:.2f}  precision {it['precision']:.2f}")
    if per_page:
        for r in results:
            wrong = [k for k, ok in metadata_checks(r).items() if not ok]
            if wrong:
                print(f"    {r.name}: wrong {', '.join(wrong)}: "
                      + "; ".join(f"{k} {r.got.get(k)!r} (want {r.expected.get(k)!r})" for k in wrong))


def main(argv: list[str]) -> int:
    os.environ.pop("SGSEARCH_METADATA", None)  # as a user reads: the bundled rules only
    per_page = "--per-page" in argv
    own = [SET_DIR, SET_DIR / "holdout", SET_DIR / "field", SET_DIR / "kinds", SET_DIR / "shapes", SET_DIR / "styles",
           SET_DIR / "reported", SET_DIR / "about",
           SET_DIR / "listed", SET_DIR / "bodies", SET_DIR / "gathered"]
    sets = [Path(argv[argv.index("--set") + 1])] if "--set" in argv[:-1] else own
    readers = sorted(f"ingest/metadata/{p.name}" for p in (ROOT / "ingest" / "metadata").glob("*.py"))
    print(revision((*readers, "ingest/metadata.toml", "ingest/items.py")))
    print_realdev(per_page)
    for directory in sets:
        print()
        print_house(directory, per_page)
    print(f"(load {load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
