"""The at-risk rule flags exactly the customers whose fall or breaches exceed chance (issue #10).

Fixture (agreement goal 90 %: 10 % of records may breach; recent window 2026-04..06, before 2026-01..03):

* Steady — 24 decided records, 3 breached: what a 10 % allowance gives by chance (P ≈ 0.43); CSAT flat.
* Late — 24 decided records, 9 breached: far beyond 10 % (P ≈ 2e-4) → repeated_breaches.
* Few — 2 records, both breached: beyond chance, but fewer than the minimum of 3 breaches → not flagged.
* Falling — CSAT 5,5,4,5,5,4 before and 3,2,3,3,2,3 recent: a fall of 2 points, t test p ≪ 0.01.
* Noisy — CSAT 5,3,4 before and 4,3,3 recent: a fall of 0.67 points that three answers give by chance.
* Small — CSAT 4 before and 3.8 on average recent with no spread in either window except one 3: below the
  0.5-point drop.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukur.errors import DataError
from ukur.io import read_table
from ukur.success import AtRiskRule, analyze, at_risk
from ukur.success.at_risk import allowed_shares

DEMO = Path(__file__).resolve().parents[2] / "examples" / "sla" / "success"


def binomial_tail(k: int, n: int, p: float) -> float:
    """``P(X ≥ k)`` for ``X ~ Binomial(n, p)``, summed by hand."""
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


def records(customer: str, total: int, breached: int, month: str = "2026-05") -> pd.DataFrame:
    days = pd.date_range(f"{month}-01", periods=total, freq="h")
    return pd.DataFrame(
        {
            "agreement": "bisnis",
            "customer": customer,
            "record_id": [f"{customer}-{i}" for i in range(total)],
            "outcome": ["breached"] * breached + ["met"] * (total - breached),
            "at": days,
        }
    )


def answers(customer: str, before: list[float], recent: list[float]) -> pd.DataFrame:
    stamps = [pd.Timestamp("2026-02-10")] * len(before) + [pd.Timestamp("2026-05-10")] * len(recent)
    return pd.DataFrame({"customer": customer, "submitted_at": stamps, "csat": before + recent})


@pytest.fixture
def population() -> tuple[pd.DataFrame, pd.DataFrame]:
    outcomes = pd.concat(
        [records("Steady", 24, 3), records("Late", 24, 9), records("Few", 2, 2), records("Falling", 8, 0)],
        ignore_index=True,
    )
    feedback = pd.concat(
        [
            answers("Steady", [4, 4, 5, 4], [4, 5, 4, 4]),
            answers("Falling", [5, 5, 4, 5, 5, 4], [3, 2, 3, 3, 2, 3]),
            answers("Noisy", [5, 3, 4], [4, 3, 3]),
            answers("Small", [4, 4, 4, 4, 4], [4, 4, 4, 4, 3]),
        ],
        ignore_index=True,
    )
    return feedback, outcomes


def test_the_default_rule_flags_exactly_the_customers_beyond_chance(population):
    feedback, outcomes = population
    result = at_risk(feedback, outcomes, last="2026-06", allowed={"bisnis": 0.10})
    t = result.customers.set_index("customer")
    assert result.recent == ("2026-04", "2026-06") and result.before == ("2026-01", "2026-03")
    assert set(t.index[t["at_risk"]]) == {"Late", "Falling"}
    assert t.loc["Late", "reasons"] == "repeated_breaches"
    assert t.loc["Falling", "reasons"] == "falling_satisfaction"
    assert t.loc["Steady", "breaches_p"] == pytest.approx(binomial_tail(3, 24, 0.10))
    assert t.loc["Late", "breaches_p"] == pytest.approx(binomial_tail(9, 24, 0.10))
    assert t.loc["Few", "breaches_p"] == pytest.approx(0.01)  # 0.1², yet only 2 breaches
    assert t.loc["Late", "allowed_share"] == pytest.approx(0.10) and t.loc["Late", "decided_recent"] == 24
    assert t.loc["Noisy", "csat_change"] == pytest.approx(-2 / 3) and t.loc["Noisy", "csat_p"] > 0.1
    assert t.loc["Small", "csat_change"] == pytest.approx(-0.2)


def test_thresholds_are_settable(population):
    feedback, outcomes = population
    loose = at_risk(feedback, outcomes, last="2026-06", allowed={"bisnis": 0.10}, rule=AtRiskRule(level=0.5))
    flagged = set(loose.customers.loc[loose.customers["at_risk"], "customer"])
    assert {"Late", "Falling", "Steady", "Noisy"} <= flagged and "Few" not in flagged
    few = at_risk(feedback, outcomes, last="2026-06", rule=AtRiskRule(breaches=2, allowed_share=0.10))
    assert "Few" in set(few.customers.loc[few.customers["at_risk"], "customer"])
    assert few.to_dict()["rule"]["allowed_share"] == 0.10
    # the allowance from the agreement: with none, every breach counts and three suffice (Steady too)
    strict = at_risk(feedback, outcomes, last="2026-06")
    assert {"Steady", "Late"} <= set(strict.customers.loc[strict.customers["repeated_breaches"], "customer"])


@pytest.mark.parametrize(
    "bad",
    [{"months": 0}, {"drop": -1}, {"min_answers": 1}, {"breaches": 0}, {"level": 0}, {"allowed_share": 1}],
)
def test_a_wrong_threshold_is_a_clear_error(bad):
    with pytest.raises(DataError):
        AtRiskRule(**bad)


def test_the_rule_describes_itself_in_both_languages():
    rule = AtRiskRule(months=2, drop=0.75, breaches=4, level=0.05)
    assert (
        "2 months" in rule.describe("en") and "0.75" in rule.describe("en") and "≥ 4" in rule.describe("en")
    )
    assert "2 bulan" in rule.describe("id") and "p ≤ 0.05" in rule.describe("id")


@settings(max_examples=60, deadline=None)
@given(
    total=st.integers(1, 40),
    data=st.data(),
    allowed=st.sampled_from([0.0, 0.05, 0.1, 0.25]),
    minimum=st.integers(1, 5),
)
def test_breach_flag_is_the_binomial_tail_against_the_allowance(total, data, allowed, minimum):
    breached = data.draw(st.integers(0, total))
    outcomes = records("C", total, breached)
    feedback = pd.DataFrame({"customer": [], "submitted_at": pd.to_datetime([]), "csat": []})
    rule = AtRiskRule(breaches=minimum)
    t = at_risk(feedback, outcomes, last="2026-06", allowed={"bisnis": allowed}, rule=rule).customers
    tail = binomial_tail(breached, total, allowed) if allowed > 0 else float(breached == 0)
    assert t["breaches_p"].iloc[0] == pytest.approx(tail, abs=1e-12)
    assert bool(t["repeated_breaches"].iloc[0]) == (breached >= minimum and tail <= rule.level * (1 + 1e-9))


def test_allowed_share_is_one_minus_the_strictest_per_record_goal(bisnis):
    assert allowed_shares([bisnis]) == {"kilat-bisnis": pytest.approx(0.10)}


def test_demo_population_flags_only_customers_late_far_beyond_the_goal(bisnis):
    """The demo's population model has no falling satisfaction; the old rule flagged 39 of 150."""
    result = analyze(
        [bisnis],
        {"shipments": read_table(DEMO / "shipments.csv")},
        read_table(DEMO / "feedback.csv"),
        samples=20,
        as_of="2027-01-05T00:00",
    )
    t = result.at_risk.customers
    flagged = t[t["at_risk"]]
    assert 0 < len(flagged) <= 10
    share = flagged["breaches_recent"] / flagged["decided_recent"]
    assert (share > 0.2).all() and not flagged["falling_satisfaction"].any()
    assert np.isfinite(t["breaches_p"].dropna()).all()
