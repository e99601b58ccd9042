"""Availability objectives: downtime from outage records against the open time of each window.

For a window ``W`` (say October 2026 in the agreement's timezone) on the objective's calendar ``C``
(``24x7`` unless the agreement names an office calendar, for services promised only in office hours):

    available(W) = open_C(W ∩ [−∞, as_of)) − open_C(W ∩ exclusion windows ∩ [−∞, as_of))
    downtime(W)  = Σ_outages open_C(outage ∩ W) − open_C(outage ∩ W ∩ exclusion windows)
    availability(W) = 1 − downtime(W) / available(W)

Outages that span two windows count in both, each with its own part; an outage still going on runs to
``as_of``. Overlapping outages are counted once (their union is taken per window), so two monitoring
alerts for the same incident do not double the downtime. Exclusions with ``when`` (force majeure) remove
the whole outage. The loop is over windows (a handful per evaluation), vectorized over outages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ukur.sla.agreement import Exclusion, Objective
from ukur.sla.calendar import BusinessCalendar
from ukur.sla.fields import NONE, require_columns
from ukur.sla.measure import STATUSES, Stream, _when_excluded, merged_windows
from ukur.sla.windows import WindowGrid

__all__ = ["measure_outages", "outage_windows", "union_open_seconds"]


def union_open_seconds(cal: BusinessCalendar, a: np.ndarray, b: np.ndarray) -> float:
    """Open seconds of the union of intervals ``[a_i, b_i)`` (NaT and empty intervals ignored)."""
    keep = ~np.isnat(a) & ~np.isnat(b) & (b > a)
    if not keep.any():
        return 0.0
    order = np.argsort(a[keep], kind="stable")
    lo, hi = a[keep][order], b[keep][order]
    reach = np.maximum.accumulate(hi.astype(np.int64))
    new = np.ones(len(lo), dtype=bool)
    new[1:] = lo[1:].astype(np.int64) > reach[:-1]
    group = np.cumsum(new) - 1
    starts = lo[new]
    ends = np.zeros(len(starts), dtype=np.int64)
    np.maximum.at(ends, group, hi.astype(np.int64))
    return float(np.nansum(cal.open_seconds(starts, ends.astype("datetime64[ns]"))))


def measure_outages(
    objective: Objective,
    stream: Stream,
    *,
    calendar: BusinessCalendar,
    exclusions: Sequence[Exclusion],
    as_of: np.datetime64,
) -> pd.DataFrame:
    """One row per outage: downtime on the calendar (``counted_seconds``), status and exclusion."""
    start_field, stop_field = objective.clock()
    require_columns(
        stream.frame,
        [start_field, stop_field],
        stream=stream.name,
        purpose=f"objective {objective.id!r}",
    )
    n = len(stream.frame)
    start, start_bad = stream.times(start_field)
    stop, stop_bad = stream.times(stop_field)
    reason = np.full(n, None, dtype=object)
    for mask, text in [
        (start_bad, f"unreadable {start_field}"),
        (np.isnat(start), f"missing {start_field}"),
        (stop_bad, f"unreadable {stop_field}"),
        (~np.isnat(stop) & (stop < start), f"{stop_field} before {start_field}"),
        (~np.isnat(start) & (start > as_of), f"{start_field} after the as-of time"),
    ]:
        reason = np.where(mask & pd.isna(reason), text, reason)
    when = _when_excluded(stream.frame, exclusions)
    valid = pd.isna(reason)
    counts = valid & pd.isna(when)
    nat = np.datetime64("NaT", "ns")
    is_open = np.isnat(stop)
    a = np.where(valid, start, nat)
    b = np.where(valid, np.minimum(np.where(is_open, as_of, stop), as_of), nat)
    w_lo, w_hi, w_ids = merged_windows([e for e in exclusions if e.windows])
    elapsed = calendar.open_seconds(a, np.maximum(a, b))
    excluded = np.zeros(n)
    for lo, hi in zip(w_lo, w_hi, strict=True):
        x, y = np.maximum(a, lo), np.minimum(b, hi)
        excluded += np.nan_to_num(calendar.open_seconds(x, np.maximum(x, y)))
    downtime = elapsed - excluded
    status = np.where(is_open, "open", "breached").astype(object)
    exclusion = np.where(pd.notna(when), when, NONE)
    fully = valid & pd.isna(when) & (elapsed > 0) & (downtime <= 1e-6)
    if len(w_lo) and fully.any():
        k = np.clip(np.searchsorted(w_lo, np.where(fully, a, w_lo[0]), side="right") - 1, 0, None)
        exclusion = np.where(fully, np.array(w_ids, dtype=object)[k], exclusion)
    status = np.where(pd.notna(exclusion), "excluded", status)
    status = np.where(valid, status, "invalid")
    records = pd.DataFrame(
        {
            "stream": stream.name,
            "id": stream.ids,
            "objective": objective.id,
            "status": pd.Categorical(status, categories=STATUSES),
            "reason": reason,
            "exclusion": np.where(status == "excluded", exclusion, NONE),
            "at": start,
            "start": start,
            "stop": stop,
            "elapsed_seconds": np.where(valid, elapsed, np.nan),
            "excluded_seconds": np.where(valid, excluded, np.nan),
            "counted_seconds": np.where(valid, np.where(counts, downtime, 0.0), np.nan),
        }
    )
    return records


def outage_windows(
    records: pd.DataFrame,
    *,
    calendar: BusinessCalendar,
    exclusions: Sequence[Exclusion],
    grid: WindowGrid,
    as_of: np.datetime64,
) -> pd.DataFrame:
    """Per window of ``grid``: ``available_seconds``, ``downtime_seconds``, ``elapsed_fraction`` and
    ``window_seconds`` from the outage rows of :func:`measure_outages` (only ``breached`` and ``open``
    outages count)."""
    counts = records["status"].isin(["breached", "open"]).to_numpy()
    a = records["start"].to_numpy(dtype="datetime64[ns]")[counts]
    stop = records["stop"].to_numpy(dtype="datetime64[ns]")[counts]
    b = np.minimum(np.where(np.isnat(stop), as_of, stop), as_of)
    w_lo, w_hi, _ = merged_windows([e for e in exclusions if e.windows])
    rows = []
    for lo_w, hi_w in zip(grid.starts, grid.ends, strict=True):
        end = min(hi_w, as_of)
        full = float(calendar.open_seconds(np.array([lo_w]), np.array([hi_w]))[0])
        if end <= lo_w:
            rows.append((0.0, 0.0, 0.0, full))
            continue
        span = float(calendar.open_seconds(np.array([lo_w]), np.array([end]))[0])
        x, y = np.maximum(w_lo, lo_w), np.minimum(w_hi, end)
        maintenance = float(np.nansum(calendar.open_seconds(x, np.maximum(x, y)))) if len(w_lo) else 0.0
        oa, ob = np.maximum(a, lo_w), np.minimum(b, end)
        down = union_open_seconds(calendar, oa, ob)
        for lo_x, hi_x in zip(w_lo, w_hi, strict=True):
            down -= union_open_seconds(calendar, np.maximum(oa, lo_x), np.minimum(ob, hi_x))
        rows.append((span - maintenance, max(down, 0.0), span / full if full > 0 else 0.0, full))
    return pd.DataFrame(
        rows, columns=["available_seconds", "downtime_seconds", "elapsed_fraction", "window_seconds"]
    )
