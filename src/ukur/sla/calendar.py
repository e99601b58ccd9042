"""Business calendars: when a service is open, and how much open time lies between two instants.

A calendar is weekly opening hours in local time, minus public holidays (the ``holidays`` package, e.g.
Indonesia with ``categories: [public, government]`` — government holidays are the *cuti bersama* collective
leave days), minus extra ``closed:`` days that an agreement can add without a release of ukur.  ``24x7`` is the
calendar that is always open.

Clock rules (issue 4):

* minutes and hours count open time only: a 4h target started Friday 16:00 on an office calendar
  (08–12, 13–17) ends Monday 11:00 when Saturday and Sunday are closed;
* a day is a working day: see :meth:`BusinessCalendar.add_business_days`; on ``24x7`` a day is 24 hours;
* an instant is open when its local wall-clock reading falls inside opening hours on a working day
  (so daylight-saving switches lengthen or shorten an open day exactly as the clock on the wall does).

Every method takes and returns numpy arrays (``datetime64[ns]`` in UTC, NaT = missing) and is vectorized
through :mod:`ukur.sla.timeline`.  The spec syntax is parsed by :mod:`ukur.sla.calendar_spec`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import AgreementError, DataError
from ukur.sla import calendar_spec
from ukur.sla.duration import Duration
from ukur.sla.timeline import DAY_NS, Timeline, build_timeline, day_number, to_local_ns

__all__ = ["BUILTIN_CALENDARS", "BusinessCalendar", "builtin_calendar"]

_NAT = np.iinfo(np.int64).min
_MAX_EXTRA_YEARS = 200
_MAX_SPAN_YEARS = 150


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours, holidays and closed days of one service, in one IANA timezone.

    Build it with :meth:`from_spec` (agreement YAML) or :meth:`always_open` (``24x7``).  ``hours[w]`` holds the
    opening intervals of weekday ``w`` (0 = Monday) as seconds after local midnight.  The open-interval
    timeline is built lazily for the years the data need and cached on the (otherwise immutable) object.
    """

    name: str
    timezone: str
    hours: tuple[tuple[tuple[int, int], ...], ...] = ((),) * 7
    holiday_country: str | None = None
    holiday_categories: tuple[str, ...] = ()
    holiday_subdiv: str | None = None
    holiday_language: str | None = None
    closed: tuple[tuple[date, str], ...] = ()
    always: bool = False
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    # ------------------------------------------------------------------ construction
    @classmethod
    def always_open(cls, timezone: str = "UTC") -> BusinessCalendar:
        """The ``24x7`` calendar: every instant is open, a day is 24 hours."""
        calendar_spec.check_timezone(timezone, field="timezone")
        return cls(name="24x7", timezone=timezone, hours=(((0, 86400),),) * 7, always=True)

    @classmethod
    def from_spec(cls, name: str, spec: Mapping[str, Any], *, timezone: str) -> BusinessCalendar:
        """Build a calendar from an agreement's ``calendars.<name>`` mapping.

        ``spec = {hours: {"mon-fri": "08:00-12:00,13:00-17:00", "sat": "08:00-12:00"},
        holidays: {country: "ID", categories: [public, government], subdiv: None, language: "id"},
        closed: ["2026-03-20", {date: 2026-12-31, name: Company day}, {from: ..., to: ..., name: ...}]}``.
        Errors are :class:`~ukur.errors.AgreementError` naming the field (``calendars.<name>.hours.sat``).
        """
        parsed = calendar_spec.parse_calendar(name, spec, timezone=timezone)
        return cls(name=name, timezone=timezone, **parsed)

    def to_dict(self) -> dict[str, object]:
        """The calendar in the same shape as the agreement file (hours per weekday, holidays, closed days)."""
        return {
            "name": self.name,
            "timezone": self.timezone,
            "always_open": self.always,
            "hours": {
                day: calendar_spec.format_hours(self.hours[w]) for w, day in enumerate(calendar_spec.WEEKDAYS)
            },
            "holidays": None
            if self.holiday_country is None
            else {
                "country": self.holiday_country,
                "categories": list(self.holiday_categories),
                "subdiv": self.holiday_subdiv,
                "language": self.holiday_language,
            },
            "closed": [{"date": d.isoformat(), "name": n} for d, n in self.closed],
        }

    # ------------------------------------------------------------------ holidays
    def _holidays_of_year(self, year: int) -> dict[date, str]:
        cache: dict[int, dict[date, str]] = self._cache.setdefault("holidays", {})
        if year not in cache:
            found: dict[date, str] = {}
            if self.holiday_country is not None:
                found = calendar_spec.country_holidays(
                    self.holiday_country,
                    year,
                    categories=self.holiday_categories,
                    subdiv=self.holiday_subdiv,
                    language=self.holiday_language,
                )
            cache[year] = found
        return cache[year]

    def _closed_days(self, first_year: int, last_year: int) -> set[int]:
        days = {day_number(d) for y in range(first_year, last_year + 1) for d in self._holidays_of_year(y)}
        days.update(day_number(d) for d, _ in self.closed)
        return days

    def closed_reason(self, day: date) -> str | None:
        """Why a local date is closed all day (``holiday: <name>``, ``closed day[: name]``, ``weekend``), or None."""
        names = [n for d, n in self.closed if d == day]
        if names:
            return "closed day" + (f": {names[0]}" if names[0] else "")
        holiday = self._holidays_of_year(day.year).get(day)
        if holiday is not None:
            return f"holiday: {holiday}"
        if not self.hours[day.weekday()]:
            return (
                "weekend" if day.weekday() >= 5 else f"closed on {calendar_spec.WEEKDAY_NAMES[day.weekday()]}"
            )
        return None

    def holidays_between(self, first: date, last: date) -> pd.DataFrame:
        """Holidays and extra closed days from ``first`` to ``last`` inclusive.

        Columns: ``date`` (datetime.date), ``name``, ``kind`` (``holiday`` from the country's list or ``closed``
        from the agreement's ``closed:``), sorted by date.
        """
        rows = [
            (d, n, "holiday")
            for y in range(first.year, last.year + 1)
            for d, n in self._holidays_of_year(y).items()
            if first <= d <= last
        ]
        rows += [(d, n or "closed day", "closed") for d, n in self.closed if first <= d <= last]
        frame = pd.DataFrame(rows, columns=["date", "name", "kind"])
        return frame.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)

    # ------------------------------------------------------------------ timeline
    def timeline(self, first_year: int, last_year: int) -> Timeline:
        """The cached open-interval timeline covering at least the UTC years ``first_year..last_year``."""
        current: Timeline | None = self._cache.get("timeline")
        if current is not None and current.first_year <= first_year and last_year <= current.last_year:
            return current
        if current is not None:
            first_year, last_year = min(first_year, current.first_year), max(last_year, current.last_year)
        built = build_timeline(
            first_year=first_year,
            last_year=last_year,
            timezone=self.timezone,
            hours=self.hours,
            closed_days=self._closed_days,
        )
        self._cache["timeline"] = built
        return built

    def _timeline_for(self, *arrays: np.ndarray) -> Timeline:
        valid = [a[a != _NAT] for a in arrays]
        valid = [a for a in valid if len(a)]
        if not valid:
            return self.timeline(1970, 1970)
        lo = min(int(a.min()) for a in valid)
        hi = max(int(a.max()) for a in valid)
        years = np.array([lo, hi]).astype("datetime64[ns]").astype("datetime64[Y]").astype(int) + 1970
        if years[1] - years[0] > _MAX_SPAN_YEARS:
            first, last = np.array([lo, hi]).astype("datetime64[ns]").astype("datetime64[s]")
            raise DataError(
                f"timestamps run from {first} to {last} (UTC), more than {_MAX_SPAN_YEARS} years: "
                "is a year mistyped?",
            )
        return self.timeline(int(years[0]), int(years[1]))

    # ------------------------------------------------------------------ the clock
    def open_seconds(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        """Open seconds in ``[start, stop)`` (float64); NaN where either is NaT; 0 when ``stop <= start``."""
        a, b = np.broadcast_arrays(_ns(start), _ns(stop))
        missing = (a == _NAT) | (b == _NAT)
        if self.always:
            diff = np.where(missing, 0, b - a)
        else:
            line = self._timeline_for(a, b)
            fa = line.cumulative(np.where(missing, line.lo, a))
            fb = line.cumulative(np.where(missing, line.lo, b))
            diff = fb - fa
        seconds = np.maximum(diff, 0) / 1e9
        return np.where(missing, np.nan, seconds)

    def add_open_seconds(self, start: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """Deadline: the earliest instant t ≥ start with ``open_seconds(start, t) == seconds``.

        A target that runs out exactly at closing time ends at closing time (not at the next opening).
        NaT where ``start`` is NaT or ``seconds`` is NaN or negative.
        """
        a, s = np.broadcast_arrays(_ns(start), np.asarray(seconds, dtype=np.float64))
        bad = (a == _NAT) | ~np.isfinite(s) | (s < 0)
        amount = np.where(bad, 0, np.round(np.where(bad, 0.0, s) * 1e9)).astype(np.int64)
        base = np.where(bad, 0, a)
        if self.always:
            out = base + amount
        else:
            line = self._timeline_for(np.where(bad, _NAT, a))
            target = line.cumulative(np.where(bad, line.lo, a)) + amount
            line = self._extend_until(line, lambda tl: bool(np.all(target <= tl.total)))
            target = line.cumulative(np.where(bad, line.lo, a)) + amount
            out = np.where(amount > 0, line.invert(np.maximum(target, 1)), base)
        return np.where(bad, _NAT, out).astype("datetime64[ns]")

    def add_business_days(self, start: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Deadline N working days after ``start``, at the same local clock time.

        The rule, as help-desk customers read "respond within 2 days":

        1. a start outside opening hours first moves to the next opening (a ticket sent Friday 18:00 is read
           Monday 08:00);
        2. the deadline is that clock time on the N-th working day after that day (a working day has opening
           hours and is neither a holiday nor a closed day);
        3. when that day is not open at that clock time (shorter Saturday hours, a lunch break), the deadline
           moves back to that day's last closing time before it, or forward to its first opening when the day
           opens later.

        On ``24x7`` every day is a working day, so this is the same local clock time N calendar days later.
        NaT where ``start`` is NaT or ``days`` is negative.
        """
        a, n = np.broadcast_arrays(_ns(start), np.asarray(days, dtype=np.int64))
        bad = (a == _NAT) | (n < 0)
        n = np.where(bad, 0, n)
        line = self._timeline_for(np.where(bad, _NAT, a))
        probe = np.where(bad, line.lo, a)
        if not self.always:
            # the opening that starts the clock must lie inside the timeline (intervals before ``hi`` never
            # change when the timeline grows, so ``rolled`` stays valid below)
            line = self._extend_until(line, lambda tl: bool(np.all(tl.next_open(probe) < tl.hi)))
        rolled = probe if self.always else line.next_open(probe)
        local = to_local_ns(rolled, self.timezone)
        local_day = local // DAY_NS
        clock = local - local_day * DAY_NS
        if self.always:
            target_day = local_day + n
        else:
            line = self._extend_until(
                line, lambda tl: bool(np.all(np.searchsorted(tl.workdays, local_day) + n < len(tl.workdays)))
            )
            target_day = line.workdays[np.searchsorted(line.workdays, local_day) + n]
            clock = self._clamp_clock(target_day, clock)
        local_deadline = (target_day * DAY_NS + clock).astype("datetime64[ns]")
        utc = _localize_ns(local_deadline, self.timezone)
        return np.where(bad, _NAT, utc).astype("datetime64[ns]")

    def deadline(self, start: np.ndarray, target: Duration) -> np.ndarray:
        """When ``target`` runs out for work started at ``start``.

        On ``24x7`` a fixed-length target adds wall seconds (``1d`` = 24 h).  On a business calendar whole days
        are working days (:meth:`add_business_days`) followed by any remaining hours of open time
        (:meth:`add_open_seconds`); minutes and hours are open time.
        """
        a = _ns(start)
        if self.always and target.seconds is not None:
            return self.add_open_seconds(a, np.full(a.shape, target.seconds))
        if target.business_days is not None:
            due = self.add_business_days(a, np.full(a.shape, target.business_days))
            if target.remainder_seconds > 0:
                due = self.add_open_seconds(due, np.full(a.shape, target.remainder_seconds))
            return due
        return self.add_open_seconds(a, np.full(a.shape, target.seconds or 0.0))

    def explain(
        self,
        start: object,
        stop: object,
        pauses: Sequence[tuple[object, object] | tuple[object, object, str]] = (),
        *,
        exclusions: Sequence[tuple[object, object] | tuple[object, object, str]] = (),
    ) -> pd.DataFrame:
        """One record's clock as a timeline; see :func:`ukur.sla.clock_explain.explain_timeline`."""
        from ukur.sla.clock_explain import explain_timeline

        return explain_timeline(self, start, stop, pauses=pauses, exclusions=exclusions)

    # ------------------------------------------------------------------ helpers
    def _extend_until(self, line: Timeline, ok: Callable[[Timeline], bool]) -> Timeline:
        """Grow the timeline a year, then two, four, … later until ``ok`` holds (AgreementError if never)."""
        step = 1
        while not ok(line):
            if line.last_year - line.first_year > _MAX_EXTRA_YEARS + 1:
                raise AgreementError(
                    f"calendar {self.name!r} has no open time left to reach the deadline "
                    f"(searched to {line.last_year})",
                    field=f"calendars.{self.name}",
                )
            line = self.timeline(line.first_year, line.last_year + step)
            step *= 2
        return line

    def _clamp_clock(self, day: np.ndarray, clock: np.ndarray) -> np.ndarray:
        """Rule 3 of :meth:`add_business_days`, one weekday pattern at a time (no loop over records)."""
        weekday = (day + 3) % 7
        out = clock.copy()
        for w in range(7):
            spans = self.hours[w]
            rows = weekday == w
            if not spans or not rows.any():
                continue
            opens = np.array([s for s, _ in spans], dtype=np.int64) * 1_000_000_000
            closes = np.array([e for _, e in spans], dtype=np.int64) * 1_000_000_000
            c = clock[rows]
            j = np.searchsorted(opens, c, side="right") - 1
            jc = np.clip(j, 0, None)
            out[rows] = np.where(j < 0, opens[0], np.minimum(c, closes[jc]))
        return out


BUILTIN_CALENDARS: dict[str, tuple[str, dict[str, Any]]] = {
    "office-id": (
        "Asia/Jakarta",
        {
            "hours": {"mon-fri": "08:00-12:00,13:00-17:00", "sat": "08:00-12:00"},
            "holidays": {"country": "ID", "categories": ["public", "government"]},
        },
    ),
}
"""Named calendars usable without an agreement file: name → (default timezone, spec).  ``office-id`` is a
typical Indonesian office: Monday–Friday 08–12 and 13–17, Saturday 08–12, public holidays and cuti bersama."""


def builtin_calendar(name: str, *, timezone: str | None = None) -> BusinessCalendar:
    """``24x7`` (UTC unless ``timezone``) or one of :data:`BUILTIN_CALENDARS`; AgreementError otherwise."""
    if name == "24x7":
        return BusinessCalendar.always_open(timezone or "UTC")
    if name not in BUILTIN_CALENDARS:
        known = ", ".join(["24x7", *BUILTIN_CALENDARS])
        raise AgreementError(f"unknown calendar {name!r} (expected {known} or a YAML file)", field="calendar")
    default_zone, spec = BUILTIN_CALENDARS[name]
    return BusinessCalendar.from_spec(name, spec, timezone=timezone or default_zone)


def _ns(values: object) -> np.ndarray:
    """Any datetime-like array (numpy, pandas, tz-aware Series) → int64 UTC nanoseconds (NaT = int64 min)."""
    if isinstance(values, pd.DatetimeIndex) and values.tz is not None:
        values = values.tz_convert("UTC").tz_localize(None)
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    if isinstance(values, pd.Timestamp) and values.tzinfo is not None:
        values = values.tz_convert("UTC").tz_localize(None)
    array = np.atleast_1d(np.asarray(values))
    if array.dtype.kind != "M":
        array = array.astype("datetime64[ns]")
    return array.astype("datetime64[ns]").view(np.int64)


def _localize_ns(local: np.ndarray, timezone: str) -> np.ndarray:
    """Local naive ``datetime64[ns]`` → UTC int64 ns (first occurrence when ambiguous, forward in gaps)."""
    index = pd.DatetimeIndex(local.ravel())
    aware = index.tz_localize(
        timezone, ambiguous=np.ones(len(index), dtype=bool), nonexistent="shift_forward"
    )
    return np.asarray(aware.tz_convert("UTC").tz_localize(None).as_unit("ns").asi8).reshape(local.shape)
