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
