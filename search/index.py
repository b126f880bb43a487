"""The store: where the index lives, and how it is opened, read and replaced safely.

Layout of an index folder::

    DIR/CURRENT          name of the live Whoosh generation folder (one line)
    DIR/ix-<stamp>/      a Whoosh index + VERSION (schema version) + files.json
                         + taxonomy.json (the themes its sections were tagged with),
                         and engine/ + ENGINE: the sections' terms in tantivy (search.engine)
    DIR/ingest.lock      held (fcntl) by the process that is writing; holds its pid

An incremental ingest writes into the live generation with one Whoosh commit, which
is atomic. A rebuild (``--rebuild``, or a schema change) writes a new generation and
then swaps ``CURRENT`` with an atomic rename, so a failed or killed ingest always
leaves the previous index complete. Every write to Whoosh is mirrored into the
generation's tantivy index, committed after Whoosh's and stamped with its generation.
A record can be written before its tags are known and given them later in the same
commit (``add_later``/``add_tags``), and the postings of all but the tags written before
they come (``write_postings_ahead``). Only this module (and ``search.schema``) talks to Whoosh's storage layer.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections import deque
from pathlib import Path

import whoosh.index
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.query import Term
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool

from search import engine
from search.records import exact_value
from search.schema import SCHEMA_VERSION, make_schema

ENV_VAR = "SGSEARCH_INDEX"
CURRENT = "CURRENT"
TAXONOMY = "taxonomy.json"
LOCK = "ingest.lock"


class IndexBusy(Exception):
    """Another process is writing to the index."""


class IndexMissing(Exception):
    """There is no index at the location (nothing ingested yet)."""


def default_index_dir() -> Path:
    """The per-user data directory used when neither ``--index`` nor ``$SGSEARCH_INDEX`` is set."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("sgsearch", appauthor=False)) / "index"


