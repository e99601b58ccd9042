"""Evaluate a large stored stream one period at a time, so memory is bounded by the largest period.

:func:`ukur.store.compliance.evaluate_agreement` reads every stored record of the agreement's streams
into one DataFrame — right for the pages (thousands of records), too much for a courier's year of ten
million.  Here the SLA engine (:func:`ukur.sla.evaluate`, unchanged) runs once per period (a month such
as ``2026-01``), on the records whose window-placing field (an objective's ``at``, else its ``start``)
falls in that period.  The database narrows the rows with a text range on that JSON field, widened by
one day on each side because stored times carry their own UTC offsets (at most ±14 h); the engine's own
``period`` then decides exactly.  Times must be ISO 8601 text (what the import and the API store).
Each period's records are freed before the next are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ukur.sla import Compliance, evaluate
from ukur.sla.windows import parse_period
from ukur.store import evaluation_cache
from ukur.store.access import Viewer
from ukur.store.agreements import get_agreement
from ukur.store.compliance import claims_frame, status_frames
from ukur.store.models_sla import Record, RecordStream

__all__ = ["evaluate_by_period"]


def evaluate_by_period(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    periods: list[str],
    *,
    as_of: datetime | str | None = None,
) -> Iterator[tuple[str, Compliance]]:
    """``(period, Compliance)`` for each period, reading only that period's records of each stream."""
    agreement = get_agreement(session, viewer, agreement_id)
    loaded = evaluation_cache.loaded_version(session, agreement).agreement  # validated once per version
    owner = agreement.customer_org_id or agreement.provider_org_id
    fields: dict[str, set[str]] = {}
    for objective in loaded.objectives:
        placing = objective.at or objective.start
        if placing:
            fields.setdefault(objective.records, set()).add(placing)
    histories = status_frames(session, owner, list(loaded.streams)) or None
    stored_claims = claims_frame(session, agreement_id) if loaded.claims is not None else None
    for period in periods:
        span = parse_period(period, timezone=loaded.timezone)
        low = (_naive_utc(span.start) - timedelta(days=1)).isoformat()
        high = (_naive_utc(span.end) + timedelta(days=1)).isoformat()
        frames: dict[str, pd.DataFrame] = {}
        for name in loaded.streams:
            query = (
                select(Record.payload)
                .join(RecordStream, RecordStream.id == Record.stream_id)
                .where(RecordStream.organisation_id == owner, RecordStream.name == name)
            )
            if fields.get(name):
                query = query.where(
                    or_(*(Record.payload[f].as_string().between(low, high) for f in sorted(fields[name])))
                )
            payloads = list(session.scalars(query.execution_options(yield_per=50_000)))
            if payloads:
                frames[name] = pd.DataFrame.from_records(payloads)
            del payloads
        yield (
            period,
            evaluate(
                loaded, frames, status_history=histories, claims=stored_claims, period=span, as_of=as_of
            ),
        )
        del frames


def _naive_utc(moment: pd.Timestamp) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo is not None else stamp
