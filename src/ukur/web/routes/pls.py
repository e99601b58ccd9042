"""PLS project pages: the list, one project with its data sets and model text, uploads.

Running an estimation is a background job: the page that adds it submits ``"pls.run"`` (or similar)
through ``state(request).queue.submit(...)`` and shows the run's progress by polling
``/api/v1/jobs/{id}`` (``static/ukur.js`` does this for any element with ``data-job``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ukur.errors import UkurError
from ukur.jobs.pls_run import KIND as PLS_RUN
from ukur.jobs.pls_run import MAX_BOOTSTRAP
from ukur.store import pls
from ukur.store.errors import NotFoundError, PermissionDenied
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, flash, render, require_roles, state

router = APIRouter(
    include_in_schema=False, dependencies=[CsrfProtected, require_roles("researcher", "admin")]
)


@router.get("/pls")
def project_list(request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
    return render(request, "pls_projects.html", projects=pls.list_projects(db, viewer), error=None)


@router.post("/pls")
def create_project(
    request: Request,
    db: SessionDep,
    viewer: ViewerDep,
    name: Annotated[str, Form(max_length=200)],
    description: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        project = pls.create_project(db, viewer, name, description)
    except UkurError as exc:
        db.rollback()
        return render(
            request,
            "pls_projects.html",
            status_code=400,
            projects=pls.list_projects(db, viewer),
            error=str(exc),
        )
    return RedirectResponse(f"/pls/{project.id}", status_code=303)


def _project_page(
    request: Request,
    db: SessionDep,
    viewer: ViewerDep,
    project_id: int,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    project = pls.get_project(db, viewer, project_id)
    return render(request, "pls_project.html", status_code=status_code, project=project, error=error)


@router.get("/pls/{project_id}")
def project_page(request: Request, project_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    return _project_page(request, db, viewer, project_id)


@router.post("/pls/{project_id}/data")
async def upload_data(
    request: Request,
    project_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    content = await file.read()
    try:
        pls.add_dataset(
            db,
            viewer,
            project_id,
            file.filename or "data.csv",
            content,
            file.content_type or "application/octet-stream",
        )
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        return _project_page(request, db, viewer, project_id, status_code=400, error=str(exc))
    return RedirectResponse(f"/pls/{project_id}", status_code=303)


@router.post("/pls/{project_id}/model")
def save_model(
    request: Request,
    project_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    model_text: Annotated[str, Form()] = "",
) -> Response:
    try:
        pls.set_model_text(db, viewer, project_id, model_text.replace("\r\n", "\n"))
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        return _project_page(request, db, viewer, project_id, status_code=400, error=str(exc))
    flash(request, "pls.saved")
    return RedirectResponse(f"/pls/{project_id}", status_code=303)


@router.post("/pls/{project_id}/runs")
def start_run(
    request: Request,
    project_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    dataset_id: Annotated[int, Form()],
    bootstrap: Annotated[int, Form(ge=0, le=MAX_BOOTSTRAP)] = 0,
) -> Response:
    """Queue an estimation (and bootstrap) of the current model on a data set, as a background job."""
    try:
        run = pls.create_run(db, viewer, project_id, dataset_id=dataset_id, options={"bootstrap": bootstrap})
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        return _project_page(request, db, viewer, project_id, status_code=400, error=str(exc))
    db.commit()  # the worker thread must see the run
    job_id = state(request).queue.submit(PLS_RUN, {"run_id": run.id}, owner_id=viewer.user_id)
    pls.update_run(db, run.id, job_id=job_id)
    return RedirectResponse(f"/pls/{project_id}/runs/{run.id}", status_code=303)


@router.get("/pls/{project_id}/runs/{run_id}")
def run_page(request: Request, project_id: int, run_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    run = pls.get_run(db, viewer, run_id)
    if run.project_id != project_id:
        raise NotFoundError(f"run {run_id} not found", field="run")
    return render(request, "pls_run.html", project=run.project, run=run, results=run.results or {})


@router.get("/pls/{project_id}/runs/{run_id}/results.json")
def run_results(project_id: int, run_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    """The run's results: the JSON of ``ukur pls estimate --format json``."""
    run = pls.get_run(db, viewer, run_id)
    if run.project_id != project_id or run.results is None:
        raise NotFoundError(f"results of run {run_id} not found", field="run")
    return JSONResponse(
        run.results, headers={"Content-Disposition": f'attachment; filename="ukur-run-{run_id}.json"'}
    )
