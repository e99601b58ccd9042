"""The job queue past one machine: the database keeps every job's state, Redis (through RQ) dispatches.

Why this split: the embedded queue (:mod:`ukur.jobs.local`) already keeps state, progress, leases and
retries in the ``jobs`` table, and every web process reads status from there.  Redis only has to carry
"job N is ready" to whichever ``ukur worker`` is free.  RQ does that with a plain Redis list per queue
and a worker loop, and nothing else has to trust it: a worker claims the job row with a conditional
``UPDATE`` (:func:`ukur.store.jobs.claim_job`), so a message delivered twice runs the job once, and a
message lost with Redis is re-sent by the next heartbeat of any process (queued rows older than a lease
are dispatched again).

* :class:`RedisJobQueue` in the web processes: ``submit`` stores the row and enqueues
  ``perform(job_id)``; ``status`` reads the row.  Its heartbeat reaps jobs of dead workers (lease
  expiry: retried when attempts are left, else failed with ``WorkerLost``) and re-dispatches them.
* :func:`run_worker` in ``ukur worker``: an RQ ``SimpleWorker`` (jobs run in the worker process itself,
  no fork per job, so the database pool and the heartbeat thread stay valid) executes ``perform``,
  which claims the row, runs the registered function with progress as heartbeat and stores the result.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ukur.errors import UkurError
from ukur.jobs.base import JobRegistry
from ukur.jobs.local import ThreadJobQueue
from ukur.store.engine import SessionFactory, transaction
from ukur.store.models import Job
from ukur.store.types import utcnow

__all__ = ["QUEUE_NAME", "RedisJobQueue", "perform", "redis_connection", "run_worker"]

log = logging.getLogger("ukur.jobs")
QUEUE_NAME = "ukur"
RQ_JOB_TIMEOUT = 24 * 3600  # the lease decides whether a job is alive; RQ's own timeout only catches hangs
_RUNNER: RedisJobQueue | None = None


def redis_connection(url: str) -> Any:
    """A Redis client for ``url`` (``redis://host:port/db``), checked with a ping."""
    import redis

    try:
        client = redis.Redis.from_url(url)
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        raise UkurError(f"cannot reach the job queue at {url}: {exc}", field="queue_url") from None
    return client


class RedisJobQueue(ThreadJobQueue):
    """:class:`~ukur.jobs.base.JobQueue` whose jobs are run by ``ukur worker`` processes via Redis.

    The same object runs inside a worker (:func:`run_worker`), where :func:`perform` calls
    :meth:`execute`; in a web process nothing is executed locally.
    """

    def __init__(
        self,
        sessions: SessionFactory,
        url: str,
        *,
        lease_seconds: float = 60.0,
        jobs: JobRegistry | None = None,
        progress_interval: float = 0.25,
        queue_name: str = QUEUE_NAME,
    ) -> None:
        super().__init__(
            sessions, workers=1, lease_seconds=lease_seconds, jobs=jobs, progress_interval=progress_interval
        )
        from rq import Queue

        self.url = url
        self.connection = redis_connection(url)
        self.rq_queue = Queue(queue_name, connection=self.connection)

    def _dispatch(self, job_id: int) -> None:
        """Enqueue ``perform(job_id)`` unless a message for this attempt is already in Redis."""
        with self._sessions() as session:
            row = session.execute(select(Job.state, Job.attempts).where(Job.id == job_id)).one_or_none()
        if row is None or row.state != "queued":
            return
        message_id = f"ukur-job-{job_id}-{row.attempts}"
        from rq.job import Job as RQJob

        if RQJob.exists(message_id, connection=self.connection):
            return
        self.rq_queue.enqueue(
            "ukur.jobs.redis_backend.perform",
            job_id,
            job_id=message_id,
            job_timeout=RQ_JOB_TIMEOUT,
            result_ttl=3600,
            failure_ttl=24 * 3600,
        )

    def tick(self) -> None:
        """Heartbeat, reaping, and re-dispatch of queued jobs nobody has picked up within a lease."""
        with self._lock:
            running = sorted(self._running)
        from ukur.store import jobs as job_rows

        for job_id in running:
            with transaction(self._sessions) as session:
                alive = job_rows.heartbeat(session, job_id, self.worker, self._lease)
            if not alive:
                with self._lock:
                    self._lost.add(job_id)
        stale_before = utcnow() - timedelta(seconds=self._lease)
        with transaction(self._sessions) as session:
            requeued, failed = job_rows.reap_expired(session)
            stale = list(
                session.scalars(select(Job.id).where(Job.state == "queued", Job.created_at < stale_before))
            )
        for job_id in failed:
            log.warning("job %s failed: its worker stopped responding", job_id)
        for job_id in requeued:
            log.warning("job %s re-queued: its worker stopped responding", job_id)
        for job_id in sorted({*requeued, *stale}):
            self._dispatch(job_id)

    def execute(self, job_id: int) -> None:
        """Claim and run job ``job_id`` in this process (called by :func:`perform` in a worker)."""
        self._run(job_id)

    def _execute(self, job_id: int, kind: str, payload: dict[str, Any]) -> None:
        log.info("job %s (%s) running on %s", job_id, kind, self.worker)
        super()._execute(job_id, kind, payload)


def perform(job_id: int) -> None:
    """The RQ task: run job ``job_id`` with this worker's runner (set up by :func:`run_worker`)."""
    if _RUNNER is None:
        raise RuntimeError("perform() runs only inside `ukur worker`")
    _RUNNER.execute(int(job_id))


def run_worker(runner: RedisJobQueue, *, burst: bool = False, name: str | None = None) -> None:
    """Run RQ's worker loop on ``runner``'s queue until stopped (SIGTERM/SIGINT: finish the job first)."""
    from rq import SimpleWorker

    global _RUNNER
    _RUNNER = runner
    runner.start()
    try:
        worker = SimpleWorker([runner.rq_queue], connection=runner.connection, name=name)
        worker.work(burst=burst, with_scheduler=False, logging_level="WARNING")
    finally:
        runner.shutdown(wait=True)
        _RUNNER = None
