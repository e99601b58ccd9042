"""Engines, sessions and transactions: SQLite (WAL, foreign keys on) or PostgreSQL through psycopg 3.

Every write goes through :func:`transaction`, which commits on success and rolls back on any exception,
so a failed import leaves nothing half-written.  Sessions are created with ``expire_on_commit=False``:
objects returned from a finished transaction can still be read (not lazily loaded) by templates.

SQLite writers of one process queue in order (:class:`WriterQueue`) instead of polling SQLite's lock: with
many concurrent writers (100 API clients posting records) polling left the lock idle between polls and
made some writers wait out the busy timeout and fail, while a queue hands the lock on at once.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ukur.errors import UkurError

__all__ = ["SessionFactory", "WriterQueue", "make_engine", "make_session_factory", "transaction"]

SessionFactory = sessionmaker[Session]

SQLITE_BUSY_SECONDS = 10
"""How long a SQLite writer waits for the database (in this process's queue, then on SQLite's lock)."""
POOL_SIZE = 5
POOL_OVERFLOW = 45
"""Connections kept open, and opened on demand (closed when returned), per engine: enough for every
thread that may hold one at once -- the 40 threads FastAPI runs synchronous routes on, the job threads,
the heartbeat.  A request holds its connection until its commit, which comes after it has waited for a
thread to serialise its response: with fewer connections than threads, threads waiting for a connection
held every thread and the requests holding connections stalled until the pool timeout."""

_WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "SAVEPOINT")
"""Statements that join the writer queue (by their first word).  A SAVEPOINT outside a transaction
starts one, and the writes inside it would otherwise pass the queue; it is nearly always taken to write."""


class WriterQueue:
    """One writing transaction at a time per SQLite database file in this process, first come first served.

    SQLite has one write lock per database; a writer that finds it taken sleeps and retries (up to 100 ms
    between tries, in no order) until ``busy_timeout``.  Under many concurrent writers the lock sat idle
    between retries and unlucky writers timed out.  Here a connection takes its place in the queue at its
    first writing statement and leaves it when its transaction ends (commit, rollback or close), so the
    next writer starts at once.  Readers never queue (WAL).  Writers of other processes still meet
    SQLite's own lock and ``busy_timeout``.

    A connection's transaction moves between threads (a request writes on one, commits on another), so
    the queue belongs to connections, not threads.  A thread writing through two connections at once
    waits for itself until the timeout and fails with "database is locked", as it did on SQLite's lock.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()
        self._holder: object | None = None

    def acquire(self, connection: object, timeout: float) -> None:
        """Wait for ``connection``'s turn and take it; SQLite's "database is locked" after ``timeout`` s."""
        with self._changed:
            if self._holder is connection:
                return
            self._waiting.append(connection)
            try:
                turn = self._changed.wait_for(
                    lambda: self._holder is None and self._waiting[0] is connection, timeout
                )
            finally:
                self._waiting.remove(connection)
            if not turn:
                self._changed.notify_all()  # the writer behind us may be first now
                raise sqlite3.OperationalError(
                    f"database is locked (waited {timeout:g} s behind other writers of this process)"
                )
            self._holder = connection

    def release(self, connection: object) -> None:
        """End ``connection``'s turn (nothing happens when it does not hold the queue)."""
        with self._changed:
            if self._holder is connection:
                self._holder = None
                self._changed.notify_all()


_queues: dict[str, WriterQueue] = {}
_queues_lock = threading.Lock()


def _writer_queue(database: object) -> WriterQueue | None:
    """The queue of a database file (by its real path); None for in-memory and URI databases."""
    if not isinstance(database, str | os.PathLike):
        return None
    name = os.fsdecode(database)
    if name in ("", ":memory:") or name.startswith("file:"):
        return None
    key = os.path.realpath(name)
    with _queues_lock:
        return _queues.setdefault(key, WriterQueue())


class _QueuedCursor(sqlite3.Cursor):
    """A cursor that takes its connection's place in the writer queue before the first write."""

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        self._before(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Self:
        self._before(sql)
        return super().executemany(sql, seq_of_parameters)

    def _before(self, sql: str) -> None:
        connection = self.connection
        if isinstance(connection, QueuedSQLiteConnection) and sql.lstrip()[:9].upper().startswith(
            _WRITE_STATEMENTS
        ):
            connection.wait_for_turn()


class QueuedSQLiteConnection(sqlite3.Connection):
    """A sqlite3 connection whose writing transactions go through its database's :class:`WriterQueue`."""

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._queue = _writer_queue(database)
        self._queue_timeout = float(kwargs.get("timeout", SQLITE_BUSY_SECONDS))
        self._holding = False

    def wait_for_turn(self) -> None:
        """Queue for the write lock unless this connection holds it or is already writing without it
        (a transaction begun by a statement the queue does not recognise: SQLite's lock decides then)."""
        if self._queue is not None and not self._holding and not self.in_transaction:
            self._queue.acquire(self, self._queue_timeout)
            self._holding = True

    def _end_turn(self) -> None:
        if self._holding and not self.in_transaction:
            self._holding = False
            if self._queue is not None:
                self._queue.release(self)

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or _QueuedCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:  # the C version skips cursor() above
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, seq_of_parameters)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._holding = False
            if self._queue is not None:
                self._queue.release(self)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on (SQLite's default is off), WAL for concurrent readers, wait instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` (``sqlite:///file.db`` or ``postgresql+psycopg://...``) with ukur's settings.

    A bare ``postgresql://`` URL is read as psycopg 3.  SQLite connections may be shared between the
    request threads and the job threads (each connection is still used by one thread at a time); their
    writers queue per process (:class:`WriterQueue`).  Pools have a connection for every thread
    (:data:`POOL_OVERFLOW`).
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
        connect_args.setdefault("timeout", SQLITE_BUSY_SECONDS)
        connect_args.setdefault("factory", QueuedSQLiteConnection)
        if parsed.database not in (None, "", ":memory:"):  # in-memory databases use one connection
            kwargs.setdefault("pool_size", POOL_SIZE)
            kwargs.setdefault("max_overflow", POOL_OVERFLOW)
        engine = create_engine(parsed, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", POOL_SIZE)
    kwargs.setdefault("max_overflow", POOL_OVERFLOW)
    return create_engine(parsed, **kwargs)


def make_session_factory(engine: Engine) -> SessionFactory:
    """A session factory bound to ``engine`` whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: SessionFactory) -> Iterator[Session]:
    """``with transaction(factory) as session:`` — commit on success, roll back on any exception."""
    with factory() as session, session.begin():
        yield session
