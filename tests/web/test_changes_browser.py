"""In the real browser: the customer proposes a change, staff accepts it, both sign, the old version stays readable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import serve
from tests.web.conftest import PASSWORD, seed
from ukur.config import Settings
from ukur.web import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    world = seed(f"sqlite:///{tmp_path_factory.mktemp('changes-browser') / 'ukur.db'}")
    with serve(create_app(Settings(database_url=world.url))) as url:
        yield url


def _tab(browser, server: str, who: str):
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto(server + "/")
    tab.fill("input[name=email]", f"{who}@example.com")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(server + "/")
    return context, tab


def _sign(tab, name: str) -> None:
    tab.fill("input[name=signer_name]", name)
    tab.click("text=Sign this version >> nth=-1")


def test_customer_proposes_staff_accepts_both_sign_old_version_readable(browser, server):
    customer_ctx, customer = _tab(browser, server, "customer")
    staff_ctx, staff = _tab(browser, server, "staff")
    try:
        customer.click("text=Agreements")
        customer.click('a:text-is("kilat-gold")')
        agreement_url = customer.url
        customer.click("#changes-panel >> text=Propose a change")
        text = customer.input_value("textarea[name=yaml_text]")
        customer.fill("textarea[name=yaml_text]", text.replace("target: 24h", "target: 12h"))
        customer.fill("textarea[name=reason]", "we sell same-day delivery now")
        customer.click("#change-form button[type=submit]")
        assert "sent to the other party" in customer.locator(".flash").inner_text()
        assert "tightened" in customer.locator(".readable-diff").inner_text()
        assert customer.locator("#decide-form").count() == 0  # the proposer cannot decide
        change_url = customer.url

        staff.goto(change_url)
        staff.click("#decide-form >> text=Accept")
        assert "accepted" in staff.locator("#change-status").inner_text()
        staff.click("#result-version a")
        assert "target: 12h" in staff.locator("pre.code").last.inner_text()
        _sign(staff, "Budi Santoso")
        assert "provider: Budi Santoso" in staff.locator("table").last.inner_text()

        customer.goto(agreement_url + "?v=1")
        assert "target: 24h" in customer.locator("pre.code").last.inner_text()  # old version stays readable
        customer.fill("input[name=signer_name]", "Ani")
        customer.click("text=Sign this version >> nth=-1")
        assert "version 1 is outdated" in customer.content()
        customer.goto(agreement_url + "?v=2")
        _sign(customer, "Ani Wijaya")
        signatures = customer.locator("table").last.inner_text()
        assert "provider: Budi Santoso" in signatures and "customer: Ani Wijaya" in signatures
        customer.goto(agreement_url.rstrip("/") + "/changes?old=1&new=2")
        history = customer.locator("#history").inner_text()
        assert "Not signed: draft" in history  # version 1 was never signed; version 2 is
        assert "24h" in customer.locator(".readable-diff").inner_text()
    finally:
        customer_ctx.close()
        staff_ctx.close()
