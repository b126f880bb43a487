"""Outputs and Windows: one citation format, briefings and tables that say what they hold,
UTF-8 output, replacing files a reader holds open, reserved file names."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """sgsearch in a child process, its output redirected (not a terminal)."""
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, **kw)


def test_redirected_output_is_utf8_whatever_the_console_encoding(corpus_index, tmp_path):
    cp1252 = {"PYTHONIOENCODING": "cp1252"}
    r = _cli("łódź ▶ neglect", "--json", "--index", str(corpus_index), env=cp1252)
    assert r.returncode in (0, 1), r.stderr.decode("utf-8", "replace")
    assert json.loads(r.stdout.decode("utf-8"))["query"] == "łódź ▶ neglect"
    missing = tmp_path / "łódź ▶"
    r = _cli("docs", "--index", str(missing), env=cp1252)
    assert r.returncode == 1
    err = r.stderr.decode("utf-8")
    assert "Traceback" not in err and f"no index at {missing}" in err


def _flaky_replace(monkeypatch, fails: int | None, onto: str = "CURRENT"):
    """os.replace raising PermissionError (a reader holds the file, as on Windows) the first
    ``fails`` times a file named ``onto`` is replaced (always when ``fails`` is None)."""
    real, seen = os.replace, []

    def replace(src, dst, *a, **kw):
        if Path(dst).name == onto:
            seen.append(dst)
            if fails is None or len(seen) <= fails:
                raise PermissionError(13, "The process cannot access the file", str(dst))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr("time.sleep", lambda s: None)
    return seen


def _two_reports(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Annual report 2020-21\n\n1 Neglect\n\nA neglect strategy was agreed.\n", encoding="utf-8")
    (src / "b.txt").write_text("Annual report 2021-22\n\n1 Early help\n\nThe zebrafinch panel met.\n", encoding="utf-8")
    return src


def test_current_and_manifests_are_replaced_after_a_reader_lets_go(tmp_path, monkeypatch):
    from ingest.pipeline import ingest
    from search.query import search
    from search.store import Store

    src, ix = _two_reports(tmp_path), tmp_path / "ix"
    ingest([src / "a.txt"], ix, tag=False)
    first = Store(ix).current_dir().name
    seen = _flaky_replace(monkeypatch, 1)
    ingest([src], ix, tag=False, rebuild=True)  # a new generation: CURRENT is replaced
    assert len(seen) == 2
    store = Store(ix)
    assert store.current_dir().name != first and search(store, "zebrafinch").total == 1
    seen = _flaky_replace(monkeypatch, 1, onto="files.json")
    (src / "c.txt").write_text("Annual report 2022-23\n\n1 Audit\n\nThe kestrel audit.\n", encoding="utf-8")
    ingest([src], ix, tag=False)  # into the live generation: its manifest is replaced
    assert len(seen) == 2 and len(Store(ix).manifest()) == 3
    store.close()


def test_a_current_held_open_for_good_leaves_the_previous_index_whole(tmp_path, monkeypatch):
    from ingest.pipeline import ingest
    from search.query import search
    from search.store import IndexBusy, Store

    src, ix = _two_reports(tmp_path), tmp_path / "ix"
    ingest([src / "a.txt"], ix, tag=False)
    live = Store(ix).current_dir()
    _flaky_replace(monkeypatch, None)
    try:
        ingest([src], ix, tag=False, rebuild=True)
        raise AssertionError("the rebuild should have failed")
    except IndexBusy as e:
        assert "CURRENT" in str(e) and "not changed" in str(e)
    monkeypatch.undo()
    store = Store(ix)
    assert store.current_dir() == live and [p.name for p in ix.glob("ix-*")] == [live.name]
    assert search(store, "neglect strategy").total == 1 and search(store, "zebrafinch").total == 0
    store.close()


def test_reserved_windows_names_are_made_safe():
    from ingest.fetch import cache_path
    from ingest.filenames import safe_file_name
    from web.jobs import safe_name

    for name in ("CON", "con.pdf", "NUL.txt", "aux.tar.gz", "COM1.docx", "lpt9.md", "PRN .pdf", "Com\u00b9.pdf"):
        got = safe_name(name)
        assert got.startswith("_") and got[1:].lower().startswith(name[:3].lower()), (name, got)
    for fine in ("console.pdf", "nullity.txt", "COM10.pdf", "report-con.pdf", "auxiliary.md"):
        assert safe_name(fine) == fine
    assert safe_name("..\\..\\x\\NUL.pdf") == "_NUL.pdf" and safe_file_name(" . ") == "upload"
    assert cache_path("https://example.org/docs/CON.pdf", Path("f"), ".pdf").name == "_CON.pdf"
    assert cache_path("https://example.org/lpt1", Path("f"), ".html").name == "_lpt1.html"


def test_an_old_download_held_open_is_left_and_the_new_one_kept(tmp_path, monkeypatch):
    import httpx

    from ingest.fetch import cache_path, fetch

    url = "https://example.org/report"
    old = cache_path(url, tmp_path, ".txt")
    old.parent.mkdir(parents=True)
    old.write_text("the old copy", encoding="utf-8")
    real_unlink = Path.unlink

    def unlink(self, *a, **kw):
        if self == old:
            raise PermissionError(13, "The process cannot access the file", str(self))
        return real_unlink(self, *a, **kw)

    monkeypatch.setattr(Path, "unlink", unlink)
    page = b"<!doctype html><html><body><h1>Annual report 2022-23</h1></body></html>"
    http = httpx.Client(transport=httpx.MockTransport(lambda req: httpx.Response(200, content=page)))
    got = fetch(url, tmp_path, http)
    assert got.suffix == ".html" and got.read_bytes() == page and old.exists()


def test_libreoffice_is_found_where_its_installer_puts_it(tmp_path, monkeypatch):
    import shutil

    from ingest.readers import doc

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(doc, "install_places", lambda: [tmp_path / "nowhere" / "soffice"])
    assert doc.soffice() is None
    program = tmp_path / "Program Files" / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.exe").write_bytes(b"")
    monkeypatch.undo()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    assert doc.soffice() == str(program / "soffice.exe")
    assert Path("/Applications/LibreOffice.app/Contents/MacOS/soffice") in doc.install_places()


def test_a_temporary_file_a_reader_still_holds_does_not_fail_the_request(tmp_path, monkeypatch):
    import tempfile

    from web.routes import _read_upload

    real = os.unlink

    def unlink(path, *a, **kw):  # Windows: a virus scanner or indexer still has the file open
        if str(path).endswith("recs.txt"):
            raise PermissionError(13, "The process cannot access the file", str(path))
        return real(path, *a, **kw)

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(os, "unlink", unlink)
    texts = _read_upload("recs.txt", b"Fathers should be included in assessments.\nSchools should record attendance.\n")
    assert texts == ["Fathers should be included in assessments.", "Schools should record attendance."]


EMBEDDED = "Somerset Safeguarding Children Board Annual Report 2016/17 (2016-17), in Health and Wellbeing Board agenda pack"


def _web(corpus_index):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from web.app import create_app

    return TestClient(create_app(corpus_index))


def test_a_report_in_a_board_pack_is_cited_by_its_own_title_everywhere(corpus_index, store, tmp_path):
    from html import unescape

    from click.testing import CliRunner

    from cli import main
    from ingest.checklist import check_texts
    from search.export import export_checks
    from search.recur import recur

    ix = ["--index", str(corpus_index)]
    shown = CliRunner().invoke(main, ["show", "hwbb-2018-01-18:159", *ix]).output
    assert " ".join(shown.split()).startswith(EMBEDDED)
    found = CliRunner().invoke(main, ["voice of the father", "--year", "2016-17", *ix]).output
    assert EMBEDDED in " ".join(found.split())

    checks = check_texts(store, ["The voice of the father should always be heard"])
    assert any(m["year"] == "2016-17" for m in checks[0]["matches"])
    for fmt in ("md", "csv", "docx"):
        path = export_checks(checks, tmp_path / f"appendix.{fmt}")
        if fmt == "docx":
            from docx import Document

            text = "\n".join(p.text for p in Document(str(path)).paragraphs)
        else:
            text = path.read_text(encoding="utf-8-sig").replace("\\", "")
        assert EMBEDDED in text, fmt

    with _web(corpus_index) as web:
        page = unescape(web.get("/trace", params={"q": "voice of the father"}).text)
        assert EMBEDDED in page
        groups = recur(store, min_years=2)
        assert any(it["doc_id"] == "hwbb-2018-01-18" for c in groups for it in c["items"])
        page = unescape(web.get("/recur").text)
        assert EMBEDDED in page and "Health and Wellbeing Board agenda pack, 18 January 2018, §" not in page.replace(EMBEDDED, "")


def _docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_word_briefing_says_generated_once_no_local_path_and_when_themes_are_cut(store, tmp_path):
    from search.export import TABLE_THEMES, build_briefing, export

    text = _docx_text(export(store, tmp_path / "neglect.docx", query="neglect"))
    assert text.count("Generated ") == 1
    assert str(store.root) not in text and str(store.root.parent) not in text
    b = build_briefing(store, "neglect")
    assert len(b["table"]["rows"]) == TABLE_THEMES and b["table"]["themes_left_out"] > 0
    left = b["table"]["themes_left_out"]
    said = f"Only the {TABLE_THEMES} themes with the most sections are shown; {left} other tagged theme"
    assert said in text
    md = export(store, tmp_path / "neglect.md", query="neglect").read_text(encoding="utf-8")
    assert said in md and md.count("Generated ") == 1
    few = build_briefing(store, themes=["neglect", "pre-birth"])  # themes asked for: nothing cut
    assert few["table"]["themes_left_out"] == 0
    assert "Only the" not in _docx_text(export(store, tmp_path / "two.docx", themes=["neglect", "pre-birth"]))
