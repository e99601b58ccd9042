"""Engines, sessions and transactions: SQLite (WAL, foreign keys on) or PostgreSQL through psycopg 3.

Every write goes through :func:`transaction`, which commits on success and rolls back on any exception,
so a failed import leaves nothing half-written.  Sessions are created with ``expire_on_commit=False``:
objects returned from a finished transaction can still be read (not lazily loaded) by templates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ukur.errors import UkurError

__all__ = ["SessionFactory", "make_engine", "make_session_factory", "transaction"]

SessionFactory = sessionmaker[Session]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on (SQLite's default is off), WAL for concurrent readers, wait instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` (``sqlite:///file.db`` or ``postgresql+psycopg://...``) with ukur's settings.

    A bare ``postgresql://`` URL is read as psycopg 3.  SQLite connections may be shared between the
    request threads and the job threads (each connection is still used by one thread at a time).
    """
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise UkurError(f"cannot read the database URL: {exc}", field="database_url") from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", 10)
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def make_session_factory(engine: Engine) -> SessionFactory:
    """A session factory bound to ``engine`` whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: SessionFactory) -> Iterator[Session]:
    """``with transaction(factory) as session:`` — commit on success, roll back on any exception."""
    with factory() as session, session.begin():
        yield session
