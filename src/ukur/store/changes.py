"""Change requests: either party proposes a new text for the newest version, the other party decides.

The workflow (issue 9, "review and change" of the SLA article):

1. A party (provider staff, or a user of the customer organisation) proposes a change to the newest
   version with a reason and the complete proposed YAML.  The text is validated by the SLA loader (parents
   resolved from the store, so a child that loosens its parent is refused with the line), must keep the
   agreement's ``id`` and must differ from the base version's content hash.
2. The *other* party accepts, rejects, or counters.  Accepting stores the proposed text as a new version
   (a draft until both parties sign it); countering closes the request as ``countered`` and opens a new
   request from the other side whose ``counter_of_id`` points back.
3. When the base version's contract states a change notice (``contract.change.notice``), a change that
   moves ``effective.from`` must leave at least that notice after the proposal, and an accepted change
   takes effect no earlier than the decision plus the notice (``effective_on``).

Every step writes the audit log; what a viewer may not see is 404 (the agreement is looked up through
:func:`ukur.store.agreements.get_agreement`, which applies the organisation filter).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ukur.errors import AgreementError, UkurError
from ukur.sla import Agreement as SlaAgreement
from ukur.sla.diff import AgreementDiff, content_hash, diff_agreements
from ukur.store import audit
from ukur.store.access import Viewer, not_found
from ukur.store.agreements import get_agreement, parse_agreement_text, validate_agreement
from ukur.store.errors import ConflictError, PermissionDenied
from ukur.store.models_changes import ChangeRequest
from ukur.store.models_sla import Agreement, AgreementVersion
from ukur.store.types import utcnow

__all__ = [
    "DECISIONS",
    "decide",
    "earliest_effective",
    "get_change",
    "list_changes",
    "load_version",
    "notice_days",
    "party_of",
    "propose",
    "version_diff",
]

DECISIONS = ("accept", "reject")
MAX_REASON = 5000


def party_of(viewer: Viewer) -> str:
    """The side ``viewer`` acts for: provider roles for the provider, customer users for the customer."""
    return "provider" if viewer.is_provider else "customer"


def load_version(session: Session, agreement: Agreement, version: AgreementVersion) -> SlaAgreement:
    """A stored version loaded by the SLA engine (parents resolved from the store)."""
    return validate_agreement(session, version.yaml_text, f"{agreement.slug}.yaml")


def version_diff(session: Session, agreement: Agreement, old: SlaAgreement, new_text: str) -> AgreementDiff:
    """The readable diff (tightened/loosened/changed) from a loaded version to ``new_text``."""
    return diff_agreements(old, validate_agreement(session, new_text, f"{agreement.slug}.yaml"))


def notice_days(agreement: SlaAgreement) -> int:
    """Whole days of the contract's change notice (``contract.change.notice``); 0 when none is stated."""
    notice = agreement.contract.change_notice if agreement.contract is not None else None
    if notice is None:
        return 0
    if notice.business_days is not None:
        return notice.business_days + math.ceil(notice.remainder_seconds / 86400)
    return math.ceil((notice.seconds or 0.0) / 86400)


def earliest_effective(base: SlaAgreement, on: date) -> date:
    """The first day a change agreed on ``on`` may take effect under ``base``'s change notice."""
    return on + timedelta(days=notice_days(base))


def _newest(session: Session, agreement_id: int) -> AgreementVersion:
    version = session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.agreement_id == agreement_id)
        .order_by(AgreementVersion.number.desc())
    )
    if version is None:
        raise UkurError("the agreement has no version yet", field="version")
    return version


def _checked_text(
    session: Session, agreement: Agreement, base: SlaAgreement, text: str, today: date
) -> tuple[SlaAgreement, str]:
    source = f"{agreement.slug}.yaml"
    parse_agreement_text(text, source)
    proposed = validate_agreement(session, text, source)
    if proposed.id != agreement.slug:
        raise AgreementError(
            f"the proposal must keep the agreement's id {agreement.slug!r} (it says {proposed.id!r})",
            source=source,
            field="id",
        )
    diff_agreements(base, proposed)  # a child that loosens its parent is refused here too
    moved = proposed.effective_from is not None and proposed.effective_from != base.effective_from
    earliest = earliest_effective(base, today)
    if moved and proposed.effective_from is not None and proposed.effective_from < earliest:
        raise AgreementError(
            f"effective.from {proposed.effective_from.isoformat()} is too early: the agreement asks for "
            f"{notice_days(base)} days' notice of a change, so it can take effect on {earliest.isoformat()} "
            "at the earliest",
            source=source,
            field="effective.from",
        )
    return proposed, content_hash(proposed)


