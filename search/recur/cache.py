"""The index's items, tokenised once per index generation (an unchanged item's tokens carried
over from the last one) and kept in the per-user cache."""
from __future__ import annotations

import base64
import binascii
import json
import os
import sys
from array import array
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from pathlib import Path

import numpy as np

from search.index.records import item_json
from search.index.store import Store, cache_dir, replace_file
from search.recur.cachefiles import DIGEST_CHARS, digest, generation_key, remove_files
from search.recur.concepts import CONCEPT_PREFIX, Concepts
from search.recur.scoring import ConceptRows, JoinedStrings, concept_rows, item_tokens
from search.vocab.concepts import TOKENS_FILE, Changes, concepts_digest, text_key, written_concepts
from search.vocab.thesaurus import stored


def shown_item(r: dict) -> dict:
    """An item record as recur shows it: the Item fields, its document title, section number and page."""
    it = item_json(r)
    extra = r.get("cells") or {}
    it["title"] = r.get("doc_title")
    it["number"], it["heading"], it["page"] = extra.get("number"), extra.get("heading"), r.get("page_start")
    return it


def load_items(store: Store, kind: str | None = None, theme: str | None = None) -> list[dict]:
    """Every indexed item (optionally of one kind or theme), with its document title and section number."""
    terms = {"item_kind": kind} if kind else {}
    return [it for it in map(shown_item, store.records("item", **terms)) if not theme or theme in it["themes"]]


# -- the index's items, tokenised once per index generation ---------------------------------

_CACHE_VERSION = 15  # raise whenever tokenising changes: the reuse file carries tokens to later generations
_TOKEN_FIELDS = ("item_id", "doc_id", "kind", "year", "year_start", "themes", "status")
_CHECK_FIELDS = ("item_id", "doc_id", "kind")  # what --check reads; the others are in a file of their own


def _cache_key(store: Store, concepts: Concepts) -> str | None:
    """``<index>-<concepts><generation>``: the index folder's digest, then the concepts' (and the
    cache format's) and the live generation's: a new generation's files are found beside the
    previous one's of the same concepts, whose items' tokens it may reuse."""
    key = generation_key(store)
    if key is None:
        return None
    fingerprint = digest([_CACHE_VERSION, concepts_digest(concepts)])  # everything tokenising reads
    return f"{key[0]}-{fingerprint}{key[1]}"


def cache_path(store: Store, concepts: Concepts, part: str, prefix: str = "recur") -> Path | None:
    """The cache file ``part`` ("tokens", "items" or "reuse") of the index's live generation, or None;
    ``prefix``: whose files they are (the items', or another reader's kept the same way)."""
    key = _cache_key(store, concepts)
    return cache_dir() / f"{prefix}-{key}-{part}.json" if key else None


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


class CacheFile:
    """A cache file being written (``with CacheFile(path) as f: f.write(...)``): put in place
    atomically when the block ends well (``ok`` then says so), after which the files of the
    same index's older generations with the same prefix (see :func:`cache_path`) are deleted.
    Writing does nothing once the file cannot be written: a cache that cannot be written only
    costs time."""

    def __init__(self, path: Path | None):
        self.path, self.tmp, self.fh, self.ok = path, None, None, False

    def __enter__(self) -> CacheFile:
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
                self.fh = self.tmp.open("w", encoding="utf-8", newline="\n")  # the reuse file is read by its bytes
        except OSError:
            self._drop()
        return self

    def write(self, text: str) -> None:
        if self.fh is not None:
            try:
                self.fh.write(text)
            except OSError:
                self._drop()

    def _drop(self) -> None:
        try:
            if self.fh is not None:
                self.fh.close()
            if self.tmp is not None:
                self.tmp.unlink()
        except OSError:
            pass
        self.fh = self.tmp = None

    def __exit__(self, kind, value, tb) -> None:
        if kind is not None or self.fh is None:
            self._drop()
            return
        try:
            self.fh.close()
            replace_file(self.tmp, self.path)  # retried while another program holds the file open (Windows)
        except OSError:
            self._drop()
            return
        self.ok = True
        prefix, index, generation = self.path.name.split("-")[:3]
        remove_files(old for old in self.path.parent.glob(f"{prefix}-*.json")
                     if len(parts := old.name.split("-")) == 2  # an earlier version's
                     or (parts[1] == index and parts[2] != generation))


