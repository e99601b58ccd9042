"""Browser test (issue 10): a customer's user answers the feedback form on a phone (390 × 844) and the
success page then shows the answer.  Playwright drives Debian's /usr/bin/chromium against uvicorn."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import phone_context, serve
from tests.web.conftest import PASSWORD, seed
from tests.web.test_feedback import stock
from ukur.config import Settings
from ukur.web import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, dict[str, str]]]:
    world = seed(f"sqlite:///{tmp_path_factory.mktemp('feedback') / 'ukur.db'}")
    tokens = stock(world)
    with serve(create_app(Settings(database_url=world.url))) as url:
        yield url, world.agreement_a, tokens


def test_customer_answers_on_a_phone_and_the_success_page_shows_it(browser, site):
    url, agreement, tokens = site
    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    # the customer's user opens the link it received for shipment S2
    phone.goto(f"{url}/f/{tokens['a2']}")
    assert "Overall I am satisfied with this service" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone.locator("label.likert-option:has(input[name=csat][value='4'])").click()  # CSAT 4: Agree
    phone.locator("input[name=effort][value='5']").check()
    phone.locator("label.nps-option:has(input[value='8'])").click()
    phone.fill("textarea[name=comment]", "Kurirnya ramah, paket tiba utuh")
    box = phone.locator("button[type=submit]").bounding_box()
    assert box is not None and box["height"] >= 44  # a thumb-sized button
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{url}/f/thanks")
    assert "Thank you for your feedback" in phone.locator("main").inner_text()
    # the link is used now: opening it again says so
    phone.goto(f"{url}/f/{tokens['a2']}")
    assert "already been answered" in phone.locator("h1").inner_text()
    # the same user signs in and finds the answer on its success page
    phone.goto(f"{url}/signin")
    phone.fill("input[name=email]", "customer@example.com")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{url}/")
    phone.goto(f"{url}/agreements/{agreement}/success")
    answers = phone.locator("table.answers").inner_text()
    assert "Kurirnya ramah, paket tiba utuh" in answers and "S2" in answers
    row = phone.locator("table.answers tr", has_text="Kurirnya ramah").inner_text().split("\t")
    assert [cell.strip() for cell in row[2:5]] == ["4", "5", "8"]
    context.close()


@pytest.fixture(scope="module")
def survey_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, str]]:
    from tests.web.test_feedback_survey import SERVICE
    from ukur.store import SYSTEM, make_engine, make_session_factory, surveys
    from ukur.store import feedback as store
    from ukur.store.engine import transaction

    world = seed(f"sqlite:///{tmp_path_factory.mktemp('feedback_survey') / 'ukur.db'}")
    stock(world)
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        survey = surveys.create_survey(s, SYSTEM, SERVICE)
        token = store.create_link(
            s, SYSTEM, world.agreement_a, record_id="S3", survey_id=survey.id, answer_map={"csat": "sat1"}
        )[1]
    engine.dispose()
    with serve(create_app(Settings(database_url=world.url))) as url:
        yield url, world.agreement_a, token


def test_customer_answers_a_survey_questionnaire_link_on_a_phone(browser, survey_site):
    url, agreement, token = survey_site
    context = phone_context(browser)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(f"{url}/f/{token}")
    main = phone.locator("main").inner_text()
    assert "I agree my answers improve the service." in main and "I am satisfied with this delivery" in main
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone.fill("input[name='a.rec']", "8")
    phone.locator("label.likert-option:has(input[name='a.sat1'][value='5'])").click()
    phone.locator("label.likert-option:has(input[name='a.sat2'][value='1'])").click()
    phone.locator("label.likert-option:has(input[name='a.loy1'][value='4'])").click()
    phone.fill("textarea[name=comment]", "Survei di ponsel")
    phone.click("button[type=submit]")  # consent not ticked yet: the form comes back and says so
    assert "Please tick the box" in phone.locator("main").inner_text()
    phone.locator("input[name=agree]").check()
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{url}/f/thanks")
    phone.goto(f"{url}/f/{token}")
    assert "already been answered" in phone.locator("h1").inner_text()
    phone.goto(f"{url}/signin")
    phone.fill("input[name=email]", "customer@example.com")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{url}/")
    phone.goto(f"{url}/agreements/{agreement}/success")
    row = phone.locator("table.answers tr", has_text="Survei di ponsel").inner_text().split("\t")
    assert [cell.strip() for cell in row[1:3]] == ["S3", "5"]  # record and CSAT (sat1)
    assert "binomial test" in phone.locator("p.at-risk-rule").inner_text()  # the at-risk rule is stated
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
