"""The recur command's options, messages and ids, and checking a file of recommendations."""
from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from cli import main
from search.export import build_briefing
from search.recur import DEFAULT_THRESHOLD, check, recur


def run(corpus_index, *args):
    return CliRunner().invoke(main, [*args, "--index", str(corpus_index)])


def test_since_from_and_to(store):
    for c in recur(store, since=2020):
        assert max(i["year_start"] for i in c["items"]) > 2020
    assert any(c["years"][0] == "2016-17" for c in recur(store, since="2020-21"))  # whole groups kept
    for c in recur(store, from_year=2020, to_year="2021-22"):
        assert all(2020 <= i["year_start"] <= 2021 for i in c["items"])
    assert not recur(store, since=2024)


def test_theme_agrees_with_export(store):
    mine = recur(store, theme="neglect")
    assert mine and all(any("neglect" in i["themes"] for i in c["items"]) for c in mine)
    exported = build_briefing(store, themes=["neglect"])["recurring"]
    def groups(clusters):
        return sorted(sorted(i["item_id"] for i in c["items"]) for c in clusters)

    assert groups(exported) == groups(mine)


def test_each_group_has_a_score_and_reason(store, corpus_index):
    for c in recur(store):
        assert c["score"] >= DEFAULT_THRESHOLD and c["why"]
    out = run(corpus_index, "recur").output
    assert "score " in out and "shared: " in out


def test_threshold_hint_only_when_a_lower_one_helps(corpus_index):
    out = run(corpus_index, "recur", "--theme", "neglect", "--threshold", "99").output
    assert "--threshold" in out
    hinted = float(out.split("--threshold ")[1].split()[0])
    assert hinted < 99 and "group" in run(corpus_index, "recur", "--theme", "neglect",
                                          "--threshold", str(hinted)).output
    none = run(corpus_index, "recur", "--since", "2024").output
    assert "No item recurs" in none and "--threshold" not in none
    assert "not a year" in run(corpus_index, "recur", "--since", "soon").output


def test_every_printed_id_is_accepted_by_show(corpus_index):
    data = json.loads(run(corpus_index, "recur", "--json").stdout)
    ids = [i["item_id"] for c in data["clusters"] for i in c["items"]]
    for item_id in ids[:6]:
        r = run(corpus_index, "show", item_id, "--json")
        assert r.exit_code == 0, r.output
        shown = json.loads(r.stdout)
        assert shown["item_id"] == item_id
        assert [i["item_id"] for i in shown["items"] if i["marked"]] == [item_id]
    text = run(corpus_index, "show", ids[0]).output
    assert "▶" in text


def test_check_a_single_word_finds_its_item(store, corpus_index):
    assert any("asthma" in m["text"] for m in check(store, "asthma"))
    data = json.loads(run(corpus_index, "recur", "--check", "asthma", "--json").stdout)
    assert set(data) == {"text", "verdict", "matches"}  # the verdict a file's checks carry too
    assert data["matches"][0]["why"] == ["asthma"]


def test_check_takes_themes_from_the_caller(store):
    with_theme = check(store, "Involve male carers in planning", themes=["fathers-male-carers"])
    assert with_theme and "fathers-male-carers" in with_theme[0]["themes"]


