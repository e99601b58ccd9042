"""SQLAlchemy model of the evaluation cache: computed results stored as JSON, one row per cache key.

A row holds what :mod:`ukur.store.evaluation_cache` computed for one agreement: an SLA evaluation
(``kind='evaluation'``, the lossless JSON of :meth:`ukur.sla.Compliance.to_dict`) or a success page's
view (``kind='success'``).  ``key`` is the SHA-256 of everything the result depends on (the agreement's
version and parents, the data revision of its streams, claims and feedback, the period, the viewer's
organisation scope, the language), so a changed input simply misses.  ``scope`` and ``variant`` repeat
the readable parts of the key, so the newest *older* result of the same agreement, scope and variant can
be shown while a fresh one is computed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ukur.store.models import Base
from ukur.store.types import utcnow

__all__ = ["CachedResult"]


class CachedResult(Base):
    """One cached result: agreement, kind, scope (``provider`` or ``org:N``), variant, key and JSON."""

    __tablename__ = "evaluation_cache"
    __table_args__ = (Index("ix_evaluation_cache_lookup", "agreement_id", "kind", "scope", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(40))
    variant: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    result: Mapped[dict[str, Any]] = mapped_column()
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
