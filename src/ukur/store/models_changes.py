"""SQLAlchemy model of change requests: one party proposes a new text for a version, the other decides.

A request names the agreement, the version it changes (``base_version_id``), who proposed it and for which
party, why, and the proposed YAML with its content hash.  The other party accepts (a new draft version is
stored and linked as ``result_version_id``), rejects, or counters: the request becomes ``countered`` and the
counter-proposal is a new request whose ``counter_of_id`` points back at it.  Decided requests never
change again, so the table is the negotiation's history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ukur.store.models import Base
from ukur.store.models_sla import AgreementVersion
from ukur.store.types import utcnow

__all__ = ["CHANGE_STATES", "ChangeRequest"]

CHANGE_STATES = ("proposed", "accepted", "rejected", "countered")
"""``proposed`` is open; the other three are final."""


class ChangeRequest(Base):
    """A proposed change to one version of an agreement and its decision."""

    __tablename__ = "change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    base_version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id", ondelete="CASCADE"))
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposer_party: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    yaml_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    counter_of_id: Mapped[int | None] = mapped_column(ForeignKey("change_requests.id", ondelete="SET NULL"))
    result_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement_versions.id", ondelete="SET NULL")
    )
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    effective_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    base_version: Mapped[AgreementVersion] = relationship(foreign_keys=[base_version_id])
    result_version: Mapped[AgreementVersion | None] = relationship(foreign_keys=[result_version_id])
