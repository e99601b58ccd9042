"""``evaluate(agreement, records) → Compliance``: every objective against its record stream.

The function is pure: it reads only the frames handed to it and the ``as_of`` instant (the current time
when none is given, recorded in the result so that the run can be repeated). Each objective is
evaluated over whole columns (see :mod:`ukur.sla.measure` and :mod:`ukur.sla.availability`), so a month
of a million records costs a few array passes. Problems in single records make those records
``invalid`` with a reason; problems with a whole stream (no records given for an objective, a history
row for an unknown record) are listed in ``errors``; only a stream that lacks a column an objective names
raises :class:`~ukur.errors.DataError`, because then nothing about that objective can be said.

Which records count. A record is placed in a window by its ``at`` time (the objective's ``at``, else its
``start``). With ``period`` only records placed in the period are evaluated; without it, the records
placed within the agreement's effective dates. Records outside are left out and counted in ``notes``.
Invalid records whose time cannot be read are always reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import UkurError
from ukur.sla.agreement import Agreement, Objective, ObjectiveKind, Window
from ukur.sla.availability import measure_outages, outage_windows
from ukur.sla.claims import CLAIM_COLUMNS, CLAIM_WINDOW_COLUMNS, evaluate_claims
from ukur.sla.compliance import RECORD_COLUMNS, Compliance
from ukur.sla.credits import CREDIT_COLUMNS, compensation, tier_credits
from ukur.sla.fields import NONE, require_columns, timestamps
from ukur.sla.measure import History, Stream, measure_records
from ukur.sla.summary import WINDOW_COLUMNS, summarize
from ukur.sla.windows import Period, WindowGrid, parse_period, window_grid

__all__ = ["evaluate", "parse_as_of", "prepare_history", "prepare_stream"]

_NAT = np.datetime64("NaT", "ns")


def parse_as_of(value: datetime | str | pd.Timestamp | None, *, timezone: str) -> pd.Timestamp:
    """``as_of`` as a naive UTC timestamp; text or naive values are local to ``timezone``; ``None`` = now."""
    if value is None:
        return pd.Timestamp.now(tz="UTC").tz_localize(None).floor("s")
    try:
        stamp = pd.Timestamp(value)
    except ValueError:
        raise UkurError(
            f"cannot read the as-of time {value!r} (expected e.g. 2026-10-31T17:00)", field="as_of"
        ) from None
    if stamp is pd.NaT:
        raise UkurError(f"cannot read the as-of time {value!r}", field="as_of")
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")
    return stamp.tz_convert("UTC").tz_localize(None)


def prepare_stream(name: str, frame: pd.DataFrame, *, timezone: str) -> Stream:
    """A record stream with its ``id`` column read as text."""
    require_columns(frame, ["id"], stream=name, purpose="every record stream")
    frame = frame.reset_index(drop=True)
    ids = np.strings.strip(frame["id"].astype(str).to_numpy(dtype=str)).astype(object)
    return Stream(name=name, frame=frame, ids=ids, source=frame.attrs.get("source"), timezone=timezone)


def prepare_history(stream: Stream, frame: pd.DataFrame, errors: list[dict[str, Any]]) -> History:
    """Status history rows ``record_id, status, at`` → intervals per record (a status holds until the next)."""
    source = frame.attrs.get("source")
    require_columns(
        frame, ["record_id", "status", "at"], stream=f"{stream.name} status history", purpose="pauses"
    )
    at, bad = timestamps(frame["at"], timezone=stream.timezone, source=source, field="at")
    lookup = pd.Series(np.arange(len(stream.ids)), index=stream.ids)
    lookup = lookup[~lookup.index.duplicated()]
    position = lookup.reindex(frame["record_id"].astype(str).str.strip().to_numpy()).to_numpy()
    unknown = np.isnan(position) & ~bad
    if bad.any() or np.isnat(at).any():
        errors.append(
            _error(
                stream.name,
                None,
                f"{int(np.isnat(at).sum())} status change(s) without a readable time were ignored",
                source,
            )
        )
    if unknown.any():
        errors.append(
            _error(
                stream.name,
                None,
                f"{int(unknown.sum())} status change(s) name records that are not in the stream",
                source,
            )
        )
    keep = ~np.isnan(position) & ~np.isnat(at)
    row = position[keep].astype(np.int64)
    start = at[keep]
    status = frame["status"].astype(str).str.strip().to_numpy(dtype=object)[keep]
    order = np.lexsort((start, row))
    row, start, status = row[order], start[order], status[order]
    stop = np.full(len(row), _NAT)
    same = row[1:] == row[:-1]
    stop[:-1] = np.where(same, start[1:], _NAT)
    return History(row=row, status=status, start=start, stop=stop)


def _error(
    stream: str | None, objective: str | None, message: str, source: str | None = None
) -> dict[str, Any]:
    return {
        "stream": stream,
        "objective": objective,
        "message": message,
        "source": source,
        "line": None,
        "field": None,
    }


def evaluate(
    agreement: Agreement,
    records: Mapping[str, pd.DataFrame],
    *,
    status_history: Mapping[str, pd.DataFrame] | None = None,
    claims: pd.DataFrame | None = None,
    period: str | Period | None = None,
    as_of: datetime | str | pd.Timestamp | None = None,
) -> Compliance:
    """Evaluate ``agreement`` against record streams (frames by stream name, each with an ``id`` column).

    ``status_history`` maps a stream to its ``record_id, status, at`` frame (for pauses); ``claims`` is the
    claims frame; ``period`` limits the evaluation (``"2026-10"``, see :func:`ukur.sla.windows.parse_period`);
    ``as_of`` fixes "now" for open records. Returns a :class:`~ukur.sla.compliance.Compliance`.
    """
    tz = agreement.timezone
    now = parse_as_of(as_of, timezone=tz)
    now64 = now.to_datetime64().astype("datetime64[ns]")
    span = parse_period(period, timezone=tz) if isinstance(period, str) else period
    lo, hi = _range(agreement, span)
    errors: list[dict[str, Any]] = []
    notes: list[str] = []
    if agreement.draft:
        notes.append(f"agreement {agreement.id!r} is a draft: it is not signed by both parties")
    if span is not None and lo is not None and hi is not None and lo >= hi:
        notes.append(
            f"period {span.label} lies outside the agreement's effective dates "
            f"({agreement.effective_from or '…'} to {agreement.effective_to or '…'}): nothing to evaluate"
        )
    streams: dict[str, Stream] = {}
    for name in agreement.streams:
        if name in records:
            streams[name] = prepare_stream(name, records[name], timezone=tz)
        else:
            skipped = ", ".join(o.id for o in agreement.objectives if o.records == name)
            notes.append(f"no records were given for stream {name!r}: objective(s) {skipped} not evaluated")
    histories = {
        name: prepare_history(streams[name], frame, errors)
        for name, frame in (status_history or {}).items()
        if name in streams
    }
    record_parts, window_parts, credit_parts = [], [], []
    for objective in agreement.objectives:
        stream = streams.get(objective.records)
        if stream is None:
            continue
        result = _objective(
            agreement, objective, stream, histories.get(stream.name), lo, hi, now64, errors, notes
        )
        record_parts.append(result[0])
        window_parts.append(result[1])
        credit_parts.append(result[2])
    records_table = _concat(record_parts, RECORD_COLUMNS)
    windows_table = _concat(window_parts, WINDOW_COLUMNS)
    credits_table = _concat(credit_parts, CREDIT_COLUMNS)
    owed = credits_table.groupby(["objective", "window"], sort=False)["amount"].sum()
    keys = pd.MultiIndex.from_arrays([windows_table["objective"], windows_table["window"]])
    windows_table["credit"] = (
        owed.reindex(keys).to_numpy(dtype=float) if len(windows_table) else np.array([], float)
    )
    claims_table = pd.DataFrame(columns=CLAIM_COLUMNS)
    claims_windows = pd.DataFrame(columns=CLAIM_WINDOW_COLUMNS)
    if claims is not None:
        if agreement.claims is None:
            notes.append("claims were given but the agreement has no claims policy")
        else:
            c_lo, c_hi = lo if lo is not None else _first(claims, tz), min(hi, now) if hi is not None else now
            grid = (
                window_grid(Window("month"), c_lo, c_hi, timezone=tz)
                if c_lo is not None
                else WindowGrid.empty()
            )
            claims_table, claims_windows = evaluate_claims(
                agreement, claims, streams.get(agreement.claims.records or ""), grid=grid, as_of=now64
            )
    return Compliance(
        agreement=agreement,
        as_of=now,
        period=span,
        records=records_table,
        windows=windows_table,
        credits=credits_table,
        claims=claims_table,
        claims_windows=claims_windows,
        errors=tuple(errors),
        notes=tuple(notes),
    )


def _range(agreement: Agreement, span: Period | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The UTC span of records to evaluate: the period, within the effective dates."""
    tz = agreement.timezone
    lo = hi = None
    if agreement.effective_from is not None:
        lo = pd.Timestamp(agreement.effective_from).tz_localize(tz).tz_convert("UTC").tz_localize(None)
    if agreement.effective_to is not None:
        end = pd.Timestamp(agreement.effective_to) + pd.Timedelta(days=1)
        hi = end.tz_localize(tz).tz_convert("UTC").tz_localize(None)
    if span is not None:
        lo = span.start if lo is None else max(lo, span.start)
        hi = span.end if hi is None else min(hi, span.end)
    return lo, hi


