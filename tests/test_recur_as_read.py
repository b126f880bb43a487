"""recur's outputs as a reviewer reads them: an undated item never "None" nor first or last seen over
dated ones; the Word appendix's words kept apart."""
from __future__ import annotations

from pathlib import Path

import jinja2

from cliformat import format_clusters
from search.recur import describe, tracker_rows
from search.report.appendix import write_appendix

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"


def _item(n: int, year: str | None, doc: str, text: str, status: str | None = None) -> dict:
    return {"item_id": f"{doc}:1.{n}", "section_id": f"{doc}:1", "doc_id": doc, "kind": "recommendation",
            "status": status, "themes": [], "year": year, "year_start": int(year[:4]) if year else None,
            "title": f"Report {doc}", "text": text, "citation": f"Report {doc}, Actions", "score": 60.0}


def _group() -> dict:
    items = [_item(1, "2019-20", "b", "Audit the use of the neglect toolkit.", "in progress"),
             _item(2, None, "u", "Audit how the neglect toolkit is used.", "open"),
             _item(3, "2016-17", "a", "Audit use of the neglect toolkit.")]
    return describe({"id": 1, "themes": [], "years": ["2016-17", "2019-20"], "score": 60.0,
                     "why": ["neglect toolkit"], "items": items})


TOOLKIT = "Health visitors should be trained to use the refreshed neglect toolkit in every home visit"


def _undated_index(tmp_path):
    """An index of one recommendation said in 2016, 2019 and 2022 and by a report with no year."""
    from ingest.metadata import fy_label
    from search.index.records import item_to_fields
    from search.index.store import Store

    ix = Store(tmp_path / "ix")
    with ix.locked(), ix.writer(fresh=True) as (w, _manifest):
        for n, year in enumerate([None, 2016, 2019, 2022]):
            doc = f"r{year or 'undated'}"
            item = {"item_id": f"{doc}:1.{n}", "section_id": f"{doc}:1", "doc_id": doc, "ordinal": n,
                    "kind": "recommendation", "text": TOOLKIT, "status": None, "themes": ["neglect"],
                    "year": fy_label(year) if year else None, "year_start": year}
            w.add(item_to_fields(item, {"title": f"Report of {year or 'no year'}", "doc_type": "annual-report"}))
    return ix


def test_first_and_last_seen_are_dated_items():
    c = _group()
    assert c["first_seen"]["year"] == "2016-17" and c["last_seen"]["year"] == "2019-20"
    assert c["year_count"] == 2 and c["items"][-1]["year"] == "2019-20"  # the latest wording is dated


def test_a_group_of_undated_items_only_still_has_ends():
    c = describe({"id": 1, "items": [_item(1, None, "u", "A."), _item(2, None, "v", "B.")]})
    assert c["first_seen"]["doc_id"] == "u" and c["last_seen"]["doc_id"] == "v"


