"""Per-record measurement of duration and ratio objectives, vectorized over the whole stream.

For a duration objective each record gets, on the objective's calendar (all arrays, no loop over records):

* ``elapsed`` = open time in ``[start, stop)``, where an open record (no stop yet) runs to ``as_of``;
* ``paused`` = open time in the status-history intervals whose status is in ``pause_when``, clipped to the
  record's clock and not counted twice where a pause overlaps an exclusion window;
* ``excluded`` = open time inside the agreement's exclusion windows (merged so overlaps count once);
* ``counted`` = elapsed − paused − excluded, compared with the target;
* ``target_seconds`` = the open time from ``start`` to the target's deadline (for ``2d`` on an office
  calendar: to the same clock time two working days later), and ``deadline`` = the instant at which the
  counted time reaches the target, pushed back by the pauses and exclusions seen so far.

Status: ``invalid`` (a reason is given) before ``excluded`` (a ``when`` exclusion matched, or all of the
record's clock fell inside exclusion windows; the exclusion's id is given) before the clock: closed records are ``met`` when counted ≤ target, else ``breached``; open
records are ``breached`` once counted > target, ``at_risk`` from ``warn_at`` × target on, else ``open``.

Ratio objectives mark a record ``met`` when every ``good_when`` field holds one of its values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ukur.errors import AgreementError
from ukur.sla.agreement import Exclusion, Objective, ObjectiveKind
from ukur.sla.calendar import BusinessCalendar
from ukur.sla.fields import NONE, Reasons, matches, normalized, require_columns, stripped_text, timestamps

__all__ = ["STATUSES", "History", "Stream", "measure_records", "merged_windows"]

STATUSES = ("met", "breached", "at_risk", "open", "excluded", "invalid")
_EPS = 1e-6


@dataclass(frozen=True)
class Stream:
    """One record stream prepared for evaluation: the frame, its ids (text) and where it came from."""

    name: str
    frame: pd.DataFrame
    ids: np.ndarray
    source: str | None
    timezone: str
    parsed: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, compare=False, repr=False)

    def times(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """``(instants, unreadable)`` of a timestamp column, parsed once per stream (several objectives
        often read the same column)."""
        if column not in self.parsed:
            self.parsed[column] = timestamps(
                self.frame[column], timezone=self.timezone, source=self.source, field=column
            )
        return self.parsed[column]


@dataclass(frozen=True)
class History:
    """Status changes of a stream's records: row of the record, status, UTC time; the status holds until
    the record's next change."""

    row: np.ndarray
    status: np.ndarray
    start: np.ndarray
    stop: np.ndarray


