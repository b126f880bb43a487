"""What a practitioner found and was left with on an index of dated and undated reports: the
undated sections counted and reachable in every face, each pinned by a test."""
from __future__ import annotations

import json
import warnings

import pytest
from click.testing import CliRunner

from cli import main
from ingest.pipeline import ingest
from search.facets import search_with_facets
from search.index.store import Store
from search.query import QueryError, search
from tests.engines import AVAILABLE

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
    from starlette.testclient import TestClient

YEARS = (2015, 2016, 2017)
UNDATED_DOCS = ("audit", "leaflet")


def _write(src):
    """Three dated annual reports and two undated papers, each with a section on neglect."""
    for y in YEARS:
        (src / f"board{y}.txt").write_text(
            f"Annual Report {y}/{(y + 1) % 100:02d}\n\n1 Neglect\n\nNeglect was a concern for the board in the year.\n")
    for name in UNDATED_DOCS:
        (src / f"{name}.txt").write_text(f"Section 11 {name.title()}\n\n1 Neglect\n\nNeglect featured in the {name}.\n")


def _index(root, engine=None):
    src = root / "in"
    src.mkdir()
    _write(src)
    ix = root / "ix"
    report = ingest([src], ix, engine=engine) if engine else ingest([src], ix)
    assert report.failed == [] and len(report.added) == len(YEARS) + len(UNDATED_DOCS)
    return ix


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    return _index(tmp_path_factory.mktemp("mixed"))


@pytest.mark.parametrize("engine", AVAILABLE)
def test_the_year_facet_counts_the_undated_and_year_undated_finds_them(tmp_path, engine):
    store = Store(_index(tmp_path, engine))
    try:
        res, counted = search_with_facets(store, "neglect")
        years = counted["year"]
        assert years[-1] == {"value": "undated", "label": "undated", "count": len(UNDATED_DOCS)}
        assert [y["value"] for y in years[:-1]] == [f"{y}-{(y + 1) % 100:02d}" for y in YEARS]
        assert sum(y["count"] for y in years) == res.total  # the year facet adds up to the matches
        found = search(store, "neglect", year="undated")
        assert found.total == len(UNDATED_DOCS) and all(not h.section["year"] for h in found.hits)
        assert search(store, "", theme="neglect", year="Undated").total == len(UNDATED_DOCS)  # no words: filters only
        with pytest.raises(QueryError, match="no year"):
            search(store, "neglect", year="undated", from_year="2015")
    finally:
        store.close()


def test_the_cli_facets_and_year_option_reach_the_undated(mixed):
    runner = CliRunner()
    out = runner.invoke(main, ["search", "neglect", "--facets", "--index", str(mixed)])
    assert out.exit_code == 0, out.output
    assert "By year: 2015-16 1, 2016-17 1, 2017-18 1, undated 2" in out.output
    out = runner.invoke(main, ["search", "neglect", "--year", "undated", "--index", str(mixed)])
    assert out.exit_code == 0 and "2 sections in 2 documents" in out.output
    out = runner.invoke(main, ["search", "neglect", "--year", "undated", "--to", "2016", "--index", str(mixed)])
    assert out.exit_code == 2 and "leave out --from and --to" in out.output


def test_the_web_year_facet_links_to_the_undated_and_the_themes_cell_opens(mixed):
    from web import create_app

    with TestClient(create_app(mixed), base_url="http://127.0.0.1:8765") as c:
        page = c.get("/?q=neglect")
        assert page.status_code == 200 and 'href="/?q=neglect&amp;year=undated"' in page.text
        data = c.get("/?q=neglect&year=undated", headers={"Accept": "application/json"}).json()
        assert data["total"] == len(UNDATED_DOCS)
        assert {r["doc_id"] for r in data["results"]} == set(UNDATED_DOCS)
        assert data["facets"]["year"] == [{"value": "undated", "label": "undated", "count": 2}]
        themes = c.get("/themes")
        assert 'year=undated' in themes.text  # the undated column's cells open their sections
        cell = c.get("/themes?theme=neglect&year=undated")
        assert cell.status_code == 200 and "Neglect, undated: 2 sections" in cell.text
        assert "from=undated" not in cell.text  # its briefing is the theme's, not a range of years


