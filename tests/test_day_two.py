"""Rough edges a practitioner hit on day two: errors that mislead, the web page's host and
origin checks, uploads, zip bombs, scans with a stamp on them, PDFs with an empty password."""
from __future__ import annotations

import asyncio
import io
import json
import re
import socket
import tracemalloc
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from ingest.blocks import IngestError
from ingest.readers import SUPPORTED_EXTS, ocr, read_path
from tests import docgen, officegen, pdfgen

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
    from starlette.testclient import TestClient

from web import create_app

LOCAL = "http://127.0.0.1:8765"
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="Tesseract OCR not installed")


def run(*args, input=None, env=None):
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def one_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture(scope="module")
def client(corpus_index):
    with TestClient(create_app(corpus_index), base_url=LOCAL) as c:
        yield c


# -- errors that mislead --------------------------------------------------------------------
def test_recur_check_of_a_missing_file_says_the_file_does_not_exist(corpus_index, tmp_path):
    missing = tmp_path / "missing.txt"
    r = run("recur", "--check", str(missing), "--index", str(corpus_index))
    assert r.exit_code == 2
    assert one_line(r.output) == f"sgsearch: {missing}: no such file"
    # a recommendation is still checked as text
    r = run("recur", "--check", "Fathers and male carers should be included in assessments", "--index",
            str(corpus_index))
    assert "no such file" not in r.output


def test_tag_of_a_missing_file_says_no_such_file(tmp_path):
    r = run("tag", str(tmp_path / "report.pdf"))
    assert r.exit_code == 2
    line = one_line(r.output)
    assert line.endswith("report.pdf: no such file") and "vanished" not in line


def test_tag_with_nothing_to_read_exits_1():
    r = run("tag", "-", input="  \n")
    assert r.exit_code == 1
    assert one_line(r.output) == "sgsearch: nothing to tag: the text piped in was empty"


def test_ingest_of_a_folder_with_no_reports_exits_1_and_makes_no_index(tmp_path):
    empty = tmp_path / "EMPTYFOLDER"
    empty.mkdir()
    ix = tmp_path / "ix"
    r = CliRunner().invoke(main, ["ingest", str(empty), "--index", str(ix)])
    assert r.exit_code == 1
    line = one_line(r.output)
    assert line.startswith(f"sgsearch: no reports found in {empty}") and "nothing was added" in line
    assert "PDF, DOCX, ODT, RTF, DOC, HTML, TXT or MD" in line
    assert not (ix / "CURRENT").exists()


def test_skip_message_lists_every_format_read(tmp_path):
    from ingest.readers import FORMATS, format_names

    assert format_names() == "PDF, DOCX, ODT, RTF, DOC, HTML, TXT or MD"
    assert {e for _, exts in FORMATS for e in exts} == SUPPORTED_EXTS  # one list
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("1 Introduction\n\nThe partnership met four times in the year.\n")
    (folder / "figures.xlsx").write_text("x")
    r = CliRunner().invoke(main, ["ingest", str(folder), "--index", str(tmp_path / "ix")])
    assert r.exit_code == 0
    assert "does not read (use PDF, DOCX, ODT, RTF, DOC, HTML, TXT or MD):" in r.stdout
    with pytest.raises(IngestError, match=r"use \.pdf, \.docx, \.odt, \.rtf, \.doc, \.html, \.txt or \.md"):
        read_path(folder / "figures.xlsx")


def test_a_misspelt_theme_gets_did_you_mean_as_a_type_does(corpus_index):
    from search.query import QueryError, resolve_theme_filter

    with pytest.raises(QueryError, match="did you mean neglect"):
        resolve_theme_filter("negelct")
    r = CliRunner().invoke(main, ["neglect", "--theme", "negelct", "--index", str(corpus_index)])
    assert r.exit_code == 2
    line = one_line(r.output)
    assert "did you mean neglect?" in line and "'sgsearch themes --list'" in line
    r = CliRunner().invoke(main, ["recur", "--theme", "Domestic abuze", "--index", str(corpus_index)])
    assert r.exit_code == 2 and "did you mean domestic abuse?" in r.output.lower()
    typed = CliRunner().invoke(main, ["neglect", "--type", "reveiw", "--index", str(corpus_index)])
    assert "did you mean review?" in typed.output


def test_recur_check_of_an_encrypted_pdf_does_not_advise_ingesting(corpus_index, tmp_path):
    locked = docgen.write_encrypted_pdf(tmp_path / "locked.pdf")
    r = run("recur", "--check", str(locked), "--index", str(corpus_index))
    assert r.exit_code == 1
    line = one_line(r.output)
    assert "encrypted PDF" in line and "ingest" not in line and "password" in line


