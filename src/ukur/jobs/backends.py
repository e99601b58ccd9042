"""Choose the job backend: the embedded thread pool, or Redis with ``ukur worker`` processes.

``UKUR_QUEUE_URL`` empty (the default): jobs run on threads of the web process
(:class:`~ukur.jobs.local.ThreadJobQueue`), fine on one machine with one web process.
``UKUR_QUEUE_URL=redis://host:6379/0``: jobs are dispatched through Redis and run by ``ukur worker``
(:class:`~ukur.jobs.redis_backend.RedisJobQueue`), so several web processes and machines share them.
Either way callers only use ``submit`` and ``status``, and state lives in the database.
The setting is declared with the others in :data:`ukur.config.SETTINGS` (``Settings.queue_url``); the web
app passes it to :func:`make_queue`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from ukur.config import validate_queue_url
from ukur.jobs.base import JobRegistry
from ukur.jobs.local import ThreadJobQueue
from ukur.store.engine import SessionFactory

__all__ = ["QUEUE_URL_ENV", "make_queue", "queue_url"]

QUEUE_URL_ENV = "UKUR_QUEUE_URL"


def queue_url(environ: Mapping[str, str] | None = None) -> str:
    """``UKUR_QUEUE_URL`` of ``environ`` (default ``os.environ``), checked like ``Settings.queue_url``.

    ``""`` selects the embedded queue; otherwise a ``redis://``, ``rediss://`` or ``unix://`` URL.
    """
    return validate_queue_url((os.environ if environ is None else environ).get(QUEUE_URL_ENV, ""))


def make_queue(
    sessions: SessionFactory,
    kinds: JobRegistry,
    *,
    workers: int,
    lease_seconds: float,
    url: str | None = None,
) -> ThreadJobQueue:
    """The job queue for this process: Redis-dispatched when ``url`` (default ``UKUR_QUEUE_URL``) is set."""
    url = queue_url() if url is None else validate_queue_url(url)
    if not url:
        return ThreadJobQueue(sessions, workers=workers, lease_seconds=lease_seconds, jobs=kinds)
    from ukur.jobs.redis_backend import RedisJobQueue

    return RedisJobQueue(sessions, url, lease_seconds=lease_seconds, jobs=kinds)
