"""The command line, through click's CliRunner: output, JSON and exit codes."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from cli import main
from corpus import corpus_dir


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_a_bare_query_is_a_search(corpus_index):
    r = run("pre-birth", "--index", str(corpus_index))
    assert r.exit_code == 0
    first = r.output.splitlines()[0]
    assert re.match(r"\d+ sections in \d documents, 2016-17 to 2024-25", first)
    assert "2016-17" in r.output and "2020-21" in r.output
    assert "\x1b[" not in r.output and "\x02" not in r.output  # plain when not a terminal


def test_search_json_and_explicit_command_agree(corpus_index):
    a = json.loads(run("pre-birth", "--json", "--index", str(corpus_index)).output)
    b = json.loads(run("search", "pre-birth", "--json", "--index", str(corpus_index)).output)
    assert a == b and a["total"] > 0 and a["results"][0]["rank"] == 1


def test_no_results_exits_1_with_did_you_mean(corpus_index):
    r = run("neglekt", "--index", str(corpus_index))
    assert r.exit_code == 1
    assert "Did you mean: neglect" in r.output


def test_bad_year_is_one_line_error(corpus_index):
    r = CliRunner().invoke(main, ["neglect", "--year", "soon", "--index", str(corpus_index)])
    assert r.exit_code == 2
    assert r.output.strip().count("\n") == 0 and "not a year" in r.output


def test_docs_list_outline_and_show(corpus_index):
    r = run("docs", "--json", "--index", str(corpus_index))
    docs = json.loads(r.output)["documents"]
    assert len(docs) == 5 and all(isinstance(d["sections"], int) for d in docs)
    one = json.loads(run("docs", "ccg-2021-22", "--json", "--index", str(corpus_index)).output)
    assert [s["number"] for s in one["sections"]][:3] == ["1", "2", "2.1"]
    text = run("docs", "ccg-2021-22", "--index", str(corpus_index)).output
    assert "  2.1 Somerset Safeguarding Leadership and Accountability" in text
    shown = run("show", "ccg-2021-22:3", "--index", str(corpus_index)).output
    assert "2 DELIVERY OF STATUTORY SAFEGUARDING FUNCTIONS › 2.1 Somerset" in shown
    missing = CliRunner().invoke(main, ["show", "nope:1", "--index", str(corpus_index)])
    assert missing.exit_code == 1 and "no section 'nope:1'" in missing.output


def test_show_a_missing_section_names_what_is_there(corpus_index):
    """A section number past a document's end names that document's sections; an unknown
    document gives an id that exists in this index, not one from another."""
    outline = json.loads(run("docs", "ccg-2021-22", "--json", "--index", str(corpus_index)).output)
    ids = [s["section_id"] for s in outline["sections"]]
    first, last = ids[0].rsplit(":", 1)[1], ids[-1].rsplit(":", 1)[1]
    past = CliRunner().invoke(main, ["show", "ccg-2021-22:999", "--index", str(corpus_index)])
    assert past.exit_code == 1
    assert f"document 'ccg-2021-22' has sections {first} to {last}" in past.output
    assert "Traceback" not in past.output
    unknown = CliRunner().invoke(main, ["show", "nope:1", "--index", str(corpus_index)])
    example = unknown.output.split("e.g. ", 1)[1].split()[0]
    assert unknown.exit_code == 1
    assert run("show", example, "--index", str(corpus_index)).exit_code == 0


def test_ingest_reports_failures_and_exit_status(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_text("1 Introduction\n\nThe partnership met four times in the year.\n")
    (tmp_path / "in" / "bad.pdf").write_text("not a pdf")
    r = CliRunner().invoke(main, ["ingest", str(tmp_path / "in"), "--index", str(tmp_path / "ix"), "--json"])
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert len(data["added"]) == 1 and data["failed"][0]["path"].endswith("bad.pdf")
    assert "bad.pdf: not a PDF" in r.stderr and "Traceback" not in r.output
    again = CliRunner().invoke(main, ["ingest", str(tmp_path / "in" / "ok.txt"), "--index", str(tmp_path / "ix")])
    assert again.exit_code == 0 and "1 unchanged" in again.output


def test_first_search_builds_the_default_index_from_bundled_corpus(tmp_path):
    env = {"SGSEARCH_INDEX": None, "XDG_DATA_HOME": str(tmp_path / "data")}  # the per-user folder, in tmp
    r = CliRunner().invoke(main, ["pre-birth"], env=env)
    assert r.exit_code == 0, r.output
    assert "building the index" in r.stderr and "bundled corpus" in r.stderr
    assert "sections in" in r.stdout and "2016-17" in r.stdout
    assert (tmp_path / "data" / "sgsearch" / "index" / "CURRENT").is_file()


def test_first_ingest_into_the_default_index_adds_the_bundled_corpus_too(tmp_path):
    # README: the per-user folder is filled with the bundled corpus by the first command that
    # finds it empty, ingest included (else a later search would find it holding only yours)
    env = {"SGSEARCH_INDEX": None, "XDG_DATA_HOME": str(tmp_path / "data")}
    mine = tmp_path / "ours.txt"
    mine.write_text("1 Introduction\n\nThe partnership reviewed its pre-birth protocol with midwives.\n")
    r = CliRunner().invoke(main, ["ingest", str(mine), "--json"], env=env)
    assert r.exit_code == 0, r.output
    assert "bundled corpus" in r.stderr
    added = json.loads(r.stdout)["added"]
    reports = sorted(corpus_dir().glob("*.txt"))
    assert len(added) == len(reports) + 1 == 6
    assert any(a.endswith("ours.txt") for a in added) and any("sscp" in a.lower() for a in added)
    r = CliRunner().invoke(main, ["docs", "--json"], env=env)
    titles = [d["path"] for d in json.loads(r.stdout)["documents"]]
    assert any(t.endswith("ours.txt") for t in titles) and len(titles) == 6


@pytest.mark.parametrize("how", ["option", "env"])
def test_a_named_index_is_never_seeded_with_the_bundled_corpus(tmp_path, how):
    new = tmp_path / "mine"
    args, env = (["--index", str(new)], {}) if how == "option" else ([], {"SGSEARCH_INDEX": str(new)})
    for cmd in (["pre-birth"], ["themes"], ["trace", "neglect"], ["docs"], ["recur"]):
        r = CliRunner().invoke(main, cmd + args, env=env)
        assert r.exit_code == 1, (cmd, r.output)
        assert r.stderr.strip().splitlines() == [
            f"sgsearch: no index at {new}: run 'sgsearch ingest PATH --index {new}'" if how == "option" else
            f"sgsearch: no index at {new} ($SGSEARCH_INDEX): run 'sgsearch ingest PATH' to make it"]
    assert not new.exists()


def test_an_index_option_naming_a_file_is_one_line(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("mine", encoding="utf-8")
    for cmd in (["pre-birth"], ["ingest", str(corpus_dir())]):
        r = CliRunner().invoke(main, cmd + ["--index", str(f)])
        assert r.exit_code == 1 and "Traceback" not in r.output, r.output
        assert r.stderr.strip().splitlines()[-1].startswith(f"sgsearch: {f} is a file, not a folder")
    assert f.read_text(encoding="utf-8") == "mine"


def test_an_index_is_never_written_into_a_folder_of_other_files(tmp_path):
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "budget.xlsx").write_bytes(b"x")
    r = CliRunner().invoke(main, ["ingest", str(corpus_dir()), "--index", str(folder)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.stderr.strip().splitlines() == [
        f"sgsearch: {folder} holds other files (budget.xlsx) and no index: give a new or empty folder for the index"]
    assert sorted(p.name for p in folder.iterdir()) == ["budget.xlsx"]


def test_hits_in_an_embedded_report_cite_the_report(corpus_index):
    r = run("Child Death Overview Panel", "--year", "2016-17", "--index", str(corpus_index))
    # the one citation format (search.cite): the report's own title, in the pack
    # (lines are wrapped to the terminal: compare with the line breaks folded)
    assert ("Somerset Safeguarding Children Board Annual Report 2016/17 (2016-17), in Health and Wellbeing Board"
            in " ".join(r.output.split()))


def test_json_is_written_in_pieces_as_one_dumps_would_write_it(capsys, monkeypatch):
    import cli

    data = {"clusters": [{"id": n, "why": ["fathers’ voice", "é\u001b"], "items": [{"text": "x" * 30, "score": 48.5}] * 3}
                         for n in range(40)], "empty": [], "none": None}
    monkeypatch.setattr(cli, "JSON_CHUNK", 50)  # many pieces
    cli._emit_json(data)
    out = capsys.readouterr().out
    assert out == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(out) == data


def test_facets_option_prints_the_pages_counts(corpus_index):
    from search.facets import facets
    from search.index.store import Store

    want = facets(Store(corpus_index), "training")["facets"]
    got = json.loads(run("training", "--facets", "--json", "--index", str(corpus_index)).output)
    assert got["facets"] == want and got["total"] == want["counted"]
    assert "facets" not in json.loads(run("training", "--json", "--index", str(corpus_index)).output)
    text = run("training", "--facets", "--index", str(corpus_index)).output
    first_year = want["year"][0]
    assert f"By year: {first_year['label']} {first_year['count']}" in text
    assert "By theme: " + want["theme"][0]["label"] in text.replace("\n   ", " ")


# a command's objects go with its process: the collector does not walk them again at exit
_FROZEN_AT_EXIT = """
import atexit, gc, sys
from cli import main
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))  # registered first: runs last
try:
    main([sys.argv[1], "--index", sys.argv[2]])
except SystemExit as e:
    print("frozen while it ran:", gc.get_freeze_count() > 0, "exit", e.code)
    raise
"""


def test_a_query_leaves_what_it_made_to_the_process_end(corpus_index, tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _FROZEN_AT_EXIT, "pre-birth", str(corpus_index)],
                         capture_output=True, text=True, encoding="utf-8", cwd=tmp_path).stdout
    assert re.match(r"\d+ sections in \d documents", out)
    assert "frozen while it ran: False exit 0" in out
    assert out.rstrip().endswith("frozen at exit: True")


def test_the_documents_list_counts_one_section_and_one_page_in_the_singular():
    from cliformat import format_documents

    line = format_documents([{"doc_id": "a", "year": "2020-21", "doc_type": "briefing", "title": "A briefing",
                              "sections": 1, "pages": 1}])
    assert line.endswith("(1 section, 1 page)")
    assert format_documents([{"doc_id": "b", "year": None, "doc_type": "other", "title": "B", "sections": 3,
                              "pages": 0}]).endswith("(3 sections)")
