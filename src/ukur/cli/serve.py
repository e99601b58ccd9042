"""``ukur serve``: run the web application (``--demo``: create, migrate and fill a fresh database first).

With ``--workers N`` every log line carries the ``pid`` of the process that wrote it, so a request can be
traced to the web process that served it.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import typer

from ukur.config import load_settings


def serve(
    host: str | None = typer.Option(None, "--host", help="Address to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port to listen on (default 8000)."),
    database_url: str | None = typer.Option(
        None, "--database-url", help="SQLAlchemy URL (default: UKUR_DATABASE_URL or sqlite:///./ukur.db)."
    ),
    demo: bool = typer.Option(
        False, "--demo", help="Migrate the database and, when it is empty, load the demo data and accounts."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Web processes sharing the port (use PostgreSQL, and Redis for jobs)."
    ),
) -> None:
    """Serve the web app and the API (docs at /api/docs); the database must be migrated unless --demo."""
    import uvicorn

    from ukur.store import make_engine, make_session_factory, migrate, transaction
    from ukur.store.accounts import count_users
    from ukur.store.demo import find_examples, load_demo
    from ukur.web import create_app
    from ukur.web.logs import configure_logging

    settings = load_settings(host=host, port=port, database_url=database_url)
    if demo:
        engine = make_engine(settings.database_url)
        try:
            migrate.upgrade(engine)
            with transaction(make_session_factory(engine)) as session:
                result = load_demo(session, find_examples()) if count_users(session) == 0 else None
        finally:
            engine.dispose()
        if result is not None:
            typer.echo("Demo data loaded: " + (", ".join(result.loaded) or "accounts only"))
            for skipped in result.skipped:
                typer.echo(f"  skipped {skipped}")
            typer.echo("Demo accounts (passwords are shown only now):")
            for email, role, password in result.accounts:
                typer.echo(f"  {role:<10} {email:<28} {password}")
    target: Any = "ukur.cli.serve:app_from_environment"  # uvicorn imports it in each web process
    if workers == 1:
        target = create_app(settings)
    else:  # the web processes build their own apps; this one only checks the schema (and holds no pool)
        engine = make_engine(settings.database_url)
        try:
            migrate.check(engine)
        finally:
            engine.dispose()
    configure_logging(settings.log_level)
    if workers > 1:
        name_the_process_in_logs()
    typer.echo(f"ukur is serving on http://{settings.host}:{settings.port}/ (Ctrl+C stops it)")
    sys.stdout.flush()  # the passwords above must reach a log file before the server's own lines
    if workers > 1:  # uvicorn starts each process from an import string; flags travel in the environment
        os.environ.update(  # one signing key for all processes, or a sign-in works on one of them only
            UKUR_DATABASE_URL=settings.database_url,
            UKUR_HOST=settings.host,
            UKUR_SECRET_KEY=settings.signing_key,
        )
    uvicorn.run(
        target,
        factory=workers > 1,
        workers=workers,
        timeout_worker_healthcheck=120,  # a new process imports numpy, scipy and the app first
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )


def app_from_environment() -> object:
    """The app of one web process of ``ukur serve --workers N`` (settings from the environment)."""
    from ukur.web import create_app
    from ukur.web.logs import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level)
    name_the_process_in_logs()
    return create_app(settings)


class _ProcessId(logging.Filter):
    """Adds ``pid`` to the fields of every record (the JSON formatter writes them into the line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = getattr(record, "fields", None)
        record.fields = {**fields, "pid": os.getpid()} if isinstance(fields, dict) else {"pid": os.getpid()}
        return True


def name_the_process_in_logs() -> None:
    """Make the log lines of this process (ukur's and uvicorn's) say which process wrote them."""
    for name in ("ukur", "uvicorn", "uvicorn.error"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, _ProcessId) for f in handler.filters):
                handler.addFilter(_ProcessId())
