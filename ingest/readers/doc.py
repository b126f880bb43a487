"""Read a legacy Word file (.doc) by converting it to .docx with LibreOffice.

``soffice --headless --convert-to docx`` runs in a temporary folder with its own
profile (so it does not clash with a LibreOffice the user has open); the .docx is
then read by the Word reader. Without LibreOffice the file is refused with one line
saying how to install it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ingest.blocks import IngestError, ReadResult

NO_SOFFICE = ("old Word .doc needs LibreOffice to convert it: install LibreOffice "
              "(https://www.libreoffice.org, or apt-get install libreoffice-writer-nogui) or save it as .docx")
# A conversion taking longer than this is abandoned.
TIMEOUT_S = 180


def soffice() -> str | None:
    """The LibreOffice command: on PATH (``soffice`` or ``libreoffice``), else in the folder
    its installer uses (the Windows installer and the macOS app do not put it on PATH), or None."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((str(p) for p in install_places() if p.is_file()), None)


def install_places() -> list[Path]:
    """Where LibreOffice's installers put ``soffice``: Program Files on Windows (64- and
    32-bit), /Applications on macOS, /opt and /usr/lib on Linux."""
    places = []
    for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        if os.environ.get(var):
            places.append(Path(os.environ[var]) / "LibreOffice" / "program" / "soffice.exe")
    places.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    places += sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)
    places.append(Path("/usr/lib/libreoffice/program/soffice"))
    return places


def convert(path: Path, to: str, outdir: Path) -> Path:
    """Convert ``path`` with LibreOffice into ``outdir`` as format ``to``; return the new file."""
    exe = soffice()
    if exe is None:
        raise IngestError(NO_SOFFICE)
    profile = (outdir / "profile").resolve().as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
           "--convert-to", to, "--outdir", str(outdir), str(path)]
    try:
        subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise IngestError(f"LibreOffice took over {TIMEOUT_S} s to convert the file") from None
    except OSError as e:
        raise IngestError(f"LibreOffice could not be started: {e.strerror or e}") from None
    out = outdir / (Path(path).stem + "." + to)
    if not out.exists() or out.stat().st_size == 0:
        raise IngestError("LibreOffice could not convert the file: damaged, or not a Word document")
    return out


def read_doc(path: Path) -> ReadResult:
    """Read a .doc file into blocks (``fmt="doc"``) through a LibreOffice conversion to .docx."""
    # lazy: python-docx loads only once the file is converted
    from ingest.readers.docx import read_docx

    if soffice() is None:
        raise IngestError(NO_SOFFICE)
    with tempfile.TemporaryDirectory(prefix="sgsearch-doc-", ignore_cleanup_errors=True) as tmp:
        src = Path(tmp) / ("source" + Path(path).suffix.lower())
        shutil.copyfile(path, src)  # a plain name: LibreOffice names its output after the input
        result = read_docx(convert(src, "docx", Path(tmp)))
    result.fmt = "doc"
    return result
