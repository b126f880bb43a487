"""A practitioner's morning with a mixed index (dated and undated reports): the wrong
messages and orders it showed, each pinned by a test."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from cli import main
from ingest.pipeline import ingest
from search.filters import MAX_DOCS_NAMED, explain_empty
from search.index.store import Store
from search.query import search
from tests.engines import AVAILABLE

FIRST, LAST = 2012, 2023  # the years of the dated reports written below


def _write(src):
    """Twelve dated annual reports and two undated papers, each with a section on neglect."""
    for i, y in enumerate(range(FIRST, LAST + 1)):
        (src / f"board{i:02d}.txt").write_text(
            f"Annual Report {y}/{(y + 1) % 100:02d}\n\n1 Neglect\n\nNeglect was a concern for the board in the year.\n")
    for name in ("audit", "leaflet"):
        (src / f"{name}.txt").write_text(f"Section 11 {name.title()}\n\n1 Neglect\n\nNeglect featured in the {name}.\n")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The reports :func:`_write` writes, in an index."""
    root = tmp_path_factory.mktemp("mixed")
    src = root / "in"
    src.mkdir()
    _write(src)
    ix = root / "ix"
    report = ingest([src], ix)
    assert report.failed == [] and len(report.added) == 14
    store = Store(ix)
    yield ix, store
    store.close()


def test_the_years_indexed_span_dated_years_only(mixed):
    _ix, store = mixed
    said = explain_empty(store, "neglect", from_year="2040")
    span = f"{FIRST}-{(FIRST + 1) % 100:02d} to {LAST}-{(LAST + 1) % 100:02d}"
    assert f"years indexed: {span}:" in said and "to undated" not in said


def test_filters_empty_together_name_a_few_documents_not_all(mixed):
    _ix, store = mixed
    said = explain_empty(store, "neglect", year="2015", doc_type="other")
    assert "together" in said
    named = [d for d in [f"board{i:02d}" for i in range(12)] + ["audit", "leaflet"] if f"{d} (" in said]
    assert len(named) == MAX_DOCS_NAMED and f"and {14 - MAX_DOCS_NAMED} more" in said


@pytest.mark.parametrize("engine", AVAILABLE)
def test_sort_year_puts_undated_sections_after_every_dated_one(tmp_path, engine):
    src = tmp_path / "in"
    src.mkdir()
    _write(src)
    ingest([src], tmp_path / "ix", engine=engine)
    store = Store(tmp_path / "ix")
    try:
        for limit in (3, 13, 14):
            years = [h.section.get("year") for h in search(store, "neglect", sort="year", limit=limit).hits]
            dated = [y for y in years if y]
            assert years[:len(dated)] == dated == sorted(dated, reverse=True) and len(years) == limit
            assert len(dated) == min(limit, LAST - FIRST + 1)
        listed = [h.section.get("year") for h in search(store, "", theme="neglect", limit=3).hits]
        assert all(listed) and listed == sorted(listed, reverse=True)  # no words: newest first too
    finally:
        store.close()
    out = CliRunner().invoke(main, ["neglect", "--sort", "year", "-n", "1", "--index", str(tmp_path / "ix")]).output
    assert f"1. Annual Report {LAST}/{(LAST + 1) % 100:02d}" in out


@pytest.fixture(scope="module")
def many_years(tmp_path_factory):
    """Eighteen annual reports, 2006-07 to 2023-24, each with a section on neglect."""
    root = tmp_path_factory.mktemp("many-years")
    src = root / "in"
    src.mkdir()
    for y in range(2006, 2024):
        (src / f"r{y}.txt").write_text(f"Annual Report {y}/{(y + 1) % 100:02d}\n\n1 Neglect\n\nNeglect was a concern.\n")
    ingest([src], root / "ix")
    return root / "ix"


