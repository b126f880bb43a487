"""The index folder: where it is, which generation is live, and how it is replaced safely.

Layout of an index folder::

    DIR/CURRENT          name of the live generation folder (one line)
    DIR/ix-<stamp>/      one engine's index (see search.index.backends), and beside it
                         BACKEND (the engine's name), VERSION (schema and analysis version),
                         files.json (the files it was built from) and taxonomy.json (the
                         themes its sections were tagged with)
    DIR/ingest.lock      held by the process that is writing (search.index.lock)

An incremental ingest writes into the live generation with the engine's one atomic
commit. A rebuild (``--rebuild``, another engine, or a new version) writes a new
generation and then swaps ``CURRENT`` with an atomic rename, so a failed or killed ingest
always leaves the previous index complete. The generation a rebuild replaced is marked
retired (a ``RETIRED`` file) and kept for :data:`RETIRED_FOR` seconds, so that a search that
read ``CURRENT`` just before the swap (or opened its files then and reads more of them
later) answers from the old index whole; the first command to open the index after that,
or the next ingest, removes it. Reading goes through :meth:`Store.backend`.
"""
from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from search.errors import SgsearchError
from search.index.backends import Backend, backend_class, default_engine
from search.index.lock import LOCK, PID, IndexBusy, ingest_lock
from search.index.schema import SCHEMA_VERSION
from search.vocab.taxonomy import Taxonomy, load_taxonomy

__all__ = ["CURRENT", "LOCK", "IndexBusy", "IndexDamaged", "IndexFolderError", "IndexMissing", "Store", "replace_file", "default_index_dir",
           "resolve_index_dir", "cache_dir"]

ENV_VAR = "SGSEARCH_INDEX"
CACHE_ENV_VAR = "SGSEARCH_CACHE"
CURRENT = "CURRENT"
BACKEND = "BACKEND"
TAXONOMY = "taxonomy.json"
MANIFEST = "files.json"
FETCHED = "fetched"  # copies of documents ingested from URLs (see ingest.fetch)
RETIRED = "RETIRED"  # in a generation a rebuild replaced: kept a while for searches still reading it
RETIRED_FOR = 600  # seconds a retired generation is kept: longer than any one command reads an index
DOCS_EVERY = 100  # documents read between two lets-go of the engine's pages (``release_every``): each maps its own
_OURS = {CURRENT, LOCK, PID, FETCHED}  # what an index folder holds besides its generations


class IndexMissing(SgsearchError):
    """There is no index at the location (nothing ingested yet), or it is from another version."""


class IndexDamaged(IndexMissing):
    """The live index's files cannot be read: damaged (a disk fault, a copy cut short, a file
    edited by hand) or not allowed to this user."""


class IndexFolderError(SgsearchError):
    """The location cannot hold an index (a file, or a folder of other things)."""


def default_index_dir() -> Path:
    """The per-user data directory used when neither ``--index`` nor ``$SGSEARCH_INDEX`` is set."""
    # lazy: off the query path; only the per-user default folder needs it
    from platformdirs import user_data_dir

    return Path(user_data_dir("sgsearch", appauthor=False)) / "index"


def cache_dir() -> Path:
    """The per-user cache folder: ``$SGSEARCH_CACHE``, else the platform's. What is kept there
    (recur's tokens, the tagger's trimmed lemma table) only saves time: delete it freely."""
    env = os.environ.get(CACHE_ENV_VAR)
    if env:
        return Path(env).expanduser()
    # lazy: only a cache kept outside $SGSEARCH_CACHE needs it
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sgsearch", appauthor=False))


