"""The Starlette application: one :class:`Site` (the index, its lock, the templates, the
CSRF token, the background ingest), security headers and error pages; :mod:`web.server`
puts them together with the routes of :mod:`web.routes`.
"""
from __future__ import annotations

import hmac
import secrets
import socket
import threading
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.templating import Jinja2Templates

from search.cite import section_citation
from search.errors import SgsearchError
from search.index.store import Store
from search.snippets import HL_END, HL_START
from usecases import DocumentReader
from web.jobs import IngestJob

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


def highlight(snippet) -> Markup:
    """A snippet as HTML: the text escaped, the matched words in ``<mark>``."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(HL_START, "<mark>").replace(HL_END, "</mark>"))


class Site:
    """What every page shares: the index, a lock around it, templates, CSRF token, ingest job."""

    def __init__(self, index_dir, read_only: bool = False):
        self.index_dir = Path(index_dir)
        self.store = Store(self.index_dir)
        self.read_only = read_only
        self.lock = threading.RLock()  # library calls one at a time: a Store is not shared across threads
        self.csrf = secrets.token_urlsafe(32)
        self.job = IngestJob(self.index_dir)
        self.reader = DocumentReader()  # a checked document is read in its process, kept from one check to the next
        # auto_reload off: the templates are part of the installed program, compiled once and never re-read
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                                 auto_reload=False)
        self.templates = Jinja2Templates(env=env)
        self.templates.env.filters["highlight"] = highlight
        self.templates.env.globals["site"] = self
        self.templates.env.globals["cite"] = section_citation  # one citation format, as the CLI prints

    def close(self) -> None:
        """Close the index's open files (the server is stopping)."""
        self.job.wait(60)
        self.reader.close()
        with self.lock:
            self.store.close()

    def labels(self) -> dict[str, str]:
        """Theme id to label, from the taxonomy the index was tagged with."""
        with self.lock:
            return {t.id: t.label for t in self.store.taxonomy().themes.values()}

    def cached(self, key, make):
        """``make()`` once per key until the index changes (:meth:`Store.cached`)."""
        with self.lock:
            return self.store.cached(key, make)

    def csrf_ok(self, token) -> bool:
        """Whether a form's token is this server's (compared in constant time)."""
        return isinstance(token, str) and hmac.compare_digest(token.encode(), self.csrf.encode())


def wants_json(request: Request) -> bool:
    """``?format=json`` or an Accept header that prefers JSON over HTML."""
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render(request: Request, template: str, context: dict, data=None, status_code: int = 200) -> Response:
    """The page as HTML, or ``data`` as JSON when the client asks for JSON."""
    if wants_json(request):
        return JSONResponse(data if data is not None else {}, status_code=status_code)
    site: Site = request.app.state.site
    return site.templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status: int, message: str, detail: str | None = None) -> Response:
    """An error as a page for people (``message``) or JSON for programs (``detail`` if given)."""
    if wants_json(request):
        return JSONResponse({"error": detail or message, "status": status}, status_code=status)
    site: Site = request.app.state.site
    return site.templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                           status_code=status)


NOT_FOUND = ("There is no report, section or page at this address. It may have gone when the reports were "
             "updated: search again, or look through all the reports.")


async def http_error(request: Request, exc: HTTPException) -> Response:
    """An HTTP error as a page: a missing page in words people read, the rest with its detail."""
    detail = exc.detail
    if not detail or detail == HTTPStatus(exc.status_code).phrase:
        detail = NOT_FOUND if exc.status_code == 404 else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404:  # the library's message names command-line steps: people get this one
        return error_page(request, 404, NOT_FOUND, detail)
    return error_page(request, exc.status_code, detail)


async def library_error(request: Request, exc: SgsearchError) -> Response:
    """What the library cannot do with the request, in its own words (one line)."""
    return error_page(request, 400, str(exc))


async def server_error(request: Request, exc: Exception) -> Response:
    """Anything else as a page that says the index is unchanged (never a traceback)."""
    try:
        return error_page(request, 500, "Something went wrong answering that. The index is unchanged; "
                                        "try again, or restart sgsearch serve.")
    except Exception:  # the templates themselves failed
        return HTMLResponse("<!doctype html><title>Error</title><p>Something went wrong.</p>", status_code=500)


class SecurityHeaders:
    """Add the Content-Security-Policy and friends to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def host_names(host: str | None = None) -> list[str]:
    """The names a browser may use for a server listening on ``host``: the loopback names, and
    the ``host`` given (for an all-interfaces host, this computer's own name). Any other name
    in a request's Host header is refused: a page on a rebound DNS name must not reach it."""
    names = list(LOOPBACK_NAMES)
    if host in (None, "", "127.0.0.1", "localhost", "::1"):
        return names
    if host in ("0.0.0.0", "::"):
        return names + _own_names()
    return names + [f"[{host}]" if ":" in host and not host.startswith("[") else host.lower()]


def _own_names() -> list[str]:
    """This computer's name and the addresses it resolves to (for a server on every interface)."""

    own = socket.gethostname().lower()
    if not own:
        return []
    names = [own, f"{own}.local"]
    try:
        for family, *_, address in socket.getaddrinfo(own, None, type=socket.SOCK_STREAM):
            ip = address[0].split("%")[0]
            names.append(f"[{ip}]" if family == socket.AF_INET6 else ip)
    except OSError:  # no name service: the name alone
        pass
    return list(dict.fromkeys(names))


class SameOrigin:
    """Refuse a request that changes something (POST) when its Origin header names another site:
    a form sent from a page elsewhere. Requests without an Origin (scripts, curl) still need the
    CSRF token the routes check."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
                await PlainTextResponse("Refused: the form was sent from another site.", status_code=403)(
                    scope, receive, send)
                return
        await self.app(scope, receive, send)
