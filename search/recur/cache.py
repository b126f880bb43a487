"""The index's items, tokenised once per index generation and kept in the per-user cache."""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path

import numpy as np
import platformdirs

from search.index.records import item_json
from search.index.store import Store
from search.recur.concepts import Concepts
from search.recur.scoring import _Joined, _Rows, _rows, item_tokens


def _item(r: dict) -> dict:
    """An item record as recur shows it: the Item fields, its document title, section number and page."""
    it = item_json(r)
    extra = r.get("cells") or {}
    it["title"] = r.get("doc_title")
    it["number"], it["heading"], it["page"] = extra.get("number"), extra.get("heading"), r.get("page_start")
    return it


def load_items(store: Store, kind: str | None = None, theme: str | None = None) -> list[dict]:
    """Every indexed item (optionally of one kind or theme), with its document title and section number."""
    terms = {"item_kind": kind} if kind else {}
    return [it for it in map(_item, store.records("item", **terms)) if not theme or theme in it["themes"]]


# -- the index's items, tokenised once per index generation ---------------------------------

_CACHE_VERSION = 13
_TOKEN_FIELDS = ("item_id", "doc_id", "kind", "year", "year_start", "themes", "status")
_CHECK_FIELDS = ("item_id", "doc_id", "kind")  # what --check reads; the others are in a file of their own


def _cache_dir() -> Path:
    """The per-user cache folder: ``$SGSEARCH_CACHE``, else the platform's."""
    env = os.environ.get("SGSEARCH_CACHE")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("sgsearch", appauthor=False))


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def _cache_key(store: Store, concepts: Concepts) -> str | None:
    """``<index>-<generation>``: the index folder's digest, then the live generation's and the concepts'."""
    d = store.current_dir()
    if d is None:
        return None
    try:
        stamp = d.stat().st_mtime_ns
    except OSError:
        return None
    generation = _digest([_CACHE_VERSION, str(d.resolve()), stamp, sorted(concepts.token_of.items()),
                          sorted(concepts.theme_of.items()), [r.pattern for r in concepts.openings],
                          sorted(concepts.common), sorted(concepts.stock),
                          sorted(concepts.spellings.items()), sorted(concepts.abbreviations.items()),
                          sorted(concepts.synonym_of.items()), sorted(concepts.places)])
    return f"{_digest(str(Path(store.root).resolve()))}-{generation}"


def _cache_path(store: Store, concepts: Concepts, part: str) -> Path | None:
    """The cache file ``part`` ("tokens" or "items") of the index's live generation, or None."""
    key = _cache_key(store, concepts)
    return _cache_dir() / f"recur-{key}-{part}.json" if key else None


def _cache_line(path: Path | None, n: int):
    """Line ``n`` (0 first) of a cache file of JSON lines, parsed; None if missing or damaged."""
    if path is None:
        return None
    try:
        with path.open(encoding="utf-8") as fh:
            for _ in range(n):
                fh.readline()
            return json.loads(fh.readline())
    except (OSError, ValueError):
        return None  # missing or damaged: rebuilt, never trusted


def _cache_write(path: Path | None, lines) -> None:
    """Write a cache file atomically (the strings ``lines`` yields, which are consumed whatever
    happens), and delete the files of the same index's older generations."""
    tmp = None
    try:
        if path is None:
            raise OSError("no cache")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            fh.writelines(lines)
        os.replace(tmp, path)
    except OSError:
        for _ in lines:  # the caller's work is done by reading them
            pass
        if tmp is not None:
            try:
                tmp.unlink()
            except OSError:
                pass
        return  # a cache that cannot be written only costs time
    index, generation = path.name.split("-")[1:3]
    for old in path.parent.glob("recur-*.json"):
        parts = old.name.split("-")
        if len(parts) == 2 or (parts[1] == index and parts[2] != generation):  # 2: an earlier version's
            try:
                old.unlink()
            except OSError:
                pass  # another process may be reading it (Windows); the next write retries


def _pack(a: np.ndarray, dtype: str) -> str:
    """An integer array as base64 text: read back without a Python list of millions of ints."""
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")


def _unpack(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text.encode("ascii"), validate=True), dtype=dtype).astype(
        np.int64 if dtype == "<i8" else np.int32)


def _code(values: list) -> dict:
    """A column of few distinct values (documents, kinds, years, theme lists) as those values
    and one small integer per item: read back in a blink, each value one shared object."""
    index: dict = {}
    first: list = []
    codes = []
    for v in values:
        key = (list, *v) if isinstance(v, list) else v  # a list by its contents
        code = index.get(key)
        if code is None:
            code = index[key] = len(first)
            first.append(v)
        codes.append(code)
    return {"values": first, "codes": _pack(np.array(codes, dtype=np.int64), "<i4")}


