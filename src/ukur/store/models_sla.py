"""SQLAlchemy models of the SLA side: agreements and their versions, signatures, record streams, claims.

An agreement belongs to a provider organisation and (for customer and multilevel agreements) to a
customer organisation; the customer's users see it, nobody else outside the provider does.  Versions
are append-only: a version's YAML text and its SHA-256 never change, signatures are per version and
party.  Records are JSON payloads keyed by ``(stream, record_id)``, so re-uploading updates in place.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ukur.store.models import Base
from ukur.store.types import utcnow

__all__ = [
    "CLAIM_STATES",
    "Agreement",
    "AgreementVersion",
    "Claim",
    "ClaimEvent",
    "Record",
    "RecordStatus",
    "RecordStream",
    "Signature",
]

CLAIM_STATES = ("filed", "in_review", "approved", "denied", "compensated")


class Agreement(Base):
    """An agreement's identity (``slug`` is the YAML ``id``); its content lives in its versions."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    provider_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    customer_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", order_by="AgreementVersion.number", cascade="all, delete-orphan"
    )


class AgreementVersion(Base):
    """One stored version: the YAML text exactly as uploaded and the SHA-256 of that text."""

    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="versions")
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Signature.signed_at"
    )


class Signature(Base):
    """A party's signature on a version: who signed, as whom, when, and the content hash signed."""

    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("version_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True
    )
    party: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_role: Mapped[str] = mapped_column(String(200), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[AgreementVersion] = relationship(back_populates="signatures")


class RecordStream(Base):
    """A named stream of service records (``shipments``, ``tickets``) of one customer organisation."""

    __tablename__ = "record_streams"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Bumped by every change of the stream's records or status history (the evaluation cache's key)."""


class Record(Base):
    """One service record: its id within the stream and its fields as a JSON object."""

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("stream_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("record_streams.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordStatus(Base):
    """One status change of a record (for pause clocks): the record reached ``status`` at ``at``."""

    __tablename__ = "record_statuses"
    __table_args__ = (UniqueConstraint("stream_id", "record_id", "at", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("record_streams.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column()


class Claim(Base):
    """A customer's claim under an agreement (a late or damaged shipment), moved through :data:`CLAIM_STATES`."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="RESTRICT"), index=True)
    stream: Mapped[str | None] = mapped_column(String(100))
    record_id: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="filed")
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]

    events: Mapped[list[ClaimEvent]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="ClaimEvent.id"
    )


class ClaimEvent(Base):
    """One step in a claim's history: the state change, who made it, when, and why."""

    __tablename__ = "claim_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    claim: Mapped[Claim] = relationship(back_populates="events")