def _objective(
    agreement: Agreement,
    objective: Objective,
    stream: Stream,
    history: History | None,
    lo: pd.Timestamp | None,
    hi: pd.Timestamp | None,
    now: np.datetime64,
    errors: list[dict[str, Any]],
    notes: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    cal = agreement.calendar(objective.calendar)
    exclusions = agreement.exclusions_for(objective.id)
    if objective.kind is ObjectiveKind.AVAILABILITY:
        table = measure_outages(objective, stream, calendar=cal, exclusions=exclusions, as_of=now)
    else:
        table = measure_records(
            objective, stream, calendar=cal, exclusions=exclusions, history=history, as_of=now
        )
    duplicate = pd.Series(stream.ids).duplicated().to_numpy()
    if duplicate.any():
        table.loc[duplicate, "status"] = "invalid"
        table.loc[duplicate, "reason"] = "duplicate id"
    at = table["at"].to_numpy(dtype="datetime64[ns]")
    placed = ~np.isnat(at)
    unplaced = ~placed & (table["status"] != "invalid").to_numpy()
    if unplaced.any():
        table.loc[unplaced, "status"] = "invalid"
        table.loc[unplaced, "reason"] = f"missing {objective.placed_by}"
    inside = np.ones(len(table), dtype=bool)
    if lo is not None:
        inside &= ~placed | (at >= lo.to_datetime64())
    if hi is not None:
        inside &= ~placed | (at < hi.to_datetime64())
    if (~inside).any():
        note = f"{int((~inside).sum())} {stream.name} record(s) outside the evaluated span were left out"
        if note not in notes:
            notes.append(note)
    table = table[inside].reset_index(drop=True)
    at = at[inside]
    g_lo, g_hi = _grid_span(objective, table, at, lo, hi, pd.Timestamp(now))
    grid = (
        window_grid(objective.window, g_lo, g_hi, timezone=agreement.timezone)
        if g_lo is not None and g_hi is not None
        else WindowGrid.empty()
    )
    outages = None
    if objective.kind is ObjectiveKind.AVAILABILITY:
        outages = outage_windows(table, calendar=cal, exclusions=exclusions, grid=grid, as_of=now)
    index = grid.locate(at)
    labels = grid.labels[np.clip(index, 0, None)] if len(grid) else np.full(len(index), None, dtype=object)
    table["window"] = np.where(index >= 0, labels, NONE)
    table["window_final"] = np.where(
        index >= 0, grid.ends[np.clip(index, 0, None)] <= now if len(grid) else False, False
    )
    windows = summarize(objective, table, index, grid, as_of=now, outages=outages)
    credit_rows = []
    table["compensation"] = np.nan
    for penalty in agreement.penalties_for(objective.id):
        if penalty.credits:
            credit_rows.append(tier_credits(penalty, objective, windows, agreement.fee))
        if penalty.per_record is not None:
            values = None
            field = penalty.per_record.field
            if field is not None:
                if field in stream.frame.columns:
                    values = stream.frame[field][inside].reset_index(drop=True)
                else:
                    errors.append(
                        _error(
                            stream.name,
                            objective.id,
                            f"no column {field!r} for per-record compensation",
                            stream.source,
                        )
                    )
            amount, rows, unusable = compensation(penalty, objective, table, values, agreement.fee)
            table["compensation"] = amount
            credit_rows.append(rows)
            if unusable:
                errors.append(
                    _error(
                        stream.name,
                        objective.id,
                        f"{unusable} breached record(s) have no usable {field or 'amount'} for compensation",
                        stream.source,
                    )
                )
    table = table.drop(columns=["window_final", "at"])
    credits = _concat(credit_rows, CREDIT_COLUMNS)
    return table.reindex(columns=RECORD_COLUMNS), windows, credits


_INSTANTS = ("deadline", "start", "stop", "end")
_NUMBERS = ("compliance", "tier_below", "tier_credit", "credit_percent", "records", "fee", "amount", "goal",
            "budget_used", "budget_remaining", "burn_rate", "elapsed_fraction", "compensation")  # fmt: skip
_COUNTS = ("total", "met", "breached", "at_risk", "open", "excluded", "invalid")


def _grid_span(
    objective: Objective,
    table: pd.DataFrame,
    at: np.ndarray,
    lo: pd.Timestamp | None,
    hi: pd.Timestamp | None,
    now: pd.Timestamp,
) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The span whose windows are reported: the evaluated span, else the records' own span; never past
    ``as_of``. An availability objective also covers the ends of its outages (an outage that runs into
    the next month makes that month a window too)."""
    known = at[~np.isnat(at)]
    if lo is None and len(known) == 0:
        return None, None
    g_lo = lo if lo is not None else pd.Timestamp(known.min())
    if hi is not None:
        g_hi = hi
    elif objective.window.unit == "rolling":
        g_hi = now
    else:
        last = known.max() if len(known) else g_lo.to_datetime64()
        if objective.kind is ObjectiveKind.AVAILABILITY:
            stops = table["stop"].to_numpy(dtype="datetime64[ns]")
            ends = np.where(np.isnat(stops), now.to_datetime64(), stops)
            last = max(last, ends.max()) if len(ends) else last
        g_hi = pd.Timestamp(last) + pd.Timedelta(1, "ns")
    return g_lo, min(g_hi, max(now, g_lo + pd.Timedelta(1, "ns")))


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Stack tables of one kind, keeping instants as ``datetime64[ns]`` and measures as floats."""
    parts = [p for p in parts if len(p)]
    table = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    for name in columns:
        if name in _INSTANTS:
            table[name] = table[name].astype("datetime64[ns]")
        elif name in _NUMBERS or name.endswith("_seconds"):
            table[name] = table[name].astype(float)
        elif name in _COUNTS:
            table[name] = table[name].astype(np.int64)
    return table


def _first(claims: pd.DataFrame, tz: str) -> pd.Timestamp | None:
    if "filed_at" not in claims.columns:
        return None
    filed, _ = timestamps(
        claims["filed_at"], timezone=tz, source=claims.attrs.get("source"), field="filed_at"
    )
    return pd.Timestamp(filed[~np.isnat(filed)].min()) if (~np.isnat(filed)).any() else None
