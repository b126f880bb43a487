"""The passages an index generation lists: what its sections said in passing, one line each.

Ingest keeps a section's passages in its record (see :func:`search.index.records.section_to_fields`)
and lists them beside the index as it writes them, in files ``passages-<n>.tsv`` of the
generation, with ``passages.json`` naming which documents' lines each file still holds (a
document written again or removed leaves its older lines unread). ``recur --check`` reads this
list instead of every section record. A generation without ``passages.json`` was written before
passages were listed: its sections are the only place its passages are found. So is one whose
``passages.json`` is empty: written so before the engine's commit and in full after it (see
:meth:`search.index.store.Store.writer`'s ``after``), a list never names what an ingest that
failed or was killed before its commit would have written.

A list damaged (a file named but gone, a line cut short or not as written) is never read in part:
reading it raises :class:`ListDamaged`, and its reader reads the sections instead.

A line is ``<text key>\\t<words>\\t<[doc id, passage id]>\\t<[text, heading]>``: the
:func:`search.vocab.concepts.text_key` of what its tokens are read from (in hex), how many words
its text has, then two JSON arrays (which never hold a tab or a line break). Their tokens, made
as ingest writes them as an item's are, are kept in files of their own (:data:`TOKENS_FILE`).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

LIST_FILE = "passages"  # a generation's files f"{LIST_FILE}-<n>.tsv"
LIST_COVERS = f"{LIST_FILE}.json"  # which documents' lines each of them holds: {file name: [doc ids]}
# their tokens, as ingest made them: files f"{TOKENS_FILE}-<concepts' digest>-<n>.tsv", lines as the items'
# (see search.vocab.concepts.tokens_line), apart from the items' so that neither reader reads the other's
TOKENS_FILE = "passage-tokens"


def passage_id(section_id: str, n: int) -> str:
    """The id of a section's ``n``-th passage (1 first): ``<section id>~<n>``."""
    return f"{section_id}~{n}"


def parse_passage_id(pid: str) -> tuple[str, int] | None:
    """``(section id, n)`` of a passage id made by :func:`passage_id`; None when ``pid`` is not one."""
    section_id, tilde, n = pid.rpartition("~")
    if not (tilde and section_id and n.isascii() and n.isdigit() and n[0] != "0"):
        return None
    return section_id, int(n)


def section_passages(section_id: str, heading: str | None, said) -> Iterator[tuple[str, dict]]:
    """``(passage id, {"text", "heading"})`` of each passage a section keeps (``said``: its
    ``passages``), numbered by their place in it; one without text is skipped."""
    for n, p in enumerate(said or [], start=1):
        if isinstance(p, dict) and p.get("text"):
            yield passage_id(section_id, n), {"text": str(p["text"]), "heading": heading}


def passage_line(doc_id: str, pid: str, it: dict) -> str:
    """A passage's line in a list file (``it``: its ``text`` and ``heading``)."""
    from search.vocab.concepts import text_key  # lazy: its stemmer stays off the query path (passage ids)

    return (f"{text_key(it['text'], it.get('heading')):016x}\t{len(it['text'].split())}\t"
            f"{json.dumps([doc_id, pid], ensure_ascii=False)}\t"
            f"{json.dumps([it['text'], it.get('heading')], ensure_ascii=False)}\n")


class ListDamaged(ValueError):
    """The list cannot be read as written: the passages are to be read from the sections."""


class Listed:
    """One listed passage as read back: its text key, word count, document and id; its text and
    heading (:meth:`item`) parsed only when asked for."""

    __slots__ = ("key", "words", "doc", "pid", "_rest")

    def __init__(self, key: int, words: int, doc: str, pid: str, rest: str | dict):
        self.key, self.words, self.doc, self.pid, self._rest = key, words, doc, pid, rest

    @classmethod
    def of(cls, doc_id: str, pid: str, it: dict) -> Listed:
        """A passage read from its section instead (``it``: its text and heading)."""
        from search.vocab.concepts import text_key  # lazy, as in passage_line

        return cls(text_key(it["text"], it.get("heading")), len(it["text"].split()), doc_id, pid, it)

    def item(self) -> dict:
        """``{"text", "heading"}``, as its tokens are read from (:class:`ListDamaged` when its line
        holds no such pair)."""
        if isinstance(self._rest, dict):
            return self._rest
        try:
            text, heading = json.loads(self._rest)
        except (ValueError, TypeError):
            raise ListDamaged(f"passage {self.pid}: its text is not as written") from None
        if not isinstance(text, str) or not (heading is None or isinstance(heading, str)):
            raise ListDamaged(f"passage {self.pid}: its text is not as written")
        return {"text": text, "heading": heading}


def listed(folder: Path | None) -> Iterator[Listed] | None:
    """The passages the generation ``folder`` lists, in the order they were written; None when it
    lists none (written before passages were listed, its last ingest not committed, or its record
    of files unreadable). A file or line found damaged as they are read raises :class:`ListDamaged`."""
    files = _files(folder)
    return None if files is None else _lines(folder, files)


def lists_passages(folder: Path | None) -> bool:
    """Whether the generation ``folder`` has a list to read, as far as can be told without reading
    its lines: its record readable, each file it names there and ending with a whole line."""
    files = _files(folder)
    if files is None:
        return False
    for name, _ in files:
        try:
            with (folder / name).open("rb") as fh:
                if fh.seek(0, 2) and (fh.seek(-1, 2), fh.read(1))[1] != b"\n":
                    return False
        except OSError:
            return False
    return True


def _files(folder: Path | None) -> list[tuple[str, set[str]]] | None:
    """``[(file name, its documents)]`` of the list's record, oldest file first; None without one."""
    if folder is None:
        return None
    try:
        covers = json.loads((folder / LIST_COVERS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(covers, dict) or not all(
            isinstance(d, list) and all(isinstance(x, str) for x in d) for d in covers.values()):
        return None
    # a file's name holds the time it was written: older lists first
    return sorted((n, set(d)) for n, d in covers.items() if d)


def _lines(folder: Path, files: list[tuple[str, set[str]]]) -> Iterator[Listed]:
    for name, docs in files:
        try:
            with (folder / name).open(encoding="utf-8", newline="\n") as fh:
                for n, line in enumerate(fh, start=1):
                    got = _parsed(line)
                    if got is None:
                        raise ListDamaged(f"{folder / name}, line {n}: not as written")
                    if got.doc in docs:  # else that document was written again or removed since
                        yield got
        except (OSError, UnicodeDecodeError) as e:
            raise ListDamaged(f"{folder / name}: cannot be read ({e})") from None


def _parsed(line: str) -> Listed | None:
    """A list file's line read back; None when it is not one :func:`passage_line` writes."""
    if not line.endswith("\n"):
        return None  # cut short
    try:
        key, words, ids, rest = line.rstrip("\r\n").split("\t", 3)
        doc, pid = json.loads(ids)
        if not (isinstance(doc, str) and isinstance(pid, str)):
            return None
        return Listed(int(key, 16), int(words), doc, pid, rest)
    except (ValueError, TypeError):
        return None
