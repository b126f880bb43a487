"""After an upgrade changes the bundled themes, an ingest says how many indexed documents carry
the earlier version's tags, and ``--retag`` brings them all to this version's."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import ingest.pipeline
import ingest.retag
from cli import main
from ingest.pipeline import ingest as run_ingest
from ingest.tagworker import vocabulary_stamp

REPORT = "Annual Report {year}\n\n1. Neglect\n\nThe neglect strategy was refreshed in {year}.\n"


def _folder(tmp_path, years=("2020-21", "2021-22")):
    folder = tmp_path / "reports"
    folder.mkdir(exist_ok=True)
    for y in years:
        (folder / f"report-{y}.txt").write_text(REPORT.format(year=y), encoding="utf-8")
    return folder


@pytest.fixture()
def upgraded(tmp_path, monkeypatch):
    """An index tagged by "another version" (its stamp), then read by this one."""
    folder, root = _folder(tmp_path), tmp_path / "ix"
    monkeypatch.setattr(ingest.pipeline, "vocabulary_stamp", lambda: "an-earlier-one")
    assert run_ingest([folder], root).added
    monkeypatch.setattr(ingest.pipeline, "vocabulary_stamp", vocabulary_stamp)
    return folder, root


def test_the_stamp_is_the_same_for_the_same_vocabulary():
    assert vocabulary_stamp() == vocabulary_stamp() and len(vocabulary_stamp()) == 16


def test_documents_tagged_by_this_version_are_not_counted(tmp_path):
    folder, root = _folder(tmp_path), tmp_path / "ix"
    run_ingest([folder], root)
    assert run_ingest([folder], root).tagged_earlier == 0


def test_an_ingest_counts_documents_kept_with_another_versions_tags(upgraded, tmp_path):
    folder, root = upgraded
    (folder / "report-2022-23.txt").write_text(REPORT.format(year="2022-23"), encoding="utf-8")
    report = run_ingest([folder], root)
    assert report.added == [str(folder / "report-2022-23.txt")]  # read now: tagged with this version's
    assert report.tagged_earlier == 2 and report.to_json()["tagged_earlier"] == 2


def test_the_command_line_says_so_once_and_retag_mends_it(upgraded):
    folder, root = upgraded
    runner = CliRunner()
    out = runner.invoke(main, ["ingest", str(folder), "--index", str(root)])
    assert out.exit_code == 0
    assert "2 indexed documents carry the themes of another version of sgsearch; add --retag" in out.output
    out = runner.invoke(main, ["ingest", str(folder), "--index", str(root), "--json"])
    assert json.loads(out.stdout)["tagged_earlier"] == 2
    out = runner.invoke(main, ["ingest", str(folder), "--index", str(root), "--retag"])
    assert out.exit_code == 0 and "another version" not in out.output
    out = runner.invoke(main, ["ingest", str(folder), "--index", str(root)])
    assert "another version" not in out.output
    assert run_ingest([folder], root).tagged_earlier == 0


def test_retag_records_this_versions_stamp_on_every_document(upgraded):
    _folder_, root = upgraded
    ingest.retag.retag(root)
    from search.index.store import Store

    assert {e["tagged_with"] for e in Store(root).manifest().values()} == {vocabulary_stamp()}


def test_documents_written_untagged_are_not_counted(tmp_path):
    folder, root = _folder(tmp_path), tmp_path / "ix"
    run_ingest([folder], root, tag=False)
    assert run_ingest([folder], root).tagged_earlier == 0
