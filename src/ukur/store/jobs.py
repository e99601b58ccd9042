"""Rows of the ``jobs`` table: create, claim with a lease, heartbeat, finish, fail, reap dead workers.

These are the building blocks of :mod:`ukur.jobs`; every state change is one conditional ``UPDATE``
(``WHERE state = ... AND worker = ...``), so two workers can never both own a job, and a worker that lost
its lease (because the reaper gave the job to someone else) learns it on its next heartbeat.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ukur.store import audit
from ukur.store.access import Viewer, not_found
from ukur.store.models import Job
from ukur.store.types import utcnow

__all__ = [
    "claim_job",
    "create_job",
    "fail_job",
    "finish_job",
    "get_job",
    "heartbeat",
    "queued_job_ids",
    "reap_expired",
]

WORKER_LOST = {
    "error": "WorkerLost",
    "message": "the worker running this job stopped responding",
}


def create_job(
    session: Session,
    viewer: Viewer,
    kind: str,
    payload: dict[str, Any],
    *,
    max_attempts: int = 1,
) -> Job:
    job = Job(kind=kind, payload=payload, owner_id=viewer.user_id, max_attempts=max(1, max_attempts))
    session.add(job)
    session.flush()
    audit.log(session, viewer, "submit", "job", job.id, kind=kind)
    return job


def get_job(session: Session, viewer: Viewer, job_id: int) -> Job:
    """A job its owner (or a provider-side user) may see; others get 404."""
    job = session.get(Job, job_id)
    if job is None or not (viewer.is_provider or job.owner_id == viewer.user_id):
        raise not_found("job", job_id)
    return job


def claim_job(session: Session, job_id: int, worker: str, lease_seconds: float) -> bool:
    """Move a queued job to running for ``worker`` with a fresh lease; ``False`` if someone else has it."""
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == "queued")
        .values(
            state="running",
            worker=worker,
            attempts=Job.attempts + 1,
            started_at=now,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def heartbeat(
    session: Session,
    job_id: int,
    worker: str,
    lease_seconds: float,
    *,
    progress: float | None = None,
    message: str | None = None,
) -> bool:
    """Extend the lease (and store progress); ``False`` when ``worker`` no longer owns the job."""
    values: dict[str, Any] = {"lease_expires_at": utcnow() + timedelta(seconds=lease_seconds)}
    if progress is not None:
        values["progress"] = min(max(float(progress), 0.0), 1.0)
    if message is not None:
        values["message"] = message[:2000]
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker, Job.state == "running")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _end(session: Session, job_id: int, worker: str, **values: Any) -> bool:
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker, Job.state == "running")
        .values(finished_at=utcnow(), lease_expires_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def finish_job(session: Session, job_id: int, worker: str, result: dict[str, Any]) -> bool:
    return _end(session, job_id, worker, state="succeeded", progress=1.0, message="", result=result)


def fail_job(session: Session, job_id: int, worker: str, error: dict[str, Any]) -> bool:
    return _end(session, job_id, worker, state="failed", error=error)


def reap_expired(session: Session, now: datetime | None = None) -> tuple[list[int], list[int]]:
    """Running jobs whose lease expired: requeue those with attempts left, fail the rest.

    Returns ``(requeued ids, failed ids)``.
    """
    now = now or utcnow()
    dead = list(session.scalars(select(Job).where(Job.state == "running", Job.lease_expires_at < now)))
    requeued, failed = [], []
    for job in dead:
        if job.attempts < job.max_attempts:
            job.state, job.worker, job.lease_expires_at = "queued", None, None
            job.message = "retrying: " + WORKER_LOST["message"]
            requeued.append(job.id)
        else:
            job.state, job.error, job.finished_at, job.lease_expires_at = (
                "failed",
                dict(WORKER_LOST),
                now,
                None,
            )
            failed.append(job.id)
    session.flush()
    return requeued, failed


def queued_job_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Job.id).where(Job.state == "queued").order_by(Job.id)))
