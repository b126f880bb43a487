"""The web page in a real browser: headless Chromium (Debian's package) driven by Playwright
against uvicorn on 127.0.0.1. Screenshots at 1280 and 390 px wide go to ``tmp/artefacts``
(or ``$SGSEARCH_ARTEFACTS``). Skipped only when Chromium or Playwright is not installed
(CI installs both)."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.docgen import SPEC, write_docx

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTEFACTS = Path(os.environ.get("SGSEARCH_ARTEFACTS") or Path(__file__).resolve().parent.parent / "tmp" / "artefacts")

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not Path(CHROMIUM).exists():  # pragma: no cover
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(corpus_index, tmp_path_factory):
    """uvicorn serving a copy of the corpus index in a thread; yields its base URL."""
    import uvicorn

    from web import create_app

    root = tmp_path_factory.mktemp("browser-index") / "index"
    shutil.copytree(corpus_index, root)
    app = create_app(root)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.errors = errors
    yield pg
    ctx.close()


def _shoot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    tall = page.evaluate("document.documentElement.scrollHeight") > 2500  # long pages: the first screen
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=not tall)


def _overflow(page) -> int:
    """How far the page is wider than the window (0 when nothing overflows)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_search_facet_and_section(page, server):
    page.goto(server + "/")
    page.fill("#q", "pre-birth")
    page.press("#q", "Enter")
    page.wait_for_selector(".hit")
    assert "q=pre-birth" in page.url  # the URL holds the query
    years = page.locator(".hit .year").all_inner_texts()
    assert "2016-17" in years and "2024-25" in page.locator(".facets").inner_text()
    assert page.locator(".hit mark").count() > 0
    _shoot(page, "search-1280")
    page.locator('a[data-facet="year"]', has_text="2020-21").click()
    page.wait_for_url("**year=2020-21**")
    assert set(page.locator(".hit .year").all_inner_texts()) == {"2020-21"}
    page.locator(".hit h2 a").first.click()
    page.wait_for_url("**/section/**")
    assert page.locator("h1").inner_text()
    assert page.locator(".section-body").inner_text().strip()
    _shoot(page, "section-1280")
    assert page.errors == []  # no CSP violation or script error


def test_many_matches_fetch_their_counts_after_the_hits(page, server, monkeypatch):
    monkeypatch.setattr("web.routes.INLINE_FACETS", 10)
    page.goto(server + "/?q=training")
    page.wait_for_selector(".hit")
    year = page.locator('a[data-facet="year"]').first
    year.wait_for()  # fetched by the page's script, in place of the link to the counts
    assert page.locator("[data-facets]").count() == 0
    label = year.locator("span").first.inner_text()
    _shoot(page, "search-counts-after-1280")
    year.click()
    page.wait_for_url(f"**year={label}**")
    assert set(page.locator(".hit .year").all_inner_texts()) == {label}
    assert page.errors == []  # the fetch is allowed by the page's own policy


def test_themes_cell_lists_its_passages(page, server):
    page.goto(server + "/themes")
    cell = page.locator("table.heat td a").first
    want = int(cell.get_attribute("title").split(": ")[1].split()[0])
    cell.click()
    page.wait_for_selector("#passages")
    assert page.locator("#passages .hit").count() == min(want, 200)
    _shoot(page, "themes-1280")
    assert page.errors == []


def test_trace_shows_the_chart(page, server):
    page.goto(server + "/trace?q=neglect")
    img = page.locator(".chart img")
    img.wait_for()
    page.wait_for_function("document.querySelector('.chart img').naturalWidth > 0")
    assert page.locator(".year-block blockquote").count() > 0
    _shoot(page, "trace-1280")


def test_recur_check_a_pasted_recommendation_and_a_file(page, server, tmp_path):
    page.goto(server + "/recur")
    assert page.locator(".group").count() > 0
    first = page.locator(".group li").first.inner_text()
    text = first.split(" — ")[0].split(maxsplit=2)[-1]
    page.fill("#check", text)
    page.click(".check button")
    page.wait_for_selector(".matches")
    assert page.locator(".matches .hit").count() > 0
    assert "alike" in page.locator(".matches .hit").first.inner_text()
    _shoot(page, "recur-1280")
    recs = tmp_path / "new-review.txt"
    recs.write_text("1. Fathers and male carers should be included in assessments.\n"
                    "2. Buy ergonomic office chairs for the meeting room\n", encoding="utf-8")
    page.goto(server + "/recur")
    page.set_input_files("#checkfile", str(recs))
    page.click(".check-file button")
    page.wait_for_selector(".checks")
    assert page.locator(".checks h2").inner_text() == "new-review.txt: 1 of 2 recommendations was made before."
    items = page.locator(".checked-item")
    assert items.count() == 2
    assert "Made before" in items.nth(0).inner_text() and items.nth(0).locator(".hit .cite a").count() > 0
    assert "Not made before" in items.nth(1).inner_text()
    _shoot(page, "recur-check-1280")
    with page.expect_download() as download:
        page.click('.checks button[value="docx"]')
    assert download.value.suggested_filename == "checked-new-review.docx"
    page.set_viewport_size({"width": 390, "height": 844})
    assert _overflow(page) == 0
    _shoot(page, "recur-check-390")
    assert page.errors == []


def test_upload_a_docx_and_see_it_listed(page, server, tmp_path):
    docx = write_docx(tmp_path / "browser-upload.docx", SPEC)
    page.goto(server + "/ingest")
    page.set_input_files("#files", str(docx))
    page.click(".upload button")
    page.wait_for_selector("text=Done", timeout=60_000)  # the page refreshes itself while ingesting
    assert "1 added" in page.locator(".job").inner_text()
    assert page.locator("table.list", has_text="Safeguarding Children Partnership Annual Report 2022-23").count() == 1
    _shoot(page, "ingest-1280")


def test_nothing_overflows_on_a_phone(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = ctx.new_page()
    wide = []
    for path in ("/?q=pre-birth", "/themes", "/recur", "/trace?q=neglect", "/docs", "/ingest", "/section/nope"):
        page.goto(server + path)
        if _overflow(page) > 0:
            wide.append(f"{path} by {_overflow(page)} px")
        _shoot(page, (path.strip("/").split("?")[0].replace("/", "-") or "search") + "-390")
    ctx.close()
    assert wide == [], "wider than a 390 px screen: " + ", ".join(wide)


# Words a cell's text wraps inside (a word whose letters lie on more than one line).
_BROKEN_WORDS = """sel => {
  const out = [];
  for (const cell of document.querySelectorAll(sel)) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""


def test_tables_charts_and_the_heat_map_read_on_a_phone(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = ctx.new_page()
    for path in ("/docs", "/ingest", "/themes"):
        page.goto(server + path)
        assert page.evaluate(_BROKEN_WORDS, "table th, table td") == [], path
        assert _overflow(page) == 0, path
    page.goto(server + "/themes")
    hint = page.locator(".scroll-hint")
    wrap = page.locator(".table-wrap")
    assert hint.is_visible() and "sideways" in hint.inner_text()
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the years do scroll
    page.goto(server + "/trace?q=neglect")
    page.wait_for_function("document.querySelector('.chart img').naturalWidth > 0")
    img = page.locator(".chart img")
    assert img.evaluate("e => e.getBoundingClientRect().width") >= 600  # its words stay legible
    assert page.locator(".chart .scroll-hint").is_visible() and _overflow(page) == 0
    _shoot(page, "trace-chart-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not page.locator(".chart .scroll-hint").is_visible()
    ctx.close()
