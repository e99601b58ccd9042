"""Compliance on the agreement page and API: stored records evaluated by the SLA engine, credits owed."""

from __future__ import annotations

import pytest

from tests.conftest import sla_yaml
from tests.web.conftest import csrf_of

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
    other = as_role("customer_b")
    assert other.get(f"/api/v1/agreements/{world.agreement_a}/evaluation").status_code == 404
    assert other.get(f"/agreements/{world.agreement_a}?period=2026-01").status_code == 404


def test_a_bad_period_is_a_clear_error(evaluated, world):
    response = evaluated.get(f"/api/v1/agreements/{world.agreement_a}/evaluation?period=January")
    assert response.status_code == 400 and "January" in response.json()["message"]
    page = evaluated.get(f"/agreements/{world.agreement_a}?period=January")
    assert page.status_code == 200 and "January" in page.text
