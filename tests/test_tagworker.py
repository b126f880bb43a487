"""Tagging in a child process (ingest.tagworker).

The child must give exactly the tags of in-process tagging; when it cannot start, tagging
falls back to this process; when it dies later, ingest stops with one line and the index
keeps what it had. An ingest with nothing to tag starts no child and never imports spaCy.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import ingest.tagworker as tagworker
from cli import main
from corpus import corpus_dir
from ingest.blocks import IngestError
from ingest.pipeline import ingest
from ingest.tagworker import Tagging
from ingest.themes import get_tagger, split_text
from search.browse import documents
from search.index.store import Store
from search.query import search
from search.vocab.thesaurus import stored
from tests.test_lemmas import sample_texts

ROOT = Path(__file__).resolve().parent.parent
needs_sigkill = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not Path("/proc").is_dir(),
                                   reason="needs SIGKILL and /proc")
REPORT = """Somerset Safeguarding Children Partnership
Annual Report 2019/20

1 Neglect

1.1 The Neglect Toolkit was refreshed and training on the Graded Care Profile continued.

2 Fathers

2.1 Practitioners should include fathers and male carers in pre-birth assessments.
"""


def in_process(texts: list[str]) -> list[list[dict]]:
    return [[t.to_dict() for t in tags] for tags in get_tagger().tag_many(texts)]


def docs_by_id(root) -> dict:
    s = Store(root)
    try:
        return {d["doc_id"]: d for d in documents(s)}
    finally:
        s.close()


def worker_start(monkeypatch, initializer) -> None:
    """Start the worker with ``initializer`` (a function of this module, so that the spawned
    worker can import it) instead of its own, e.g. to make it fail."""
    monkeypatch.setattr(tagworker, "_initializer", initializer)


def exit_at_start(taxonomy):
    os._exit(3)


def no_spacy_at_start(taxonomy):
    sys.modules["spacy"] = None  # ImportError in the worker only
    tagworker._initializer(taxonomy)


def kill_on_first_batch(taxonomy):
    import ingest.themes

    tagworker._initializer(taxonomy)

    def die(self, texts, batch_size=64):
        os.kill(os.getpid(), signal.SIGKILL)

    ingest.themes.Tagger.tag_many = die


POISON = "Zzpoison section text."


def fail_on_poison(taxonomy):
    import ingest.themes

    tagworker._initializer(taxonomy)
    tag_many = ingest.themes.Tagger.tag_many

    def fail(self, texts, batch_size=64):
        texts = list(texts)
        if any(POISON in t for t in texts):
            raise MemoryError("no room for\nall this")
        return tag_many(self, texts, batch_size)

    ingest.themes.Tagger.tag_many = fail


# -- the child tags as this process does -------------------------------------------------

def test_child_gives_the_tags_of_in_process_tagging():
    texts = sample_texts()
    with Tagging() as tagging:
        got = list(tagging.tag_later(texts, batch=50))
        assert not tagging.in_process  # the child did the work
    assert got == in_process(texts)


def test_results_come_back_by_ticket_in_any_order():
    with Tagging() as tagging:
        a = tagging.submit(["Neglect was found."])
        b = tagging.submit(["Domestic abuse and neglect."])
        assert tagging.result(b) == in_process(["Domestic abuse and neglect."])
        assert tagging.result(a) == in_process(["Neglect was found."])


def test_ingested_tags_are_those_of_in_process_tagging(store):
    sections = store.records("section")
    items = store.records("item")
    assert sections and items
    tags = in_process([f"{s['heading']}\n{s['text']}" for s in sections])
    assert [s["themes"] for s in sections] == [",".join(t["id"] for t in found) for found in tags]
    assert [s["theme_evidence"] for s in sections] == [tagworker.theme_evidence(found) for found in tags]
    itags = in_process([i["item_text"] for i in items])
    assert [i["item_themes"] for i in items] == [[t["id"] for t in found] for found in itags]


def test_user_taxonomy_reaches_the_child(tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text('[[theme]]\nid = "widgets"\nlabel = "Widgets"\nphrases = ["widget protocol"]\n')
    with Tagging([extra]) as tagging:
        [tags] = list(tagging.tag_later(["The Widget Protocols were followed."]))
    assert [t["id"] for t in tags] == ["widgets"]


def test_a_broken_taxonomy_is_one_line_and_starts_no_worker(tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[theme]]\nid = 'x'\n")
    started = []
    # other tests in this process may keep a worker of their own: only new children count
    before = set(multiprocessing.active_children())
    real = tagworker.ProcessPoolExecutor
    monkeypatch.setattr(tagworker, "ProcessPoolExecutor", lambda *a, **k: started.append(real(*a, **k)) or started[-1])
    r = CliRunner().invoke(main, ["ingest", str(corpus_dir()), "--index", str(tmp_path / "ix"),
                                  "--taxonomy", str(bad)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "bad.toml" in r.output.strip().splitlines()[-1]
    assert not started  # the taxonomy is read before any worker is started
    assert not set(multiprocessing.active_children()) - before


# -- fallbacks and failures ---------------------------------------------------------------

def test_tags_in_process_when_no_worker_can_be_started(monkeypatch):
    def refuse(*a, **k):
        raise OSError("no processes here")

    monkeypatch.setattr(tagworker, "ProcessPoolExecutor", refuse)
    texts = sample_texts()[:40]
    with Tagging() as tagging:
        assert tagging.in_process
        assert list(tagging.tag_later(texts)) == in_process(texts)


def test_tags_in_process_when_the_worker_fails_before_it_is_ready(monkeypatch):
    worker_start(monkeypatch, exit_at_start)
    texts = sample_texts()[:40]
    with Tagging() as tagging:
        assert list(tagging.tag_later(texts)) == in_process(texts)
        assert tagging.in_process


def test_tags_in_process_when_spacy_fails_to_import_in_the_worker(monkeypatch):
    worker_start(monkeypatch, no_spacy_at_start)
    with Tagging() as tagging:
        assert list(tagging.tag_later(["Neglect."])) == in_process(["Neglect."])
        assert tagging.in_process


KILLED = "theme tagging failed: the tagging process stopped unexpectedly (killed, or out of memory); " \
         "the index was not changed"


@needs_sigkill
def test_a_worker_killed_while_tagging_stops_the_ingest_and_keeps_the_index(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(REPORT, encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([src], ix).ok
    before = docs_by_id(ix)
    (src / "b.txt").write_text(REPORT.replace("Neglect", "Domestic abuse"), encoding="utf-8")
    own = tagworker._initializer
    worker_start(monkeypatch, kill_on_first_batch)
    with pytest.raises(IngestError, match=r"^theme tagging failed: the tagging process stopped unexpectedly"):
        ingest([src], ix)
    assert docs_by_id(ix) == before
    r = CliRunner().invoke(main, ["ingest", str(src), "--index", str(ix)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.strip().splitlines() == [f"sgsearch: {KILLED}"]
    monkeypatch.setattr(tagworker, "_initializer", own)
    assert ingest([src], ix).added == [str((src / "b.txt").resolve())]  # and the next run completes it


def test_a_file_that_cannot_be_tagged_fails_alone_named_and_the_rest_ingests(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(REPORT, encoding="utf-8")
    (src / "b.txt").write_text(REPORT.replace("Neglect", "Domestic abuse"), encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([src], ix).ok
    before = docs_by_id(ix)
    (src / "b.txt").write_text(REPORT + "\n3 Poisoned\n\n3.1 " + POISON + " The Zebra Crossing Protocol (ZCP) "
                               "was used.\n", encoding="utf-8")
    (src / "c.txt").write_text(REPORT.replace("Fathers", "Kestrels") + "\n3 Owls\n\n3.1 The Quiet Owl Group "
                               "(QOG) met.\n", encoding="utf-8")
    (src / "d.txt").write_text(POISON + " The Lantern Review Panel (LRP) met.\n", encoding="utf-8")
    worker_start(monkeypatch, fail_on_poison)
    report = ingest([src], ix)
    b, c, d = (str((src / n).resolve()) for n in ("b.txt", "c.txt", "d.txt"))
    assert report.failed == [{"path": b, "error": "theme tagging failed: MemoryError: no room for"},
                             {"path": d, "error": "theme tagging failed: MemoryError: no room for"}]
    assert report.added == [c] and report.updated == []
    after = docs_by_id(ix)
    assert after["b"] == before["b"]  # the version that could be tagged stays
    assert after["c"]["sections"] and "d" not in after
    assert search(Store(ix), "kestrels").total
    defined = {d: [a for a, _ in pairs] for d, pairs in stored(Store(ix).current_dir()).defined.items()}
    assert defined.get("c") == ["QOG"]  # a file written defines its acronyms; one that failed tagging defines none
    assert not {"ZCP", "LRP"} & {a for acrs in defined.values() for a in acrs}, defined
    r = CliRunner().invoke(main, ["ingest", str(src), "--index", str(ix)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"{b}: theme tagging failed: MemoryError: no room for" in r.output


def test_a_text_longer_than_spacys_limit_is_tagged_in_pieces(monkeypatch):
    tagger = get_tagger()
    paragraph = ("The Neglect Toolkit was used. Practitioners should include fathers and male carers "
                 "in pre-birth assessments. There were no concerns about domestic abuse.")
    text = "\n\n".join([paragraph] * 40)
    whole = tagger.tag_many([text])[0]
    monkeypatch.setattr(tagger.nlp, "max_length", 1000)  # spaCy refuses the whole text now (E088)
    with pytest.raises(ValueError, match="E088"):
        tagger.nlp(text)
    monkeypatch.setattr("ingest.themes.PIECE_CHARS", 900)
    assert len(split_text(text)) > 5
    pieces = tagger.tag_many([text, "Neglect."])
    assert [t.to_dict() for t in pieces[0]] == [t.to_dict() for t in whole]
    assert [t.id for t in pieces[1]] == ["neglect"]


def test_long_texts_are_cut_between_paragraphs_then_lines_then_words():
    text = "a" * 60 + "\n\n" + "b" * 30 + "\n" + "c c c c c c"
    pieces = split_text(text, 80)
    assert "".join(pieces) == text and pieces[0] == "a" * 60 + "\n\n"
    assert all(len(p) <= 64 for p in split_text("word " * 100, 64))
    assert all(len(p) <= 10 for p in split_text("x" * 95, 10)) and "".join(split_text("x" * 95, 10)) == "x" * 95


@needs_sigkill
def test_the_worker_stops_with_its_parent(tmp_path):
    code = """
        import os, signal, sys
        from ingest.tagworker import Tagging
        if __name__ == "__main__":
            t = Tagging()
            t.result(t.submit(["neglect"]))  # it is up and tagging
            t.wait_ready()
            print(t.worker_pid, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    """
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    child = int(proc.stdout.strip())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by init) has gone too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


# -- no child, no spaCy, when there is nothing to tag -------------------------------------

def test_nothing_to_tag_starts_no_child(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(REPORT, encoding="utf-8")
    ix = tmp_path / "ix"
    assert ingest([tmp_path / "in"], ix).ok

    def refuse(*a, **k):
        raise AssertionError("a tagger was started")

    monkeypatch.setattr(tagworker.Tagging, "__init__", refuse)
    assert ingest([tmp_path / "in"], ix).unchanged  # unchanged re-ingest
    (tmp_path / "in" / "b.txt").write_text(REPORT + "\nA second report.\n", encoding="utf-8")  # not a copy of a.txt
    assert ingest([tmp_path / "in"], ix, tag=False).added  # untagged
    assert ingest([tmp_path / "missing"], tmp_path / "ix2").failed  # no files at all


def test_ingest_never_imports_spacy_in_the_calling_process(tmp_path):
    code = """
        import sys
        from ingest.pipeline import ingest
        r = ingest([sys.argv[1]], sys.argv[2])
        assert r.ok and r.sections, r
        assert "spacy" not in sys.modules
    """
    subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(corpus_dir()), str(tmp_path / "ix")],
                   cwd=ROOT, check=True)
