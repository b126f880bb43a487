"""sgsearch driven by a script (every ``--json`` shape, exit status and error line) and its web
page used by keyboard and screen reader; each test pins a defect found so. The documents are
written by the tests."""
from __future__ import annotations

import io
import json
import warnings

from click.testing import CliRunner

from cli import main
from ingest.pipeline import ingest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
    from starlette.testclient import TestClient

LOCAL = "http://127.0.0.1:8765"


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
        r = CliRunner().invoke(main, [*args, "--json", "--index", str(ix)])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

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
