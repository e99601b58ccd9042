"""Sign-in rate limiting: too many failed sign-ins per account or per client address answer HTTP 429.

OWASP ASVS 4.0 V2.2.1 asks for anti-automation against credential stuffing and password guessing.
:class:`SignInLimitMiddleware` watches ``POST /signin``: a failure (the page answers 401) is counted for
the account (the e-mail, lower-cased) and for the client address; once either has ``max_failures``
(account) or ``max_address_failures`` (address) failures within ``window`` seconds, further attempts
are refused with 429, a ``Retry-After`` header and a message saying when to try again, without
checking the password.  A successful sign-in clears the account's count.

The counts live in this process (a sliding window per key): with several web processes each keeps
its own, so the effective limit is at most the number of processes times the configured one.  The
client address is the ASGI ``client`` (uvicorn sets it from ``X-Forwarded-For`` only for trusted
proxies, ``--forwarded-allow-ips``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SignInLimitMiddleware", "SlidingWindow"]

SIGNIN = "/signin"


class SlidingWindow:
    """Failure times per key within the last ``window`` seconds (thread-safe; old entries pruned)."""

    def __init__(self, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return deque()
        return hits

    def count(self, key: str) -> int:
        with self._lock:
            return len(self._prune(key, self.clock()))

    def retry_after(self, key: str) -> int:
        """Seconds until the oldest failure of ``key`` leaves the window."""
        with self._lock:
            hits = self._prune(key, self.clock())
            return max(1, int(hits[0] + self.window - self.clock()) + 1) if hits else 0

    def add(self, key: str) -> None:
        with self._lock:
            self._hits.setdefault(key, deque()).append(self.clock())

    def clear(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)


class SignInLimitMiddleware:
    """Refuse sign-in attempts with 429 after repeated failures for one account or one client address."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_failures: int = 5,
        max_address_failures: int = 20,
        window: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.max_failures = max_failures
        self.max_address_failures = max_address_failures
        self.failures = SlidingWindow(window, clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != SIGNIN:
            await self.app(scope, receive, send)
            return
        body, more = await _read_body(receive)
        account = "account:" + _email(scope, body)
        address = "address:" + (scope.get("client") or ("unknown", 0))[0]
        for key, limit in ((account, self.max_failures), (address, self.max_address_failures)):
            if self.failures.count(key) >= limit:
                await _too_many(send, self.failures.retry_after(key))
                return
        status = [0]
        pending: bytes | None = body

        async def replay() -> Message:
            nonlocal pending
            if pending is not None:
                message: Message = {"type": "http.request", "body": pending, "more_body": more}
                pending = None
                return message
            return await receive()

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        await self.app(scope, replay, watch)
        if status[0] == 401:
            self.failures.add(account)
            self.failures.add(address)
        elif status[0] == 303:
            self.failures.clear(account)


async def _read_body(receive: Receive, limit: int = 64 * 1024) -> tuple[bytes, bool]:
    """The request body up to ``limit`` bytes (a sign-in form is tiny); whether more is still to come."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False
        if size > limit:
            return b"".join(chunks), True


def _email(scope: Scope, body: bytes) -> str:
    kind = dict(scope["headers"]).get(b"content-type", b"")
    if not kind.startswith(b"application/x-www-form-urlencoded"):
        return ""
    values = parse_qs(body.decode("utf-8", "replace")).get("email", [""])
    return values[0].strip().lower()


async def _too_many(send: Send, retry_after: int) -> None:
    minutes = max(1, round(retry_after / 60))
    text = (
        f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}. / "
        f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit."
    )
    page = (
        "<!doctype html><html><head><meta charset=utf-8><title>429</title>"
        '<link rel="stylesheet" href="/static/style.css"></head>'
        f'<body><main><h1>429</h1><p>{text}</p><p><a href="/signin">Sign in</a></p></main></body></html>'
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(page)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": page})