def propose(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    base_number: int,
    yaml_text: str,
    reason: str,
    *,
    counter_of: int | None = None,
) -> ChangeRequest:
    """Propose ``yaml_text`` as a change to version ``base_number`` (which must be the newest).

    With ``counter_of`` the proposal answers an open request of the other party, which becomes
    ``countered``.  Raises :class:`AgreementError` (with the line) for an invalid text,
    :class:`ConflictError` for an outdated base or a text equal to the base, 404 for what is not visible.
    """
    agreement = get_agreement(session, viewer, agreement_id)
    party = party_of(viewer)
    if viewer.role not in ("admin", "staff", "customer"):
        raise PermissionDenied("only the provider's staff and the customer can propose changes")
    reason = reason.strip()
    if not reason:
        raise UkurError("say why the agreement should change", field="reason")
    if len(reason) > MAX_REASON:
        raise UkurError("the reason is longer than 5000 characters", field="reason")
    newest = _newest(session, agreement.id)
    if base_number != newest.number:
        raise ConflictError(
            f"version {base_number} is outdated: propose changes to version {newest.number}, the newest",
            field="version",
        )
    text = yaml_text.replace("\r\n", "\n")
    base = load_version(session, agreement, newest)
    _, digest = _checked_text(session, agreement, base, text, utcnow().date())
    if digest == newest.content_hash:
        raise ConflictError(f"the proposal says the same as version {newest.number}", field="yaml_text")
    answered = None
    if counter_of is not None:
        answered = get_change(session, viewer, agreement_id, counter_of)
        _ensure_open_for(answered, party)
    change = ChangeRequest(
        agreement_id=agreement.id,
        base_version_id=newest.id,
        proposer_id=viewer.user_id,
        proposer_party=party,
        reason=reason,
        yaml_text=text,
        content_hash=digest,
        status="proposed",
        counter_of_id=counter_of,
        decision_note="",
    )
    session.add(change)
    session.flush()
    if answered is not None:
        _close(answered, viewer, "countered", f"countered by change request {change.id}")
        audit.log(session, viewer, "counter", "change_request", answered.id, by=change.id)
    audit.log(
        session, viewer, "create", "change_request", change.id, agreement=agreement.slug, party=party,
        base=newest.number, hash=digest,
    )  # fmt: skip
    return change


def _ensure_open_for(change: ChangeRequest, party: str) -> None:
    if change.status != "proposed":
        raise ConflictError(f"change request {change.id} is already {change.status}", field="status")
    if change.proposer_party == party:
        raise PermissionDenied(f"the {party} proposed change request {change.id}: the other party decides")


def _close(change: ChangeRequest, viewer: Viewer, status: str, note: str) -> None:
    change.status = status
    change.decided_by = viewer.user_id
    change.decided_at = utcnow()
    change.decision_note = note.strip()


def decide(
    session: Session, viewer: Viewer, agreement_id: int, change_id: int, decision: str, note: str = ""
) -> ChangeRequest:
    """Accept or reject an open request of the other party.

    Accepting stores the proposed text as the next version (a draft until signed) and sets
    ``effective_on`` to the later of the proposed ``effective.from`` and the decision date plus the
    change notice.  The base must still be the newest version.
    """
    if decision not in DECISIONS:
        raise UkurError(f"decision must be one of {', '.join(DECISIONS)}", field="decision")
    agreement = get_agreement(session, viewer, agreement_id)
    change = get_change(session, viewer, agreement_id, change_id)
    _ensure_open_for(change, party_of(viewer))
    if decision == "reject":
        _close(change, viewer, "rejected", note)
        audit.log(session, viewer, "reject", "change_request", change.id)
        return change
    newest = _newest(session, agreement.id)
    if newest.id != change.base_version_id:
        raise ConflictError(
            f"version {change.base_version.number} was succeeded by version {newest.number} after this "
            "request was made: propose the change again on the newest version",
            field="version",
        )
    base = load_version(session, agreement, newest)
    today = utcnow().date()
    proposed, digest = _checked_text(session, agreement, base, change.yaml_text, today)
    number = (
        session.scalar(
            select(func.max(AgreementVersion.number)).where(AgreementVersion.agreement_id == agreement.id)
        )
        or 0
    ) + 1
    version = AgreementVersion(
        agreement_id=agreement.id,
        number=number,
        yaml_text=change.yaml_text,
        content_hash=digest,
        note=f"change request {change.id}: {change.reason}"[:2000],
        author_id=change.proposer_id,
    )
    session.add(version)
    session.flush()
    earliest = earliest_effective(base, today)
    change.effective_on = max(proposed.effective_from, earliest) if proposed.effective_from else earliest
    change.result_version_id = version.id
    _close(change, viewer, "accepted", note)
    audit.log(session, viewer, "accept", "change_request", change.id, version=number, hash=digest)
    audit.log(session, viewer, "create", "agreement_version", version.id, slug=agreement.slug, number=number)
    return change


def list_changes(session: Session, viewer: Viewer, agreement_id: int) -> list[ChangeRequest]:
    """The change requests of a visible agreement, newest first."""
    get_agreement(session, viewer, agreement_id)
    query = (
        select(ChangeRequest)
        .where(ChangeRequest.agreement_id == agreement_id)
        .order_by(ChangeRequest.id.desc())
    )
    return list(session.scalars(query))


def get_change(session: Session, viewer: Viewer, agreement_id: int, change_id: int) -> ChangeRequest:
    """One change request of a visible agreement, or 404."""
    get_agreement(session, viewer, agreement_id)
    change = session.scalar(
        select(ChangeRequest).where(ChangeRequest.id == change_id, ChangeRequest.agreement_id == agreement_id)
    )
    if change is None:
        raise not_found("change request", change_id)
    return change
