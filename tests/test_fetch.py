"""`sgsearch ingest URL`: fetched from a local server, sniffed, cached, cited by URL."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.fetch import fetch_urls, is_url, kind_of
from tests import docgen, officegen


@pytest.fixture
def server(tmp_path):
    """A server on 127.0.0.1 answering from ``routes``: path -> (status, headers, body)."""
    routes: dict[str, tuple[int, dict, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            status, headers, body = routes.get(self.path, (404, {}, b"not here"))
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield base, routes
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_urls_are_fetched_sniffed_and_ingested_with_their_source_url(tmp_path, server):
    from ingest.pipeline import ingest
    from search.browse import documents
    from search.index.store import Store

    base, routes = server
    pdf = docgen.write_pdf(tmp_path / "r.pdf").read_bytes()
    page = officegen.write_html(tmp_path / "p.html", title=docgen.SPEC[0][1]).read_bytes()
    routes["/reports/annual-report.pdf"] = (200, {"Content-Type": "application/octet-stream"}, pdf)
    # a web page served under a .pdf name and a wrong type: the content decides
    routes["/news/summary.pdf"] = (200, {"Content-Type": "application/pdf"}, page)
    routes["/old"] = (301, {"Location": "/reports/annual-report.pdf"}, b"")
    routes["/loop"] = (302, {"Location": "/loop"}, b"")
    urls = [f"{base}/reports/annual-report.pdf", f"{base}/news/summary.pdf", f"{base}/missing.pdf",
            f"{base}/loop", "ftp://example.org/report.pdf"]
    report = ingest(urls, tmp_path / "ix", tag=False)
    errors = {f["path"]: f["error"] for f in report.failed}
    assert errors == {
        f"{base}/missing.pdf": "the server answered HTTP 404 Not Found",
        f"{base}/loop": "too many redirects (more than 5)",
        "ftp://example.org/report.pdf": "only http and https URLs can be ingested, not ftp:",
    }
    assert len(report.added) == 2
    docs = {d["source_url"]: d for d in documents(Store(tmp_path / "ix"))}
    assert set(docs) == {f"{base}/reports/annual-report.pdf", f"{base}/news/summary.pdf"}
    assert docs[f"{base}/reports/annual-report.pdf"]["pages"] >= 3
    assert docs[f"{base}/news/summary.pdf"]["path"].endswith("summary.html")
    from search.export import citation
    from search.query import search

    hits = search(Store(tmp_path / "ix"), "graded care profile").hits
    assert {h.section["source_url"] for h in hits} == set(docs)
    assert citation("Report", "2022-23", "1", "Introduction", 2, source_url=urls[0]).endswith(f"p. 2, {urls[0]}")

    again = ingest(urls[:2], tmp_path / "ix", tag=False)
    assert again.added == [] and again.updated == [] and len(again.unchanged) == 2


def test_redirect_size_limit_and_timeouts_are_one_line(tmp_path, server, monkeypatch):
    base, routes = server
    routes["/big.pdf"] = (200, {}, b"%PDF-1.7\n" + b"0" * 3_000_000)
    routes["/old"] = (301, {"Location": "/notes.txt"}, b"")
    routes["/notes.txt"] = (200, {"Content-Type": "text/plain"}, b"1 Introduction\n\nSome words.\n")
    monkeypatch.setenv("SGSEARCH_MAX_FILE_MB", "1")
    paths, urls, failed = fetch_urls([f"{base}/big.pdf", f"{base}/old", str(tmp_path)], tmp_path / "cache")
    assert failed == [{"path": f"{base}/big.pdf",
                       "error": "the file is 3 MB, over the 1 MB limit (set SGSEARCH_MAX_FILE_MB to raise it)"}]
    assert paths[-1] == str(tmp_path) and paths[0].name == "old.txt"
    assert urls == {str(paths[0].resolve()): f"{base}/old"}


def test_kind_is_sniffed_from_the_content(tmp_path):
    assert kind_of(b"junk" * 10 + b"%PDF-1.4\n") == ".pdf"
    assert kind_of(b"<!DOCTYPE html><html><body>x</body></html>") == ".html"
    assert kind_of(b"{\\rtf1\\ansi hello}") == ".rtf"
    assert kind_of(docgen.write_docx(tmp_path / "a.docx").read_bytes()) == ".docx"
    assert kind_of(officegen.write_odt(tmp_path / "a.odt").read_bytes()) == ".odt"
    assert kind_of(b"Plain words.", "text/plain") == ".txt"
    assert is_url("https://example.org/a.pdf") and not is_url("reports/a.pdf") and not is_url("C:\\a.pdf")


def test_url_into_a_folder_that_is_not_an_index_downloads_nothing(tmp_path, server):
    from ingest.pipeline import ingest
    from search.index.store import IndexFolderError

    base, routes = server
    routes["/notes.txt"] = (200, {"Content-Type": "text/plain"}, b"1 Introduction\n\nSome words.\n")
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("not an index")
    with pytest.raises(IndexFolderError):
        ingest([f"{base}/notes.txt"], folder, tag=False)
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]


def test_a_download_that_cannot_be_saved_is_one_line_naming_where(tmp_path, server):
    """A cache folder that cannot be made, or a download that cannot be written there (a full
    disk, a folder one may not write in), fails its URL with one line, not a traceback."""
    from ingest.fetch import cache_path

    base, routes = server
    routes["/notes.txt"] = (200, {"Content-Type": "text/plain"}, b"1 Introduction\n\nSome words.\n")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    paths, urls, failed = fetch_urls([f"{base}/notes.txt"], blocked)
    assert paths == [] and urls == {} and len(failed) == 1
    assert failed[0]["error"].startswith("the download could not be saved in ") and "\n" not in failed[0]["error"]
    target = cache_path(f"{base}/notes.txt", tmp_path / "cache", ".txt")
    target.with_name(target.name + ".part").mkdir(parents=True)  # what the download is written to first
    paths, urls, failed = fetch_urls([f"{base}/notes.txt"], tmp_path / "cache")
    assert paths == [] and len(failed) == 1 and failed[0]["error"].startswith(f"the download could not be saved as {target}")
