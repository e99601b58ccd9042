"""Compliance on the agreement page and API: stored records evaluated by the SLA engine, credits owed."""

from __future__ import annotations

import pytest

from tests.conftest import sla_yaml
from tests.web.conftest import csrf_of
from ukur.store import compliance, make_engine, make_session_factory, transaction

PENALTIES = (
    "fee: {amount: 1000000, currency: IDR, per: month}\n"
    "penalties:\n"
    "  - objective: on-time\n"
    "    credits: [{below: 95%, credit: 5%}, {below: 90%, credit: 10%}]\n"
)


@pytest.fixture
def evaluated(as_role, world):
    staff = as_role("staff")
    staff.headers["X-CSRF-Token"] = csrf_of(staff, "/")
    assert (
        staff.post(
            "/api/v1/agreements", json={"yaml": sla_yaml("kilat-gold", "Toko A", extra=PENALTIES)}
        ).status_code
        == 201
    )
    # 20 shipments picked up on 5 January 2026 at 08:00 Jakarta time; 3 delivered after more than 24 h.
    rows = [
        {
            "id": f"S{i:02d}",
            "picked_up_at": "2026-01-05T08:00:00+07:00",
            "delivered_at": "2026-01-06T12:00:00+07:00" if i < 3 else "2026-01-05T17:00:00+07:00",
        }
        for i in range(20)
    ]
    response = staff.post(f"/api/v1/organisations/{world.org_a}/streams/shipments/records", json=rows)
    assert response.status_code == 200, response.text
    return staff


def test_breaches_and_credit_in_the_api(evaluated, world):
    body = evaluated.get(f"/api/v1/agreements/{world.agreement_a}/evaluation?period=2026-01").json()
    window = next(w for w in body["windows"] if w["objective"] == "on-time" and w["window"] == "2026-01")
    # 17 of 20 on time = 85 %: below both tiers, so the larger credit, 10 % of the 1,000,000 IDR fee.
    assert (window["total"], window["met"], window["breached"]) == (20, 17, 3)
    assert window["compliance"] == pytest.approx(0.85) and window["ok"] is False
    assert window["credit"] == pytest.approx(100_000)
    assert body["records"] == []
    status = evaluated.get(f"/api/v1/agreements/{world.agreement_a}/status").json()
    assert status == {
        "window": "2026-01",
        "ok": False,
        "failing": ["on-time"],
        "credit": pytest.approx(100_000),
    }
    assert evaluated.get(f"/api/v1/agreements/{world.agreement_b}/status").json()["window"] is None
    full = evaluated.get(
        f"/api/v1/agreements/{world.agreement_a}/evaluation?period=2026-01&include_records=true"
    )
    assert sorted(r["id"] for r in full.json()["records"] if r["status"] == "breached") == [
        "S00",
        "S01",
        "S02",
    ]


def test_the_customer_sees_its_compliance_and_nobody_elses(evaluated, as_role, world):
    customer = as_role("customer")
    page = customer.get(f"/agreements/{world.agreement_a}?period=2026-01").text
    assert "100,000 IDR" in page and "3 breached records" in page and "85.0 %" in page
    for record in ("S00", "S01", "S02"):
        assert f'/agreements/{world.agreement_a}/records/{record}"' in page
    other = as_role("customer_b")
    assert other.get(f"/api/v1/agreements/{world.agreement_a}/evaluation").status_code == 404
    assert other.get(f"/agreements/{world.agreement_a}?period=2026-01").status_code == 404


def test_a_bad_period_is_a_clear_error(evaluated, world):
    response = evaluated.get(f"/api/v1/agreements/{world.agreement_a}/evaluation?period=January")
    assert response.status_code == 400 and "January" in response.json()["message"]
    page = evaluated.get(f"/agreements/{world.agreement_a}?period=January")
    assert page.status_code == 200 and "January" in page.text


