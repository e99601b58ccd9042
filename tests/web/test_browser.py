"""Browser tests: Playwright drives Debian's headless chromium (:mod:`tests.browser`, the ``browser``
fixture of tests/conftest.py) against a real uvicorn server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import serve
from tests.conftest import sla_yaml
from tests.web.conftest import PASSWORD, seed
from ukur.config import Settings
from ukur.web import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    world = seed(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'ukur.db'}")
    with serve(create_app(Settings(database_url=world.url))) as url:
        yield url


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="en-US", viewport={"width": 1000, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _sign_in(page, server: str, who: str = "staff", password: str = PASSWORD) -> None:
    page.goto(server + "/")
    page.fill("input[name=email]", f"{who}@example.com")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_sign_in_and_see_the_dashboard(page, server):
    _sign_in(page, server, password="wrong password!")
    assert page.locator(".error").inner_text() == "Wrong e-mail or password."
    _sign_in(page, server)
    page.wait_for_url(server + "/")
    assert page.locator("h1").inner_text() == "Welcome, Staff."
    assert page.locator(".card").first.inner_text().split() == ["2", "Agreements"]


def test_upload_an_agreement_and_see_its_version(page, server):
    _sign_in(page, server)
    page.click("text=Agreements")
    page.fill("textarea[name=yaml_text]", "id: broken\ntitle: [\n")
    page.click("form[action='/agreements'] button[type=submit]")
    assert "not valid YAML" in page.locator("#upload-error").inner_text()
    page.fill("textarea[name=yaml_text]", sla_yaml("kilat-bronze", "Toko A", "Kilat Bronze"))
    page.select_option("select[name=customer_org_id]", label="Toko A")
    page.fill("input[name=note]", "first draft")
    page.click("form[action='/agreements'] button[type=submit]")
    assert page.locator("h1").inner_text() == "Kilat Bronze"
    assert "Stored version 1 of kilat-bronze" in page.locator(".flash").inner_text()
    assert "first draft" in page.locator("table").inner_text()
    page.fill("input[name=signer_name]", "Budi Santoso")
    page.click("text=Sign this version >> nth=-1")
    assert "provider: Budi Santoso" in page.locator("table").inner_text()


def test_switch_language(page, server):
    _sign_in(page, server)
    page.click("text=Bahasa Indonesia")
    assert page.locator("h1").inner_text() == "Selamat datang, Staff."
    assert page.locator("html").get_attribute("lang") == "id"
    page.click("text=Perjanjian")
    assert page.locator("h1").inner_text() == "Perjanjian"
    page.click("text=English")
    assert page.locator("h1").inner_text() == "Agreements"


def test_phone_sized_screen_keeps_the_navigation_usable(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    _sign_in(tab, server)
    tab.wait_for_url(server + "/")
    tab.wait_for_selector(".cards")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert tab.locator("header nav a", has_text="Agreements").is_visible()
    context.close()


def test_run_a_pls_study_and_see_its_path_coefficients(page, server, tmp_path):
    from tests.web.test_pls_runs import DATA, MODEL

    data = tmp_path / "survey.csv"
    data.write_bytes(DATA)
    _sign_in(page, server, who="researcher")
    page.click("text=PLS projects")
    page.fill("input[name=name]", "Browser study")
    page.click("form[action='/pls'] button[type=submit]")
    page.set_input_files("input[name=file]", str(data))
    page.click("form[action$='/data'] button[type=submit]")
    page.fill("textarea[name=model_text]", MODEL)
    page.click("form[action$='/model'] button[type=submit]")
    page.fill("input[name=bootstrap]", "300")
    page.click("form[action$='/runs'] button[type=submit]")
    # The page polls the job through ukur.js and reloads itself when the job has finished.
    page.wait_for_selector("#paths", timeout=30_000)
    cells = page.locator("#paths tbody tr").first.locator("td").all_inner_texts()
    assert cells[:2] == ["A", "B"] and 0 < float(cells[2]) <= 1
    assert cells[5].startswith("[")  # the bootstrap confidence interval


def test_records_breach_credit_and_a_claim(page, server, tmp_path):
    from tests.web.test_compliance import PENALTIES

    shipments = tmp_path / "shipments.csv"
    rows = [f"B{i},2026-02-02 08:00,{'2026-02-04 08:00' if i < 4 else '2026-02-02 15:00'}" for i in range(20)]
    shipments.write_text("id,picked_up_at,delivered_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    _sign_in(page, server)
    page.click("text=Agreements")
    page.fill("textarea[name=yaml_text]", sla_yaml("kilat-credit", "Toko A", "Kilat Credit", extra=PENALTIES))
    page.click("form[action='/agreements'] button[type=submit]")
    page.set_input_files("#records-form input[name=file]", str(shipments))
    page.click("#records-form button[type=submit]")
    assert "20 records read from shipments.csv" in page.locator("#records-count").inner_text()
    page.click("text=Store these 20 records")
    assert "Stored shipments: 20 new, 0 updated." in page.locator(".flash").inner_text()
    page.fill("input[name=period]", "2026-02")
    page.click("text=Show")
    # 16 of 20 on time = 80 %: below both tiers, 10 % of the 1,000,000 IDR fee is owed.
    assert "100,000 IDR" in page.locator("#credits-owed").inner_text()
    assert "80.0 %" in page.locator("#compliance").inner_text()
    page.click("text=Agreements")
    status = page.locator("tr", has_text="kilat-credit").locator("td[data-agreement-status] .badge")
    assert status.inner_text() == "2026-02: not met (on-time)"
    page.go_back()
    agreement_url = page.url.split("?")[0]
    page.click("text=File a claim")
    page.fill("#claim-form input[name=kind]", "late")
    page.fill("#claim-form input[name=record_id]", "B1")
    page.click("#claim-form button[type=submit]")
    page.fill(".claim input[name=note]", "late by 41 hours")
    page.click(".claim button[value=approved]")
    assert page.locator(".claim-status").first.inner_text() == "approved"
    page.goto(agreement_url)
    assert "late by 41 hours" in page.locator(".claim").first.inner_text()
