"""Feedback with a questionnaire of the survey module (issue #10): the link names a stored questionnaire
and which of its items give CSAT and NPS; the public form shows its consent text and items, one answer per
token; the answers are stored with the link's agreement, record and customer; the success analysis reads
the mapped items as CSAT/NPS and keeps the others as items for the linking model."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import World, csrf_of
from tests.web.test_feedback import stock
from ukur.store import SYSTEM, make_engine, make_session_factory, surveys
from ukur.store import feedback as store
from ukur.store.engine import transaction

SERVICE = """\
ukur: questionnaire/v1
languages: [id, en]
title: {id: Survei layanan, en: Service survey}
introduction: {id: Tentang pengiriman ini., en: About this delivery.}
consent: {id: Saya setuju jawaban saya dipakai memperbaiki layanan., en: I agree my answers improve the service.}
scale:
  points: 5
  labels:
    id: [Sangat tidak setuju, Tidak setuju, Netral, Setuju, Sangat setuju]
    en: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]
profile:
  - {code: rec, type: number, min: 0, max: 10, text: {id: Rekomendasi 0-10, en: "Would you recommend us? (0-10)"}}
  - {code: channel, type: choice, text: {id: Saluran, en: Channel}, options: [web, phone], required: false}
constructs:
  - name: Satisfaction
    items:
      - {code: sat1, text: {id: Saya puas, en: I am satisfied with this delivery}}
      - {code: sat2, text: {id: Saya kecewa, en: I am disappointed}, reversed: true}
  - name: Loyalty
    items:
      - {code: loy1, text: {id: Saya akan memakai lagi, en: I will use it again}}