def _cache_write(path: Path | None, lines) -> bool:
    """Write a cache file atomically (the strings ``lines`` yields, which are consumed whatever
    happens; see :class:`CacheFile`); whether it was written."""
    with CacheFile(path) as f:
        for line in lines:
            f.write(line)
    return f.ok


def pack_ints(a: np.ndarray, dtype: str) -> str:
    """An integer array as base64 text: read back without a Python list of millions of ints."""
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")


def unpack_ints(text: str, dtype: str) -> np.ndarray:
    """The integer array :func:`pack_ints` packed as ``text``."""
    return np.frombuffer(base64.b64decode(text.encode("ascii"), validate=True), dtype=dtype).astype(
        np.int64 if dtype == "<i8" else np.int32)


def code_values(values: list) -> dict:
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
    return {"values": first, "codes": pack_ints(np.array(codes, dtype=np.int64), "<i4")}


def decode_values(column: dict) -> list:
    """The values :func:`code_values` coded as ``column``, one per item."""
    values = np.empty(len(column["values"]), dtype=object)
    for n, v in enumerate(column["values"]):  # one by one: a list value stays one object
        values[n] = v
    return values[unpack_ints(column["codes"], "<i4")].tolist()


def _encode_column(name: str, values: list):
    """How the cache writes a column: item ids as one joined text, the others coded."""
    return "\n".join(values) if name == "item_id" else code_values(values)


def _decode_column(name: str, value) -> Sequence:
    if name == "item_id":  # kept joined: an id is cut out when read (a Python string each is ~75 bytes at scale)
        return JoinedStrings(value.encode("utf-8"))
    return decode_values(value)


class SlimItems(Sequence):
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

    def take(self, keep: list[int]) -> SlimItems:
        """The items ``keep``, in that order."""
        cols, more = self.cols, self._more
        return SlimItems({f: [v[n] for n in keep] for f, v in cols.items()},
                         None if more is None else lambda: {f: [v[n] for n in keep] for f, v in more().items()})


def index_tokens(store: Store, concepts: Concepts, release: bool = False) -> tuple[SlimItems, ConceptRows, dict[str, str]]:
    """The index's items (id, kind, year, themes), their concepts as :class:`ConceptRows`, and the
    words the concepts stem from.

    Tokenising every item is most of the work of ``recur`` and ``--check``; it is kept in the
    per-user cache folder, keyed by the index generation and the concepts, so a second run
    (and every ``--check`` after the first) only reads it back: its first line holds the
    concepts with the fields ``--check`` needs, its second the items' other fields (read when
    asked for); the whole items go in a second file, which ``recur`` reads when it shows many,
    and each item's tokens by a digest of its text in a third, which the next generation reads
    so that only the items an ingest added or changed are tokenised again. A new generation
    of the index replaces all three. Nothing else depends on them: delete them freely.
    ``release``: close the index's files once every item is read (see :func:`recur`).
    """
    path = cache_path(store, concepts, "tokens")
    got = _read_tokens(store, concepts, path)
    if got is None:
        # written, then read back as a later run reads it: what is kept is no larger than then
        got = _tokenise(store, concepts, path, keep=False, release=release)
        if got is None:
            got = _read_tokens(store, concepts, path) or _tokenise(store, concepts, None)
    return got


