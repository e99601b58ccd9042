"""Durations, percentages and record timestamps as agreements and record files write them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ukur.errors import AgreementError, DataError
from ukur.sla.duration import Duration, parse_duration, parse_percent, parse_timestamps


@pytest.mark.parametrize(
    ("text", "seconds", "days"),
    [
        ("30m", 1800.0, None),
        ("4h", 14400.0, None),
        ("1h30m", 5400.0, None),
        ("1 hour 30 minutes", 5400.0, None),
        ("90s", 90.0, None),
        ("1.5h", 5400.0, None),
        ("1d", 86400.0, 1),
        ("2 days", 172800.0, 2),
        ("1d4h", 100800.0, 1),
        ("3 business days", None, 3),
        ("2 working days", None, 2),
        ("2 hari kerja", None, 2),
        ("4 jam", 14400.0, None),
    ],
)
def test_parse_duration(text: str, seconds: float | None, days: int | None) -> None:
    assert parse_duration(text) == Duration(seconds=seconds, business_days=days, text=text)


@pytest.mark.parametrize("text", ["", "5", "1.5d", "abc", "4h4h", "4 parsecs", "-4h"])
def test_parse_duration_rejects_with_field(text: str) -> None:
    with pytest.raises(AgreementError) as info:
        parse_duration(text, field="objectives[0].target")
    assert info.value.field == "objectives[0].target"


def test_parse_duration_rejects_numbers() -> None:
    with pytest.raises(AgreementError, match="expected a duration"):
        parse_duration(4)  # type: ignore[arg-type]


def test_remainder_after_whole_days() -> None:
    assert parse_duration("1d4h").remainder_seconds == 14400.0
    assert parse_duration("2d").remainder_seconds == 0.0
    assert parse_duration("3 business days").remainder_seconds == 0.0
    assert parse_duration("4h").remainder_seconds == 14400.0


@given(h=st.integers(0, 99), m=st.integers(0, 59), s=st.integers(0, 59))
def test_parse_duration_sums_parts(h: int, m: int, s: int) -> None:
    assert parse_duration(f"{h}h{m}m{s}s").seconds == h * 3600 + m * 60 + s


@pytest.mark.parametrize(
    ("text", "value"),
    [("95%", 0.95), ("99.9%", 0.999), ("100%", 1.0), (0.95, 0.95), ("0.5", 0.5), ("95,5%", 0.955)],
)
def test_parse_percent(text: str | float, value: float) -> None:
    assert parse_percent(text) == value


@pytest.mark.parametrize("text", ["95", 95, "101%", "-1%", "x%", True, None, float("nan")])
def test_parse_percent_rejects(text: object) -> None:
    with pytest.raises(AgreementError):
        parse_percent(text, field="goal")  # type: ignore[arg-type]


def test_timestamps_with_and_without_offset() -> None:
    values = [
        "2026-03-02 09:15",
        "2026-03-02T09:15:00+07:00",
        "2026-03-02T02:15:00Z",
        None,
        "",
        "2026-03-02",
        dt.datetime(2026, 3, 2, 9, 15),
        pd.Timestamp("2026-03-02T02:15Z"),
    ]
    got = parse_timestamps(values, timezone="Asia/Jakarta")
    want = np.array(
        ["2026-03-02T02:15", "2026-03-02T02:15", "2026-03-02T02:15", "NaT", "NaT", "2026-03-01T17:00",
         "2026-03-02T02:15", "2026-03-02T02:15"],
        dtype="datetime64[ns]",
    )  # fmt: skip
    assert got.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(got, want)


def test_timestamps_across_daylight_saving() -> None:
    got = parse_timestamps(
        pd.Series(["2026-03-29 01:30", "2026-03-29 02:30", "2026-10-25 02:30", "2026-10-25 03:30"]),
        timezone="Europe/Amsterdam",
    )
    # 02:30 on 29 March does not exist (moved forward to 03:00 CEST); 02:30 on 25 October happens twice (first: CEST)
    want = np.array(
        ["2026-03-29T00:30", "2026-03-29T01:00", "2026-10-25T00:30", "2026-10-25T02:30"],
        dtype="datetime64[ns]",
    )
    np.testing.assert_array_equal(got, want)


def test_bad_timestamp_names_line_and_field() -> None:
    with pytest.raises(DataError) as info:
        parse_timestamps(
            ["2026-03-02", "2026-13-02"], timezone="Asia/Jakarta", source="t.csv", field="created_at"
        )
    assert (info.value.source, info.value.line, info.value.field) == ("t.csv", 3, "created_at")
    assert "row 2" in info.value.message and "2026-13-02" in info.value.message


def test_unknown_timezone() -> None:
    with pytest.raises(DataError, match="unknown timezone"):
        parse_timestamps(["2026-03-02"], timezone="Mars/Olympus")


@given(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)))
def test_offset_timestamps_round_trip(when: dt.datetime) -> None:
    when = when.replace(microsecond=0)
    text = when.replace(tzinfo=dt.timezone(dt.timedelta(hours=7))).isoformat()
    got = parse_timestamps([text], timezone="Europe/Amsterdam")[0]
    assert got == np.datetime64(when - dt.timedelta(hours=7), "ns")
