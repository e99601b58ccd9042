"""Browser test (issues 5, 10): the demo's success page of ``kilat-bisnis`` (more records than
``INLINE_RECORDS``, so its figures come from a background job) first shows the progress note, then, with
no reload by the user, the figures: ``static/ukur.js`` polls the job and reloads the page once it has
run, under the app's Content-Security-Policy.  Playwright drives Debian's /usr/bin/chromium against
uvicorn on the demo database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import serve
from ukur.config import Settings
from ukur.jobs import success_view
from ukur.store import SYSTEM, agreements, demo, make_engine, make_session_factory, migrate
from ukur.store.engine import transaction
from ukur.web import create_app
from ukur.web.routes.success import INLINE_RECORDS

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def demo_site(tmp_path, monkeypatch) -> Iterator[tuple[str, str, int, threading.Event]]:
    """The demo served on loopback: its URL, the admin's password, kilat-bisnis's id, and the gate the
    success job waits for (so the test surely sees the page while the job has not finished)."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as s:
        loaded = demo.load_demo(s, EXAMPLES)
        bisnis = next(a for a in agreements.list_agreements(s, SYSTEM) if a.slug == "kilat-bisnis")
        plan = success_view.success_plan(s, SYSTEM, bisnis.id, view="page")
        assert plan.record_count(s) > INLINE_RECORDS  # large enough for the background path as it is
        bisnis_id = bisnis.id
    engine.dispose()
    password = next(pw for _, role, pw in loaded.accounts if role == "admin")
    gate = threading.Event()
    real = success_view.compute_and_store

    def wait_then_compute(*args, **kwargs):
        assert gate.wait(60), "the test never let the job run"
        return real(*args, **kwargs)

    monkeypatch.setattr(success_view, "compute_and_store", wait_then_compute)
    try:
        with serve(create_app(Settings(database_url=url))) as base:
            yield base, password, bisnis_id, gate
    finally:
        gate.set()


def test_the_success_page_shows_progress_then_the_figures_without_a_manual_reload(browser, demo_site):
    base, password, bisnis, gate = demo_site
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{base}/signin")
    page.fill("input[name=email]", "admin@ukur.example")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    first = page.goto(f"{base}/agreements/{bisnis}/success")
    assert first is not None and "The figures are being computed" in first.text()
    note = page.locator("#computed-at[data-job]")
    assert note.locator("progress").count() == 1 and page.locator(".question").count() == 0
    # the script polls the job: it writes the job's state on the note and its message as the label
    page.wait_for_function(
        "() => ['queued', 'running'].includes("
        "document.querySelector('#computed-at[data-job]')?.getAttribute('data-state'))"
    )
    gate.set()
    done = page.locator("#computed-at:not([data-job])")
    done.wait_for(timeout=90_000)
    assert "Figures computed at" in done.inner_text()
    assert page.locator(".question").count() == 1 and page.locator("svg.trend").count() == 2
    assert page.locator("progress").count() == 0
    assert len(loads) == 2  # the test's own visit and the script's one reload
    assert problems == [], problems  # no Content-Security-Policy violation, script error or failed request
    context.close()
