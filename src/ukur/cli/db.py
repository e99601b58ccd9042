"""``ukur db``: migrate the database and show its schema revision."""

from __future__ import annotations

import typer

from ukur.config import load_settings
from ukur.store import make_engine, migrate

app = typer.Typer(help="Database: migrate, show the schema revision.", no_args_is_help=True)

DATABASE_URL = typer.Option(
    None, "--database-url", help="SQLAlchemy URL (default: UKUR_DATABASE_URL or sqlite:///./ukur.db)."
)


@app.command("upgrade")
def upgrade(database_url: str | None = DATABASE_URL) -> None:
    """Create or migrate the database to the newest schema (safe to run again)."""
    settings = load_settings(database_url=database_url)
    engine = make_engine(settings.database_url)
    try:
        before = migrate.current_revision(engine)
        after = migrate.upgrade(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        typer.echo(f"{where} is up to date (revision {after})")
    else:
        typer.echo(f"{where} migrated from {before or 'empty'} to revision {after}")


@app.command("current")
def current(database_url: str | None = DATABASE_URL) -> None:
    """Show the database's schema revision and the revision this ukur needs."""
    settings = load_settings(database_url=database_url)
    engine = make_engine(settings.database_url)
    try:
        revision = migrate.current_revision(engine)
    finally:
        engine.dispose()
    head = migrate.head_revision()
    state = "up to date" if revision == head else "needs `ukur db upgrade`"
    typer.echo(f"database: {revision or 'empty'}; code: {head} ({state})")
