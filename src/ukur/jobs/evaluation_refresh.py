"""The ``evaluation.refresh`` job: evaluate a large agreement in the background and cache the result.

The agreement page evaluates small streams inline; when the agreement's streams hold more records than
``UKUR_EVALUATION_INLINE_RECORDS`` and no fresh result is cached, it shows the newest older result with
"refreshing…" (or a progress note) and starts this job, which evaluates and stores the result through
:func:`ukur.store.compliance.compute_and_store`.  Payload ``{"agreement_id", "period", "user_id"}``: the
job evaluates as that user (so it sees nothing the user may not), and :func:`start_once` does not start
a second job for the same agreement and period while one is queued or running.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.jobs.base import JobQueue, JobRegistry, Progress
from ukur.store import compliance
from ukur.store.access import SYSTEM, Viewer
from ukur.store.engine import SessionFactory, transaction
from ukur.store.models import Job, User
from ukur.store.types import utcnow

__all__ = ["KIND", "active_job", "recent_failure", "register_evaluation_refresh", "start_once", "viewer_of"]

KIND = "evaluation.refresh"


def viewer_of(session: Session, user_id: object) -> Viewer:
    """The viewer a job acts for: the user who started it (as their role is now), else the system."""
    if user_id is None:
        return SYSTEM
    user = session.get(User, int(str(user_id)))
    if user is None or not user.active:
        raise UkurError("the user who asked for this computation no longer exists", field="user")
    return Viewer.of(user)


def active_job(session: Session, kind: str, match: dict[str, Any]) -> int | None:
    """A queued or running job of ``kind`` whose payload has every item of ``match``."""
    rows = session.execute(
        select(Job.id, Job.payload).where(Job.kind == kind, Job.state.in_(("queued", "running")))
    ).all()
    for job_id, payload in rows:
        if all(payload.get(k) == v for k, v in match.items()):
            return int(job_id)
    return None


def recent_failure(
    session: Session, kind: str, match: dict[str, Any], seconds: float
) -> dict[str, Any] | None:
    """The error of a job of ``kind`` matching ``match`` that failed within ``seconds`` (so a page that
    reloads when its job ends shows the error instead of starting the same failing job again)."""
    since = utcnow() - timedelta(seconds=seconds)
    rows = session.execute(
        select(Job.payload, Job.error)
        .where(Job.kind == kind, Job.state == "failed", Job.finished_at >= since)
        .order_by(Job.id.desc())
    ).all()
    for payload, error in rows:
        if all(payload.get(k) == v for k, v in match.items()):
            return dict(error or {"message": "the computation failed"})
    return None


def start_once(
    queue: JobQueue,
    session: Session,
    kind: str,
    match: dict[str, Any],
    payload: dict[str, Any],
    owner_id: int | None,
) -> int:
    """The id of the job already computing ``match``, else of a new job of ``kind`` with ``payload``."""
    running = active_job(session, kind, match)
    if running is not None:
        return running
    return queue.submit(kind, payload, owner_id=owner_id)


def register_evaluation_refresh(registry: JobRegistry, sessions: SessionFactory) -> None:
    """Register the ``evaluation.refresh`` job kind, reading and writing through ``sessions``."""

    def run(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
        progress(0.05, "reading records")
        with transaction(sessions) as session:
            viewer = viewer_of(session, payload.get("user_id"))
            period = payload.get("period") or None
            plan = compliance.evaluation_plan(session, viewer, int(payload["agreement_id"]), period=period)
            progress(0.2, "evaluating")
            done = compliance.compute_and_store(session, plan, period=period)
        progress(1.0, "evaluated")
        return {
            "agreement_id": plan.agreement.id,
            "computed_at": done.computed_at.isoformat() if done.computed_at else None,
        }

    registry.register(KIND, run)
