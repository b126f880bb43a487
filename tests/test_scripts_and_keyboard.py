"""sgsearch driven by a script (every ``--json`` shape, exit status and error line) and its web
page used by keyboard and screen reader; each test pins a defect found so. The documents are
written by the tests."""
from __future__ import annotations

import io
import json
import re
import warnings
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from cli import main
from ingest.pipeline import ingest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
    from starlette.testclient import TestClient

LOCAL = "http://127.0.0.1:8765"


def _cli_json(ix, *args):
    """What ``sgsearch ARGS --json`` prints on the index ``ix``, read as a script reads it."""
    r = CliRunner().invoke(main, [*args, "--json", "--index", str(ix)])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _index(tmp_path):
    """An index of three short reports, one of them stating no publisher."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "board.txt").write_text("Exampletown Safeguarding Children Partnership\nAnnual Report 2019/20\n\n"
                                   "1 Neglect\n\nNeglect was a concern for the board in the year.\n", encoding="utf-8")
    (src / "audit.txt").write_text("Annual Report 2020/21\n\n1 Neglect audit\n\nThe audit of neglect found "
                                   "plans drifted.\n\n2 Fathers\n\nFathers were seldom seen by visitors.\n",
                                   encoding="utf-8")
    (src / "notes.txt").write_text("Practice notes\n\n1 Pre-birth\n\nPre-birth assessments began early.\n",
                                   encoding="utf-8")
    ix = tmp_path / "ix"
    report = ingest([src], ix)
    assert not report.failed and len(report.added) == 3
    return ix


def _damage(ix):
    """Write over the engine's table of contents, as a copy cut short or a disk fault leaves it."""
    live = ix / (ix / "CURRENT").read_text().strip()
    tocs = sorted(live.glob("*.toc"))
    assert tocs
    for toc in tocs:
        toc.write_bytes(b"garbage")


def test_a_damaged_index_is_one_line_naming_it_never_a_traceback(tmp_path):
    ix = _index(tmp_path)
    _damage(ix)
    for cmd in (["neglect"], ["neglect", "--json"], ["docs", "--json"], ["themes"], ["trace", "neglect"]):
        r = CliRunner().invoke(main, [*cmd, "--index", str(ix)])
        assert r.exit_code == 1, (cmd, r.output)
        assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"sgsearch: the index at {ix} is damaged"), (cmd, lines)
        assert "--rebuild" in lines[0]
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        page = c.get("/", params={"q": "neglect"})
        assert page.status_code != 500 and "is damaged" in page.text


class _Terminal(io.TextIOWrapper):
    """A terminal whose encoding is Windows-1252 (``PYTHONIOENCODING=cp1252`` at a console)."""

    def isatty(self):
        return True


def test_a_terminal_that_cannot_show_a_letter_gets_a_question_mark_not_a_traceback():
    # `sgsearch show ITEM_ID` marks the item with ▶, which Windows-1252 lacks
    from cli import utf8_output

    raw = io.BytesIO()
    term = _Terminal(raw, encoding="cp1252")
    utf8_output([term])
    term.write("▶ Ynys Môn – łódź\n")
    term.flush()
    assert raw.getvalue().decode("cp1252") == "? Ynys Môn – ?ód?\n"
    piped = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    utf8_output([piped])
    assert piped.encoding == "utf-8"  # a file or pipe is still written in UTF-8, every letter kept


def test_an_unknown_publisher_is_null_in_every_json(tmp_path):
    ix = _index(tmp_path)

    def run(*args):
        return _cli_json(ix, *args)

    listed = {d["doc_id"]: d["publisher"] for d in run("docs")["documents"]}
    assert sorted(listed.values(), key=str) == sorted(
        ["Exampletown Safeguarding Children Partnership", None, None], key=str)
    notes = next(d for d, p in listed.items() if p is None and "notes" in d)
    assert run("docs", notes)["publisher"] is None
    assert run("show", f"{notes}:1")["publisher"] is None
    assert {h["publisher"] for h in run("pre-birth")["results"]} == {None}
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        page = c.get("/docs", params={"format": "json"}).json()
        assert {d["doc_id"]: d["publisher"] for d in page["documents"]} == listed


