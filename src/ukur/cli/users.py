"""``ukur users``: create accounts (the first administrator) and list them."""

from __future__ import annotations

import sys

import typer
from sqlalchemy import select

from ukur.config import load_settings
from ukur.errors import UkurError
from ukur.store import SYSTEM, accounts, make_engine, make_session_factory, migrate, transaction
from ukur.store.models import ROLES, Organisation

app = typer.Typer(help="User accounts.", no_args_is_help=True)

DATABASE_URL = typer.Option(
    None, "--database-url", help="SQLAlchemy URL (default: UKUR_DATABASE_URL or sqlite:///./ukur.db)."
)


@app.command("create")
def create(
    email: str = typer.Argument(..., help="The account's e-mail address (its sign-in name)."),
    admin: bool = typer.Option(False, "--admin", help="Make the account an administrator."),
    role: str | None = typer.Option(None, "--role", help=f"One of: {', '.join(ROLES)} (default staff)."),
    name: str = typer.Option("", "--name", help="Display name."),
    organisation: str | None = typer.Option(
        None, "--organisation", help="Organisation name (required for customers; created if missing)."
    ),
    password: str | None = typer.Option(
        None, "--password", help="The password; without it you are asked (terminal) or one is generated."
    ),
    database_url: str | None = DATABASE_URL,
) -> None:
    """Create an account, e.g. the first administrator: ``ukur users create --admin you@example.com``."""
    if admin and role not in (None, "admin"):
        raise UkurError("--admin and --role disagree", field="role")
    chosen_role = "admin" if admin else (role or "staff")
    generated = False
    if password is None:
        if sys.stdin.isatty():
            password = typer.prompt(
                "Password (empty: generate one)",
                default="",
                hide_input=True,
                show_default=False,
                confirmation_prompt=True,
            )
        if not password:
            password, generated = accounts.generate_password(), True
    settings = load_settings(database_url=database_url)
    engine = make_engine(settings.database_url)
    try:
        migrate.check(engine)
        with transaction(make_session_factory(engine)) as session:
            org_id = None
            if organisation:
                org = session.scalar(select(Organisation).where(Organisation.name == organisation.strip()))
                if org is None:
                    kind = "customer" if chosen_role == "customer" else "provider"
                    org = accounts.create_organisation(session, SYSTEM, organisation, kind)
                org_id = org.id
            user = accounts.create_user(
                session,
                SYSTEM,
                email=email,
                password=password,
                role=chosen_role,
                name=name,
                organisation_id=org_id,
            )
            created = (user.email, user.role)
    finally:
        engine.dispose()
    typer.echo(f"created {created[1]} {created[0]}")
    if generated:
        typer.echo(f"password (shown once): {password}")


@app.command("list")
def list_users(database_url: str | None = DATABASE_URL) -> None:
    """List accounts: e-mail, role, organisation, active."""
    settings = load_settings(database_url=database_url)
    engine = make_engine(settings.database_url)
    try:
        migrate.check(engine)
        with transaction(make_session_factory(engine)) as session:
            rows = [
                (
                    u.email,
                    u.role,
                    u.organisation.name if u.organisation else "-",
                    "active" if u.active else "inactive",
                )
                for u in accounts.list_users(session, SYSTEM)
            ]
    finally:
        engine.dispose()
    for row in rows:
        typer.echo("\t".join(row))
