"""In the real browser: the agreement page's "PDF · in the background" button makes the monthly report as
a background job for the period typed in the (GET) download form (ukur.js copies it), shows its progress page, and offers the
finished PDF — the CSRF token travels in the POST body, never in a URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import serve
from tests.web.conftest import PASSWORD, seed
from ukur.config import Settings
from ukur.web import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    world = seed(f"sqlite:///{tmp_path_factory.mktemp('report-job') / 'ukur.db'}")
    with serve(create_app(Settings(database_url=world.url))) as url:
        yield url, world.agreement_a


def test_the_background_button_makes_the_pdf_of_the_chosen_period(browser, site) -> None:
    url, agreement = site
    context = browser.new_context(locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url + "/")
    page.fill("input[name=email]", "staff@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{url}/agreements/{agreement}")
    page.fill("#sla-report input[name=period]", "2025-12")
    page.select_option("#sla-report select[name=lang]", "id")
    page.click("button[form=sla-report-job]")
    page.wait_for_url(f"{url}/reports/jobs/*")
    link = page.locator("a[href$='/download']")
    link.wait_for()  # the progress page reloads itself once the job has finished
    with page.expect_download() as download:
        link.click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    assert download.value.suggested_filename.endswith("-2025-12.pdf")  # the period typed, not the default
    assert not any("csrf_token" in r for r in requested)
    context.close()