def test_a_docx_briefing_over_many_years_is_written(many_years, tmp_path):
    """More year columns than a landscape page holds at full width once made a negative
    column width and no briefing."""
    from docx import Document

    from search.export import export

    store = Store(many_years)
    try:
        path = export(store, tmp_path / "b.docx", query="neglect")
    finally:
        store.close()
    table = Document(str(path)).tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[0] == "Theme" and header[1] == "06-07" and header[-1] == "Total" and len(header) == 20
    assert all(col.width and col.width > 0 for col in table.columns)


def test_the_web_page_lists_every_year_it_counts(many_years):
    """The year counts run oldest first: a list cut at twelve dropped the newest years."""
    import warnings

    from web import create_app
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
        from starlette.testclient import TestClient

    with TestClient(create_app(many_years), base_url="http://127.0.0.1:8765") as client:
        for url in ("/", "/facets"):
            html = client.get(url, params={"q": "neglect"}).text
            listed = re.findall(r'data-facet="year"><span>([^<]+)</span>', html)
            assert listed == [f"{y}-{(y + 1) % 100:02d}" for y in range(2006, 2024)], url


def test_two_fragments_of_a_snippet_never_repeat_the_same_words():
    """A second fragment that reaches back to its sentence's start may begin before the
    first one ends: the snippet is then one run of text, both matches marked."""
    from search.index.analysis import text_analyzer
    from search.snippets import highlight, plain, spans

    sentences = ["The partnership met every quarter and agreed its plan with the schools.",
                 "The review of sharing was discussed by the board.",
                 "Partners agreed that the board and the group of partners across the area that met every quarter "
                 "in and the review says sharing improved later in the year once the new system was in place for "
                 "every agency that works with families."]
    text = " ".join([*sentences, sentences[0]])
    snippet = highlight(text, [t.text for t in text_analyzer()("sharing", mode="query")])[0]
    got = plain(snippet)
    parts = got.split(" … ")
    assert not any(left[-25:] in right for left, right in zip(parts, parts[1:])), got
    assert text.find(got) >= 0 and got.startswith(sentences[1])
    assert [got[a:b] for a, b in spans(snippet)] == ["sharing", "sharing"]


