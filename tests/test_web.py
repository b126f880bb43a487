"""The web page (``sgsearch serve``): every page in HTML and JSON, error pages, escaping,
CSRF, path traversal, upload limits, read-only; served by Starlette's TestClient over the
bundled corpus (the index shared by the session; uploads go to a copy of it)."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
from markupsafe import escape as html_escape

from search.browse import document, documents, section
from search.cite import section_citation
from search.errors import SgsearchError
from search.index.store import Store
from search.query import search
from search.recur import CHECK_MIN_SCORE, DEFAULT_THRESHOLD, recur
from search.table import full_table
from search.trace import theme_table, trace
from tests.docgen import SPEC, write_docx, write_pdf
from tests.test_pdf_tables import _write as write_table_pdf

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
    from starlette.testclient import TestClient

from web import create_app
from web.app import CSP

ROOT = Path(__file__).resolve().parent.parent

LOCAL = "http://127.0.0.1:8765"  # the server's own address: the Host header it accepts


@pytest.fixture(scope="module")
def client(corpus_index):
    with TestClient(create_app(corpus_index), base_url=LOCAL) as c:
        yield c


@pytest.fixture(scope="module")
def writable(corpus_index, tmp_path_factory):
    """A copy of the corpus index that uploads may change."""
    root = tmp_path_factory.mktemp("web-index") / "index"
    shutil.copytree(corpus_index, root)
    return root


@pytest.fixture(scope="module")
def wclient(writable):
    app = create_app(writable)
    with TestClient(app, base_url=LOCAL) as c:
        c.site = app.state.site
        yield c


def _json(client, url, **kw):
    r = client.get(url, headers={"accept": "application/json"}, **kw)
    assert r.headers["content-type"].startswith("application/json"), url
    return r


def _csrf(client, url="/ingest") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).text).group(1)


# -- search ---------------------------------------------------------------------------------
def test_search_page_lists_cited_results(client, store):
    r = client.get("/", params={"q": "pre-birth"})
    assert r.status_code == 200
    res = search(store, "pre-birth", limit=10)
    first = res.hits[0].section
    assert f'href="/section/{first["section_id"]}"' in r.text
    assert "<mark>" in r.text  # matched words highlighted
    for year in ("2016-17", "2024-25"):
        assert year in r.text
    assert 'value="pre-birth"' in r.text  # the box keeps the query
    assert "Download a briefing" in r.text


def test_search_json_is_the_cli_shape_with_facets(client, store):
    data = _json(client, "/?q=pre-birth").json()
    want = search(store, "pre-birth", limit=10).to_json()
    assert data["query"] == want["query"] and data["total"] == want["total"]
    assert [h["section_id"] for h in data["results"]] == [h["section_id"] for h in want["results"]]
    for key in ("rank", "score", "title", "snippet", "section_id", "doc_id", "heading", "year", "page"):
        assert key in data["results"][0]
    years = {f["value"]: f["count"] for f in data["facets"]["year"]}
    assert sum(years.values()) == want["total"]
    assert list(years) == sorted(years)
    assert client.get("/?q=pre-birth&format=json").json()["total"] == want["total"]


def test_year_facet_filters_and_counts_agree(client):
    data = _json(client, "/?q=pre-birth").json()
    facet = data["facets"]["year"][0]
    filtered = _json(client, "/", params={"q": "pre-birth", "year": facet["value"]}).json()
    assert filtered["total"] == facet["count"]
    assert {h["year"] for h in filtered["results"]} == {facet["value"]}
    html = client.get("/", params={"q": "pre-birth"}).text
    assert f"year={facet['value']}" in html


def test_theme_and_type_facets_filter(client):
    data = _json(client, "/?q=training").json()
    theme = data["facets"]["theme"][0]
    got = _json(client, "/", params={"q": "training", "theme": theme["value"]}).json()
    assert got["total"] == theme["count"]
    assert all(theme["value"] in h["themes"] for h in got["results"])
    dtype = data["facets"]["doc_type"][0]
    got = _json(client, "/", params={"q": "training", "type": dtype["value"]}).json()
    assert got["total"] == dtype["count"] and {h["doc_type"] for h in got["results"]} == {dtype["value"]}


def test_many_matches_show_the_hits_at_once_and_their_counts_after(client, monkeypatch):
    monkeypatch.setattr("web.routes.INLINE_FACETS", 10)
    html = client.get("/", params={"q": "training", "year": "2016-17", "sort": "year"}).text
    assert 'class="hit"' in html and 'data-facet="year"' not in html  # no counts in the page itself
    assert '<script src="/static/facets.js" defer></script>' in html
    url = html_escape("/facets?q=training&year=2016-17&sort=year")
    assert f'data-facets="{url}&amp;fragment=1"' in html and f'href="{url}"' in html  # works without scripts
    page = _json(client, "/", params={"q": "training", "year": "2016-17"}).json()
    counts = _json(client, "/facets", params={"q": "training", "year": "2016-17"}).json()
    assert counts == {"query": "training", "total": page["total"], "facets": page["facets"]}
    part = client.get("/facets", params={"q": "training", "year": "2016-17", "sort": "year", "fragment": "1"}).text
    assert "<html" not in part and "fragment" not in part
    theme = counts["facets"]["theme"][0]
    assert f'href="{html_escape("/?q=training&year=2016-17&sort=year&theme=" + theme["value"])}"' in part
    assert f'<span class="count">{theme["count"]}</span>' in part
    full = client.get("/facets", params={"q": "training", "year": "2016-17"}).text
    assert "<html" in full and 'data-facet="theme"' in full and f"{page['total']} sections match" in full
    assert "Within: 2016-17." in full  # the filters the counts are within
    assert client.get("/facets").status_code == 404
    assert client.get("/facets", params={"q": "the"}).status_code == 400
    assert client.get("/static/facets.js").status_code == 200


def test_few_matches_count_with_the_hits(client):
    html = client.get("/", params={"q": "pre-birth"}).text
    assert 'data-facet="year"' in html and "data-facets" not in html and "facets.js" not in html


def test_paging_and_sort_by_year(client):
    one = _json(client, "/?q=training&page=1").json()
    two = _json(client, "/?q=training&page=2").json()
    assert one["pages"] > 1 and len(one["results"]) == 10
    assert not {h["section_id"] for h in one["results"]} & {h["section_id"] for h in two["results"]}
    assert two["results"][0]["rank"] == 11
    every = {h["section_id"] for p in range(1, one["pages"] + 1)
             for h in _json(client, f"/?q=training&page={p}").json()["results"]}
    assert len(every) == one["total"]  # each matching section on exactly one page
    html = client.get("/?q=training").text
    assert "page=2" in html and "Next" in html
    by_year = _json(client, "/?q=training&sort=year").json()["results"]
    starts = [h["year_start"] for h in by_year]
    assert starts == sorted(starts, reverse=True)


def test_did_you_mean(client):
    r = client.get("/", params={"q": "safegaurding"})
    assert r.status_code == 200
    assert "No sections match" in r.text and "Did you mean" in r.text
    assert "q=safeguarding" in r.text


def test_a_corrected_query_says_what_was_searched(client):
    r = client.get("/", params={"q": "domestc abuse"})
    assert r.status_code == 200
    assert "Showing results for" in r.text and "q=domestic+abuse" in r.text
    assert "a word of “domestc abuse” is in no section" in r.text
    plain = client.get("/", params={"q": "domestic abuse"}).text
    assert "Showing results for" not in plain


def test_search_hits_carry_the_one_citation_format(client, store):
    html = client.get("/", params={"q": "pre-birth"}).text
    for h in search(store, "pre-birth", limit=10).hits:
        assert str(html_escape(section_citation(h.section, h.title, h.page))) in html


def test_home_page_without_query(client):
    r = client.get("/")
    assert r.status_code == 200 and "reports indexed" in r.text


def test_bad_filter_is_a_400_page_not_a_traceback(client):
    r = client.get("/", params={"q": "neglect", "year": "soon"})
    assert r.status_code == 400 and "is not a year" in r.text and "Traceback" not in r.text


# -- documents and sections -----------------------------------------------------------------
def test_section_page(client, store):
    sid = search(store, "pre-birth", limit=1).hits[0].section["section_id"]
    want = section(store, sid)
    r = client.get(f"/section/{sid}")
    assert r.status_code == 200
    for part in want["heading_path"][:-1] + [want["heading"]]:
        assert str(part).replace("&", "&amp;") in r.text
    assert _json(client, f"/section/{sid}").json() == want


def test_section_page_shows_items_with_status_and_theme_evidence(client, store):
    sid = next(s["section_id"] for d in documents(store) for s in document(store, d["doc_id"])["sections"]
               if any(i.get("status") for i in section(store, s["section_id"])["items"]))
    s = section(store, sid)
    html = client.get(f"/section/{sid}").text
    assert next(i["status"] for i in s["items"] if i.get("status")) in html
    tagged = next(x for x in (section(store, h.section["section_id"]) for h in search(store, "neglect", limit=5).hits)
                  if x["theme_evidence"])
    html = client.get(f"/section/{tagged['section_id']}").text
    tid, ev = next(iter(tagged["theme_evidence"].items()))
    assert "because it says" in html and ev["evidence"][0] in html


def test_doc_page_outline_and_original(client, store):
    d = documents(store)[0]
    r = client.get(f"/doc/{d['doc_id']}")
    assert r.status_code == 200
    outline = document(store, d["doc_id"])["sections"]
    assert all(f"/section/{s['section_id']}" in r.text for s in outline)
    assert _json(client, f"/doc/{d['doc_id']}").json()["sections"] == outline
    orig = client.get(f"/doc/{d['doc_id']}/original")
    assert orig.status_code == 200
    with open(d["path"], "rb") as fh:
        assert orig.content == fh.read()
    assert orig.headers["content-type"].startswith("text/plain")


def test_docs_page(client, store):
    data = _json(client, "/docs").json()
    assert data == {"documents": documents(store)}
    html = client.get("/docs").text
    assert all(f"/doc/{d['doc_id']}" in html for d in data["documents"])


@pytest.mark.parametrize("url", ["/section/nope:1", "/doc/nope", "/doc/nope/original", "/no/such/page",
                                 "/themes?theme=nope"])
def test_unknown_ids_are_404_pages(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "Not found" in r.text and "Traceback" not in r.text
    j = _json(client, url)
    assert j.status_code == 404 and "error" in j.json()


@pytest.mark.parametrize("url", ["/doc/..%2F..%2Fetc%2Fpasswd/original", "/doc/%2Fetc%2Fpasswd/original",
                                 "/static/..%2F..%2Fsearch%2Findex.py", "/static/../app.py",
                                 "/doc/../../etc/passwd", "/section/..%2Fetc%2Fpasswd"])
def test_path_traversal_reaches_no_file(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "root:" not in r.text and "import" not in r.text


# -- themes, trace, recur, export -----------------------------------------------------------
def test_themes_heat_map_and_cell(client, store):
    table = theme_table(store)
    assert _json(client, "/themes").json() == full_table(store)  # the shape `sgsearch themes --json` prints
    html = client.get("/themes").text
    for y in table["years"]:
        assert f">{y}</th>" in html  # every year is a column
    assert 'title="No report indexed for 2018-19">2018-19</th>' in html  # years with no report too
    row = max(table["themes"], key=lambda t: t["total"])
    year = max(table["years"], key=lambda y: row["counts"][y])
    assert f"theme={row['id']}&amp;year={year}" in html
    cse = next(t for t in table["themes"] if t["id"] == "child-sexual-exploitation")
    for t in (row, cse):  # CSE: its label "Child sexual exploitation (CSE)" is not in every tagged section
        y = max(table["years"], key=lambda y: t["counts"][y])
        cell = _json(client, "/themes", params={"theme": t["id"], "year": y}).json()["passages"]
        assert cell["total"] == t["counts"][y]  # the cell lists exactly the passages it counts
        assert all(t["id"] in h["themes"] and h["year"] == y for h in cell["results"])
    assert 'action="/export"' in html and 'name="fmt" value="docx"' in html  # a briefing on any theme
    per100 = client.get("/themes?show=per100").text
    assert "per 100 sections" in per100 and "<strong>per 100" in per100
    # its JSON holds the rates the table shows, the command line's own
    rates = _json(client, "/themes", params={"show": "per100"}).json()["rates"]
    cli = full_table(store, per="100")
    for t in cli["themes"]:
        if t["total"]:
            assert {y: v for y, v in t["counts"].items() if y in table["years"]} == rates[t["id"]], t["id"]


def test_trace_page_and_chart(client, store):
    want = trace(store, "neglect", examples=3)
    assert _json(client, "/trace?q=neglect").json() == want
    html = client.get("/trace?q=neglect").text
    assert 'src="/trace.svg?q=neglect"' in html
    assert want["first_seen"] in html and want["years"][0]["examples"][0]["section_id"] in html
    svg = client.get("/trace.svg?q=neglect")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content[:500]
    assert client.get("/trace").status_code == 200
    if want["theme"]:  # a theme's year links to that theme's passages, not to the word
        assert f"/themes?theme={want['theme']}&amp;year={want['years'][0]['year']}" in html


def _cli_json(corpus_index, *args):
    from click.testing import CliRunner

    import cli

    r = CliRunner().invoke(cli.main, [*args, "--json", "--index", str(corpus_index)])
    return json.loads(r.stdout)


def test_recur_groups_and_check(client, store, corpus_index):
    data = _json(client, "/recur").json()
    assert data == _cli_json(corpus_index, "recur")  # the command's shape, citations included
    assert [[i["item_id"] for i in c["items"]] for c in data["clusters"]] == [
        [i["item_id"] for i in c["items"]] for c in recur(store)]
    html = client.get("/recur").text
    assert data["clusters"][0]["items"][0]["section_id"] in html
    text = data["clusters"][0]["items"][0]["text"]
    got = _json(client, "/recur", params={"check": text}).json()
    assert got == _cli_json(corpus_index, "recur", "--check", text)
    assert got["text"] == text and got["matches"]
    assert got["matches"][0]["item_id"] == data["clusters"][0]["items"][0]["item_id"]
    page = client.get("/recur", params={"check": text}).text
    assert str(html_escape(got["matches"][0]["citation"])) in page
    assert got["verdict"] == "made before" and '<p class="verdict made">Made before.</p>' in page  # the CLI's words
    kind = _json(client, "/recur?kind=recommendation").json()["clusters"]
    assert all(it["kind"] == "recommendation" for c in kind for it in c["items"])


def test_a_check_never_tags_nor_loads_spacy_in_the_server(corpus_index):
    """Checking on the page never loads spaCy nor the tagger in the server process (a check
    reads its themes from the taxonomy's phrases), so the index lock every page takes is
    never held while anything is tagged."""
    code = """
        import sys
        from starlette.testclient import TestClient
        from web import create_app

        app = create_app(sys.argv[1])
        with TestClient(app, base_url="http://127.0.0.1:8765") as client:
            r = client.get("/recur", params={"check": "Fathers and male carers should be included in assessments",
                                             "format": "json"})
            assert r.status_code == 200 and r.json()["matches"], r.text
            r = client.get("/recur", params={"check": "Multi-agency chronologies should be completed",
                                             "format": "json"})
            assert r.status_code == 200, r.text
        loaded = {m for m in sys.modules if m.split(".")[0] in ("spacy", "pdfplumber")
                  or m in ("ingest.tagworker", "ingest.themes")}
        assert not loaded, sorted(loaded)  # neither the tagger nor a PDF reader ran here
    """
    subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(corpus_index)], cwd=ROOT, check=True)


def test_adding_and_checking_pdfs_load_no_reader_or_spacy_in_the_server(corpus_index, tmp_path):
    """Adding a PDF report and checking a PDF of recommendations on the page read and tag in
    worker processes: neither the PDF readers nor spaCy are ever imported in the server process,
    the progress and the report still reach the page, and the check is answered."""
    index = tmp_path / "index"
    shutil.copytree(corpus_index, index)
    pdf = write_table_pdf(tmp_path / "added-report.pdf")  # a ruled table: pdfplumber reads it
    code = """
        import json, re, sys
        from starlette.testclient import TestClient
        from web import create_app

        app = create_app(sys.argv[1])
        pdf = open(sys.argv[2], "rb").read()
        site = app.state.site
        steps = []
        progress = site.job._progress
        site.job._progress = lambda *step: steps.append(step[0]) or progress(*step)
        with TestClient(app, base_url="http://127.0.0.1:8765") as client:
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/ingest").text).group(1)
            added = client.post("/ingest", data={"csrf": token}, headers={"accept": "application/json"},
                                files={"files": ("added-report.pdf", pdf, "application/pdf")})
            site.job.wait(120)
            checked = client.post("/recur/check", data={"csrf": token}, headers={"accept": "application/json"},
                                  files={"file": ("review.pdf", pdf, "application/pdf")})
            broken = client.post("/recur/check", data={"csrf": token}, headers={"accept": "application/json"},
                                 files={"file": ("broken.pdf", b"%PDF-1.4 not really", "application/pdf")})
        print(json.dumps({"added": added.status_code, "job": site.job.snapshot(), "steps": sorted(set(steps)),
                          "checked": checked.status_code, "check": checked.json(), "broken": broken.json(),
                          "loaded": [m for m in ("pdfplumber", "pdfminer", "pypdfium2", "spacy", "thinc")
                                     if m in sys.modules]}))
    """
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(index), str(pdf)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["loaded"] == []
    assert got["added"] == 202 and got["job"]["error"] is None, got["job"]
    assert [Path(p).name for p in got["job"]["report"]["added"]] == ["added-report.pdf"], got["job"]
    assert "parsing" in got["steps"] and got["job"]["done"] == got["job"]["total"] > 0, got
    assert got["checked"] == 200, got["check"]
    assert any(c["text"].startswith("Partners should include fathers") for c in got["check"]["checks"])
    # the checked file is the report just added: its own items are left out
    assert [d["doc_id"] for d in got["check"]["summary"]["left_out"]] == ["added-report"], got["check"]["summary"]
    assert got["broken"]["error"].startswith("broken.pdf: cannot read it"), got["broken"]



def test_adding_in_the_ingest_process_raises_what_ingest_raises(tmp_path):
    from ingest.pipeline import ingest
    from usecases import ingest_files

    report = tmp_path / "report.txt"
    report.write_text("Annual Report 2023-24\n\n1 Introduction\n\nThe partnership met.\n", encoding="utf-8")
    not_a_folder = tmp_path / "index"
    not_a_folder.write_text("x", encoding="utf-8")
    with pytest.raises(SgsearchError) as here:
        ingest([report], not_a_folder)
    with pytest.raises(SgsearchError) as there:
        ingest_files([report], not_a_folder)
    assert type(there.value) is type(here.value) and str(there.value) == str(here.value)
    assert str(there.value) == f"{not_a_folder} is a file, not a folder: give a folder for the index"


def test_an_ingest_process_that_dies_is_one_line_and_the_index_stays(tmp_path):
    import multiprocessing

    from ingest.pipeline import ingest
    from usecases import IngestStopped, ingest_files

    index = tmp_path / "index"
    first = tmp_path / "first.txt"
    first.write_text("Annual Report 2022-23\n\n1 Neglect\n\nNeglect training reached 300 staff.\n", encoding="utf-8")
    ingest([first], index, tag=False)
    later = tmp_path / "later"
    later.mkdir()
    for n in range(3):
        (later / f"r{n}.txt").write_text(f"Annual Report 202{n}-2{n + 1}\n\n1 Pre-birth\n\nPre-birth work.\n",
                                         encoding="utf-8")

    def kill_it(*step):  # the process dies part-way, as when the laptop ends it
        for child in multiprocessing.active_children():
            if child.name == "sgsearch-ingest":
                child.kill()

    with pytest.raises(IngestStopped) as stopped:
        ingest_files([later], index, progress=kill_it)
    assert "\n" not in str(stopped.value) and "stopped" in str(stopped.value) and "exit code" in str(stopped.value)
    store = Store(index)
    try:
        assert search(store, "neglect training").total == 1  # what was indexed before is still there
    finally:
        store.close()
    assert not ingest([later], index, tag=False).failed  # and the next ingest is not locked out
    store = Store(index)
    try:
        assert search(store, "pre-birth").total == 3 and search(store, "neglect training").total == 1
    finally:
        store.close()


RECS = ("1. Fathers and male carers should be included in assessments.\n"
        "- Record staff safeguarding training compliance on the Electronic Staff Record\n"
        "\n"
        "Buy ergonomic office <b>chairs</b> for the meeting room\n")


def _check_file(client, name="new-review.txt", body: bytes | None = None, token=None, **data):
    token = _csrf(client, "/recur") if token is None else token
    return client.post("/recur/check", data={"csrf": token, **data}, headers={"accept": "application/json"},
                       files={"file": (name, RECS.encode() if body is None else body, "application/octet-stream")})


def test_recur_check_a_file_is_the_cli_answer(client, corpus_index, tmp_path):
    recs = tmp_path / "new-review.txt"
    recs.write_text(RECS, encoding="utf-8")
    want = _cli_json(corpus_index, "recur", "--check", str(recs))
    r = _check_file(client)
    assert r.status_code == 200 and r.json() == want
    token = _csrf(client, "/recur")
    asked = client.post("/recur/check?format=json", data={"csrf": token}, files={"file": ("new-review.txt", RECS.encode())})
    assert asked.json() == want
    assert want["summary"] == {"items": 3, "made_before": 2, "similar": 0, "new": 1, "left_out": [],
                               "later_left_out": []}
    token = _csrf(client, "/recur")
    html = client.post("/recur/check", data={"csrf": token}, files={"file": ("new-review.txt", RECS.encode())}).text
    assert "new-review.txt: 2 of 3 recommendations were made before." in html
    assert html.count("Not made before") == 1 and "Shared: " in html
    m = want["checks"][1]["matches"][0]
    assert str(html_escape(m["citation"])) in html and f'href="/section/{m["section_id"]}"' in html
    assert "&lt;b&gt;chairs&lt;/b&gt;" in html and "<b>chairs" not in html  # the file's text is escaped
    assert html.count('name="text"') == 3 and 'name="fmt" value="docx"' in html  # ready to download


def test_recur_check_a_document_and_download_it(client, store, tmp_path):
    from docx import Document

    from search.report import write_appendix
    from usecases import check_review

    d = Document()
    d.add_heading("Recommendations", level=1)
    for t in ("The partnership should refresh the neglect toolkit for practitioners.",
              "Health visitors should include fathers and male carers in assessments."):
        d.add_paragraph(t, style="List Bullet")
    d.save(str(tmp_path / "review.docx"))
    got = _check_file(client, "review.docx", (tmp_path / "review.docx").read_bytes()).json()
    assert got["summary"] == {"items": 2, "made_before": 2, "similar": 0, "new": 0, "left_out": [],
                              "later_left_out": []}
    texts = [c["text"] for c in got["checks"]]
    review = check_review(store, texts)
    token = _csrf(client, "/recur")
    for fmt in ("md", "csv", "docx"):
        r = client.post("/recur/check", data={"csrf": token, "fmt": fmt, "source": "review.docx", "text": texts})
        assert r.status_code == 200 and r.headers["content-disposition"] == f'attachment; filename="checked-review.{fmt}"'
        path = write_appendix(review["checks"], review["summary"], tmp_path / f"appendix.{fmt}",
                              source="review.docx", threshold=DEFAULT_THRESHOLD,
                              min_score=CHECK_MIN_SCORE)  # what the command writes
        if fmt == "docx":
            d = Document(io.BytesIO(r.content))
            body = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells])
            assert "2 of 2 recommendations were made before." in body and texts[0] in body
        else:
            assert r.content == path.read_bytes()
    direct = client.post("/recur/check", data={"csrf": token, "fmt": "md"},
                         files={"file": ("review.docx", (tmp_path / "review.docx").read_bytes())})
    assert direct.content == (tmp_path / "appendix.md").read_bytes()  # upload and download at once


def test_recur_check_refusals_name_the_file(client, monkeypatch):
    assert _check_file(client, token="forged").status_code == 403
    r = client.post("/recur/check", files={"file": ("new-review.txt", RECS.encode())})
    assert r.status_code == 403 and "expired" in r.text
    r = _check_file(client, "tool.exe", b"MZ....")
    assert r.status_code == 415 and r.json()["error"].startswith("tool.exe: unsupported file type .exe")
    r = _check_file(client, "empty.txt", b"\n\n")
    assert r.status_code == 400 and r.json()["error"] == "empty.txt: no recommendations found (a .txt file needs one per line)"
    r = _check_file(client, "broken.docx", b"not a zip at all")
    assert r.status_code == 400 and r.json()["error"].startswith("broken.docx: cannot read it")
    page = client.post("/recur/check", data={"csrf": _csrf(client, "/recur")}, files={"file": ("broken.docx", b"x")})
    assert page.status_code == 400 and "broken.docx: cannot read it" in page.text and "Traceback" not in page.text
    assert 'id="checkfile"' in page.text  # the form is there to try again
    r = client.post("/recur/check", data={"csrf": _csrf(client, "/recur")}, headers={"accept": "application/json"})
    assert r.status_code == 400 and "Choose a file" in r.json()["error"]
    monkeypatch.setenv("SGSEARCH_MAX_FILE_MB", "0.001")  # 1 KB, the limit ingest itself uses
    r = _check_file(client, "long.txt", b"Recommendation text\n" * 200)
    assert r.status_code == 413 and r.json()["error"] == "long.txt: file is 4 KB, over the 1 KB limit"
    huge = _check_file(client, "huge.txt", b"y" * 2_000_000)  # refused before the form is read
    assert huge.status_code == 413 and "over the 1 KB limit" in huge.json()["error"]


@pytest.mark.parametrize("per", [None, "100"])
def test_themes_xlsx_is_the_cli_file(client, corpus_index, tmp_path, per):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    import cli

    r = client.get("/themes.xlsx", params={"per": per} if per else {})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert r.headers["content-disposition"].endswith('.xlsx"')
    out = tmp_path / "cli.xlsx"
    res = CliRunner().invoke(cli.main, ["themes", "--format", "xlsx", "-o", str(out), "--index", str(corpus_index)]
                             + (["--per", per] if per else []))
    assert res.exit_code == 0, res.output

    def cells(data):
        ws = load_workbook(data).active
        return ws.title, [list(row) for row in ws.iter_rows(values_only=True)]

    web, want = cells(io.BytesIO(r.content)), cells(out)
    assert web == want and len(want[1]) > 5
    page = client.get("/themes" + ("?show=per100" if per else "")).text
    assert f'href="/themes.xlsx{"?per=100" if per else ""}"' in page
    assert client.get("/themes.xlsx?per=lots").status_code == 400


@pytest.mark.parametrize("fmt,magic", [("docx", b"PK"), ("md", b"# Briefing"), ("csv", None)])
def test_export_is_the_cli_file(client, store, tmp_path, fmt, magic):
    from search.export import export

    r = client.get("/export", params={"q": "pre-birth", "fmt": fmt})
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"] and r.headers["content-disposition"].endswith(f'.{fmt}"')
    if magic:
        assert r.content.startswith(magic)
    cli_file = export(store, tmp_path / f"b.{fmt}", fmt=fmt, query="pre-birth")
    if fmt != "docx":
        assert r.content == cli_file.read_bytes()
    html = client.get("/?q=pre-birth").text
    assert "/export?q=pre-birth&amp;fmt=docx" in html


def test_export_needs_a_subject(client):
    r = client.get("/export?fmt=md")
    assert r.status_code == 400 and "nothing to export" in r.text


# -- safety ---------------------------------------------------------------------------------
def test_security_headers(client):
    r = client.get("/")
    assert r.headers["content-security-policy"] == CSP
    assert "unsafe-inline" not in CSP and "script-src 'self'" in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text  # no inline script anywhere
    for url in ("/?q=pre-birth", "/themes", "/recur", "/ingest"):
        assert not re.search(r"<script(?![^>]*\bsrc=)", client.get(url).text)
        assert " style=" not in client.get(url).text


def test_query_text_is_escaped(client):
    r = client.get("/", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text


def test_ingest_post_needs_the_csrf_token(wclient):
    files = {"files": ("a.txt", b"Annual report 2022-23\n\nSome text.", "text/plain")}
    r = wclient.post("/ingest", files=files)
    assert r.status_code == 403
    r = wclient.post("/ingest", files=files, data={"csrf": "forged"})
    assert r.status_code == 403 and not wclient.site.job.snapshot()["started"]


def test_upload_refuses_wrong_types_and_oversize(wclient, monkeypatch):
    monkeypatch.setenv("SGSEARCH_MAX_FILE_MB", "0.001")  # 1 KB, the limit ingest itself uses
    token = _csrf(wclient)
    r = wclient.post("/ingest", data={"csrf": token}, headers={"accept": "application/json"}, files=[
        ("files", ("tool.exe", b"MZ....", "application/octet-stream")),
        ("files", ("big.txt", b"x" * 5000, "text/plain")),
    ])
    assert r.status_code == 202
    wclient.site.job.wait(30)
    job = wclient.site.job.snapshot()
    refused = {f["path"]: f["error"] for f in job["refused"]}
    assert "unsupported file type .exe" in refused["tool.exe"]
    assert "limit" in refused["big.txt"]
    html = wclient.get("/ingest").text
    assert "tool.exe</strong>: unsupported file type" in html
    huge = wclient.post("/ingest", data={"csrf": token}, files={"files": ("x.txt", b"y" * 200_000, "text/plain")})
    assert huge.status_code == 413


def test_upload_ingests_in_the_background_and_escapes_document_text(wclient, tmp_path):
    docx = write_docx(tmp_path / "web-upload.docx", SPEC)
    pdf_spec = [(k, v.replace("2022-23", "2021-22") if isinstance(v, str) else v) for k, v in SPEC]
    pdf = write_pdf(tmp_path / "web-upload.pdf", pdf_spec)
    script = ("Annual Report 2023-24\n\n1 Introduction\n\nThe partnership met <script>alert('x')</script> "
              "about zebracrossing safety and <b>bold</b> claims.\n")
    before = _json(wclient, "/?q=zebracrosing").json()  # the spelling list is read once per state of the index
    assert before["total"] == 0 and before["did_you_mean"] != "zebracrossing"
    token = _csrf(wclient)
    r = wclient.post("/ingest", data={"csrf": token}, follow_redirects=False, files=[
        ("files", ("web-upload.docx", docx.read_bytes(), "application/octet-stream")),
        ("files", ("web-upload.pdf", pdf.read_bytes(), "application/pdf")),
        ("files", ("../../evil name.txt", script.encode(), "text/plain")),
    ])
    assert r.status_code == 303 and r.headers["location"] == "/ingest"
    wclient.site.job.wait(120)
    job = wclient.site.job.snapshot()
    assert job["error"] is None and len(job["report"]["added"]) == 3, job
    saved = [p for p in (wclient.site.index_dir / "uploads").rglob("*") if p.is_file()]
    assert {p.name for p in saved} == {"web-upload.docx", "web-upload.pdf", "evil name.txt"}  # no folders from names
    assert all(wclient.site.index_dir in p.parents for p in saved)
    page = wclient.get("/ingest").text
    assert "Safeguarding Children Partnership Annual Report 2022-23" in page and "3 added" in page
    assert _json(wclient, "/?q=zebracrosing").json()["did_you_mean"] == "zebracrossing"  # and read again after
    hit = _json(wclient, "/?q=zebracrossing").json()["results"][0]
    for url in ("/?q=zebracrossing", f"/section/{hit['section_id']}", f"/doc/{hit['doc_id']}"):
        html = wclient.get(url).text
        assert "<script>alert" not in html and "<b>bold" not in html, url
    assert "&lt;script&gt;alert" in wclient.get(f"/section/{hit['section_id']}").text
    orig = wclient.get(f"/doc/{hit['doc_id']}/original")
    assert orig.headers["content-type"].startswith("text/plain") and b"<script>" in orig.content
    pdf_doc = next(d for d in _json(wclient, "/docs").json()["documents"] if d["path"].endswith(".pdf"))
    sec = next(s for s in _json(wclient, f"/doc/{pdf_doc['doc_id']}").json()["sections"] if (s["page_start"] or 0) > 1)
    assert f'href="/doc/{pdf_doc["doc_id"]}/original#page={sec["page_start"]}"' in wclient.get(f"/section/{sec['section_id']}").text
    served = wclient.get(f"/doc/{pdf_doc['doc_id']}/original")
    assert served.headers["content-type"] == "application/pdf" and served.content == pdf.read_bytes()
    next(p for p in saved if p.suffix == ".txt").unlink()  # an original moved away: said so, nothing else served
    gone = wclient.get(f"/doc/{hit['doc_id']}/original")
    assert gone.status_code == 404 and "no longer where it was added from" in gone.text


def test_read_only_turns_off_add_reports(corpus_index):
    app = create_app(corpus_index, read_only=True)
    with TestClient(app, base_url=LOCAL) as c:
        token = app.state.site.csrf
        r = c.post("/ingest", data={"csrf": token}, files={"files": ("a.txt", b"text", "text/plain")})
        assert r.status_code == 403 and "read-only" in r.text
        assert 'href="/ingest"' not in c.get("/").text
        assert 'type="file"' not in c.get("/ingest").text


def test_serve_command_binds_loopback_and_warns_otherwise(monkeypatch, corpus_index):
    from click.testing import CliRunner

    import cli

    calls = []
    monkeypatch.setattr(cli, "_listen", lambda host, port: calls.append({"host": host, "port": port}) or "socket")
    monkeypatch.setattr(cli, "_run", lambda app, sock: calls[-1].update(app=app, sock=sock))
    r = CliRunner().invoke(cli.main, ["serve", "--index", str(corpus_index), "--read-only"])
    assert r.exit_code == 0, r.output
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8765
    assert "warning" not in r.output
    r = CliRunner().invoke(cli.main, ["serve", "--index", str(corpus_index), "--host", "0.0.0.0", "--port", "9000"])
    assert calls[-1]["host"] == "0.0.0.0" and calls[-1]["port"] == 9000
    assert "warning: listening on 0.0.0.0" in r.output


def test_an_unexpected_error_is_a_page_not_a_traceback(corpus_index, monkeypatch):
    def broken(store):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("web.routes.documents", broken)
    with TestClient(create_app(corpus_index), base_url=LOCAL, raise_server_exceptions=False) as c:
        r = c.get("/docs")
        assert r.status_code == 500
        assert "Something went wrong" in r.text and "secret internals" not in r.text and "Traceback" not in r.text


def test_ingest_progress_is_shown_while_running(corpus_index):
    app = create_app(corpus_index)
    job = app.state.site.job
    with TestClient(app, base_url=LOCAL) as c:
        job.state.update(running=True, started=1.0, files=["a.pdf", "b.docx"])
        job._progress("parsing", 1, 2, "/somewhere/a.pdf")
        html = c.get("/ingest").text
        assert "Reading files: 1 of 2 (a.pdf)" in html and 'http-equiv="refresh"' in html
        job._progress("tagging", 30, 120, "")
        assert "Finding themes and indexing: 30 of 120 sections" in c.get("/ingest").text
        assert c.get("/ingest?format=json").json()["job"]["phase"] == "tagging"
        job.state.update(running=False)
        assert 'http-equiv="refresh"' not in c.get("/ingest").text


def test_ingest_progress_updates_in_place_for_screen_readers(corpus_index):
    """A reload every second sends a screen reader back to the top of the page: with scripts the
    job's progress is fetched and put in place, and its end said once; the reload is the fallback."""
    app = create_app(corpus_index)
    job = app.state.site.job
    with TestClient(app, base_url=LOCAL) as c:
        job.state.update(running=True, started=1.0, files=["a.pdf"])
        html = c.get("/ingest").text
        assert '<script src="/static/job.js" defer></script>' in html
        assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', html)
        assert html.count('http-equiv="refresh"') == 1  # only without scripts
        assert 'id="job" data-running="1"' in html and 'role="status" id="job-said"' in html
        assert 'id="upload"' in html and 'id="indexed"' in html  # what the script brings up to date
        script = c.get("/static/job.js")
        assert script.status_code == 200 and 'getElementById("job")' in script.text
        job.state.update(running=False)
        html = c.get("/ingest").text
        assert 'id="job" data-running="0"' in html and "job.js" not in html
