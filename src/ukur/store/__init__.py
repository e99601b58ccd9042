"""Storage: SQLAlchemy models, repositories (small functions, one transaction per write) and migrations.

Typical use::

    from ukur.store import make_engine, make_session_factory, transaction, migrate, agreements, Viewer

    engine = make_engine(settings.database_url)
    migrate.check(engine)                        # or migrate.upgrade(engine)
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        agreements.upload_agreement(session, viewer, yaml_text)

Repository modules: :mod:`accounts`, :mod:`agreements`, :mod:`records`, :mod:`claims`, :mod:`pls`,
:mod:`jobs`, :mod:`audit`, :mod:`compliance` (stored agreement + records → the SLA engine); who sees
what is decided in :mod:`access` only.
"""

from ukur.store import access, accounts, agreements, audit, claims, compliance, jobs, migrate, pls, records
from ukur.store.access import SYSTEM, Viewer
from ukur.store.engine import SessionFactory, make_engine, make_session_factory, transaction
from ukur.store.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    NotMigratedError,
    PermissionDenied,
)

__all__ = [
    "SYSTEM",
    "AuthenticationError",
    "ConflictError",
    "NotFoundError",
    "NotMigratedError",
    "PermissionDenied",
    "SessionFactory",
    "Viewer",
    "access",
    "accounts",
    "agreements",
    "audit",
    "claims",
    "compliance",
    "jobs",
    "make_engine",
    "make_session_factory",
    "migrate",
    "pls",
    "records",
    "transaction",
]