def resolve_index_dir(option: str | os.PathLike | None = None) -> Path:
    """``--index DIR``, else ``$SGSEARCH_INDEX``, else the per-user data directory."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_index_dir()


def check_index_folder(root: Path) -> None:
    """Raise :class:`IndexFolderError` unless ``root`` is new, empty, or already an index."""
    if root.exists() and not root.is_dir():
        raise IndexFolderError(f"{root} is a file, not a folder: give a folder for the index")
    if not root.is_dir() or (root / CURRENT).is_file():
        return
    others = [p.name for p in root.iterdir() if p.name not in _OURS and not p.name.startswith("ix-")]
    if others:
        raise IndexFolderError(f"{root} holds other files ({', '.join(sorted(others)[:3])}) and no index: "
                               "give a new or empty folder for the index")


class Store:
    """One index folder: its live generation, read through its engine's backend."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._backend: Backend | None = None
        self._gen: str | None = None  # the generation self._backend was opened on
        self._cache: dict = {}  # values kept while the live index stays as it is (see cached)
        self._cache_stamp = None

    # -- the live generation ----------------------------------------------------------------
    def current_dir(self) -> Path | None:
        """The live generation folder, or None when nothing has been committed."""
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        d = self.root / name
        return d if name and d.is_dir() else None

    def exists(self) -> bool:
        """Whether an index has been committed here."""
        return self.current_dir() is not None

    def _read(self, name: str) -> str | None:
        d = self.current_dir()
        return _read_in(d, name) if d is not None else None

    def version(self) -> str | None:
        """The schema version the live index was built with (None when there is none)."""
        return self._read("VERSION")

    def up_to_date(self) -> bool:
        """True when the live index was built with this version's schema and analysis."""
        return self.version() == SCHEMA_VERSION

    def engine_name(self) -> str | None:
        """The engine the live index was written with (None: no index, or one older than engines)."""
        return self._read(BACKEND)

    def manifest(self) -> dict:
        """``{path: {"sha256", "doc_id", …}}`` of the files the live index was built from."""
        try:
            return json.loads(self._read(MANIFEST) or "{}")
        except ValueError:
            return {}

    def taxonomy(self):
        """The taxonomy the index was tagged with, so that search, ``--theme`` and the theme
        table know a user's own themes; the bundled one when the index has none (or none yet)."""
        return self.cached("taxonomy", self._read_taxonomy)

    def _read_taxonomy(self):
        d = self.current_dir()
        try:
            text = (d / TAXONOMY).read_text(encoding="utf-8") if d is not None else None
            tax = Taxonomy.from_json(text) if text is not None else None
        except (OSError, ValueError, TypeError, KeyError):  # unreadable: the bundled one
            tax = None
        return tax if tax is not None else load_taxonomy()

    def stamp(self):
        """What changes whenever the live index does (anyone's commit or rebuild): the live
        generation folder, its modification time and that of its file list, which every
        commit rewrites. None when there is no index or it cannot be told."""
        d = self.current_dir()
        try:
            st = (d / MANIFEST).stat() if d is not None else None
            return (d.name, d.stat().st_mtime_ns, st.st_mtime_ns, st.st_ino) if st is not None else None
        except OSError:
            return None

    def cached(self, key, make):
        """``make()`` once per ``key`` while the live index stays as it is (see :meth:`stamp`):
        the one cache of answers and files read "until the index changes". Nothing is kept
        while the state of the index cannot be told."""
        stamp = self.stamp()
        if stamp is None:
            return make()
        if stamp != self._cache_stamp:
            self._cache, self._cache_stamp = {}, stamp
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # -- reading ---------------------------------------------------------------------------
    def backend(self) -> Backend:
        """The live generation's engine, open and up to date (raises :class:`IndexMissing`)."""
        live = self.current_dir()
        if live is None:
            raise IndexMissing(f"no index at {self.root}")
        if self._backend is not None and self._gen == live.name:
            self._backend.refresh()
            return self._backend
        self.close()  # a rebuild swapped in another generation (ours is retired)
        # the version and engine of the generation opened, not of whatever CURRENT names by now
        if _read_in(live, "VERSION") != SCHEMA_VERSION:
            raise IndexMissing(f"the index at {self.root} was made by another version of sgsearch: "
                               "run 'sgsearch ingest' to rebuild it")
        self._backend = self._open(backend_class(_read_in(live, BACKEND) or "whoosh"), live, read=True)
        self._gen = live.name
        self._sweep(retired_only=True)
        return self._backend

    def _open(self, cls, folder: Path, read: bool = False) -> Backend:
        """``cls`` over the generation ``folder`` (``read``: its reader opened too, by counting
        its records); files its engine cannot read are :class:`IndexDamaged` (one line naming
        the index), whatever the engine raised."""
        backend = None
        try:
            backend = cls(folder)
            if read:  # the engine opens its files' readers lazily: a damaged one fails here, not mid-answer
                backend.records_total()
            return backend
        except SgsearchError:
            raise
        except Exception as e:  # each engine fails on a damaged file in its own words and types
            if backend is not None:
                with contextlib.suppress(Exception):
                    backend.close()
            if isinstance(e, PermissionError):
                raise IndexDamaged(f"the index at {self.root} cannot be read: permission denied "
                                   f"({e.filename or folder})") from None
            why = (str(e).strip().splitlines() or [type(e).__name__])[0][:120]
            raise IndexDamaged(f"the index at {self.root} is damaged and cannot be read ({why}): build it again "
                               f"with 'sgsearch ingest PATHS --rebuild --index {self.root}'") from None

    def records(self, kind: str, **terms: str) -> list[dict]:
        """Stored fields of every record of ``kind`` whose fields equal ``terms`` (e.g.
        ``doc_id=…``), in document then reading order."""
        found = self.backend().records(kind, **terms)
        return sorted(found, key=lambda r: (r.get("doc_id") or "", r.get("ordinal") or 0, r.get("id") or ""))

    def iter_records(self, kind: str, release_every: int = 0, **terms: str):
        """The records :meth:`records` gives, one at a time and in no particular order: for a
        reader of every item that keeps only a little of each. ``release_every``: let go of the
        engine's pages read so far every so many records (a one-shot reader of a large index:
        the pages stay mapped, and counted as its memory, while the files are open)."""
        yield from self.backend().iter_records(kind, release_every=release_every, **terms)

    def record(self, rid: str) -> dict | None:
        """One record by its unique id."""
        return self.backend().get(rid)

    def close(self) -> None:
        """Close the engine's open files; the next read opens the live index again."""
        if self._backend is not None:
            self._backend.close()
        self._backend = self._gen = None

    # -- writing ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self):
        """Hold the ingest lock (raises :class:`IndexBusy` naming the holder's pid, or
        :class:`IndexFolderError` when the folder cannot hold an index)."""
        check_index_folder(self.root)
        with ingest_lock(self.root):
            yield

    @contextlib.contextmanager
    def writer(self, fresh: bool = False, taxonomy=None, engine: str | None = None,
               extra: dict | None = None, after: dict | None = None):
        """A writer over the live index, or over a new generation when ``fresh`` (or when
        there is none yet, or ``engine`` is not the live one's). Yields ``(writer, manifest)``:
        update the manifest dict in place with the files written. On success everything is
        committed at once (and a new generation swapped in); on any error nothing is, and
        the previous index stays as it was. ``taxonomy`` (what the sections written were
        tagged with) is saved beside them for :meth:`taxonomy`; so is each of ``extra``
        (file name -> text, or the text in pieces: the thesaurus the index keeps,
        ``search.vocab.thesaurus``); a name given None is a file of the generation removed
        once the commit is done (quietly left if another program holds it open). Each of ``after``
        (file name -> text) is a file that must never describe writes not committed: it is made
        empty before the commit and written once the commit is done, so that a failed or killed
        commit (or a file held open past the retries) leaves it empty, never wrong.
        """
        self.close()
        live = self.current_dir()
        live_engine = self.engine_name() if live is not None else None
        engine = engine or live_engine or default_engine()
        cls = backend_class(engine)  # EngineUnavailable before anything is written
        if fresh or live is None or engine != live_engine:
            target = self.root / f"ix-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
            target.mkdir(parents=True)
            manifest: dict = {}
        else:
            target = live
            manifest = self.manifest()
        backend = w = None
        try:
            backend = cls.create(target) if target != live else self._open(cls, target)
            w = backend.writer()
            yield w, manifest
            # the manifest goes first: killed between it and the commit, it lists a file too
            # many (harmless), never one too few (which a rebuild from it would silently drop)
            _write_file(target / MANIFEST, json.dumps(manifest, sort_keys=True))
            if taxonomy is not None:
                _write_file(target / TAXONOMY, taxonomy.to_json())
            for name, text in (extra or {}).items():
                if text is not None:
                    _write_file(target / name, text)
            for name in after or {}:
                _write_file(target / name, "")
            if target != live:  # read only once CURRENT names the generation
                _write_file(target / BACKEND, engine)
                _write_file(target / "VERSION", SCHEMA_VERSION)
            w.commit()
            if target != live:  # nobody reads it yet: a failure here is the ingest's
                for name, text in (after or {}).items():
                    _write_file(target / name, text)
        except BaseException:
            if w is not None:
                with contextlib.suppress(Exception):
                    w.cancel()
            if backend is not None:
                backend.close()
            if target != live:
                _rmtree(target)
            raise
        backend.close()
        if target != live:
            try:
                _write_atomic(self.root / CURRENT, target.name)
            except OSError as e:  # still held open after the retries: keep the previous index whole
                _rmtree(target)
                raise _busy(self.root / CURRENT, e) from None
            if live is not None:
                _retire(live)
        else:
            for name, text in (after or {}).items():
                with contextlib.suppress(OSError):  # committed: left empty, it is written again next time
                    _write_atomic(target / name, text)
        for name, text in (extra or {}).items():
            if text is None:
                with contextlib.suppress(OSError):  # held open elsewhere (Windows): whoever named it tries again
                    (target / name).unlink()
        self._sweep()

    def _sweep(self, retired_only: bool = False) -> None:
        """Remove the generations rebuilds retired more than :data:`RETIRED_FOR` seconds ago
        and, unless ``retired_only`` (a reader, which holds no lock), those left behind by
        killed rebuilds."""
        live = self.current_dir()
        for d in self.root.glob("ix-*"):
            if d == live or not d.is_dir():
                continue
            with contextlib.suppress(OSError):
                retired = (d / RETIRED).exists()
                if retired or not retired_only:
                    # a folder's time is when its last file was made: a retired one's, its mark; another's
                    # younger than a minute may belong to a rebuild running now
                    if time.time() - d.stat().st_mtime > (RETIRED_FOR if retired else 60):
                        _rmtree(d)