def _late_csv(encoding: str = "utf-8", bom: bool = False) -> bytes:
    lines = ["id;picked_up_at;delivered_at;destination"]
    lines += [
        f"K{i};2026-01-05 08:00;{'2026-01-07 08:00' if i < 2 else '2026-01-05 12:00'};Tangerang Selatan"
        for i in range(10)
    ]
    lines[1] += " – Pamulang"  # a non-ASCII character so the encoding matters
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", True), ("cp1252", False)])
def test_records_upload_previews_then_stores(as_role, world, encoding, bom):
    staff = as_role("staff")
    token = csrf_of(staff, f"/agreements/{world.agreement_a}")
    preview = staff.post(
        f"/agreements/{world.agreement_a}/records",
        data={"stream": "shipments", "csrf_token": token},
        files={"file": ("shipments.csv", _late_csv(encoding, bom), "text/csv")},
    )
    assert preview.status_code == 200 and "10 records read from shipments.csv" in preview.text
    assert "Tangerang Selatan – Pamulang" in preview.text
    assert staff.get("/api/v1/streams").json() == []  # nothing stored by the preview
    csv_text = preview.text.split('<textarea name="csv_text" hidden>')[1].split("</textarea>")[0]
    import html

    stored = staff.post(
        f"/agreements/{world.agreement_a}/records",
        data={
            "stream": "shipments",
            "confirm": "1",
            "csv_text": html.unescape(csv_text),
            "csrf_token": token,
        },
    )
    assert "Stored shipments: 10 new, 0 updated." in stored.text
    assert "2 breached records" in staff.get(f"/agreements/{world.agreement_a}?period=2026-01").text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,picked_up_at\nK1,2026-01-05\nK1,2026-01-06\n", "id &#39;K1&#39; already given in row 1"),
        (b"id,picked_up_at\nK1,2026-01-05,extra\n", "line 2 has 3 fields"),
        (b"", "choose a file"),
    ],
)
def test_bad_record_files_store_nothing(as_role, world, content, message):
    staff = as_role("staff")
    token = csrf_of(staff, f"/agreements/{world.agreement_a}")
    response = staff.post(
        f"/agreements/{world.agreement_a}/records",
        data={"stream": "shipments", "confirm": "1", "csrf_token": token},
        files={"file": ("bad.csv", content, "text/csv")},
    )
    assert response.status_code == 400 and message in response.text and "Nothing was stored" in response.text
    assert staff.get("/api/v1/streams").json() == []


def test_customers_cannot_upload_records(as_role, world):
    customer = as_role("customer")
    token = csrf_of(customer, f"/agreements/{world.agreement_a}")
    response = customer.post(
        f"/agreements/{world.agreement_a}/records",
        data={"stream": "shipments", "csrf_token": token},
        files={"file": ("s.csv", b"id\n1\n", "text/csv")},
    )
    assert response.status_code == 403


def test_claims_from_filing_to_compensation(as_role, world):
    customer, staff = as_role("customer"), as_role("staff")
    token = csrf_of(customer, f"/agreements/{world.agreement_a}")
    filed = customer.post(
        f"/agreements/{world.agreement_a}/claims",
        data={"kind": "late", "record_id": "K0", "amount": "25000", "csrf_token": token},
    )
    assert "Claim #1 filed." in filed.text
    assert (
        customer.post("/claims/1/move", data={"to_status": "approved", "csrf_token": token}).status_code
        == 403
    )
    other = as_role("customer_b")
    assert (
        other.post(
            "/claims/1/move", data={"to_status": "approved", "csrf_token": csrf_of(other, "/")}
        ).status_code
        == 404
    )
    staff_token = csrf_of(staff, f"/agreements/{world.agreement_a}")
    for step in ("in_review", "approved", "compensated"):
        response = staff.post(
            "/claims/1/move", data={"to_status": step, "note": f"step {step}", "csrf_token": staff_token}
        )
        assert response.status_code == 200
    wrong = staff.post("/claims/1/move", data={"to_status": "denied", "csrf_token": staff_token})
    assert wrong.status_code == 409
    page = customer.get(f"/agreements/{world.agreement_a}").text
    assert "compensated" in page and "step approved" in page and "25,000" in page
    assert "Mark compensated" not in page  # customers see no decision buttons