def _read_tokens(store: Store, concepts: Concepts, path: Path | None) -> tuple[SlimItems, ConceptRows, dict[str, str]] | None:
    """What :func:`index_tokens` returns, from the cache's tokens file; None if missing or damaged."""
    data = _cache_line(path, 0)
    try:
        cols = {f: _decode_column(f, data["items"][f]) for f in _CHECK_FIELDS}
        indptr = unpack_ints(data["indptr"], "<i8")
        rows = ConceptRows(JoinedStrings(data["strings"].encode("utf-8"), len(indptr) - 1), unpack_ints(data["sizes"], "<i4").tolist(),
                           data["vocab"].split("\n") if data["vocab"] else [], indptr, unpack_ints(data["indices"], "<i4"))
        if len(cols["item_id"]) == len(rows.strings) == len(rows.indptr) - 1:
            return SlimItems(cols, lambda: _other_columns(store, concepts, len(rows.strings))), rows, data["surface"]
    except (TypeError, KeyError, ValueError, AttributeError, IndexError, binascii.Error):
        pass
    return None


def _other_columns(store: Store, concepts: Concepts, n: int) -> dict[str, list]:
    """The items' fields that --check never reads, from the cache (or tokenised anew)."""
    data = _cache_line(cache_path(store, concepts, "tokens"), 1)
    try:
        cols = {f: _decode_column(f, data[f]) for f in _TOKEN_FIELDS if f not in _CHECK_FIELDS}
        if all(len(v) == n for v in cols.values()):
            return cols
    except (TypeError, KeyError, ValueError, AttributeError, IndexError, binascii.Error):
        pass
    return _tokenise(store, concepts, cache_path(store, concepts, "tokens"))[0].cols


RELEASE_EVERY = 20_000  # items read between two lets-go of the engine's pages (with ``release``)
BATCH = 256  # records read, then looked up in the reuse files, at a time


def _tokenise(store: Store, concepts: Concepts, path: Path | None,
              keep: bool = True, release: bool = False) -> tuple[SlimItems, ConceptRows, dict[str, str]] | None:
    """Every item tokenised, and the cache files written (see :func:`index_tokens`); None when
    they were and ``keep`` is false. An item whose text the index's previous generation held
    (with the same concepts) takes the tokens read then (:class:`_Reused`): after an ingest
    only new and changed items are tokenised."""
    surface: dict[str, str] = {}
    # a column per field, not a tuple per item (a tuple's header is most of a small one's memory);
    # each item's tokens joined by spaces (one string, not a list); values many items share are one object
    docs: list = []
    ordinals: list = []
    fields: dict[str, list] = {f: [] for f in _TOKEN_FIELDS}
    toks_of: list = []
    words_of = array("q")
    shared: dict = {}
    reuse_path = None if path is None else path.with_name(path.name.replace("-tokens.json", "-reuse.json"))
    known = KnownTokens(store, concepts, reuse_path)

    keep_one = shared.setdefault
    columns = [(f, fields[f]) for f in _TOKEN_FIELDS[1:]]
    item_ids = fields["item_id"]

    def lines(reuse: CacheFile):
        # a batch of records at a time, each let go once read: memory stays that of the slim items
        records = store.iter_records("item", release_every=RELEASE_EVERY if release else 0)
        while batch := list(islice(records, BATCH)):
            its = [shown_item(r) for r in batch]
            text = _item_lines(its)
            keys = [_text_key(it) for it in its]
            for r, it, key, got in zip(batch, its, keys, known.get_many(keys, its.__getitem__)):
                toks, words = made_tokens(got, it, concepts, surface)
                v = r.get("doc_id") or ""
                docs.append(keep_one((type(v), v), v))  # values many items share are one object
                ordinals.append(r.get("ordinal") or 0)
                item_ids.append(it.get("item_id"))
                for f, col in columns:
                    v = it.get(f)
                    col.append(v if v is None else keep_one((type(v), tuple(v) if isinstance(v, list) else v), v))
                toks_of.append(toks)
                words_of.append(len(it["text"].split()))
                if "\t" not in toks:
                    reuse.write(f"{key:016x}\t{toks}\t{words}\n")
            yield text

    with CacheFile(reuse_path) as reuse:
        _cache_write(cache_path(store, concepts, "items"), lines(reuse))
    known = None  # its buffers go before the rows are built
    if release:  # the pages of every item the engine read stay resident while its files are open
        store.close()
    shared.clear()
    # in document then reading order, as Store.records gives them
    ids = fields["item_id"]
    order = sorted(range(len(docs)), key=lambda i: (docs[i], ordinals[i], ids[i] or ""))
    docs = ordinals = ids = None  # let go
    items = SlimItems({f: [v[i] for i in order] for f, v in fields.items()})
    fields.clear()

    in_order: list[str] = []

    def toks_in_order():
        for i in order:
            toks, toks_of[i] = toks_of[i], None
            in_order.append(toks)  # already the rows' string: its tokens joined by spaces
            # a token is never empty and never holds a space (words are split on them; concept ids have none)
            yield toks.split(" ") if toks else []

    rows = concept_rows(items, toks_in_order(), words=[words_of[i] for i in order], strings=False)
    toks_of = words_of = order = None
    # two lines: what --check reads, then the items' other fields (read only when asked for)
    # texts joined and columns coded, not JSON lists: read back far quicker and smaller
    rows.strings = JoinedStrings.of(in_order)
    in_order.clear()
    written = _cache_write(path, chain(
        _json_line({"items": {f: _encode_column(f, items.cols[f]) for f in _CHECK_FIELDS},
                    "strings": rows.strings, "sizes": pack_ints(np.array(rows.sizes), "<i4"),
                    "vocab": "\n".join(rows.vocab), "indptr": pack_ints(rows.indptr, "<i8"),
                    "indices": pack_ints(rows.indices, "<i4"), "surface": surface}),
        _json_line({f: _encode_column(f, v) for f, v in items.cols.items() if f not in _CHECK_FIELDS})))
    return None if written and not keep else (items, rows, surface)


