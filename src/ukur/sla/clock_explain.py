"""One record's clock as a readable timeline: which stretches counted, which were closed, paused or excluded.

The timeline cuts ``[start, stop)`` at every opening and closing of the calendar, every local midnight (so a
closed stretch can say *why*: a holiday's name, a closed day, the weekend, or simply outside hours) and every
pause or exclusion boundary, classifies each piece and joins neighbours with the same classification.
Precedence: an excluded stretch is ``excluded`` even inside a pause; a paused stretch is ``paused`` even when
the office is closed.  ``counted_seconds`` summed over the table equals the record's elapsed business time:
``open_seconds(start, stop)`` minus the open time inside pauses and exclusions.  This runs for one record at a
time, so plain Python is fine here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.sla.timeline import DAY_NS, to_local_ns

if TYPE_CHECKING:
    from ukur.sla.calendar import BusinessCalendar

__all__ = ["explain_timeline", "timeline_to_dict"]

_COLUMNS = ["from", "to", "kind", "reason", "seconds", "open_seconds", "counted_seconds"]


def _instant(value: object, what: str) -> int:
    """A timestamp (naive = UTC, as everywhere in the engine) → int64 ns; DataError when missing."""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if stamp is pd.NaT:
        raise DataError(f"cannot explain a record without {what}", field=what)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return int(stamp.as_unit("ns").value)


def _spans(items: Sequence[Sequence[object]], default: str, what: str) -> list[tuple[int, int, str]]:
    spans = []
    for item in items:
        label = str(item[2]) if len(item) > 2 and item[2] is not None else default
        spans.append((_instant(item[0], f"{what} start"), _instant(item[1], f"{what} end"), label))
    return spans


def explain_timeline(
    calendar: BusinessCalendar,
    start: object,
    stop: object,
    *,
    pauses: Sequence[Sequence[object]] = (),
    exclusions: Sequence[Sequence[object]] = (),
) -> pd.DataFrame:
    """Timeline of one record's clock on ``calendar``.

    ``start``/``stop`` are instants (naive = UTC, or tz-aware); ``pauses`` and ``exclusions`` are
    ``(from, to)`` or ``(from, to, label)`` tuples (label: the status such as ``waiting_customer``, or the
    exclusion id).  Returns a DataFrame with columns ``from``, ``to`` (tz-aware, in the calendar's timezone),
    ``kind`` (``open``, ``closed``, ``paused``, ``excluded``), ``reason`` (``open``, ``outside hours``,
    ``holiday: <name>``, ``closed day[: <name>]``, ``weekend``, the pause status or exclusion id),
    ``seconds`` (wall time), ``open_seconds`` (calendar open time inside) and ``counted_seconds`` (what
    counts toward elapsed business time).  An empty table when ``stop <= start``.
    """
    a, b = _instant(start, "start"), _instant(stop, "stop")
    if b <= a:
        empty = pd.Series(dtype=f"datetime64[ns, {calendar.timezone}]")
        return pd.DataFrame(
            {"from": empty, "to": empty, "kind": pd.Series(dtype=object), "reason": pd.Series(dtype=object)}
            | {c: pd.Series(dtype=np.float64) for c in _COLUMNS[4:]}
        )
    paused = _spans(pauses, "paused", "pause")
    excluded = _spans(exclusions, "excluded", "exclusion")
    line = calendar._timeline_for(np.array([a, b], dtype=np.int64))
    cuts = {a, b}
    inside = (line.start > a) & (line.start < b)
    cuts.update(int(x) for x in line.start[inside])
    inside = (line.end > a) & (line.end < b)
    cuts.update(int(x) for x in line.end[inside])
    for s, e, _ in paused + excluded:
        cuts.update(x for x in (s, e) if a < x < b)
    cuts.update(_local_midnights(a, b, calendar.timezone))
    edges = np.array(sorted(cuts), dtype=np.int64)
    lefts, rights = edges[:-1], edges[1:]
    open_ns = (line.cumulative(rights) - line.cumulative(lefts)) if not calendar.always else rights - lefts
    local = to_local_ns(lefts, calendar.timezone)
    rows: list[list[object]] = []
    for left, right, opened, local_left in zip(lefts, rights, open_ns, local, strict=True):
        kind, reason = _classify(
            calendar, int(left), int(right), int(opened), int(local_left), paused, excluded
        )
        counted = int(opened) if kind == "open" else 0
        if rows and rows[-1][2] == kind and rows[-1][3] == reason and rows[-1][1] == left:
            rows[-1][1] = int(right)
            rows[-1][4] += int(right - left)  # type: ignore[operator]
            rows[-1][5] += int(opened)  # type: ignore[operator]
            rows[-1][6] += counted  # type: ignore[operator]
        else:
            rows.append([int(left), int(right), kind, reason, int(right - left), int(opened), counted])
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    for column in ("from", "to"):
        frame[column] = pd.to_datetime(frame[column], unit="ns", utc=True).dt.tz_convert(calendar.timezone)
    for column in ("seconds", "open_seconds", "counted_seconds"):
        frame[column] = frame[column].astype(np.float64) / 1e9
    return frame


def _classify(
    calendar: BusinessCalendar,
    left: int,
    right: int,
    opened: int,
    local_left: int,
    paused: list[tuple[int, int, str]],
    excluded: list[tuple[int, int, str]],
) -> tuple[str, str]:
    for s, e, label in excluded:
        if s <= left and right <= e:
            return "excluded", label
    for s, e, label in paused:
        if s <= left and right <= e:
            return "paused", label
    if opened > 0:
        return "open", "open"
    day = datetime.fromtimestamp(local_left // DAY_NS * 86400, tz=UTC).date()
    return "closed", calendar.closed_reason(day) or "outside hours"


def _local_midnights(a: int, b: int, timezone: str) -> list[int]:
    """UTC instants of the local midnights strictly inside ``(a, b)``."""
    first_local = int(to_local_ns(np.array([a], dtype=np.int64), timezone)[0]) // DAY_NS + 1
    last_local = int(to_local_ns(np.array([b], dtype=np.int64), timezone)[0]) // DAY_NS + 1
    if last_local < first_local:
        return []
    days = np.arange(first_local, last_local + 1, dtype=np.int64) * DAY_NS
    index = pd.DatetimeIndex(days.astype("datetime64[ns]")).tz_localize(
        timezone, ambiguous=np.ones(len(days), dtype=bool), nonexistent="shift_forward"
    )
    utc = np.asarray(index.tz_convert("UTC").tz_localize(None).as_unit("ns").asi8)
    return [int(x) for x in utc if a < x < b]


def timeline_to_dict(frame: pd.DataFrame) -> list[dict[str, object]]:
    """JSON form of an :func:`explain_timeline` table: one object per row, instants as ISO 8601 with offset."""
    return [
        {
            "from": row["from"].isoformat(),
            "to": row["to"].isoformat(),
            "kind": row["kind"],
            "reason": row["reason"],
            "seconds": float(row["seconds"]),
            "open_seconds": float(row["open_seconds"]),
            "counted_seconds": float(row["counted_seconds"]),
        }
        for row in frame.to_dict(orient="records")
    ]
