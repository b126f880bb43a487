"""A case-review subgroup checking an old recommendation: ``recur --check`` of a long file read
on a terminal, the appendix in each format, and the web page's "Said before?" against the
command line. Each test is a defect that use showed; the documents are written here."""
from __future__ import annotations

TOOLKIT = "The partnership should seek assurance that every agency audits its use of the neglect toolkit"


def test_a_checked_files_tenth_recommendation_lines_up_as_its_first(monkeypatch):
    from cliformat import format_checks

    monkeypatch.setenv("COLUMNS", "60")
    checks = [{"text": f"{TOOLKIT} in year {n}", "verdict": "new", "matches": []} for n in range(1, 13)]
    out = format_checks(checks, {"items": 12, "made_before": 0, "similar": 0, "new": 12})
    blocks = out.split("\n\n")[:12]
    assert [b.split()[0] for b in blocks] == [f"{n}." for n in range(1, 13)]
    for block in blocks:  # "1.  The…" and "10. The…": the text, its verdict and its folds in one column
        first, *rest = block.splitlines()
        assert first[4:].startswith("The partnership"), block
        assert rest and all(line[:4] == "    " and line[4] != " " for line in rest), block


def test_the_csv_appendix_numbers_and_dates_its_rows_as_word_and_markdown_do(tmp_path):
    import csv

    from search.report.appendix import write_appendix

    def match(year):
        return {"item_id": "r:1.1", "doc_id": "r", "kind": "recommendation", "text": TOOLKIT, "score": 61.2,
                "why": ["neglect toolkit"], "year": year, "citation": "Report, Actions"}

    checks = [{"text": f"{TOOLKIT} {n}", "verdict": "made before", "matches": [match(y)]}
              for n, y in ((1, "2019-20"), (2, None))]
    summary = {"items": 2, "made_before": 2, "similar": 0, "new": 0}
    written = {fmt: write_appendix(checks, summary, tmp_path / f"a.{fmt}", threshold=52, min_score=37)
               for fmt in ("csv", "md")}
    with written["csv"].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["no"], r["recommendation"], r["year"]) for r in rows] == [
        ("1", f"{TOOLKIT} 1", "2019-20"), ("2", f"{TOOLKIT} 2", "undated")]
    md = written["md"].read_text(encoding="utf-8")
    assert f"| 2 | {TOOLKIT} 2 | made before | undated, score 61.2:" in md


def test_the_web_page_gives_a_matchs_score_as_the_command_line_and_the_appendix_do(monkeypatch):
    from pathlib import Path

    import jinja2

    from cliformat import format_matches
    from search.report.appendix import _match_line

    templates = Path(__file__).resolve().parent.parent / "web" / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), autoescape=True)
    monkeypatch.setenv("COLUMNS", "100")
    for score in (62.5, 51.6):  # 51.6 is below 52, the score "made before" needs: never shown as 52
        m = {"item_id": "r:1.1", "section_id": "r:1", "doc_id": "r", "kind": "recommendation", "text": TOOLKIT,
             "score": score, "why": ["neglect toolkit"], "year": "2019-20", "citation": "Report (2019-20), Actions"}
        html = str(env.get_template("macros.html").module.match(m))
        assert f">{score}% alike<" in html
        assert format_matches([m]).split()[0] == str(score) and f"score {score}:" in _match_line(m)


def test_only_the_command_line_names_its_option_for_keeping_the_checked_report(tmp_path):
    import re
    import warnings

    from click.testing import CliRunner

    from cli import main
    from ingest.pipeline import ingest

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
        from starlette.testclient import TestClient
    from web import create_app

    review = tmp_path / "in" / "review.md"
    review.parent.mkdir()
    review.write_text(f"# Quillmoor review 2020-21\n\n## Recommendations\n\n1. {TOOLKIT}.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([review], ix, tag=False).ok
    run = CliRunner().invoke(main, ["recur", "--check", str(review), "--index", str(ix), "-o", str(tmp_path / "a.md")])
    assert run.exit_code == 0, run.output
    assert "(--include-self keeps them)." in " ".join(run.stdout.split())
    # a review's appendix is read by people who never typed the command, and the page has no such option
    appendix = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "Left out: the items of Quillmoor review 2020-21 (review)" in appendix and "--include-self" not in appendix
    with TestClient(create_app(ix), base_url="http://127.0.0.1:8765") as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/recur").text).group(1)
        page = client.post("/recur/check", data={"csrf": token},
                           files={"file": ("review.md", review.read_bytes(), "text/markdown")}).text
    assert "Left out: the items of Quillmoor review 2020-21 (review)" in page and "--include-self" not in page


def test_the_web_pages_groups_carry_the_numbers_the_tracker_and_the_command_line_give_them(corpus_index):
    import csv
    import io
    import re
    import warnings

    from click.testing import CliRunner

    from cli import main

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
        from starlette.testclient import TestClient
    from web import create_app

    with TestClient(create_app(corpus_index), base_url="http://127.0.0.1:8765") as client:
        page = client.get("/recur").text
        tracker = client.get("/recur", params={"format": "csv"}).content.decode("utf-8-sig")
    on_page = re.findall(r'<h3><span class="ref">#(\d+)</span> ([^<]+?)(?: <span|</h3>)', page)
    refs = [row["Ref"] for row in csv.DictReader(io.StringIO(tracker))]
    assert on_page and sorted(int(n) for n, _ in on_page) == sorted(int(r) for r in refs)
    cli = CliRunner().invoke(main, ["recur", "--index", str(corpus_index)]).stdout
    for n, years in on_page:  # "#3  2016-17 to 2020-21: …" on the command line
        first, last = years.split(", ")[0], years.split(", ")[-1]
        assert re.search(rf"^#{n}  {re.escape(first)} to {re.escape(last)}:", cli, re.M), (n, years)


def test_a_saved_committee_pages_menu_and_meeting_lines_are_not_recommendations(tmp_path):
    from usecases import read_checklist

    recs = ["That the board reviews how neglect cases are stepped down - including those closed since "
            "1 April 2020 - by the end of the year.",
            "Agencies should record the views of the child at every visit: 12/05/2021 is the audit's start."]
    page = tmp_path / "committee-item.md"
    page.write_text("Agenda - papers\n\nHome > Council > Committees\n\n"
                    "Meeting: 03/02/2021 - Example Children's Scrutiny Panel (Item 4)\n\n"
                    "Date of meeting: Monday 3 February 2021\n\n14 March 2021\n\n"
                    "Recommendations\n\n" + "\n\n".join(f"- {r}" for r in recs) + "\n", encoding="utf-8")
    # a site's menu label and a meeting's date line were read as recommendations 1 and 2
    assert read_checklist(page) == recs
