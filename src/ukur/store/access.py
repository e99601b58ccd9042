"""Who may see and change what: the one place where roles become query filters and permission checks.

Every repository function that reads organisation-owned data takes a :class:`Viewer` and narrows its
query with :func:`org_filter`; pages and API routes never filter by hand.  The rules:

========== ============================================ ===========================================
role       sees                                         changes
========== ============================================ ===========================================
admin      everything                                   everything, including users
staff      every agreement, record and claim            agreements, records, claims (not users)
customer   its own organisation's agreements, records   nothing (read-only; it may file claims)
           and claims; nothing else exists for it
researcher its own PLS projects (admin sees all)        its own PLS projects
========== ============================================ ===========================================

What a viewer may not see raises :class:`~ukur.store.errors.NotFoundError` (HTTP 404), never 403, so a
customer cannot even learn that another organisation's agreement exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, true

from ukur.store.errors import NotFoundError, PermissionDenied
from ukur.store.models import User

__all__ = [
    "SYSTEM",
    "Viewer",
    "ensure_can_edit_sla",
    "ensure_can_manage_users",
    "ensure_can_use_pls",
    "not_found",
    "org_filter",
]

PROVIDER_ROLES = frozenset({"admin", "staff"})


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person (or the system, ``user_id=None``) on whose behalf a repository call runs."""

    user_id: int | None
    role: str
    organisation_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(user_id=user.id, role=user.role, organisation_id=user.organisation_id)

    @property
    def is_provider(self) -> bool:
        """Admin and staff work for the provider and see every organisation's SLA data."""
        return self.role in PROVIDER_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


SYSTEM = Viewer(user_id=None, role="admin")
"""The viewer for the CLI, the demo loader and background jobs: sees and may change everything."""


def org_filter(viewer: Viewer, column: Any) -> ColumnElement[bool]:
    """The WHERE clause limiting SLA data to what ``viewer`` may see; ``column`` is the owning org id.

    Provider roles see all rows, customers the rows of their own organisation, researchers none.
    """
    if viewer.is_provider:
        return true()
    if viewer.role == "customer" and viewer.organisation_id is not None:
        return column == viewer.organisation_id
    return false()


def not_found(what: str, ident: object) -> NotFoundError:
    """The error for something missing or invisible (the same message for both, on purpose)."""
    return NotFoundError(f"{what} {ident} not found", field=what)


def ensure_can_edit_sla(viewer: Viewer) -> None:
    """Only provider roles change agreements, records and claims' decisions."""
    if not viewer.is_provider:
        raise PermissionDenied("only the provider's staff can change agreements and records")


def ensure_can_manage_users(viewer: Viewer) -> None:
    """Only admins create, change or deactivate accounts and organisations."""
    if not viewer.is_admin:
        raise PermissionDenied("only an administrator can manage users and organisations")


def ensure_can_use_pls(viewer: Viewer) -> None:
    """PLS projects are for researchers and admins."""
    if viewer.role not in {"researcher", "admin"}:
        raise PermissionDenied("PLS projects are for researchers")