def test_serve_on_a_port_in_use_says_so_in_one_line(corpus_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = CliRunner().invoke(main, ["serve", "--port", str(port), "--index", str(corpus_index)])
    assert r.exit_code == 1
    line = one_line(r.output)
    assert f"port {port} is in use" in line and "serving" not in r.output and "errno" not in line.lower()


def test_web_errors_name_the_field_and_the_command_line_its_option(client, corpus_index):
    r = client.get("/", params={"q": "neglect", "year": "banana"})
    assert r.status_code == 400
    assert "Year &#39;banana&#39; is not a year" in r.text and "--" not in _notice(r.text)
    r = client.get("/export", params={"q": "neglect", "from": "banana", "fmt": "md"},
                   headers={"accept": "application/json"})
    assert r.status_code == 400 and r.json()["error"].startswith("From year 'banana' is not a year")
    r = client.get("/recur", params={"theme": "negelct"})
    assert r.status_code == 400 and "did you mean neglect?" in r.text and "--list" not in r.text
    r = client.get("/export", params={"fmt": "md"}, headers={"accept": "application/json"})
    assert r.status_code == 400 and "--" not in r.json()["error"]
    cli = CliRunner().invoke(main, ["neglect", "--year", "banana", "--index", str(corpus_index)])
    assert one_line(cli.output).startswith("sgsearch: --year 'banana' is not a year")
    cli = CliRunner().invoke(main, ["export", "neglect", "--from", "banana", "-o", "x.md", "--index",
                                    str(corpus_index)])
    assert one_line(cli.output).startswith("sgsearch: --from 'banana' is not a year")


def _notice(html: str) -> str:
    return re.search(r'<p class="notice"[^>]*>(.*?)</p>', html, re.S).group(1)


def _three_reports(folder: Path) -> Path:
    folder.mkdir()
    for n in range(3):
        (folder / f"r{n}.txt").write_text(f"1 Introduction\n\nThe partnership met {n + 2} times in the year.\n")
    return folder


@pytest.mark.parametrize("problem", ["missing", "not-utf8"])
def test_a_bad_metadata_file_is_said_once_up_front(tmp_path, problem):
    from ingest.pipeline import ingest

    rules = tmp_path / "rules.toml"
    if problem == "not-utf8":
        rules.write_bytes(b'[furniture]\nlines = ["\xff\xfe caf\xe9"]\n')
    folder = _three_reports(tmp_path / "in")
    env = {"SGSEARCH_METADATA": str(rules)}
    r = CliRunner().invoke(main, ["ingest", str(folder), "--index", str(tmp_path / "ix")], env=env)
    assert r.exit_code == 1
    line = one_line(r.output)
    assert line.startswith("sgsearch: SGSEARCH_METADATA: ") and str(rules) in line
    assert ("not UTF-8" if problem == "not-utf8" else "No such file") in line
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SGSEARCH_METADATA", str(rules))
        with pytest.raises(IngestError, match="SGSEARCH_METADATA"):
            ingest([folder], tmp_path / "ix2", tag=False)


@pytest.mark.parametrize("problem", ["missing", "no tabs"])
def test_a_bad_gazetteer_is_said_once_up_front_not_as_every_file_failing(tmp_path, problem):
    """``SGSEARCH_PLACES`` naming a file that is missing or not shaped as the gazetteer is the
    user's setting at fault: one line naming it, not each report failing "could not be parsed"."""
    from ingest.pipeline import ingest

    places = tmp_path / "areas.tsv"
    if problem == "no tabs":
        places.write_text("Northshire with no tabs at all\n", encoding="utf-8")
    folder = _three_reports(tmp_path / "in")
    r = CliRunner().invoke(main, ["ingest", str(folder), "--index", str(tmp_path / "ix")],
                           env={"SGSEARCH_PLACES": str(places)})
    assert r.exit_code == 1
    line = one_line(r.output)
    assert line.startswith("sgsearch: SGSEARCH_PLACES: ") and str(places) in line
    assert ("No such file" if problem == "missing" else "line 1") in line
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SGSEARCH_PLACES", str(places))
        with pytest.raises(IngestError, match="SGSEARCH_PLACES"):
            ingest([folder], tmp_path / "ix2", tag=False)


@pytest.mark.parametrize("value", ["-5", "abc", "0", "nan"])
def test_max_file_mb_must_be_a_positive_number(tmp_path, value, monkeypatch):
    folder = _three_reports(tmp_path / "in")
    r = CliRunner().invoke(main, ["ingest", str(folder), "--index", str(tmp_path / "ix")],
                           env={"SGSEARCH_MAX_FILE_MB": value})
    assert r.exit_code == 1
    assert one_line(r.output) == (f"sgsearch: SGSEARCH_MAX_FILE_MB={value!r} is not a size: give a positive "
                                  "number of megabytes, e.g. SGSEARCH_MAX_FILE_MB=100")
    monkeypatch.setenv("SGSEARCH_MAX_FILE_MB", value)
    with pytest.raises(IngestError, match="SGSEARCH_MAX_FILE_MB"):
        read_path(folder / "r0.txt")


def test_a_thesaurus_that_is_not_utf8_is_one_line(tmp_path):
    bad = tmp_path / "terms.toml"
    bad.write_bytes(b'[abbreviations]\nFGC = "famille caf\xe9"\n')
    folder = _three_reports(tmp_path / "in")
    r = run("ingest", str(folder), "--thesaurus", str(bad), "--index", str(tmp_path / "ix"))
    assert r.exit_code == 1
    assert one_line(r.output) == f"sgsearch: {bad}: not UTF-8 text: save it as UTF-8"


@pytest.mark.parametrize("url", ["http://[::1", "http://example.org:99999/report.pdf"])
def test_a_malformed_url_is_one_line(tmp_path, url):
    r = CliRunner().invoke(main, ["ingest", url, "--index", str(tmp_path / "ix")], catch_exceptions=False)
    assert r.exit_code == 1
    assert f"sgsearch: {url}: not a valid http(s) URL" in r.stderr and "Traceback" not in r.output


# -- the web page: host, origin, export, uploads --------------------------------------------
def test_only_the_bound_hosts_names_reach_the_page(corpus_index):
    from web.app import host_names

    app = create_app(corpus_index)
    for base in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"):
        with TestClient(app, base_url=base) as c:
            assert c.get("/docs").status_code == 200, base
    with TestClient(app, base_url="http://rebound.attacker.example:8765") as c:
        r = c.get("/docs", headers={"accept": "application/json"})
        assert r.status_code == 400 and "reports" not in r.text.lower()
        assert c.get("/ingest").status_code == 400  # nor the CSRF token on the form
    assert "192.168.1.5" in host_names("192.168.1.5") and "[fe80::1]" in host_names("fe80::1")
    assert set(host_names("127.0.0.1")) == {"127.0.0.1", "localhost", "[::1]"}
    lan = create_app(corpus_index, hosts=host_names("192.168.1.5"))
    with TestClient(lan, base_url="http://192.168.1.5:8765") as c:
        assert c.get("/docs").status_code == 200


def test_a_post_from_a_foreign_origin_is_refused(corpus_index, tmp_path):
    import shutil

    root = tmp_path / "index"
    shutil.copytree(corpus_index, root)
    with TestClient(create_app(root), base_url=LOCAL) as c:
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/ingest").text).group(1)
        files = {"files": ("a.txt", b"1 Introduction\n\nText.\n", "text/plain")}
        r = c.post("/ingest", data={"csrf": token}, files=files, headers={"origin": "http://evil.example"})
        assert r.status_code == 403 and one_line(r.text) == "Refused: the form was sent from another site."
        r = c.post("/recur/check", data={"csrf": token}, headers={"origin": "null"})
        assert r.status_code == 403
        r = c.post("/recur/check", data={"csrf": token}, headers={"origin": LOCAL})
        assert r.status_code == 400  # the same site gets as far as "choose a file"
    assert not (root / "uploads").exists()


def test_export_with_no_match_is_a_4xx_line_not_a_500(client):
    r = client.get("/export", params={"q": "zzqxv wombatish", "fmt": "md"})
    assert r.status_code == 404 and "No sections match, so there is no briefing to download." in r.text
    r = client.get("/export", params={"q": "zzqxv wombatish", "fmt": "docx"}, headers={"accept": "application/json"})
    assert r.status_code == 404 and one_line(r.json()["error"]).startswith("No sections match")


def _asgi_post(app, path: str, chunks, headers: list[tuple[bytes, bytes]]):
    """POST ``chunks`` to ``app`` as a chunked upload (no content-length); the status, and how many
    chunks the server took before it answered."""
    taken = 0
    sent: list[dict] = []
    pending = list(chunks)

    async def receive():
        nonlocal taken
        if not pending:
            return {"type": "http.request", "body": b"", "more_body": False}
        taken += 1
        return {"type": "http.request", "body": pending.pop(0), "more_body": bool(pending)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": [(b"host", b"127.0.0.1:8765"), *headers],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8765)}
    asyncio.run(app(scope, receive, send))
    return next(m["status"] for m in sent if m["type"] == "http.response.start"), taken


def test_a_chunked_upload_is_refused_while_it_streams_in(corpus_index, tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("SGSEARCH_MAX_FILE_MB", "0.05")  # 50 KB a file
    root = tmp_path / "index"
    shutil.copytree(corpus_index, root)
    app = create_app(root)
    boundary = b"sgsearchboundary"
    head = (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="recs.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n")
    chunk = b"Fathers should be seen.\n" * 400  # 9,600 bytes
    chunks = [head] + [chunk] * 600  # 5.8 MB in all, sent with no length declared
    ctype = [(b"content-type", b"multipart/form-data; boundary=" + boundary)]
    # the check takes one file and a few fields (1 MB); Add reports 20 files: about 1 MB here
    for path in ("/recur/check", "/ingest"):
        status, taken = _asgi_post(app, path, chunks, ctype)
        assert status == 413, path
        assert taken * len(chunk) < 1.2 * 1048576, f"{path}: {taken} of {len(chunks)} chunks read before the refusal"
    assert not (root / "uploads").exists() or not any(p.is_file() for p in (root / "uploads").rglob("*"))


def test_refused_and_failed_uploads_leave_nothing_in_uploads(corpus_index, tmp_path):
    import shutil

    root = tmp_path / "index"
    shutil.copytree(corpus_index, root)
    app = create_app(root)

    def upload(c, files):
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/ingest").text).group(1)
        r = c.post("/ingest", data={"csrf": token}, files=files, headers={"accept": "application/json"})
        assert r.status_code == 202
        app.state.site.job.wait(120)
        state = c.get("/ingest", headers={"accept": "application/json"}).json()["job"]
        assert not state["running"]
        return {f["path"] for f in state["refused"]}

    def left():
        return sorted(p.name for p in (root / "uploads").rglob("*") if p.is_file())

    with TestClient(app, base_url=LOCAL) as c:
        refused = upload(c, [("files", ("good.txt", b"1 Introduction\n\nThe partnership met four times.\n", "text/plain")),
                             ("files", ("bad.pdf", b"not a pdf at all", "application/pdf")),
                             ("files", ("tool.exe", b"MZ", "application/octet-stream"))])
        assert refused == {"bad.pdf", "tool.exe"}
        assert left() == ["good.txt"]
        # a batch whose every file fails leaves no folder behind either
        assert upload(c, [("files", ("worse.pdf", b"%PDF-1.4 junk", "application/pdf"))]) == {"worse.pdf"}
        assert left() == ["good.txt"] and len(list((root / "uploads").iterdir())) == 1


# -- zip bombs ------------------------------------------------------------------------------
def _real(tmp_path: Path, ext: str) -> Path:
    return docgen.write_docx(tmp_path / "real.docx") if ext == "docx" else officegen.write_odt(tmp_path / "real.odt")


@pytest.mark.parametrize("ext,member", [("docx", "word/document.xml"), ("odt", "content.xml")])
def test_a_forged_size_header_is_refused_with_memory_bounded(tmp_path, ext, member):
    bomb = officegen.write_zip_bomb(tmp_path / f"forged.{ext}", member, 60, _real(tmp_path, ext), forged=1000)
    assert bomb.stat().st_size < 1024 * 1024  # it inflates to 60 MB, and says 1,000 bytes
    tracemalloc.start()
    try:
        with pytest.raises(IngestError) as info:
            read_path(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "more than its size header says" in one_line(str(info.value))
    assert peak < 16 * 1024 * 1024, f"{peak / 1048576:.0f} MB held while refusing a 60 MB bomb"


def test_an_odt_that_unzips_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SGSEARCH_MAX_UNZIPPED_MB", "20")
    bomb = officegen.write_zip_bomb(tmp_path / "big.odt", "content.xml", 30, _real(tmp_path, "odt"))
    with pytest.raises(IngestError, match=r"OpenDocument package would unzip to 30 MB, over the 20 MB limit"):
        read_path(bomb)
    assert read_path(_real(tmp_path, "odt")).blocks  # a real one still reads


def test_the_package_check_counts_inflated_bytes_not_headers(tmp_path):
    from ingest.readers.zipped import check_package

    honest = officegen.write_zip_bomb(tmp_path / "a.docx", "word/document.xml", 3)
    check_package(honest, "Word", limit=4 * 1048576)
    lying = officegen.write_zip_bomb(tmp_path / "b.docx", "word/document.xml", 3, forged=2 * 1048576)
    with pytest.raises(IngestError, match="more than its size header says"):
        check_package(lying, "Word", limit=4 * 1048576)  # the headers add up to 2 MB: under the limit


# -- scans with a text-layer page number or stamp -------------------------------------------
def write_page_with_logo(path: Path) -> Path:
    """A page of real text with a small picture in its corner."""
    from fpdf import FPDF
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (200, 200), 120).save(buf, format="PNG")
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    pdf.image(buf, x=170, y=10, w=25, h=25)
    pdf.set_font("Helvetica", size=11)
    for n in range(25):
        pdf.text(20, 50 + 9 * n, "The partnership audited neglect cases and found chronologies out of date.")
    pdf.output(str(path))
    return path


def test_which_pages_auto_ocr_reads(tmp_path):
    from ingest.readers.pdf import scan_pages

    assert scan_pages(pdfgen.write_stamped_scan(tmp_path / "stamped.pdf")) == [1]
    assert scan_pages(pdfgen.write_stamped_scan(tmp_path / "header.pdf", "Somerset Safeguarding Children Partnership "
                                                                  "Annual Report 2020-21")) == [1]
    assert scan_pages(pdfgen.write_stamped_scan(tmp_path / "bare.pdf", None)) == [1]
    assert scan_pages(write_page_with_logo(tmp_path / "logo.pdf")) == []
    plain = docgen.write_pdf(tmp_path / "plain.pdf", [("h1", "1 Findings"), ("p", "Neglect was common.")])
    assert scan_pages(plain) == []
    assert ocr.is_scan(0.0, 0.0) and ocr.is_scan(0.001, 0.98)
    assert not ocr.is_scan(0.001, 0.2) and not ocr.is_scan(0.3, 1.0)  # a small picture; an OCR'd scan's text layer


def test_a_stamped_scan_goes_to_ocr_under_auto(tmp_path, monkeypatch):
    from ingest.readers.pdf_text import Piece

    def fake_ocr(page, height):
        words = []
        for n, text in enumerate(["Findings", "from", "the", "scan"]):
            p = Piece(72 + 60 * n, height - 100, height - 88, 12, False, True, n, 0)
            p.x1 = p.x0 + 50
            p.chars = list(text)
            p.sizes[12] = len(text)
            words.append(p)
        return words

    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "page_pieces", fake_ocr)
    result = read_path(pdfgen.write_stamped_scan(tmp_path / "stamped.pdf"))
    assert result.ocr_pages == [1]
    assert "Findings from the scan" in " ".join(b.text for b in result.blocks)
    assert read_path(write_page_with_logo(tmp_path / "logo.pdf")).ocr_pages == []


@needs_tesseract
def test_a_stamped_scan_is_read_by_tesseract(tmp_path):
    result = read_path(pdfgen.write_stamped_scan(tmp_path / "stamped.pdf"))
    assert result.ocr_pages == [1]
    assert "audited neglect cases" in " ".join(b.text for b in result.blocks)


# -- PDFs with an empty user password -------------------------------------------------------
def write_aes256(path: Path, user_password: str = "", break_perms: bool = False) -> Path:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 10, "Neglect was the most common reason for a child protection plan.")
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password,
                       encryption_method=EncryptionMethod.AES_256)
    pdf.output(str(path))
    if break_perms:  # a producer's /Perms that does not verify: other readers ignore it
        data = path.read_bytes()
        at = data.index(b"/Perms <") + len(b"/Perms <")
        path.write_bytes(data[:at] + b"00000000" + data[at + 8:])
    return path


@pytest.mark.parametrize("break_perms", [False, True])
def test_an_aes256_pdf_with_an_empty_user_password_opens(tmp_path, break_perms):
    path = write_aes256(tmp_path / "aes.pdf", break_perms=break_perms)
    text = " ".join(b.text for b in read_path(path).blocks)
    assert "Neglect was the most common reason" in text


def test_an_aes256_pdf_that_needs_a_password_is_still_refused(tmp_path):
    path = write_aes256(tmp_path / "locked.pdf", user_password="user-secret", break_perms=True)
    with pytest.raises(IngestError, match="encrypted PDF"):
        read_path(path)


def test_ingest_json_still_prints_for_an_empty_folder(tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    r = CliRunner().invoke(main, ["ingest", str(empty), "--json", "--index", str(tmp_path / "ix")])
    assert r.exit_code == 1 and json.loads(r.stdout)["added"] == []


def test_a_pdf_of_only_page_numbers_does_not_say_ocr_is_off(tmp_path):
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    for n in (1, 2):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.text(100, 290, f"Page {n}")
    path = tmp_path / "numbers.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError) as info:
        read_path(path)
    assert str(info.value) == "no text to read: the pages hold only page numbers, headers or footers"
