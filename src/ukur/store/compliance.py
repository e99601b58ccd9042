"""Evaluate a stored agreement against its stored records with the SLA engine.

The agreement's newest version is loaded (parents resolved from the database), its record streams are
read from the organisation the agreement covers (the customer's, or the provider's for an internal
agreement), and :func:`ukur.sla.evaluate` does the rest.  Visibility is checked first, so a customer can
only ever evaluate its own agreements.

:func:`cached_evaluation` and :func:`evaluation_view` go through :mod:`ukur.store.evaluation_cache`:
a result computed less than ``max_age`` seconds ago from the same version, records, status histories,
claims and period is read back (:meth:`ukur.sla.Compliance.from_dict`) instead of evaluated again.  An
evaluation does not depend on who asks (only whether they may see it), so its cache scope is ``all``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ukur.sla import Agreement as SlaAgreement
from ukur.sla import Compliance, RecordExplanation, evaluate, explain_record
from ukur.store import evaluation_cache
from ukur.store.access import Viewer
from ukur.store.agreements import get_agreement
from ukur.store.models_sla import Agreement, Claim, Record, RecordStatus, RecordStream

__all__ = [
    "EVALUATION",
    "CachedEvaluation",
    "EvaluationPlan",
    "cached_evaluation",
    "claims_frame",
    "compute_and_store",
    "evaluate_agreement",
    "evaluation_plan",
    "evaluation_view",
    "explain",
    "status_frames",
    "stream_frames",
]

EVALUATION = "evaluation"
"""The cache kind of SLA evaluations."""


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
    loaded = evaluation_cache.loaded_version(session, agreement).agreement
    return _evaluate(session, agreement, loaded, period=period, as_of=as_of)


def _evaluate(
    session: Session,
    agreement: Agreement,
    loaded: SlaAgreement,
    *,
    period: str | None = None,
    as_of: datetime | str | None = None,
) -> Compliance:
    owner = agreement.customer_org_id or agreement.provider_org_id
    frames = stream_frames(session, owner, list(loaded.streams))
    histories = status_frames(session, owner, list(frames))
    stored_claims = claims_frame(session, agreement.id) if loaded.claims is not None else None
    return evaluate(
        loaded,
        frames,
        status_history=histories or None,
        claims=stored_claims,
        period=period or None,
        as_of=as_of,
    )


@dataclass(frozen=True)
class EvaluationPlan:
    """What a cached evaluation needs: the visible agreement, its validated version and the cache key."""

    agreement: Agreement
    loaded: SlaAgreement
    owner_org_id: int
    variant: str
    key: str

    def record_count(self, session: Session) -> int:
        """How many records the agreement's streams hold (decides inline or background evaluation)."""
        return (
            session.scalar(
                select(func.count(Record.id))
                .join(RecordStream, RecordStream.id == Record.stream_id)
                .where(
                    RecordStream.organisation_id == self.owner_org_id,
                    RecordStream.name.in_(list(self.loaded.streams)),
                )
            )
            or 0
        )


@dataclass(frozen=True)
class CachedEvaluation:
    """An evaluation and when it was computed; ``refreshing``: it is stale (or missing) and being redone."""

    result: Compliance | None
    computed_at: datetime | None
    refreshing: bool = False
    key: str = ""
    """The cache key it stands for: a background refresh that failed for this key is not started again, one
    that failed for an older key (the data, the version or the period changed since) is."""


def evaluation_plan(
    session: Session, viewer: Viewer, agreement_id: int, *, period: str | None = None
) -> EvaluationPlan:
    """The cache key of the visible agreement's evaluation for ``period`` on the data stored now."""
    agreement = get_agreement(session, viewer, agreement_id)
    version = evaluation_cache.loaded_version(session, agreement)
    owner = agreement.customer_org_id or agreement.provider_org_id
    variant = f"period={period or ''}"
    parts = {
        "kind": EVALUATION,
        "agreement": agreement.id,
        "version": version.version_key,
        "streams": evaluation_cache.streams_revision(session, owner, list(version.agreement.streams)),
        "claims": evaluation_cache.claims_revision(session, agreement.id),
        "variant": variant,
    }
    return EvaluationPlan(agreement, version.agreement, owner, variant, evaluation_cache.cache_key(parts))


def _cached(session: Session, plan: EvaluationPlan, max_age: float) -> CachedEvaluation | None:
    row = evaluation_cache.lookup(session, plan.key)
    if row is None or not evaluation_cache.is_fresh(row, max_age):
        return None
    return CachedEvaluation(Compliance.from_dict(row.result, plan.loaded), row.computed_at)


def compute_and_store(
    session: Session, plan: EvaluationPlan, *, period: str | None = None
) -> CachedEvaluation:
    """Evaluate now and store the result under the plan's key."""
    result = _evaluate(session, plan.agreement, plan.loaded, period=period)
    stored = evaluation_cache.store(
        session,
        agreement_id=plan.agreement.id,
        kind=EVALUATION,
        scope="all",
        variant=plan.variant,
        key=plan.key,
        result=result.to_dict(exact=True),
    )
    return CachedEvaluation(result, stored)


def cached_evaluation(
    session: Session, viewer: Viewer, agreement_id: int, *, period: str | None = None, max_age: float = 300.0
) -> CachedEvaluation:
    """The evaluation of a visible agreement, from the cache when fresh, else computed (and stored) now."""
    plan = evaluation_plan(session, viewer, agreement_id, period=period)
    return _cached(session, plan, max_age) or compute_and_store(session, plan, period=period)


def evaluation_view(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    *,
    period: str | None = None,
    max_age: float = 300.0,
    inline_records: int = 200_000,
) -> CachedEvaluation:
    """What a page shows: a fresh cached result; else, for streams of at most ``inline_records``
    records, one computed now; else the newest older result (or none) with ``refreshing`` set, and the
    caller starts the background evaluation (:mod:`ukur.jobs.evaluation_refresh`)."""
    plan = evaluation_plan(session, viewer, agreement_id, period=period)
    found = _cached(session, plan, max_age)
    if found is not None:
        return found
    if plan.record_count(session) <= inline_records:
        return compute_and_store(session, plan, period=period)
    older = evaluation_cache.latest(session, plan.agreement.id, EVALUATION, "all", plan.variant)
    if older is None:
        return CachedEvaluation(None, None, refreshing=True, key=plan.key)
    try:
        result = Compliance.from_dict(older.result, plan.loaded)
    except ValueError:  # written for another version of the agreement: not worth showing
        return CachedEvaluation(None, None, refreshing=True, key=plan.key)
    return CachedEvaluation(result, older.computed_at, refreshing=True, key=plan.key)


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
    loaded = evaluation_cache.loaded_version(session, agreement).agreement
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