def resolve_index_dir(option: str | os.PathLike | None = None) -> Path:
    """``--index DIR``, else ``$SGSEARCH_INDEX``, else the per-user data directory."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_index_dir()


class Store:
    """One index folder: open, read records, write under a lock, swap generations."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._ix = None
        self._searcher = None
        self._filters: dict = {}
        self._gen = None  # the generation folder self._ix was opened on
        self._engine = None
        self._taxonomy = (None, None)  # (where and when read, Taxonomy)

    # -- locations -------------------------------------------------------------
    def current_dir(self) -> Path | None:
        """The live generation folder, or None when nothing has been committed."""
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        d = self.root / name
        return d if name and d.is_dir() and whoosh.index.exists_in(str(d)) else None

    def exists(self) -> bool:
        return self.current_dir() is not None

    def version(self) -> str | None:
        d = self.current_dir()
        if d is None:
            return None
        try:
            return (d / "VERSION").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None

    def up_to_date(self) -> bool:
        """True when the live index was built with this version's schema and analysis."""
        return self.version() == SCHEMA_VERSION

    def manifest(self) -> dict:
        """``{path: {"sha256", "doc_id"}}`` of the files the live index was built from."""
        d = self.current_dir()
        if d is None:
            return {}
        try:
            return json.loads((d / "files.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def taxonomy(self):
        """The taxonomy the index was tagged with, so that search, ``--theme`` and the theme
        table know a user's own themes; the bundled one when the index has none (or none yet)."""
        from ingest.taxonomy import Taxonomy, load_taxonomy

        d = self.current_dir()
        path = d / TAXONOMY if d is not None else None
        try:
            key = (str(path), path.stat().st_mtime_ns) if path is not None else None
        except OSError:
            key = None
        if self._taxonomy[0] != key or self._taxonomy[1] is None:
            tax = None
            if key is not None:
                try:
                    tax = Taxonomy.from_json(path.read_text(encoding="utf-8"))
                except (OSError, ValueError, TypeError, KeyError):  # unreadable: fall back to the bundled one
                    tax = None
            self._taxonomy = (key, tax if tax is not None else load_taxonomy())
        return self._taxonomy[1]

    # -- reading ---------------------------------------------------------------
    def index(self):
        """The open Whoosh index (raises :class:`IndexMissing`)."""
        if self._swapped():
            self.close()
        if self._ix is None:
            d = self.current_dir()
            if d is None:
                raise IndexMissing(f"no index at {self.root}: run 'sgsearch ingest PATH' first")
            self._ix = whoosh.index.open_dir(str(d))
            self._gen = d.name
        return self._ix

    def _swapped(self) -> bool:
        """True when a rebuild swapped in another generation since ours was opened (ours is gone)."""
        if self._ix is None:
            return False
        try:
            return (self.root / CURRENT).read_text(encoding="utf-8").strip() != self._gen
        except OSError:
            return False

    def searcher(self):
        """A searcher kept open for this store's queries, refreshed when the index changes."""
        if self._swapped():
            self.close()
        if self._searcher is None:
            self._searcher = self.index().searcher()
            self._filters = {}
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
            self._filters = {}
        return self._searcher

    def engine(self):
        """The tantivy reader in step with :meth:`searcher`, or None (then match with Whoosh).

        It is out of step when an ingest was killed between the Whoosh commit and the
        tantivy one, or when the index predates the engine; the next ingest repairs it.
        """
        if not engine.AVAILABLE:
            return None
        s = self.searcher()
        gen = s.reader().generation()
        d = self.current_dir()
        stamp = engine.read_stamp(d) if d is not None else None
        if stamp is None or stamp != gen:
            return None
        try:
            if self._engine is None:
                self._engine = engine.Reader(d, stamp)
            elif self._engine.stamp != stamp:
                self._engine.reload(stamp)
        except Exception:  # a damaged engine folder: Whoosh still answers
            self._engine = None
        return self._engine

    def filter_docs(self, query):
        """The documents a filter query allows, remembered while the index is unchanged
        (a year or theme filter over 100k sections costs as much as a search)."""
        if query is None:
            return None
        s = self.searcher()
        key = repr(query)
        found = self._filters.get(key)
        if found is None:
            found = set(s.docs_for_query(query))  # whoosh takes a set (not a frozenset) as a filter
            if len(self._filters) > 64:
                self._filters.clear()
            self._filters[key] = found
        return found

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None
        self._engine = None

    def records(self, kind: str, **terms) -> list[dict]:
        """Stored fields of every record of ``kind`` matching exact ``terms`` (e.g. doc_id=...)."""
        q = Term("kind", kind)
        for field, value in terms.items():
            q = q & Term(field, value)
        hits = self.searcher().search(q, limit=None, sortedby="ordinal")
        return [dict(h) for h in hits]

    def record(self, rid: str) -> dict | None:
        """One record by its unique id."""
        found = self.searcher().document(id=rid)
        return dict(found) if found else None

    # -- writing ---------------------------------------------------------------
    def repair_engine(self) -> bool:
        """Rebuild the tantivy index from Whoosh's stored sections if it is out of step
        (call under :meth:`locked`); True when it was rebuilt."""
        d = self.current_dir()
        if d is None or not engine.AVAILABLE:
            return False
        self.close()
        ix = whoosh.index.open_dir(str(d))
        try:
            gen = ix.latest_generation()
            if engine.in_step(d, gen):
                return False
            _engine_writer(ix, d, fresh=False).commit(d, gen)
            return True
        finally:
            ix.close()

    @contextlib.contextmanager
    def locked(self):
        """Hold the ingest lock; raise :class:`IndexBusy` naming the holder's pid."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / LOCK
        fh = open(path, "a+", encoding="utf-8")
        held = False
        try:
            try:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except ImportError:  # pragma: no cover - not POSIX
                pass
            except OSError:
                fh.seek(0)
                pid = fh.read().strip() or "unknown"
                raise IndexBusy(f"the index is being updated by another process (pid {pid})") from None
            held = True
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            yield
        finally:
            if held:  # never erase the pid of the process that holds the lock
                with contextlib.suppress(OSError):
                    fh.seek(0)
                    fh.truncate()
            fh.close()

    @contextlib.contextmanager
    def writer(self, fresh: bool = False, taxonomy=None, extra: dict[str, str] | None = None):
        """A Whoosh writer over the live index, or over a new generation when ``fresh``.

        On success the writes are committed (and a new generation swapped in); on any
        error they are cancelled and the previous index stays as it was. Yields
        ``(writer, manifest)``: update the manifest dict in place with the files written.
        The writer mirrors ``add_document``, ``update_document`` and ``delete_by_term``
        into the generation's tantivy index. ``taxonomy`` (what the sections written were
        tagged with) is saved beside them for :meth:`taxonomy`; so is each of ``extra``
        (file name -> text: the thesaurus the index keeps, ``search.thesaurus``).
        """
        self.close()
        live = self.current_dir()
        if fresh or live is None:
            target = self.root / f"ix-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
            target.mkdir(parents=True)
            ix = whoosh.index.create_in(str(target), make_schema())
            manifest: dict = {}
        else:
            target = live
            ix = whoosh.index.open_dir(str(target))
            manifest = self.manifest()
        try:
            # separate segment files: a compound file is copied into memory on every open
            w = ix.writer(timeout=5.0, compound=False)
        except whoosh.index.LockError:  # a writer outside our ingest lock (not an ingest)
            ix.close()
            if target != live:
                shutil.rmtree(target, ignore_errors=True)
            raise IndexBusy("the index is being written by another process: try again when it has finished") from None
        ew = mirrored = None
        try:
            ew = _engine_writer(ix, target, fresh=target != live)
            mirrored = _Mirrored(w, ew)
            yield mirrored, manifest
            mirrored.finish()  # every record written ahead has its tags, the schema its own methods
        except BaseException:
            if mirrored is not None:
                mirrored.restore()
            if ew is not None:
                ew.cancel()
            w.cancel()
            ix.close()
            if target != live:
                shutil.rmtree(target, ignore_errors=True)
            raise
        # the manifest goes first: killed between the two, it lists a file too many (harmless),
        # never one too few (which a later rebuild from the manifest would silently drop)
        _write_atomic(target / "files.json", json.dumps(manifest, sort_keys=True))
        if taxonomy is not None:  # before the commit: killed between, it knows a theme too many (harmless)
            _write_atomic(target / TAXONOMY, taxonomy.to_json())
        for name, text in (extra or {}).items():
            _write_atomic(target / name, text)
        w.commit()
        if ew is not None:  # stamped with the new Whoosh generation: until then queries use Whoosh
            ew.commit(target, ix.latest_generation())
        _write_atomic(target / "VERSION", SCHEMA_VERSION)
        ix.close()
        if target != live:
            _write_atomic(self.root / CURRENT, target.name)
            if live is not None:
                shutil.rmtree(live, ignore_errors=True)
        self._sweep()

    def _sweep(self) -> None:
        """Remove generation folders left behind by killed rebuilds."""
        live = self.current_dir()
        for d in self.root.glob("ix-*"):
            if d != live and d.is_dir():
                # a generation younger than a minute may belong to a rebuild running now
                with contextlib.suppress(OSError):
                    if time.time() - d.stat().st_mtime > 60:
                        shutil.rmtree(d, ignore_errors=True)


def _engine_writer(ix, target: Path, fresh: bool) -> engine.Writer | None:
    """A tantivy writer for the generation; rebuilt first from Whoosh's stored sections
    when it is missing or out of step (a killed ingest, or an index older than the engine)."""
    if not engine.AVAILABLE:
        return None
    if fresh:
        return engine.Writer(target, fresh=True)
    if engine.in_step(target, ix.latest_generation()):
        return engine.Writer(target, fresh=False)
    ew = engine.Writer(target, fresh=True)
    with ix.searcher() as s:
        for fields in s.documents(kind="section"):
            ew.add(fields)
    return ew


class _Mirrored:
    """A Whoosh writer whose writes also go to the tantivy writer (if there is one).

    A section is analysed once for both: while it is added, the ``index`` method of its
    positional fields in Whoosh's schema returns the postings made from the terms computed
    for tantivy (equal to what Whoosh's analyzers give: ``tests/test_engine.py`` compares
    every posting); the schema's own methods are back before the commit writes the schema.

    :meth:`add_later` writes a record before its tags are known (ingest writes while its
    tagger is still loading) and :meth:`add_tags` completes it; see :class:`_HeldDocs`.
    :meth:`write_postings_ahead` then writes the postings of all the rest while the tags come.
    """

    def __init__(self, w, ew: engine.Writer | None):
        self._w, self._ew = w, ew
        self._pending: dict[str, tuple[str, list]] = {}
        self._formats = {name: w.schema[name].format for name in _REPLAYED}
        self._held = w.perdocwriter = _HeldDocs(w.perdocwriter)
        self._waiting: deque[_Later] = deque()
        self._postings_written = False
        for name in _REPLAYED:
            field = w.schema[name]
            field.index = _ReplayIndex(field.index, name, self._pending)

    def restore(self) -> None:
        """Put the schema's own ``index`` methods and per-document writer back (before the
        commit pickles the schema); what was held and never completed is dropped."""
        for name in _REPLAYED:
            field = self._w.schema[name]
            if isinstance(field.__dict__.get("index"), _ReplayIndex):
                del field.index
        if isinstance(self._w.perdocwriter, _HeldDocs):
            self._w.perdocwriter = self._w.perdocwriter.real

    def finish(self) -> None:
        """Before the commit: every record added with :meth:`add_later` must have its tags."""
        if self._waiting:
            raise RuntimeError(f"{len(self._waiting)} record(s) written ahead never got their tags")
        self.restore()

    def _add(self, add, fields) -> tuple:
        """Add to Whoosh; the tantivy document of a section (None for other records)."""
        if self._postings_written:
            raise RuntimeError("the postings were written ahead: only tags can be added now")
        if self._ew is None or fields.get("kind") != "section":
            add(**fields)
            return None
        terms = engine.fields_terms(fields)
        values = _analysed(fields)
        items = _index_items(self._formats, fields, terms)
        self._pending.update({name: (values[name], items[name]) for name in _REPLAYED})
        try:
            add(**fields)
        finally:
            self._pending.clear()
        return engine.untagged_document(fields, terms)

    def add_document(self, **fields):
        document = self._add(self._w.add_document, fields)
        if self._ew is not None:
            self._ew.add(fields, document)

    def update_document(self, **fields):
        if self._ew is not None:
            self._ew.delete("id", fields["id"])
        document = self._add(self._w.update_document, fields)
        if self._ew is not None:
            self._ew.add(fields, document)

    def add_later(self, **fields) -> _Later:
        """Add a record whose tags (``LATE_FIELDS``) are not known yet: all the rest is written now.

        Give them with :meth:`add_tags`, in the order the records were added, before the
        commit; a record left without them fails the commit, and nothing is written.
        """
        fields = {k: v for k, v in fields.items() if k not in LATE_FIELDS}
        self._held.hold_next = True
        try:
            document = self._add(self._w.add_document, fields)
        finally:
            self._held.hold_next = False
        later = _Later(fields, document, self._held.held)
        self._waiting.append(later)
        return later

    def add_tags(self, later: _Later, **tags) -> None:
        """Complete a record added with :meth:`add_later` with its tag fields."""
        if not self._waiting or self._waiting[0] is not later:
            raise RuntimeError("tags must be given in the order the records were added")
        if set(tags) - LATE_FIELDS:
            raise ValueError(f"not a tag field: {sorted(set(tags) - LATE_FIELDS)}")
        self._waiting.popleft()
        w, docnum = self._w, later.held[0]
        calls = []
        for name, value in tags.items():
            if value is None:
                continue
            field = w.schema[name]
            length = 0
            if field.indexed:  # as Whoosh's add_document does for one field
                for tbytes, freq, weight, vbytes in field.index(value):
                    if field.scorable:
                        length += freq
                    w.pool.add((name, tbytes, docnum, weight, vbytes))
            calls.append(("add_field", (name, field, value if field.stored else None, length)))
            if field.column_type and value is not None:
                calls.append(("add_column_value", (name, field.column_type, field.to_column_value(value))))
        self._held.complete(later.held, calls)
        if self._ew is not None:
            self._ew.add(dict(later.fields, **tags), later.document)

    def write_postings_ahead(self) -> bool:
        """Write the postings of every field but the tags now, while records wait for their tags.

        Call it when all records are added (written ahead or whole): afterwards only
        :meth:`add_tags` may follow. Writing postings is most of Whoosh's commit; done here,
        it overlaps with the tagger, and the commit has only the tags' postings left.
        Nothing changes in what the index holds: the term index is written in the same
        order (the tag fields' terms in their place among the others, see
        :class:`_TermsAhead`). Returns False, and does nothing, where that cannot be done:
        a writer over existing segments (its commit may merge them into this one), or tag
        postings already pooled (records written whole with their tags).
        """
        w = self._w
        late = sorted(name for name in LATE_FIELDS if w.schema[name].indexed)
        fw = w.fieldwriter
        if (self._postings_written or w.segments or not late or set(late) & w.pool.fieldnames
                or not isinstance(getattr(fw, "_tindex", None), OrderedHashWriter)
                or getattr(fw, "_fieldmap", None) != {}):
            return False
        # field numbers in name order, as writing every field in one go would give them
        fw._fieldmap.update((name, i) for i, name in enumerate(sorted(w.pool.fieldnames | set(late))))
        fw._tindex = _TermsAhead(fw._tindex, pack_ushort(fw._fieldmap[late[0]]))
        pool = w.pool
        fw.add_postings(w.schema, _LengthsSoFar(self._held.lengths), pool.iter_postings())
        fw._tindex.ahead = False
        pool.cleanup()
        w.pool = PostingPool(pool.tempstore, pool.segment, limitmb=pool.limit // (1024 * 1024))
        self._postings_written = True
        return True

    def delete_by_term(self, field, value):
        self._w.delete_by_term(field, value)
        if self._ew is not None:
            self._ew.delete(field, value)

    def __getattr__(self, name):
        return getattr(self._w, name)


# The fields of a record that only tagging gives: written after the rest (see _Mirrored.add_later)
LATE_FIELDS = frozenset({"themes", "theme_evidence", "item_themes"})


class _Later:
    """A record written ahead of its tags: its fields, its tantivy document without themes, and
    its held per-document writes."""

    __slots__ = ("fields", "document", "held")

    def __init__(self, fields: dict, document, held: list):
        self.fields, self.document, self.held = fields, document, held


class _HeldDocs:
    """Stands in for a Whoosh segment writer's per-document writer while records wait for their tags.

    Whoosh writes a document's stored values, lengths and columns when it is added, in
    document order. Here each document's per-document writes are recorded instead, and passed
    on in document order as soon as no document before them is still waiting, with the tag
    fields in the place Whoosh's own ``add_document`` would have written them (fields in
    name order), so the index is the one adding each record whole would make
    (``tests/test_write_ahead.py`` compares postings, stored fields and lengths). Postings need
    no order: they go to the writer's pool at once. A document added while none waits goes
    straight through. Every field length is noted (as the length byte Whoosh keeps) for
    postings written before the per-document writer is closed (``write_postings_ahead``).
    """

    def __init__(self, real):
        self.real = real
        self._docs: deque[list] = deque()  # [docnum, calls, waiting]
        self._doc: list | None = None  # the document being added, unless it goes straight through
        self._docnum = -1
        self.hold_next = False  # set: the next document waits for fields (see held)
        self.held: list | None = None  # the last document that did
        self.lengths: dict[str, bytearray] = {}  # field name -> length byte of each document

    def start_doc(self, docnum):
        self._docnum = docnum
        if self.hold_next or self._docs:
            self._doc = [docnum, [], False]
        else:
            self._doc = None
            self.real.start_doc(docnum)

    def add_field(self, name, field, value, length):
        if length:
            col = self.lengths.get(name)
            if col is None:
                col = self.lengths[name] = bytearray()
            if len(col) <= self._docnum:
                col.extend(bytes(self._docnum + 1 - len(col)))
            col[self._docnum] = length_to_byte(length)
        self._call("add_field", (name, field, value, length))

    def add_column_value(self, *args):
        self._call("add_column_value", args)

    def add_vector_items(self, *args):
        self._call("add_vector_items", args)

    def _call(self, method: str, args: tuple) -> None:
        if self._doc is None:
            getattr(self.real, method)(*args)
        else:
            self._doc[1].append((method, args))

    def finish_doc(self):
        if self._doc is None:
            self.real.finish_doc()
            return
        if self.hold_next:
            self._doc[2] = True
            self.held = self._doc
        self._docs.append(self._doc)
        self._doc = None
        self._flush()

    def cancel_doc(self):
        for col in self.lengths.values():
            if len(col) > self._docnum:
                col[self._docnum] = 0
        if self._doc is None:
            self.real.cancel_doc()
        self._doc = None

    def complete(self, doc: list, calls: list) -> None:
        """A waiting document's tag fields: its writes are passed on when its turn comes."""
        doc[1] = sorted(doc[1] + calls, key=lambda call: call[1][0])  # stable: a field's writes keep their order
        doc[2] = False
        self._flush()

    def _flush(self) -> None:
        real, docs = self.real, self._docs
        while docs and not docs[0][2]:
            docnum, calls, _ = docs.popleft()
            real.start_doc(docnum)
            for method, args in calls:
                getattr(real, method)(*args)
            real.finish_doc()

    def __getattr__(self, name):
        return getattr(self.real, name)


