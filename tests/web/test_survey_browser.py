"""Browser test of the public respondent form on a phone (390×844): consent, sections, large radio buttons,
the response in the researcher's table, and a second submission with the same invitation refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.browser import PHONE, phone_context, serve
from tests.questionnaires import SMALL
from tests.web.conftest import PASSWORD, seed
from ukur.config import Settings
from ukur.store import Viewer, make_engine, make_session_factory, surveys
from ukur.store.engine import transaction
from ukur.store.models import User
from ukur.web import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A running server with one questionnaire of the researcher and two invitation tokens."""
    world = seed(f"sqlite:///{tmp_path_factory.mktemp('survey-browser') / 'ukur.db'}")
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        researcher = Viewer.of(s.get(User, world.users["researcher"]))
        survey = surveys.create_survey(s, researcher, SMALL)
        tokens = surveys.create_tokens(s, researcher, survey.id, 2)
        survey_id, key = survey.id, survey.public_key
    engine.dispose()
    with serve(create_app(Settings(database_url=world.url))) as url:
        yield {"url": url, "survey": survey_id, "key": key, "tokens": tokens}


def _fill_form(tab, base: str, key: str, token: str) -> None:
    _start(tab, base, key, token)
    _answer(tab)


def _start(tab, base: str, key: str, token: str) -> None:
    tab.goto(f"{base}/s/{key}?t={token}")
    assert tab.locator("h2#consent-title").is_visible()
    tab.click("button[type=submit]")  # without agreeing: the browser keeps us on the consent page
    assert "/form" not in tab.url
    tab.check("input[name=agree]")
    tab.click("button[type=submit]")
    tab.wait_for_url(re.compile(r"/form$"))


def _answer(tab) -> None:
    assert tab.locator("#progress-text").inner_text() == "Section 1 of 3"
    tab.click("text=Wanita")
    tab.click("fieldset[data-section='1'] [data-next]")
    assert tab.locator("#progress-text").inner_text() == "Section 2 of 3"
    # the second page's Next refuses until every item is answered, and marks the unanswered ones
    tab.click("fieldset[data-section='2'] [data-next]")
    assert tab.locator("#progress-text").inner_text() == "Section 2 of 3"
    assert tab.locator("#q-CM1.invalid").count() == 1
    for code, value in {"CM1": 4, "CM2": 2, "CM3": 4}.items():
        option = tab.locator(f"#q-{code} label.likert-option").nth(value - 1)
        box = option.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 300  # large touch targets
        option.click()
    tab.click("fieldset[data-section='2'] [data-next]")
    assert tab.locator("#progress-text").inner_text() == "Section 3 of 3"
    for code, value in {"MB1": 5, "MB2": 4, "MB3": 4}.items():
        tab.locator(f"#q-{code} label.likert-option").nth(value - 1).click()
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tab.click("fieldset[data-section='3'] button[type=submit]")


def test_phone_fills_the_form_and_the_response_reaches_the_table(browser, study):
    base, key, token = str(study["url"]), str(study["key"]), str(study["tokens"][0])  # type: ignore[index]
    context = phone_context(browser)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    _fill_form(tab, base, key, token)
    tab.wait_for_url(re.compile(r"/thanks$"))
    assert "Thank you" in tab.locator("main").inner_text()

    # the same invitation again: a clear page, nothing stored twice
    tab.goto(f"{base}/s/{key}?t={token}")
    assert tab.locator("h1").inner_text() == "This invitation has already been used"
    context.close()

    researcher = browser.new_context(locale="en-US").new_page()
    researcher.goto(base + "/")
    researcher.fill("input[name=email]", "researcher@example.com")
    researcher.fill("input[name=password]", PASSWORD)
    researcher.click("button[type=submit]")
    researcher.wait_for_url(base + "/")
    researcher.goto(f"{base}/surveys/{study['survey']}/responses")
    rows = researcher.locator("#responses tbody tr")
    assert rows.count() == 1
    cells = rows.first.inner_text()
    assert "Wanita" in cells and "\t4\t4\t4\t5\t4\t4" in cells  # CM2 ticked 2 is reverse-coded to 4
    researcher.context.close()


def test_second_submission_racing_in_another_tab_is_refused(browser, study):
    """Two phones open the same invitation; the first to send wins, the second gets the clear page."""
    base, key, token = str(study["url"]), str(study["key"]), str(study["tokens"][1])  # type: ignore[index]
    first, second = phone_context(browser), phone_context(browser)
    tab_a, tab_b = first.new_page(), second.new_page()
    for tab in (tab_a, tab_b):
        tab.set_default_timeout(10_000)
        _start(tab, base, key, token)
    _answer(tab_a)
    tab_a.wait_for_url(re.compile(r"/thanks$"))
    _answer(tab_b)
    tab_b.wait_for_load_state()
    assert tab_b.locator("h1").inner_text() == "This invitation has already been used"
    assert "/thanks" not in tab_b.url
    first.close()
    second.close()
