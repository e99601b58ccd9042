"""Claims under an agreement and their history: file → review → approve/deny → compensated.

A customer may file a claim on its own agreements; only the provider's staff move a claim on.  Each
step adds a :class:`~ukur.store.models_sla.ClaimEvent` (who, when, from, to, note), so the history is
the record of the dispute.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from ukur.errors import UkurError
from ukur.store import audit
from ukur.store.access import Viewer, ensure_can_edit_sla, not_found, org_filter
from ukur.store.agreements import get_agreement
from ukur.store.errors import ConflictError
from ukur.store.models_sla import Agreement, Claim, ClaimEvent
from ukur.store.types import utcnow

__all__ = ["TRANSITIONS", "file_claim", "get_claim", "list_claims", "move_claim"]

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "filed": ("in_review", "approved", "denied"),
    "in_review": ("approved", "denied"),
    "approved": ("compensated",),
    "denied": (),
    "compensated": (),
}


def _amount(value: str | Decimal | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise UkurError(f"not an amount: {value!r}", field="amount") from None
    if not amount.is_finite() or amount < 0:
        raise UkurError("the amount must be a non-negative number", field="amount")
    return amount


def file_claim(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    *,
    kind: str,
    stream: str | None = None,
    record_id: str | None = None,
    amount: str | Decimal | None = None,
    currency: str | None = None,
    description: str = "",
) -> Claim:
    """File a claim on a visible agreement (customers on their own, staff on any)."""
    get_agreement(session, viewer, agreement_id)
    if not kind.strip():
        raise UkurError("the claim needs a type (late, damaged, lost, ...)", field="kind")
    claim = Claim(
        agreement_id=agreement_id,
        kind=kind.strip()[:60],
        stream=(stream or "").strip() or None,
        record_id=(record_id or "").strip() or None,
        amount=_amount(amount),
        currency=(currency or "").strip().upper()[:3] or None,
        description=description.strip(),
        status="filed",
        filed_by=viewer.user_id,
    )
    claim.events.append(ClaimEvent(actor_id=viewer.user_id, from_status=None, to_status="filed"))
    session.add(claim)
    session.flush()
    audit.log(session, viewer, "file", "claim", claim.id, agreement_id=agreement_id, kind=claim.kind)
    return claim


def _visible(viewer: Viewer) -> Select[Claim]:
    return (
        select(Claim)
        .join(Agreement, Agreement.id == Claim.agreement_id)
        .where(org_filter(viewer, Agreement.customer_org_id))
        .options(selectinload(Claim.events))
    )


def list_claims(session: Session, viewer: Viewer, agreement_id: int | None = None) -> list[Claim]:
    query = _visible(viewer).order_by(Claim.id.desc())
    if agreement_id is not None:
        query = query.where(Claim.agreement_id == agreement_id)
    return list(session.scalars(query))


def get_claim(session: Session, viewer: Viewer, claim_id: int) -> Claim:
    claim = session.scalar(_visible(viewer).where(Claim.id == claim_id))
    if claim is None:
        raise not_found("claim", claim_id)
    return claim


def move_claim(session: Session, viewer: Viewer, claim_id: int, to_status: str, note: str = "") -> Claim:
    """Move a claim along :data:`TRANSITIONS` (provider staff only), recording the step."""
    claim = get_claim(session, viewer, claim_id)
    ensure_can_edit_sla(viewer)
    allowed = TRANSITIONS.get(claim.status, ())
    if to_status not in allowed:
        raise ConflictError(
            f"a {claim.status} claim cannot become {to_status}"
            + (f" (possible: {', '.join(allowed)})" if allowed else ""),
            field="status",
        )
    if claim.responded_at is None:
        claim.responded_at = utcnow()
    claim.events.append(
        ClaimEvent(actor_id=viewer.user_id, from_status=claim.status, to_status=to_status, note=note.strip())
    )
    audit.log(session, viewer, "move", "claim", claim.id, from_status=claim.status, to_status=to_status)
    claim.status = to_status
    session.flush()
    return claim
