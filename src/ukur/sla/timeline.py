"""The calendar's open intervals on the UTC time line, and the cumulative open time along them.

A business calendar says, in local wall-clock time, when the service is open: weekly hours minus holidays and
closed days.  An instant is *open* when its local reading (in the calendar's IANA timezone) falls inside that
day's opening hours on a working day.  So on the night clocks go back an hour the repeated hour counts twice
if it is open, and the skipped hour in spring never exists.  :func:`build_timeline` lays those open instants
out as sorted, disjoint UTC intervals ``[start_i, end_i)`` with ``cum_i`` = open time before ``start_i``, so

    F(t) = cum_i + min(t − start_i, end_i − start_i),   i = the last interval with start_i ≤ t,

is the open time from the beginning of the timeline to ``t``, and the open time in ``[a, b)`` is F(b) − F(a).
Both directions are ``numpy.searchsorted`` lookups: one pass over a million records costs a few array
operations, not a loop (see docs/PERFORMANCE in the shared notes).  All arithmetic is in integer nanoseconds,
so additivity open(a, c) = open(a, b) + open(b, c) holds exactly.

Local → UTC uses the zone's offset segments: the UTC line is cut where the offset changes (found by hourly
sampling and refined to the second) and each segment maps local time by one constant offset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

__all__ = ["DAY_NS", "Timeline", "build_timeline", "to_local_ns"]

DAY_NS = 86_400 * 1_000_000_000
_SECOND_NS = 1_000_000_000
_HOUR_NS = 3600 * _SECOND_NS
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MARGIN_DAYS = 3


@dataclass(frozen=True, slots=True)
class Timeline:
    """Open intervals of a calendar over UTC ``[lo, hi)`` (int64 nanoseconds since the epoch).

    ``workdays`` are the local working days (days since 1970-01-01) whose midnight lies in the covered local
    span, used to count business days.
    """

    first_year: int
    last_year: int
    lo: int
    hi: int
    start: np.ndarray
    end: np.ndarray
    cum: np.ndarray
    cum_end: np.ndarray
    length: np.ndarray
    workdays: np.ndarray

    @property
    def total(self) -> int:
        """Open nanoseconds in the whole timeline."""
        return int(self.cum_end[-1]) if len(self.cum_end) else 0

    def cumulative(self, t: np.ndarray) -> np.ndarray:
        """F(t) for int64 nanosecond instants inside ``[lo, hi]`` (see the module docstring)."""
        if len(self.start) == 0:
            return np.zeros(t.shape, dtype=np.int64)
        ic = np.searchsorted(self.start, t, side="right") - 1
        np.maximum(ic, 0, out=ic)  # before the first interval: ic = 0 and t - start[0] < 0 clips to 0
        inside = t - self.start[ic]
        np.clip(inside, 0, self.length[ic], out=inside)
        inside += self.cum[ic]
        return inside

    def invert(self, target: np.ndarray) -> np.ndarray:
        """Earliest instant t with F(t) = target, for 0 < target ≤ total."""
        j = np.searchsorted(self.cum_end, target, side="left")
        j = np.clip(j, 0, len(self.start) - 1)
        return self.start[j] + (target - self.cum[j])

    def next_open(self, t: np.ndarray) -> np.ndarray:
        """``t`` itself when open, else the next opening instant (``hi`` when none is left in the timeline)."""
        i = np.searchsorted(self.start, t, side="right") - 1
        ic = np.clip(i, 0, None)
        inside = (i >= 0) & (t < self.end[ic])
        nxt = np.clip(i + 1, 0, len(self.start) - 1)
        later = np.where(i + 1 < len(self.start), self.start[nxt], self.hi)
        return np.where(inside, t, later)


def day_number(d: date) -> int:
    """Days since 1970-01-01."""
    return d.toordinal() - _EPOCH_ORDINAL


def build_timeline(
    *,
    first_year: int,
    last_year: int,
    timezone: str,
    hours: Sequence[Sequence[tuple[int, int]]],
    closed_days: Callable[[int, int], set[int]],
) -> Timeline:
    """Lay out the open intervals of local years ``first_year..last_year`` on the UTC line.

    ``hours[w]`` are the opening intervals of weekday ``w`` (0 = Monday) in seconds after local midnight;
    ``closed_days(y0, y1)`` returns the closed local day numbers (holidays and extra closed days) of those years.
    Local days a few days beyond the years are laid out too, so that every UTC instant of the years is decided
    by the right local day whatever the offset; the result is then clipped to the UTC years.
    """
    d0 = day_number(date(first_year, 1, 1)) - _MARGIN_DAYS
    d1 = day_number(date(last_year + 1, 1, 1)) + _MARGIN_DAYS
    days = np.arange(d0, d1, dtype=np.int64)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
    closed = np.isin(days, np.fromiter(closed_days(first_year - 1, last_year + 1), dtype=np.int64))
    has_hours = np.array([len(hours[w]) > 0 for w in range(7)])
    working = ~closed & has_hours[weekday]
    starts, ends = [], []
    for w in range(7):
        day_ns = days[working & (weekday == w)] * DAY_NS
        for open_s, close_s in hours[w]:
            starts.append(day_ns + open_s * _SECOND_NS)
            ends.append(day_ns + close_s * _SECOND_NS)
    local_start = np.concatenate(starts) if starts else np.empty(0, dtype=np.int64)
    local_end = np.concatenate(ends) if ends else np.empty(0, dtype=np.int64)
    order = np.argsort(local_start, kind="stable")
    local_start, local_end = local_start[order], local_end[order]

    lo = day_number(date(first_year, 1, 1)) * DAY_NS
    hi = day_number(date(last_year + 1, 1, 1)) * DAY_NS
    utc_start, utc_end = [], []
    for seg_lo, seg_hi, offset in _offset_segments(lo - DAY_NS, hi + DAY_NS, timezone):
        s = np.maximum(local_start, seg_lo + offset)
        e = np.minimum(local_end, seg_hi + offset)
        keep = e > s
        utc_start.append(s[keep] - offset)
        utc_end.append(e[keep] - offset)
    start = np.clip(np.concatenate(utc_start), lo, hi)
    end = np.clip(np.concatenate(utc_end), lo, hi)
    keep = end > start
    start, end = start[keep], end[keep]
    order = np.argsort(start, kind="stable")
    start, end = _merge(start[order], end[order])
    length = end - start
    cum_end = np.cumsum(length)
    cum = cum_end - length
    return Timeline(
        first_year=first_year,
        last_year=last_year,
        lo=lo,
        hi=hi,
        start=start,
        end=end,
        cum=cum,
        cum_end=cum_end,
        length=length,
        workdays=days[working],
    )


def _merge(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Join intervals that touch (closing 24:00 = next day's 00:00) so each open stretch is one interval."""
    if len(start) == 0:
        return start, end
    new = np.empty(len(start), dtype=bool)
    new[0] = True
    new[1:] = start[1:] > end[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(start) - 1)
    return start[first], end[last]