def _text_key(item: dict) -> int:
    """A 64-bit digest of what an item's tokens are read from (its text and heading)."""
    return text_key(item.get("text"), item.get("heading"))


def made_tokens(got: tuple[str, str] | None, item: dict | None, concepts: Concepts, surface: dict[str, str]) -> tuple[str, str]:
    """An item's tokens and the words its stems were read from (each joined by spaces): ``got``
    when they were found made already (see :class:`KnownTokens`), else ``item`` tokenised now; its
    readable words are added to ``surface`` either way, as tokenising it would add them."""
    if got is None:
        learnt: dict[str, str] = {}
        toks = " ".join(item_tokens(item, concepts, learnt))
        if not surface.keys() >= learnt.keys():  # most stems are known after the first items
            for s, w in learnt.items():
                surface.setdefault(s, w)
        return toks, " ".join(learnt.values())
    _learn(surface, *got)
    return got


def _learn(surface: dict[str, str], toks: str, words: str) -> None:
    """Add the readable words of an item's stems (its distinct stems in order, then ``words``
    in the same order) to ``surface``, as tokenising it would have."""
    if words:
        stems = dict.fromkeys(toks.split(" "))
        # a set less a dict looks each stem up (keys() - keys() would walk the whole of surface)
        if all(t.startswith(CONCEPT_PREFIX) for t in set(stems).difference(surface)):
            return  # every stem known already (most items after the first): nothing to add
        stems = [t for t in stems if not t.startswith(CONCEPT_PREFIX)]
        for s, w in zip(stems, words.split(" ")):
            surface.setdefault(s, w)


