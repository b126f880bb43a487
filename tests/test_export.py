"""The briefing export: Markdown, Word, CSV and JSON a subgroup can paste into a board paper."""
from __future__ import annotations

import copy
import csv
import json
import re

import pytest
from docx import Document

from ingest.pipeline import ingest
from search.export import (
    build_briefing,
    citation,
    clean,
    excerpt,
    export,
    export_briefing,
)
from search.index.store import Store
from search.query import QueryError
from search.report.briefing import csv_cell, md_escape

PRE_BIRTH_YEARS = {"2016-17", "2020-21", "2021-22", "2024-25"}
HOSTILE = "**bold** <script>alert(1)</script> | pipe `code` \x1b[31mred\x1b[0m"


@pytest.fixture(scope="module")
def briefing(store):
    return build_briefing(store, "pre-birth")


def _passages(b):
    return [p for g in b["passages"] for p in g["passages"]]


# -- building -------------------------------------------------------------------------------

def test_briefing_has_scope_table_passages_and_recurring(briefing):
    assert set(briefing) >= {"scope", "table", "passages", "recurring"}
    scope = briefing["scope"]
    assert scope["query"] == "pre-birth"
    assert scope["index_documents"] == 5
    assert scope["years"] == ["2016-17", "2024-25"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", scope["generated"])
    assert "pre-birth" in scope["description"]
    table = briefing["table"]
    assert "2016-17" in table["years"] and "2024-25" in table["years"]
    assert table["rows"][0]["id"] == "pre-birth"  # the query's theme leads the table
    assert len(table["rows"]) <= 15
    assert table["query_row"]["total"] == scope["sections"] > 0


def test_passages_grouped_by_year_oldest_first(briefing):
    years = [g["year"] for g in briefing["passages"]]
    assert years == sorted(years)
    assert set(years) == PRE_BIRTH_YEARS
    for g in briefing["passages"]:
        assert 0 < len(g["passages"]) <= 10
        assert g["sections"] >= len(g["passages"])
        for p in g["passages"]:
            assert p["year"] == g["year"]


def test_passages_are_quotable_with_citations(briefing):
    passages = _passages(briefing)
    assert len(passages) >= 5
    for p in passages:
        assert p["year"] in p["citation"] and p["title"] in p["citation"]
        assert p["quote"] and len(p["quote"]) <= 620
        if p["number"]:
            assert f"§{p['number']} " in p["citation"]
        else:
            assert "§" not in p["citation"]
    # a literal mention is quoted around the match, as whole sentences
    mentions = [p for p in passages if re.search(r"pre[\s-]?birth", p["quote"], re.I)]
    assert len(mentions) >= len(passages) // 2
    for p in mentions:
        body = p["quote"].removeprefix("… ").removesuffix(" …")
        assert body[:1].isupper() or body[:1] in "•\u2018'\"(0123456789", p["quote"]


def test_embedded_report_is_cited_by_its_own_title(briefing):
    old = [p for p in _passages(briefing) if p["year"] == "2016-17"]
    assert old and all(p["citation"].startswith("Somerset Safeguarding Children Board Annual Report 2016/17 "
                                                "(2016-17), in Health and Wellbeing Board agenda pack")
                       for p in old)


def test_citation_format():
    assert citation("SSCP Twelve Monthly Report 2020-21", "2020-21", "2.1", "Heading", 4) == \
        "SSCP Twelve Monthly Report 2020-21 (2020-21), §2.1 Heading, p. 4"
    assert citation("Report", "2020-21", None, "Introduction", None) == "Report (2020-21), Introduction"


def test_a_heading_that_only_repeats_the_title_is_not_cited_twice():
    assert citation("Safe Sleep Briefing", None, None, "Safe sleep briefing", None) == "Safe Sleep Briefing"
    assert citation("Safe Sleep Briefing", "2021-22", None, "Safe Sleep Briefing", 2) == \
        "Safe Sleep Briefing (2021-22), p. 2"
    assert citation("Pack", "2016-17", None, "Annual Report", None, part_title="Annual Report") == \
        "Annual Report (2016-17), in Pack"
    # a numbered section keeps its heading: the number alone would not say what it is
    assert citation("Safe Sleep Briefing", None, "1", "Safe Sleep Briefing", None) == \
        "Safe Sleep Briefing, §1 Safe Sleep Briefing"


def test_excerpt_is_sentence_bounded():
    text = ("First sentence about training. The audit found that pre-birth guidance was limited. "
            "A third sentence follows here. " + "Filler sentence number x. " * 40)
    q = excerpt(text, ["pre-birth"])
    assert q.startswith("… The audit found") or q.startswith("First sentence")
    assert "pre-birth guidance was limited." in q
    assert q.endswith(" …") and len(q) <= 620
    assert excerpt(text, ["nowhere"]) == ""


def test_themes_without_query_and_year_range(store):
    b = build_briefing(store, themes=["neglect", "Fathers and male carers"], from_year="2019", to_year="2024/25")
    assert [t["id"] for t in b["scope"]["themes"]] == ["neglect", "fathers-male-carers"]
    assert [r["id"] for r in b["table"]["rows"]] == ["neglect", "fathers-male-carers"]
    assert b["table"]["years"][0] == "2019-20"
    assert all(g["year"] >= "2019-20" for g in b["passages"])
    assert all(set(p["themes"]) & {"neglect", "fathers-male-carers"} for p in _passages(b))


def test_recurring_items_are_relevant(store, briefing):
    # the one pre-birth group: 2016-17's pre-birth guidance said again in 2020-21 (every member is about it)
    assert [c["years"] for c in briefing["recurring"]] == [["2016-17", "2020-21"]]
    assert all(re.search(r"pre-?birth|unborn", it["text"], re.I) for it in briefing["recurring"][0]["items"])
    b = build_briefing(store, "fathers and male carers")
    assert b["recurring"]
    for c in b["recurring"]:
        assert len(c["years"]) >= 2
        assert any("fathers-male-carers" == t["id"] for t in c["themes"]) or any(
            re.search(r"father", it["text"], re.I) for it in c["items"])
        assert all(it["citation"] and it["year"] in it["citation"] for it in c["items"])
    # an excluded word (-toolkit) leaves out the cluster about the neglect toolkit
    with_toolkit = build_briefing(store, "neglect")["recurring"]
    without = build_briefing(store, "neglect -toolkit")["recurring"]
    assert any("toolkit" in it["text"].lower() for c in with_toolkit for it in c["items"])
    assert without and not any("toolkit" in it["text"].lower() for c in without for it in c["items"])


def test_bad_arguments_say_what_to_do(store):
    with pytest.raises(ValueError, match="give a query"):
        build_briefing(store)
    with pytest.raises(QueryError, match="unknown theme"):
        build_briefing(store, themes=["no-such-theme"])
    with pytest.raises(QueryError, match="not a year"):
        build_briefing(store, "neglect", from_year="soon")
    with pytest.raises(ValueError, match="md, docx, csv or json"):
        export_briefing({"scope": {}}, "x.pdf", "pdf")


# -- formats --------------------------------------------------------------------------------

def test_docx_has_headings_a_real_table_and_cited_quotes(store, briefing, tmp_path):
    out = export_briefing(briefing, tmp_path / "b.docx", "docx")
    doc = Document(str(out))
    styles = [p.style.name for p in doc.paragraphs]
    assert "Heading 1" in styles and "Heading 2" in styles
    assert doc.tables
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header[0] == "Theme" and "2016-17" in header and header[-1] == "Total"
    assert len(doc.tables[0].rows) >= 3
    paras = doc.paragraphs
    quotes = [i for i, p in enumerate(paras) if p.style.name == "Quote"]
    assert len(quotes) == len(_passages(briefing))
    for i, p in zip(quotes, _passages(briefing)):
        assert paras[i].text == p["quote"]
        cite = paras[i + 1]
        assert p["year"] in cite.text and p["title"] in cite.text
        assert all(r.italic for r in cite.runs)


def test_csv_one_row_per_passage(briefing, tmp_path):
    out = export_briefing(briefing, tmp_path / "b.csv", "csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 5 and len(rows) == len(_passages(briefing))
    assert list(rows[0]) == ["year", "title", "publisher", "section_id", "number", "heading", "page",
                             "citation", "quote"]
    for r in rows:
        assert r["citation"] and r["quote"]
        assert r["year"] in PRE_BIRTH_YEARS


def test_markdown_table_and_quotes(briefing, tmp_path):
    out = export_briefing(briefing, tmp_path / "b.md", "md")
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# Briefing")
    assert "| Theme | 2016-17 |" in md
    lines = md.splitlines()
    quotes = [i for i, line in enumerate(lines) if line.startswith("> ")]
    assert len(quotes) == len(_passages(briefing))
    for i in quotes:
        follow = next(line for line in lines[i + 1:] if line.strip())
        assert follow.startswith("\u2014 ") and re.search(r"\(20\d\d-\d\d\)", follow)
    assert "## Recurring items" in md


def test_json_round_trips(briefing, tmp_path):
    out = export_briefing(briefing, tmp_path / "b.json", "json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"scope", "table", "passages", "recurring"} <= set(data)
    assert data["passages"] == briefing["passages"]


def test_no_briefing_format_shows_the_index_folder(store, briefing, tmp_path):
    folder = str(store.root)
    assert folder not in json.dumps(briefing)
    for fmt in ("json", "md", "csv"):
        text = export_briefing(briefing, tmp_path / f"b.{fmt}", fmt).read_text(encoding="utf-8")
        assert folder not in text and folder.replace("\\", "\\\\") not in text, fmt


def test_export_picks_format_from_extension(store, tmp_path):
    for ext in ("md", "docx", "csv", "json"):
        path = export(store, tmp_path / f"pre-birth.{ext}", query="pre-birth")
        assert path.exists() and path.stat().st_size > 200
    with pytest.raises(ValueError, match="extension"):
        export(store, tmp_path / "briefing.txt", query="pre-birth")
    assert not (tmp_path / "briefing.txt").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_format_no_writer_has_is_a_library_error_naming_the_file(store, tmp_path):
    """A format that cannot be written is the library's one-line error (what the command line
    and the page say as it is), not any ValueError: a slip in the code stays a traceback in a test."""
    from search.errors import FormatError, SgsearchError
    from search.report.appendix import write_appendix
    from search.report.tracker import write_tracker

    for write, named in ((lambda: export(store, tmp_path / "briefing.txt", query="pre-birth"), "briefing.txt"),
                         (lambda: export(store, tmp_path / "briefing.md", fmt="pdf", query="pre-birth"), "'pdf'"),
                         (lambda: export_briefing({"scope": {}}, tmp_path / "x.pdf", "pdf"), "'pdf'"),
                         (lambda: write_tracker([], tmp_path / "tracker.txt"), "tracker.txt"),
                         (lambda: write_appendix([], {"items": 0}, tmp_path / "a.xlsx", threshold=52, min_score=37),
                          "a.xlsx")):
        with pytest.raises(FormatError) as e:
            write()
        assert isinstance(e.value, SgsearchError) and named in str(e.value) and "\n" not in str(e.value)
    assert not list(tmp_path.iterdir())


# -- hostile text ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    docs = root / "docs"
    docs.mkdir()
    (docs / "hostile.txt").write_text(
        "Neglect Review Briefing 2020/21\n\nReporting period: 1 April 2020 to 31 March 2021\n\n"
        f"1 Introduction\n\nThis briefing is about neglect. {HOSTILE} and more neglect.\x07\n\n"
        "2 Findings about *neglect* | <b>tags</b> \x1b]0;title\x07\n\nPractitioners should recognise neglect early.\n",
        encoding="utf-8",
    )
    report = ingest([docs], root / "ix", tag=False)
    assert report.failed == []
    s = Store(root / "ix")
    yield s
    s.close()


def _hostile_briefing(b):
    """The built briefing with the raw hostile text put back in every user-text field
    (ingest already cleans some of it; export must not rely on that)."""
    b = copy.deepcopy(b)
    for g in b["passages"]:
        for p in g["passages"]:
            for key in ("quote", "heading", "title", "citation"):
                p[key] = f"{p[key]} {HOSTILE}\x00\ufffe\ud800"
    b["title"] += " " + HOSTILE
    b["table"]["rows"] = [{"id": "x", "label": "Evil | label " + HOSTILE,
                           "counts": {y: 1 for y in b["table"]["years"]}, "total": 1}]
    return b


def test_hostile_text_is_exported_safely(hostile_store, tmp_path):
    built = build_briefing(hostile_store, "neglect")
    assert _passages(built) and "<script>" in json.dumps(built)  # the text reaches the briefing
    for b in (built, _hostile_briefing(built)):
        md = export_briefing(b, tmp_path / "h.md", "md").read_text(encoding="utf-8")
        csv_text = export_briefing(b, tmp_path / "h.csv", "csv").read_text(encoding="utf-8-sig")
        js = export_briefing(b, tmp_path / "h.json", "json").read_text(encoding="utf-8")
        docx_path = export_briefing(b, tmp_path / "h.docx", "docx")
        doc = Document(str(docx_path))  # opens: no XML-illegal character reached python-docx
        docx_text = "\n".join(p.text for p in doc.paragraphs) + "".join(
            c.text for t in doc.tables for r in t.rows for c in r.cells)
        for text in (md, csv_text, js, docx_text):
            assert "\x1b" not in text and "\x07" not in text and "\x00" not in text
        assert "<script>" not in md and "&lt;script&gt;" in md
        assert "<script>" in docx_text  # Word shows it as text; python-docx escapes the XML
        assert "\\*\\*bold\\*\\*" in md or "**bold**" not in md
        assert "\\`code\\`" in md
        # every table row has the same number of unescaped pipes as the header
        table = [line for line in md.splitlines() if line.startswith("| ")]
        if table:
            widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
            assert len(widths) == 1, table
        with open(tmp_path / "h.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows and all(r["citation"] and r["quote"] for r in rows)


def test_hostile_label_stays_in_its_table_cell(hostile_store, tmp_path):
    b = _hostile_briefing(build_briefing(hostile_store, "neglect"))
    md = export_briefing(b, tmp_path / "h.md", "md").read_text(encoding="utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| Evil"))
    assert row.startswith("| Evil \\| label")
    doc = Document(str(export_briefing(b, tmp_path / "h.docx", "docx")))
    labels = [r.cells[0].text for r in doc.tables[0].rows]
    assert labels[:2] == ["Theme", "Sections matching \u201cneglect\u201d"]
    assert labels[2].startswith("Evil | label **bold** <script>alert(1)</script> | pipe `code` red")


def test_cleaning_helpers():
    assert clean("a\x1b[31mred\x1b[0m\x1b]0;t\x07b\x00\x9b1m c\u202e") == "aredb c"
    assert md_escape("# <b>x</b> | `y` *z* _w_ [l](u) &amp;") == \
        "\\# &lt;b&gt;x&lt;/b&gt; \\| \\`y\\` \\*z\\* \\_w\\_ \\[l\\](u) &amp;amp;"
    assert md_escape("1. not a list") == "1\\. not a list"
    assert md_escape("- not a list") == "\\- not a list"
    assert md_escape("2.1 Heading") == "2.1 Heading"
    assert csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("Plain") == "Plain"


def test_export_command_writes_each_format(corpus_index, tmp_path):
    from click.testing import CliRunner

    from cli import main

    for ext in ("md", "docx", "csv", "json"):
        out = tmp_path / f"brief.{ext}"
        r = CliRunner().invoke(main, ["export", "pre-birth", "-o", str(out), "--index", str(corpus_index)])
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 500
    bad = CliRunner().invoke(main, ["export", "-o", str(tmp_path / "x.md"), "--index", str(corpus_index)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
