"""Fetch published reports from http(s) URLs into local files that ingest reads like any other.

A URL is fetched with httpx (redirects capped, timeouts, the same size limit as for
files), its kind is sniffed from the content (a PDF, a Word or OpenDocument package, an
old .doc, RTF, a web page or plain text) rather than trusted from the URL or the
server's content type, and it is saved in a cache folder under a name stable for that
URL, so that ingesting an unchanged URL again finds the same file with the same hash
and does nothing. Each failure is one line naming the URL.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ingest.blocks import IngestError
from ingest.filenames import not_reserved
from ingest.readers import max_file_bytes, sniff
from search.index.store import replace_file

MAX_REDIRECTS = 5
TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 10.0
USER_AGENT = "sgsearch (safeguarding report search; +https://pypi.org/project/sgsearch/)"
_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def is_url(text: str) -> bool:
    """True when ``text`` looks like a URL (any scheme), not a path."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", str(text)))


def kind_of(data: bytes, content_type: str = "") -> str:
    """The file extension the content calls for: ``.pdf``, ``.docx``, ``.odt``, ``.doc``, ``.rtf``, ``.html``, ``.txt``."""
    head = data[:1024]
    kind = sniff(head)
    if kind == "pdf" or b"%PDF-" in head:
        return ".pdf"
    if kind == "ole":
        return ".doc"
    if kind == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "word/document.xml" in names:
                    return ".docx"
                if "mimetype" in names and _first_bytes(z, "mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                    return ".odt"
        except (zipfile.BadZipFile, OSError, KeyError):
            pass
        raise IngestError("not a document: a zip file that is neither a Word nor an OpenDocument text file")
    if head.lstrip().startswith(b"{\\rtf"):
        return ".rtf"
    if _HTML.match(head) or "html" in content_type.lower():
        return ".html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"not a document: binary content ({content_type or 'unknown type'})")
    return ".txt"


def _first_bytes(z: zipfile.ZipFile, name: str, n: int = 200) -> bytes:
    """The start of a zip member, inflating no more than that (a bomb's member stays packed)."""
    with z.open(name) as fh:
        return fh.read(n)


def cache_path(url: str, folder: Path, ext: str) -> Path:
    """Where the content of ``url`` is kept: a folder per URL, named after the URL's last part."""
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    stem = Path(unquote(urlsplit(url).path)).stem or urlsplit(url).hostname or "page"
    stem = not_reserved(_NAME.sub("-", stem).strip("-.")[:80] or "page")
    return folder / digest / (stem + ext)


def _error(e: Exception) -> str:
    # lazy: httpx is slow to import and only fetching a URL needs it
    import httpx

    if isinstance(e, httpx.TooManyRedirects):
        return f"too many redirects (more than {MAX_REDIRECTS})"
    if isinstance(e, httpx.TimeoutException):
        return f"timed out (no answer within {TIMEOUT_S:.0f} s)"
    if isinstance(e, httpx.HTTPStatusError):
        r = e.response
        return f"the server answered HTTP {r.status_code} {r.reason_phrase}".rstrip()
    if isinstance(e, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return "not a valid http(s) URL"
    if isinstance(e, httpx.ConnectError):
        return "cannot connect to the server (offline, or the address is wrong)"
    detail = str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
    return f"download failed: {detail}"


def client():
    """An httpx client with the redirect cap, timeouts and user agent fetching uses."""
    # lazy: httpx is slow to import and only fetching a URL needs it
    import httpx

    return httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS,
                        timeout=httpx.Timeout(TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
                        headers={"User-Agent": USER_AGENT})


def fetch(url: str, folder: Path, http=None) -> Path:
    """Download ``url`` into ``folder`` (see :func:`cache_path`); return the local file.

    Raises :class:`IngestError` with a one-line reason for anything but a document.
    """
    # lazy: httpx is slow to import and only fetching a URL needs it
    import httpx

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks the port: a bad one raises here, not in the download
    except ValueError as e:
        raise IngestError(f"not a valid http(s) URL ({e})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise IngestError(f"only http and https URLs can be ingested, not {scheme}:")
    limit = max_file_bytes()
    own = http is None
    if own:
        http = client()
    try:
        with http.stream("GET", url) as response:
            response.raise_for_status()
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise IngestError(f"the file is {int(declared) / 1048576:.0f} MB, over the "
                                  f"{limit // 1048576} MB limit (set SGSEARCH_MAX_FILE_MB to raise it)")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise IngestError(f"the download passed the {limit // 1048576} MB limit "
                                      "(set SGSEARCH_MAX_FILE_MB to raise it)")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
    except IngestError:
        raise
    except (httpx.HTTPError, httpx.InvalidURL) as e:
        raise IngestError(_error(e)) from None
    finally:
        if own:
            http.close()
    data = b"".join(chunks)
    if not data:
        raise IngestError("the server sent an empty file")
    target = cache_path(url, folder, kind_of(data, content_type))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:  # a folder one may not write in
        raise IngestError(f"the download could not be saved in {target.parent} ({e.strerror or e})") from None
    for old in target.parent.iterdir():  # the same URL may have changed kind since last time
        if old != target and old.is_file():
            # a copy another program holds open (Windows) or already gone is left: it is
            # never read again, as the download is kept under its new name
            with contextlib.suppress(OSError):
                old.unlink()
    if not target.exists() or target.read_bytes() != data:  # unchanged content keeps its file
        tmp = target.with_name(target.name + ".part")
        try:
            tmp.write_bytes(data)
        except OSError as e:  # a full disk, a folder one may not write in
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise IngestError(f"the download could not be saved as {target} ({e.strerror or e})") from None
        try:
            replace_file(tmp, target)
        except OSError as e:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise IngestError(f"the download could not be saved as {target} ({e.strerror or e}): "
                              "is it open in another program?") from None
    return target


def fetch_urls(paths: list, folder: Path) -> tuple[list, dict[str, str], list[dict]]:
    """Fetch the URLs among ``paths``: the paths with each URL replaced by its local file,
    ``{resolved local path: url}``, and ``[{"path": url, "error": reason}]`` for URLs that failed."""
    out: list = []
    urls: dict[str, str] = {}
    failed: list[dict] = []
    todo = [p for p in paths if is_url(str(p))]
    if not todo:
        return list(paths), urls, failed
    with client() as http:
        for p in paths:
            if not is_url(str(p)):
                out.append(p)
                continue
            url = str(p)
            try:
                local = fetch(url, Path(folder), http)
            except IngestError as e:
                failed.append({"path": url, "error": str(e)})
                continue
            out.append(local)
            urls[str(local.resolve())] = url
    return out, urls, failed
