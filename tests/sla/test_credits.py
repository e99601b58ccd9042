"""Worked examples: service credit tiers and caps, per-record compensation and its cap, availability."""

from __future__ import annotations

import pytest

from tests.sla.sla_helpers import frame, make
from ukur.sla import evaluate

PENALTIES = """\
objectives:
  - {id: on-time, service: delivery, kind: duration, records: shipments, start: picked_up_at,
     stop: delivered_at, target: 24h, goal: 95%, window: month}
  - {id: damage-free, service: delivery, kind: ratio, records: shipments, good_when: {damaged: false},
     goal: 99%, window: month}
penalties:
  - objective: on-time
    credits: [{below: 95%, credit: 5%}, {below: 90%, credit: 10%}, {below: 80%, credit: 25%}]
    cap: 20%
  - objective: damage-free
    per_record: {compensation: declared_value, cap: 5000000}
"""


def shipments(late: int, total: int = 100, month: str = "2026-03", damaged: dict[int, int] | None = None):
    """``total`` shipments on the 2nd of ``month``; the first ``late`` take 30 h (target 24 h)."""
    damaged = damaged or {}
    return [
        {
            "id": f"{month}-{i}",
            "picked_up_at": f"{month}-02 08:00",
            "delivered_at": f"{month}-03 14:00" if i < late else f"{month}-02 20:00",
            "damaged": "true" if i in damaged else "false",
            "declared_value": damaged.get(i, 100_000),
        }
        for i in range(total)
    ]


@pytest.mark.parametrize(
    ("late", "tier_below", "percent", "capped"),
    [
        (3, None, 0.0, False),  # 97 %: no tier reached
        (5, None, 0.0, False),  # exactly 95 % is not *below* 95 %
        (7, 0.95, 0.05, False),  # 93 %: below 95 % only → 5 %
        (13, 0.90, 0.10, False),  # 87 %: below 95 % and 90 %; the lowest threshold reached is 90 % → 10 %
        (30, 0.80, 0.20, True),  # 70 %: below 80 % → 25 %, capped at 20 %
    ],
)
def test_credit_tiers_take_the_lowest_threshold_reached_and_the_cap(late, tier_below, percent, capped):
    agreement = make(PENALTIES)
    result = evaluate(agreement, {"shipments": frame(shipments(late))}, as_of="2026-04-15")
    window = result.windows.set_index("objective").loc["on-time"]
    assert window["compliance"] == pytest.approx(1 - late / 100)
    credits = result.credits[(result.credits["objective"] == "on-time")]
    assert len(credits) == 1
    credit = credits.iloc[0]
    if tier_below is None:
        assert credit["tier_below"] != credit["tier_below"]  # NaN: no tier
    else:
        assert credit["tier_below"] == pytest.approx(tier_below)
    assert credit["credit_percent"] == pytest.approx(percent)
    assert bool(credit["capped"]) is capped
    assert credit["fee"] == pytest.approx(10_000_000)  # a monthly fee for a monthly window
    assert credit["amount"] == pytest.approx(percent * 10_000_000)
    assert window["credit"] == pytest.approx(percent * 10_000_000)
    assert bool(credit["final"])


def test_a_weekly_window_gets_a_prorated_monthly_fee():
    agreement = make(PENALTIES.replace("goal: 95%, window: month}", "goal: 95%, window: week}", 1))
    result = evaluate(agreement, {"shipments": frame(shipments(7))}, as_of="2026-04-15")
    credit = result.credits[result.credits["objective"] == "on-time"].iloc[0]
    assert credit["window"] == "2026-W10"
    assert credit["fee"] == pytest.approx(10_000_000 * 7 / (365.25 / 12))
    assert credit["amount"] == pytest.approx(0.05 * credit["fee"])


def test_per_record_compensation_pays_the_declared_value_up_to_the_cap():
    # Damaged: 1,000,000 (paid in full), 8,000,000 (capped at 5,000,000), 3,000,000 → 9,000,000 in March.
    damaged = {0: 1_000_000, 1: 8_000_000, 2: 3_000_000}
    agreement = make(PENALTIES)
    result = evaluate(agreement, {"shipments": frame(shipments(0, damaged=damaged))}, as_of="2026-04-15")
    rows = result.records[result.records["objective"] == "damage-free"].set_index("id")
    assert rows.loc["2026-03-1", "compensation"] == pytest.approx(5_000_000)
    assert rows.loc["2026-03-0", "compensation"] == pytest.approx(1_000_000)
    assert rows["compensation"].notna().sum() == 3
    credit = result.credits[result.credits["kind"] == "per_record"].iloc[0]
    assert (credit["objective"], credit["window"], credit["records"]) == ("damage-free", "2026-03", 3)
    assert credit["amount"] == pytest.approx(9_000_000)
    assert credit["currency"] == "IDR"
    assert result.total_credit == pytest.approx(9_000_000)


