"""Day one for a practitioner: the surprises a new user met, each pinned by a test."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from search.filters import explain_empty
from search.query import QueryError, corrected_query, is_english_word, search, suggest
from search.vocab.doctypes import check_doc_type


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_a_dash_word_after_the_query_excludes(corpus_index):
    r = run("neglect", "-toolkit", "--index", str(corpus_index))
    assert r.exit_code == 0, r.output
    with_word = json.loads(run("neglect", "--json", "-n", "100", "--index", str(corpus_index)).output)
    without = json.loads(run("neglect", "-toolkit", "--json", "-n", "100", "--index", str(corpus_index)).output)
    assert 0 < without["total"] < with_word["total"]
    assert not any("toolkit" in h["text"].lower() for h in without["results"])
    # a known short option still works beside it
    assert run("neglect", "-n", "1", "-toolkit", "--index", str(corpus_index)).output.count("\n1. ") == 1


def test_filters_that_empty_a_result_are_named(corpus_index, store):
    r = run("safeguarding", "--from", "2030", "--index", str(corpus_index))
    assert r.exit_code == 1
    assert "--from 2030 leaves none" in r.output and "2016-17" in r.output and "2024-25" in r.output
    assert "fewer words" not in r.output
    swapped = run("safeguarding", "--from", "2022", "--to", "2019", "--index", str(corpus_index))
    assert swapped.exit_code == 1 and "--from 2022 is after --to 2019" in swapped.output
    pub = explain_empty(store, "safeguarding", publisher="Devon")
    assert "--publisher 'Devon' leaves none" in pub and "NHS Somerset Integrated Care Board;" in pub
    both = explain_empty(store, "safeguarding", year="2016/17", publisher="Integrated Care Board")
    assert "together" in both and "icb-2024-25 (2024-25" in both
    assert explain_empty(store, "zzqqxx", from_year="2030") is None  # the words are the cause


def test_a_theme_table_of_years_that_hold_nothing_says_so(corpus_index):
    r = run("themes", "--from", "2030", "--index", str(corpus_index))
    assert r.exit_code == 1
    assert "No sections in these years" in r.output and "are indexed, but --from 2030 leaves none" in r.output
    assert "2016-17" in r.output and "Sections indexed per year" not in r.output
    assert run("themes", "--from", "2022", "--to", "2019", "--index", str(corpus_index)).exit_code == 1
    assert run("themes", "--from", "2024", "--index", str(corpus_index)).exit_code == 0


def test_an_unknown_type_is_an_error_naming_the_types(corpus_index):
    with pytest.raises(QueryError, match="did you mean annual-report"):
        check_doc_type("anual-report")
    r = run("neglect", "--type", "minutes", "--index", str(corpus_index))
    assert r.exit_code == 2 and "board-papers" in r.output and "unknown document type" in r.output
    assert check_doc_type("Annual Report") == "annual-report"


def test_the_readme_filter_example_finds_sections(corpus_index):
    r = run("safeguarding", "--year", "2024/25", "--type", "annual-report", "--publisher", "Integrated Care Board",
            "--index", str(corpus_index))
    assert r.exit_code == 0 and "2024-25" in r.output


def test_a_multi_word_typo_gets_the_corrected_query(corpus_index, store):
    assert corrected_query(store, "domestc abuse") == "domestic abuse"
    res = search(store, "domestc abuse")
    assert res.did_you_mean == "domestic abuse"
    r = run("domestc", "abuse", "--index", str(corpus_index))
    assert 'Did you mean "domestic abuse"?' in r.output


def test_only_a_typing_slip_from_an_indexed_word_is_suggested(store):
    # the bundled corpus says neither "fabricated" nor "illness": they are other words, not
    # slips of "participated" or "wellness", so nothing is offered in their place
    res = search(store, "fabricated illness")
    assert res.total == 0 and res.suggestions == [] and res.did_you_mean is None
    assert corrected_query(store, "safgaurding children") == "safeguarding children"  # two slips
    assert suggest(store, "neglekt") == ["neglect"]
    # a longer word three or more edits from the nearest indexed one is another word: it is
    # searched as typed, never silently swapped ("regulation" is not what was asked)
    for word in ("strangulation", "overdose", "criminalisation"):
        assert corrected_query(store, word) is None
        assert search(store, f"{word} risk").searched is None  # among other words a correction is searched


def test_an_everyday_english_word_in_no_section_is_searched_as_typed(store):
    # the bundled corpus never says "caught" but says "sought", one letter away: a question
    # worded in plain English keeps its words ("brought", "replaces" are no slips either)
    assert corrected_query(store, "caught children") is None
    res = search(store, "children caught at risk")
    assert res.searched is None and res.did_you_mean is None
    assert is_english_word("caught") and is_english_word("Appointments")
    assert not is_english_word("domestc") and not is_english_word("safgaurding")
    assert corrected_query(store, "domestc abuse") == "domestic abuse"  # a slip is still one


def test_words_a_theme_names_are_not_misspellings(store):
    # no section of the bundled corpus says "ill" or "race", but a theme's phrase and label
    # name them: the query keeps them and is read as the theme ("bill" and "face" were taken)
    assert corrected_query(store, "parental mental ill health") is None
    assert corrected_query(store, "Race, ethnicity and culture") is None
    res = search(store, "parental mental ill health")
    assert res.searched is None and res.did_you_mean is None
    assert "parental-mental-health" in res.themes


def test_a_query_of_only_common_words_is_refused(corpus_index, store):
    with pytest.raises(QueryError, match="only common words"):
        search(store, "the")
    r = run("the", "--index", str(corpus_index))
    assert r.exit_code == 2 and "only common words" in r.output
    assert search(store, '"the child"').total > 0  # a phrase with a real word is fine


def test_a_short_prefix_wildcard_works(store):
    short = search(store, "neg*", limit=200)
    assert short.total >= search(store, "neglect*").total > 0
    assert any("neglect" in h.section["text"].lower() for h in short.hits)
    left = search(store, "neglect -tool*", limit=200)  # an excluded prefix leaves out every word it starts
    assert 0 < left.total < search(store, "neglect").total
    assert not any("toolkit" in h.section["text"].lower() for h in left.hits)


def test_a_theme_with_no_words_lists_every_section_of_it(corpus_index, store):
    res = search(store, "", theme="neglect", limit=10000)
    assert res.total == len(res.hits) > 10
    assert all("neglect" in h.section["themes"] for h in res.hits)
    r = run("--theme", "neglect", "--index", str(corpus_index))
    assert r.exit_code == 0 and f"{res.total} sections" in r.output
    assert r.output.count("\n" + str(res.total) + ". ") == 1  # every one listed, not the first 10
    with pytest.raises(QueryError):
        search(store, "")


def test_tag_takes_index_and_does_not_wait_silently_on_a_terminal(corpus_index, monkeypatch):
    r = run("tag", "-", "--index", str(corpus_index), "--json", input="Neglect was a concern.")
    assert r.exit_code == 0 and [t["id"] for t in json.loads(r.output)["themes"]] == ["neglect"]
    import cli

    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    waited = run("tag")
    assert waited.exit_code == 2 and "sgsearch tag report.pdf" in waited.output
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: False)
    assert json.loads(run("tag", "--json", input="Neglect was a concern.").output)["themes"][0]["id"] == "neglect"


def test_export_json_flag(corpus_index, tmp_path):
    out = tmp_path / "b.json"
    r = run("export", "pre-birth", "--json", "-o", str(out), "--index", str(corpus_index))
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text())["passages"]


def test_bad_files_are_reported_once_and_skipped_files_named(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("1 Introduction\n\nThe partnership met four times in the year.\n")
    (folder / "bad.pdf").write_text("not a pdf")
    (folder / "figures.xlsx").write_text("x")
    r = CliRunner().invoke(main, ["ingest", str(folder), "--index", str(tmp_path / "ix")])
    assert r.exit_code == 1
    assert r.output.count("bad.pdf") == 1  # stdout and stderr together
    assert "Skipped 1 file(s)" in r.stdout and "figures.xlsx" in r.stdout


def test_a_bad_catalog_entry_keeps_the_good_ones_and_a_missing_file_is_reported(tmp_path):
    from ingest.pipeline import ingest
    from search.browse import documents
    from search.index.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    for name, times in (("a.txt", "four"), ("b.txt", "six")):  # two reports, not one saved twice
        (folder / name).write_text(f"1 Introduction\n\nThe partnership met {times} times in the year.\n")
    (folder / "catalog.toml").write_text(
        '[[document]]\nfile = "a.txt"\nid = "good-one"\ntitle = "The Good Entry"\n\n'
        '[[document]]\nfile = "b.txt"\nyear = "soon"\n\n'
        '[[document]]\nfile = "gone.pdf"\ntitle = "Not here"\n', encoding="utf-8")
    report = ingest([folder], tmp_path / "ix")
    errors = [f["error"] for f in report.failed]
    assert len(errors) == 2, errors
    assert any("#2 (file = 'b.txt')" in e and "year 'soon'" in e for e in errors)
    assert any("gone.pdf" in e and "no such file" in e for e in errors)
    docs = {d["doc_id"]: d for d in documents(Store(tmp_path / "ix"))}
    assert docs["good-one"]["title"] == "The Good Entry" and len(docs) == 2


def test_a_typed_contents_list_in_a_word_report_is_not_body_text(tmp_path):
    import docx

    from ingest.readers import read_path

    d = docx.Document()
    d.add_paragraph("Somerset Safeguarding Annual Report 2022-23", style="Title")
    d.add_paragraph("Contents")
    for line in ("Foreword 2", "Our priorities 3", "Learning from reviews\t7", "4.1 Training 12"):
        d.add_paragraph(line)
    d.add_heading("Foreword", level=1)
    d.add_paragraph("This year the partnership met its three priorities.")
    d.add_heading("Our priorities", level=1)
    d.add_paragraph("Neglect remains our first priority, and we met 3 of them.")
    path = tmp_path / "report.docx"
    d.save(path)
    texts = [b.text for b in read_path(path).blocks]
    assert not any(t.startswith(("Contents", "Foreword 2", "Our priorities 3", "Learning from")) for t in texts), texts
    assert "Foreword" in texts and "Neglect remains our first priority, and we met 3 of them." in texts


def test_a_typed_contents_list_in_a_text_report_is_not_body_text(tmp_path):
    from ingest.readers import read_path

    path = tmp_path / "report.txt"
    path.write_text("Somerset Annual Report 2022-23\n\nContents\nForeword 2\nOur priorities 3\n4.1 Training 12\n\n"
                    "Foreword\n\nThis year the partnership met its three priorities.\n", encoding="utf-8")
    texts = [b.text for b in read_path(path).blocks]
    assert not any(t.endswith((" 2", " 3", " 12")) for t in texts), texts
    assert "This year the partnership met its three priorities." in texts
