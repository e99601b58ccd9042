"""``ukur reminders send``: e-mail the agreements due for review or expiring soon (run it daily from cron)."""

from __future__ import annotations

import json
from datetime import date

import typer

from ukur.config import load_settings
from ukur.errors import UkurError
from ukur.reminders import send_reminders
from ukur.store import make_engine, make_session_factory, migrate, transaction

app = typer.Typer(help="Reminders about agreements due for review or expiring.", no_args_is_help=True)


@app.command("send")
def send(
    today: str | None = typer.Option(
        None, "--today", help="The day to count from (YYYY-MM-DD; default today)."
    ),
    within: int = typer.Option(30, "--within", min=0, help="Days ahead that count as due."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what is due as JSON without sending."),
    database_url: str | None = typer.Option(
        None, "--database-url", help="SQLAlchemy URL (default: UKUR_DATABASE_URL or sqlite:///./ukur.db)."
    ),
) -> None:
    """E-mail every user the agreements they see that are due for review or expire within ``--within`` days."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise UkurError(f"--today must be a date such as 2026-12-01, got {today!r}", field="today") from None
    settings = load_settings(database_url=database_url)
    engine = make_engine(settings.database_url)
    try:
        migrate.check(engine)
        with transaction(make_session_factory(engine)) as session:
            result = send_reminders(session, settings, today=day, within_days=within, dry_run=dry_run)
    finally:
        engine.dispose()
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    if not dry_run:
        typer.echo(f"{len(result['sent'])} e-mail(s) sent", err=True)
