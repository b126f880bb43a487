"""Add reports from the web page: uploaded files are saved under the index's own
``uploads`` folder and ingested in a process of their own (spawned, never forked, so the
readers and spaCy never load in the server), watched from a background thread, with
progress a page can poll.
"""
from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path

from ingest.filenames import safe_file_name
from usecases import ingest_files

UPLOADS = "uploads"


def safe_name(filename: str) -> str:
    """A file name with no folders, no characters a file system could misread, and no name
    Windows reserves (``CON.pdf`` is saved as ``_CON.pdf``)."""
    return safe_file_name(filename)


def discard(paths: list[Path], folder: Path | None = None) -> None:
    """Remove uploaded files that will not be in the index, and their batch folder once empty."""
    for p in paths:
        try:
            Path(p).unlink(missing_ok=True)
        except OSError:  # held open elsewhere (Windows): left for the next clean-up
            pass
    for d in {Path(p).parent for p in paths} | ({Path(folder)} if folder else set()):
        try:
            d.rmdir()  # only when empty
        except OSError:
            pass


class IngestJob:
    """One ingest at a time: its files, progress, report and refusals."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.state = self._fresh()

    @staticmethod
    def _fresh() -> dict:
        return {"running": False, "phase": None, "done": 0, "total": 0, "current": None, "files": [],
                "refused": [], "report": None, "error": None, "started": None, "finished": None}

    def upload_dir(self) -> Path:
        """A new folder for one batch of uploads, inside the index folder."""
        d = self.index_dir / UPLOADS / (time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3))
        d.mkdir(parents=True, exist_ok=True)
        return d

    @property
    def running(self) -> bool:
        """Whether an ingest is under way."""
        with self._lock:
            return self.state["running"]

    def snapshot(self) -> dict:
        """The job's state as JSON-ready data."""
        with self._lock:
            return {k: (list(v) if isinstance(v, list) else v) for k, v in self.state.items()}

    def start(self, paths: list[Path], refused: list[dict]) -> bool:
        """Ingest ``paths`` in the ingest process, watched from a background thread; False if an
        ingest is already running."""
        with self._lock:
            if self.state["running"]:
                return False
            self.state = self._fresh()
            self.state.update(running=True, phase="parsing", total=len(paths), files=[p.name for p in paths],
                              refused=list(refused), started=time.time())
            if not paths:
                self.state.update(running=False, finished=time.time())
                return True
            self._thread = threading.Thread(target=self._run, args=(list(paths),), name="sgsearch-ingest", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running ingest (if any) is over."""
        t = self._thread
        if t is not None:
            t.join(timeout)

    def _progress(self, phase: str, n: int, total: int, path: str) -> None:
        """Ingest's progress: ``phase`` is parsing (files), tagging or writing (sections), committing."""
        with self._lock:
            self.state.update(phase=phase, done=n, total=total, current=Path(path).name if path else None)

    def _run(self, paths: list[Path]) -> None:
        report = error = None
        try:
            report = ingest_files(paths, self.index_dir, progress=self._progress)
        except Exception as e:  # the index busy or unusable, or the process stopped: said on the page, the server carries on
            error = str(e) or type(e).__name__
        # what did not get into the index (a file that failed, or one it holds already) does not stay in uploads/
        twice = (report or {}).get("duplicates", [])
        failed = {str(Path(f["path"]).resolve()) for f in [*(report or {}).get("failed", []), *twice]}
        discard([p for p in paths if report is None or str(Path(p).resolve()) in failed])
        with self._lock:
            self.state.update(running=False, report=report, error=error, current=None, finished=time.time(),
                              phase=None)
            if report:
                self.state["refused"] = self.state["refused"] + [
                    {"path": Path(f["path"]).name, "error": f["error"]} for f in report.get("failed", [])] + [
                    {"path": Path(d["path"]).name, "error": f"the same content as {Path(d['same_as']).name}: "
                                                           "indexed once, as that file"} for d in twice]