def _decode(column: dict) -> list:
    values = np.empty(len(column["values"]), dtype=object)
    for n, v in enumerate(column["values"]):  # one by one: a list value stays one object
        values[n] = v
    return values[_unpack(column["codes"], "<i4")].tolist()


def _encode_column(name: str, values: list):
    """How the cache writes a column: item ids as one joined text, the others coded."""
    return "\n".join(values) if name == "item_id" else _code(values)


def _decode_column(name: str, value) -> Sequence:
    if name == "item_id":  # kept joined: an id is cut out when read (a Python string each is ~75 bytes at scale)
        return _Joined(value.encode("utf-8"))
    return _decode(value)


class _Slim(Sequence):
    """The index's items as the cache keeps them, by column: item ``i`` becomes a dict (the
    fields of ``_TOKEN_FIELDS``) only when asked for, since ``--check`` reads a few of thousands.
    Columns not given are read by ``more()`` when first needed."""

    def __init__(self, cols: dict[str, list], more=None):
        self.cols = cols
        self._more = more

    def _all(self) -> dict[str, list]:
        if self._more is not None:
            self.cols = {**self._more(), **self.cols}
            self._more = None
        return self.cols

    def __len__(self) -> int:
        return len(self.cols["item_id"])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        cols = self._all()
        return {f: cols[f][i] for f in _TOKEN_FIELDS}

    def __iter__(self):
        cols = self._all()
        for values in zip(*(cols[f] for f in _TOKEN_FIELDS)):
            yield dict(zip(_TOKEN_FIELDS, values))

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def column(self, name: str) -> list:
        """One field of every item, in order."""
        return (self.cols if name in self.cols else self._all())[name]

    def take(self, keep: list[int]) -> _Slim:
        """The items ``keep``, in that order."""
        cols, more = self.cols, self._more
        return _Slim({f: [v[n] for n in keep] for f, v in cols.items()},
                     None if more is None else lambda: {f: [v[n] for n in keep] for f, v in more().items()})


def index_tokens(store: Store, concepts: Concepts) -> tuple[_Slim, _Rows, dict[str, str]]:
    """The index's items (id, kind, year, themes), their concepts as :class:`_Rows`, and the
    words the concepts stem from.

    Tokenising every item is most of the work of ``recur`` and ``--check``; it is kept in the
    per-user cache folder, keyed by the index generation and the concepts, so a second run
    (and every ``--check`` after the first) only reads it back: its first line holds the
    concepts with the fields ``--check`` needs, its second the items' other fields (read when
    asked for); the whole items go in a second file, which ``recur`` reads when it shows many.
    A new generation of the index replaces both. Nothing else depends on them: delete them freely.
    """
    path = _cache_path(store, concepts, "tokens")
    data = _cache_line(path, 0)
    try:
        cols = {f: _decode_column(f, data["items"][f]) for f in _CHECK_FIELDS}
        indptr = _unpack(data["indptr"], "<i8")
        rows = _Rows(_Joined(data["strings"].encode("utf-8"), len(indptr) - 1), _unpack(data["sizes"], "<i4").tolist(),
                     data["vocab"].split("\n") if data["vocab"] else [], indptr, _unpack(data["indices"], "<i4"))
        if len(cols["item_id"]) == len(rows.strings) == len(rows.indptr) - 1:
            return _Slim(cols, lambda: _other_columns(store, concepts, len(rows.strings))), rows, data["surface"]
    except (TypeError, KeyError, ValueError, AttributeError, IndexError, binascii.Error):
        pass
    return _tokenise(store, concepts, path)


def _other_columns(store: Store, concepts: Concepts, n: int) -> dict[str, list]:
    """The items' fields that --check never reads, from the cache (or tokenised anew)."""
    data = _cache_line(_cache_path(store, concepts, "tokens"), 1)
    try:
        cols = {f: _decode_column(f, data[f]) for f in _TOKEN_FIELDS if f not in _CHECK_FIELDS}
        if all(len(v) == n for v in cols.values()):
            return cols
    except (TypeError, KeyError, ValueError, AttributeError, IndexError, binascii.Error):
        pass
    return _tokenise(store, concepts, _cache_path(store, concepts, "tokens"))[0].cols