class _Reused:
    """The tokens of the items of an index's previous generation, by :func:`_text_key`: its
    "reuse" file, one line an item (its key in hex, a tab, its tokens, a tab, the words its
    stems were read from), kept as one buffer and found by a sorted array of the keys."""

    def __init__(self, data: bytes):
        b = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(b == 10)
        if not len(ends) or ends[-1] != len(b) - 1:
            raise ValueError("not whole lines")
        starts = np.r_[0, ends[:-1] + 1]
        if ((ends - starts) < 18).any() or (b[starts + 16] != 9).any():
            raise ValueError("not a reuse file")
        keys = np.zeros(len(starts), dtype=np.uint64)
        for i in range(16):  # one hex digit a pass: no (items x 16) array
            d = b[starts + i].astype(np.int64)
            if (((d < 48) | (d > 57)) & ((d < 97) | (d > 102))).any():
                raise ValueError("not a key")
            keys = (keys << np.uint64(4)) | np.where(d >= 97, d - 87, d - 48).astype(np.uint64)
        self.order = np.argsort(keys, kind="stable")
        self.keys = keys[self.order]
        self.data, self.starts, self.ends = data, starts, ends

    @classmethod
    def before(cls, path: Path | None) -> _Reused | None:
        """The newest reuse file of the same index and concepts as ``path``, or None."""
        if path is None:
            return None
        prefix, index, key = path.name.split("-")[:3]
        try:
            found = list(path.parent.glob(f"{prefix}-{index}-{key[:DIGEST_CHARS]}*-reuse.json"))  # its concepts' digest
            if not found:
                return None
            return cls(max(found, key=lambda p: p.stat().st_mtime_ns).read_bytes())
        except (OSError, ValueError):
            return None  # missing or damaged: everything is tokenised

    def get(self, key: int) -> tuple[str, str] | None:
        """(tokens, words) of the item whose text had ``key``, or None."""
        return self.get_many([key])[0]

    def get_many(self, keys: list[int]) -> list[tuple[str, str] | None]:
        """(tokens, words) of the items whose texts had ``keys``, None for each not found."""
        k = np.array(keys, dtype=np.uint64)
        i = np.minimum(np.searchsorted(self.keys, k), len(self.keys) - 1)
        n = self.order[i]
        data, out = self.data, []
        for hit, start, end in zip((self.keys[i] == k).tolist(), (self.starts[n] + 17).tolist(), self.ends[n].tolist()):
            toks, tab, words = data[start:end].decode("utf-8", "surrogatepass").partition("\t") if hit else ("", "", "")
            out.append((toks, words) if tab else None)
        return out


class _Written:
    """The tokens ingest stored in the index generation as it wrote the items (files
    ``item-tokens-<digest>-*.tsv``, lines as the reuse file's; another ``prefix``: another
    reader's, such as the passages') with the :class:`Changes` from the concepts they were made
    with to the index's; None when there are none of these concepts."""

    def __init__(self, reused: _Reused, changes: Changes):
        self.reused, self.changes = reused, changes

    @classmethod
    def of(cls, store: Store, concepts: Concepts, prefix: str = TOKENS_FILE) -> _Written | None:
        d = store.current_dir()
        if d is None:
            return None
        try:
            made = written_concepts(store.taxonomy(), stored(d))
            found = sorted(d.glob(f"{prefix}-{concepts_digest(made)}-*.tsv"))
            if not found:
                return None
            # written as text: on Windows its lines end "\r\n" (no token or word holds a "\r")
            data = b"".join(p.read_bytes() for p in found).replace(b"\r\n", b"\n")
            return cls(_Reused(data), Changes(made, concepts))
        except (OSError, ValueError):
            return None  # missing or damaged: those items are tokenised


class KnownTokens:
    """Tokens made already, by :func:`_text_key`: those of the index's previous generation (the
    newest reuse file beside ``reuse_path``, with the same concepts), then those ingest stored as it
    wrote (:class:`_Written`, in its files ``written``) unless the index's concepts may read that
    text differently."""

    def __init__(self, store: Store, concepts: Concepts, reuse_path: Path | None, written: str = TOKENS_FILE):
        self.previous = _Reused.before(reuse_path)
        self.written = _Written.of(store, concepts, written)

    def get_many(self, keys: list[int], item) -> list[tuple[str, str] | None]:
        """(tokens, words) for each of ``keys``, None where there are none to use; ``item(n)``:
        the ``n``-th key's item (its ``text`` and ``heading``), read only if its stored tokens are
        found. A batch's keys are looked up at once: one array search, not one per item."""
        got = self.previous.get_many(keys) if self.previous is not None else [None] * len(keys)
        written = self.written
        if written is not None:
            missed = [n for n, g in enumerate(got) if g is None]
            for n, g in zip(missed, written.reused.get_many([keys[n] for n in missed])):
                if g is not None and not written.changes.touches(item(n)):  # else a phrase or abbreviation it holds reads differently now
                    got[n] = g
        return got


