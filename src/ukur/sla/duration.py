"""Durations, percentages and timestamps as SLA agreements and record files write them.

A target such as ``4h`` or ``3 business days`` means different things on different calendars: on a business
calendar minutes and hours count open time only and a day is a *working day* (the deadline is at the same
clock time N working days later, the way help-desk customers read "respond within 2 days"); on a ``24x7``
calendar a day is 24 hours.  :class:`Duration` therefore keeps both readings and the calendar picks one
(:meth:`ukur.sla.calendar.BusinessCalendar.deadline`).

Record timestamps are ISO 8601 with or without a UTC offset; without one they are local time in the
agreement's timezone.  :func:`parse_timestamps` turns a column of them into UTC ``datetime64[ns]``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from ukur.errors import AgreementError, DataError

__all__ = ["Duration", "parse_duration", "parse_percent", "parse_timestamps"]

_UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_UNIT_WORDS = {
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s", "detik": "s",
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m", "menit": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "jam": "h",
    "d": "d", "day": "d", "days": "d", "hari": "d",
}  # fmt: skip
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")
_BUSINESS_DAYS = re.compile(
    r"^\s*(\d+)\s*(?:business|working|work)\s+days?\s*$|^\s*(\d+)\s*hari\s+kerja\s*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Duration:
    """A target or time limit as written in an agreement.

    ``seconds`` is the length in seconds when the text has a fixed length (``30m``, ``4h``, ``2d`` = 172800,
    ``1d4h``); on a business calendar minutes and hours are *open* seconds.  ``business_days`` is the number of
    whole days when the text counts days (``2d``, ``3 business days``); a business calendar reads those as
    working days.  ``3 business days`` has no fixed length, so its ``seconds`` is ``None``.  ``text`` is the
    original spelling, kept for reports.
    """

    seconds: float | None
    business_days: int | None
    text: str

    @property
    def remainder_seconds(self) -> float:
        """Open seconds added after the whole days (``1d4h`` → 14400); 0 for pure day or hour counts."""
        if self.seconds is None:
            return 0.0
        if self.business_days is None:
            return self.seconds
        return self.seconds - 86400.0 * self.business_days

    def to_dict(self) -> dict[str, object]:
        """JSON form: ``{"text", "seconds", "business_days"}``."""
        return {"text": self.text, "seconds": self.seconds, "business_days": self.business_days}


def parse_duration(text: str | int | float, *, field: str | None = None) -> Duration:
    """Parse ``30m``, ``4h``, ``1h30m``, ``90s``, ``1d``, ``2 days``, ``1d4h``, ``3 business days``.

    Units: s/sec/second(s)/detik, m/min/minute(s)/menit, h/hr/hour(s)/jam, d/day(s)/hari; ``N business days``,
    ``N working days`` and ``N hari kerja`` count working days even on a 24x7 calendar.  Hours and minutes may
    be decimal (``1.5h``); days must be whole.  A bare number is rejected because its unit would be a guess.
    Raises :class:`~ukur.errors.AgreementError` naming ``field`` otherwise.
    """
    if isinstance(text, bool) or not isinstance(text, str):
        raise AgreementError(
            f"expected a duration such as '30m', '4h', '2d' or '3 business days', got {text!r}", field=field
        )
    raw = text.strip()
    match = _BUSINESS_DAYS.match(raw)
    if match:
        return Duration(seconds=None, business_days=int(match.group(1) or match.group(2)), text=raw)
    lowered = raw.lower()
    position = 0
    seconds = 0.0
    days: int | None = None
    seen: set[str] = set()
    while position < len(lowered):
        part = _PART.match(lowered, position)
        unit = _UNIT_WORDS.get(part.group(2)) if part else None
        if part is None or unit is None or unit in seen:
            raise AgreementError(
                f"cannot read duration {raw!r}: expected amounts with units such as '30m', '4h', '1h30m', "
                "'2d' or '3 business days'",
                field=field,
            )
        seen.add(unit)
        amount = float(part.group(1))
        if unit == "d":
            if amount != int(amount):
                raise AgreementError(
                    f"duration {raw!r}: days must be whole (write hours instead, e.g. '36h')", field=field
                )
            days = int(amount)
        seconds += amount * _UNIT_SECONDS[unit]
        position = part.end()
    if not seen:
        raise AgreementError(
            "expected a duration such as '30m', '4h' or '2d', got an empty text", field=field
        )
    return Duration(seconds=seconds, business_days=days, text=raw)


def parse_percent(text: str | float, *, field: str | None = None) -> float:
    """Parse a share: ``"95%"`` → 0.95, ``"99.9%"`` → 0.999, ``0.95`` → 0.95.

    Numbers without a percent sign must lie in [0, 1] (a bare ``95`` is rejected as ambiguous); the result always
    lies in [0, 1].  Raises :class:`~ukur.errors.AgreementError` naming ``field`` otherwise.
    """
    expected = "expected a percentage such as '95%' or a fraction such as 0.95"
    if isinstance(text, bool):
        raise AgreementError(f"{expected}, got {text!r}", field=field)
    if isinstance(text, int | float):
        value = float(text)
        if not math.isfinite(value) or not 0.0 <= value <= 1.0:
            raise AgreementError(
                f"{expected}; {text!r} is not between 0 and 1 (write '{text}%')", field=field
            )
        return value
    if not isinstance(text, str):
        raise AgreementError(f"{expected}, got {text!r}", field=field)
    raw = text.strip()
    try:
        if raw.endswith("%"):
            value = float(Decimal(raw[:-1].strip().replace(",", ".")) / 100)
        else:
            value = float(Decimal(raw))
    except (ArithmeticError, ValueError):
        raise AgreementError(f"{expected}, got {text!r}", field=field) from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise AgreementError(f"{expected}; {text!r} is outside 0–100%", field=field)
    return value


def parse_timestamps(
    values: Iterable[object] | pd.Series | np.ndarray,
    *,
    timezone: str,
    source: str | None = None,
    field: str | None = None,
    header_lines: int = 1,
    lines: Sequence[int] | None = None,
) -> np.ndarray:
    """Parse ISO 8601 timestamps into UTC ``datetime64[ns]`` (NaT where a value is missing).

    Values with an offset (``2026-03-02T09:15:00+07:00``, ``...Z``) are converted to UTC; values without one
    (``2026-03-02 09:15``, ``2026-03-02``) are local time in ``timezone``.  A local time that occurs twice when
    clocks go back takes the first (daylight-saving) occurrence; one that does not exist because clocks go
    forward is moved forward to the first valid instant.  Already parsed datetimes are accepted (naive = local).
    Missing values (None, NaN, empty text) become NaT.  Vectorized through pandas.

    Raises :class:`~ukur.errors.DataError` naming ``source``, the file line, the ``field`` and the offending
    value for the first value that is not a timestamp.  The line is ``lines[row]`` when given (or when
    ``values`` is a column of a frame from :func:`ukur.io.read_table`, whose ``attrs`` carry ``lines`` and
    ``source``), else data row + ``header_lines``.
    """
    if isinstance(values, pd.Series):
        lines = lines if lines is not None else values.attrs.get("lines")
        source = source if source is not None else values.attrs.get("source")
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DataError(
            f"unknown timezone {timezone!r} (expected an IANA name such as 'Asia/Jakarta')"
        ) from None
    series = (
        values.reset_index(drop=True)
        if isinstance(values, pd.Series)
        else pd.Series(list(values), dtype=object)
    )
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    if series.dtype.kind == "M":
        return _localize(series, zone).to_numpy(dtype="datetime64[ns]")
    raw = series.to_numpy(dtype=object)
    absent = series.isna().to_numpy()
    if pd.api.types.infer_dtype(raw, skipna=True) in {"string", "empty"}:
        is_text = ~absent  # the usual case, decided in C
    else:
        is_text = np.fromiter((isinstance(v, str) for v in raw), dtype=bool, count=len(raw))
    text = np.strings.strip(raw[is_text].astype(str)) if is_text.any() else np.array([], dtype=str)
    blank = np.zeros(len(raw), dtype=bool)
    blank[is_text] = text == ""
    missing = absent | blank
    keep = text != ""
    text, text_rows = text[keep], np.flatnonzero(is_text)[keep]
    result = np.full(len(raw), np.datetime64("NaT", "ns"))
    if len(text):
        # an offset is a 'Z' at the end or a sign after the first ':' of the time (date hyphens come before it)
        colon = np.strings.find(text, ":")
        after_time = np.maximum(np.strings.rfind(text, "+"), np.strings.rfind(text, "-"))
        with_offset = np.strings.endswith(text, "Z") | np.strings.endswith(text, "z")
        with_offset |= (colon >= 0) & (after_time > colon)
        if with_offset.any():
            aware = pd.to_datetime(pd.Series(text[with_offset]), format="ISO8601", utc=True, errors="coerce")
            result[text_rows[with_offset]] = aware.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
        if (~with_offset).any():
            naive = pd.to_datetime(pd.Series(text[~with_offset]), format="ISO8601", errors="coerce")
            result[text_rows[~with_offset]] = _localize(naive, zone).to_numpy(dtype="datetime64[ns]")
    others = ~missing & ~is_text
    if others.any():
        converted = _convert_objects(pd.Series(raw[others], dtype=object), zone)
        result[others] = converted.to_numpy(dtype="datetime64[ns]")
    bad = ~missing & np.isnat(result)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"row {row + 1}: {raw[row]!r} is not an ISO 8601 timestamp "
            "(expected e.g. '2026-03-02 09:15' or '2026-03-02T09:15:00+07:00')",
            source=source,
            line=int(lines[row]) if lines is not None and len(lines) > row else row + 1 + header_lines,
            field=field,
        )
    return result


def _localize(naive: pd.Series, zone: ZoneInfo) -> pd.Series:
    """Local wall-clock times in ``zone`` → naive UTC (first occurrence when ambiguous, shifted forward in gaps)."""
    naive = pd.Series(naive).astype("datetime64[ns]")
    ambiguous = np.ones(len(naive), dtype=bool)
    local = naive.dt.tz_localize(zone, ambiguous=ambiguous, nonexistent="shift_forward")
    return local.dt.tz_convert("UTC").dt.tz_localize(None)


def _convert_objects(objects: pd.Series, zone: ZoneInfo) -> pd.Series:
    """Datetime objects (from spreadsheets or databases) → naive UTC; anything else → NaT (reported by caller)."""
    stamps = []
    for value in objects:
        try:
            stamp = pd.Timestamp(value) if not isinstance(value, int | float) else None
        except (TypeError, ValueError):
            stamp = None
        stamps.append(None if stamp is None or pd.isna(stamp) else stamp)
    aware = [s is not None and s.tzinfo is not None for s in stamps]
    utc = [
        s.tz_convert("UTC").tz_localize(None) if a and s is not None else s
        for s, a in zip(stamps, aware, strict=True)
    ]
    naive = pd.Series([s if not a else None for s, a in zip(utc, aware, strict=True)], dtype="datetime64[ns]")
    localized = _localize(naive, zone).to_numpy()
    values = np.where(np.array(aware), pd.Series(utc, dtype="datetime64[ns]").to_numpy(), localized)
    return pd.Series(values, index=objects.index, dtype="datetime64[ns]")
