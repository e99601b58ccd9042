"""Complaint clocks run on business time (the agreement's office calendar); properties of the clock."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukur.errors import DataError
from ukur.sla import BusinessCalendar, load_agreement
from ukur.success import complaint_handling, complaints_from_claims

AGREEMENT = Path(__file__).resolve().parents[2] / "examples" / "sla" / "success" / "kilat-bisnis.yaml"


@pytest.fixture(scope="module")
def office() -> BusinessCalendar:
    return load_agreement(AGREEMENT.read_text(encoding="utf-8")).calendar("office")


def test_clocks_count_only_opening_hours(office):
    # Office: Mon–Fri 08–12 and 13–17, Sat 08–12 (Asia/Jakarta). 2026-03-06 is a Friday.
    frame = pd.DataFrame(
        {
            "id": ["C1", "C2", "C3"],
            "received_at": ["2026-03-06 16:00", "2026-03-07 11:00", "2026-03-09 09:00"],
            "acknowledged_at": ["2026-03-09 09:00", "2026-03-09 08:30", None],
            "resolved_at": [None, "2026-03-10 10:00", None],
        }
    )
    r = complaint_handling(
        frame, office, acknowledge_within="2h", resolve_within="2 business days", as_of="2026-03-09T12:00"
    )
    t = r.complaints.set_index("id")
    # C1: Fri 16–17 (1 h) + Sat 08–12 (4 h) + Mon 08–09 (1 h) = 6 open hours; deadline Sat 09:00 local
    assert t.loc["C1", "acknowledge_seconds"] == pytest.approx(6 * 3600)
    assert t.loc["C1", "acknowledge_deadline"] == pd.Timestamp("2026-03-07 02:00")  # UTC
    assert t.loc["C1", "acknowledge_status"] == "late"
    # C2: Sat 11–12 (1 h) + Mon 08–08:30 (0.5 h); deadline 2 open hours later = Mon 09:00 → on time
    assert t.loc["C2", "acknowledge_seconds"] == pytest.approx(1.5 * 3600)
    assert t.loc["C2", "acknowledge_status"] == "on_time"
    # C2 resolved Tue 10:00: Sat 1 h + Mon 8 h + Tue 2 h = 11 h; due two working days after Sat 11:00 → Tue 11:00
    assert t.loc["C2", "resolve_seconds"] == pytest.approx(11 * 3600)
    assert t.loc["C2", "resolve_status"] == "on_time"
    # C3 not acknowledged by Mon 12:00: 3 open hours, deadline 11:00 passed → overdue; resolution still open
    assert t.loc["C3", "acknowledge_seconds"] == pytest.approx(3 * 3600)
    assert t.loc["C3", "acknowledge_status"] == "overdue"
    assert t.loc["C3", "resolve_status"] == "open"
    s = r.summary.set_index("step")
    assert s.loc["acknowledge", "in_time_share"] == pytest.approx(1 / 3)
    assert r.to_dict()["calendar"] == "office"


def test_invalid_and_missing_columns(office):
    frame = pd.DataFrame(
        {"id": ["X"], "received_at": ["2026-03-09 10:00"], "resolved_at": ["2026-03-09 09:00"]}
    )
    r = complaint_handling(frame, office, resolve_within="4h", as_of="2026-03-10")
    assert r.complaints.loc[0, "resolve_status"] == "invalid"
    with pytest.raises(DataError, match="received_at"):
        complaint_handling(pd.DataFrame({"id": ["X"]}), office)


def test_complaints_from_claims():
    claims = pd.DataFrame(
        {
            "id": ["K1", "K2"],
            "type": ["complaint", "damage"],
            "filed_at": pd.to_datetime(["2026-03-09 03:00", "2026-03-09 04:00"]),
            "responded_at": pd.to_datetime(pd.Series(["2026-03-09 05:00", None])),
        }
    )
    frame = complaints_from_claims(claims, customer="Toko A")
    assert frame["id"].tolist() == ["K1"]
    r = complaint_handling(frame, BusinessCalendar.always_open(), resolve_within="4h", as_of="2026-03-10")
    assert r.complaints.loc[0, "resolve_seconds"] == pytest.approx(2 * 3600)
    assert r.complaints.loc[0, "resolve_status"] == "on_time"


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 60 * 24 * 20),
    st.integers(0, 60 * 24 * 10),
)
def test_business_time_never_exceeds_wall_time_and_equals_it_on_24x7(office, start_minutes, length):
    received = pd.Timestamp("2026-03-01") + pd.Timedelta(minutes=start_minutes)
    done = received + pd.Timedelta(minutes=length)
    frame = pd.DataFrame({"id": ["X"], "received_at": [received], "resolved_at": [done]})
    wall = length * 60.0
    business = complaint_handling(frame, office, as_of="2026-06-01").complaints.loc[0, "resolve_seconds"]
    assert 0.0 <= business <= wall + 1e-6
    always = complaint_handling(frame, BusinessCalendar.always_open(), as_of="2026-06-01")
    assert always.complaints.loc[0, "resolve_seconds"] == pytest.approx(wall)
    assert np.isfinite(business)
