"""Readers and writers at once: a search during an ingest sees the last complete index;
a second ingest while one is running stops with IndexBusy naming the other process."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from ingest.document import parse_file
from ingest.pipeline import _write_doc, ingest
from search.index.store import IndexBusy, Store
from search.query import search

ROOT = Path(__file__).resolve().parent.parent

OLD = """Somerset Safeguarding Children Board
Annual Report 2016/17

1 Introduction

The board agreed a neglect strategy and held a conference on early help.
"""

NEW = """Somerset Safeguarding Children Partnership
Annual Report 2020/21

1 Introduction

The partnership launched the zebrafinch protocol for unborn babies and their parents.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def total(ix, query: str) -> int:
    s = Store(ix)
    try:
        return search(s, query).total
    finally:
        s.close()


@pytest.fixture
def indexed(tmp_path):
    old = write(tmp_path / "in" / "old.txt", OLD)
    ix = tmp_path / "ix"
    assert ingest([old.parent], ix, tag=False).ok
    return ix, write(tmp_path / "later" / "new.txt", NEW)


@pytest.mark.parametrize("fresh", [False, True], ids=["incremental", "rebuild"])
def test_search_during_a_write_sees_the_last_complete_index(indexed, fresh):
    ix, new = indexed
    parsed = parse_file(new, None, "new")
    writing = Store(ix)
    reader = Store(ix)
    assert search(reader, "neglect strategy").total == 1  # a reader open (and searching) before the write
    with writing.writer(fresh=fresh) as (w, manifest):
        _write_doc(w, parsed)
        manifest[parsed.doc["path"]] = {"sha256": parsed.doc["sha256"], "doc_id": "new"}
        # written but not committed: every reader still sees the old index, whole
        assert total(ix, "zebrafinch") == 0
        assert total(ix, "neglect strategy") == 1
        assert search(reader, "zebrafinch").total == 0
        assert {d["doc_id"] for d in Store(ix).records("doc")} == {"old"}
    assert total(ix, "zebrafinch") == 1
    assert total(ix, "neglect strategy") == (0 if fresh else 1)  # a fresh generation holds only what was written
    # the Store opened before sees the new index too, even when a rebuild deleted its generation
    assert search(reader, "zebrafinch").total == 1
    assert {d["doc_id"] for d in reader.records("doc")} == ({"new"} if fresh else {"old", "new"})
    reader.close()


def test_a_failed_write_leaves_the_old_index(indexed):
    ix, new = indexed
    parsed = parse_file(new, None, "new")
    with pytest.raises(RuntimeError, match="disk on fire"):
        with Store(ix).writer() as (w, _manifest):
            _write_doc(w, parsed)
            raise RuntimeError("disk on fire")
    assert total(ix, "zebrafinch") == 0 and total(ix, "neglect strategy") == 1
    assert ingest([new], ix, tag=False).added == [str(new.resolve())]  # and it is writable afterwards
    assert total(ix, "zebrafinch") == 1


def _start(code: str, *args: str) -> subprocess.Popen:
    """A Python child in the project root that prints READY when it holds what it must hold."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ready(proc: subprocess.Popen) -> None:
    line = proc.stdout.readline()
    assert line.strip() == "READY", f"child failed: {line}{proc.stderr.read() if proc.poll() is not None else ''}"


HOLD_LOCK = """
    import sys, time
    from search.index.store import Store
    with Store(sys.argv[1]).locked():
        print("READY", flush=True)
        time.sleep(60)
"""


def test_second_ingest_is_refused_with_the_pid_of_the_first(indexed):
    ix, new = indexed
    holder = _start(HOLD_LOCK, str(ix))
    try:
        _wait_ready(holder)
        msg = f"the index is being updated by another process (pid {holder.pid})"
        with pytest.raises(IndexBusy) as e:
            ingest([new], ix, tag=False)
        assert str(e.value) == msg

        r = CliRunner().invoke(main, ["ingest", str(new), "--index", str(ix)])
        assert r.exit_code == 1
        assert r.stderr == f"sgsearch: {msg}\n" and r.stdout == ""
        assert "Traceback" not in r.output

        # searching is not blocked by a writer
        assert total(ix, "neglect strategy") == 1
    finally:
        holder.kill()
        holder.wait()
    # the lock dies with its holder, even killed: the next ingest goes ahead
    assert ingest([new], ix, tag=False).added == [str(new.resolve())]


HELD_INGEST = """
    import sys
    import ingest.pipeline as p
    real = p.parse_file
    def held(*a, **k):
        print("READY", flush=True)  # the lock is held while files are parsed
        sys.stdin.readline()  # until the test lets it go on
        return real(*a, **k)
    p.parse_file = held
    r = p.ingest([sys.argv[2]], sys.argv[1], tag=False)
    print("DONE", r.added, r.failed, flush=True)
