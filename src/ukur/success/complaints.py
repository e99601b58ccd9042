"""Complaint handling: time to acknowledge and to resolve, measured by the SLA engine's clocks.

A complaint has a ``received_at`` time and, once handled, ``acknowledged_at`` and ``resolved_at``.  Each
step is measured on a :class:`~ukur.sla.BusinessCalendar` (usually the agreement's office calendar):

* elapsed business seconds ``= calendar.open_seconds(received_at, done_at or as_of)``;
* the deadline ``= calendar.deadline(received_at, target)`` (``2h`` is two *open* hours, ``1 business
  day`` is the same clock time on the next working day; see :meth:`BusinessCalendar.deadline`);
* status: ``on_time`` (done by the deadline), ``late`` (done after it), ``open`` (not done, deadline
  ahead of ``as_of``), ``overdue`` (not done, deadline passed), ``invalid`` (no or unreadable received
  time, or done before received).

Complaints can come as their own stream or as the claims of type ``complaint`` of an evaluation
(:func:`complaints_from_claims`: filed = received, responded = resolved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.sla import BusinessCalendar, Duration, parse_duration
from ukur.sla.compliance import frame_records
from ukur.sla.evaluate import parse_as_of
from ukur.sla.fields import timestamps

__all__ = ["STEPS", "ComplaintHandling", "complaint_handling", "complaints_from_claims"]

STEPS = ("acknowledge", "resolve")
_DONE = {"acknowledge": "acknowledged_at", "resolve": "resolved_at"}
_NAT = np.datetime64("NaT", "ns")


@dataclass(frozen=True)
class ComplaintHandling:
    """Complaints measured against their targets.

    ``complaints``: one row per complaint — ``id, customer, received_at`` and per step ``acknowledged_at``/``resolved_at``, ``<step>_seconds``
    (business seconds), ``<step>_deadline`` and ``<step>_status``.  ``summary``: one row per step —
    ``step, target, total, on_time, late, open, overdue, invalid, in_time_share`` (on time / judged, where
    judged = on time + late + overdue), ``median_seconds``.
    """

    complaints: pd.DataFrame
    summary: pd.DataFrame
    calendar: str
    as_of: pd.Timestamp

    def to_dict(self) -> dict[str, Any]:
        """The ``complaints`` object of ``ukur sla success --format json``."""
        return {
            "calendar": self.calendar,
            "as_of": str(np.datetime_as_string(self.as_of.to_datetime64(), unit="s")) + "Z",
            "summary": frame_records(self.summary),
            "complaints": frame_records(self.complaints),
        }


def complaints_from_claims(claims: pd.DataFrame, *, customer: str | None = None) -> pd.DataFrame:
    """Claims of type ``complaint`` (an evaluation's ``claims`` table) as a complaints frame."""
    part = claims[claims["type"].astype(str).str.lower() == "complaint"] if len(claims) else claims
    return pd.DataFrame(
        {
            "id": part["id"].astype(str).to_numpy() if len(part) else np.array([], dtype=object),
            "customer": customer,
            "received_at": pd.to_datetime(part["filed_at"]).to_numpy(dtype="datetime64[ns]"),
            "acknowledged_at": np.full(len(part), _NAT),
            "resolved_at": pd.to_datetime(part["responded_at"]).to_numpy(dtype="datetime64[ns]"),
        }
    )


def _instants(frame: pd.DataFrame, column: str, timezone: str) -> tuple[np.ndarray, np.ndarray]:
    if column not in frame.columns:
        return np.full(len(frame), _NAT), np.zeros(len(frame), bool)
    col = frame[column]
    if col.dtype.kind == "M":
        return col.to_numpy(dtype="datetime64[ns]"), np.zeros(len(frame), bool)
    return timestamps(col, timezone=timezone, source=frame.attrs.get("source"), field=column)


def complaint_handling(
    complaints: pd.DataFrame,
    calendar: BusinessCalendar,
    *,
    acknowledge_within: str | Duration | None = None,
    resolve_within: str | Duration | None = None,
    as_of: datetime | str | pd.Timestamp | None = None,
) -> ComplaintHandling:
    """Measure every complaint's acknowledgement and resolution (see the module docstring).

    ``complaints`` needs ``id`` and ``received_at``; ``acknowledged_at``, ``resolved_at`` and
    ``customer`` are optional.  Text times without an offset are local to the calendar's time zone;
    datetime columns are UTC.  A step without a target is measured but has no deadline or status.
    """
    for needed in ("id", "received_at"):
        if needed not in complaints.columns:
            raise DataError(
                f"complaints need a {needed!r} column", source=complaints.attrs.get("source"), field=needed
            )
    tz = calendar.timezone
    now = parse_as_of(as_of, timezone=tz)
    now64 = now.to_datetime64().astype("datetime64[ns]")
    received, bad_received = _instants(complaints, "received_at", tz)
    targets = {
        "acknowledge": parse_duration(acknowledge_within, field="acknowledge_within")
        if isinstance(acknowledge_within, str)
        else acknowledge_within,
        "resolve": parse_duration(resolve_within, field="resolve_within")
        if isinstance(resolve_within, str)
        else resolve_within,
    }
    customer = complaints["customer"] if "customer" in complaints.columns else None
    table = pd.DataFrame(
        {
            "id": complaints["id"].astype(str).to_numpy(),
            "customer": customer.to_numpy(dtype=object) if customer is not None else None,
            "received_at": received,
        }
    )
    summary = []
    for step in STEPS:
        done, bad_done = _instants(complaints, _DONE[step], tz)
        invalid = bad_received | np.isnat(received) | bad_done | (~np.isnat(done) & (done < received))
        stop = np.where(np.isnat(done), now64, done)
        seconds = calendar.open_seconds(np.where(invalid, _NAT, received), np.where(invalid, _NAT, stop))
        target = targets[step]
        if target is None:
            deadline = np.full(len(table), _NAT)
            status = np.full(len(table), None, dtype=object)
            status[invalid] = "invalid"
        else:
            deadline = calendar.deadline(np.where(invalid, _NAT, received), target)
            finished = ~np.isnat(done)
            status = np.select(
                [invalid, finished & (done <= deadline), finished, deadline > now64],
                ["invalid", "on_time", "late", "open"],
                "overdue",
            )
        table[_DONE[step]] = done
        table[f"{step}_seconds"] = seconds
        table[f"{step}_deadline"] = deadline
        table[f"{step}_status"] = status.astype(object)
        counts = {s: int((status == s).sum()) for s in ("on_time", "late", "open", "overdue", "invalid")}
        judged = counts["on_time"] + counts["late"] + counts["overdue"]
        finished_seconds = seconds[~np.isnat(done) & ~invalid]
        summary.append(
            {
                "step": step,
                "target": None if target is None else target.text,
                "total": len(table),
                **counts,
                "in_time_share": counts["on_time"] / judged if judged and target is not None else np.nan,
                "median_seconds": float(np.median(finished_seconds)) if finished_seconds.size else np.nan,
            }
        )
    return ComplaintHandling(
        complaints=table, summary=pd.DataFrame(summary), calendar=calendar.name, as_of=now
    )
