"""The ingest lock: one writer per index folder, portable (Windows too) through ``filelock``.

The lock is an OS lock on ``ingest.lock``, so it dies with its process however that ends.
The holder's pid is written beside it, in ``ingest.pid``, only to name the holder to a
second ingest; a pid left there by a killed process is overwritten by the next holder.
This is the only module that knows how the lock is taken.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from search.errors import SgsearchError

LOCK = "ingest.lock"
PID = "ingest.pid"


class IndexBusy(SgsearchError):
    """Another process is writing to the index."""


class IndexUnwritable(SgsearchError):
    """The index folder cannot be made or written by this user."""


@contextlib.contextmanager
def ingest_lock(root: Path):
    """Hold the ingest lock of the index folder ``root``; raise :class:`IndexBusy` naming the holder."""
    from filelock import FileLock, Timeout  # only writers need it (it is slow to import)

    lock = FileLock(str(root / LOCK), timeout=0)
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:  # a TimeoutError, so an OSError: before the next
        try:
            pid = (root / PID).read_text(encoding="utf-8").strip() or "unknown"
        except OSError:
            pid = "unknown"
        raise IndexBusy(f"the index is being updated by another process (pid {pid})") from None
    except OSError as e:  # a read-only place, a folder of another user, a file where a folder should be
        raise IndexUnwritable(f"cannot write the index at {root} ({e.strerror or e}): give a folder you may "
                              "write to with --index DIR") from None
    try:
        with contextlib.suppress(OSError):
            (root / PID).write_text(str(os.getpid()), encoding="utf-8")
        yield
    finally:
        with contextlib.suppress(OSError):
            (root / PID).write_text("", encoding="utf-8")
        lock.release()
