"""The audit log: every change any repository makes adds one entry in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ukur.store.access import Viewer
from ukur.store.models import AuditEntry

__all__ = ["log", "recent"]

SECRET_KEYS = frozenset({"password", "password_hash", "token", "token_hash", "secret"})


def log(
    session: Session,
    viewer: Viewer,
    action: str,
    entity: str,
    entity_id: object,
    **details: Any,
) -> AuditEntry:
    """Record that ``viewer`` did ``action`` (``create``, ``update``, ``sign``...) on ``entity``.

    Keys that could hold secrets are dropped from ``details`` so the log never stores one.
    """
    clean = {k: v for k, v in details.items() if k not in SECRET_KEYS}
    entry = AuditEntry(
        actor_id=viewer.user_id, action=action, entity=entity, entity_id=str(entity_id), details=clean
    )
    session.add(entry)
    return entry


def recent(session: Session, *, limit: int = 100, entity: str | None = None) -> list[AuditEntry]:
    """The newest entries first, optionally for one kind of entity."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    return list(session.scalars(query))
