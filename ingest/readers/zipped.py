"""Zip-based documents (.docx, .odt): check a package by the bytes it really inflates to.

A zip's size headers are the packer's word: a forged one hides a bomb from a check of the
headers, and a library that reads a member whole inflates all of it before it notices.
:func:`check_package` streams every member through a small buffer, counting what comes out,
and refuses the package (one line) once the total passes the limit or a member gives more
than its header says; only then does a reader library open it. Headers that admit to more
than the limit are refused first, with nothing inflated.
"""
from __future__ import annotations

import copy
import zipfile
import zlib
from pathlib import Path

from ingest.blocks import IngestError
from ingest.readers import max_unzipped_bytes

CHUNK = 1 << 16  # bytes inflated at a time: what a check holds in memory
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all Word and OpenDocument files use


def check_package(path: Path, what: str, limit: int | None = None) -> None:
    """Raise IngestError when the zip at ``path`` is not a sound package of at most ``limit`` bytes
    unzipped (default ``SGSEARCH_MAX_UNZIPPED_MB``). ``what`` names the kind in messages ("Word")."""
    limit = max_unzipped_bytes() if limit is None else limit
    total = 0
    try:
        with zipfile.ZipFile(path) as z:
            declared = sum(info.file_size for info in z.infolist())
            if declared > limit:  # an honest bomb is refused on its headers, before any inflating
                raise IngestError(f"{what} package would unzip to {declared / 1048576:.0f} MB, over the "
                                  f"{limit // 1048576} MB limit (a zip bomb? set SGSEARCH_MAX_UNZIPPED_MB to raise it)")
            for info in z.infolist():
                if info.is_dir():
                    continue
                if info.compress_type not in _METHODS:
                    raise IngestError(f"corrupt {what} file: {info.filename} is packed in a way documents never are")
                probe = copy.copy(info)
                probe.file_size = limit + 1  # read what is really there, not what the header claims
                got = 0
                with z.open(probe) as member:
                    while chunk := member.read(CHUNK):
                        got += len(chunk)
                        total += len(chunk)
                        if total > limit:
                            raise IngestError(
                                f"{what} package unzips to more than its headers say, past the {limit // 1048576} MB "
                                "limit (a zip bomb? set SGSEARCH_MAX_UNZIPPED_MB to raise it)")
                        if got > info.file_size:
                            raise IngestError(f"corrupt {what} file: {info.filename} holds more than its size "
                                              "header says (a forged or damaged package)")
    except IngestError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError) as e:
        raise IngestError(f"corrupt {what} file: the package cannot be read ({' '.join(str(e).split())[:80] or type(e).__name__})") from None
