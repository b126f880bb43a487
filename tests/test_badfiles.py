"""Bad files: each gets one line naming it and a reason; the others are ingested; nothing is lost.

The bad-file corpus is generated in ``tmp_path``: encrypted, truncated and image-only
PDFs, an empty file, random bytes named .pdf and .docx, a .docx without its document,
a .docx zip bomb, a 200 MB (sparse) text file, symbolic link loops, plus files that
vanish or cannot be read. Good files beside them (text in UTF-8, Windows-1252 and
UTF-16, a DOCX and a PDF) must all be ingested, through the library and the CLI.
"""
from __future__ import annotations

import os
import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from ingest.blocks import IngestError
from ingest.pipeline import ingest
from ingest.readers import read_path
from search.browse import documents
from search.index.store import Store
from tests import docgen

ENCODED = """Somerset Safeguarding Children Partnership
Annual Report 2019/20

1 Introduction

The café in the family centre cost £500 to run and parents said it helped them meet workers.

2 Neglect

The Neglect Toolkit was refreshed during the year.
"""

PREVIOUS = """Somerset Safeguarding Children Board
Annual Report 2016/17

1 Introduction

The board met six times during the year and agreed a neglect strategy.
"""


# -- the bad files --------------------------------------------------------------------
def make_truncated_pdf(path: Path) -> Path:
    full = docgen.write_pdf(path.with_name("whole-for-truncation.tmp"))
    data = full.read_bytes()
    full.unlink()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_random(path: Path, seed: int = 6, size: int = 8192) -> Path:
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def make_docx_without_document(path: Path) -> Path:
    real = docgen.write_docx(path.with_name("real-for-stripping.tmp"))
    with zipfile.ZipFile(real) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                zout.writestr(info, zin.read(info))
    real.unlink()
    return path


