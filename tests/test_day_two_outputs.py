"""Day two, outputs and Windows: one citation format, briefings and tables that say what
they hold, UTF-8 output, replacing files a reader holds open, reserved file names."""
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
    from search.index.store import Store
    from search.query import search

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
    from search.index.store import IndexBusy, Store
    from search.query import search

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


def test_a_temporary_file_a_reader_still_holds_does_not_fail_the_request(tmp_path, monkeypatch, store):
    import tempfile
    import threading
    from types import SimpleNamespace

    from web.routes import _read_upload

    real = os.unlink

    def unlink(path, *a, **kw):  # Windows: a virus scanner or indexer still has the file open
        if str(path).endswith("recs.txt"):
            raise PermissionError(13, "The process cannot access the file", str(path))
        return real(path, *a, **kw)

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(os, "unlink", unlink)
    site = SimpleNamespace(store=store, lock=threading.Lock(), reader=None)  # a text file needs no reading process
    texts, own = _read_upload(site, "recs.txt",
                              b"Fathers should be included in assessments.\nSchools should record attendance.\n")
    assert own == []  # not an indexed document
    assert texts == ["Fathers should be included in assessments.", "Schools should record attendance."]


EMBEDDED = "Somerset Safeguarding Children Board Annual Report 2016/17 (2016-17), in Health and Wellbeing Board agenda pack"


def _web(corpus_index):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from web.server import create_app

    return TestClient(create_app(corpus_index), base_url="http://127.0.0.1:8765")  # a name the page accepts


def test_a_report_in_a_board_pack_is_cited_by_its_own_title_everywhere(corpus_index, store, tmp_path):
    from html import unescape

    from click.testing import CliRunner

    from cli import main
    from search.recur import CHECK_MIN_SCORE, DEFAULT_THRESHOLD, recur, summary, verdict
    from search.report import write_appendix
    from usecases import check_texts

    ix = ["--index", str(corpus_index)]
    shown = CliRunner().invoke(main, ["show", "hwbb-2018-01-18:159", *ix]).output
    assert " ".join(shown.split()).startswith(EMBEDDED)
    found = CliRunner().invoke(main, ["voice of the father", "--year", "2016-17", *ix]).output
    assert EMBEDDED in " ".join(found.split())

    checks = check_texts(store, ["The voice of the father should always be heard"])
    assert any(m["year"] == "2016-17" for m in checks[0]["matches"])
    for c in checks:
        c.setdefault("verdict", verdict(c))
    for fmt in ("md", "csv", "docx"):
        path = write_appendix(checks, summary(checks), tmp_path / f"appendix.{fmt}", threshold=DEFAULT_THRESHOLD,
                              min_score=CHECK_MIN_SCORE)
        if fmt == "docx":
            text = _docx_text(path)
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
    assert f"(a section counts once). {said}" in md  # two sentences, not run together
    assert f"no document that year). {said}" in text
    few = build_briefing(store, themes=["neglect", "pre-birth"])  # themes asked for: nothing cut
    assert few["table"]["themes_left_out"] == 0
    assert "Only the" not in _docx_text(export(store, tmp_path / "two.docx", themes=["neglect", "pre-birth"]))


