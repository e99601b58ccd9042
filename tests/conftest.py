"""Shared fixtures: databases for the store, job and web tests, on SQLite and on PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (trust authentication, user ``postgres``).  One database
``ukur_test_<random>`` is created per test session and dropped at its end; every test gets its own
schema in it, so tests never see each other's rows.  When the server cannot be reached the PostgreSQL
tests FAIL under ``CI=true`` (CI must run them) and are skipped, with the reason shown, elsewhere.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import Engine

from ukur.store import accounts, make_engine, make_session_factory, migrate
from ukur.store.engine import SessionFactory
from ukur.store.schema import metadata

PG_ADMIN_URL = os.environ.get("UKUR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
accounts.set_hasher(
    PasswordHasher.from_parameters(CHEAPEST)
)  # argon2id still, just fast: tests sign in a lot

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_unavailable(reason: str) -> None:
    message = f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({reason}); PostgreSQL tests not run"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " — CI must run them", pytrace=False)
    pytest.skip(message)


def sla_yaml(
    ident: str, customer: str, title: str | None = None, *, target: str = "24h", extra: str = ""
) -> str:
    """A small valid ``sla/v1`` customer agreement (one on-time objective) for store and web tests."""
    return (
        f"ukur: sla/v1\nid: {ident}\ntitle: {title or ident}\ntype: customer\n"
        f"provider: {{name: PT Kilat}}\ncustomer: {{name: {customer}}}\ntimezone: Asia/Jakarta\n"
        "services: [{id: delivery, description: Same-day delivery}]\n"
        "objectives:\n  - {id: on-time, service: delivery, kind: duration, records: shipments, "
        f"start: picked_up_at, stop: delivered_at, calendar: 24x7, target: {target}, goal: 95%, window: month}}\n"
        + extra
    )


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (its SQLAlchemy URL); dropped afterwards."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        _pg_unavailable(str(exc))
    name = f"ukur_test_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _pg_unavailable(str(exc).strip().splitlines()[0] if str(exc).strip() else "connection failed")
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A never-migrated database: a new SQLite file, or a new schema in the session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'ukur.db'}"
    return _new_schema(request.getfixturevalue("postgres_database"))


def _new_schema(url: str) -> str:
    schema = f"t_{secrets.token_hex(6)}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return f"{url}?options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ukur.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def _postgres_migrated(postgres_database: str) -> str:
    url = _new_schema(postgres_database)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database without rows: a copy of a migrated SQLite file, or PostgreSQL's shared
    migrated schema with every table emptied (migrating once per session keeps the suite fast)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "ukur.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("_postgres_migrated")
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on each backend."""
    eng = make_engine(database_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's headless chromium for the browser tests of one module (see :mod:`tests.browser`)."""
    from tests.browser import launch_chromium

    with launch_chromium() as chromium:
        yield chromium


LOGGERS = ("ukur", "uvicorn", "uvicorn.error", "uvicorn.access")
"""The loggers :func:`ukur.web.logs.configure_logging` (run by ``ukur serve``) reconfigures."""


@pytest.fixture(autouse=True)
def restore_loggers() -> Iterator[None]:
    """Undo any test's logging configuration, so an in-process ``ukur serve`` does not leave the ``ukur``
    logger detached (``propagate = False``) and hide later tests' records from ``caplog``."""
    saved = [
        (logger, logger.handlers[:], logger.level, logger.propagate, logger.disabled)
        for logger in map(logging.getLogger, LOGGERS)
    ]
    yield
    for logger, handlers, level, propagate, disabled in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled
