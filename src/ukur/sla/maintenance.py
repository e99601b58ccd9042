"""Planned maintenance as a recurrence rule: a small, exact subset of RFC 5545 ``RRULE``.

Supported: ``FREQ=DAILY|WEEKLY|MONTHLY``, ``INTERVAL=n``, ``BYDAY`` (``SU``, ``MO,TH``; for MONTHLY an
ordinal such as ``1SU`` for the first Sunday or ``-1FR`` for the last Friday), ``BYHOUR`` and
``BYMINUTE`` (one value each; default 00:00). Occurrences are local times in the agreement's timezone,
returned as naive UTC ``datetime64[ns]`` like every other instant in the engine. What is not supported
is refused with a message rather than read differently from a calendar program.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

__all__ = ["Rule", "expand_rule", "parse_rule"]

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True, slots=True)
class Rule:
    """A parsed rule: frequency, interval, weekdays (0 = Monday) with optional ordinals, local time."""

    freq: str
    interval: int
    days: tuple[tuple[int | None, int], ...]
    hour: int
    minute: int


def parse_rule(text: str) -> Rule:
    """Parse ``FREQ=WEEKLY;BYDAY=SU;BYHOUR=1``; a ValueError names the part that is not understood."""
    parts: dict[str, str] = {}
    for piece in text.strip().removeprefix("RRULE:").split(";"):
        key, sep, value = piece.partition("=")
        if not sep or key.upper() in parts:
            raise ValueError(
                f"cannot read {piece!r} in the recurrence rule {text!r} (expected KEY=VALUE;...)"
            )
        parts[key.upper()] = value.strip().upper()
    unknown = sorted(set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE"})
    if unknown:
        raise ValueError(
            f"recurrence rule part {unknown[0]} is not supported (FREQ, INTERVAL, BYDAY, BYHOUR, BYMINUTE)"
        )
    freq = parts.get("FREQ", "")
    if freq not in ("DAILY", "WEEKLY", "MONTHLY"):
        raise ValueError(f"FREQ must be DAILY, WEEKLY or MONTHLY, not {freq!r}")
    days: list[tuple[int | None, int]] = []
    for item in filter(None, parts.get("BYDAY", "").split(",")):
        match = _BYDAY.match(item)
        if match is None:
            raise ValueError(f"BYDAY {item!r} is not a weekday such as SU or 1SU")
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal is not None and freq != "MONTHLY":
            raise ValueError(f"BYDAY {item!r}: an ordinal weekday needs FREQ=MONTHLY")
        days.append((ordinal, _DAYS.index(match.group(2))))
    if freq in ("WEEKLY", "MONTHLY") and not days:
        raise ValueError(f"FREQ={freq} needs BYDAY (e.g. BYDAY=SU or BYDAY=1SU)")
    try:
        interval, hour, minute = (
            int(parts.get(k, d)) for k, d in (("INTERVAL", "1"), ("BYHOUR", "0"), ("BYMINUTE", "0"))
        )
    except ValueError:
        raise ValueError(f"INTERVAL, BYHOUR and BYMINUTE take one whole number each in {text!r}") from None
    if interval < 1 or not 0 <= hour < 24 or not 0 <= minute < 60:
        raise ValueError(f"INTERVAL ≥ 1, 0 ≤ BYHOUR < 24 and 0 ≤ BYMINUTE < 60 in {text!r}")
    return Rule(freq=freq, interval=interval, days=tuple(days), hour=hour, minute=minute)


def expand_rule(text: str, first: date, last: date, *, timezone: str) -> np.ndarray:
    """Local occurrences of the rule on the days ``first``..``last`` (inclusive) as naive UTC datetime64[ns].

    The series is anchored at ``first``: INTERVAL counts days, weeks (Monday-based) or months from it.
    """
    rule = parse_rule(text)
    days = pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="D")
    weekday = days.day_of_week.to_numpy()
    if rule.freq == "DAILY":
        step = (days - pd.Timestamp(first)).days.to_numpy()
        keep = step % rule.interval == 0
        if rule.days:
            keep &= np.isin(weekday, [d for _, d in rule.days])
    elif rule.freq == "WEEKLY":
        monday = pd.Timestamp(first) - pd.Timedelta(days=pd.Timestamp(first).weekday())
        week = (days - monday).days.to_numpy() // 7
        keep = (week % rule.interval == 0) & np.isin(weekday, [d for _, d in rule.days])
    else:
        month = (days.year.to_numpy() - first.year) * 12 + days.month.to_numpy() - first.month
        nth = (days.day.to_numpy() - 1) // 7 + 1
        from_end = -((days.days_in_month.to_numpy() - days.day.to_numpy()) // 7 + 1)
        keep = np.zeros(len(days), dtype=bool)
        for ordinal, day in rule.days:
            hit = weekday == day
            if ordinal is not None:
                hit &= (nth == ordinal) if ordinal > 0 else (from_end == ordinal)
            keep |= hit
        keep &= month % rule.interval == 0
    local = days[keep] + pd.Timedelta(hours=rule.hour, minutes=rule.minute)
    utc = local.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward").tz_convert("UTC")
    return utc.tz_localize(None).to_numpy(dtype="datetime64[ns]")
