"""What every browser test shares: Debian's chromium driven by Playwright, and the app on a loopback port.

The browser is /usr/bin/chromium (``.ci/browser.sh`` installs it); Playwright never downloads one.  When
it is missing the test fails under ``CI=true`` (nothing is skipped silently in CI) and is skipped, with
the reason shown, elsewhere.  :func:`serve` runs a real uvicorn server in a thread for as long as its
``with`` block lasts.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ARGS", "CHROMIUM", "PHONE", "free_port", "launch_chromium", "phone_context", "serve"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


PHONE = {"width": 390, "height": 844}
"""The phone viewport the respondent and feedback forms are tested on (a common mid-size phone)."""


def phone_context(browser: Any) -> Any:
    """A browser context that behaves like a phone: :data:`PHONE` viewport, touch, English locale."""
    return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def require_chromium() -> None:
    """Fail (in CI) or skip (elsewhere) with the reason when Debian's chromium is not installed."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing (run .ci/browser.sh); browser tests not run"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """A headless chromium (Playwright's ``Browser``), closed when the block ends."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serve(app: Any, timeout: float = 15.0) -> Iterator[str]:
    """Serve the ASGI ``app`` on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