def test_compensation_without_a_usable_value_is_listed_as_an_error():
    rows = shipments(0, total=10, damaged={0: 1_000_000, 1: 2_000_000})
    rows[1]["declared_value"] = "unknown"
    result = evaluate(make(PENALTIES), {"shipments": frame(rows)}, as_of="2026-04-15")
    assert result.credits[result.credits["kind"] == "per_record"]["amount"].sum() == pytest.approx(1_000_000)
    assert any("no usable declared_value" in e["message"] for e in result.errors)


def test_credits_are_per_window_and_open_windows_are_not_final():
    rows = shipments(7, month="2026-02") + shipments(13, month="2026-03")
    result = evaluate(make(PENALTIES), {"shipments": frame(rows)}, as_of="2026-03-20")
    credits = result.credits[result.credits["objective"] == "on-time"].set_index("window")
    assert credits.loc["2026-02", "amount"] == pytest.approx(500_000)
    assert credits.loc["2026-03", "amount"] == pytest.approx(1_000_000)
    assert bool(credits.loc["2026-02", "final"]) and not bool(credits.loc["2026-03", "final"])


AVAILABILITY = """\
objectives:
  - {id: uptime, service: helpdesk, kind: availability, records: outages, start: started_at, stop: ended_at,
     goal: 99.9%, window: month}
exclusions:
  - {id: maintenance, windows: [{from: "2026-03-10T22:00", to: "2026-03-10T23:00"}]}
  - {id: force-majeure, when: {cause: [flood]}}
"""


def test_availability_counts_downtime_once_and_not_in_maintenance():
    # March 2026 has 31 × 86,400 = 2,678,400 s; the maintenance hour leaves 2,674,800 s available.
    # O1 05:00–06:00 (3,600 s) and O2 05:30–06:30 overlap: their union is 05:00–06:30 = 5,400 s.
    # O3 21:30–23:30 overlaps maintenance 22:00–23:00: 3,600 s count. O4 (flood) is excluded.
    outages = frame([
        {"id": "O1", "started_at": "2026-03-05 05:00", "ended_at": "2026-03-05 06:00", "cause": "hosting"},
        {"id": "O2", "started_at": "2026-03-05 05:30", "ended_at": "2026-03-05 06:30", "cause": "hosting"},
        {"id": "O3", "started_at": "2026-03-10 21:30", "ended_at": "2026-03-10 23:30", "cause": "hosting"},
        {"id": "O4", "started_at": "2026-03-12 01:00", "ended_at": "2026-03-12 09:00", "cause": "flood"},
    ])  # fmt: skip
    result = evaluate(make(AVAILABILITY), {"outages": outages}, as_of="2026-04-02")
    window = result.windows.iloc[0]
    assert window["window"] == "2026-03"
    assert window["available_seconds"] == pytest.approx(2_674_800)
    assert window["downtime_seconds"] == pytest.approx(9_000)
    assert window["compliance"] == pytest.approx(1 - 9_000 / 2_674_800)
    assert not window["ok"]  # 99.66 % < 99.9 %
    assert window["burn_rate"] == pytest.approx((9_000 / 2_674_800) / 0.001)
    assert window["excluded"] == 1 and window["total"] == 4
    statuses = result.records.set_index("id")["status"]
    assert statuses["O4"] == "excluded" and statuses["O1"] == "breached"


def test_an_outage_across_midnight_of_a_month_counts_in_both_months():
    outages = frame(
        [{"id": "O1", "started_at": "2026-03-31 23:00", "ended_at": "2026-04-01 01:00", "cause": ""}]
    )
    result = evaluate(make(AVAILABILITY), {"outages": outages}, as_of="2026-05-01")
    down = result.windows.set_index("window")["downtime_seconds"]
    assert down["2026-03"] == pytest.approx(3600) and down["2026-04"] == pytest.approx(3600)