def make_zip_bomb(path: Path, mb: int = 300) -> Path:
    """A small .docx whose word/document.xml unzips to ``mb`` MB (written in 1 MB chunks)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(mb):
                fh.write(chunk)
    return path


def make_sparse(path: Path, mb: int = 200) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(mb * 1024 * 1024)
    return path


def make_symlink_loops(folder: Path) -> list[Path]:
    """Two .txt links pointing at each other, and a folder link back to its parent."""
    a, b = folder / "loop-a.txt", folder / "loop-b.txt"
    os.symlink(b, a)
    os.symlink(a, b)
    (folder / "sub").mkdir()
    os.symlink(folder / "sub", folder / "sub" / "again")  # walking must not recurse forever
    return [a, b]


BAD_FILES = {
    # name: (maker, words the reason must contain)
    "encrypted.pdf": (docgen.write_encrypted_pdf, "encrypted"),
    "truncated.pdf": (make_truncated_pdf, "corrupt pdf"),
    "scanned.pdf": (docgen.write_scanned_pdf, "no text layer"),
    "empty.txt": (lambda p: p.write_bytes(b""), "empty"),
    "random.pdf": (make_random, "not a pdf"),
    "random.docx": (make_random, "not a word document"),
    "junk-zip.docx": (docgen.write_corrupt_docx, "corrupt word file"),
    "no-document.docx": (make_docx_without_document, "word/document.xml"),
    "bomb.docx": (make_zip_bomb, "limit"),
    "huge.txt": (make_sparse, "limit"),
}
GOOD_WORDS = {"good.txt": "graded care profile", "good.docx": "graded care profile", "good.pdf": "graded care profile"}


def build_corpus(folder: Path) -> tuple[list[Path], dict[Path, str]]:
    """Write good and bad files into ``folder``; return (good files, {bad file: reason words})."""
    folder.mkdir(parents=True, exist_ok=True)
    good = [
        docgen.write_txt(folder / "good.txt"),
        docgen.write_docx(folder / "good.docx"),
        docgen.write_pdf(folder / "good.pdf"),
    ]
    cp = folder / "windows-1252.txt"
    cp.write_bytes(ENCODED.replace("Annual Report", "Annual Report cp1252").encode("cp1252"))
    u16 = folder / "utf-16.txt"
    u16.write_bytes(ENCODED.replace("Annual Report", "Annual Report utf16").encode("utf-16"))  # with BOM
    good += [cp, u16]
    bad: dict[Path, str] = {}
    for name, (maker, why) in BAD_FILES.items():
        maker(folder / name)
        bad[folder / name] = why
    for link in make_symlink_loops(folder):
        bad[link] = "symbolic link loop"
    return good, bad


@pytest.fixture
def corpus(tmp_path):
    folder = (tmp_path / "reports").resolve()
    good, bad = build_corpus(folder)
    prev = tmp_path.resolve() / "earlier" / "previous.txt"
    prev.parent.mkdir()
    prev.write_text(PREVIOUS, encoding="utf-8")
    ix = tmp_path / "ix"
    first = ingest([prev], ix, tag=False)
    assert first.added == [str(prev)] and first.ok
    return folder, good, bad, ix


def doc_paths(ix) -> set[str]:
    s = Store(ix)
    try:
        return {d["path"] for d in documents(s)}
    finally:
        s.close()


def section_text(ix, path: Path) -> str:
    s = Store(ix)
    try:
        (doc,) = [d for d in s.records("doc") if d["path"] == str(path)]
        return "\n".join(sec["text"] for sec in s.records("section", doc_id=doc["doc_id"]))
    finally:
        s.close()


# -- each bad file on its own ------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_reader_refuses_bad_file_with_one_line_reason(tmp_path, name):
    maker, why = BAD_FILES[name]
    path = tmp_path / name
    maker(path)
    with pytest.raises(IngestError) as e:
        read_path(path)
    msg = str(e.value)
    assert why in msg.lower() and "\n" not in msg and len(msg) < 200


def test_zip_bomb_refused_before_decompressing(tmp_path, monkeypatch):
    bomb = make_zip_bomb(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 2 * 1024 * 1024  # the file is small; it unzips to 300 MB

    def no_decompression(self, name, *a, **k):
        raise AssertionError(f"the reader decompressed {name} before checking its size")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompression)
    with pytest.raises(IngestError, match=r"300 MB, over the 200 MB limit.*SGSEARCH_MAX_UNZIPPED_MB"):
        read_path(bomb)


def test_unzipped_limit_is_configurable(tmp_path, monkeypatch):
    good = docgen.write_docx(tmp_path / "good.docx")
    assert read_path(good).blocks
    monkeypatch.setenv("SGSEARCH_MAX_UNZIPPED_MB", "0.01")
    with pytest.raises(IngestError, match="limit"):
        read_path(good)


def test_huge_file_refused_without_reading_it(tmp_path, monkeypatch):
    huge = make_sparse(tmp_path / "huge.txt")
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match=r"200 MB, over the 100 MB limit.*SGSEARCH_MAX_FILE_MB"):
            read_path(huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024
    monkeypatch.setenv("SGSEARCH_MAX_FILE_MB", "0.001")  # ~1 KB: a normal report is now too big
    with pytest.raises(IngestError, match="limit"):
        read_path(docgen.write_txt(tmp_path / "normal.txt"))


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_encodings_decode_to_the_right_characters(tmp_path, encoding):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(ENCODED.encode(encoding))
    text = "\n".join(b.text for b in read_path(path).blocks)
    assert "The café in the family centre cost £500" in text


def test_odd_length_utf16_does_not_crash(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_bytes(ENCODED.encode("utf-16") + b"\x41")  # one stray byte after the last character
    assert "café" in "\n".join(b.text for b in read_path(path).blocks)


# -- the whole corpus, through the library and the CLI -------------------------------------
def check_outcome(ix, good, bad, prev_paths):
    indexed = doc_paths(ix)
    assert {str(p) for p in good} <= indexed, "every good file is ingested"
    assert prev_paths <= indexed, "a document indexed before is still there"
    assert not any(str(p) in indexed for p in bad)
    for path, words in ((good[3], "cp1252"), (good[4], "utf16")):
        text = section_text(ix, path)
        assert "The café in the family centre cost £500" in text, words


def test_ingest_reports_each_bad_file_once_and_keeps_the_rest(corpus):
    folder, good, bad, ix = corpus
    before = doc_paths(ix)
    report = ingest([folder], ix, tag=False)
    failed = {f["path"]: f["error"] for f in report.failed}
    assert len(report.failed) == len(failed) == len(bad), report.failed
    for path, words in bad.items():
        assert str(path) in failed, f"{path.name} not reported"
        reason = failed[str(path)]
        assert words in reason.lower() and "\n" not in reason and "Traceback" not in reason
    assert sorted(report.added) == sorted(str(p) for p in good)
    assert not report.ok
    check_outcome(ix, good, bad, before)


def test_cli_prints_one_line_per_bad_file_and_exits_1(corpus):
    folder, good, bad, ix = corpus
    before = doc_paths(ix)
    r = CliRunner().invoke(main, ["ingest", str(folder), "--index", str(ix)])
    assert r.exit_code == 1, r.output
    assert isinstance(r.exception, SystemExit)  # not an uncaught error
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == len(bad), r.stderr
    for path, words in bad.items():
        mine = [ln for ln in lines if ln.startswith(f"sgsearch: {path}: ")]
        assert len(mine) == 1, f"{path.name}: {mine}"
        assert words in mine[0].lower()
    assert f"{len(good)} added" in r.stdout and f"{len(bad)} failed" in r.stdout
    check_outcome(ix, good, bad, before)


def test_bad_files_beside_a_rebuild_keep_the_good_ones(corpus):
    folder, good, bad, ix = corpus
    report = ingest([folder], ix, rebuild=True, tag=False)
    assert len(report.failed) == len(bad)
    assert {str(p) for p in good} == doc_paths(ix)  # --rebuild: only these files


# -- files that change under our feet ------------------------------------------------------
def _keep_and(tmp_path, name: str, write):
    """A folder with a good text file and another file (``write``-n as ``name``) to be troubled."""
    folder = tmp_path.resolve() / "in"
    folder.mkdir()
    return folder, docgen.write_txt(folder / "keep.txt"), write(folder / name)


def test_file_vanishing_after_listing(tmp_path, monkeypatch):
    import ingest.pipeline as pipeline

    folder, keep, gone = _keep_and(tmp_path, "gone.txt", docgen.write_txt)
    real = pipeline.collect_files

    def collect_then_delete(paths, report):
        out = real(paths, report)
        gone.unlink()
        return out

    monkeypatch.setattr(pipeline, "collect_files", collect_then_delete)
    ix = tmp_path / "ix"
    r = CliRunner().invoke(main, ["ingest", str(folder), "--index", str(ix)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.stderr.splitlines() == [f"sgsearch: {gone}: file vanished before it could be read"]
    assert doc_paths(ix) == {str(keep)}


def test_file_vanishing_between_hashing_and_parsing(tmp_path, monkeypatch):
    import ingest.pipeline as pipeline

    folder, keep, gone = _keep_and(tmp_path, "gone.pdf", docgen.write_pdf)
    real = pipeline.parse_file

    def delete_then_parse(path, *a, **k):
        if Path(path) == gone:
            gone.unlink()
        return real(path, *a, **k)

    monkeypatch.setattr(pipeline, "parse_file", delete_then_parse)
    report = ingest([folder], tmp_path / "ix", tag=False)
    assert report.failed == [{"path": str(gone), "error": "file vanished before it could be read"}]
    assert report.added == [str(keep)]


def _keep_and_locked(tmp_path):
    """A folder with a readable file and one that will be made unreadable."""
    return _keep_and(tmp_path, "locked.txt", docgen.write_txt)


def _ingest_reports_locked(tmp_path, folder, keep, locked):
    r = CliRunner().invoke(main, ["ingest", str(folder), "--index", str(tmp_path / "ix")])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.stderr.splitlines() == [f"sgsearch: {locked}: cannot read the file: Permission denied"]
    assert doc_paths(tmp_path / "ix") == {str(keep)}


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its permissions")
def test_unreadable_file(tmp_path):
    folder, keep, locked = _keep_and_locked(tmp_path)
    locked.chmod(0)
    try:
        _ingest_reports_locked(tmp_path, folder, keep, locked)
    finally:
        locked.chmod(0o644)


def test_symlink_loop_given_directly(tmp_path):
    a, b = tmp_path.resolve() / "a.txt", tmp_path.resolve() / "b.txt"
    os.symlink(b, a)
    os.symlink(a, b)
    good = docgen.write_txt(tmp_path.resolve() / "good.txt")
    r = CliRunner().invoke(main, ["ingest", str(a), str(good), "--index", str(tmp_path / "ix")])
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert r.stderr.splitlines() == [f"sgsearch: {a}: symbolic link loop: the link leads back to itself"]
    assert doc_paths(tmp_path / "ix") == {str(good)}


def test_broken_symlink_in_a_folder(tmp_path):
    folder = tmp_path.resolve() / "in"
    folder.mkdir()
    docgen.write_txt(folder / "good.txt")
    os.symlink(folder / "moved-away.txt", folder / "link.txt")
    report = ingest([folder], tmp_path / "ix", tag=False)
    assert report.failed == [{"path": str(folder / "link.txt"), "error": "broken symbolic link: its target does not exist"}]
    assert report.added == [str(folder / "good.txt")]


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    """The same as above, with the permission error simulated, so that it also runs as root."""
    import builtins

    import ingest.document
    import ingest.readers

    folder, keep, locked = _keep_and_locked(tmp_path)
    real_open = builtins.open

    def guarded_open(file, *a, **k):
        if Path(file) == locked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **k)

    for module in (ingest.document, ingest.readers):
        monkeypatch.setattr(module, "open", guarded_open, raising=False)
    _ingest_reports_locked(tmp_path, folder, keep, locked)
    with pytest.raises(IngestError, match="permission denied"):
        read_path(locked)


# -- hostile text: escape sequences, Markdown and HTML never reach the terminal ------------------
HOSTILE = (
    "Somerset Safeguarding Children Partnership\nAnnual Report 2020/21\n\n"
    "1 Hostile \x1b[31mRed\x1b[0m Heading\n\n"
    "The zebrafinch protocol \x1b[2J cleared the screen \x1b]0;pwned title\x07 and set a title, "
    "with **Markdown**, [a link](http://example.org), <b>HTML</b>, <script>alert(1)</script>, "
    "a C1 \x9b2J sequence, a bell \x07, a backspace \x08 and an entity &#27;[1m.\n\n"
    "2 Second \x1bP1;2|payload\x1b\\ Section\n\n"
    "\x1b[1;33mMore zebrafinch text\x1b[0m with a\rcarriage return and a \x0c form feed.\n"
)
HOSTILE_CATALOG = """[[document]]
file = "hostile.txt"
id = "hostile"
title = "Evil \\u001b[2J\\u001b]0;owned\\u0007 Title"
publisher = "Publisher \\u009b31m of \\u001b[5m doom"
"""
UNSAFE = [chr(c) for c in range(32) if chr(c) != "\n"] + [chr(c) for c in range(0x7F, 0xA0)]


def run_cli(*args):
    # color=True: click would otherwise strip some escape sequences itself when not on a terminal,
    # hiding what a real terminal would receive
    return CliRunner().invoke(main, list(args), color=True)


def assert_terminal_safe(result, what):
    assert "Traceback" not in result.output, what
    for ch in UNSAFE:
        assert ch not in result.output, f"{what}: {ch!r} reached the output:\n{result.output!r}"


def test_hostile_text_is_printed_safely(tmp_path):
    folder = tmp_path.resolve() / "in"
    folder.mkdir()
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (folder / "catalog.toml").write_text(HOSTILE_CATALOG, encoding="utf-8")
    ix = str(tmp_path / "ix")
    r = run_cli("ingest", str(folder), "--index", ix)
    assert r.exit_code == 0, r.output
    assert_terminal_safe(r, "ingest")

    # cleaned at ingest: nothing stored holds a control character
    store = Store(ix)
    try:
        stored = [*store.records("doc"), *store.records("section")]
    finally:
        store.close()
    for rec in stored:
        for key in ("title", "doc_title", "publisher", "heading", "text"):
            value = rec.get(key) or ""
            assert not any(ch in value for ch in UNSAFE), f"{key} stored {value!r}"
    doc = next(r for r in stored if r["kind"] == "doc")
    assert doc["doc_title"].startswith("Evil") and doc["publisher"].startswith("Publisher")
    texts = "\n".join(rec.get("text") or "" for rec in stored)
    assert "Markdown" in texts and "**" not in texts and "<b>" not in texts and "a link" in texts

    outputs = [
        run_cli("zebrafinch", "--index", ix),
        run_cli("zebrafinch", "--json", "--index", ix),
        run_cli("docs", "--index", ix),
        run_cli("docs", "hostile", "--index", ix),
        run_cli("docs", "hostile", "--json", "--index", ix),
    ]
    sections = [rec["section_id"] for rec in stored if rec["kind"] == "section"]
    assert len(sections) >= 2
    for sid in sections:
        outputs += [run_cli("show", sid, "--index", ix), run_cli("show", sid, "--json", "--index", ix)]
    for r in outputs:
        assert r.exit_code == 0, r.output
        assert_terminal_safe(r, " ".join(r.output.splitlines()[:1]))
    assert "zebrafinch" in outputs[0].output and "Evil" in outputs[0].output


def test_hostile_file_name_gives_a_clean_title(tmp_path):
    folder = tmp_path.resolve() / "in"
    folder.mkdir()
    (folder / "\x1b[2J\x1b]0;evil\x07name.txt").write_text("The zebrafinch line.\n", encoding="utf-8")
    ix = str(tmp_path / "ix")
    assert run_cli("ingest", str(folder), "--index", ix).exit_code == 0
    for r in (run_cli("zebrafinch", "--index", ix), run_cli("docs", "--index", ix)):
        assert r.exit_code == 0 and "name" in r.output
        assert_terminal_safe(r, r.output)


def test_hostile_file_name_in_paths_printed_by_the_cli(tmp_path):
    folder = tmp_path.resolve() / "in"
    folder.mkdir()
    (folder / "\x1b[2Jgood.txt").write_text("The zebrafinch line.\n", encoding="utf-8")
    (folder / "\x1b]0;evil\x07bad.pdf").write_bytes(b"not a pdf")
    ix = str(tmp_path / "ix")
    r = run_cli("ingest", str(folder), "--index", ix)
    assert r.exit_code == 1
    assert_terminal_safe(r, "ingest failure line")
    assert_terminal_safe(run_cli("docs", "2jgood", "--index", ix), "docs DOC_ID")


@pytest.mark.parametrize("line", [
    "**a " * 50_000,                 # unclosed bold: each opener scanned to the end of the line
    "__a " * 50_000,
    "# " + "#" * 200_000 + "x",      # a Markdown heading with a long run of hashes
    "<p " * 70_000,                  # unclosed HTML tags
    "<b x" * 50_000,
    "[bookmark:" * 20_000,
])
def test_long_hostile_line_is_read_in_linear_time(tmp_path, line):
    """200 KB lines that used to take minutes (quadratic regular expressions in the cleaning)."""
    import time

    path = tmp_path / "long-line.txt"
    path.write_text("Report\n\n" + line + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    try:
        read_path(path)
    except IngestError:
        pass
    assert time.perf_counter() - t0 < 3.0


@pytest.mark.skipif(__import__("multiprocessing").get_start_method() != "fork",
                    reason="the crashing reader is patched in, which only forked workers inherit")
def test_a_reader_crashing_in_a_worker_costs_only_its_file(tmp_path, monkeypatch):
    """--jobs N: a native crash (a segfault in a PDF library) fails one file, not the ingest."""
    import signal

    import ingest.pipeline as pipeline

    folder = tmp_path.resolve() / "in"
    folder.mkdir()
    files = [docgen.write_txt(folder / f"report-{n}.txt") for n in range(5)]
    for n, f in enumerate(files):  # five reports, not one saved five times
        f.write_text(f.read_text(encoding="utf-8") + f"\nThis is report number {n}.\n", encoding="utf-8")
    real = pipeline.parse_file

    def crash_on_third(path, *a, **k):
        if str(path).endswith("report-2.txt"):
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(path, *a, **k)

    monkeypatch.setattr(pipeline, "parse_file", crash_on_third)
    report = ingest([folder], tmp_path / "ix", jobs=2, tag=False)
    assert report.failed == [{"path": str(files[2]), "error": "the reader crashed on this file: it is probably damaged"}]
    assert sorted(report.added) == sorted(str(f) for i, f in enumerate(files) if i != 2)
    assert doc_paths(tmp_path / "ix") == set(report.added)
