"""Evaluate a stored agreement against its stored records with the SLA engine.

The agreement's newest version is loaded (parents resolved from the database), its record streams are
read from the organisation the agreement covers (the customer's, or the provider's for an internal
agreement), and :func:`ukur.sla.evaluate` does the rest.  Visibility is checked first, so a customer can
only ever evaluate its own agreements.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.sla import Compliance, RecordExplanation, evaluate, explain_record
from ukur.store.access import Viewer
from ukur.store.agreements import get_agreement, validate_agreement
from ukur.store.models_sla import Claim, Record, RecordStatus, RecordStream

__all__ = ["claims_frame", "evaluate_agreement", "explain", "status_frames", "stream_frames"]


def stream_frames(
    session: Session, organisation_id: int, names: tuple[str, ...] | list[str]
) -> dict[str, pd.DataFrame]:
    """One DataFrame per stored stream of the organisation (columns: the records' JSON fields)."""
    frames: dict[str, pd.DataFrame] = {}
    for name in names:
        stream_id = session.scalar(
            select(RecordStream.id).where(
                RecordStream.organisation_id == organisation_id, RecordStream.name == name
            )
        )
        if stream_id is None:
            continue
        payloads = list(session.scalars(select(Record.payload).where(Record.stream_id == stream_id)))
        if payloads:
            frames[name] = pd.DataFrame.from_records(payloads)
    return frames


def evaluate_agreement(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    *,
    period: str | None = None,
    as_of: datetime | str | None = None,
) -> Compliance:
    """The compliance of a visible agreement's newest version on the stored records."""
    agreement = get_agreement(session, viewer, agreement_id)
    if not agreement.versions:
        raise UkurError(f"agreement {agreement.slug} has no version", field="agreement")
    loaded = validate_agreement(session, agreement.versions[-1].yaml_text, f"{agreement.slug}.yaml")
    owner = agreement.customer_org_id or agreement.provider_org_id
    frames = stream_frames(session, owner, list(loaded.streams))
    histories = status_frames(session, owner, list(frames))
    stored_claims = claims_frame(session, agreement_id) if loaded.claims is not None else None
    return evaluate(
        loaded,
        frames,
        status_history=histories or None,
        claims=stored_claims,
        period=period or None,
        as_of=as_of,
    )


def explain(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    record_id: str,
    *,
    objective: str | None = None,
    as_of: datetime | str | None = None,
) -> tuple[RecordExplanation, ...]:
    """The clock of one stored record under a visible agreement's objectives (the SLA engine's explanation)."""
    agreement = get_agreement(session, viewer, agreement_id)
    if not agreement.versions:
        raise UkurError(f"agreement {agreement.slug} has no version", field="agreement")
    loaded = validate_agreement(session, agreement.versions[-1].yaml_text, f"{agreement.slug}.yaml")
    owner = agreement.customer_org_id or agreement.provider_org_id
    frames = stream_frames(session, owner, list(loaded.streams))
    histories = status_frames(session, owner, list(frames))
    return explain_record(
        loaded, frames, record_id, objective=objective, status_history=histories or None, as_of=as_of
    )


def status_frames(session: Session, organisation_id: int, names: list[str]) -> dict[str, pd.DataFrame]:
    """The stored status histories (``record_id, status, at`` in UTC ISO 8601) of the named streams."""
    frames: dict[str, pd.DataFrame] = {}
    for name in names:
        rows = session.execute(
            select(RecordStatus.record_id, RecordStatus.status, RecordStatus.at)
            .join(RecordStream, RecordStream.id == RecordStatus.stream_id)
            .where(RecordStream.organisation_id == organisation_id, RecordStream.name == name)
            .order_by(RecordStatus.record_id, RecordStatus.at)
        ).all()
        if rows:
            frames[name] = pd.DataFrame(
                [(r, s, at.isoformat()) for r, s, at in rows], columns=["record_id", "status", "at"]
            )
    return frames


def claims_frame(session: Session, agreement_id: int) -> pd.DataFrame | None:
    """The agreement's stored claims as the engine's claims table (``id, record_id, filed_at, ...``)."""
    stored = list(session.scalars(select(Claim).where(Claim.agreement_id == agreement_id).order_by(Claim.id)))
    if not stored:
        return None
    return pd.DataFrame(
        [
            {
                "id": str(c.id),
                "record_id": c.record_id or "",
                "filed_at": c.filed_at.isoformat(),
                "type": c.kind,
                "amount": float(c.amount) if c.amount is not None else None,
                "status": c.status,
                "responded_at": c.responded_at.isoformat() if c.responded_at else None,
            }
            for c in stored
        ]
    )