_TEXT_PIECE = 1 << 20  # bytes of a joined text encoded at a time


def _json_line(value: dict) -> Iterator[str]:
    """``json.dumps(value) + "\\n"`` in pieces: a cache line is tens of MB at scale, never held as
    one string. A :class:`JoinedStrings` value is written as its joined text, a piece of it at a time."""
    joined = {}
    for k, v in value.items():
        if isinstance(v, JoinedStrings):
            joined[json.dumps(f"\0{k}\0")] = v
    if joined:
        value = {k: f"\0{k}\0" if isinstance(v, JoinedStrings) else v for k, v in value.items()}
    for piece in json.JSONEncoder().iterencode(value):
        text = joined.get(piece)
        if text is None:
            yield piece
            continue
        yield '"'
        buf, ends, start = text.text, text.ends, 0
        while start < len(buf):  # cut at a newline: never inside a character
            i = int(np.searchsorted(ends, start + _TEXT_PIECE))
            stop = int(ends[i]) + 1 if len(buf) - start > _TEXT_PIECE and i < len(ends) else len(buf)
            yield json.dumps(buf[start:stop].decode("utf-8"))[1:-1]  # a JSON string's inside, as json.dumps writes it
            start = stop
        yield '"'
    yield "\n"


def full_item(store: Store, slim: dict) -> dict:
    """The whole item (text, title, citation) for one found by :func:`index_tokens`."""
    r = store.record(slim["item_id"])
    return shown_item(r) if r else dict(slim, text="", title=None, number=None, heading=None, page=None)


_SHARED_FIELDS = ("title", "doc_id", "kind", "year", "heading", "number", "status", "section_id")
BULK_FETCH = 500  # more items than this are read from the cache file in one pass (quicker than one lookup each)


def full_items(store: Store, slims: list[dict], concepts: Concepts) -> dict[str, dict]:
    """The whole items for many slim ones, by id: one lookup each, or all at once when there are many."""
    if len(slims) <= BULK_FETCH:
        return {s["item_id"]: full_item(store, s) for s in slims}
    path = cache_path(store, concepts, "items")
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
    _cache_write(path, (_item_lines(items[n:n + BATCH]) for n in range(0, len(items), BATCH)))


def _item_line(item: dict) -> str:
    """A whole item's line in the items file: its id, a tab, the item (both as JSON)."""
    return f"{json.dumps(item['item_id'])}\t{json.dumps(item)}\n"


_FIRST = '{"item_id": '
_NEXT = "}, " + _FIRST  # outside a JSON string only: in one every quote is escaped


def _item_lines(items: list[dict]) -> str:
    """:func:`_item_line` of each item, joined: the items dumped as one list and cut where one
    ends and the next begins (one dump, not one per item; the same text)."""
    if items and all(next(iter(it), None) == "item_id" for it in items):
        text = json.dumps(items)
        parts = text[len(_FIRST) + 1:-2].split(_NEXT)
        if text.startswith("[" + _FIRST) and len(parts) == len(items):
            dumps = json.dumps
            return "".join([f"{dumps(it['item_id'])}\t{_FIRST}{p}}}\n" for it, p in zip(items, parts)])
    return "".join(map(_item_line, items))


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


def items_and_rows(store: Store, items: list[dict] | None, kind: str | None, concepts: Concepts,
                   release: bool = False):
    """The items given (tokenised here) or, when none are, the index's of ``kind`` (see
    :func:`index_tokens`; a :class:`SlimItems` sequence): ``(items, rows, surface)``."""
    if items is None:
        items, rows, surface = index_tokens(store, concepts, release)
        if kind:
            keep = [n for n, k in enumerate(items.column("kind")) if k == kind]
            items, rows = items.take(keep), rows.take(keep)
        return items, rows, surface
    surface: dict[str, str] = {}
    return items, concept_rows(items, [item_tokens(i, concepts, surface) for i in items]), surface