def test_the_web_section_marks_the_passage_and_the_item_its_address_names(tmp_path):
    from search.browse import section
    from web import create_app

    src = tmp_path / "in"
    src.mkdir()
    said = "The panel heard that nobody had asked the school about the missed days."
    (src / "review.txt").write_text(
        "Serious Case Review 2019/20\n\n1 What happened\n\n"
        "The family moved twice in the year and the health visitor lost touch with them. "
        f"{said} Records were kept on two systems.\n\n"
        "2 Recommendations\n\n"
        "Recommendation 1: The partnership should audit how schools share attendance concerns with social care.\n",
        encoding="utf-8")
    report = ingest([src], tmp_path / "ix")
    assert report.failed == []
    store = Store(tmp_path / "ix")
    try:
        recs = [i for i in store.records("item")]
        sections = {s["section_id"]: s for s in store.records("section")}
        passages = [(sid, n) for sid, s in sections.items()
                    for n, p in enumerate((s.get("cells") or {}).get("passages") or [], start=1)
                    if "nobody had asked the school" in p["text"]]
        assert recs and passages  # the page's own points: an item and a passage said in passing
        item_id = recs[0]["id"]
        passage_id = f"{passages[0][0]}~{passages[0][1]}"
        passage = section(store, passage_id)["passage"]["text"]
        item_text = next(it["text"] for it in section(store, item_id)["items"] if it["marked"])
    finally:
        store.close()
    with TestClient(create_app(tmp_path / "ix"), base_url="http://127.0.0.1:8765") as c:
        page = c.get(f"/section/{passage_id}")
        assert page.status_code == 200
        assert "Said in passing" in page.text and f"<mark>{passage}</mark>" in page.text
        page = c.get(f"/section/{item_id}")
        assert page.status_code == 200
        assert 'class="marked"' in page.text and f"<mark>{item_text}</mark>" in page.text
        plain = c.get(f"/section/{passages[0][0]}")
        assert "<mark>" not in plain.text and "Said in passing" not in plain.text


CSE = "Child sexual exploitation (CSE)"  # the bundled taxonomy's label of child-sexual-exploitation


