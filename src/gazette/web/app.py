"""The web application: pages, feeds and the JSON API over one open archive."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gazette.archive import Archive
from gazette.web import api, feeds, routes
from gazette.web.render import SidebarCache, make_templates

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data: https:; script-src 'none'; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]


class SecurityHeaders:
    """Adds a strict Content-Security-Policy (no scripts at all) and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)


async def http_error(request: Request, exc: Exception) -> Response:
    """JSON errors under ``/api/``; the helpful 404 page elsewhere; plain text otherwise."""
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    if exc.status_code == 404:
        return await routes.not_found(request, exc)
    return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)


def create_app(archive: Archive) -> Starlette:
    """The Starlette app serving ``archive``, which stays open for the app's lifetime.

    Handlers are ``async`` and call the archive directly: requests take turns on the event
    loop, so the archive's one SQLite connection and index reader are never shared by threads.
    """
    static = StaticFiles(packages=[("gazette.web", "static")])
    app = Starlette(
        routes=[*routes.routes, *feeds.routes, *api.routes, Mount("/static", static)],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: http_error},
    )
    app.state.archive = archive
    app.state.sidebar = SidebarCache(archive)
    app.state.templates = make_templates(app.state.sidebar)
    return app