def test_cli_tracker_and_appendix_say_undated_not_none(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    c = _group()
    out = format_clusters([c], show_all=True)
    assert "None" not in out and out.splitlines()[2].startswith("#1  2016-17 to 2019-20")
    assert "undated  recommendation" in out
    row = tracker_rows([c])[0]
    assert row["First raised"] == "2016-17" and row["Last raised"] == "2019-20"
    assert "None" not in row["Citations"] + row["Status history"]
    assert "undated: Report u" in row["Citations"] and "undated: open" in row["Status history"]
    checks = [{"text": "Audit the toolkit.", "verdict": "made before", "matches": [c["items"][0]]}]
    md = write_appendix(checks, {"items": 1, "made_before": 1}, tmp_path / "a.md", threshold=52, min_score=37)
    assert "None" not in md.read_text(encoding="utf-8") and "undated, score 60.0" in md.read_text(encoding="utf-8")


def test_the_web_page_says_undated_not_none():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    c = _group()
    html = env.get_template("macros.html").module.match(c["items"][0])
    assert "None" not in str(html) and "undated" in str(html)


def test_the_word_appendix_keeps_the_spaces_between_a_matchs_parts(tmp_path):
    from docx import Document

    c = _group()
    checks = [{"text": "Audit the toolkit.", "verdict": "made before", "matches": c["items"][:2]}]
    path = write_appendix(checks, {"items": 1, "made_before": 1}, tmp_path / "a.docx", threshold=52, min_score=37)
    cell = Document(str(path)).tables[0].rows[1].cells[3]
    lines = [p.text for p in cell.paragraphs]
    assert lines[0] == "undated, score 60.0: Audit how the neglect toolkit is used. \u2014 Report u, Actions"
    assert lines[1].startswith("2016-17, score 60.0: Audit use")


def test_a_groups_score_stays_with_its_number_at_any_width(monkeypatch):
    c = _group()
    c["themes"] = ["child-sexual-exploitation"]
    for cols in range(40, 101):
        monkeypatch.setenv("COLUMNS", str(cols))
        head = format_clusters([c]).split("\n\n")[1].split("\n    kinds:")[0]
        assert "\u00a0" not in head
        for line in head.splitlines():
            assert not line.rstrip().endswith("score"), (cols, head)


def test_the_tracker_csv_keeps_one_citation_a_line_as_the_workbook_does(tmp_path):
    import csv

    from openpyxl import load_workbook

    from search.report.tracker import write_tracker

    rows = tracker_rows([_group()])
    with open(write_tracker(rows, tmp_path / "t.csv"), encoding="utf-8-sig", newline="") as fh:
        got = list(csv.DictReader(fh))[0]["Citations"]
    sheet = load_workbook(write_tracker(rows, tmp_path / "t.xlsx")).active
    assert got.splitlines() == sheet.cell(row=2, column=14).value.splitlines()
    assert got.splitlines() == ["undated: Report u, Actions", "2016-17: Report a, Actions", "2019-20: Report b, Actions"]


def test_the_summary_reads_the_dated_first_and_last_items_whole(tmp_path):
    from search.recur import recur

    ix = _undated_index(tmp_path)
    (c,) = recur(ix, detail=False)
    assert c["first_seen"] == {"year": "2016-17", "doc_id": "r2016", "title": "Report of 2016"}
    assert c["last_seen"] == {"year": "2022-23", "doc_id": "r2022", "title": "Report of 2022"}
    assert c["items"][-1]["text"] == TOOLKIT


def test_a_checked_files_recommendations_fold_to_the_terminal(monkeypatch):
    from cliformat import format_checks

    long = "The partnership should seek assurance that every agency audits its use of the neglect toolkit " * 2
    match = {**_group()["items"][0], "text": long.strip(), "why": ["neglect toolkit", "audit", "assurance"] * 3}
    checks = [{"text": long.strip(), "verdict": "new", "matches": [match]}]
    for cols in (40, 60, 80):
        monkeypatch.setenv("COLUMNS", str(cols))
        out = format_checks(checks, {"items": 1, "made_before": 0, "similar": 0, "new": 1})
        assert all(len(line) <= cols for line in out.splitlines()), out
        assert " ".join(out.split()).startswith("1. " + " ".join(long.split()))


def test_a_reversed_or_unreadable_year_is_named_by_its_option(corpus_index):
    from click.testing import CliRunner

    from cli import main

    def run(*args):
        return CliRunner().invoke(main, ["recur", *args, "--index", str(corpus_index)])

    got = run("--from", "2022", "--to", "2018")
    assert got.exit_code == 2 and "--from 2022 is after --to 2018" in got.output  # as search says it
    for option in ("--since", "--from", "--to"):
        got = run(option, "soon")
        assert got.exit_code == 2 and f"{option} 'soon' is not a year" in got.output, got.output


def test_a_format_the_output_cannot_take_is_named_not_the_files_name(tmp_path):
    import pytest

    from search.report.tracker import write_tracker

    c = _group()
    checks = [{"text": "Audit the toolkit.", "verdict": "made before", "matches": c["items"][:1]}]
    with pytest.raises(ValueError) as e:
        write_appendix(checks, {"items": 1, "made_before": 1}, tmp_path / "a.docx", "xlsx", threshold=52, min_score=37)
    assert "as xlsx" in str(e.value) and "docx, md or csv" in str(e.value) and "name the file" not in str(e.value)
    with pytest.raises(ValueError) as e:
        write_tracker(tracker_rows([c]), tmp_path / "t.xlsx", "docx")
    assert "as docx" in str(e.value) and "xlsx or csv" in str(e.value)
    with pytest.raises(ValueError, match=r"name the file \.xlsx or \.csv"):
        write_tracker(tracker_rows([c]), tmp_path / "t.txt")


def test_check_given_a_folder_by_its_bare_name_says_it_is_a_folder(corpus_index, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cli import main

    (tmp_path / "reviews").mkdir()
    monkeypatch.chdir(tmp_path)
    got = CliRunner().invoke(main, ["recur", "--check", "reviews", "--index", str(corpus_index)])
    assert got.exit_code == 2 and got.output.strip() == "sgsearch: reviews: is a folder, not a file"


def test_the_total_agrees_in_number():
    from search.report.appendix import total_line

    assert total_line({"items": 1, "made_before": 0, "similar": 1, "new": 0}).startswith(
        "0 of 1 recommendation was made before.")
    assert total_line({"items": 5, "made_before": 1}).startswith("1 of 5 recommendations was made before.")
    assert total_line({"items": 5, "made_before": 0, "new": 5}).startswith("0 of 5 recommendations were made before.")


def test_a_year_range_leaves_out_undated_items_at_either_end(tmp_path):
    from search.recur import recur

    ix = _undated_index(tmp_path)
    assert [i["year"] for c in recur(ix) for i in c["items"]] == [None, "2016-17", "2019-20", "2022-23"]
    for span in ({"to_year": 2020}, {"from_year": 2015}, {"from_year": 2015, "to_year": 2020}):
        assert None not in [i["year"] for c in recur(ix, **span) for i in c["items"]], span


def test_options_this_use_of_recur_does_not_read_are_named_not_ignored_unsaid(corpus_index):
    from click.testing import CliRunner

    from cli import main

    def run(*args):
        return CliRunner().invoke(main, ["recur", *args, "--index", str(corpus_index)])

    got = run("--check", "Fathers and male carers should be included in assessments", "--theme", "neglect",
              "--since", "2019")
    assert got.exit_code == 0 and "--theme, --since are not used with --check (ignored)" in got.stderr
    got = run("--theme", "neglect", "-n", "3")
    assert got.exit_code == 0 and "--limit is not used without --check (ignored)" in got.stderr
    assert run("--theme", "neglect").stderr == ""  # nothing to say when every option given is read
    assert run("--check", "Fathers and male carers should be included in assessments", "-n", "3").stderr == ""


def test_a_document_with_no_items_is_not_told_about_text_files_lines(tmp_path):
    import pytest
    from docx import Document

    from usecases import ChecklistError, read_checklist

    d = Document()
    d.add_paragraph("The partnership met four times during the year.")
    d.save(str(tmp_path / "minutes.docx"))
    with pytest.raises(ChecklistError) as e:
        read_checklist(tmp_path / "minutes.docx")
    said = str(e.value)
    assert said.startswith(f"{tmp_path / 'minutes.docx'}: no recommendations found")
    assert "needs one per line" not in said and "nothing in it reads as a recommendation" in said
    (tmp_path / "empty.txt").write_text("Recommendations\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match="a .txt file needs one per line"):
        read_checklist(tmp_path / "empty.txt")


def test_no_group_is_exit_status_1_and_no_tracker_as_export_does(corpus_index, tmp_path):
    import json

    from click.testing import CliRunner

    from cli import main

    def run(*args):
        return CliRunner().invoke(main, ["recur", "--since", "2030", *args, "--index", str(corpus_index)])

    got = run("-o", str(tmp_path / "t.xlsx"))
    assert got.exit_code == 1 and "No item recurs" in got.stdout and not (tmp_path / "t.xlsx").exists()
    assert "No tracker written" in got.stdout
    got = run("--json")
    assert got.exit_code == 1 and json.loads(got.stdout) == {"clusters": []}
    assert CliRunner().invoke(main, ["recur", "--index", str(corpus_index)]).exit_code == 0


def test_check_dash_reads_recommendations_from_standard_input(corpus_index, tmp_path):
    from click.testing import CliRunner

    from cli import main

    recs = "1. Fathers and male carers should be included in assessments.\n2. Buy office chairs for the meeting room\n"
    path = tmp_path / "recs.txt"
    path.write_text(recs, encoding="utf-8")
    piped = CliRunner().invoke(main, ["recur", "--check", "-", "--json", "--index", str(corpus_index)], input=recs)
    named = CliRunner().invoke(main, ["recur", "--check", str(path), "--json", "--index", str(corpus_index)])
    assert piped.exit_code == 0 and piped.stdout == named.stdout and '"items": 2' in piped.stdout
    out = tmp_path / "a.md"
    CliRunner().invoke(main, ["recur", "--check", "-", "-o", str(out), "--index", str(corpus_index)], input=recs)
    assert "Checked: standard input (" in out.read_text(encoding="utf-8")


def test_text_piped_in_is_read_as_utf8_whatever_the_console_code_page(corpus_index):
    """On Windows, standard input is decoded in the console's code page: UTF-8 piped in
    (``type recs.txt | sgsearch recur --check -``) came out as other letters, or as a traceback
    at a byte the code page lacks. The same reading is forced here with PYTHONIOENCODING."""
    import json
    import os
    import subprocess
    import sys

    recs = "\ufeffFathers in Łódź and Gdańsk should be included in assessments.\r\nPlans should name a lead.\r\n"
    code = "import sys\nfrom cli import main\nsys.argv[0] = 'sgsearch'\nmain()\n"
    run = subprocess.run([sys.executable, "-c", code, "recur", "--check", "-", "--json", "--index", str(corpus_index)],
                         input=recs.encode("utf-8"), capture_output=True, cwd=Path(__file__).resolve().parent.parent,
                         env={**os.environ, "PYTHONIOENCODING": "cp1252"}, timeout=300)
    assert b"Traceback" not in run.stderr, run.stderr.decode("utf-8", "replace")
    texts = [c["text"] for c in json.loads(run.stdout.decode("utf-8"))["checks"]]
    assert texts == ["Fathers in Łódź and Gdańsk should be included in assessments.", "Plans should name a lead."]
