"""Crash safety: an ingest killed (SIGKILL) at any moment leaves the previous index whole.

A child process ingests a folder of ~30 text reports and a few PDFs, and is killed at
moments spread over a whole run, and at moments inside the write phase. After each
kill the index must open, answer a search, and hold either exactly what it held before
the run or exactly what the run would have produced: one commit, all or nothing. The
locks (our ``ingest.lock`` and the engine's own write lock) die with the process, so the
next ingest is never "busy". Every test runs on each engine. A killed ``--rebuild`` never makes its half-written
generation CURRENT, and the leftover folder is swept by a later ingest.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from search.index.backends.whoosh import WhooshWriter
from search.index.lock import PID
from search.index.store import CURRENT, Store
from search.query import search
from tests import docgen
from tests.engines import AVAILABLE

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")]

ROOT = Path(__file__).resolve().parent.parent
N_TEXT = 30
N_PDF = 3
UNIFORM_KILLS = 20
COMMIT_KILLS = 8
REBUILD_KILLS = 4
REBUILD_COMMIT_KILLS = 4

CHILD = """
    import json, sys, time
    import search.index.store
    from ingest.pipeline import ingest

    real_writer = search.index.store.Store.writer

    def announced_writer(self, *a, **k):
        print("WRITING", flush=True)  # the writer opens: files are read and written from here
        return real_writer(self, *a, **k)

    search.index.store.Store.writer = announced_writer
    engine = sys.argv[4]
    import search.index.backends.whoosh as wb
    classes = [wb.WhooshWriter]
    if engine == "tantivy":
        import search.index.backends.tantivy as tb
        classes = [tb.TantivyWriter]
    for cls in classes:
        real_commit = cls.commit

        def announced_commit(self, *a, _real=real_commit, **k):
            print("COMMIT", flush=True)  # the engine starts writing its segment and table of contents
            return _real(self, *a, **k)

        cls.commit = announced_commit
    t0 = time.monotonic()
    r = ingest([sys.argv[1]], sys.argv[2], rebuild=sys.argv[3] == "rebuild", tag=False, engine=engine)
    print("DONE", json.dumps({"added": len(r.added), "updated": len(r.updated), "failed": r.failed,
                              "seconds": time.monotonic() - t0}), flush=True)
"""


def report_text(n: int, version: int) -> str:
    """A report of ~20 numbered sections; ``version`` is written into every section."""
    year = 2010 + n % 14
    lines = [f"Somerset Safeguarding Children Partnership report number {n}", f"Annual Report {year}/{(year + 1) % 100:02d}", ""]
    for s in range(1, 21):
        lines += [f"{s} Section {s} of report {n}", "",
                  f"{s}.1 In version v{version}x the partnership looked at neglect, early help and domestic abuse "
                  f"in report r{n}x. Practitioners reviewed chronologies, supervision and the voice of the child, "
                  "and the board sought assurance that agencies shared information promptly.", ""]
    return "\n".join(lines)


def write_reports(folder: Path, version: int) -> None:
    for n in range(N_TEXT):
        (folder / f"report-{n:02d}.txt").write_text(report_text(n, version), encoding="utf-8")


def state(ix: Path) -> dict[str, str] | None:
    """``{doc path: version seen in its sections}`` of the index, checking it is whole and searchable."""
    store = Store(ix)
    try:
        if not store.exists():
            return None
        assert search(store, "neglect").total > 0
        docs = {d["doc_id"]: d for d in store.records("doc")}
        versions: dict[str, set] = {doc_id: set() for doc_id in docs}
        counts = dict.fromkeys(docs, 0)
        for sec in store.records("section"):
            counts[sec["doc_id"]] += 1
            versions[sec["doc_id"]] |= {w for w in sec["text"].split() if w.startswith("v") and w.endswith("x")}
        out = {}
        for doc_id, d in docs.items():
            assert counts[doc_id] == d["nsections"], f"{doc_id}: a document was half written"
            assert len(versions[doc_id]) <= 1, f"{doc_id}: sections from two versions {versions[doc_id]}"
            out[d["path"]] = versions[doc_id].pop() if versions[doc_id] else "pdf"
        return out
    finally:
        store.close()


def expected_after(folder: Path, version: int) -> dict[str, str]:
    out = {str(folder / f"report-{n:02d}.txt"): f"v{version}x" for n in range(N_TEXT)}
    out.update({str(folder / f"report-{n}.pdf"): "pdf" for n in range(N_PDF)})
    return out


def start(folder: Path, ix: Path, mode: str, engine: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), str(folder), str(ix), mode, engine],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "LockError" not in err and "busy" not in err
    done = [ln for ln in out.splitlines() if ln.startswith("DONE ")]
    return json.loads(done[0][5:])


def wait_for(proc: subprocess.Popen, marker: str) -> bool:
    """Read the child's output until a line starting with ``marker``; False if it ended first."""
    for line in proc.stdout:
        if line.startswith(marker):
            return True
    return False