def _read_in(d: Path, name: str) -> str | None:
    """The text of the file ``name`` of generation ``d``, stripped (None when it cannot be read)."""
    try:
        return (d / name).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _retire(d: Path) -> None:
    """Mark the generation ``d`` (no longer live) retired, to be removed once no search can still be
    reading it (see :meth:`Store._sweep`); one that cannot be marked is removed now."""
    try:
        (d / RETIRED).write_text("", encoding="utf-8")
    except OSError:
        _rmtree(d)  # may fail on Windows while read: swept later


def _rmtree(path: Path) -> None:
    # lazy: shutil (and the compression modules it loads) only when a write removes a folder
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _write_atomic(path: Path, text) -> None:
    """Write ``text`` (a string, or strings to write one after another) to ``path`` atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        if isinstance(text, str):
            fh.write(text)
        else:
            fh.writelines(text)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        replace_file(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _write_file(path: Path, text) -> None:
    """:func:`_write_atomic` for a file written before a commit: one that cannot be written (held
    open by another program past the retries, a full disk) fails the write in one line naming it."""
    try:
        _write_atomic(path, text)
    except OSError as e:
        if isinstance(e, PermissionError):  # Windows: another program has it open
            raise _busy(path, e) from None
        raise SgsearchError(f"{path} could not be written ({e.strerror or e}); the index was not changed") from None


def _busy(path: Path, e: OSError) -> IndexBusy:
    """The one-line error for a file of the index another program holds open past the retries."""
    return IndexBusy(f"{path} is held open by another program (a search or the web page) and could not be "
                     f"replaced ({e.strerror or e}); the index was not changed: try again")


def replace_file(src, dst, attempts: int = 7, wait: float = 0.05) -> None:
    """``os.replace(src, dst)``, tried again for a few seconds on PermissionError: on
    Windows a file another process has open (a search reading ``CURRENT``, the web page
    reading a manifest) cannot be replaced until it lets go."""
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(wait * 2 ** attempt)