TICKETS = (
    "ukur: sla/v1\nid: help\ntitle: Help desk\ntype: customer\nprovider: {name: PT Kilat}\n"
    "customer: {name: Toko A}\ntimezone: Asia/Jakarta\nservices: [{id: helpdesk, description: Help}]\n"
    "objectives:\n  - {id: first-response, service: helpdesk, kind: duration, records: tickets, start: created_at,\n"
    "     stop: first_response_at, pause_when: {status: [waiting_customer]}, calendar: 24x7, target: 4h,\n"
    "     goal: 95%, window: month}\n"
    "claims: {file_within: 7d, respond_within: 2d}\n"
)


def test_status_history_pauses_the_clock_and_claims_reach_the_engine(staff_api, world, as_role):
    staff = staff_api
    assert staff.post("/api/v1/agreements", json={"yaml": TICKETS}).status_code == 201
    agreement_id = next(a["id"] for a in staff.get("/api/v1/agreements").json() if a["slug"] == "help")
    ticket = {"id": "T1", "created_at": "2026-03-02 08:00", "first_response_at": "2026-03-02 14:00"}
    staff.post(f"/api/v1/organisations/{world.org_a}/streams/tickets/records", json=[ticket])
    url = f"/api/v1/agreements/{agreement_id}/evaluation?period=2026-03&include_records=true"
    (before,) = staff.get(url).json()["records"]
    assert before["status"] == "breached" and before["elapsed_seconds"] == 6 * 3600
    history = [
        {"record_id": "T1", "status": "waiting_customer", "at": "2026-03-02 09:00"},
        {"record_id": "T1", "status": "open", "at": "2026-03-02 12:00"},
    ]
    path = f"/api/v1/organisations/{world.org_a}/streams/tickets/statuses?timezone=Asia/Jakarta"
    assert staff.post(path, json=history).json() == {"received": 2, "added": 2}
    assert staff.post(path, json=history).json() == {"received": 2, "added": 0}  # idempotent
    (after,) = staff.get(url).json()["records"]
    # Waiting for the customer from 09:00 to 12:00 Jakarta time: 3 of the 6 hours are paused, so it is met.
    assert after["status"] == "met" and after["paused_seconds"] == 3 * 3600
    explained = staff.get(f"/api/v1/agreements/{agreement_id}/records/T1/explanation?as_of=2026-04-01").json()
    assert [(t["kind"], t["reason"], t["counted_seconds"]) for t in explained[0]["timeline"]] == [
        ("open", "open", 3600.0),
        ("paused", "waiting_customer", 0.0),
        ("open", "open", 7200.0),
    ]
    page = staff.get(f"/agreements/{agreement_id}/records?record_id=T1")
    assert page.status_code == 200 and "waiting_customer" in page.text and "3.00 h" in page.text
    missing = staff.get(f"/agreements/{agreement_id}/records/NOPE")
    assert missing.status_code == 404 and "NOPE" in missing.text
    assert as_role("customer_b").get(f"/agreements/{agreement_id}/records/T1").status_code == 404
    bad = staff.post(path, json=[{"record_id": "T1", "status": "open", "at": "noon"}])
    assert bad.status_code == 400 and "unreadable time" in bad.json()["message"]
    staff.post(
        f"/api/v1/agreements/{agreement_id}/claims", json={"kind": "late", "record_id": "T1", "amount": "5"}
    )
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as session:
        frame = compliance.claims_frame(session, agreement_id)
    engine.dispose()
    assert frame.loc[0, ["id", "record_id", "type", "amount", "status"]].tolist() == [
        "1",
        "T1",
        "late",
        5.0,
        "filed",
    ]
    assert frame.loc[0, "filed_at"].endswith("+00:00")


@pytest.fixture
def staff_api(as_role):
    client = as_role("staff")
    client.headers["X-CSRF-Token"] = csrf_of(client, "/")
    return client
