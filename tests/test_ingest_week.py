"""A practitioner's first weeks of adding their own reports: ingesting every kind of file,
again and again, correcting the catalog, changing themes, switching engines, on Windows
laptops. Each test is a defect that use showed; the documents are written here."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli import main
from ingest.pipeline import ingest
from ingest.readers import read_path
from search.browse import documents
from search.index.store import Store
from tests import docgen

REPORT = """Widgetshire Safeguarding Children Partnership
Annual Report 2019/20

1 Introduction

1.1 This report covers the period of 1st April 2019 to 31st March 2020 and the work of the partnership.

2 Neglect

2.1 The neglect toolkit was refreshed and training continued across agencies.
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def docs(ix: Path) -> list[dict]:
    s = Store(ix)
    try:
        return documents(s)
    finally:
        s.close()


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty."""
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    xref = len(body)
    body += (b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
             b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return write(path, body)


# -- bad files say what is wrong with them ---------------------------------------------------
def test_a_pdf_with_no_pages_read_after_an_encrypted_one_is_not_called_encrypted(tmp_path):
    locked = docgen.write_encrypted_pdf(tmp_path / "locked.pdf")
    empty = zero_page_pdf(tmp_path / "zero-pages.pdf")
    for path in (locked, empty):  # pdfium's last error outlives the encrypted file
        try:
            read_path(path)
        except Exception as e:  # noqa: BLE001 - the message is what is tested
            said = str(e)
    assert said == "corrupt PDF: the document has no pages"
    rep = ingest([tmp_path], tmp_path / "ix", tag=False)
    errors = {Path(f["path"]).name: f["error"] for f in rep.failed}
    assert errors["zero-pages.pdf"] == "corrupt PDF: the document has no pages"
    assert errors["locked.pdf"].startswith("encrypted PDF")


# -- the catalog ----------------------------------------------------------------------------
def test_two_catalog_entries_stating_one_id_make_two_documents_and_say_so(tmp_path):
    src = tmp_path / "reports"
    write(src / "a.txt", REPORT)
    write(src / "b.txt", REPORT.replace("Neglect", "Exploitation"))
    write(src / "catalog.toml", '[[document]]\nfile = "a.txt"\nid = "wscp-2019"\n\n'
                                '[[document]]\nfile = "b.txt"\nid = "wscp-2019"\n')
    rep = ingest([src], tmp_path / "ix", tag=False)
    ids = sorted(d["doc_id"] for d in docs(tmp_path / "ix"))
    assert len(set(ids)) == 2 and ids[0] == "wscp-2019" and ids[1].startswith("wscp-2019-")
    assert rep.added == [str(src / "a.txt"), str(src / "b.txt")]
    (problem,) = rep.failed
    assert problem["path"] == str(src / "catalog.toml")
    assert "'wscp-2019' is already the id of" in problem["error"] and ids[1] in problem["error"]
    # the section ids are each document's own
    s = Store(tmp_path / "ix")
    try:
        assert {r["section_id"].split(":")[0] for r in s.records("section")} == set(ids)
    finally:
        s.close()


# -- your own themes ------------------------------------------------------------------------
THEMES = '[[theme]]\nid = "widgets"\nlabel = "Widget protocol"\nphrases = ["neglect toolkit"]\n'


def test_a_broken_theme_file_is_said_even_when_no_file_is_read(tmp_path):
    src = write(tmp_path / "reports" / "r.txt", REPORT).parent
    ix = str(tmp_path / "ix")
    assert run("ingest", str(src), "--index", ix).exit_code == 0
    broken = write(tmp_path / "broken.toml", '[[theme]]\nid = "widgets"\nlabel = "Widget\n')
    r = run("ingest", str(src), "--taxonomy", str(broken), "--index", ix)
    assert r.exit_code == 1
    assert f"sgsearch: {broken}: not valid TOML" in r.output and "unchanged" not in r.output


def test_a_theme_file_given_when_files_are_unchanged_says_it_tagged_nothing_and_how_to(tmp_path):
    src = write(tmp_path / "reports" / "r.txt", REPORT).parent
    ix = str(tmp_path / "ix")
    assert run("ingest", str(src), "--index", ix).exit_code == 0
    themes = write(tmp_path / "mine.toml", THEMES)
    r = run("ingest", str(src), "--taxonomy", str(themes), "--index", ix)
    assert r.exit_code == 0
    assert (f"sgsearch: the themes of {themes} tag only the files read now; add --retag to tag the 1 other "
            "indexed document with them too") in r.output
    # --retag does it, and says nothing of the kind
    r = run("ingest", "--retag", "--taxonomy", str(themes), "--index", ix)
    assert r.exit_code == 0 and "tag only" not in r.output
    assert run("search", "--theme", "widgets", "--index", ix).exit_code == 0


# -- Windows laptops ------------------------------------------------------------------------
BOM = b"\xef\xbb\xbf"  # what Windows Notepad ("UTF-8 with BOM") writes first


def test_toml_files_saved_with_a_byte_order_mark_are_read(tmp_path, monkeypatch):
    src = tmp_path / "reports"
    write(src / "r.txt", REPORT)
    write(src / "catalog.toml", BOM + b'[[document]]\nfile = "r.txt"\ntitle = "Stated in Notepad"\n')
    themes = write(tmp_path / "themes.toml", BOM + THEMES.encode())
    terms = write(tmp_path / "terms.toml", BOM + b'[abbreviations]\nWTK = "widget toolkit"\n')
    rules = write(tmp_path / "rules.toml", BOM + b"[furniture]\nlines = ['rate this page']\n")
    monkeypatch.setenv("SGSEARCH_METADATA", str(rules))
    ix = str(tmp_path / "ix")
    r = run("ingest", str(src), "--taxonomy", str(themes), "--thesaurus", str(terms), "--index", ix)
    assert r.exit_code == 0, r.output
    assert [d["title"] for d in docs(tmp_path / "ix")] == ["Stated in Notepad"]
    assert run("search", "--theme", "widgets", "--index", ix).exit_code == 0


def test_the_owner_file_word_keeps_beside_an_open_report_is_passed_over(tmp_path):
    src = tmp_path / "reports"
    write(src / "annual-report.txt", REPORT)
    write(src / "~$nual-report.docx", b"\x0cA Practitioner" + b"\0" * 150)  # Word's, while the .docx is open
    rep = ingest([src], tmp_path / "ix", tag=False)
    assert rep.added == [str(src / "annual-report.txt")]
    assert rep.failed == [] and rep.skipped == []


# -- the summary adds up, and nothing indexed is lost ---------------------------------------
def test_a_rebuild_says_which_documents_it_dropped(tmp_path):
    a = write(tmp_path / "a" / "r.txt", REPORT).parent
    b = write(tmp_path / "b" / "s.txt", REPORT.replace("Neglect", "Exploitation")).parent
    ix = tmp_path / "ix"
    ingest([a, b], ix, tag=False)
    rep = ingest([a], ix, rebuild=True, tag=False)
    assert rep.added == [str(a / "r.txt")] and rep.removed == [str(b / "s.txt")]
    assert [d["path"] for d in docs(ix)] == [str(a / "r.txt")]


def test_a_rebuild_that_reads_no_file_leaves_the_index_as_it_was(tmp_path):
    a = write(tmp_path / "a" / "r.txt", REPORT).parent
    ix = tmp_path / "ix"
    ingest([a], ix, tag=False)
    (tmp_path / "empty").mkdir()
    write(tmp_path / "bad" / "zero.txt", b"")
    for paths in ([tmp_path / "empty"], [tmp_path / "bad"]):  # a wrong folder, or every file failing
        rep = ingest(paths, ix, rebuild=True, tag=False)
        assert rep.added == [] and rep.removed == []
        assert [d["path"] for d in docs(ix)] == [str(a / "r.txt")]
    r = run("ingest", "--rebuild", str(tmp_path / "empty"), "--index", str(ix))
    assert r.exit_code == 1 and "no reports found" in r.output


def test_the_summary_counts_files_and_catalog_problems_apart_and_one_section_is_one(tmp_path):
    src = tmp_path / "reports"
    write(src / "r.md", "# Widgetshire briefing 2020-21\n\nPractitioners should ask about fathers.\n")
    write(src / "catalog.toml", '[[document]]\nfile = "gone.pdf"\ntitle = "Not here"\n')
    r = run("ingest", str(src), "--index", str(tmp_path / "ix"))
    assert r.exit_code == 1
    assert "1 added, 0 updated, 0 unchanged, 0 removed, 0 failed, 1 catalog problem (1 section) in" in r.output


# -- Ctrl-C ---------------------------------------------------------------------------------
def test_stopping_a_parallel_ingest_does_not_read_the_files_not_yet_started(monkeypatch):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from ingest import pipeline

    started, gate = [], threading.Event()

    def parse(job):  # the first file is read at once, the others wait until the pool is shut
        started.append(job[0])
        if len(started) > 1:
            gate.wait(30)
        return job[0], None, "not read"

    class Pool(ThreadPoolExecutor):  # the process pool's interface, in threads the test can see
        def __init__(self, max_workers, initializer=None):  # a worker's start-up is a process's
            super().__init__(max_workers)

        def shutdown(self, wait=True, *, cancel_futures=False):
            gate.set()
            super().shutdown(wait=wait, cancel_futures=cancel_futures)

    monkeypatch.setattr(pipeline, "_parse_job", parse)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", Pool)
    todo = [(f"f{n}.txt", None, f"f{n}", "auto", None) for n in range(20)]
    parsed = pipeline._run(todo, 2)
    assert next(parsed)[0] == "f0.txt"
    parsed.close()  # what Ctrl-C (or any error) in the ingest's loop does to it
    assert len(started) < 10


def test_ctrl_c_during_an_ingest_says_the_index_was_left_as_it_was(tmp_path, monkeypatch):
    from ingest import pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "ingest", interrupted)
    r = run("ingest", str(write(tmp_path / "r.txt", REPORT)), "--index", str(tmp_path / "ix"))
    assert r.exit_code == 130
    assert r.output.strip() == "sgsearch: ingest interrupted: the index was left as it was"



def _sigint_handler(job):  # run in a parse worker: what Ctrl-C does there
    import signal

    return job[0], None, "ignored" if signal.getsignal(signal.SIGINT) is signal.SIG_IGN else "interrupted"


def test_ctrl_c_is_left_to_the_ingest_not_its_parse_workers(monkeypatch):
    """Ctrl-C reaches every process of the terminal (on Windows, of the console): a parse
    worker waiting for its next file printed a KeyboardInterrupt traceback, and one reading a
    file went on to the next; the ingest stops them itself."""
    from ingest import pipeline

    monkeypatch.setattr(pipeline, "_parse_job", _sigint_handler)
    todo = [(f"f{n}.txt", None, f"f{n}", "auto", None) for n in range(2)]
    assert {err for _, _, err in pipeline._run(todo, 2)} == {"ignored"}


def test_a_file_named_with_accented_letters_keeps_them_in_its_id(tmp_path):
    src = write(tmp_path / "reports" / "Adroddiad Blynyddol – Ynys Môn (café) 2022.txt", REPORT).parent
    ingest([src], tmp_path / "ix", tag=False)
    assert [d["doc_id"] for d in docs(tmp_path / "ix")] == ["adroddiad-blynyddol-ynys-mon-cafe-2022"]


def test_retag_alone_says_what_it_did_and_no_ingest_of_nothing(tmp_path):
    src = write(tmp_path / "reports" / "r.txt", REPORT).parent
    ix = str(tmp_path / "ix")
    assert run("ingest", str(src), "--index", ix).exit_code == 0
    r = run("ingest", "--retag", "--index", ix)
    assert r.exit_code == 0
    assert r.output.strip().splitlines() == [f"Re-tagged themes on {r.output.split()[3]} sections."]
    assert "Ingested" in run("ingest", str(src), "--retag", "--index", ix).output


def test_a_report_ingested_by_mistake_can_be_taken_out_by_id_or_path(tmp_path):
    index = tmp_path / "index"
    for n in (1, 2, 3):
        write(tmp_path / "reports" / f"report{n}.md", REPORT.replace("Widgetshire", f"Shire{n}"))
    ingest([tmp_path / "reports"], index, tag=False)
    report = ingest([], index, tag=False, remove=["report2", str(tmp_path / "reports" / "report3.md"), "nosuch"])
    assert sorted(Path(p).name for p in report.removed) == ["report2.md", "report3.md"]
    assert [f["path"] for f in report.failed] == ["nosuch"] and "not in the index" in report.failed[0]["error"]
    store = Store(index)
    assert [d["doc_id"] for d in documents(store)] == ["report1"]
    r = run("search", "Shire2", "--index", str(index))
    assert r.exit_code == 1  # its sections went with it
    r = run("ingest", "--remove", "report1", "--index", str(index))
    assert r.exit_code == 0 and "1 removed" in r.output
    assert documents(Store(index)) == []
    assert run("ingest", "--remove", "report1", "--rebuild", "--index", str(index)).exit_code == 2
