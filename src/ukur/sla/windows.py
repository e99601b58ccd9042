"""Evaluation periods and objective windows, in the agreement's timezone.

A *period* (``--period 2026-10``) limits an evaluation to the records placed in it. A *window* is the
span over which an objective's goal is judged: calendar days, ISO weeks (Monday first), months and
quarters are cut at local midnight in the agreement's timezone (a shipment picked up at 23:30 WIB on
31 October belongs to October, although it is 16:30 UTC); a rolling window of N days is the single span of
N × 24 hours that ends where the evaluation ends (``as_of`` or the end of the period, whichever is earlier).

Everything is vectorized: instants are ``datetime64[ns]`` UTC arrays, and a record's window is found by
``searchsorted`` of its instant in the sorted window starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ukur.errors import UkurError
from ukur.sla.agreement import Window

__all__ = ["Period", "WindowGrid", "parse_period", "window_grid"]

_PERIOD = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|Q(?P<quarter>[1-4])|W(?P<week>\d{2})))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Period:
    """The local span ``[start, end)`` an evaluation covers, as written (``label``) and in UTC."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp

    def to_dict(self) -> dict[str, str]:
        """JSON form: label and UTC bounds in ISO 8601."""
        return {"label": self.label, "start": _iso(self.start), "end": _iso(self.end)}


def parse_period(text: str, *, timezone: str) -> Period:
    """Read ``2026``, ``2026-10``, ``2026-Q4``, ``2026-W41``, ``2026-10-05`` or a range ``2026-01..2026-03``.

    Bounds are local midnights in ``timezone``; a range runs from the start of its first part to the end of
    its last part. Raises :class:`~ukur.errors.UkurError` for anything else.
    """
    parts = [p.strip() for p in text.split("..")]
    if len(parts) > 2 or not all(parts):
        raise UkurError(f"cannot read period {text!r}", field="period")
    first = _local_span(parts[0], text)
    last = _local_span(parts[-1], text)
    if last[1] <= first[0]:
        raise UkurError(f"period {text!r} ends before it starts", field="period")
    start = first[0].tz_localize(timezone).tz_convert("UTC").tz_localize(None)
    end = last[1].tz_localize(timezone).tz_convert("UTC").tz_localize(None)
    return Period(label=text.strip(), start=start, end=end)


def _local_span(part: str, text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    match = _PERIOD.match(part)
    if match is None:
        raise UkurError(
            f"cannot read period {text!r} (expected 2026, 2026-10, 2026-Q4, 2026-W41, 2026-10-05 or A..B)",
            field="period",
        )
    year = int(match["year"])
    try:
        if match["day"]:
            lo = pd.Timestamp(year=year, month=int(match["month"]), day=int(match["day"]))
            return lo, lo + pd.Timedelta(days=1)
        if match["month"]:
            lo = pd.Timestamp(year=year, month=int(match["month"]), day=1)
            return lo, lo + pd.offsets.MonthBegin(1)
        if match["quarter"]:
            lo = pd.Timestamp(year=year, month=3 * int(match["quarter"]) - 2, day=1)
            return lo, lo + pd.offsets.MonthBegin(3)
        if match["week"]:
            lo = pd.Timestamp.fromisocalendar(year, int(match["week"]), 1)
            return lo, lo + pd.Timedelta(days=7)
    except ValueError:
        raise UkurError(
            f"period {text!r} names a day, month or week that does not exist", field="period"
        ) from None
    lo = pd.Timestamp(year=year, month=1, day=1)
    return lo, pd.Timestamp(year=year + 1, month=1, day=1)


@dataclass(frozen=True)
class WindowGrid:
    """Consecutive windows ``[starts[i], ends[i])`` (UTC ``datetime64[ns]``) with their labels."""

    labels: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    @classmethod
    def empty(cls) -> WindowGrid:
        """No windows at all (nothing to evaluate)."""
        none = np.array([], dtype="datetime64[ns]")
        return cls(np.array([], dtype=object), none, none.copy())

    def locate(self, instants: np.ndarray) -> np.ndarray:
        """Index of the window holding each instant; -1 outside every window or for NaT."""
        t = np.asarray(instants, dtype="datetime64[ns]")
        if len(self.starts) == 0:
            return np.full(t.shape, -1, dtype=np.int64)
        i = np.searchsorted(self.starts, t, side="right") - 1
        inside = (i >= 0) & ~np.isnat(t)
        ic = np.clip(i, 0, None)
        inside &= t < self.ends[ic]
        return np.where(inside, i, -1)


def window_grid(window: Window, start: pd.Timestamp, end: pd.Timestamp, *, timezone: str) -> WindowGrid:
    """The windows of kind ``window`` that cover the UTC span ``[start, end)``.

    Calendar windows are those overlapping the span (the first and last may stick out of it); a rolling
    window is the single span of ``window.days`` days ending at ``end``.
    """
    if end <= start:
        return WindowGrid(np.array([], dtype=object), *(np.array([], dtype="datetime64[ns]"),) * 2)
    if window.unit == "rolling":
        days = window.days or 30
        lo = end - pd.Timedelta(days=days)
        label = f"rolling {days}d to {_iso(end)}"
        return WindowGrid(
            np.array([label], dtype=object),
            np.array([lo.to_datetime64()], dtype="datetime64[ns]"),
            np.array([end.to_datetime64()], dtype="datetime64[ns]"),
        )
    local_lo = start.tz_localize("UTC").tz_convert(timezone).tz_localize(None)
    local_hi = end.tz_localize("UTC").tz_convert(timezone).tz_localize(None)
    freq = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q"}[window.unit]
    periods = pd.period_range(
        local_lo.to_period(freq), (local_hi - pd.Timedelta(1, "ns")).to_period(freq), freq=freq
    )
    starts_local = periods.start_time
    ends_local = (periods + 1).start_time
    labels = np.array([_label(p, window.unit) for p in periods], dtype=object)
    return WindowGrid(labels, _to_utc(starts_local, timezone), _to_utc(ends_local, timezone))


def _label(period: pd.Period, unit: str) -> str:
    if unit == "month":
        return f"{period.year:04d}-{period.month:02d}"
    if unit == "quarter":
        return f"{period.year:04d}-Q{period.quarter}"
    if unit == "week":
        iso = period.start_time.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    return str(period.start_time.date())


def _to_utc(local: pd.DatetimeIndex, timezone: str) -> np.ndarray:
    aware = local.tz_localize(
        timezone, ambiguous=np.ones(len(local), dtype=bool), nonexistent="shift_forward"
    )
    return aware.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[ns]")


def _iso(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
