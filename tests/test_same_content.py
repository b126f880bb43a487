"""One content is one document: the same file under two names (a copy, the same PDF saved
twice, another case of its name on a case-insensitive disk) is indexed once, and the ingest
says so in one line naming both. Every face then shows it once: search, the documents list,
themes, and recurrence (which never finds it "made before" by itself)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cli import main
from ingest.document import parse_file
from ingest.pipeline import _write_doc, ingest
from search.browse import documents
from search.index.store import Store
from tests import docgen

BRIEFING = """# Quillmoor Safeguarding Children Partnership: learning briefing 2021-22

## What the review found

Agencies did not share what they knew about the baby's bruising.

## Recommendations

1. The partnership should make sure that every agency shares information about bruising in non-mobile babies.
2. Health visitors should ask about the father's role at every contact.
"""

OTHER = """# Quillmoor Safeguarding Children Partnership: annual report 2022-23

## Neglect

The partnership refreshed its neglect strategy and trained four hundred practitioners.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def doc_paths(ix: Path) -> list[str]:
    s = Store(ix)
    try:
        return sorted(d["path"] for d in documents(s))
    finally:
        s.close()


def test_a_copy_is_indexed_once_and_said_once_naming_both(tmp_path):
    src = tmp_path / "reports"
    a = write(src / "briefing.md", BRIEFING)
    b = src / "briefing copy.md"
    shutil.copyfile(a, b)
    write(src / "annual.md", OTHER)
    ix = str(tmp_path / "ix")
    r = run("ingest", str(src), "--index", ix)
    assert r.exit_code == 0, r.output  # not a failure: nothing is lost
    said = [line for line in r.stderr.splitlines() if "same content" in line]
    assert said == [f"sgsearch: {b}: the same content as {a}: indexed once, as that file"]
    assert "2 added, 0 updated, 0 unchanged, 0 removed, 0 failed, 1 duplicate (" in r.stdout
    assert doc_paths(tmp_path / "ix") == [str(src / "annual.md"), str(a)]
    found = json.loads(run("search", "bruising non-mobile babies", "--json", "--index", ix).stdout)
    assert {h["doc_id"] for h in found["results"]} == {"briefing"}
    # recurrence: a document is never "made before" by itself, nor listed twice as a match
    groups = run("recur", "--json", "--index", ix)
    assert groups.exit_code == 1 and json.loads(groups.stdout)["clusters"] == []
    checked = json.loads(run("recur", "--check", "Every agency should share information about bruising in "
                                                 "non-mobile babies", "--json", "--index", ix).stdout)
    assert {m["doc_id"] for m in checked["matches"]} == {"briefing"}
    assert sum("non-mobile" in m["text"] for m in checked["matches"]) == 1
    # the next ingest of the folder: unchanged, and the copy said again (it is still not indexed)
    again = json.loads(run("ingest", str(src), "--json", "--index", ix).stdout)
    assert again["duplicates"] == [{"path": str(b), "same_as": str(a)}]
    assert sorted(again["unchanged"]) == [str(src / "annual.md"), str(a)] and again["added"] == []


def test_the_same_pdf_saved_twice_and_a_copy_added_later(tmp_path):
    (tmp_path / "in").mkdir()
    first = docgen.write_pdf(tmp_path / "in" / "Review.pdf")
    ix = tmp_path / "ix"
    assert ingest([first.parent], ix, tag=False).added == [str(first)]
    later = tmp_path / "downloads" / "review (1).pdf"
    later.parent.mkdir()
    shutil.copyfile(first, later)
    rep = ingest([later.parent], ix, tag=False)  # the index holds the first already: it keeps its name
    assert rep.added == [] and rep.duplicates == [{"path": str(later), "same_as": str(first)}]
    assert doc_paths(ix) == [str(first)]