def merged_windows(exclusions: Sequence[Exclusion]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Union of the exclusion windows as sorted disjoint ``[lo, hi)`` arrays, with the id of each piece."""
    spans = sorted((w.start, w.stop, e.id) for e in exclusions for w in e.windows)
    lo: list[np.datetime64] = []
    hi: list[np.datetime64] = []
    ids: list[str] = []
    for start, stop, name in spans:
        a, b = np.datetime64(start, "ns"), np.datetime64(stop, "ns")
        if hi and a <= hi[-1]:
            hi[-1] = max(hi[-1], b)
        else:
            lo.append(a)
            hi.append(b)
            ids.append(name)
    return np.array(lo, dtype="datetime64[ns]"), np.array(hi, dtype="datetime64[ns]"), ids


def _clip_open(
    cal: BusinessCalendar, a: np.ndarray, b: np.ndarray, lo: np.datetime64, hi: np.datetime64
) -> np.ndarray:
    """Open seconds of ``[a, b) ∩ [lo, hi)``; 0 where they do not meet, NaN stays NaN."""
    x = np.maximum(a, lo)
    y = np.minimum(b, hi)
    return cal.open_seconds(x, np.maximum(x, y))


def measure_records(
    objective: Objective,
    stream: Stream,
    *,
    calendar: BusinessCalendar,
    exclusions: Sequence[Exclusion],
    history: History | None,
    as_of: np.datetime64,
) -> pd.DataFrame:
    """One row per record of ``stream`` for a duration or ratio objective (see the module docstring)."""
    frame, n = stream.frame, len(stream.frame)
    reasons = Reasons(n)
    at_col = objective.placed_by
    needed = [c for c in (objective.start, objective.stop, at_col) if c]
    if objective.kind is ObjectiveKind.RATIO:
        needed += [f for f, _ in objective.good_when]
    if objective.target is not None and objective.target.by:
        needed.append(objective.target.by)
    require_columns(
        frame, list(dict.fromkeys(needed)), stream=stream.name, purpose=f"objective {objective.id!r}"
    )
    at, at_bad = (
        stream.times(at_col)
        if at_col
        else (np.full(n, np.datetime64("NaT"), "datetime64[ns]"), np.zeros(n, bool))
    )
    out: dict[str, object] = {"at": at}
    if objective.kind is ObjectiveKind.RATIO:
        good = np.ones(n, dtype=bool)
        for field_name, accepted in objective.good_when:
            hit, missing = matches(frame[field_name], accepted)
            good &= hit
            reasons.add(missing, f"missing {field_name}")
        reasons.add(at_bad, f"unreadable {at_col}")
        reasons.add(np.isnat(at), f"missing {at_col}")
        status = np.where(good, "met", "breached").astype(object)
    else:
        status, timing = _duration(objective, stream, calendar, exclusions, history, as_of, reasons)
        out.update(timing)
    reason = reasons.text()
    exclusion = _when_excluded(frame, exclusions)
    within = out.pop("window_exclusion", None)
    if isinstance(within, np.ndarray):
        exclusion = np.where(pd.isna(exclusion), within, exclusion)
    status = np.where(pd.notna(exclusion), "excluded", status)
    status = np.where(reasons.valid, status, "invalid")
    exclusion = np.where(status == "excluded", exclusion, NONE)
    table = pd.DataFrame(
        {
            "stream": stream.name,
            "id": stream.ids,
            "objective": objective.id,
            "status": pd.Categorical(status, categories=STATUSES),
            "reason": reason,
            "exclusion": exclusion,
            **out,
        }
    )
    return table


def _when_excluded(frame: pd.DataFrame, exclusions: Sequence[Exclusion]) -> np.ndarray:
    """The id of the first ``when`` exclusion each record matches (``None`` if none)."""
    found = np.full(len(frame), None, dtype=object)
    for exclusion in exclusions:
        if not exclusion.when or any(f not in frame.columns for f, _ in exclusion.when):
            continue
        hit = np.ones(len(frame), dtype=bool)
        for field_name, accepted in exclusion.when:
            hit &= matches(frame[field_name], accepted)[0]
        found = np.where(hit & pd.isna(found), exclusion.id, found)
    return found


def _duration(
    objective: Objective,
    stream: Stream,
    cal: BusinessCalendar,
    exclusions: Sequence[Exclusion],
    history: History | None,
    as_of: np.datetime64,
    reasons: Reasons,
) -> tuple[np.ndarray, Mapping[str, np.ndarray]]:
    start_field, stop_field = objective.clock()
    target = objective.target
    if target is None:
        raise AgreementError(
            f"objective {objective.id!r}: a duration objective needs a target", field="target"
        )
    n = len(stream.frame)
    start, start_bad = stream.times(start_field)
    stop, stop_bad = stream.times(stop_field)
    checks = [
        (start_bad, f"unreadable {start_field}"),
        (np.isnat(start), f"missing {start_field}"),
        (stop_bad, f"unreadable {stop_field}"),
        (~np.isnat(stop) & (stop < start), f"{stop_field} before {start_field}"),
        (~np.isnat(start) & (start > as_of), f"{start_field} after the as-of time"),
    ]
    keys = normalized(stream.frame[target.by]) if target.by else np.full(n, None, dtype=object)
    deadline0 = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    assigned = np.zeros(n, dtype=bool)
    for key, duration in target.items():
        mask = ~assigned & ((keys == normalized([key])[0]) if key is not None else np.ones(n, dtype=bool))
        assigned |= mask
        if mask.any():
            deadline0[mask] = cal.deadline(start[mask], duration)
    checks.append((~assigned, "no target for this " + (target.by or "record")))
    for mask, text in checks:
        reasons.add(mask, text)
    valid = reasons.valid
    nat = np.datetime64("NaT", "ns")
    start_v = np.where(valid, start, nat)
    is_open = np.isnat(stop)
    end_v = np.where(valid, np.where(is_open, as_of, stop), nat)
    elapsed = cal.open_seconds(start_v, end_v)
    w_lo, w_hi, w_ids = merged_windows([e for e in exclusions if e.windows])
    excluded = np.zeros(n)
    for lo, hi in zip(w_lo, w_hi, strict=True):
        excluded += _clip_open(cal, start_v, end_v, lo, hi)
    paused = np.zeros(n)
    if history is not None and objective.pause_when and len(history.row):
        pick = np.isin(history.status, list(objective.pause_when)) & valid[history.row]
        rows = history.row[pick]
        a = np.maximum(history.start[pick], start_v[rows])
        b = np.minimum(np.where(np.isnat(history.stop[pick]), end_v[rows], history.stop[pick]), end_v[rows])
        b = np.maximum(a, b)
        seconds = np.nan_to_num(cal.open_seconds(a, b))
        for lo, hi in zip(w_lo, w_hi, strict=True):
            seconds -= np.nan_to_num(_clip_open(cal, a, b, lo, hi))
        paused = np.bincount(rows, weights=seconds, minlength=n).astype(float)
    target_seconds = cal.open_seconds(start_v, deadline0)
    counted = elapsed - paused - excluded
    deadline = cal.add_open_seconds(start_v, np.where(valid, target_seconds + paused + excluded, np.nan))
    late = counted > target_seconds + _EPS
    warn = objective.warn_at if objective.warn_at is not None else 1.0
    status = np.where(
        ~is_open,
        np.where(late, "breached", "met"),
        np.where(late, "breached", np.where(counted >= warn * target_seconds - _EPS, "at_risk", "open")),
    )
    if objective.warn_at is None:
        status = np.where(is_open & (status == "at_risk"), "open", status)
    inside_window = np.full(n, None, dtype=object)
    fully = valid & (excluded > _EPS) & (excluded >= elapsed - paused - _EPS)
    if len(w_lo) and fully.any():
        k = np.clip(np.searchsorted(w_lo, np.where(fully, start_v, w_lo[0]), side="right") - 1, 0, None)
        inside_window = np.where(fully, np.array(w_ids, dtype=object)[k], NONE)
    timing = {
        "window_exclusion": inside_window,
        "start": start,
        "stop": stop,
        "key": stripped_text(stream.frame[target.by]) if target.by else keys,
        "elapsed_seconds": np.where(valid, elapsed, np.nan),
        "paused_seconds": np.where(valid, paused, np.nan),
        "excluded_seconds": np.where(valid, excluded, np.nan),
        "counted_seconds": np.where(valid, counted, np.nan),
        "target_seconds": np.where(valid, target_seconds, np.nan),
        "deadline": deadline,
    }
    return status.astype(object), timing
