"""PLS projects: data sets stored as file bytes, the model text, and runs with progress and results.

Researchers see and change their own projects; admins see all.  A run records the model text and the
data set it used; the job that computes it updates ``status``/``progress`` and finally ``results``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.store import audit
from ukur.store.access import SYSTEM, Viewer, ensure_can_use_pls, not_found
from ukur.store.models_pls import PlsDataset, PlsProject, PlsRun
from ukur.store.types import utcnow

__all__ = [
    "add_dataset",
    "create_project",
    "create_run",
    "get_dataset",
    "get_project",
    "get_run",
    "list_projects",
    "set_model_text",
    "update_run",
]

MAX_MODEL_CHARS = 200_000
RUN_STATES = ("queued", "running", "succeeded", "failed")


def create_project(session: Session, viewer: Viewer, name: str, description: str = "") -> PlsProject:
    ensure_can_use_pls(viewer)
    if not name.strip():
        raise UkurError("the project needs a name", field="name")
    project = PlsProject(name=name.strip()[:200], description=description.strip(), owner_id=viewer.user_id)
    session.add(project)
    session.flush()
    audit.log(session, viewer, "create", "pls_project", project.id, name=project.name)
    return project


def _visible(viewer: Viewer) -> Select[PlsProject]:
    query = select(PlsProject)
    if not viewer.is_admin:
        query = query.where(PlsProject.owner_id == viewer.user_id)
    return query


def list_projects(session: Session, viewer: Viewer) -> list[PlsProject]:
    """The viewer's projects (all of them for admins), newest first."""
    if viewer.role not in {"researcher", "admin"}:
        return []
    return list(session.scalars(_visible(viewer).order_by(PlsProject.id.desc())))


def get_project(session: Session, viewer: Viewer, project_id: int) -> PlsProject:
    project = session.scalar(_visible(viewer).where(PlsProject.id == project_id))
    if project is None or viewer.role not in {"researcher", "admin"}:
        raise not_found("project", project_id)
    return project


def set_model_text(session: Session, viewer: Viewer, project_id: int, text: str) -> PlsProject:
    """Replace the project's model text (validated by the PLS engine where the page calls it)."""
    project = get_project(session, viewer, project_id)
    if len(text) > MAX_MODEL_CHARS:
        raise UkurError("the model text is too long", field="model")
    project.model_text = text
    project.model_updated_at = utcnow()
    audit.log(session, viewer, "update", "pls_project", project.id, field="model_text")
    return project


def add_dataset(
    session: Session,
    viewer: Viewer,
    project_id: int,
    filename: str,
    content: bytes,
    content_type: str = "text/csv",
) -> PlsDataset:
    """Store an uploaded data file's bytes with its name, size and SHA-256."""
    project = get_project(session, viewer, project_id)
    if not content:
        raise UkurError("the uploaded file is empty", source=filename)
    dataset = PlsDataset(
        project_id=project.id,
        filename=(filename or "data.csv")[:255],
        content_type=(content_type or "application/octet-stream")[:100],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=viewer.user_id,
    )
    session.add(dataset)
    session.flush()
    audit.log(
        session, viewer, "create", "pls_dataset", dataset.id, filename=dataset.filename, size=dataset.size
    )
    return dataset


def get_dataset(session: Session, viewer: Viewer, dataset_id: int) -> PlsDataset:
    dataset = session.get(PlsDataset, dataset_id)
    if dataset is None:
        raise not_found("dataset", dataset_id)
    get_project(session, viewer, dataset.project_id)
    return dataset


def create_run(
    session: Session,
    viewer: Viewer,
    project_id: int,
    *,
    dataset_id: int,
    options: dict[str, Any] | None = None,
) -> PlsRun:
    """A queued run of the project's current model on one of its data sets (the caller submits the job)."""
    project = get_project(session, viewer, project_id)
    dataset = get_dataset(session, viewer, dataset_id)
    if dataset.project_id != project.id:
        raise not_found("dataset", dataset_id)
    if not project.model_text.strip():
        raise UkurError("write the model before running it", field="model")
    run = PlsRun(
        project_id=project.id,
        dataset_id=dataset.id,
        model_text=project.model_text,
        options=options or {},
        created_by=viewer.user_id,
    )
    session.add(run)
    session.flush()
    audit.log(session, viewer, "create", "pls_run", run.id, project_id=project.id, dataset_id=dataset.id)
    return run


def get_run(session: Session, viewer: Viewer, run_id: int) -> PlsRun:
    run = session.get(PlsRun, run_id)
    if run is None:
        raise not_found("run", run_id)
    get_project(session, viewer, run.project_id)
    return run


def update_run(
    session: Session,
    run_id: int,
    *,
    job_id: int | None = None,
    status: str | None = None,
    progress: float | None = None,
    results: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> PlsRun:
    """Record a run's job, state, progress, results or error (called by the job that computes it)."""
    run = get_run(session, SYSTEM, run_id)
    if status is not None:
        if status not in RUN_STATES:
            raise UkurError(f"status must be one of {', '.join(RUN_STATES)}", field="status")
        run.status = status
        if status in {"succeeded", "failed"}:
            run.finished_at = utcnow()
    if job_id is not None:
        run.job_id = job_id
    if progress is not None:
        run.progress = min(max(float(progress), 0.0), 1.0)
    if results is not None:
        run.results = results
    if error is not None:
        run.error = error
    if status is not None:
        audit.log(session, SYSTEM, "update", "pls_run", run.id, status=status)
    return run
