"""The web application: the routes of :mod:`web.routes` over one :class:`web.app.Site`."""
from __future__ import annotations

import contextlib

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from search.errors import SgsearchError
from web import routes
from web.app import (
    HERE,
    SameOrigin,
    SecurityHeaders,
    Site,
    host_names,
    http_error,
    library_error,
    server_error,
)

__all__ = ["create_app"]


def create_app(index_dir, read_only: bool = False, hosts: list[str] | None = None) -> Starlette:
    """The web application over the index at ``index_dir`` (which must exist). ``hosts``: the
    names its Host header may give (default :func:`web.app.host_names`, the loopback names)."""
    site = Site(index_dir, read_only=read_only)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        site.close()

    app = Starlette(
        lifespan=lifespan,
        routes=routes.ROUTES + [Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static")],
        exception_handlers={HTTPException: http_error, SgsearchError: library_error, Exception: server_error},
    )
    app.state.site = site
    app.add_middleware(SameOrigin)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts or host_names()), www_redirect=False)
    app.add_middleware(SecurityHeaders)
    return app