def kill_after(proc: subprocess.Popen, delay: float, marker: str | None = None) -> str:
    """SIGKILL ``proc`` ``delay`` s after its start (or after it printed ``marker``); say how it ended."""
    if marker and not wait_for(proc, marker):
        proc.wait()
        return "no " + marker
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return "killed"
    _, err = proc.communicate()
    assert proc.returncode == 0, err  # never "index busy" or a Whoosh LockError after an earlier kill
    return "finished"


@pytest.mark.parametrize("engine", AVAILABLE)
def test_sigkill_at_any_moment_leaves_a_whole_index(tmp_path, engine):
    folder = (tmp_path / "reports").resolve()
    folder.mkdir()
    ix = tmp_path / "ix"
    write_reports(folder, 0)
    for n in range(N_PDF):
        docgen.write_pdf(folder / f"report-{n}.pdf", header=f"Somerset report {n}")  # three reports, not one saved thrice

    # the committed baseline: half of the files, ingested in this process
    half = sorted(folder.iterdir())[: (N_TEXT + N_PDF) // 2]
    assert len(ingest(half, ix, tag=False, engine=engine).added) == len(half)
    baseline = state(ix)
    assert set(baseline) == {str(p) for p in half}

    # full runs of everything, timed, to spread the kills over: the quicker of two, so that
    # a run slowed by other work on the machine does not put the later kills past the end
    fulls, commits = [], []
    for version in (1, 2):
        write_reports(folder, version)
        t0 = time.monotonic()
        proc = start(folder, ix, "incremental", engine)
        assert wait_for(proc, "COMMIT")
        t_commit = time.monotonic()
        done = finish(proc)
        fulls.append(time.monotonic() - t0)
        commits.append(time.monotonic() - t_commit)
        if version == 1:
            assert done["failed"] == [] and done["added"] == len(expected_after(folder, 0)) - len(half)
        assert state(ix) == expected_after(folder, version)
    full, commit = min(fulls), min(commits)

    outcomes: list[tuple[str, float, str, str]] = []
    # kills spread over a whole run, then inside Whoosh's commit, then over a whole --rebuild
    plans = [("incremental", full * 1.05 * i / (UNIFORM_KILLS - 1), None) for i in range(UNIFORM_KILLS)]
    plans += [("incremental", commit * 1.1 * i / (COMMIT_KILLS - 1), "COMMIT") for i in range(COMMIT_KILLS)]
    plans += [("rebuild", full * 1.1 * i / (REBUILD_KILLS - 1), None) for i in range(REBUILD_KILLS)]
    plans += [("rebuild", commit * 1.1 * i / (REBUILD_COMMIT_KILLS - 1), "COMMIT") for i in range(REBUILD_COMMIT_KILLS)]
    for mode, delay, marker in plans:
        before = state(ix)
        live_before = (ix / CURRENT).read_text().strip()
        version += 1
        write_reports(folder, version)  # every text file changes: the whole run has work to do
        ended = kill_after(start(folder, ix, mode, engine), delay, marker)
        after = state(ix)
        assert after is not None, "the index vanished"
        assert set(baseline) <= set(before) <= set(after), f"documents lost after a kill at {delay:.3f}s ({mode})"
        if after == before:
            result = "old"
        else:
            assert after == expected_after(folder, version), f"a partial index after a kill at {delay:.3f}s ({mode})"
            result = "new"
        live = (ix / CURRENT).read_text().strip()
        if mode == "rebuild":
            assert (live == live_before) == (result == "old"), "CURRENT moved to a half-written generation"
        else:
            assert live == live_before
        outcomes.append((mode + ("@commit" if marker else ""), delay, ended, result))

    # every kill that landed was checked above (old index or new, never a part); a run the
    # kill came too late for must have left the new index. However many land depends on the
    # machine's speed, so no count is asked for; the kills at 0 s always land.
    killed = [o for o in outcomes if o[2] == "killed"]
    assert all(o[3] == "new" for o in outcomes if o[2] == "finished"), outcomes
    assert any(o[3] == "old" for o in killed), "no kill landed before a commit"
    assert any(o[0].startswith("rebuild") and o[2] == "killed" and o[3] == "old" for o in outcomes), outcomes

    # leftovers of killed rebuilds are never live; a later ingest sweeps them once they are old
    live = (ix / CURRENT).read_text().strip()
    orphans = [d for d in ix.glob("ix-*") if d.name != live]
    old = time.time() - 3600
    for d in orphans:
        os.utime(d, (old, old))

    # a last run completes: nothing is busy or locked, and every file is there
    version += 1
    write_reports(folder, version)
    done = finish(start(folder, ix, "incremental", engine))
    assert done["failed"] == []
    assert state(ix) == expected_after(folder, version)
    assert [d.name for d in ix.glob("ix-*")] == [(ix / CURRENT).read_text().strip()], "orphan generations not swept"
    assert (ix / PID).read_text() == ""  # no stale pid is left to name
    print(f"\nfull run {full:.2f}s, commit {commit:.2f}s; kills (mode, delay, how it ended, index after):")
    for mode, delay, ended, result in outcomes:
        print(f"  {mode:<18} {delay:5.2f}s  {ended:<8} {result}")


@pytest.mark.parametrize("engine", AVAILABLE)
def test_killed_right_after_the_commit_a_schema_rebuild_loses_nothing(tmp_path, monkeypatch, engine):
    """The manifest (used to rebuild after a schema change) must list every committed file."""

    folder = (tmp_path / "in").resolve()
    folder.mkdir()
    first = docgen.write_txt(folder / "first.txt")
    ix = tmp_path / "ix"
    assert ingest([first], ix, tag=False, engine=engine).ok
    second = (folder / "second.txt")
    second.write_text(report_text(7, 1), encoding="utf-8")

    writer_class = WhooshWriter
    if engine == "tantivy":
        from search.index.backends.tantivy import TantivyWriter as writer_class
    real_commit = writer_class.commit

    def commit_then_die(self, *a, **k):
        real_commit(self, *a, **k)
        raise KeyboardInterrupt  # stands for a SIGKILL just after the engine's commit

    monkeypatch.setattr(writer_class, "commit", commit_then_die)
    with pytest.raises(KeyboardInterrupt):
        ingest([second], ix, tag=False)
    monkeypatch.undo()
    store = Store(ix)
    assert {d["path"] for d in store.records("doc")} == {str(first), str(second)}
    assert set(store.manifest()) == {str(first), str(second)}
    store.close()

    # a schema change: the next command rebuilds from the manifest alone
    version = Store(ix).current_dir() / "VERSION"
    version.write_text("an older schema")
    report = ingest([], ix, tag=False)
    assert report.failed == []
    store = Store(ix)
    assert store.up_to_date()
    assert {d["path"] for d in store.records("doc")} == {str(first), str(second)}
    store.close()


HOLD_WRITER = """
    import sys, time
    from search.index.store import Store
    with Store(sys.argv[1]).writer() as (w, manifest):
        print("READY", flush=True)
        time.sleep(60)
"""


@pytest.mark.parametrize("engine", AVAILABLE)
def test_the_engines_write_lock_dies_with_its_process(tmp_path, engine):
    """The engine's own write lock (Whoosh's WRITELOCK, tantivy's writer lock) is an OS lock
    too: a writer killed while holding it blocks nobody."""
    folder = (tmp_path / "in").resolve()
    folder.mkdir()
    first = docgen.write_txt(folder / "first.txt")
    ix = tmp_path / "ix"
    assert ingest([first], ix, tag=False, engine=engine).ok
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLD_WRITER), str(ix)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
    lock = "*WRITELOCK*" if engine == "whoosh" else ".tantivy-writer.lock"
    assert list(Store(ix).current_dir().glob(lock)), "the lock file is left behind"
    second = folder / "second.txt"
    second.write_text(report_text(3, 1), encoding="utf-8")
    # a lock that outlived its process would make the engine give up (IndexBusy), not wait
    assert ingest([second], ix, tag=False).added == [str(second)]