class _LengthsSoFar:
    """The field lengths Whoosh's postings writer asks for, from those :class:`_HeldDocs` noted
    (what the closed per-document writer's reader would answer)."""

    def __init__(self, lengths: dict[str, bytearray]):
        self._lengths = lengths

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        col = self._lengths.get(fieldname)
        lbyte = col[docnum] if col is not None and docnum < len(col) else 0
        return byte_to_length(lbyte) if lbyte else default


class _TermsAhead:
    """Stands in for a field writer's term index (keys: field number + term, written in
    increasing order) while postings are written ahead of the tags'.

    Terms of the fields numbered after the first tag field are kept back, then written
    after the tags' terms when those come at the commit, so the index gets every key in the
    order writing them all in one go would give.
    """

    def __init__(self, real: OrderedHashWriter, first_late: bytes):
        self.real, self.first_late = real, first_late
        self.ahead = True  # False: the tags' terms are being written
        self._later: deque[tuple[bytes, bytes]] = deque()

    def add(self, key: bytes, value: bytes) -> None:
        later = self._later
        if self.ahead:
            if key >= self.first_late:
                later.append((key, value))
                return
        else:
            while later and later[0][0] < key:
                self.real.add(*later.popleft())
        self.real.add(key, value)

    def close(self) -> None:
        while self._later:
            self.real.add(*self._later.popleft())
        self.real.close()

    def __getattr__(self, name):
        return getattr(self.real, name)


