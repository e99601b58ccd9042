"""``ukur db backup`` / ``ukur db restore`` round trips: restored into a fresh database, every row is equal.

SQLite through the online backup API (taken while a connection holds uncheckpointed WAL pages), and
PostgreSQL through pg_dump/pg_restore into a new database.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, select

from tests.conftest import PG_ADMIN_URL
from ukur.cli.main import run
from ukur.store import make_engine, make_session_factory, migrate, transaction
from ukur.store.demo import find_examples, load_demo
from ukur.store.schema import metadata


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [tuple(r) for r in connection.execute(select(table).order_by(*table.primary_key))]
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _fill(url: str) -> Engine:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as session:
        load_demo(session, find_examples())
    return engine


@pytest.fixture
def pg_databases(postgres_database: str) -> Iterator[tuple[str, str]]:
    """Two new PostgreSQL databases (source and restore target), dropped afterwards."""
    names = [f"ukur_backup_{secrets.token_hex(4)}" for _ in range(2)]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_database.rpartition("/")[0]
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_round_trip(source: str, target: str, file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["db", "backup", str(file), "--database-url", source]) == 0
    assert "backup written" in capsys.readouterr().out
    assert run(["db", "restore", str(file), "--database-url", target, "--yes"]) == 0
    before, after = _rows(source), _rows(target)
    assert (
        sum(len(v) for v in before.values()) > 100
    )  # the demo data: users, agreements, records, a PLS study
    assert after == before
    engine = make_engine(target)
    try:
        migrate.check(engine)  # the restored database is at the backup's schema revision
    finally:
        engine.dispose()


def test_sqlite_round_trip_while_the_database_is_open(tmp_path: Path, capsys) -> None:
    source = f"sqlite:///{tmp_path / 'ukur.db'}"
    engine = _fill(source)
    with engine.connect():  # an open connection: recent pages may still sit in the -wal file
        check_round_trip(source, f"sqlite:///{tmp_path / 'restored.db'}", tmp_path / "ukur.backup", capsys)
    engine.dispose()


@pytest.mark.postgres
def test_postgresql_round_trip_into_a_new_database(pg_databases, tmp_path: Path, capsys) -> None:
    source, target = pg_databases
    _fill(source).dispose()
    check_round_trip(source, target, tmp_path / "ukur.dump", capsys)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, capsys) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    code = run(["db", "restore", str(bogus), "--database-url", f"sqlite:///{tmp_path / 'x.db'}", "--yes"])
    assert code == 2
    assert "not a SQLite backup" in capsys.readouterr().err
