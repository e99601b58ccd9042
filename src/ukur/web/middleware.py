"""ASGI middleware: upload size limit, security headers and one structured log line per request."""

from __future__ import annotations

import html
import json
import logging
import time
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestLogMiddleware", "SecurityHeadersMiddleware", "UploadLimitMiddleware", "human_size"]

log = logging.getLogger("ukur.web")

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'",
    ),
]
DOCS_CSP = (b"content-security-policy", b"frame-ancestors 'none'")


def human_size(n: int) -> str:
    """``20 MB`` for 20*1024*1024: the limit as people read it."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:g} {unit}" if unit == "bytes" else f"{n:.0f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return f"{n} bytes"


def _back_link(scope: Scope) -> str:
    """The page the upload came from (its path and query) when the Referer is this site, else ``/``.

    A plain link, because the Content-Security-Policy blocks ``javascript:`` URLs; only a same-origin
    referrer is used, so the page never links to another site.
    """
    headers = dict(scope["headers"])
    referer = urlsplit(headers.get(b"referer", b"").decode("latin-1"))
    host = headers.get(b"host", b"").decode("latin-1")
    if (
        referer.scheme in ("http", "https")
        and host
        and referer.netloc == host
        and referer.path.startswith("/")
    ):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


class _TooLarge(Exception):
    pass


class UploadLimitMiddleware:
    """Refuse request bodies larger than ``limit`` bytes with HTTP 413 and a clear message.

    Checks ``Content-Length`` first; bodies without it (chunked) are counted as they arrive.
    """

    def __init__(self, app: ASGIApp, *, limit: int, message: str) -> None:
        self.app = app
        self.limit = limit
        self.message = message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The app may turn the aborted body read into its own error response: replace it by the 413.
            nonlocal started
            if exceeded:
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(scope, send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        api = scope["path"].startswith("/api/")
        if api:
            body = json.dumps(
                {
                    "error": "PayloadTooLarge",
                    "message": self.message,
                    "source": None,
                    "line": None,
                    "column": None,
                    "field": None,
                }
            ).encode()
            kind = b"application/json"
        else:
            body = (
                "<!doctype html><meta charset=utf-8><title>413</title>"
                f"<p>{html.escape(self.message)}</p>"
                f"<p><a href='{html.escape(_back_link(scope), quote=True)}'>&larr;</a></p>"
            ).encode()
            kind = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Add nosniff, frame denial, referrer policy and a strict Content-Security-Policy to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] == "/api/docs"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [h for h in HEADERS if not (docs and h[0] == DOCS_CSP[0])]
                if docs:
                    extra.append(DOCS_CSP)
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)


class RequestLogMiddleware:
    """One log record per request: method, path (no query string), status, milliseconds, user id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [500]

        async def remember(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember)
        finally:
            session = scope.get("session") or {}
            log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status[0],
                        "ms": round((time.perf_counter() - start) * 1000, 1),
                        "user": session.get("uid"),
                    }
                },
            )