_REPLAYED = ("heading", "text", "title", "exact", "publisher")


def _analysed(fields: dict) -> dict[str, str | None]:
    """The value each positional field's terms were made from (``exact`` from heading and text,
    as records.section_to_fields makes it): only that value is replayed, anything else analysed."""
    return {"heading": fields.get("heading"), "text": fields.get("text"), "title": fields.get("title"),
            "publisher": fields.get("publisher"),
            "exact": exact_value(fields)}


def _index_items(formats: dict, fields: dict, terms: dict) -> dict[str, list]:
    """What each field's ``index(value)`` returns, made from the terms: (term bytes, frequency,
    weight, encoded positions) per distinct term."""
    out = {}
    for name in _REPLAYED:
        def replay(_value, _terms=terms[name], **_kwargs):
            return _replay(_terms)

        out[name] = [(t.encode("utf-8"), freq, weight, vbytes)
                     for t, freq, weight, vbytes in formats[name].word_values(fields.get(name) or "", replay, mode="index")]
    return out


class _ReplayIndex:
    """A field's ``index`` while a :class:`_Mirrored` writer adds a section: the postings made
    for the value being added, else (any other value or use) the field's own method."""

    def __init__(self, index, name: str, pending: dict):
        self.index, self.name, self.pending = index, name, pending

    def __call__(self, value, **kwargs):
        got = self.pending.get(self.name)
        if got is None or kwargs or got[0] != value:
            return self.index(value, **kwargs)
        return got[1]


def _replay(terms):
    from whoosh.analysis import Token

    t = Token(positions=True, boosts=True, mode="index")
    for text, pos in terms:
        t.text, t.pos = text, pos
        yield t


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
