"""Signed session cookies and CSRF tokens.

The session is a small JSON object (user id, CSRF token, chosen language) signed with
``itsdangerous`` and the server's secret; it is sent as an ``HttpOnly``, ``SameSite=Lax`` cookie that is
also ``Secure`` when the request came over https (``UKUR_SECURE_COOKIES=auto``, the default) or always
(``true``).  The signature carries a timestamp, so a cookie older than ``session_max_age`` is ignored.

CSRF: every session holds a random token; every HTML form carries it in a hidden ``csrf_token`` field
and every unsafe request authenticated by the cookie must send it back (form field or ``X-CSRF-Token``
header).  Requests authenticated by a Bearer API token need none (browsers never add that header).
"""

from __future__ import annotations

import json
import secrets
from http.cookies import SimpleCookie
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["COOKIE", "SessionMiddleware", "csrf_token", "valid_csrf"]

COOKIE = "ukur_session"


class SessionMiddleware:
    """Load ``scope["session"]`` from the signed cookie and write it back when it changed."""

    def __init__(self, app: ASGIApp, *, secret: str, max_age: int, secure: str = "auto") -> None:
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret, salt="ukur.session")
        self.max_age = max_age
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        raw = connection.cookies.get(COOKIE)
        data: dict[str, Any] = {}
        if raw:
            try:
                loaded = self.serializer.loads(raw, max_age=self.max_age)
                data = loaded if isinstance(loaded, dict) else {}
            except BadSignature:
                data = {}
        scope["session"] = data
        original = json.dumps(data, sort_keys=True)
        secure = self.secure == "true" or (self.secure == "auto" and scope.get("scheme") == "https")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                current = scope["session"]
                if json.dumps(current, sort_keys=True) != original:
                    headers = MutableHeaders(scope=message)
                    headers.append("Set-Cookie", self._cookie(current, secure))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, data: dict[str, Any], secure: bool) -> str:
        cookie: SimpleCookie = SimpleCookie()
        cookie[COOKIE] = self.serializer.dumps(data) if data else ""
        morsel = cookie[COOKIE]
        morsel["path"] = "/"
        morsel["httponly"] = True
        morsel["samesite"] = "Lax"
        morsel["max-age"] = self.max_age if data else 0
        if secure:
            morsel["secure"] = True
        return morsel.OutputString()


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def valid_csrf(session: dict[str, Any], sent: str | None) -> bool:
    """Whether ``sent`` is this session's CSRF token (constant-time comparison)."""
    expected = session.get("csrf")
    return isinstance(expected, str) and isinstance(sent, str) and secrets.compare_digest(expected, sent)