def test_the_first_name_kept_goes_and_the_copy_takes_its_place(tmp_path):
    src = tmp_path / "reports"
    a = write(src / "a.md", BRIEFING)
    b = src / "b.md"
    shutil.copyfile(a, b)
    ix = tmp_path / "ix"
    assert ingest([src], ix, tag=False).duplicates == [{"path": str(b), "same_as": str(a)}]
    a.unlink()
    rep = ingest([src], ix, tag=False)
    assert rep.removed == [str(a)] and rep.added == [str(b)] and rep.duplicates == []
    assert doc_paths(ix) == [str(b)]
    write(src / "a.md", BRIEFING + "\n3. A third recommendation about chronologies.\n")  # changed: its own document
    rep = ingest([src], ix, tag=False)
    assert rep.added == [str(a)] and rep.duplicates == []
    assert doc_paths(ix) == [str(a), str(b)]


def test_an_index_holding_a_file_twice_keeps_it_once_at_the_next_ingest(tmp_path):
    src = tmp_path / "reports"
    a = write(src / "a.md", BRIEFING)
    b = src / "B.md"  # the name another case of the same file has on a case-insensitive disk
    shutil.copyfile(a, b)
    ix = tmp_path / "ix"
    with Store(ix).locked(), Store(ix).writer() as (w, manifest):  # as an earlier version wrote it: both
        for path, doc_id in ((a, "a"), (b, "b")):
            parsed = parse_file(path, None, doc_id)
            _write_doc(w, parsed)
            manifest[parsed.doc["path"]] = {"sha256": parsed.doc["sha256"], "doc_id": doc_id}
    assert doc_paths(ix) == [str(b), str(a)]
    rep = ingest([src], ix, tag=False)
    assert rep.duplicates == [{"path": str(a), "same_as": str(b)}] and rep.removed == [str(a)]
    assert doc_paths(ix) == [str(b)]


def test_the_web_page_says_an_upload_it_holds_already_and_keeps_no_copy(tmp_path):
    import re
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
        from starlette.testclient import TestClient

    from web import create_app

    ix = tmp_path / "ix"
    assert ingest([write(tmp_path / "in" / "briefing.md", BRIEFING)], ix, tag=False).ok
    app = create_app(ix)
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/ingest").text).group(1)
        r = client.post("/ingest", data={"csrf": token}, follow_redirects=False,
                        files=[("files", ("Briefing (2).md", BRIEFING.encode(), "text/markdown"))])
        assert r.status_code == 303
        app.state.site.job.wait(120)
        job = app.state.site.job.snapshot()
        assert job["report"]["duplicates"] and job["report"]["added"] == []
        assert job["refused"] == [{"path": "Briefing (2).md",
                                   "error": "the same content as briefing.md: indexed once, as that file"}]
        page = client.get("/ingest").text
        assert "<strong>Briefing (2).md</strong>: the same content as briefing.md: indexed once, as that file" in page
    assert not [p for p in (ix / "uploads").rglob("*") if p.is_file()]  # the copy is not kept in uploads/
    assert doc_paths(ix) == [str(tmp_path / "in" / "briefing.md")]


def test_a_copy_of_a_file_that_fails_fails_with_it_and_another_type_is_read_apart(tmp_path):
    src = tmp_path / "reports"
    broken = src / "review.pdf"
    src.mkdir()
    broken.write_bytes(b"%PDF-1.4\nnot really a PDF after all\n")
    shutil.copyfile(broken, src / "review (1).pdf")
    write(src / "notes.md", BRIEFING)
    shutil.copyfile(src / "notes.md", src / "notes.txt")  # read by another reader: not called the same
    rep = ingest([src], tmp_path / "ix", tag=False)
    assert rep.duplicates == []  # never "indexed once, as that file" for a file not indexed
    failed = {f["path"]: f["error"] for f in rep.failed}
    assert set(failed) == {str(broken), str(src / "review (1).pdf")}
    assert failed[str(broken)] == failed[str(src / "review (1).pdf")]
    assert sorted(rep.added) == [str(src / "notes.md"), str(src / "notes.txt")]
