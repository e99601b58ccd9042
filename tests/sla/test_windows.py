"""Periods and windows in the agreement's timezone (Asia/Jakarta, UTC+7; America/New_York has DST)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.sla.sla_helpers import frame, make, utc
from ukur.errors import UkurError
from ukur.sla import Window, evaluate, parse_period
from ukur.sla.windows import window_grid


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", "2026-01-01", "2027-01-01"),
        ("2026-10", "2026-10-01", "2026-11-01"),
        ("2026-Q4", "2026-10-01", "2027-01-01"),
        ("2026-q1", "2026-01-01", "2026-04-01"),
        ("2026-W41", "2026-10-05", "2026-10-12"),  # ISO week 41 of 2026 starts on Monday 5 October
        ("2026-10-05", "2026-10-05", "2026-10-06"),
        ("2026-01..2026-03", "2026-01-01", "2026-04-01"),
    ],
)
def test_periods_are_local_spans(text, start, end):
    period = parse_period(text, timezone="Asia/Jakarta")
    assert period.start == utc(start) and period.end == utc(end)
    assert period.label == text


@pytest.mark.parametrize(
    "text", ["October", "2026-13", "2026-02-30", "2026-Q5", "2026-03..2026-01", "..2026"]
)
def test_bad_periods_are_user_errors(text):
    with pytest.raises(UkurError, match="period"):
        parse_period(text, timezone="Asia/Jakarta")


def test_month_windows_follow_daylight_saving_in_new_york():
    # March 2026 in New York: from 05:00 UTC on the 1st (EST) to 04:00 UTC on 1 April (EDT).
    grid = window_grid(
        Window("month"), pd.Timestamp("2026-03-10"), pd.Timestamp("2026-04-10"), timezone="America/New_York"
    )
    assert grid.labels.tolist() == ["2026-03", "2026-04"]
    assert grid.starts[0] == np.datetime64("2026-03-01T05:00", "ns")
    assert grid.ends[0] == np.datetime64("2026-04-01T04:00", "ns")
    assert grid.locate(
        np.array(["2026-04-01T03:59", "2026-04-01T04:00", "NaT"], dtype="datetime64[ns]")
    ).tolist() == [0, 1, -1]


def test_week_and_quarter_labels():
    weeks = window_grid(Window("week"), utc("2025-12-29"), utc("2026-01-12"), timezone="Asia/Jakarta")
    assert weeks.labels.tolist() == ["2026-W01", "2026-W02"]  # 29 Dec 2025 is in ISO week 1 of 2026
    quarters = window_grid(Window("quarter"), utc("2026-03-31"), utc("2026-04-02"), timezone="Asia/Jakarta")
    assert quarters.labels.tolist() == ["2026-Q1", "2026-Q2"]


def test_a_rolling_window_ends_at_as_of():
    agreement = make(
        """\
objectives:
  - {id: on-time, service: delivery, kind: duration, records: shipments, start: picked_up_at,
     stop: delivered_at, target: 2h, goal: 90%, window: rolling 30d}
"""
    )
    rows = [
        {"id": "old", "picked_up_at": "2026-02-01 09:00", "delivered_at": "2026-02-01 10:00"},
        {"id": "in", "picked_up_at": "2026-03-10 09:00", "delivered_at": "2026-03-10 12:00"},
        {"id": "new", "picked_up_at": "2026-03-30 09:00", "delivered_at": "2026-03-30 10:00"},
    ]
    result = evaluate(agreement, {"shipments": frame(rows)}, as_of="2026-03-31 00:00")
    window = result.windows.iloc[0]
    assert window["window"].startswith("rolling 30d to ")
    assert window["start"] == utc("2026-03-01 00:00") and window["end"] == utc("2026-03-31 00:00")
    assert (window["total"], window["met"], window["breached"]) == (2, 1, 1)
    assert window["compliance"] == pytest.approx(0.5)
