"""Alembic migrations, run programmatically: no ``alembic.ini`` is needed on the user's machine.

``upgrade(engine)`` brings a database to the newest revision (creating it when empty);
``check(engine)`` raises :class:`~ukur.store.errors.NotMigratedError` with the command that fixes it.
The migration scripts live in ``ukur/store/migrations`` inside the package.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from ukur.store.errors import NotMigratedError

__all__ = ["alembic_config", "check", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the packaged scripts; ``engine`` is handed to ``env.py``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision the code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration scripts found in {MIGRATIONS}: the package is incomplete")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty (never migrated) database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Migrate the database to ``revision`` (default: the newest) and return the revision reached."""
    command.upgrade(alembic_config(engine), revision)
    reached = current_revision(engine)
    return reached or ""


def check(engine: Engine) -> None:
    """Raise :class:`NotMigratedError` unless the database is at the code's newest revision."""
    current = current_revision(engine)
    head = head_revision()
    if current != head:
        where = engine.url.render_as_string(hide_password=True)
        state = "empty (never migrated)" if current is None else f"at revision {current}"
        raise NotMigratedError(
            f"the database {where} is {state}, this ukur needs revision {head}: "
            "run `ukur db upgrade` (with the same --database-url) first"
        )
