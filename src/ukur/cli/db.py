"""``ukur db``: migrate the database and show its schema revision."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.engine import make_url

from ukur.config import load_settings
from ukur.store import make_engine, migrate

app = typer.Typer(
    help="Database: migrate, show the schema revision, back up and restore.", no_args_is_help=True
)

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


BACKUP_OUT = typer.Argument(..., help="Backup file to write (replaced if it exists).")
BACKUP_IN = typer.Argument(..., help="Backup file made by `ukur db backup`.")


@app.command("backup")
def backup(
    file: Path = BACKUP_OUT,
    database_url: str | None = DATABASE_URL,
) -> None:
    """Write a consistent backup of the running database (SQLite online backup, or pg_dump)."""
    from ukur.store import backup as backups

    settings = load_settings(database_url=database_url)
    written = backups.backup(settings.database_url, file)
    typer.echo(f"backup written to {written} ({written.stat().st_size} bytes)")


@app.command("restore")
def restore(
    file: Path = BACKUP_IN,
    database_url: str | None = DATABASE_URL,
    yes: bool = typer.Option(False, "--yes", help="Do not ask before replacing the database's content."),
) -> None:
    """Replace the database's content with a backup (stop the server and workers first)."""
    from ukur.store import backup as backups

    settings = load_settings(database_url=database_url)
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    if not yes and not typer.confirm(f"Replace everything in {where} with {file}?"):
        raise typer.Exit(1)
    backups.restore(settings.database_url, file)
    typer.echo(f"{where} restored from {file}; run `ukur db upgrade` if this ukur is newer than the backup")