def test_check_file_text_json_and_appendix(corpus_index, tmp_path):
    recs = tmp_path / "new-review.txt"
    recs.write_text("1. Fathers and male carers should be included in assessments.\n"
                    "- Record staff safeguarding training compliance on the Electronic Staff Record\n"
                    "\n"
                    "Buy ergonomic office chairs for the meeting room\n", encoding="utf-8")
    out = run(corpus_index, "recur", "--check", str(recs)).output
    assert "2 of 3 recommendations were made before." in out
    assert "Not made before." in out and "shared: " in out and "2020-21" in out
    assert out.count("   Made before.") == 2  # every verdict said, as the web page and the appendix say it
    data = json.loads(run(corpus_index, "recur", "--check", str(recs), "--json").stdout)
    assert data["summary"] == {"items": 3, "made_before": 2, "similar": 0, "new": 1, "left_out": [],
                               "later_left_out": []}
    assert [c["verdict"] for c in data["checks"]] == ["made before", "made before", "new"]
    assert [c["text"] for c in data["checks"]][0] == "Fathers and male carers should be included in assessments."
    m = data["checks"][1]["matches"][0]
    assert {"item_id", "year", "score", "title", "why"} <= set(m) and "ESR" in m["why"]
    for ext in ("md", "csv", "docx"):
        path = tmp_path / f"appendix.{ext}"
        r = run(corpus_index, "recur", "--check", str(recs), "-o", str(path))
        assert r.exit_code == 0, r.output
        assert path.stat().st_size > 200
    assert "2 of 3 recommendations were made before." in (tmp_path / "appendix.md").read_text(encoding="utf-8")
    rows = list(csv.DictReader((tmp_path / "appendix.csv").open(encoding="utf-8-sig")))
    assert {r["made_before"] for r in rows} == {"yes", "no"}
    from docx import Document

    d = Document(str(tmp_path / "appendix.docx"))
    doc = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells])
    assert "Electronic Staff Record" in doc and "made before" in doc


def test_check_file_leaves_out_its_heading_and_lead_in_lines(corpus_index, tmp_path):
    recs = tmp_path / "review.md"
    recs.write_text("# Recommendations of the review\n"
                    "\n"
                    "The partnership should make sure that:\n"
                    "1. Fathers and male carers should be included in assessments.\n"
                    "Practice\n"
                    "--------\n"
                    "- Buy ergonomic office chairs for the meeting room\n"
                    "\n"
                    "Key findings\n"
                    "Recommendation 3\n"
                    "Review the actions of the neglect strategy group\n", encoding="utf-8")
    data = json.loads(run(corpus_index, "recur", "--check", str(recs), "--json").stdout)
    assert [c["text"] for c in data["checks"]] == ["Fathers and male carers should be included in assessments.",
                                                   "Buy ergonomic office chairs for the meeting room",
                                                   "Review the actions of the neglect strategy group"]


def test_check_file_that_is_a_document(corpus_index, tmp_path):
    doc = tmp_path / "review.docx"
    from docx import Document

    d = Document()
    d.add_heading("Recommendations", level=1)
    for t in ("The partnership should refresh the neglect toolkit for practitioners.",
              "Health visitors should include fathers and male carers in assessments."):
        d.add_paragraph(t, style="List Bullet")
    d.save(str(doc))
    data = json.loads(run(corpus_index, "recur", "--check", str(doc), "--json").stdout)
    assert data["summary"]["items"] == 2 and data["summary"]["made_before"] == 2


def test_check_file_errors_name_the_file(corpus_index, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    r = run(corpus_index, "recur", "--check", str(empty))
    assert r.exit_code != 0 and "empty.txt" in r.output and "Traceback" not in r.output


def test_checking_one_text_says_its_verdict_first(corpus_index):
    text = "Fathers and male carers should be included in assessments"
    out = run(corpus_index, "recur", "--check", text).output
    assert out.splitlines()[0] == "Made before."
    data = json.loads(run(corpus_index, "recur", "--check", text, "--json").stdout)
    assert data["verdict"] == "made before" and data["text"] == text and data["matches"]
    new = run(corpus_index, "recur", "--check", "Buy ergonomic office chairs for the meeting room")
    assert new.output.startswith("Nothing indexed") or new.output.splitlines()[0].startswith("Not made before.")


def test_an_undated_item_is_printed_undated():
    from cliformat import item_line

    line = item_line({"year": None, "kind": "finding", "text": "Plans were not reviewed.", "item_id": "x:1.1",
                      "citation": "A report, Findings"})
    assert line.split()[0] == "undated" and "None" not in line


def test_recur_help_states_the_default_threshold_the_code_uses(corpus_index):
    import re

    out = CliRunner().invoke(main, ["recur", "--help"], terminal_width=200).output
    stated = re.search(r"default (\d+)", out.split("--threshold", 1)[1])
    assert stated and float(stated.group(1)) == DEFAULT_THRESHOLD

