"""PLS project pages: the list, one project with its data sets and model text, uploads.

Running an estimation is a background job: the page that adds it submits ``"pls.run"`` (or similar)
through ``state(request).queue.submit(...)`` and shows the run's progress by polling
``/api/v1/jobs/{id}`` (``static/ukur.js`` does this for any element with ``data-job``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ukur.errors import UkurError
from ukur.store import pls
from ukur.store.errors import NotFoundError, PermissionDenied
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, flash, render, require_roles

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
