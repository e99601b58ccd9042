"""Benchmark of the SLA business clock: ukur's vectorized calendar vs a per-record loop on businesstimedelta.

One month (March 2026, with Nyepi, Idul Fitri and cuti bersama) of 1,000,000 records on the office calendar
of issue 4: Monday–Friday 08–12 and 13–17, Saturday 08–12, Indonesian public and government holidays,
Asia/Jakarta.  Starts are uniform over the month; each stop is 0–5 days later (whole seconds, so that
businesstimedelta's microsecond arithmetic is exact).

* ukur: ``BusinessCalendar.open_seconds`` on the whole million (cold: a new calendar that builds its timeline
  and fetches holidays; warm: the same calendar again), and the inverse ``add_open_seconds`` for a 4-hour
  deadline;
* the straightforward alternative: one ``businesstimedelta.Rules.difference`` call per record, timed on a
  random sample (``--sample``, default 20,000) and extrapolated to the million.

Both must agree on every sampled record (the script stops with exit code 1 otherwise).  Prints the rates
and the speed ratio.  Usage: ``python bench/sla_clock.py [--records N] [--sample N] [--seed N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import time

import businesstimedelta as btd
import holidays
import numpy as np
import pytz

from ukur.sla.calendar import BusinessCalendar

SPEC = {
    "hours": {"mon-fri": "08:00-12:00,13:00-17:00", "sat": "08:00-12:00"},
    "holidays": {"country": "ID", "categories": ["public", "government"]},
}
ZONE = "Asia/Jakarta"


def records(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Starts uniform over March 2026 (local), stops 0–5 days later, whole seconds, UTC datetime64[ns]."""
    rng = np.random.default_rng(seed)
    month_start = np.datetime64("2026-03-01T00:00", "s") - np.timedelta64(7, "h")
    start = month_start + rng.integers(0, 31 * 86400, n).astype("timedelta64[s]")
    stop = start + rng.integers(0, 5 * 86400, n).astype("timedelta64[s]")
    return start.astype("datetime64[ns]"), stop.astype("datetime64[ns]")


def reference_rules() -> btd.Rules:
    """The same calendar for businesstimedelta: two work-day rules, a lunch break and the holidays."""
    zone = pytz.timezone(ZONE)
    closed = frozenset(holidays.country_holidays("ID", years=[2026], categories=("public", "government")))
    return btd.Rules(
        [
            btd.WorkDayRule(
                start_time=dt.time(8), end_time=dt.time(17), working_days=[0, 1, 2, 3, 4], tz=zone
            ),
            btd.LunchTimeRule(
                start_time=dt.time(12), end_time=dt.time(13), working_days=[0, 1, 2, 3, 4], tz=zone
            ),
            btd.WorkDayRule(start_time=dt.time(8), end_time=dt.time(12), working_days=[5], tz=zone),
            btd.HolidayRule(closed, tz=zone),
        ]
    )


def per_record(rules: btd.Rules, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """The straightforward implementation: a Python loop, one businesstimedelta call per record."""
    out = np.empty(len(start))
    seconds_a = start.astype("datetime64[s]").astype(np.int64)
    seconds_b = stop.astype("datetime64[s]").astype(np.int64)
    for i in range(len(start)):
        a = dt.datetime.fromtimestamp(int(seconds_a[i]), tz=dt.UTC)
        b = dt.datetime.fromtimestamp(int(seconds_b[i]), tz=dt.UTC)
        out[i] = rules.difference(a, b).timedelta.total_seconds()
    return out


def timed(function, *args):  # type: ignore[no-untyped-def]
    begin = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - begin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    start, stop = records(args.records, args.seed)
    print(f"SLA clock benchmark — {args.records:,} records, March 2026, office calendar (Asia/Jakarta)")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")

    cold_calendar = BusinessCalendar.from_spec("office", SPEC, timezone=ZONE)
    ukur_open, cold = timed(cold_calendar.open_seconds, start, stop)
    warm_runs = [timed(cold_calendar.open_seconds, start, stop)[1] for _ in range(5)]
    warm = min(warm_runs)
    _, deadline = timed(cold_calendar.add_open_seconds, start, np.full(len(start), 4 * 3600.0))
    _, business_days = timed(cold_calendar.add_business_days, start, np.full(len(start), 2))

    rng = np.random.default_rng(args.seed + 1)
    sample = rng.choice(len(start), size=min(args.sample, len(start)), replace=False)
    rules = reference_rules()
    loop_open, loop_time = timed(per_record, rules, start[sample], stop[sample])
    mismatches = int(np.sum(loop_open != ukur_open[sample]))
    loop_rate = len(sample) / loop_time

    n = args.records
    print()
    print(f"{'method':<58}{'seconds':>12}{'records/s':>16}")
    rows = [
        ("ukur open_seconds, cold (builds timeline, holidays)", cold),
        ("ukur open_seconds, warm (best of 5)", warm),
        ("ukur add_open_seconds (4 h deadline)", deadline),
        ("ukur add_business_days (2 working days)", business_days),
        (f"businesstimedelta per record ({len(sample):,} timed, extrapolated)", n / loop_rate),
    ]
    for label, seconds in rows:
        print(f"{label:<58}{seconds:>12.3f}{n / seconds:>16,.0f}")
    print()
    print(
        f"ratio (businesstimedelta / ukur warm): {(n / loop_rate) / warm:,.0f}×;  cold: {(n / loop_rate) / cold:,.0f}×"
    )
    print(
        f"agreement on the {len(sample):,} sampled records: {len(sample) - mismatches:,} equal, {mismatches} differ"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
