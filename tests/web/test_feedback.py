"""The public feedback form: one answer per token, a clear page for a second, nothing of other answers;
links and answers in the API with the access rules (a customer sees only its own organisation's)."""

from __future__ import annotations

import pytest

from tests.web.conftest import World, csrf_of
from ukur.store import SYSTEM, make_engine, make_session_factory, records
from ukur.store import feedback as store
from ukur.store.engine import transaction

SHIPMENTS = [
    {"id": "S1", "picked_up_at": "2026-03-02 08:00", "delivered_at": "2026-03-02 20:00"},
    {"id": "S2", "picked_up_at": "2026-03-03 08:00", "delivered_at": "2026-03-04 14:00"},
    {"id": "S3", "picked_up_at": "2026-03-04 08:00", "delivered_at": "2026-03-04 09:00"},
]


def stock(world: World) -> dict[str, str]:
    """Shipments for both customers and links: two per-record links for Toko A, one survey link for Toko B."""
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        for org in (world.org_a, world.org_b):
            records.import_records(s, SYSTEM, records.stream_for(s, SYSTEM, org, "shipments"), SHIPMENTS)
        tokens = {
            "a1": store.create_link(s, SYSTEM, world.agreement_a, record_id="S1")[1],
            "a2": store.create_link(s, SYSTEM, world.agreement_a, record_id="S2")[1],
            "b": store.create_link(s, SYSTEM, world.agreement_b)[1],
        }
    engine.dispose()
    return tokens


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    return stock(world)


def answer(client, token: str, **values: str):
    csrf = csrf_of(client, f"/f/{token}")
    return client.post(f"/f/{token}", data={"csrf_token": csrf, **values}, follow_redirects=False)


def test_one_answer_per_token_and_a_clear_page_for_the_second(client, tokens):
    page = client.get(f"/f/{tokens['a1']}")
    assert page.status_code == 200
    assert 'name="csat"' in page.text and 'name="nps"' in page.text and "S1" in page.text
    first = answer(client, tokens["a1"], csat="5", effort="4", nps="9", comment="Cepat sekali")
    assert first.status_code == 303 and first.headers["location"] == "/f/thanks"
    assert "Thank you" in client.get("/f/thanks").text
    again = client.get(f"/f/{tokens['a1']}")
    assert again.status_code == 409
    assert "already been answered" in again.text and 'name="csat"' not in again.text
    # the form is gone, but a replayed post is refused the same way and nothing is stored twice
    replay = client.post(f"/f/{tokens['a1']}", data={"csrf_token": csrf_of(client), "csat": "1"})
    assert replay.status_code == 409 and "already been answered" in replay.text


def test_the_form_shows_nothing_of_other_answers(client, tokens):
    assert (
        answer(client, tokens["a1"], csat="2", nps="3", comment="Paket terlambat tiga hari").status_code
        == 303
    )
    other = client.get(f"/f/{tokens['a2']}")
    assert other.status_code == 200
    for leaked in ("Paket terlambat", "S1", "Toko B", "kilat-silver"):
        assert leaked not in other.text
    thanks = answer(client, tokens["a2"], csat="4")
    assert thanks.status_code == 303
    assert "Paket terlambat" not in client.get("/f/thanks").text


def test_unknown_token_and_wrong_answers(client, tokens):
    missing = client.get("/f/fb_nothing-here")
    assert missing.status_code == 404 and "not valid" in missing.text
    wrong = answer(client, tokens["a1"], csat="9")
    assert wrong.status_code == 400 and 'role="alert"' in wrong.text
    # a refused answer did not use the token
    assert client.get(f"/f/{tokens['a1']}").status_code == 200
    blank = answer(client, tokens["a1"], comment="only words")
    assert blank.status_code == 400


def test_indonesian_form(client, tokens):
    page = client.get(f"/f/{tokens['a1']}", headers={"accept-language": "id"})
    assert "Secara keseluruhan saya puas" in page.text and "Kirim" in page.text


def test_answers_in_the_api_follow_the_organisation(client, tokens, as_role, world):
    answer(client, tokens["a1"], csat="5", nps="10", comment="mine")
    answer(client, tokens["b"], csat="1", nps="0", comment="theirs")
    staff = as_role("staff")
    assert [a["comment"] for a in staff.get(f"/api/v1/agreements/{world.agreement_a}/feedback").json()] == [
        "mine"
    ]
    a = as_role("customer")
    mine = a.get(f"/api/v1/agreements/{world.agreement_a}/feedback")
    assert mine.status_code == 200 and [x["record_id"] for x in mine.json()] == ["S1"]
    assert a.get(f"/api/v1/agreements/{world.agreement_b}/feedback").status_code == 404
    assert a.get(f"/api/v1/agreements/{world.agreement_b}/feedback-links").status_code == 404
    b = as_role("customer_b")
    assert b.get(f"/api/v1/agreements/{world.agreement_a}/feedback").status_code == 404
    assert [x["comment"] for x in b.get(f"/api/v1/agreements/{world.agreement_b}/feedback").json()] == [
        "theirs"
    ]
    links = b.get(f"/api/v1/agreements/{world.agreement_b}/feedback-links").json()
    assert len(links) == 1 and "token" not in links[0] and links[0]["used_at"] is not None


def test_staff_make_links_customers_cannot(as_role, world, tokens):
    staff = as_role("staff")
    made = staff.post(
        f"/api/v1/agreements/{world.agreement_a}/feedback-links",
        json={"record_id": "S3"},
        headers={"X-CSRF-Token": csrf_of(staff, "/account")},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["url"].endswith(f"/f/{body['token']}") and body["record_id"] == "S3"
    assert staff.get(f"/f/{body['token']}").status_code == 200
    twice = staff.post(
        f"/api/v1/agreements/{world.agreement_a}/feedback-links",
        json={"record_id": "S3"},
        headers={"X-CSRF-Token": csrf_of(staff, "/account")},
    )
    assert twice.status_code == 409
    unknown = staff.post(
        f"/api/v1/agreements/{world.agreement_a}/feedback-links",
        json={"record_id": "NOPE"},
        headers={"X-CSRF-Token": csrf_of(staff, "/account")},
    )
    assert unknown.status_code == 400
    customer = as_role("customer")
    refused = customer.post(
        f"/api/v1/agreements/{world.agreement_a}/feedback-links",
        json={},
        headers={"X-CSRF-Token": csrf_of(customer, "/account")},
    )
    assert refused.status_code in (403, 404)
    page = staff.post(
        f"/agreements/{world.agreement_a}/feedback-links",
        data={"csrf_token": csrf_of(staff, f"/agreements/{world.agreement_a}/success"), "record_id": ""},
    )
    assert page.status_code == 201 and "/f/fb_" in page.text
