"""The success page and its API: figures from the stored records and the feedback the viewer may see.

Toko A's agreement (goal 95 %, target 24 h) has S1 delivered in 12 h (met), S2 in 30 h (breached) and S3
in 1 h (met): March compliance 2/3.  Answers: S1 CSAT 5, S2 CSAT 2 (met − breached = 3 points).
"""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import World
from tests.web.test_feedback import answer, stock
from ukur.store import SYSTEM, make_engine, make_session_factory
from ukur.store import feedback as store
from ukur.store.engine import transaction


@pytest.fixture
def answered(client, world: World) -> World:
    tokens = stock(world)
    assert answer(client, tokens["a1"], csat="5", nps="10", comment="Cepat sekali").status_code == 303
    assert answer(client, tokens["a2"], csat="2", nps="4", comment="Terlambat").status_code == 303
    assert answer(client, tokens["b"], csat="3", comment="Toko B menulis").status_code == 303
    # an answer about A's agreement from Toko B's organisation: staff see it, Toko A does not
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        token = store.create_link(s, SYSTEM, world.agreement_a, customer_org_id=world.org_b)[1]
    engine.dispose()
    assert answer(client, token, csat="1", comment="dari Toko B").status_code == 303
    return world


def test_staff_page_shows_trends_split_and_every_answer(as_role, answered):
    page = as_role("staff").get(f"/agreements/{answered.agreement_a}/success")
    assert page.status_code == 200, page.text
    text = page.text
    assert text.count("<svg") >= 3  # compliance, CSAT and NPS trends
    assert "2026-03" in text
    assert "Cepat sekali" in text and "Terlambat" in text and "dari Toko B" in text
    assert "Satisfaction by SLA outcome" in text or "No feedback is linked" in text
    assert "binomial test p ≤ 0.01" in text  # the at-risk rule used is stated
    # no inline script (the CSP has no 'unsafe-inline'): every script tag loads a file
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", text))


def test_customer_sees_only_its_own_feedback_and_figures(as_role, answered):
    a = as_role("customer")
    page = a.get(f"/agreements/{answered.agreement_a}/success")
    assert page.status_code == 200
    assert (
        "Cepat sekali" in page.text and "dari Toko B" not in page.text and "Toko B menulis" not in page.text
    )
    figures = a.get(f"/api/v1/agreements/{answered.agreement_a}/success")
    assert figures.status_code == 200
    body = figures.json()
    assert body["feedback"] == 2
    groups = {(g["answer"], g["group"]): g for g in body["split"]["groups"]}
    assert groups[("csat", "met")]["mean"] == pytest.approx(5.0)
    assert groups[("csat", "breached")]["mean"] == pytest.approx(2.0)
    staff = as_role("staff").get(f"/api/v1/agreements/{answered.agreement_a}/success").json()
    assert staff["feedback"] == 3
    # another organisation's agreement does not exist for the customer, in the page and in the API
    assert a.get(f"/agreements/{answered.agreement_b}/success").status_code == 404
    assert a.get(f"/api/v1/agreements/{answered.agreement_b}/success").status_code == 404
    b = as_role("customer_b")
    assert b.get(f"/agreements/{answered.agreement_a}/success").status_code == 404
    assert b.get(f"/api/v1/agreements/{answered.agreement_a}/success").status_code == 404
    assert as_role("researcher").get(f"/api/v1/agreements/{answered.agreement_a}/success").status_code == 404


def test_success_list_and_indonesian_written_results(as_role, answered):
    a = as_role("customer")
    listing = a.get("/success")
    assert f"/agreements/{answered.agreement_a}/success" in listing.text
    assert f"/agreements/{answered.agreement_b}/success" not in listing.text
    body = a.get(f"/api/v1/agreements/{answered.agreement_a}/success?lang=id").json()
    assert body["question"].startswith("Apakah menepati SLA")
    assert body["written"][0] == body["question"]


def test_agreement_without_records_says_so(as_role, world):
    page = as_role("staff").get(f"/agreements/{world.agreement_a}/success")
    assert page.status_code == 200 and "no stored records" in page.text
    assert as_role("staff").get(f"/api/v1/agreements/{world.agreement_a}/success").status_code == 400


