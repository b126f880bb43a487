"""A user's own themes, from --taxonomy or a catalog, are known to everything that reads the index."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from ingest.blocks import IngestError
from ingest.catalog import read_catalog
from ingest.pipeline import ingest
from ingest.retag import retag
from search.index.store import Store
from search.query import search
from search.trace import theme_table, trace
from search.vocab.taxonomy import Taxonomy, load_taxonomy

KINSHIP = """
[[theme]]
id = "kinship-care"
label = "Kinship care"
description = "Children cared for by relatives or friends."
phrases = ["kinship care", "family and friends care", "special guardianship"]
examples = ["Kinship care placements rose."]
counter_examples = ["The family cared."]
"""
REPORT = ("Annual Report {year}\n\n1. Placements\n\n{body}\n\n2. Neglect\n\n"
          "The neglect strategy was refreshed this year.\n")


def _report(folder, name, year, body):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(REPORT.format(year=year, body=body), encoding="utf-8")


@pytest.fixture()
def tagged(tmp_path):
    """An index of one report tagged with the bundled themes plus kinship-care (from --taxonomy)."""
    extra = tmp_path / "extra.toml"
    extra.write_text(KINSHIP, encoding="utf-8")
    _report(tmp_path / "a", "a.txt", "2021-22", "Kinship care placements rose, with more special guardianship orders.")
    root = tmp_path / "ix"
    report = ingest([tmp_path / "a"], root, taxonomy_files=[extra])
    assert report.failed == []
    return tmp_path, root, extra


def test_taxonomy_round_trips_through_json():
    tax = load_taxonomy()
    again = Taxonomy.from_json(tax.to_json())
    assert again.fingerprint() == tax.fingerprint() and again.ids() == tax.ids()


def test_search_filters_expands_and_tables_a_users_theme(tagged):
    _tmp, root, _extra = tagged
    st = Store(root)
    assert "kinship-care" in st.taxonomy()
    r = search(st, "placements", theme="kinship-care")
    assert r.total == 1 and "kinship-care" in r.hits[0].section["themes"]
    assert search(st, "Kinship care").themes == ["kinship-care"]  # a theme's name expands to its tag
    table = theme_table(st)
    row = next(t for t in table["themes"] if t["id"] == "kinship-care")
    assert row["label"] == "Kinship care" and row["total"] == 1
    assert trace(st, "kinship-care")["years"][0]["year"] == "2021-22"
    st.close()


def test_cli_knows_a_users_theme(tagged):
    _tmp, root, _extra = tagged
    run = CliRunner().invoke
    res = run(main, ["placements", "--theme", "Kinship care", "--index", str(root)])
    assert res.exit_code == 0, res.output
    assert "themes: Kinship care" in res.output  # the user's theme, named by its label
    listed = json.loads(run(main, ["themes", "--list", "--json", "--index", str(root)]).output)
    assert "kinship-care" in [t["id"] for t in listed["themes"]]
    assert "Kinship care" in run(main, ["themes", "--index", str(root)]).output
    res = run(main, ["export", "--theme", "kinship-care", "-o", str(root.parent / "b.md"), "--index", str(root)])
    assert res.exit_code == 0, res.output
    assert "Kinship care" in (root.parent / "b.md").read_text(encoding="utf-8")


def test_a_later_ingest_without_the_file_keeps_the_theme_known(tagged):
    tmp, root, _extra = tagged
    _report(tmp / "b", "b.txt", "2022-23", "Placements with relatives were reviewed.")
    ingest([tmp / "b"], root)
    st = Store(root)
    assert "kinship-care" in st.taxonomy()
    assert search(st, "placements", theme="kinship-care").total == 1
    st.close()


def test_retag_rereads_the_theme_files_the_index_was_tagged_with(tagged):
    tmp, root, extra = tagged
    _report(tmp / "b", "b.txt", "2022-23", "Connected persons assessments were completed on time.")
    ingest([tmp / "b"], root)
    st = Store(root)
    assert search(st, "assessments", theme="kinship-care").total == 0
    st.close()
    extra.write_text(KINSHIP.replace('"special guardianship"]', '"special guardianship", "connected persons"]'),
                     encoding="utf-8")
    retag(root)  # no --taxonomy: the recorded file is read again
    assert search(st, "assessments", theme="kinship-care").total == 1
    r = search(st, "placements", theme="kinship-care")  # both reports' placements sections, a's kept
    assert sorted(h.section["doc_id"] for h in r.hits) == ["a", "b"]
    st.close()


def test_a_catalog_names_a_taxonomy(tmp_path):
    folder = tmp_path / "reports"
    _report(folder, "a.txt", "2021-22", "Family and friends care was a focus.")
    (folder / "themes.toml").write_text(KINSHIP, encoding="utf-8")
    (folder / "catalog.toml").write_text('taxonomy = "themes.toml"\n\n[[document]]\nfile = "a.txt"\nid = "a"\n',
                                         encoding="utf-8")
    entries, files = read_catalog(folder)
    assert files == [(folder / "themes.toml").resolve()] and len(entries) == 1
    root = tmp_path / "ix"
    report = ingest([folder], root)
    assert report.failed == [] and report.added
    st = Store(root)
    r = search(st, "focus", theme="kinship-care")
    assert r.total == 1 and r.hits[0].section["doc_id"] == "a"
    st.close()


@pytest.mark.parametrize("catalog, problem", [
    ('taxonomy = "missing.toml"\n', "does not exist"),
    ("taxonomy = 3\n", "taxonomy must be a file name"),
    ('[[document]]\nfile = "a.txt"\ntaxonomy = "t.toml"\n', "unknown key(s) taxonomy"),
    ('themes = "t.toml"\n', "unknown top-level key(s) themes"),
])
def test_catalog_taxonomy_errors(tmp_path, catalog, problem):
    (tmp_path / "catalog.toml").write_text(catalog, encoding="utf-8")
    with pytest.raises(IngestError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        read_catalog(tmp_path)