"""
SEVEN_POINTS = (
    SERVICE.replace("points: 5", "points: 7")
    .replace("[Sangat tidak setuju, Tidak setuju, Netral, Setuju, Sangat setuju]", "[a, b, c, d, e, f, g]")
    .replace("[Strongly disagree, Disagree, Neutral, Agree, Strongly agree]", "[a, b, c, d, e, f, g]")
)
CODED = SERVICE.replace("code: sat1", "code: csat").replace("code: rec", "code: nps")


def make_survey(world: World, text: str = SERVICE) -> int:
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        survey_id = surveys.create_survey(s, SYSTEM, text).id
    engine.dispose()
    return survey_id


@pytest.fixture
def staff(as_role):
    client = as_role("staff")
    client.headers["X-CSRF-Token"] = csrf_of(client, "/")
    return client


@pytest.fixture
def linked(staff, world: World) -> tuple[World, int, str]:
    stock(world)  # shipments S1–S3 for Toko A
    survey_id = make_survey(world)
    made = staff.post(
        f"/api/v1/agreements/{world.agreement_a}/feedback-links",
        json={"record_id": "S3", "survey_id": survey_id, "answer_map": {"csat": "sat1", "nps": "rec"}},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["survey_id"] == survey_id and body["answer_map"] == {"csat": "sat1", "nps": "rec"}
    return world, survey_id, body["token"]


def send(client, token: str, **values: str):
    csrf = csrf_of(client, f"/f/{token}")
    return client.post(f"/f/{token}", data={"csrf_token": csrf, **values}, follow_redirects=False)


GOOD = {"agree": "yes", "a.rec": "9", "a.channel": "web", "a.sat1": "4", "a.sat2": "2", "a.loy1": "5"}


def test_the_form_shows_the_questionnaire_with_its_consent_and_takes_one_answer(client, linked):
    world, _, token = linked
    page = client.get(f"/f/{token}")
    assert page.status_code == 200
    assert "I agree my answers improve the service." in page.text  # the questionnaire's consent text
    assert "I am satisfied with this delivery" in page.text and 'name="a.loy1"' in page.text
    assert 'name="csat"' not in page.text and "S3" in page.text
    assert re.search(r'name="agree"[^>]*required', page.text)
    # consent not given: nothing stored, the form says what is missing
    refused = send(client, token, **{**GOOD, "agree": ""})
    assert refused.status_code == 400 and "Please tick the box" in refused.text
    missing = send(client, token, **{k: v for k, v in GOOD.items() if k != "a.sat2"})
    assert missing.status_code == 400 and 'id="q-sat2"' in missing.text
    first = send(client, token, **GOOD, comment="Cepat")
    assert first.status_code == 303 and first.headers["location"] == "/f/thanks"
    second = client.post(f"/f/{token}", data={"csrf_token": csrf_of(client, "/signin"), **GOOD})
    assert second.status_code == 409 and "already been answered" in second.text
    assert client.get(f"/f/{token}").status_code == 409
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        [answer] = store.list_answers(s, SYSTEM, world.agreement_a)
        assert (answer.record_id, answer.customer_org_id) == ("S3", world.org_a)
        assert (answer.csat, answer.nps, answer.effort, answer.comment) == (4.0, 9.0, None, "Cepat")
        # sat2 is reverse-coded (1 + 5 − 2 = 4); the choice is kept as text; mapped items are not repeated
        assert answer.items == {"sat2": 4.0, "loy1": 5.0, "channel": "web"}
        frame = store.feedback_frame([answer], "kilat-gold", "Asia/Jakarta")
        assert {"sat2", "loy1"} <= set(frame.columns) and "channel" not in frame.columns
    engine.dispose()


def test_success_analysis_reads_the_mapped_answers_and_the_items(client, staff, linked):
    world, _, token = linked
    assert send(client, token, **GOOD).status_code == 303
    body = staff.get(f"/api/v1/agreements/{world.agreement_a}/success").json()
    assert body["feedback"] == 1
    groups = {(g["answer"], g["group"]): g for g in body["split"]["groups"]}
    assert groups[("csat", "met")]["mean"] == pytest.approx(4.0)  # S3 met its 24 h target
    assert groups[("nps", "met")]["mean"] == pytest.approx(9.0)
    [row] = [r for r in body["experience"] if r["customer"] == "Toko A"]
    assert row["records"] == 3


def test_the_map_is_checked_when_the_link_is_made(staff, world):
    stock(world)
    url = f"/api/v1/agreements/{world.agreement_a}/feedback-links"
    seven = make_survey(world, SEVEN_POINTS)
    wrong_scale = staff.post(url, json={"survey_id": seven, "answer_map": {"csat": "sat1"}})
    assert wrong_scale.status_code == 400 and wrong_scale.json()["field"] == "answer_map"
    assert "1–5" in wrong_scale.json()["message"]
    service = make_survey(world)
    unknown = staff.post(url, json={"survey_id": service, "answer_map": {"csat": "nope"}})
    assert unknown.status_code == 400 and "nope" in unknown.json()["message"]
    twice = staff.post(url, json={"survey_id": service, "answer_map": {"csat": "sat1", "effort": "sat1"}})
    assert twice.status_code == 400
    without_survey = staff.post(url, json={"answer_map": {"csat": "sat1"}})
    assert without_survey.status_code == 400 and without_survey.json()["field"] == "answer_map"
    assert staff.post(url, json={"survey_id": 99999}).status_code == 404
    assert staff.post(url, json={"survey_id": "1"}).status_code == 400
    # without a map the items coded csat and nps are used
    coded = staff.post(url, json={"survey_id": make_survey(world, CODED)}).json()
    assert coded["answer_map"] == {"csat": "csat", "nps": "nps"}


def test_staff_page_makes_a_survey_link_and_customers_cannot(as_role, world):
    stock(world)
    survey_id = make_survey(world)
    staff = as_role("staff")
    page = staff.get(f"/agreements/{world.agreement_a}/feedback-links/new")
    assert page.status_code == 200 and "Survei layanan" in page.text
    csrf = csrf_of(staff, f"/agreements/{world.agreement_a}/feedback-links/new")
    made = staff.post(
        f"/agreements/{world.agreement_a}/feedback-links",
        data={"csrf_token": csrf, "survey_id": str(survey_id), "map_csat": "sat1", "map_nps": "rec"},
    )
    assert made.status_code == 201 and "/f/fb_" in made.text
    token = re.search(r"/f/(fb_[A-Za-z0-9_-]+)", made.text)
    assert token is not None
    assert "I am satisfied with this delivery" in as_role("customer").get(f"/f/{token[1]}").text
    assert as_role("customer").get(f"/agreements/{world.agreement_a}/feedback-links/new").status_code in (
        403,
        404,
    )
