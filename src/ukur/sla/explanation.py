"""Why one record met or missed its objective: its measurement and its clock, stretch by stretch.

:func:`explain_record` measures one record exactly as :func:`~ukur.sla.evaluate.evaluate` does (same
code, on a one-row stream) and adds the calendar's timeline of its clock
(:meth:`~ukur.sla.calendar.BusinessCalendar.explain`): which stretches counted, which were outside opening
hours, on a weekend, a holiday (by name) or a closed day, which were paused (by status) and which were
excluded (by exclusion id). The ``counted_seconds`` of the timeline add up to the record's counted time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.sla.agreement import Agreement, Objective, ObjectiveKind
from ukur.sla.availability import measure_outages
from ukur.sla.clock_explain import timeline_to_dict
from ukur.sla.compliance import frame_records
from ukur.sla.evaluate import parse_as_of, prepare_history, prepare_stream
from ukur.sla.measure import measure_records

__all__ = ["RecordExplanation", "explain_record"]


@dataclass(frozen=True)
class RecordExplanation:
    """One record under one objective: the measured row and the timeline of its clock.

    ``measurement`` has the columns of ``Compliance.records`` (one row); ``timeline`` has the columns
    ``from, to, kind, reason, seconds, open_seconds, counted_seconds`` (empty for ratio objectives and
    invalid records, whose clock cannot be drawn).
    """

    stream: str
    record_id: str
    objective: Objective
    as_of: pd.Timestamp
    measurement: pd.DataFrame
    timeline: pd.DataFrame

    @property
    def status(self) -> str:
        """The record's status under the objective."""
        return str(self.measurement["status"].iloc[0])

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"stream", "id", "objective", "as_of", "measurement": {...}, "timeline": [...]}``."""
        return {
            "stream": self.stream,
            "id": self.record_id,
            "objective": self.objective.id,
            "as_of": self.as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "measurement": frame_records(self.measurement)[0],
            "timeline": timeline_to_dict(self.timeline) if len(self.timeline) else [],
        }


def explain_record(
    agreement: Agreement,
    records: Mapping[str, pd.DataFrame],
    record_id: str,
    *,
    objective: str | None = None,
    status_history: Mapping[str, pd.DataFrame] | None = None,
    as_of: datetime | str | pd.Timestamp | None = None,
) -> tuple[RecordExplanation, ...]:
    """Explain record ``record_id`` under ``objective`` (or every objective whose stream holds it).

    Raises :class:`~ukur.errors.DataError` when no given stream holds the record, or ``KeyError``-like
    :class:`~ukur.errors.DataError` when the objective is unknown.
    """
    now = parse_as_of(as_of, timezone=agreement.timezone)
    now64 = now.to_datetime64().astype("datetime64[ns]")
    if objective is not None:
        known = [o.id for o in agreement.objectives]
        if objective not in known:
            raise DataError(
                f"unknown objective {objective!r} (objectives: {', '.join(known)})", field="objective"
            )
    chosen = [o for o in agreement.objectives if objective is None or o.id == objective]
    result = []
    for obj in chosen:
        frame = records.get(obj.records)
        if frame is None or "id" not in frame.columns:
            continue
        full = prepare_stream(obj.records, frame, timezone=agreement.timezone)
        rows = np.flatnonzero(full.ids == str(record_id).strip())
        if len(rows) == 0:
            continue
        one = prepare_stream(obj.records, full.frame.iloc[rows[:1]], timezone=agreement.timezone)
        history = None
        if status_history is not None and obj.records in status_history:
            events = status_history[obj.records]
            if "record_id" in events.columns:
                mine = events[events["record_id"].astype(str).str.strip() == one.ids[0]]
                history = prepare_history(one, mine.reset_index(drop=True), [])
        cal = agreement.calendar(obj.calendar)
        exclusions = agreement.exclusions_for(obj.id)
        if obj.kind is ObjectiveKind.AVAILABILITY:
            row = measure_outages(obj, one, calendar=cal, exclusions=exclusions, as_of=now64)
        else:
            row = measure_records(obj, one, calendar=cal, exclusions=exclusions, history=history, as_of=now64)
        timeline = pd.DataFrame()
        if obj.kind is not ObjectiveKind.RATIO and row["status"].iloc[0] != "invalid":
            start = row["start"].iloc[0]
            stop = row["stop"].iloc[0]
            end = now if pd.isna(stop) else min(pd.Timestamp(stop), now)
            pauses = []
            if history is not None and obj.pause_when:
                for status, lo, hi in zip(history.status, history.start, history.stop, strict=True):
                    if status in obj.pause_when:
                        pauses.append((lo, end if np.isnat(hi) else hi, str(status)))
            windows = [(w.start, w.stop, e.id) for e in exclusions for w in e.windows]
            timeline = cal.explain(start, end, pauses, exclusions=windows)
        result.append(
            RecordExplanation(
                stream=obj.records,
                record_id=str(one.ids[0]),
                objective=obj,
                as_of=now,
                measurement=row.drop(columns=["at"], errors="ignore"),
                timeline=timeline,
            )
        )
    if not result:
        streams = ", ".join(sorted({o.records for o in chosen} & set(records))) or "none given"
        raise DataError(f"record {record_id!r} is in none of the record streams read ({streams})", field="id")
    return tuple(result)
