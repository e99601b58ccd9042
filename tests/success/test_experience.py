"""Per-customer evaluation: records split by their customer column, outcomes, experience, at-risk rule."""

from __future__ import annotations

import pandas as pd
import pytest

from ukur.success import (
    AtRiskRule,
    at_risk,
    customer_credits,
    evaluate_customers,
    experience,
    record_outcomes,
)


def _shipments() -> pd.DataFrame:
    # Toko A: 3 on time, 1 late (30 h > 24 h); Toko B: 1 on time, 1 late.
    rows = [
        ("S1", "Toko A", "2026-03-02 08:00", "2026-03-02 20:00"),
        ("S2", "Toko A", "2026-03-03 08:00", "2026-03-04 14:00"),
        ("S3", "Toko A", "2026-03-04 08:00", "2026-03-04 09:00"),
        ("S4", "Toko A", "2026-03-05 08:00", "2026-03-05 10:00"),
        ("S5", "Toko B", "2026-03-02 08:00", "2026-03-02 09:00"),
        ("S6", "Toko B", "2026-03-03 08:00", "2026-03-04 14:00"),
    ]
    return pd.DataFrame(rows, columns=["id", "customer", "picked_up_at", "delivered_at"])


def test_each_customer_is_evaluated_on_its_own_records(bisnis):
    evaluated = evaluate_customers([bisnis], {"shipments": _shipments()}, as_of="2026-04-01")
    assert [e.customer for e in evaluated] == ["Toko A", "Toko B"]
    outcomes = record_outcomes(evaluated).set_index("record_id")
    assert outcomes.loc["S2", "outcome"] == "breached" and outcomes.loc["S2", "customer"] == "Toko A"
    assert outcomes.loc["S5", "outcome"] == "met"
    exp = experience(evaluated)
    assert exp.loc["Toko A", "on_time_share"] == pytest.approx(0.75)
    assert exp.loc["Toko B", "on_time_share"] == pytest.approx(0.5)
    # March compliance 75 % and 50 %: credit tiers 10 % of the 1.5 million fee each (below 80 %)
    assert exp.loc["Toko A", "credits"] == pytest.approx(150_000)
    assert exp.loc["Toko B", "credits"] == pytest.approx(150_000)
    credits = customer_credits(evaluated)
    assert set(credits["customer"]) == {"Toko A", "Toko B"}


def test_without_customer_column_the_agreement_customer_is_used(bisnis):
    frame = _shipments().drop(columns="customer")
    evaluated = evaluate_customers([bisnis], {"shipments": frame}, as_of="2026-04-01")
    assert [e.customer for e in evaluated] == [bisnis.customer.name]
    assert experience(evaluated)["records"].iloc[0] == 6


def test_at_risk_rule():
    months = ["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-10", "2026-06-10"]
    # Toko A: CSAT 5 for three months, then 4 (a 1-point fall); Toko B stable at 4 with 3 recent breaches
    feedback = pd.DataFrame(
        {
            "customer": ["Toko A"] * 6 + ["Toko B"] * 6,
            "submitted_at": pd.to_datetime(months * 2),
            "csat": [5, 5, 5, 4, 4, 4] + [4] * 6,
        }
    )
    outcomes = pd.DataFrame(
        {
            "customer": ["Toko B"] * 4 + ["Toko A"],
            "at": pd.to_datetime(["2026-04-02", "2026-05-02", "2026-06-02", "2026-01-02", "2026-05-02"]),
            "outcome": ["breached"] * 4 + ["breached"],
        }
    )
    r = at_risk(feedback, outcomes, rule=AtRiskRule(months=3, drop=0.5, min_answers=3, breaches=3))
    t = r.customers.set_index("customer")
    assert r.recent == ("2026-04", "2026-06") and r.before == ("2026-01", "2026-03")
    assert t.loc["Toko A", "csat_change"] == pytest.approx(-1.0)
    assert t.loc["Toko A", "reasons"] == "falling_satisfaction"
    assert t.loc["Toko B", "breaches_recent"] == 3 and t.loc["Toko B", "reasons"] == "repeated_breaches"
    strict = at_risk(feedback, outcomes, rule=AtRiskRule(min_answers=4, breaches=4)).customers
    assert not strict["at_risk"].any()


def test_analyze_small_case_claims_of_type_complaint_and_no_linking(bisnis):
    from ukur.success import analyze

    claims = pd.DataFrame(
        {
            "id": ["K1", "K2"],
            "record_id": ["S2", "S6"],
            "filed_at": ["2026-03-04 15:00", "2026-03-04 16:00"],
            "type": ["complaint", "late"],
            "amount": [0, 25000],
            "status": ["approved", "approved"],
            "responded_at": ["2026-03-05 09:00", "2026-03-05 09:00"],
        }
    )
    feedback = pd.DataFrame(
        {
            "agreement": ["kilat-bisnis"] * 3,
            "record_id": ["S1", "S2", "S5"],
            "csat": [5, 2, 4],
            "nps": [9, 3, 8],
        }
    )
    result = analyze(
        [bisnis], {"shipments": _shipments()}, feedback, claims=claims, samples=100, as_of="2026-04-01"
    )
    assert result.linking is None
    assert any("linking analysis not run" in n for n in result.notes)
    # the complaint claim (K1, Toko A) is measured on the claims calendar (office) against 2 business days:
    # filed Wed 15:00, answered Thu 09:00 = 2 h Wed + 1 h Thu of office time
    assert result.complaints is not None
    table = result.complaints.complaints
    assert table["id"].tolist() == ["K1"] and table.loc[0, "customer"] == "Toko A"
    assert table.loc[0, "resolve_seconds"] == 3 * 3600
    assert table.loc[0, "resolve_status"] == "on_time"
    assert result.complaints.summary.set_index("step").loc["resolve", "target"] == "2 business days"
    # feedback is linked to its record's customer; met vs breached: Toko A's S1 (5) and Toko B's S5 (4) vs S2 (2)
    assert result.feedback["customer"].tolist() == ["Toko A", "Toko A", "Toko B"]
    groups = result.split.groups.set_index(["answer", "group"])
    assert groups.loc[("csat", "met"), "mean"] == 4.5 and groups.loc[("csat", "breached"), "mean"] == 2.0
