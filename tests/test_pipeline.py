"""Ingest lifecycle: incremental, atomic, bad input, busy index, schema change."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from ingest.pipeline import ingest
from search.browse import document, documents
from search.index.store import RETIRED, IndexBusy, Store

REPORT = """Somerset Safeguarding Children Partnership
Annual Report 2019/20

1 Introduction

1.1 This report covers the period of 1st April 2019 to 31st March 2020 and describes the work of the partnership.

2 Neglect

2.1 The Neglect Toolkit was refreshed and training on the Graded Care Profile continued across agencies.
"""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def docs_by_id(root):
    s = Store(root)
    try:
        return {d["doc_id"]: d for d in documents(s)}
    finally:
        s.close()


def test_detects_metadata_without_a_catalog(tmp_path):
    write(tmp_path / "in" / "annual-2019.txt", REPORT)
    report = ingest([tmp_path / "in"], tmp_path / "ix", tag=False)
    assert len(report.added) == 1 and report.ok
    d = docs_by_id(tmp_path / "ix")["annual-2019"]
    assert (d["year"], d["year_start"], d["period_start"], d["period_end"]) == ("2019-20", 2019, "2019-04-01", "2020-03-31")
    assert d["doc_type"] == "annual-report"
    assert d["publisher"] == "Somerset Safeguarding Children Partnership"


def test_incremental_unchanged_changed_removed(tmp_path):
    src = tmp_path / "in"
    a = write(src / "a.txt", REPORT)
    b = write(src / "b.txt", REPORT.replace("2019/20", "2018/19").replace("2019 to 31st March 2020", "2018 to 31st March 2019"))
    ix = tmp_path / "ix"
    first = ingest([src], ix, tag=False)
    assert sorted(first.added) == sorted([str(a), str(b)])
    again = ingest([src], ix, tag=False)
    assert again.added == [] and again.updated == [] and sorted(again.unchanged) == sorted([str(a), str(b)])

    write(a, REPORT.replace("Graded Care Profile", "Graded Care Profile 2"))
    b.unlink()
    third = ingest([src], ix, tag=False)
    assert third.updated == [str(a)] and third.removed == [str(b)] and third.unchanged == []
    docs = docs_by_id(ix)
    assert set(docs) == {"a"}
    store = Store(ix)
    texts = " ".join(s["text"] for s in document(store, "a")["sections"])
    store.close()
    assert "Graded Care Profile 2" in texts


def test_a_file_saved_again_while_it_is_read_is_read_again_next_time(tmp_path, monkeypatch):
    """The hash kept is the one ingest decided from, taken before the file was read: a file saved
    while it was being read (a report still open in an editor) is not taken as unchanged next time."""
    from ingest import document as parsing

    src = tmp_path / "in"
    a = write(src / "a.txt", REPORT)
    ix = tmp_path / "ix"
    real_read = parsing.read_path

    def read_then_saved(path, **kwargs):
        result = real_read(path, **kwargs)
        write(a, REPORT.replace("Graded Care Profile", "Graded Care Profile 2"))  # saved after it was read
        return result

    monkeypatch.setattr(parsing, "read_path", read_then_saved)
    assert ingest([src], ix, tag=False).added == [str(a)]
    monkeypatch.undo()
    again = ingest([src], ix, tag=False)
    assert again.updated == [str(a)] and again.unchanged == []
    store = Store(ix)
    texts = " ".join(s["text"] for s in document(store, "a")["sections"])
    store.close()
    assert "Graded Care Profile 2" in texts


def test_catalog_wins_over_detection_and_catalog_edit_reingests(tmp_path):
    src = tmp_path / "in"
    write(src / "r.txt", REPORT)
    write(src / "catalog.toml", '[[document]]\nfile = "r.txt"\nid = "sscp-19"\nyear = "2020-21"\ntitle = "Stated title"\n')
    ix = tmp_path / "ix"
    ingest([src], ix, tag=False)
    d = docs_by_id(ix)["sscp-19"]
    assert (d["title"], d["year"], d["year_start"]) == ("Stated title", "2020-21", 2020)
    write(src / "catalog.toml", '[[document]]\nfile = "r.txt"\nid = "sscp-19"\nyear = "2019-20"\n')
    rep = ingest([src], ix, tag=False)
    assert rep.updated == [str(src / "r.txt")]
    assert docs_by_id(ix)["sscp-19"]["year"] == "2019-20"


def test_bad_catalog_is_reported_and_files_still_ingested(tmp_path):
    src = tmp_path / "in"
    write(src / "r.txt", REPORT)
    write(src / "catalog.toml", '[[document]]\nfile = "r.txt"\nyear = "sometime"\n')
    rep = ingest([src], tmp_path / "ix", tag=False)
    assert rep.added == [str(src / "r.txt")]
    assert rep.failed[0]["path"].endswith("catalog.toml") and "sometime" in rep.failed[0]["error"]



@pytest.mark.parametrize("catalog", ['[document]\nfile = "r.txt"\ntitle = "Stated title"\n', 'document = "r.txt"\n'])
def test_a_document_written_as_one_table_is_one_line_saying_how_to_write_it(tmp_path, catalog):
    """``[document]`` (one pair of brackets) was read key by key: a line per key saying the entry
    had no file, though it named one."""
    src = tmp_path / "in"
    write(src / "r.txt", REPORT)
    write(src / "catalog.toml", catalog)
    rep = ingest([src], tmp_path / "ix", tag=False)
    assert rep.added == [str(src / "r.txt")] and len(rep.failed) == 1
    assert rep.failed[0]["path"].endswith("catalog.toml") and "[[document]]" in rep.failed[0]["error"]
    assert "two pairs of brackets" in rep.failed[0]["error"]



def test_an_ingest_with_nothing_to_do_lets_go_of_the_index_files(tmp_path, monkeypatch):
    """However an ingest ends, it closes the index it read: a process that carries on (the web
    page's ingest) must not keep the engine's files open or mapped until the collector finds
    them, which on Windows stops a later rebuild from removing them."""
    src = tmp_path / "in"
    write(src / "a.txt", REPORT)
    ix = tmp_path / "ix"
    ingest([src], ix, tag=False)
    last: dict[int, str] = {}  # each store's last open or close
    real_backend, real_close = Store.backend, Store.close

    def backend(self):
        found = real_backend(self)
        last[id(self)] = "open"
        return found

    def close(self):
        real_close(self)
        last[id(self)] = "closed"

    monkeypatch.setattr(Store, "backend", backend)
    monkeypatch.setattr(Store, "close", close)
    assert ingest([src], ix, tag=False).unchanged == [str(src / "a.txt")]
    assert last and set(last.values()) == {"closed"}
    last.clear()
    write(src / "empty.txt", "")
    assert ingest([src], ix, tag=False).failed  # nothing to write: the index is left as it was
    assert last and set(last.values()) == {"closed"}


BAD = {
    "zero.txt": (b"", "empty file (0 bytes)"),
    "blank.txt": (b"   \n\n  \n", "no text found"),
    "binary.txt": (bytes(range(256)) * 8, "not a text file"),
    "fake.pdf": (b"Just some words, not a PDF at all.\n", "not a PDF"),
    "fake.docx": (b"Plain words in a file called docx.\n", "not a Word document"),
    "old.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old binary Word (.doc)"),
    "sheet.xlsx": (b"PK\x03\x04 whatever", "unsupported file type .xlsx"),
    "zip.txt": (b"PK\x03\x04" + b"\0" * 100, "content is a ZIP file"),
}


def test_bad_files_fail_one_line_each_and_nothing_is_lost(tmp_path):
    ix = tmp_path / "ix"
    write(tmp_path / "good" / "good.txt", REPORT)
    ingest([tmp_path / "good"], ix, tag=False)
    bad = tmp_path / "bad"
    bad.mkdir()
    paths = []
    for name, (data, _) in BAD.items():
        (bad / name).write_bytes(data)
        paths.append(bad / name)
    write(bad / "fine.txt", REPORT.replace("2019/20", "2020/21"))  # a report of its own, not a copy of good.txt
    rep = ingest([*paths, bad / "fine.txt", tmp_path / "missing.txt"], ix, tag=False)
    errors = {f["path"].rsplit("/", 1)[-1]: f["error"] for f in rep.failed}
    for name, (_, reason) in BAD.items():
        assert reason in errors[name], (name, errors.get(name))
        assert "\n" not in errors[name] and "Traceback" not in errors[name]
    assert errors["missing.txt"] == "no such file or folder"
    assert rep.added == [str(bad / "fine.txt")]
    assert set(docs_by_id(ix)) == {"good", "fine"}


def test_interrupted_ingest_leaves_previous_index_complete(tmp_path, monkeypatch):
    src = tmp_path / "in"
    write(src / "a.txt", REPORT)
    ix = tmp_path / "ix"
    ingest([src], ix, tag=False)
    before = docs_by_id(ix)
    write(src / "b.txt", REPORT.replace("Neglect", "Domestic abuse"))
    write(src / "a.txt", REPORT + "\n3 More\n\nMore text was added to the report here.\n")

    import ingest.pipeline as pipeline

    calls = {"n": 0}
    real = pipeline._write_doc

    def boom(w, doc, tags=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-write
        real(w, doc, tags)

    monkeypatch.setattr(pipeline, "_write_doc", boom)
    with pytest.raises(KeyboardInterrupt):
        ingest([src], ix, tag=False)
    monkeypatch.setattr(pipeline, "_write_doc", real)
    assert docs_by_id(ix) == before
    store = Store(ix)
    assert [s["heading"] for s in document(store, "a")["sections"]][-1] == "Neglect"
    store.close()
    rep = ingest([src], ix, tag=False)  # and the next run completes the work
    assert rep.added == [str(src / "b.txt")] and rep.updated == [str(src / "a.txt")]


def test_rebuild_starts_afresh(tmp_path):
    write(tmp_path / "one" / "a.txt", REPORT)
    write(tmp_path / "two" / "b.txt", REPORT)
    ix = tmp_path / "ix"
    ingest([tmp_path / "one"], ix, tag=False)
    rep = ingest([tmp_path / "two"], ix, rebuild=True, tag=False)
    assert rep.added == [str(tmp_path / "two" / "b.txt")]
    assert set(docs_by_id(ix)) == {"b"}
    live = Store(ix).current_dir()
    # the generation replaced is kept a while for searches still reading it, marked retired
    assert [(d / RETIRED).is_file() for d in ix.glob("ix-*") if d != live] == [True]


def test_busy_index_names_the_other_process(tmp_path):
    store = Store(tmp_path / "ix")
    with store.locked():
        with pytest.raises(IndexBusy, match=r"the index is being updated by another process \(pid \d+\)"):
            ingest([tmp_path], tmp_path / "ix", tag=False)


def test_schema_change_rebuilds_from_recorded_files(tmp_path):
    src = tmp_path / "in"
    write(src / "a.txt", REPORT)
    ix = tmp_path / "ix"
    ingest([src], ix, tag=False)
    live = Store(ix).current_dir()
    (live / "VERSION").write_text("0.old", encoding="utf-8")
    assert not Store(ix).up_to_date()
    rep = ingest([], ix, tag=False)
    assert rep.added == [str(src / "a.txt")]
    assert Store(ix).up_to_date() and set(docs_by_id(ix)) == {"a"}
    assert json.loads((Store(ix).current_dir() / "files.json").read_text())[str(src / "a.txt")]["doc_id"] == "a"


def test_same_file_name_in_two_folders_gets_two_ids(tmp_path):
    write(tmp_path / "x" / "report.txt", REPORT)
    write(tmp_path / "y" / "report.txt", REPORT.replace("2019/20", "2020/21"))  # another report, not a copy
    ingest([tmp_path / "x", tmp_path / "y"], tmp_path / "ix", tag=False)
    ids = set(docs_by_id(tmp_path / "ix"))
    assert len(ids) == 2 and "report" in ids


def test_jobs_gives_same_result(tmp_path):
    for n in range(4):
        write(tmp_path / "in" / f"r{n}.txt", REPORT.replace("Neglect", f"Theme {n}"))
    ingest([tmp_path / "in"], tmp_path / "one", tag=False)
    ingest([tmp_path / "in"], tmp_path / "two", tag=False, jobs=2)
    s1, s2 = Store(tmp_path / "one"), Store(tmp_path / "two")
    for n in range(4):
        assert document(s1, f"r{n}")["sections"] == document(s2, f"r{n}")["sections"]
    s1.close()
    s2.close()
    shutil.rmtree(tmp_path / "one")


def test_progress_goes_through_every_phase_with_counts(tmp_path):
    src = tmp_path / "in"
    write(src / "a.txt", REPORT)
    write(src / "b.txt", REPORT.replace("Neglect", "Domestic abuse"))
    seen: list[tuple[str, int, int]] = []
    report = ingest([src], tmp_path / "ix", progress=lambda phase, n, total, _path: seen.append((phase, n, total)))
    phases = [p for p, _n, _t in seen]
    assert phases[:2] == ["parsing", "parsing"] and phases[-1] == "committing"
    assert {"tagging", "writing"} <= set(phases)
    assert [n for p, n, _t in seen if p == "parsing"] == [1, 2]
    writing = [(n, t) for p, n, t in seen if p == "writing"]
    assert writing[-1] == (report.sections, report.sections) and writing == sorted(writing)
    assert report.seconds > 0


def test_the_ingest_summary_says_how_long_it_took(tmp_path):
    from click.testing import CliRunner

    from cli import main

    src = tmp_path / "in"
    write(src / "a.txt", REPORT)
    r = CliRunner().invoke(main, ["ingest", str(src), "--index", str(tmp_path / "ix")])
    assert r.exit_code == 0, r.output
    assert re.search(r"\(\d+ sections\) in \d+\.\d s\.$", r.output.strip().splitlines()[-1]), r.output
