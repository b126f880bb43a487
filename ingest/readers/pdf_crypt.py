"""PDFs encrypted with an empty user password: readable by anyone, refused by pdfium when the
encryption dictionary's permissions check (``/Perms``) does not verify.

Such a file is only "protected" by its permissions: every other reader opens it with the empty
password. :func:`unlocked` works out the file key from the empty password (ISO 32000-2,
algorithms 2.A and 2.B, for AES-256: revisions 5 and 6), writes a ``/Perms`` that verifies
with it, and gives the file's bytes so mended for pdfium to open. A file that needs a real
password stays refused.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path


def _aes(key: bytes, data: bytes, iv: bytes | None, decrypt: bool = False) -> bytes:
    # lazy: only an encrypted PDF needs AES (cryptography comes with pdfminer)
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    cipher = Cipher(algorithms.AES(key), modes.CBC(iv) if iv is not None else modes.ECB())
    op = cipher.decryptor() if decrypt else cipher.encryptor()
    return op.update(data) + op.finalize()


def _hash(revision: int, password: bytes, salt: bytes) -> bytes:
    """Algorithm 2.B (revision 6) or plain SHA-256 (revision 5) of a user password and salt."""
    k = hashlib.sha256(password + salt).digest()
    if revision < 6:
        return k
    i = 0
    while True:
        e = _aes(k[:16], (password + k) * 64, k[16:32])
        k = (hashlib.sha256, hashlib.sha384, hashlib.sha512)[int.from_bytes(e[:16], "big") % 3](e).digest()
        i += 1
        if i >= 64 and e[-1] <= i - 32:
            return k[:32]


def _encryption(path: Path) -> dict | None:
    """The encryption dictionary, read by pdfminer with the empty password; None when that fails."""
    # lazy: pdfminer loads only for an encrypted PDF
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve_all

    try:
        with open(path, "rb") as fh:
            doc = PDFDocument(PDFParser(fh), password="")
            enc = doc.encryption
            return resolve_all(enc[1]) if enc else None
    except Exception:  # noqa: BLE001 - any failure means: not a file this can open
        return None


def file_key(enc: dict, password: bytes = b"") -> bytes | None:
    """The AES-256 file key the user ``password`` unlocks, or None (another revision, or a wrong password)."""
    revision = enc.get("R")
    u, ue = enc.get("U"), enc.get("UE")
    if revision not in (5, 6) or not isinstance(u, bytes) or not isinstance(ue, bytes) or len(u) < 48 or len(ue) < 32:
        return None
    if _hash(revision, password, u[32:40]) != u[:32]:
        return None
    return _aes(_hash(revision, password, u[40:48]), ue[:32], bytes(16), decrypt=True)


def perms(key: bytes, p: int, encrypt_metadata: bool) -> bytes:
    """The ``/Perms`` value that verifies with ``key`` (algorithm 2.A's check, written anew)."""
    plain = (p & 0xFFFFFFFF).to_bytes(4, "little") + b"\xff\xff\xff\xff" + (b"T" if encrypt_metadata else b"F") \
        + b"adb" + os.urandom(4)
    return _aes(key, plain, None)


_PERMS = re.compile(rb"/Perms\s*(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))")


def unlocked(path: Path) -> bytes | None:
    """The file's bytes with a ``/Perms`` that the empty user password verifies, when the empty
    password opens it (AES-256); None when it does not, or nothing could be mended."""
    enc = _encryption(path)
    key = file_key(enc) if enc else None
    if key is None:
        return None
    meta = enc.get("EncryptMetadata", True)
    value = b"<" + perms(key, int(enc.get("P", -1)), meta is not False).hex().upper().encode() + b">"
    data = Path(path).read_bytes()
    mended, n = _PERMS.subn(lambda m: b"/Perms " + value.ljust(len(m.group(1)))
                            if len(m.group(1)) >= len(value) else b"/Perms " + value, data)
    return mended if n else None