def test_the_command_line_names_themes_by_label_as_the_page_does(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rec = ("Recommendation 1: The partnership should make sure that every school knows how to refer a "
           "child at risk of child sexual exploitation to the exploitation hub.")
    for y in (2016, 2019):
        (src / f"report{y}.txt").write_text(
            f"Annual Report {y}/{(y + 1) % 100:02d}\n\n1 Child sexual exploitation\n\n"
            "Child sexual exploitation and grooming were a priority this year.\n\n"
            f"2 Recommendations\n\n{rec}\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([src], ix).failed == []
    runner = CliRunner()

    def run(*args):
        out = runner.invoke(main, [*args, "--index", str(ix)], env={"COLUMNS": "200"})
        assert out.exit_code == 0, out.output
        return out.output

    searched = run("search", "grooming")
    assert f"themes: {CSE}" in searched and "child-sexual-exploitation" not in searched
    shown = run("show", "report2016:2")
    assert f"Themes: {CSE}" in shown and "child-sexual-exploitation" not in shown
    traced = run("trace", "child-sexual-exploitation")
    assert traced.startswith(f"theme {CSE}:")
    assert f"tagged {CSE}" in run("search", "--theme", "child-sexual-exploitation")
    groups = run("recur")
    assert f"— {CSE}" in groups and "child-sexual-exploitation" not in groups


@pytest.mark.parametrize("width", [60, 80, 100])
def test_the_themes_table_of_eighteen_years_fits_its_width_and_keeps_every_cell(width):
    from search.table import to_text

    years = [f"{y}-{str(y + 1)[2:]}" for y in range(2008, 2026)] + ["undated"]
    labels = ["Neglect", "Child deaths and child death review", "Audit and quality assurance"]
    themes = [{"id": f"t{n}", "label": label, "total": 100 + n,
               "counts": {y: 10 + n * 20 + i for i, y in enumerate(years)}} for n, label in enumerate(labels)]
    table = {"years": years, "themes": themes, "sections": {y: 50 for y in years}}
    text = to_text(table, width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for n in range(len(labels)):  # every year's cell and the theme's total, each once
        cells = [c for line in lines for c in line.split() if c.isdigit()]
        assert all(cells.count(str(10 + n * 20 + i)) == 1 for i in range(len(years)))
        assert cells.count(str(100 + n)) == 1
    assert sum(line.split()[-1:] == ["all"] for line in lines) == 1  # the total column once, after the last year
    header = [w for line in lines if line.startswith("     ") for w in line.split()]  # the blocks' year lines
    assert [w for w in header if w != "all"] == [y[2:] if y != "undated" else y for y in years]


def test_a_publisher_is_named_without_the_abbreviation_its_report_defines_in_every_face(tmp_path):
    from search.browse import documents, section
    from search.export import export
    from search.facets import facets
    from web import create_app

    body = "Rutland Safeguarding Children Board"
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(f"{body} Annual Report 2016-17\n\nThe {body} (RSCB) met six times this year. "
                               "Training on neglect was given to staff across the county.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([src], ix).failed == []
    store = Store(ix)
    try:
        assert {d["publisher"] for d in store.records("doc")} == {f"{body} (RSCB)"}  # kept as read
        assert [d["publisher"] for d in documents(store)] == [body]
        hit = search(store, "training").hits[0]
        assert hit.publisher == body and hit.to_json()["publisher"] == body
        assert section(store, hit.section["section_id"])["publisher"] == body
        assert [p["value"] for p in facets(store, "training")["facets"]["publisher"]] == [body]
        assert search(store, "training", publisher="RSCB").total == 1  # the abbreviation still finds it
        export(store, tmp_path / "b.json", fmt="json", query="training")
        brief = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
        said = [p["publisher"] for g in brief["passages"] for p in g["passages"]] + [d["publisher"] for d in brief["sources"]]
        assert said and set(said) == {body}
    finally:
        store.close()
    shown = CliRunner().invoke(main, ["docs", "a", "--index", str(ix)])
    assert f"— {body}," in shown.output
    with TestClient(create_app(ix), base_url="http://127.0.0.1:8765") as c:
        assert "(RSCB)" not in c.get("/doc/a").text and "(RSCB)" not in c.get("/docs").text


def test_a_theme_id_with_a_common_first_word_is_searched_not_refused(tmp_path):
    from web import create_app

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Annual Report 2018/19\n\n1 Education\n\nThe number of children missing education "
                               "and in elective home education rose this year.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([src], ix).failed == []
    store = Store(ix)
    try:
        assert search(store, "not-in-school").total == 1  # the theme's id, as the themes page searches it
        with pytest.raises(QueryError, match="only common words"):
            search(store, "the-and")
    finally:
        store.close()
    assert CliRunner().invoke(main, ["trace", "not-in-school", "--index", str(ix)]).exit_code == 0
    with TestClient(create_app(ix), base_url="http://127.0.0.1:8765") as c:
        assert c.get("/themes?theme=not-in-school").status_code == 200
        assert c.get("/themes?theme=not-in-school&year=2018-19").status_code == 200


def test_the_web_page_says_which_filter_left_nothing_as_the_command_line_does(mixed):
    from web import create_app

    with TestClient(create_app(mixed), base_url="http://127.0.0.1:8765") as c:
        page = c.get("/?q=neglect&type=briefing")
        assert page.status_code == 200
        assert "5 sections match without the filters, but Type of report briefing leaves none" in page.text
        data = c.get("/?q=neglect&year=2030", headers={"Accept": "application/json"}).json()
        assert data["total"] == 0 and data["why_empty"].startswith("5 sections match without the filters, but Year 2030")
        both = c.get("/?q=neglect&year=2015&type=other").text
        assert "no section matches all of Year 2015 and Type of report other together" in both
    out = CliRunner().invoke(main, ["search", "neglect", "--type", "briefing", "--index", str(mixed)],
                             env={"COLUMNS": "200"})
    assert "--type briefing leaves none" in out.output  # the command line names its option


def test_a_page_past_the_last_shows_the_last(mixed):
    from web import create_app

    with TestClient(create_app(mixed), base_url="http://127.0.0.1:8765") as c:
        data = c.get("/?q=neglect&page=99", headers={"Accept": "application/json"}).json()
        assert (data["page"], data["pages"]) == (1, 1) and len(data["results"]) == 5
        page = c.get("/?q=neglect&page=99").text
        assert "Page 99" not in page and page.count('class="hit"') == 5


def test_an_options_letter_is_never_a_word_to_exclude(mixed):
    runner = CliRunner()
    out = runner.invoke(main, ["trace", "neglect", "-n", "1", "--index", str(mixed)])  # trace has --examples, no -n
    assert out.exit_code == 2 and "No such option '-n'" in out.output
    out = runner.invoke(main, ["search", "neglect", "-n2", "--index", str(mixed)], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and "Top 2:" in out.output  # -n with its number, as click reads it
    out = runner.invoke(main, ["search", "neglect", "-audit", "--index", str(mixed)], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and out.output.startswith("4 sections")  # a word to exclude, as before


def test_terms_fold_to_the_width_and_a_word_in_none_is_exit_status_1(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "report-of-the-widget-assessment-panel-for-the-year.txt").write_text(
        "Annual Report 2018/19\n\n1 Panels\n\nThe Widget Assessment and Review Coordination Panel (WARCP) met monthly. "
        "The WARCP heard every referral.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([src], ix).failed == []
    runner = CliRunner()
    out = runner.invoke(main, ["terms", "--index", str(ix)], env={"COLUMNS": "60"})
    assert out.exit_code == 0 and "WARCP" in out.output
    assert max(len(line) for line in out.output.splitlines()) <= 60
    warcp = out.output[out.output.index("WARCP"):].split("\n", 2)
    assert warcp[1].startswith(" " * 9) and not warcp[1].startswith(" " * 10)  # folded under the meaning
    out = runner.invoke(main, ["terms", "zzqqxx", "--index", str(ix)])
    assert out.exit_code == 1 and "No abbreviation or synonym contains 'zzqqxx'" in out.output


def test_a_briefings_scope_spans_the_years_of_its_matches_not_the_index(tmp_path):
    from search.export import build_briefing

    src = tmp_path / "in"
    src.mkdir()
    _write(src)
    (src / "later.txt").write_text("Annual Report 2021/22\n\n1 Training\n\nTraining was given to staff.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([src], ix).failed == []
    store = Store(ix)
    try:
        scope = build_briefing(store, query="neglect")["scope"]
        assert scope["years"] == ["2015-16", "2017-18"]
        assert scope["description"].endswith(", 2015-16 to 2017-18.")  # as the search says: not to 2021-22
    finally:
        store.close()


def test_the_web_page_says_undated_as_its_facet_and_the_command_line_do(mixed):
    from web import create_app

    with TestClient(create_app(mixed), base_url="http://127.0.0.1:8765") as c:
        for page in (c.get("/?q=neglect&year=undated").text, c.get("/section/audit:1").text, c.get("/doc/audit").text):
            assert '<span class="year">undated</span>' in page and "no year" not in page


def test_the_web_themes_table_rates_and_totals_its_undated_column_as_the_command_line_does(mixed):
    import re

    from search.table import full_table
    from web import create_app

    store = Store(mixed)
    try:
        cli = full_table(store, per="100")
    finally:
        store.close()
    neglect = next(t for t in cli["themes"] if t["id"] == "neglect")
    rate, undated = neglect["counts"]["undated"], cli["sections"]["undated"]
    assert rate and rate != neglect["documents"]["undated"]
    with TestClient(create_app(mixed), base_url="http://127.0.0.1:8765") as c:
        page = c.get("/themes?show=per100").text
        row = re.search(r'(?s)<th scope="row"><a [^>]*theme=neglect[^>]*>Neglect</a></th>(.*?)</tr>', page).group(1)
        cells = re.findall(r"#passages[^>]*>([\d.]+)", row)
        assert cells[-1] == f"{rate:.1f}"  # the undated cell a rate as the others, not a count
        counts = c.get("/themes").text
        head = re.findall(r"<th scope=\"col\"[^>]*>([^<]*)</th>", re.search(r"(?s)<thead>.*?</thead>", counts).group(0))
        foot = re.findall(r"(?s)<t[hd][^>]*>(.*?)</t[hd]>", re.search(r"(?s)<tfoot>.*?</tfoot>", counts).group(0))
        assert len(head) == len(foot) and head[-1] == "All"
        assert foot[head.index("undated")] == str(undated)  # the undated sections counted in the footer, not 0


def test_trace_says_how_many_undated_sections_mention_it_and_how_to_list_them(mixed):
    from search.trace import trace
    from web import create_app

    data = trace(Store(mixed), "neglect")
    assert data["undated"] == len(UNDATED_DOCS) and len(data["years"]) == len(YEARS)
    out = " ".join(CliRunner().invoke(main, ["trace", "neglect", "--index", str(mixed)]).output.split())
    assert f"Also {len(UNDATED_DOCS)} sections of reports that state no year" in out
    assert "sgsearch neglect --year undated lists them" in out
    only = CliRunner().invoke(main, ["trace", "neglect", "--year", "undated", "--index", str(mixed)])
    said = " ".join(only.output.split())
    assert only.exit_code == 1 and "No dated sections mention" in said and "--year undated lists them" in said
    with TestClient(create_app(mixed), base_url="http://127.0.0.1:8765") as c:
        page = c.get("/trace", params={"q": "neglect"}).text
        assert "of reports that state no year" in page and "year=undated" in page