def test_embedded_report_counts_once_in_all_years_and_is_reachable(store, corpus_index, tmp_path):
    from html import unescape

    from openpyxl import load_workbook

    from search.browse import documents, year_span
    from search.table import full_table, to_rows, write_xlsx

    table = full_table(store)
    assert table["documents_per_year"]["2016-17"] == 1 and table["documents_per_year"]["2017-18"] == 1
    write_xlsx(table, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx").active
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "Documents that year" and last[-1] == len(documents(store)) == 5
    assert to_rows(full_table(store, 2016, 2016))[-1][-1] == 1

    assert year_span(store) == ["2016-17", "2024-25"]
    pack = next(d for d in documents(store) if d["doc_id"] == "hwbb-2018-01-18")
    part = next(p for p in pack["parts"] if p["year"] == "2016-17")
    assert part["section_id"].startswith("hwbb-2018-01-18:")
    with _web(corpus_index) as web:
        home = unescape(web.get("/").text)
        assert "5 reports indexed, 2016-17 to 2024-25." in " ".join(home.split())
        listing = web.get("/docs").text
        assert f'href="/section/{part["section_id"]}"' in listing
        first = web.get("/section/" + part["section_id"], headers={"accept": "application/json"}).json()
        assert first["part_title"] == part["title"] and first["year"] == "2016-17"


def test_rates_on_few_sections_are_marked_and_all_is_counted_like_the_years(store, corpus_index):
    from click.testing import CliRunner

    from cli import main
    from search.table import FEW_SECTIONS, full_table, to_rows, to_text

    per100 = full_table(store, per="100")
    few = per100["few_sections"]
    assert few and all(per100["sections"][y] < FEW_SECTIONS for y in few)
    assert "2016-17" not in few  # 98 sections
    every = sum(v for v in per100["sections"].values() if v)
    neglect = next(t for t in per100["themes"] if t["id"] == "neglect")
    assert neglect["all"] == round(100 * neglect["total"] / every, 1)  # a rate, as the year cells are
    text = to_text(per100, 100)
    marked = [line for line in text.splitlines() if "*" in line and not line.startswith("*")]
    assert marked and f"* Fewer than {FEW_SECTIONS} sections that year" in text
    assert "all: per 100 sections of every year" in " ".join(text.split())
    assert to_rows(per100)[0][-1] == "All years per 100 sections"
    perdoc = full_table(store, per="doc")
    assert next(t for t in perdoc["themes"] if t["id"] == "neglect")["all"] <= perdoc["documents"] == 5
    raw = full_table(store)
    assert raw["few_sections"] == [] and next(t for t in raw["themes"] if t["id"] == "neglect")["all"] == neglect["total"]
    out = CliRunner().invoke(main, ["themes", "--per", "100", "--index", str(corpus_index)]).output
    assert "* Fewer than" in out
    with _web(corpus_index) as web:
        page = " ".join(web.get("/themes?show=per100").text.split())
        assert f"Fewer than {FEW_SECTIONS} sections that year" in page and "All years, per 100" in page
        assert "Fewer than" not in web.get("/themes").text


def test_a_page_number_on_a_headings_line_is_not_its_section_number(tmp_path):
    from ingest.readers.pdf import read_pdf
    from tests.pdfgen import write_lines

    body = "The partnership reviewed the neglect strategy with schools and health visitors this year."
    heads = ["Neglect strategy", "Safer Partnership Annual Report", "Early help offer", "Training"]
    pages = []
    for n, head in enumerate(heads, start=1):
        printed = n + 11  # the pack's pages are numbered on from earlier papers
        top = f"{printed}\t{head}" if n != 2 else f"{printed} {head}"  # set apart, or run in
        lines = [("B", 14, top, 70)] + [("", 10, body, 100 + 14 * k) for k in range(20)]
        if n != 2:  # page 2 shows its number only beside the heading
            lines.append(("", 9, f"Page {printed} of 20", 800))
        pages.append(lines)
    pages.append([("B", 14, "3 Findings", 70)] + [("", 10, body, 100 + 14 * k) for k in range(5)])
    headings = [(b.number, b.text) for b in read_pdf(write_lines(tmp_path / "pack.pdf", pages)).blocks
                if b.kind == "heading"]
    assert headings == [(None, h) for h in heads] + [("3", "Findings")]


def _fragments(store, queries):
    from search.query import plain, search

    for q in queries:
        for h in search(store, q, limit=10).hits:
            text = " ".join((h.section.get("text") or "").split())
            for frag in plain(h.snippet).split(" … "):
                frag = frag.strip(" …")
                if frag:
                    yield q, frag, text


def test_snippets_cut_between_words_and_open_on_a_sentence(store):
    queries = ["neglect", "key priorities", "fathers", "domestic abuse", "pre-birth", "training", "audit",
               "early help", "voice of the child", "exploitation"]
    opens = total = 0
    for q, frag, text in _fragments(store, queries):
        at = text.find(frag)
        assert at >= 0, (q, frag)
        end = at + len(frag)
        assert at == 0 or text[at - 1] == " ", (q, text[max(0, at - 20):at + 20])
        assert end == len(text) or text[end] == " ", (q, text[end - 20:end + 20])
        total += 1
        before = text[:at].rstrip()
        opens += at == 0 or before[-1:] in ".!?:;•·" or frag[:1] in "•·"
    assert total > 50 and opens >= 0.7 * total, (opens, total)


def test_a_snippet_starts_its_sentence_and_ends_at_a_word():
    from search.index.analysis import text_analyzer
    from search.query import plain
    from search.snippets import highlight

    text = ("The board met four times in the year and agreed its plan. Partners said that the "
            "neglect strategy had been refreshed with help from schools, health visitors and the "
            "police, and that training on it reached many practitioners across the county in the "
            "spring and the summer. Attendance was good.")
    terms = [t.text for t in text_analyzer()("neglect", mode="query")]
    snippet, _ = highlight(text, terms)
    got = plain(snippet)
    assert got.startswith("Partners said that the neglect strategy") and text.find(got) >= 0
    end = text.find(got) + len(got)
    assert end == len(text) or text[end] == " "


def test_trace_charts_keep_empty_years_mark_no_report_and_say_what_they_count(corpus_index, tmp_path, monkeypatch):
    from click.testing import CliRunner

    import search.report.chart
    from cli import main
    from search.report.chart import NO_REPORT, chart_title
    from web import routes

    seen = []
    real = search.report.chart.plot_trace

    def spy(data, path, all_years=None, indexed=None):
        seen.append((all_years, indexed, chart_title(data)))
        return real(data, path, all_years, indexed)

    monkeypatch.setattr(search.report.chart, "plot_trace", spy)
    monkeypatch.setattr(routes, "plot_trace", spy)  # the web page imports it by name
    svg = tmp_path / "chart.svg"
    r = CliRunner().invoke(main, ["trace", "male carers", "--plot", str(svg), "--index", str(corpus_index)])
    assert r.exit_code == 0, r.output
    with _web(corpus_index) as web:
        web_svg = web.get("/trace.svg", params={"q": "male carers"}).text
        page = web.get("/trace", params={"q": "male carers"}).text
    (cli_years, cli_indexed, title), (web_years, web_indexed, _) = seen
    assert cli_years == web_years and cli_indexed == web_indexed
    assert "2018-19" in cli_years and "2018-19" not in cli_indexed  # kept, and known to have no report
    assert title == "Sections mentioning \u201cmale carers\u201d or tagged Fathers and male carers, by year"
    for text in (svg.read_text(encoding="utf-8"), web_svg):
        assert ">2018-19<" in text and NO_REPORT.split()[0] in text and "or tagged Fathers and male carers" in text
    assert "Bar chart: Sections mentioning" in page
    assert chart_title({"query": "neglect", "theme": "neglect", "tagged": ["Neglect"]}) == "Sections tagged Neglect, by year"
    assert chart_title({"query": "zebrafinch", "theme": None, "tagged": []}) == "Sections mentioning \u201czebrafinch\u201d, by year"


def test_a_misspelt_word_among_others_is_searched_as_corrected(store, corpus_index):
    from click.testing import CliRunner

    from cli import main
    from search.query import search

    typo, right = search(store, "domestc abuse"), search(store, "domestic abuse")
    assert typo.searched == typo.did_you_mean == "domestic abuse" and typo.query == "domestc abuse"
    assert typo.total == right.total
    assert [h.section["section_id"] for h in typo.hits] == [h.section["section_id"] for h in right.hits]
    assert right.searched is None
    out = CliRunner().invoke(main, ["domestc", "abuse", "--index", str(corpus_index)]).output
    assert 'Did you mean "domestic abuse"?' in out and "any of them" not in out
    js = CliRunner().invoke(main, ["domestc", "abuse", "--json", "--index", str(corpus_index)]).output
    assert json.loads(js)["searched"] == "domestic abuse"


def test_job_titles_and_committee_names_are_not_theme_evidence():
    from ingest.themes import get_tagger, load_names

    tagger = get_tagger()

    def themes(text):
        return {t.id: t.evidence for t in tagger.tag(text)}

    assert themes("The Associate Director of Nursing and Mental Health presented the report "
                  "to the Quality Assurance Committee.") == {}
    assert themes("Apologies: the Head of Early Help; the Domestic Abuse Lead for the Partnership.") == {}
    # the same words about the work itself still count, in the same text too
    got = themes("The Mental Health Committee heard that parental mental health was a factor, and "
                 "the quality assurance framework was audited.")
    assert "parental-mental-health" in got and "audit-quality-assurance" in got
    assert "domestic-abuse" in themes("The Director of Children's Services said Domestic Abuse notifications rose.")
    assert "neglect" in themes("Neglect was a concern for the head of the household.")
    names = load_names()
    assert names.search("Chair of the Neglect Subgroup") is not None  # "Chair of …" is a role
    assert names.search("Director of Children's Services\nNeglect").group(0) == "Director of Children's Services"