def _tokenise(store: Store, concepts: Concepts, path: Path | None) -> tuple[_Slim, _Rows, dict[str, str]]:
    """Every item tokenised, and the three cache files written (see :func:`index_tokens`)."""
    surface: dict[str, str] = {}
    # (order, the item's _TOKEN_FIELDS as a tuple (a third of a dict's memory), its tokens joined
    # by spaces (one string, not a list of them), words); values many items share are one object
    read: list[tuple] = []
    shared: dict = {}

    def one(v):
        return v if v is None else shared.setdefault((type(v), tuple(v) if isinstance(v, list) else v), v)

    def lines():
        # one record at a time, each let go once read: memory stays that of the slim items
        for r in store.iter_records("item"):
            it = _item(r)
            read.append(((one(r.get("doc_id") or ""), r.get("ordinal") or 0, r.get("id") or ""),
                         (it.get("item_id"), *(one(it.get(k)) for k in _TOKEN_FIELDS[1:])),
                         " ".join(item_tokens(it, concepts, surface)), len(it["text"].split())))
            yield _item_line(it)

    _cache_write(_cache_path(store, concepts, "items"), lines())
    shared.clear()
    read.sort(key=lambda x: x[0])  # in document then reading order, as Store.records gives them
    items = _Slim({f: [x[1][n] for x in read] for n, f in enumerate(_TOKEN_FIELDS)})
    # a token is never empty and never holds a space (words are split on them; concept ids have none)
    rows = _rows(items, (x[2].split(" ") if x[2] else [] for x in read), words=[x[3] for x in read])
    read.clear()
    # two lines: what --check reads, then the items' other fields (read only when asked for)
    # texts joined and columns coded, not JSON lists: read back far quicker and smaller
    rows.strings = _Joined.of(rows.strings)
    _cache_write(path, chain(
        _json_line({"items": {f: _encode_column(f, items.cols[f]) for f in _CHECK_FIELDS},
                    "strings": rows.strings.joined(), "sizes": _pack(np.array(rows.sizes), "<i4"),
                    "vocab": "\n".join(rows.vocab), "indptr": _pack(rows.indptr, "<i8"),
                    "indices": _pack(rows.indices, "<i4"), "surface": surface}),
        _json_line({f: _encode_column(f, v) for f, v in items.cols.items() if f not in _CHECK_FIELDS})))
    return items, rows, surface


def _json_line(value: dict) -> Iterator[str]:
    """``json.dumps(value) + "\\n"`` in pieces: a cache line is tens of MB at scale, never held as one string."""
    yield from json.JSONEncoder().iterencode(value)
    yield "\n"


def _full(store: Store, slim: dict) -> dict:
    """The whole item (text, title, citation) for one found by :func:`index_tokens`."""
    r = store.record(slim["item_id"])
    return _item(r) if r else dict(slim, text="", title=None, number=None, heading=None, page=None)


_SHARED_FIELDS = ("title", "doc_id", "kind", "year", "heading", "number", "status", "section_id")
BULK_FETCH = 500  # more items than this are read from the cache file in one pass (quicker than one lookup each)


def _fulls(store: Store, slims: list[dict], concepts: Concepts) -> dict[str, dict]:
    """The whole items for many slim ones, by id: one lookup each, or all at once when there are many."""
    if len(slims) <= BULK_FETCH:
        return {s["item_id"]: _full(store, s) for s in slims}
    path = _cache_path(store, concepts, "items")
    want = {s["item_id"] for s in slims}
    found = _read_items(path, want)
    if found is None:
        every = load_items(store)
        _write_items(path, every)
        found = {i["item_id"]: i for i in every if i["item_id"] in want}
    return found


def _write_items(path: Path | None, items: list[dict]) -> None:
    """The whole items, one a line after its id (``"id"<TAB>{item}``): read back, only the
    items wanted are parsed (memory stays that of the items shown, not of the index)."""
    _cache_write(path, map(_item_line, items))


def _item_line(item: dict) -> str:
    """A whole item's line in the items file: its id, a tab, the item (both as JSON)."""
    return f"{json.dumps(item['item_id'])}\t{json.dumps(item)}\n"


def _read_items(path: Path | None, want: set[str]) -> dict[str, dict] | None:
    """The items of ``want`` from the file :func:`_write_items` wrote, or None if it is missing or damaged."""
    if path is None:
        return None
    found = {}
    keys = {json.dumps(w): w for w in want}  # compared as written: only the wanted lines are parsed
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                key, tab, item = line.partition("\t")
                if not tab:
                    return None
                item_id = keys.get(key)
                if item_id is not None:
                    it = found[item_id] = json.loads(item)
                    for f in _SHARED_FIELDS:  # one copy of each title and heading, not one per item
                        if isinstance(it.get(f), str):
                            it[f] = sys.intern(it[f])
    except (OSError, ValueError):
        return None  # missing or damaged: rebuilt, never trusted
    return found


def _items_and_rows(store: Store, items: list[dict] | None, kind: str | None, concepts: Concepts):
    """The items given (tokenised here) or, when none are, the index's of ``kind`` (see
    :func:`index_tokens`; a :class:`_Slim` sequence): ``(items, rows, surface)``."""
    if items is None:
        items, rows, surface = index_tokens(store, concepts)
        if kind:
            keep = [n for n, k in enumerate(items.column("kind")) if k == kind]
            items, rows = items.take(keep), rows.take(keep)
        return items, rows, surface
    surface: dict[str, str] = {}
    return items, _rows(items, [item_tokens(i, concepts, surface) for i in items]), surface
