"""Migrations: an empty database upgrades to head, the models match the migrations, checks refuse old schemas."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from ukur.store import NotMigratedError, make_engine, migrate
from ukur.store.schema import metadata


def test_upgrade_from_empty_reaches_head_and_matches_models(empty_database_url):
    engine = make_engine(empty_database_url)
    with pytest.raises(NotMigratedError, match="ukur db upgrade"):
        migrate.check(engine)
    assert migrate.current_revision(engine) is None
    assert migrate.upgrade(engine) == migrate.head_revision()
    migrate.check(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    assert migrate.upgrade(engine) == migrate.head_revision()  # idempotent
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_older_revision_is_refused(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    with pytest.raises(NotMigratedError, match="revision old"):
        migrate.check(engine)
    engine.dispose()
