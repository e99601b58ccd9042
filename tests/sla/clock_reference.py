"""An independent, brute-force business clock for testing ``ukur.sla.calendar``.

It shares no code with the engine: opening hours are written here as plain minute tables, holidays come
straight from the ``holidays`` package, and every UTC *minute* of the test span is converted to local time by
pandas/zoneinfo one by one and marked open or closed.  Open time in ``[a, b)`` is then a cumulative sum over
minutes, with the partial first and last minute added exactly (every calendar boundary here sits on a whole
minute, so each minute is wholly open or wholly closed).  That makes it exact to the nanosecond for any
instants, at the cost of a minute grid (about a million minutes for the two years tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import holidays
import numpy as np
import pandas as pd

SPAN_FIRST = np.datetime64("2025-11-01T00:00", "m")
SPAN_LAST = np.datetime64("2027-03-01T00:00", "m")
NS_PER_MIN = 60_000_000_000


@dataclass(frozen=True)
class ReferenceCalendar:
    """Opening hours as ``{weekday: [(open_minute, close_minute), ...]}`` in local time, plus closed dates."""

    name: str
    timezone: str
    week: dict[int, list[tuple[int, int]]]
    spec: dict[str, object]
    country: str | None = None
    categories: tuple[str, ...] = ("public",)
    extra_closed: tuple[date, ...] = ()

    def closed_dates(self) -> set[date]:
        days = set(self.extra_closed)
        if self.country:
            for year in range(2024, 2029):
                days.update(holidays.country_holidays(self.country, years=year, categories=self.categories))
        return days

    @cached_property
    def minutes(self) -> np.ndarray:
        """UTC minute grid of the test span (datetime64[m])."""
        return np.arange(SPAN_FIRST, SPAN_LAST, dtype="datetime64[m]")

    @cached_property
    def open_minute(self) -> np.ndarray:
        """True where the minute starting at ``minutes[i]`` is open."""
        local = (
            pd.DatetimeIndex(self.minutes.astype("datetime64[ns]"))
            .tz_localize("UTC")
            .tz_convert(self.timezone)
        )
        minute_of_day = local.hour.to_numpy() * 60 + local.minute.to_numpy()
        weekday = local.day_of_week.to_numpy()
        dates = local.date
        closed = np.isin(
            np.array(dates, dtype="datetime64[D]"),
            np.array(sorted(self.closed_dates()), dtype="datetime64[D]"),
        )
        is_open = np.zeros(len(local), dtype=bool)
        for w, spans in self.week.items():
            for lo, hi in spans:
                is_open |= (weekday == w) & (minute_of_day >= lo) & (minute_of_day < hi)
        return is_open & ~closed

    @cached_property
    def cumulative(self) -> np.ndarray:
        """cumulative[i] = open minutes before minute i."""
        return np.concatenate([[0], np.cumsum(self.open_minute)])

    def open_ns(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Exact open nanoseconds in ``[a, b)`` (0 when b <= a) for ``datetime64[ns]`` arrays inside the span."""
        return np.maximum(self._cum_ns(b) - self._cum_ns(a), 0)

    def _cum_ns(self, t: np.ndarray) -> np.ndarray:
        t_ns = t.astype("datetime64[ns]").astype(np.int64)
        first_ns = SPAN_FIRST.astype("datetime64[ns]").astype(np.int64)
        index = (t_ns - first_ns) // NS_PER_MIN
        assert index.min() >= 0 and index.max() < len(self.minutes)
        partial = (t_ns - first_ns) - index * NS_PER_MIN
        return self.cumulative[index] * NS_PER_MIN + self.open_minute[index] * partial

    def is_open(self, t: np.ndarray) -> np.ndarray:
        first_ns = SPAN_FIRST.astype("datetime64[ns]").astype(np.int64)
        index = (t.astype("datetime64[ns]").astype(np.int64) - first_ns) // NS_PER_MIN
        return self.open_minute[index]


def _h(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


OFFICE_WEEK = {w: [(_h("08:00"), _h("12:00")), (_h("13:00"), _h("17:00"))] for w in range(5)} | {
    5: [(_h("08:00"), _h("12:00"))]
}
JAKARTA_OFFICE = ReferenceCalendar(
    name="office",
    timezone="Asia/Jakarta",
    week=OFFICE_WEEK,
    spec={
        "hours": {"mon-fri": "08:00-12:00,13:00-17:00", "sat": "08:00-12:00"},
        "holidays": {"country": "ID", "categories": ["public", "government"]},
        "closed": ["2026-03-20", "2026-07-06"],
    },
    country="ID",
    categories=("public", "government"),
    extra_closed=(date(2026, 3, 20), date(2026, 7, 6)),
)
# Opening hours that straddle the daylight-saving switches (02:00→03:00 in March, 03:00→02:00 in October,
# both on Sunday nights) so the skipped and the repeated hour are inside open time.
AMSTERDAM_SHOP = ReferenceCalendar(
    name="shop",
    timezone="Europe/Amsterdam",
    week={w: [(_h("09:00"), _h("17:30"))] for w in range(5)}
    | {5: [(_h("10:00"), _h("16:00"))], 6: [(_h("01:30"), _h("04:15")), (_h("12:00"), _h("24:00"))]},
    spec={
        "hours": {"mon-fri": "09:00-17:30", "sat": "10:00-16:00", "sun": "01:30-04:15,12:00-24:00"},
        "holidays": {"country": "NL"},
    },
    country="NL",
)
NEW_YORK_SUPPORT = ReferenceCalendar(
    name="support",
    timezone="America/New_York",
    week={w: [(_h("00:00"), _h("24:00"))] for w in range(5)} | {6: [(_h("01:00"), _h("03:30"))]},
    spec={
        "hours": {"mon-fri": "24h", "sun": "01:00-03:30"},
        "holidays": {"country": "US", "categories": ["public"]},
        "closed": ["2026-11-27"],
    },
    country="US",
    extra_closed=(date(2026, 11, 27),),
)
ALL = (JAKARTA_OFFICE, AMSTERDAM_SHOP, NEW_YORK_SUPPORT)