def test_demo_loads_the_simulated_success_data_for_staff_only(tmp_path):
    from pathlib import Path

    from ukur.store import agreements, demo, migrate
    from ukur.store.access import Viewer

    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    migrate.upgrade(engine)
    sessions = make_session_factory(engine)
    with transaction(sessions) as s:
        loaded = demo.load_demo(s, Path(__file__).resolve().parents[2] / "examples")
        assert any("success demo kilat-bisnis (5369 feedback answers" in x for x in loaded.loaded)
        bisnis = next(a for a in agreements.list_agreements(s, SYSTEM) if a.slug == "kilat-bisnis")
        answers = store.list_answers(s, SYSTEM, bisnis.id)
        assert len(answers) == 5369  # feedback.csv has 5369 rows after its header
        first = next(a for a in answers if a.record_id == "KB000002")  # the file's first row
        assert (first.record_id, first.customer, first.csat) == ("KB000002", "Toko Batik 001", 2.0)
        assert first.submitted_at.isoformat() == "2026-01-12T05:31:00+00:00"  # 12:31 in Jakarta
        customer = Viewer(user_id=None, role="customer", organisation_id=bisnis.provider_org_id + 1)
        with pytest.raises(Exception, match="not found"):
            store.list_answers(s, customer, bisnis.id)
    engine.dispose()


COMPLAINTS = [
    # received Mon 2 March 10:00 Jakarta; acknowledged after 2 h, resolved after 20 h (24x7 calendar)
    {"id": "C1", "record_id": "S2", "received_at": "2026-03-02 10:00", "acknowledged_at": "2026-03-02 12:00",
     "resolved_at": "2026-03-03 06:00"},
    # acknowledged after 6 h, resolved after 50 h
    {"id": "C2", "record_id": "S1", "received_at": "2026-03-05 08:00", "acknowledged_at": "2026-03-05 14:00",
     "resolved_at": "2026-03-07 10:00"},
]  # fmt: skip


def test_a_complaints_stream_is_measured_on_the_page_and_in_the_api(as_role, answered):
    from tests.web.conftest import YAML_A, csrf_of

    staff = as_role("staff")
    staff.headers["X-CSRF-Token"] = csrf_of(staff, "/")
    stored = staff.post(f"/api/v1/organisations/{answered.org_a}/streams/complaints/records", json=COMPLAINTS)
    assert stored.status_code == 200, stored.text
    url = f"/api/v1/agreements/{answered.agreement_a}/success"
    plain = staff.get(url).json()
    steps = {row["step"]: row for row in plain["complaints"]["summary"]}
    # no claims policy: both steps are timed, neither has a deadline
    assert [steps[s]["target"] for s in ("acknowledge", "resolve")] == [None, None]
    assert steps["acknowledge"]["median_seconds"] == pytest.approx(4 * 3600)  # median of 2 h and 6 h
    assert steps["resolve"]["median_seconds"] == pytest.approx(35 * 3600)  # median of 20 h and 50 h
    assert not any("claims of type" in note for note in plain["notes"])
    # a claims policy answering within 24 h is the resolution target: C1 (20 h) in time, C2 (50 h) late
    policy = "claims: {file_within: 7d, respond_within: 24h, records: shipments}\n"
    assert staff.post("/api/v1/agreements", json={"yaml": YAML_A + policy}).status_code == 201
    steps = {row["step"]: row for row in staff.get(url).json()["complaints"]["summary"]}
    assert steps["resolve"]["target"] == "24h" and (
        steps["resolve"]["on_time"],
        steps["resolve"]["late"],
    ) == (1, 1)
    assert steps["resolve"]["in_time_share"] == pytest.approx(0.5)
    page = staff.get(f"/agreements/{answered.agreement_a}/success")
    assert page.status_code == 200
    assert "From the complaints stream" in page.text and "4.0 h" in page.text and "35.0 h" in page.text
    assert "50.0 %" in page.text
    # the customer sees its own organisation's complaints
    assert as_role("customer").get(url).json()["complaints"]["summary"][0]["total"] == 2


def test_without_a_complaints_stream_there_are_no_complaint_figures(as_role, answered):
    body = as_role("staff").get(f"/api/v1/agreements/{answered.agreement_a}/success").json()
    assert body["complaints"] is None


def test_complaints_uploaded_as_a_csv_file_reach_the_success_figures(as_role, answered):
    from tests.web.conftest import csrf_of

    staff = as_role("staff")
    csv_text = (
        "id,record_id,received_at,acknowledged_at,resolved_at\n"
        "C9,S2,2026-03-02 10:00,2026-03-02 11:00,\n"  # acknowledged after 1 h, still open
    )
    csrf = csrf_of(staff, f"/agreements/{answered.agreement_a}")
    stored = staff.post(
        f"/agreements/{answered.agreement_a}/records",
        data={"csrf_token": csrf, "stream": "complaints", "csv_text": csv_text, "confirm": "1"},
        follow_redirects=False,
    )
    assert stored.status_code == 303, stored.text
    summary = staff.get(f"/api/v1/agreements/{answered.agreement_a}/success").json()["complaints"]["summary"]
    steps = {row["step"]: row for row in summary}
    assert steps["acknowledge"]["total"] == 1 and steps["acknowledge"]["median_seconds"] == pytest.approx(
        3600
    )
    assert steps["resolve"]["median_seconds"] is None  # not resolved yet: no finished time