class _Page(HTMLParser):
    """What a screen reader and a keyboard meet on a page: headings in order, each link's
    words (leaving out what is hidden from it), form controls and their labels, alerts."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}

    def __init__(self, html: str):
        super().__init__()
        self.headings, self.links, self.controls, self.labels_for, self.alerts = [], [], [], set(), []
        self.first_link = None
        self._stack: list[tuple[str, dict]] = []
        self._link = self._heading = self._alert = self._cell = None
        self.cells: list[str] = []
        self.lang = None
        self.feed(html)

    def _hidden(self):
        return any(a.get("aria-hidden") == "true" for _, a in self._stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "label" and a.get("for"):
            self.labels_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            labelled = any(t == "label" for t, _ in self._stack) or a.get("aria-label") or a.get("aria-labelledby")
            self.controls.append((tag, a.get("id"), bool(labelled)))
        if tag in self.VOID:
            return
        self._stack.append((tag, a))
        if tag == "a":
            self._link = [a.get("href"), ""]
            self.first_link = self.first_link or a.get("href")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        if a.get("role") in ("alert", "status"):
            self._alert = [a.get("role"), ""]
        if tag == "td":
            self._cell = [""]

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self._stack:
            t, a = self._stack.pop()
            if t == tag:
                break
        if tag == "a" and self._link:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None
        if tag == "td" and self._cell is not None:
            self.cells.append(" ".join(self._cell[0].split()))
            self._cell = None
        if self._alert and a.get("role") == self._alert[0] and t == tag:
            self.alerts.append(" ".join(self._alert[1].split()))
            self._alert = None

    def handle_data(self, data):
        if self._hidden():
            return
        for part in (self._link, self._heading, self._alert):
            if part is not None:
                part[1] += data
        if self._cell is not None:
            self._cell[0] += data


def _page(client, path, params=None, status=200) -> _Page:
    r = client.get(path, params=params or {})
    assert r.status_code == status, (path, params, r.status_code)
    return _Page(r.text)


def test_every_page_is_usable_by_keyboard_and_screen_reader(tmp_path):
    ix = _index(tmp_path)
    (tmp_path / "in" / "later.txt").write_text("Minutes\n\n1 Neglect\n\nNeglect was discussed.\n", encoding="utf-8")
    ingest([tmp_path / "in"], ix)  # a report stating no year
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        docs = c.get("/docs", params={"format": "json"}).json()["documents"]
        doc = next(d for d in docs if d["year"] is None)
        pages = {
            "home": _page(c, "/"),
            "results": _page(c, "/", {"q": "neglect"}),
            "filtered": _page(c, "/", {"q": "neglect", "year": "2019-20", "theme": "neglect", "type": "other"}),
            "none": _page(c, "/", {"q": "neglect", "year": "2030"}),
            "refused": _page(c, "/", {"q": "the"}, 400),
            "themes": _page(c, "/themes", {"theme": "neglect", "year": "2019-20"}),
            "trace": _page(c, "/trace", {"q": "neglect"}),
            "recur": _page(c, "/recur"),
            "docs": _page(c, "/docs"),
            "doc": _page(c, f"/doc/{doc['doc_id']}"),
            "section": _page(c, f"/section/{doc['doc_id']}:1"),
            "missing": _page(c, "/section/nothing:9", status=404),
            "ingest": _page(c, "/ingest"),
        }
        missing = c.get("/section/nothing:9").text
    for name, p in pages.items():
        assert p.lang == "en", name
        levels = [lvl for lvl, _ in p.headings]
        # one h1, first; no level skipped on the way down
        assert levels and levels[0] == 1 and levels.count(1) == 1, (name, p.headings)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, p.headings)
        assert all(text for _, text in p.headings), (name, p.headings)
        # every link says something in words, not a symbol alone; the first one skips to the content
        assert all(re.search(r"\w", text) for _, text in p.links), (name, [t for t in p.links if not re.search(r"\w", t[1])])
        assert p.first_link == "#main", name
        for tag, cid, wrapped in p.controls:
            assert wrapped or cid in p.labels_for, (name, tag, cid)
    assert pages["results"].headings[0] == (1, "Results for “neglect”")
    assert pages["none"].headings[0] == (1, "No sections match “neglect”")
    assert any("leaves none" in a or "Year" in a for a in pages["none"].alerts), pages["none"].alerts
    assert any("only common words" in a for a in pages["refused"].alerts), pages["refused"].alerts
    removes = [t for h, t in pages["filtered"].links if t.startswith("Remove the filter")]
    assert len(removes) == 3, pages["filtered"].links
    # a report stating no year says so in words, as the rest of the page does
    row = re.search(rf'<tr><td><span class="year">([^<]*)</span></td>\s*<td><a href="/doc/{doc["doc_id"]}"',
                    _docs_html(ix))
    assert row and row.group(1) == "undated"
    assert "<title>Not found · sgsearch</title>" in missing
    # the heat map's empty cells and years with no report are words for a screen reader, not dots and dashes
    body = re.search(r"(?s)<tbody>.*?</tbody>", _themes_html(ix)).group(0)
    themes = _Page(body)
    assert themes.cells and all(re.search(r"\w", cell) for cell in themes.cells), themes.cells


def _docs_html(ix) -> str:
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        return c.get("/docs").text


def _themes_html(ix) -> str:
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        return c.get("/themes").text


def test_every_refused_request_answers_json_of_one_shape(tmp_path):
    ix = _index(tmp_path)
    from web import create_app

    asks = [("/", {"q": "the"}), ("/", {"q": "neglect", "year": "banana"}), ("/trace", {"q": "the"}),
            ("/recur", {"theme": "negelct"}), ("/facets", {"q": "neglect", "year": "banana"}),
            ("/section/nothing:9", {}), ("/export", {"fmt": "pdf"}), ("/themes", {"theme": "nothing"})]
    with TestClient(create_app(ix), base_url=LOCAL) as c:
        for path, params in asks:
            r = c.get(path, params={**params, "format": "json"})
            assert r.status_code >= 400, (path, params)
            body = r.json()
            assert set(body) == {"error", "status"} and body["status"] == r.status_code, (path, params, body)
            assert isinstance(body["error"], str) and "\n" not in body["error"] and body["error"], (path, body)


@pytest.mark.parametrize("args", [["neglect", "-n", "0"], ["neglect", "--sort", "newest"], ["trace"],
                                  ["recur", "--kind", "wish"], ["export", "neglect"], ["neglect", "--bogus"],
                                  ["themes", "--per", "7"], ["docs", "a", "b"]])
def test_a_bad_option_or_value_is_one_line_on_stderr(tmp_path, args):
    r = CliRunner().invoke(main, [*args, "--index", str(tmp_path / "none")], prog_name="sgsearch")
    assert r.exit_code == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sgsearch: ") and "--help' says how to use it" in lines[0], lines


def test_web_pages_that_stop_before_the_last_match_say_so(tmp_path, monkeypatch):
    # the pages go down the best FACET_LIMIT matches (1,000); here 20 of 25, so that few sections show it
    import search.facets
    import web.routes

    monkeypatch.setattr(search.facets, "FACET_LIMIT", 20)
    monkeypatch.setattr(web.routes, "FACET_LIMIT", 20)
    src = tmp_path / "in"
    src.mkdir()
    (src / "long.txt").write_text("Annual Report 2020/21\n\n" + "".join(
        f"{n} Topic {n}\n\nNeglect case {n} was reviewed by the panel.\n\n" for n in range(1, 26)), encoding="utf-8")
    ix = tmp_path / "ix"
    ingest([src], ix)
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        first = c.get("/", params={"q": "neglect", "format": "json"}).json()
        assert first["total"] == 25 and first["pages"] == 2 and first["listed"] == 20
        seen = [h["section_id"] for p in (1, 2) for h in
                c.get("/", params={"q": "neglect", "format": "json", "page": p}).json()["results"]]
        assert len(seen) == len(set(seen)) == 20  # no section twice
        last = c.get("/", params={"q": "neglect", "page": 2}).text
        assert "These pages list the best 20 of the 25 sections" in last
        assert "best 20" not in c.get("/", params={"q": "neglect"}).text  # said once, on the last page


def test_the_web_pages_json_is_what_the_commands_print(tmp_path):
    ix = _index(tmp_path)
    (tmp_path / "in2").mkdir()
    (tmp_path / "in2" / "old.txt").write_text("Annual Report 2016/17\n\n1 Neglect\n\nNeglect rose.\n", encoding="utf-8")
    ingest([tmp_path / "in2"], ix)  # 2017-18 to 2018-19: years with no report

    def cli(*args):
        return _cli_json(ix, *args)

    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        def web(path, **params):
            return c.get(path, params={**params, "format": "json"}).json()

        themes = web("/themes")
        assert themes == cli("themes")
        assert themes["themes"][0]["counts"]["2017-18"] is None  # a year with no report, as the command says it
        assert web("/docs") == cli("docs")
        assert web("/trace", q="neglect") == cli("trace", "neglect", "--examples", "3")
        page = web("/", q="neglect")
        whole = cli("neglect", "--facets")
        assert {k: v for k, v in page.items() if k not in ("page", "pages", "listed")} == whole


def test_every_section_and_result_carries_every_field(tmp_path):
    # a field that applies to some records only was left out of the others: a script reading
    # r["matched_themes"] or s["part_title"] met a KeyError on the first record without one
    ix = _index(tmp_path)

    def cli(*args):
        return _cli_json(ix, *args)

    results = cli("neglect OR fathers", "-n", "50")["results"]
    assert len(results) == 3
    for r in results:
        assert isinstance(r["matched_themes"], list)
        assert r["part_title"] is None and r["source_url"] is None
    assert {bool(r["matched_themes"]) for r in results} == {True, False}
    doc = next(d["doc_id"] for d in cli("docs")["documents"] if "audit" in d["doc_id"])
    sections = cli("docs", doc)["sections"]
    shown = cli("show", sections[0]["section_id"])
    for s in [*sections, shown]:
        assert s["part_title"] is None and s["source_url"] is None
    assert set(sections[0]) == set(sections[1]) and set(sections[0]) <= set(shown) <= set(results[0]) | {"items", "title"}


def test_an_index_folder_that_cannot_be_made_is_one_line(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("1 Neglect\n\nNeglect was a concern.\n", encoding="utf-8")
    blocked = tmp_path / "a-file.txt"
    blocked.write_text("mine", encoding="utf-8")
    for where in (blocked / "index", blocked / "deeper" / "index"):  # a file where a folder must be made
        r = CliRunner().invoke(main, ["ingest", str(src), "--index", str(where)])
        assert r.exit_code == 1 and r.exception is None or isinstance(r.exception, SystemExit), r.output
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"sgsearch: cannot write the index at {where} (")
        assert lines[0].endswith("): give a folder you may write to with --index DIR"), lines
    assert blocked.read_text(encoding="utf-8") == "mine"


def test_a_page_of_results_does_not_take_the_focus_to_the_search_box(tmp_path):
    # a screen reader landing on results was put in the box above them, past the page's heading
    ix = _index(tmp_path)
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        assert "autofocus" in c.get("/").text  # the empty page: typing is what comes next
        for params in ({"q": "neglect"}, {"q": "neglect", "year": "2030"}, {"q": "the"}):
            assert "autofocus" not in c.get("/", params=params).text, params


def test_each_heat_map_link_is_named_by_its_theme_year_and_count(tmp_path):
    import html

    ix = _index(tmp_path)
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        counts, rates = c.get("/themes").text, c.get("/themes", params={"show": "per100"}).text
    for page, unit in ((counts, "section"), (rates, "per 100 sections")):
        body = re.search(r"(?s)<tbody>.*?</tbody>", page).group(0)
        named = 0
        for label, row in re.findall(r'(?s)<th scope="row"><a [^>]*>([^<]*)</a></th>(.*?)</tr>', body):
            for attrs, shown in re.findall(r'(?s)<td class="h\d[^"]*"><a ([^>]*)>(.*?)</a></td>', row):
                # a screen reader reads the link's name: the number alone was "3, link", no theme or year
                name = html.unescape(re.search(r'aria-label="([^"]*)"', attrs).group(1))
                number = re.sub(r"<[^>]+>", "", shown).strip().rstrip("*")  # the few-sections mark is said in words
                year = re.search(r"year=([\w-]+)", attrs).group(1)
                assert name.startswith(f"{html.unescape(label)}, {year}: {number} {unit}"), (name, label, number)
                named += 1
        assert named >= 3, body


def test_a_facet_entry_says_what_its_number_counts(tmp_path):
    ix = _index(tmp_path)
    from web import create_app

    with TestClient(create_app(ix), base_url=LOCAL) as c:
        pages = [c.get("/", params={"q": "neglect"}).text, c.get("/facets", params={"q": "neglect"}).text,
                 c.get("/facets", params={"q": "neglect", "fragment": "1"}).text]
    for page in pages:
        facet = re.findall(r'(?s)<a href="[^"]*" data-facet="\w+">(.*?)</a>', page)
        assert facet, page
        for inner in facet:
            # read aloud: "2019-20 1 section", not "2019-20 1"; the number is shown as before
            said = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
            count = re.search(r'<span class="count">(\d+)</span>', inner).group(1)
            assert said.endswith(f" {count} section{'s' if count != '1' else ''}"), said


def test_the_themes_tables_all_column_totals_its_footer_as_the_download_does(tmp_path):
    ix = _index(tmp_path)
    from web import create_app

    sections = sum(d["sections"] for d in _cli_json(ix, "docs")["documents"])
    with TestClient(create_app(ix), base_url=LOCAL) as c:
        for params in ({}, {"show": "per100"}):
            page = c.get("/themes", params=params).text
            foot = re.findall(r"(?s)<t[hd][^>]*>(.*?)</t[hd]>", re.search(r"(?s)<tfoot>.*?</tfoot>", page).group(0))
            # the "All" column's footer was empty: every section once, as the Excel download's
            assert foot[-1] == str(sections), (params, foot)


def test_json_md_says_how_a_script_tells_nothing_found_from_not_done(tmp_path):
    from pathlib import Path

    ix = _index(tmp_path)
    text = (Path(__file__).resolve().parents[1] / "docs" / "json.md").read_text(encoding="utf-8")
    bullet = re.search(r"(?s)\n- Nothing on stdout: (.*?)\n\n", text).group(1)
    # the lines that still mean "nothing found": what json.md names, up to its "…"
    found_nothing = [s.rstrip("…") for s in re.findall(r"`(sgsearch: [^`]*…)`", " ".join(bullet.split()))
                     if not s.startswith("sgsearch: no index")]
    assert len(found_nothing) == 3, bullet

    def run(*args, index=ix):
        r = CliRunner().invoke(main, [*args, "--index", str(index)])
        return r.exit_code, r.stdout, r.stderr.strip()

    # nothing found: JSON on stdout, or nothing there and one of json.md's lines on stderr
    for args in (("zebracorn", "--json"), ("trace", "zebracorn", "--json"), ("recur", "--json"),
                 ("terms", "zebracorn", "--json"), ("recur", "--check", "zebracorn quantum", "--json"),
                 ("docs", "nosuch", "--json"), ("show", "nosuch:1", "--json"), ("show", "board:9", "--json"),
                 ("export", "zebracorn", "-o", str(tmp_path / "b.json"))):
        status, out, err = run(*args)
        assert status == 1, args
        if out:
            data = json.loads(out)
            empty = {"zebracorn": data.get("total"), "trace": data.get("years"), "recur": data.get("clusters"),
                     "terms": data.get("abbreviations", 1) or data.get("synonyms", 1)}
            said = data["matches"] if "--check" in args else empty[args[0]]
            assert not err and said is not None and not said, (args, data)
        else:
            assert err.startswith(tuple(found_nothing)), (args, err)
    # could not be done: nothing on stdout, and a line json.md does not count as "nothing found"
    (tmp_path / "empty.txt").write_text("Recommendations\n", encoding="utf-8")
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    for args, index in ((("neglect", "--json"), tmp_path / "none"),
                        (("export", "neglect", "-o", str(blocked / "b.json")), ix),
                        (("recur", "--check", str(tmp_path / "empty.txt"), "--json"), ix)):
        status, out, err = run(*args, index=index)
        assert status == 1 and out == "" and err.startswith("sgsearch: "), (args, out, err)
        assert not err.startswith(tuple(found_nothing)), (args, err)
    _damage(ix)
    status, out, err = run("neglect", "--json")
    assert status == 1 and out == "" and not err.startswith(tuple(found_nothing)), err
    # ingest prints its report, a failed file named in it and on stderr; no report found: all empty
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.pdf").write_bytes(b"not a pdf")
    (bad / "fine.txt").write_text("Annual Report 2021/22\n\n1 Training\n\nStaff were trained.\n", encoding="utf-8")
    status, out, err = run("ingest", str(bad), "--json", index=tmp_path / "ix2")
    report = json.loads(out)
    assert status == 1 and len(report["failed"]) == 1 and len(report["added"]) == 1 and "broken.pdf" in err
    (tmp_path / "nothing").mkdir()
    status, out, err = run("ingest", str(tmp_path / "nothing"), "--json", index=tmp_path / "ix3")
    report = json.loads(out)
    assert status == 1 and not any(report[k] for k in ("added", "updated", "unchanged", "failed"))
    assert err.startswith("sgsearch: no reports found in ")
