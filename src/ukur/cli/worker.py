"""``ukur worker``: run background jobs dispatched through Redis (``UKUR_QUEUE_URL``), one at a time.

Start as many workers as there are cores to spare, on any machine that reaches the database and Redis.
The worker builds the same job kinds as the web app (it asks the app factory for its queue), so every
kind a web process can submit, a worker can run.  SIGTERM or Ctrl+C lets the current job finish.
"""

from __future__ import annotations

import socket

import typer

from ukur.config import load_settings


def worker(
    queue_url: str | None = typer.Option(
        None, "--queue-url", help="Redis URL (default: UKUR_QUEUE_URL), for example redis://127.0.0.1:6379/0."
    ),
    database_url: str | None = typer.Option(
        None, "--database-url", help="SQLAlchemy URL (default: UKUR_DATABASE_URL or sqlite:///./ukur.db)."
    ),
    burst: bool = typer.Option(False, "--burst", help="Stop when the queue is empty instead of waiting."),
    name: str | None = typer.Option(None, "--name", help="Worker name shown in Redis (default host:pid)."),
) -> None:
    """Run jobs from the Redis queue until stopped; the database must be migrated (`ukur db upgrade`)."""
    import os

    from ukur.errors import UkurError
    from ukur.jobs.redis_backend import RedisJobQueue, run_worker
    from ukur.web import create_app
    from ukur.web.logs import configure_logging

    settings = load_settings(database_url=database_url, queue_url=queue_url)
    if not settings.queue_url:
        raise UkurError("`ukur worker` needs a Redis URL: set UKUR_QUEUE_URL or pass --queue-url")
    configure_logging(settings.log_level)
    runner = create_app(settings).state.ukur.queue  # the app factory builds its queue from queue_url
    if not isinstance(runner, RedisJobQueue):
        raise UkurError("UKUR_QUEUE_URL did not select the Redis queue")
    typer.echo(f"ukur worker {runner.worker} waiting for jobs on {settings.queue_url} (Ctrl+C stops it)")
    run_worker(runner, burst=burst, name=name or f"{socket.gethostname()}.{os.getpid()}")
