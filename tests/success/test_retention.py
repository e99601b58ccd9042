"""Retention: customers who join, leave and return, counted by hand; fees, credits and the rates."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukur.sla import Fee
from ukur.success import monthly_fee, retention


def _activity() -> pd.DataFrame:
    # A: Jan, Feb, (gone Mar), back Apr.  B: Jan, (gone Feb), back Mar, gone Apr.  C: only Feb.
    rows = [("A", "2026-01-05"), ("A", "2026-02-05"), ("A", "2026-02-20"), ("A", "2026-04-01")]
    rows += [("B", "2026-01-10"), ("B", "2026-03-10"), ("C", "2026-02-01")]
    return pd.DataFrame({"customer": [r[0] for r in rows], "at": pd.to_datetime([r[1] for r in rows])})


def test_counts_for_joining_leaving_and_returning_customers():
    spans = pd.DataFrame({"customer": ["D"], "start": [date(2026, 3, 1)], "end": [None]})
    credits = pd.DataFrame({"customer": ["A"], "start": pd.to_datetime(["2026-02-01"]), "amount": [10.0]})
    r = retention(_activity(), spans=spans, fees={"A": 100.0, "D": 50.0}, credits=credits)
    p = r.periods.set_index("period")
    assert p["active"].tolist() == [2, 2, 2, 2]
    assert p["new"].tolist() == [2, 1, 1, 0]  # A,B; C; D (agreement only, no records)
    assert p["retained"].tolist() == [0, 1, 0, 1]  # -; A; -; D
    assert p["returning"].tolist() == [0, 0, 1, 1]  # B in March, A in April
    assert p["lost"].tolist() == [0, 1, 2, 1]  # B; A and C; B
    assert p["records"].tolist() == [2, 3, 1, 1]
    assert p.loc["2026-02", "retention_rate"] == pytest.approx(0.5)
    assert np.isnan(p.loc["2026-01", "retention_rate"])
    assert p.loc["2026-02", "net"] == pytest.approx(90.0)
    assert p.loc["2026-04", "fees"] == pytest.approx(150.0)
    status = r.customers.set_index(["customer", "period"])["status"]
    assert status[("A", "2026-03")] == "lost" and status[("A", "2026-04")] == "returning"
    assert status[("C", "2026-04")] == "inactive"


def test_months_follow_the_time_zone():
    # 2026-01-31 18:00 UTC is already February in Jakarta (UTC+7)
    act = pd.DataFrame({"customer": ["A"], "at": pd.to_datetime(["2026-01-31 18:00"])})
    assert retention(act, timezone="Asia/Jakarta").periods["period"].tolist() == ["2026-02"]
    assert retention(act).periods["period"].tolist() == ["2026-01"]


def test_monthly_fee():
    assert monthly_fee(Fee(1200.0, per="year")) == pytest.approx(100.0)
    assert monthly_fee(Fee(300.0, per="quarter")) == pytest.approx(100.0)
    assert monthly_fee(None) == 0.0


def test_empty_activity_gives_empty_tables():
    r = retention(pd.DataFrame({"customer": [], "at": pd.to_datetime([])}))
    assert r.periods.empty and r.customers.empty
    assert r.to_dict()["periods"] == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDE"), st.integers(0, 11)), min_size=1, max_size=40))
def test_flows_balance(events):
    act = pd.DataFrame(
        {
            "customer": [c for c, _ in events],
            "at": [pd.Timestamp(2026, m + 1, 15) for _, m in events],
        }
    )
    p = retention(act, first="2026-01", last="2026-12").periods
    # active now = active before − lost + new + returning, every month
    before = np.concatenate([[0], p["active"].to_numpy()[:-1]])
    assert (p["active"] == before - p["lost"] + p["new"] + p["returning"]).all()
    assert (p["retained"] + p["new"] + p["returning"] == p["active"]).all()
    assert p["new"].sum() == len({c for c, _ in events})
