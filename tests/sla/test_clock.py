"""The business clock against independent computations: a brute-force minute counter and businesstimedelta.

Reference: ``tests/sla/clock_reference.py`` (every UTC minute converted to local time and checked against
plain opening-hour tables and the ``holidays`` package) is exact to the nanosecond, so results must agree
*exactly* — tolerance 0 ns.  ``businesstimedelta`` 1.0.1 (pytz-based) is used for Jakarta, which has no daylight
saving; it works in whole microseconds, so instants are whole seconds there.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ukur.sla.calendar import BusinessCalendar

from .clock_reference import ALL, AMSTERDAM_SHOP, JAKARTA_OFFICE, NEW_YORK_SUPPORT, ReferenceCalendar

FIRST = np.datetime64("2025-12-01T00:00", "ns")
LAST = np.datetime64("2027-01-31T00:00", "ns")
SPAN_S = int((LAST - FIRST) / np.timedelta64(1, "s"))
NS = np.timedelta64(1, "ns")


def build(ref: ReferenceCalendar) -> BusinessCalendar:
    return BusinessCalendar.from_spec(ref.name, ref.spec, timezone=ref.timezone)


CALENDARS = {ref.name: (ref, build(ref)) for ref in ALL}


def boundaries(ref: ReferenceCalendar) -> np.ndarray:
    """Every opening and closing instant (UTC) of the reference calendar inside the test span."""
    flips = np.flatnonzero(np.diff(ref.open_minute.astype(np.int8))) + 1
    instants = ref.minutes[flips].astype("datetime64[ns]")
    return instants[(instants >= FIRST) & (instants < LAST)]


BOUNDARIES = {name: boundaries(ref) for name, (ref, _) in CALENDARS.items()}
SPECIAL = np.array(
    [
        "2025-12-31T16:59", "2025-12-31T17:00", "2026-01-01T00:00", "2026-12-31T17:00", "2027-01-01T00:00",
        "2026-03-29T01:00", "2026-10-25T01:00", "2026-03-08T07:00", "2026-11-01T06:00",  # DST switches (UTC)
        "2026-03-29T00:59:59", "2026-10-25T00:59:59.999999999",
    ],
    dtype="datetime64[ns]",
)  # fmt: skip


@st.composite
def instant(draw: st.DrawFn, calendar: str) -> np.datetime64:
    """Mostly uniform instants, often exactly on (or one nanosecond / one minute around) a boundary."""
    kind = draw(st.sampled_from(["uniform", "boundary", "special"]))
    if kind == "uniform":
        base = FIRST + np.timedelta64(draw(st.integers(0, SPAN_S - 1)), "s")
    else:
        pool = BOUNDARIES[calendar] if kind == "boundary" else SPECIAL
        base = pool[draw(st.integers(0, len(pool) - 1))]
    nudge = draw(st.sampled_from([0, 0, 0, 1, -1, 60_000_000_000, -60_000_000_000, 999_999_999]))
    return base + nudge * NS


@st.composite
def interval(draw: st.DrawFn, calendar: str) -> tuple[np.datetime64, np.datetime64]:
    a = draw(instant(calendar))
    if draw(st.booleans()):
        b = draw(instant(calendar))
    else:
        b = a + np.timedelta64(draw(st.integers(0, 40 * 86400)), "s")
    return a, min(b, LAST)


def one(x: np.datetime64) -> np.ndarray:
    return np.array([x], dtype="datetime64[ns]")


@pytest.mark.parametrize("name", sorted(CALENDARS))
@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_open_seconds_equals_brute_force(name: str, data: st.DataObject) -> None:
    ref, cal = CALENDARS[name]
    a, b = data.draw(interval(name))
    got = cal.open_seconds(one(a), one(b))
    assert got[0] == ref.open_ns(one(a), one(b))[0] / 1e9


@pytest.mark.parametrize("name", sorted(CALENDARS))
def test_twenty_thousand_intervals_at_once(name: str) -> None:
    ref, cal = CALENDARS[name]
    rng = np.random.default_rng(20260101)
    n = 20_000
    a = FIRST + rng.integers(0, SPAN_S - 50 * 86400, n) * np.timedelta64(1, "s")
    b = a + rng.integers(0, 40 * 86400, n) * np.timedelta64(1, "s")
    edges = BOUNDARIES[name]
    a[: n // 4] = edges[rng.integers(0, len(edges) - 200, n // 4)]  # starts exactly on opening/closing times
    b[: n // 8] = edges[rng.integers(0, len(edges), n // 8)]  # some before their start: must give 0
    np.testing.assert_array_equal(cal.open_seconds(a, b), ref.open_ns(a, b) / 1e9)


@pytest.mark.slow
def test_agrees_with_businesstimedelta() -> None:
    import businesstimedelta as btd
    import holidays
    import pytz

    zone = pytz.timezone("Asia/Jakarta")
    closed = set(
        holidays.country_holidays("ID", years=[2025, 2026, 2027], categories=("public", "government"))
    )
    closed |= {dt.date(2026, 3, 20), dt.date(2026, 7, 6)}
    rules = btd.Rules(
        [
            btd.WorkDayRule(
                start_time=dt.time(8), end_time=dt.time(17), working_days=[0, 1, 2, 3, 4], tz=zone
            ),
            btd.LunchTimeRule(
                start_time=dt.time(12), end_time=dt.time(13), working_days=[0, 1, 2, 3, 4], tz=zone
            ),
            btd.WorkDayRule(start_time=dt.time(8), end_time=dt.time(12), working_days=[5], tz=zone),
            btd.HolidayRule(sorted(closed), tz=zone),
        ]
    )
    cal = CALENDARS["office"][1]
    rng = np.random.default_rng(7)
    n = 1_000  # bench/sla_clock.py compares 20,000 more
    a = np.datetime64("2026-01-01T00:00", "ns") + rng.integers(0, 360 * 86400, n) * np.timedelta64(1, "s")
    b = a + rng.integers(0, 10 * 86400, n) * np.timedelta64(1, "s")
    a[:300] = BOUNDARIES["office"][rng.integers(0, 1000, 300)]
    b[:300] = a[:300] + rng.integers(0, 3, 300) * np.timedelta64(4, "h")

    def aware(x: np.datetime64) -> dt.datetime:
        return dt.datetime.fromtimestamp(int(x.astype("datetime64[s]").astype(np.int64)), tz=dt.UTC)

    want = np.array(
        [rules.difference(aware(x), aware(y)).timedelta.total_seconds() for x, y in zip(a, b, strict=True)]
    )
    np.testing.assert_array_equal(cal.open_seconds(a, b), want)
    seconds = rng.integers(1, 30 * 3600, 300).astype(float)
    due = np.array(
        [np.datetime64((aware(x) + btd.BusinessTimeDelta(rules, seconds=int(s))).astimezone(dt.UTC).replace(tzinfo=None), "ns")
         for x, s in zip(a[:300], seconds, strict=True)]
    )  # fmt: skip
    np.testing.assert_array_equal(cal.add_open_seconds(a[:300], seconds), due)


@pytest.mark.parametrize("name", sorted(CALENDARS))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_additive_nonnegative_and_within_wall_time(name: str, data: st.DataObject) -> None:
    _, cal = CALENDARS[name]
    a, b, c = sorted(data.draw(instant(name)) for _ in range(3))
    whole = cal.open_seconds(one(a), one(c))[0]
    # exact in integer nanoseconds inside; float64 seconds of ~1e7 s carry ~2e-9 s resolution, hence 1 µs
    parts = cal.open_seconds(one(a), one(b))[0] + cal.open_seconds(one(b), one(c))[0]
    assert whole == pytest.approx(parts, abs=1e-6, rel=0)
    assert 0 <= whole <= (c - a) / np.timedelta64(1, "s")
    assert cal.open_seconds(one(c), one(a))[0] == 0.0
    assert cal.open_seconds(one(b), one(b))[0] == 0.0


@pytest.mark.parametrize("name", sorted(CALENDARS))
@settings(max_examples=400, deadline=None)
@given(
    data=st.data(),
    seconds=st.one_of(st.integers(0, 300 * 3600), st.integers(0, 10**15).map(lambda n: n / 1e9)),
)
def test_deadline_is_the_earliest_instant_reaching_the_target(
    name: str, data: st.DataObject, seconds: float
) -> None:
    ref, cal = CALENDARS[name]
    start = data.draw(instant(name))
    assume(start < np.datetime64("2026-11-01", "ns"))
    due = cal.add_open_seconds(one(start), np.array([seconds], dtype=float))
    target_ns = round(seconds * 1e9)
    assert due[0] >= start
    assert ref.open_ns(one(start), due)[0] == target_ns
    if target_ns > 0:
        assert ref.open_ns(one(start), due - NS)[0] < target_ns
        assert ref.is_open(due - NS)[0]  # the last counted nanosecond is open time
    else:
        assert due[0] == start


@pytest.mark.parametrize("name", sorted(CALENDARS))
@settings(max_examples=300, deadline=None)
@given(data=st.data(), days=st.integers(0, 12))
def test_business_days_follow_the_help_desk_rule(name: str, data: st.DataObject, days: int) -> None:
    ref, cal = CALENDARS[name]
    start = data.draw(instant(name))
    assume(start < np.datetime64("2026-11-01", "ns"))
    expected = reference_business_days(ref, start, days)
    assume(expected is not None)
    assert cal.add_business_days(one(start), np.array([days]))[0] == expected


def reference_business_days(ref: ReferenceCalendar, start: np.datetime64, days: int) -> np.datetime64 | None:
    """The documented rule, written out step by step with zoneinfo (None when the local result does not exist)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(ref.timezone)
    minute = start.astype("datetime64[m]")
    if not (ref.is_open(one(start))[0]):
        index = int((minute - ref.minutes[0]) / np.timedelta64(1, "m")) + 1
        index += int(np.argmax(ref.open_minute[index:]))
        start = ref.minutes[index].astype("datetime64[ns]")
    seconds = int(start.astype("datetime64[s]").astype(np.int64))
    local = dt.datetime.fromtimestamp(seconds, tz=zone)
    nanos = int(start.astype(np.int64) % 1_000_000_000)
    clock = ((local.hour * 60 + local.minute) * 60 + local.second) * 10**9 + nanos
    closed = ref.closed_dates()
    day = local.date()
    for _ in range(days):
        day += dt.timedelta(days=1)
        while day in closed or not ref.week.get(day.weekday()):
            day += dt.timedelta(days=1)
    spans = [(lo * 60 * 10**9, hi * 60 * 10**9) for lo, hi in ref.week[day.weekday()]]
    clock = spans[0][0] if clock < spans[0][0] else min(clock, max(hi for lo, hi in spans if lo <= clock))
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=clock // 10**9)
    aware = wall.replace(tzinfo=zone, fold=0)
    utc = aware.astimezone(dt.UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != wall:
        return None  # the wall time falls in a daylight-saving gap
    return np.datetime64(utc.replace(tzinfo=None), "ns") + (clock % 10**9) * NS


def test_worked_deadlines_on_the_office_calendar() -> None:
    cal = CALENDARS["office"][1]
    jkt = np.timedelta64(7, "h")

    def local(text: str) -> np.ndarray:
        return np.array([np.datetime64(text, "ns") - jkt])

    # 4 open hours from Friday 16:00: 1 h on Friday, then Saturday 08:00-11:00.
    np.testing.assert_array_equal(
        cal.add_open_seconds(local("2026-03-06T16:00"), [4 * 3600.0]), local("2026-03-07T11:00")
    )
    # exactly used up at Saturday closing: the deadline is 12:00 Saturday, not Monday 08:00
    np.testing.assert_array_equal(
        cal.add_open_seconds(local("2026-03-06T16:00"), [5 * 3600.0]), local("2026-03-07T12:00")
    )
    # 2 business days from Friday 16:00 → Monday 16:00 (Saturday is a working day)
    np.testing.assert_array_equal(
        cal.add_business_days(local("2026-03-06T16:00"), [2]), local("2026-03-09T16:00")
    )
    # Friday 18:00 rolls to Saturday 08:00; 2 working days later is Tuesday 08:00
    np.testing.assert_array_equal(
        cal.add_business_days(local("2026-03-06T18:00"), [2]), local("2026-03-10T08:00")
    )
    # Thursday 15:00 + 2 days lands on Saturday, closed at 15:00: Saturday's closing, 12:00
    np.testing.assert_array_equal(
        cal.add_business_days(local("2026-03-05T15:00"), [2]), local("2026-03-07T12:00")
    )
    # Nyepi (18-19 March), closed 20th, Idul Fitri and cuti bersama to 24 March: Tuesday 17 + 1 day → Wednesday 25
    np.testing.assert_array_equal(
        cal.add_business_days(local("2026-03-17T10:00"), [1]), local("2026-03-25T10:00")
    )


def test_deadline_dispatch() -> None:
    from ukur.sla.duration import parse_duration

    cal = CALENDARS["office"][1]
    start = np.array(["2026-03-06T09:00", "NaT"], dtype="datetime64[ns]")  # Friday 16:00 in Jakarta
    np.testing.assert_array_equal(
        cal.deadline(start, parse_duration("4h")), cal.add_open_seconds(start, [14400.0] * 2)
    )
    np.testing.assert_array_equal(
        cal.deadline(start, parse_duration("2d")), cal.add_business_days(start, [2, 2])
    )
    np.testing.assert_array_equal(
        cal.deadline(start, parse_duration("3 business days")), cal.add_business_days(start, [3, 3])
    )
    one_day_four = cal.deadline(start, parse_duration("1d4h"))
    np.testing.assert_array_equal(
        one_day_four, cal.add_open_seconds(cal.add_business_days(start, [1, 1]), [14400.0] * 2)
    )
    assert np.isnat(one_day_four[1])


def test_always_open_counts_wall_time_and_a_day_is_24_hours() -> None:
    cal = BusinessCalendar.always_open("America/New_York")
    a = np.array(["2026-03-07T12:00", "2026-03-08T00:00", "NaT"], dtype="datetime64[ns]")
    b = np.array(["2026-03-09T12:00", "2026-03-07T00:00", "2026-03-09T00:00"], dtype="datetime64[ns]")
    got = cal.open_seconds(a, b)
    np.testing.assert_array_equal(got[:2], [2 * 86400.0, 0.0])
    assert np.isnan(got[2])
    from ukur.sla.duration import parse_duration

    assert cal.deadline(a[:1], parse_duration("1d"))[0] == np.datetime64("2026-03-08T12:00", "ns")
    # "1 business day" keeps the local clock time; across the March switch that is 23 hours
    assert cal.add_business_days(a[:1], [1])[0] == np.datetime64("2026-03-08T11:00", "ns")


def test_missing_and_invalid_inputs() -> None:
    cal = CALENDARS["office"][1]
    a = np.array(["NaT", "2026-03-02T01:00", "2026-03-02T01:00", "2026-03-02T01:00"], dtype="datetime64[ns]")
    b = np.array(["2026-03-02T09:00", "NaT", "2026-03-02T09:00", "2026-03-01T09:00"], dtype="datetime64[ns]")
    got = cal.open_seconds(a, b)
    assert np.isnan(got[0]) and np.isnan(got[1]) and got[2] == 8 * 3600 - 3600 and got[3] == 0.0
    due = cal.add_open_seconds(a, np.array([60.0, 60.0, np.nan, -5.0]))
    assert np.isnat(due[0]) and not np.isnat(due[1]) and np.isnat(due[2]) and np.isnat(due[3])
    assert np.isnat(cal.add_business_days(a[:2], np.array([1, -1]))).tolist() == [True, True]
    assert cal.open_seconds(
        np.array([], dtype="datetime64[ns]"), np.array([], dtype="datetime64[ns]")
    ).shape == (0,)
    assert np.isnan(cal.open_seconds(a[:1], a[:1])[0])


def test_intervals_into_a_year_not_yet_built() -> None:
    """The catch in PERFORMANCE.md: the next year's holidays must be there when an interval runs into it."""
    ref = NEW_YORK_SUPPORT
    cal = build(ref)
    cal.open_seconds(one(np.datetime64("2026-06-01", "ns")), one(np.datetime64("2026-06-02", "ns")))
    a = one(np.datetime64("2026-12-30T12:00", "ns"))
    b = one(np.datetime64("2027-01-04T12:00", "ns"))  # New Year's Day 2027 is a Friday: closed
    assert cal.open_seconds(a, b)[0] == ref.open_ns(a, b)[0] / 1e9
    fresh = build(ref)
    assert fresh.open_seconds(a, b)[0] == cal.open_seconds(a, b)[0]
    due = fresh.add_open_seconds(a, [3 * 86400.0])
    # Wed 07:00 EST → 17 h Wed, 24 h Thu, holiday Fri, Sun 01:00-03:30, 24 h Mon, 4.5 h Tue → Tue 04:30 EST
    assert due[0] == np.datetime64("2027-01-05T09:30", "ns")
    assert ref.open_ns(a, due)[0] == 3 * 86400 * 10**9


def test_amsterdam_daylight_saving_days() -> None:
    """Sunday 01:30-04:15 is 1h45 on 29 March 2026 (02:00-03:00 skipped) and 3h45 on 25 October (repeated)."""
    cal = CALENDARS["shop"][1]
    day = np.timedelta64(1, "D")
    march = one(np.datetime64("2026-03-28T23:00", "ns"))  # local midnight, CET
    october = one(np.datetime64("2026-10-24T22:00", "ns"))  # local midnight, CEST
    assert cal.open_seconds(march, march + np.timedelta64(10, "h"))[0] == 1.75 * 3600
    assert cal.open_seconds(october, october + np.timedelta64(10, "h"))[0] == 3.75 * 3600
    # the whole Sunday: 12:00-24:00 is 12 wall hours either way
    assert cal.open_seconds(march, march + day)[0] == (1.75 + 12) * 3600
    assert cal.open_seconds(october, october + day + np.timedelta64(1, "h"))[0] == (3.75 + 12) * 3600
    assert AMSTERDAM_SHOP.open_ns(october, october + day + np.timedelta64(1, "h"))[0] == (3.75 + 12) * 3600e9


def test_jakarta_reference_sanity() -> None:
    """The reference itself: one ordinary office week is 5 × 8 h + 4 h = 44 h."""
    a = one(np.datetime64("2026-02-01T17:00", "ns"))  # Monday 2 Feb 00:00 in Jakarta
    assert JAKARTA_OFFICE.open_ns(a, a + np.timedelta64(7, "D"))[0] == 44 * 3600e9


def test_a_mistyped_year_is_an_error_not_a_century_of_holidays() -> None:
    from ukur.errors import DataError

    cal = build(JAKARTA_OFFICE)
    a = np.array(["2026-03-02T01:00", "1826-03-02T01:00"], dtype="datetime64[ns]")
    with pytest.raises(DataError, match="is a year mistyped"):
        cal.open_seconds(a, a + np.timedelta64(1, "h"))
