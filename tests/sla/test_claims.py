"""Worked examples of claim handling: filing within N working days, answering within N business days.

Calendar ``office``: Mon–Fri 08–12, 13–17 WIB, closed Friday 2026-03-20. ``3 business days`` after
Thursday 2026-03-19 10:00 skips the closed Friday and the weekend: Mon 23 (1), Tue 24 (2), Wed 25 (3) →
Wednesday 2026-03-25 10:00. ``7d`` on the office calendar is seven working days: delivered Monday
2026-03-02 14:00 → Tue 3, Wed 4, Thu 5, Fri 6, Mon 9, Tue 10, Wed 11 → Wednesday 2026-03-11 14:00.
"""

from __future__ import annotations

import pytest

from tests.sla.sla_helpers import frame, make, utc
from ukur.sla import evaluate

CLAIMS = """\
objectives:
  - {id: on-time, service: delivery, kind: duration, records: shipments, start: picked_up_at,
     stop: delivered_at, target: 24h, goal: 95%, window: month}
claims: {file_within: 7d, respond_within: 3 business days}
"""

SHIPMENTS = frame([
    {"id": "S1", "picked_up_at": "2026-03-02 08:00", "delivered_at": "2026-03-02 14:00"},
    {"id": "S2", "picked_up_at": "2026-03-18 08:00", "delivered_at": "2026-03-18 14:00"},
])  # fmt: skip


def claim(cid: str, record: str, filed: str, answered: str = "") -> dict[str, object]:
    return {"id": cid, "record_id": record, "filed_at": filed, "type": "late", "amount": 25000,
            "status": "approved", "responded_at": answered}  # fmt: skip


@pytest.mark.parametrize(
    ("filed", "answered", "as_of", "response"),
    [
        ("2026-03-19 10:00", "2026-03-25 09:59", "2026-03-31", "on_time"),
        ("2026-03-19 10:00", "2026-03-25 10:00", "2026-03-31", "on_time"),  # exactly at the deadline
        ("2026-03-19 10:00", "2026-03-25 10:01", "2026-03-31", "late"),
        ("2026-03-19 10:00", "", "2026-03-24 16:00", "open"),
        ("2026-03-19 10:00", "", "2026-03-25 11:00", "overdue"),
    ],
)
def test_the_response_deadline_counts_business_days(filed, answered, as_of, response):
    agreement = make(CLAIMS)
    result = evaluate(
        agreement, {"shipments": SHIPMENTS}, claims=frame([claim("C1", "S2", filed, answered)]), as_of=as_of
    )
    row = result.claims.iloc[0]
    assert row["respond_deadline"] == utc("2026-03-25 10:00")
    assert row["response"] == response
    assert bool(row["filed_in_time"])


@pytest.mark.parametrize(
    ("filed", "in_time"),
    [("2026-03-11 13:00", True), ("2026-03-11 14:00", True), ("2026-03-11 15:00", False)],
)
def test_the_filing_deadline_runs_from_delivery(filed, in_time):
    agreement = make(CLAIMS)
    result = evaluate(
        agreement,
        {"shipments": SHIPMENTS},
        claims=frame([claim("C1", "S1", filed, "2026-03-12 09:00")]),
        as_of="2026-03-31",
    )
    row = result.claims.iloc[0]
    assert row["file_deadline"] == utc("2026-03-11 14:00")
    assert bool(row["filed_in_time"]) is in_time
    summary = result.claims_windows.iloc[0]
    assert summary["filed_late"] == (0 if in_time else 1)


def test_claims_summary_and_invalid_claims():
    agreement = make(CLAIMS)
    claims = frame([
        claim("C1", "S2", "2026-03-19 10:00", "2026-03-20 09:00"),
        claim("C2", "S2", "2026-03-19 10:00", "2026-03-26 09:00"),
        claim("C3", "S2", "2026-03-19 10:00", ""),
        claim("C4", "S9", "2026-03-19 10:00", ""),
        claim("C5", "S1", "someday", ""),
    ])  # fmt: skip
    result = evaluate(agreement, {"shipments": SHIPMENTS}, claims=claims, as_of="2026-03-31")
    responses = result.claims.set_index("id")["response"].to_dict()
    assert responses == {"C1": "on_time", "C2": "late", "C3": "overdue", "C4": "invalid", "C5": "invalid"}
    reasons = result.claims.set_index("id")["reason"]
    assert reasons["C4"] == "unknown shipments record" and reasons["C5"] == "unreadable filed_at"
    summary = result.claims_windows.set_index("window").loc["2026-03"]
    assert (summary["on_time"], summary["late"], summary["overdue"], summary["invalid"]) == (1, 1, 1, 1)
    assert summary["compliance"] == pytest.approx(1 / 3)
    data = result.to_dict()
    assert data["claims"][0]["respond_deadline"] == "2026-03-25T03:00:00Z"


def test_claims_without_a_policy_are_noted():
    agreement = make(CLAIMS.replace("claims: {file_within: 7d, respond_within: 3 business days}\n", ""))
    result = evaluate(
        agreement,
        {"shipments": SHIPMENTS},
        claims=frame([claim("C1", "S1", "2026-03-03 09:00")]),
        as_of="2026-03-31",
    )
    assert result.claims.empty
    assert any("no claims policy" in n for n in result.notes)