"""


def test_ingest_during_a_running_ingest(indexed, tmp_path):
    ix, new = indexed
    other = write(tmp_path / "third" / "other.txt", NEW.replace("zebrafinch", "kingfisher"))
    running = _start(HELD_INGEST, str(ix), str(new))
    told = threading.Event()

    def go_on():
        told.set()
        running.stdin.write("go\n")
        running.stdin.flush()

    # only so that an ingest which waited for the lock cannot hang the test: it would then get the lock
    unhang = threading.Timer(300, go_on)
    try:
        _wait_ready(running)
        unhang.start()
        with pytest.raises(IndexBusy, match=rf"another process \(pid {running.pid}\)$"):
            ingest([other], ix, tag=False)
        unhang.cancel()
        # the first ingest holds the lock until it is told to go on: refused while it held it, not after a wait
        assert not told.is_set() and running.poll() is None, "a busy index is reported at once, not after a wait"
        assert total(ix, "zebrafinch") == 0 and total(ix, "neglect strategy") == 1
        go_on()
        out, err = running.communicate(timeout=60)
    finally:
        unhang.cancel()
        if running.poll() is None:
            running.kill()
            running.wait()
    assert running.returncode == 0, err
    assert "DONE" in out and "[]" in out
    assert total(ix, "zebrafinch") == 1
    assert ingest([other], ix, tag=False).ok  # free again once the first has finished
    assert total(ix, "kingfisher") == 1 and total(ix, "neglect strategy") == 1


HOLD_WHOOSH_WRITER = """
    import sys
    from search.index.store import Store
    with Store(sys.argv[1]).writer() as (w, manifest):  # Whoosh's own lock, without the ingest lock
        print("READY", flush=True)
        sys.stdin.read()
"""


def test_a_whoosh_writer_outside_the_ingest_lock_is_reported_as_busy(indexed):
    ix, new = indexed
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLD_WHOOSH_WRITER), str(ix)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_ready(holder)
        with pytest.raises(IndexBusy, match="being written by another process"):
            ingest([new], ix, tag=False)  # waits for Whoosh's 5 s timeout, then says so in one line
        assert total(ix, "neglect strategy") == 1
    finally:
        holder.communicate("")  # let it finish and commit nothing
    assert ingest([new], ix, tag=False).added == [str(new.resolve())]


def test_a_search_reading_when_a_rebuild_swaps_generations_answers_from_the_old_index(indexed):
    # a search reads CURRENT, then opens that generation's files, then reads more of them as it
    # needs them: a rebuild may swap in a new generation at any point between
    from search.index.backends import backend_class

    ix, new = indexed
    reader = Store(ix)
    started = reader.backend()  # a search that has opened the old generation
    assert search(reader, "neglect strategy").total == 1
    named = reader.current_dir()  # and one that has only read CURRENT
    assert ingest([new.parent], ix, rebuild=True, tag=False).ok
    assert reader.current_dir() != named
    late = backend_class("whoosh")(named)
    for backend in (started, late):
        assert sorted(r["doc_id"] for r in backend.records("doc")) == ["old"]
        assert backend.records_total() > 0 and backend.doc_frequency("text", "zebrafinch") == 0
    late.close()
    # the next search sees the new index whole
    assert search(reader, "zebrafinch").total == 1 and search(reader, "neglect strategy").total == 0
    reader.close()


def test_a_replaced_generation_is_removed_once_no_search_can_be_reading_it(indexed, monkeypatch):
    import os
    import time

    from search.index import store as store_module

    ix, new = indexed
    old = Store(ix).current_dir()
    assert ingest([new.parent], ix, rebuild=True, tag=False).ok
    assert old.is_dir() and (old / store_module.RETIRED).is_file()  # kept a while: a search may be reading it
    assert total(ix, "zebrafinch") == 1 and old.is_dir()  # a search within the time leaves it
    then = time.time() - store_module.RETIRED_FOR - 5
    os.utime(old, (then, then))
    assert total(ix, "zebrafinch") == 1  # the first search after it removes it
    assert not old.exists() and [d.name for d in ix.glob("ix-*")] == [Store(ix).current_dir().name]
    # and the next ingest, when nothing was searched meanwhile
    live = Store(ix).current_dir()
    assert ingest([new.parent], ix, rebuild=True, tag=False).ok
    os.utime(live, (then, then))
    assert ingest([new.parent], ix, tag=False).unchanged == [str(new.resolve())]
    assert not live.exists()
