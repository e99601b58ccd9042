"""The embedded job runner: a thread pool in the server process, with every job's state in the database.

Life of a job: ``submit`` stores it as ``queued`` and hands its id to the pool; a worker thread claims it
(``running``, with a lease of ``lease_seconds``), runs the registered function and stores the result
(``succeeded``) or the error (``failed``).  A heartbeat thread extends the leases of this process's
running jobs every third of a lease, and reaps jobs whose lease expired — their worker died with its
process — by re-queuing them (attempts left) or failing them, so no job stays ``running`` for ever.  It
also picks up queued jobs nobody runs (left by a stopped server, or re-queued), so a restart resumes.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ukur.errors import UkurError
from ukur.jobs.base import JobRegistry, JobStatus, LeaseLost, registry
from ukur.store import jobs as job_rows
from ukur.store.access import SYSTEM, Viewer
from ukur.store.engine import SessionFactory, transaction
from ukur.store.models import Job

__all__ = ["ThreadJobQueue"]

log = logging.getLogger("ukur.jobs")
INTERNAL_ERROR = {"error": "InternalError", "message": "the job failed unexpectedly; see the server log"}


class ThreadJobQueue:
    """:class:`~ukur.jobs.base.JobQueue` running jobs on ``workers`` threads of this process.

    Call :meth:`start` once (the web app does it on startup) and :meth:`shutdown` at the end.
    ``progress_interval`` throttles how often progress is written (the last value is always written).
    """

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        workers: int = 2,
        lease_seconds: float = 60.0,
        jobs: JobRegistry | None = None,
        progress_interval: float = 0.25,
    ) -> None:
        self._sessions = sessions
        self._registry = jobs if jobs is not None else registry
        self._lease = float(lease_seconds)
        self._progress_interval = progress_interval
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ukur-job")
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._lock = threading.Lock()
        self._pending: set[int] = set()
        self._lost: set[int] = set()
        self._running: set[int] = set()
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    @property
    def registry(self) -> JobRegistry:
        """The job kinds this queue accepts and runs."""
        return self._registry

    # -- the interface -------------------------------------------------------------------------------
    def submit(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        owner_id: int | None = None,
        max_attempts: int = 1,
    ) -> int:
        """Store a job of a registered ``kind`` with a JSON ``payload`` and start it; returns its id."""
        self._registry.get(kind)
        try:
            json.dumps(payload, allow_nan=False)
        except (TypeError, ValueError):
            raise UkurError("a job's payload must be plain JSON", field="payload") from None
        viewer = Viewer(user_id=owner_id, role="admin") if owner_id is not None else SYSTEM
        with transaction(self._sessions) as session:
            job_id = job_rows.create_job(session, viewer, kind, payload, max_attempts=max_attempts).id
        self._dispatch(job_id)
        return job_id

    def status(self, job_id: int) -> JobStatus:
        """The job's state as stored (404-style :class:`~ukur.store.errors.NotFoundError` if unknown)."""
        with self._sessions() as session:
            job = job_rows.get_job(session, SYSTEM, job_id)
            return JobStatus.of(job)

    # -- lifecycle -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Reap expired leases, resume queued jobs and start the heartbeat thread."""
        if self._beat is not None:
            return
        self.tick()
        self._beat = threading.Thread(target=self._heartbeat_loop, name="ukur-job-heartbeat", daemon=True)
        self._beat.start()

    def shutdown(self, wait: bool = True) -> None:
        """Stop the heartbeat and the pool; with ``wait`` finish the jobs already running."""
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def tick(self) -> None:
        """One heartbeat: extend this process's leases, reap dead workers' jobs, resume queued ones."""
        with self._lock:
            running = sorted(self._running)
        for job_id in running:
            with transaction(self._sessions) as session:
                alive = job_rows.heartbeat(session, job_id, self.worker, self._lease)
            if not alive:
                with self._lock:
                    self._lost.add(job_id)
        with transaction(self._sessions) as session:
            requeued, failed = job_rows.reap_expired(session)
            queued = job_rows.queued_job_ids(session)
        for job_id in failed:
            log.warning("job %s failed: its worker stopped responding", job_id)
        for job_id in requeued:
            log.warning("job %s re-queued: its worker stopped responding", job_id)
        for job_id in queued:
            self._dispatch(job_id)

    # -- internals -----------------------------------------------------------------------------------
    def _dispatch(self, job_id: int) -> None:
        with self._lock:
            if job_id in self._pending or self._stop.is_set():
                return
            self._pending.add(job_id)
        try:
            self._pool.submit(self._run, job_id)
        except RuntimeError:
            with self._lock:
                self._pending.discard(job_id)

    def _heartbeat_loop(self) -> None:
        while not self._stop.wait(self._lease / 3):
            try:
                self.tick()
            except Exception:
                log.exception("job heartbeat failed")

    def _run(self, job_id: int) -> None:
        try:
            with transaction(self._sessions) as session:
                if not job_rows.claim_job(session, job_id, self.worker, self._lease):
                    return
                job = session.get(Job, job_id)
                if job is None:
                    return
                kind, payload = job.kind, dict(job.payload)
            with self._lock:
                self._running.add(job_id)
            self._execute(job_id, kind, payload)
        finally:
            with self._lock:
                self._pending.discard(job_id)
                self._running.discard(job_id)
                self._lost.discard(job_id)

    def _execute(self, job_id: int, kind: str, payload: dict[str, Any]) -> None:
        last_write = [0.0]

        def progress(fraction: float, message: str = "") -> None:
            with self._lock:
                if job_id in self._lost:
                    raise LeaseLost(f"job {job_id} was taken away from this worker")
            now = time.monotonic()
            if now - last_write[0] < self._progress_interval and fraction < 1.0:
                return
            last_write[0] = now
            with transaction(self._sessions) as session:
                alive = job_rows.heartbeat(
                    session, job_id, self.worker, self._lease, progress=fraction, message=message
                )
            if not alive:
                raise LeaseLost(f"job {job_id} was taken away from this worker")

        try:
            result = self._registry.get(kind)(payload, progress)
            json.dumps(result, allow_nan=False)
        except LeaseLost:
            log.warning("job %s abandoned: lease lost", job_id)
            return
        except UkurError as exc:
            self._store(job_rows.fail_job, job_id, exc.to_dict())
            return
        except Exception:
            log.exception("job %s (%s) crashed", job_id, kind)
            self._store(job_rows.fail_job, job_id, dict(INTERNAL_ERROR))
            return
        self._store(job_rows.finish_job, job_id, result)

    def _store(self, end: Any, job_id: int, value: dict[str, Any]) -> None:
        with transaction(self._sessions) as session:
            if not end(session, job_id, self.worker, value):
                log.warning("job %s finished after its lease was lost; result dropped", job_id)