def to_local_ns(utc_ns: np.ndarray, timezone: str) -> np.ndarray:
    """UTC instants (int64 ns) → local wall-clock readings (int64 ns, naive)."""
    index = pd.DatetimeIndex(utc_ns.astype("datetime64[ns]")).tz_localize("UTC").tz_convert(timezone)
    return np.asarray(index.tz_localize(None).as_unit("ns").asi8, dtype=np.int64)


def _offset_segments(lo: int, hi: int, timezone: str) -> list[tuple[int, int, int]]:
    """``(from, to, offset)`` UTC pieces of ``[lo, hi)`` with a constant UTC offset (ns), to the second."""
    samples = np.arange(lo, hi + _HOUR_NS, _HOUR_NS, dtype=np.int64)
    offsets = to_local_ns(samples, timezone) - samples
    changes = np.flatnonzero(offsets[1:] != offsets[:-1]) + 1
    cuts = []
    for k in changes:
        seconds = np.arange(samples[k - 1] + _SECOND_NS, samples[k] + _SECOND_NS, _SECOND_NS, dtype=np.int64)
        local = to_local_ns(seconds, timezone) - seconds
        cuts.append(int(seconds[np.flatnonzero(local == offsets[k])[0]]))
    bounds = [lo, *cuts, hi]
    values = [int(offsets[0]), *(int(offsets[k]) for k in changes)]
    return [(bounds[n], bounds[n + 1], values[n]) for n in range(len(values))]