def test_the_themes_table_has_the_undated_column_the_web_page_has(mixed, tmp_path):
    """`sgsearch themes` (text, CSV, XLSX) counted undated sections in "all" but gave them no
    column, while the web page's table has one: a row's cells now add up to its "all"."""
    from openpyxl import load_workbook

    from search.table import full_table, to_rows

    ix, store = mixed
    table = full_table(store)
    assert table["years"][-1] == "undated" and table["years"][0] == f"{FIRST}-{(FIRST + 1) % 100:02d}"
    for t in table["themes"]:
        assert sum(v or 0 for v in t["counts"].values()) == t["all"], t["id"]
    assert full_table(store, per="doc")["documents_per_year"]["undated"] == 2
    assert "undated" not in full_table(store, FIRST)["years"]  # a year range leaves the undated out
    text = CliRunner().invoke(main, ["themes", "--index", str(ix)]).output
    header = next(line for line in text.splitlines() if line.rstrip().endswith("all"))
    assert header.split()[-2:] == ["undated", "all"] and f"{FIRST}-{(FIRST + 1) % 100:02d} to {LAST}" in text
    assert "undated 4" in text  # its sections, beside each year's
    csv_head = CliRunner().invoke(main, ["themes", "--format", "csv", "--index", str(ix)]).output.splitlines()[0]
    assert csv_head.split(",")[-2:] == ["undated", "Total"]
    CliRunner().invoke(main, ["themes", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx"), "--index", str(ix)])
    first_row = [c.value for c in next(load_workbook(tmp_path / "t.xlsx").active.iter_rows())]
    assert first_row[-2:] == ["undated", "Total"] and to_rows(table)[0] == first_row


def test_themes_writes_the_format_its_file_name_says(mixed, tmp_path):
    """`themes -o t.xlsx` (or .csv, .json) wrote the text table into the file, whatever its name."""
    import json

    from openpyxl import load_workbook

    ix, _store = mixed
    for name in ("t.xlsx", "t.csv", "t.json", "t.txt"):
        r = CliRunner().invoke(main, ["themes", "-o", str(tmp_path / name), "--index", str(ix)])
        assert r.exit_code == 0 and f"Table written to {tmp_path / name}" in r.output
    assert next(load_workbook(tmp_path / "t.xlsx").active.iter_rows())[0].value == "Theme"
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").startswith("Theme,")
    assert json.loads((tmp_path / "t.json").read_text())["themes"]
    assert (tmp_path / "t.txt").read_text().startswith("Sections tagged with each theme")
    forced = CliRunner().invoke(main, ["themes", "--format", "text", "-o", str(tmp_path / "u.csv"), "--index", str(ix)])
    assert forced.exit_code == 0 and (tmp_path / "u.csv").read_text().startswith("Sections tagged")  # as asked


def test_the_briefing_table_counts_the_undated_sections_in_a_column(mixed, tmp_path):
    """The briefing's Total counted the undated sections that no column showed: the query
    row's year cells added up to less than its Total."""
    from docx import Document

    from search.export import build_briefing, export

    _ix, store = mixed
    table = build_briefing(store, query="neglect")["table"]
    assert table["years"][-1] == "undated"
    for row in [table["query_row"], *table["rows"]]:
        assert sum(v or 0 for v in row["counts"].values()) == row["total"], row["label"]
    assert table["query_row"]["counts"]["undated"] == 2
    header = [c.text for c in Document(str(export(store, tmp_path / "b.docx", query="neglect"))).tables[0].rows[0].cells]
    assert header[-2:] == ["undated", "Total"]
    text = export(store, tmp_path / "b.md", query="neglect").read_text()
    assert f"{FIRST}-{(FIRST + 1) % 100:02d} to {LAST}-{(LAST + 1) % 100:02d}." in text  # the span is of years


def test_the_documents_list_lines_up_its_columns(mixed):
    """`sgsearch docs` put the year and type right after each id, so they wandered with its length."""
    ix, _store = mixed
    lines = CliRunner().invoke(main, ["docs", "--index", str(ix)]).output.splitlines()
    years = {max(line.find(" 20"), line.find(" undated")) for line in lines}
    titles = {line.find("Annual Report") if "Annual Report" in line else line.find("Section 11") for line in lines}
    assert len(lines) == 14 and len(years) == 1 and len(titles) == 1, lines


def test_a_publisher_that_leaves_nothing_names_the_nearest_publishers_not_every_one(tmp_path):
    from ingest.pipeline import ingest
    from search.filters import MAX_DOCS_NAMED, explain_empty
    from search.index.store import Store

    areas = ["Rutland", "Devon", "Cornwall", "Somerset", "Dorset", "Wiltshire", "Norfolk", "Suffolk", "Essex",
             "Kent", "Surrey", "Cumbria", "Lancashire"]
    for n, area in enumerate(areas):
        (tmp_path / f"{n}.txt").write_text(f"{area} Safeguarding Children Partnership Annual Report 2021-22\n\n"
                                           f"The {area} Safeguarding Children Partnership trained staff on neglect.\n",
                                           encoding="utf-8")
    ingest(sorted(tmp_path.glob("*.txt")), tmp_path / "ix")
    store = Store(tmp_path / "ix")
    assert len({d["publisher"] for d in store.records("doc")}) > MAX_DOCS_NAMED
    said = explain_empty(store, "neglect", publisher="Rutlnd Safeguarding Children Board")
    store.close()
    assert said and "Rutland Safeguarding Children Partnership" in said.split("publishers indexed:")[1].split(";")[0]
    assert f"and {len(areas) - MAX_DOCS_NAMED} more ('sgsearch docs' lists them)" in said
