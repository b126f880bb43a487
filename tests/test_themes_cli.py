"""The tag and themes commands, and theme tags on the indexed corpus."""
from __future__ import annotations

import json

from click.testing import CliRunner

from cli import main
from search.trace import theme_table


def test_tag_stdin_negated_mention_is_not_tagged():
    r = CliRunner().invoke(main, ["tag", "-", "--json"], input="We found no evidence of neglect.")
    assert r.exit_code == 0
    assert "neglect" not in [t["id"] for t in json.loads(r.output)["themes"]]


def test_tag_stdin_counts_and_evidence():
    text = "Neglect was the main concern. The Graded Care Profile was used. Work with fathers and male carers continued."
    r = CliRunner().invoke(main, ["tag", "-", "--json"], input=text)
    themes = {t["id"]: t for t in json.loads(r.output)["themes"]}
    assert themes["neglect"]["count"] == 2
    assert "Graded Care Profile" in themes["neglect"]["evidence"]
    assert themes["neglect"]["label"] == "Neglect"
    assert "fathers-male-carers" in themes


def test_tag_a_file(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("1 Findings\n\nThe review found concealed pregnancy and domestic abuse.\n")
    themes = {t["id"] for t in json.loads(CliRunner().invoke(main, ["tag", str(f), "--json"]).output)["themes"]}
    assert {"pre-birth", "domestic-abuse"} <= themes


def test_theme_year_table_on_the_corpus(store):
    table = theme_table(store)
    rows = {t["id"]: t for t in table["themes"]}
    assert table["years"] == ["2016-17", "2017-18", "2019-20", "2020-21", "2021-22", "2024-25"]

    def years(theme):
        return {y for y, n in rows[theme]["counts"].items() if n}

    assert {"2016-17", "2020-21"} <= years("neglect")
    assert {"2016-17", "2020-21", "2024-25"} <= years("pre-birth")
    assert {"2020-21", "2021-22", "2024-25"} <= years("fathers-male-carers")
    assert len(years("domestic-abuse")) >= 4
    assert rows["neglect"]["documents"]["2016-17"] == 1


def test_themes_command_text_and_json(corpus_index):
    r = CliRunner().invoke(main, ["themes", "--index", str(corpus_index)])
    assert r.exit_code == 0
    header = r.output.splitlines()[0]
    assert "2016-17" in header and "2024-25" in header
    assert any(line.startswith("Neglect ") for line in r.output.splitlines())
    js = json.loads(CliRunner().invoke(main, ["themes", "--json", "--from", "2020", "--to", "2021-22",
                                              "--index", str(corpus_index)]).output)
    assert js["years"] == ["2020-21", "2021-22"]
    lst = CliRunner().invoke(main, ["themes", "--list"])
    assert "fathers-male-carers" in lst.output and "neglect" in lst.output


def test_sections_carry_theme_evidence(store):
    from search.browse import document

    secs = document(store, "sscp-2020-21")["sections"]
    neglect = [s for s in secs if "neglect" in s["themes"]]
    assert neglect
    ev = neglect[0]["theme_evidence"]["neglect"]
    assert ev["count"] >= 1 and ev["evidence"]


def test_retag_after_taxonomy_change_needs_no_source_files(tmp_path):
    from ingest.pipeline import ingest
    from ingest.retag import retag
    from search.browse import document
    from search.index.store import Store

    src = tmp_path / "in"
    src.mkdir()
    (src / "r.txt").write_text("Annual Report 2019/20\n\n1 Findings\n\nThe review looked at the Widget Protocol in detail.\n")
    ix = tmp_path / "ix"
    ingest([src], ix)
    (src / "r.txt").unlink()
    from search.trace import theme_table

    before = theme_table(Store(ix))["years"]
    extra = tmp_path / "mine.toml"
    extra.write_text('[[theme]]\nid = "widgets"\nlabel = "Widgets"\ndescription = "A local theme."\nphrases = ["widget protocol"]\n')
    assert retag(ix, [extra]) == len(document(Store(ix), "r")["sections"])
    store = Store(ix)
    assert any("widgets" in s["themes"] for s in document(store, "r")["sections"])
    assert theme_table(store)["years"] == before == ["2019-20"]  # the years a section covers are kept
    store.close()


def test_long_punctuation_runs_do_not_stall_the_tagger():
    # unbroken, such runs took spaCy's tokenizer minutes (quadratic); now a blink
    from ingest.themes import get_tagger, prepare_text

    assert max(len(w) for w in prepare_text("(" * 20000).split()) == 32
    assert max(len(w) for w in prepare_text("signed " + "_" * 500).split()) == 32  # signature lines
    tags = get_tagger().tag("(" * 20000 + " neglect " + "#" * 5000)
    assert [t.id for t in tags] == ["neglect"]


def test_section_without_a_year_does_not_break_the_year_span(tmp_path):
    from ingest.pipeline import ingest
    from search.index.store import Store
    from search.query import search

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Annual Report 2020/21\n\n1 Zebrafinch\n\nThe zebrafinch was seen.\n")
    (tmp_path / "in" / "b.txt").write_text("1 Zebrafinch\n\nAnother zebrafinch note with no date at all.\n")
    ingest([tmp_path / "in"], tmp_path / "ix", tag=False)
    res = search(Store(tmp_path / "ix"), "zebrafinch")
    assert res.total == 2 and res.years == ["2020-21"]


def test_a_long_theme_label_is_wrapped_between_words_in_a_narrow_table():
    from search.table import to_text

    years = [f"{y}-{str(y + 1)[2:]}" for y in range(2008, 2026)]
    themes = [{"id": "cce", "label": "Criminal exploitation, county lines and gangs", "total": 3,
               "counts": {y: (3 if y == "2010-11" else 0) for y in years}},
              {"id": "neglect", "label": "Neglect", "total": 2, "counts": {y: (2 if y == "2012-13" else 0) for y in years}}]
    table = {"years": years, "themes": themes, "sections": {y: 10 for y in years}}
    text = to_text(table, width=80)
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("Criminal"))
    assert lines[row].split()[0] == "Criminal"  # the first line ends between words
    assert lines[row + 1].strip() == "exploitation, county lines and gangs"  # the rest whole, on its own line
    assert len(lines[row]) == len(next(line for line in lines if line.startswith("Neglect")))  # columns stay aligned
