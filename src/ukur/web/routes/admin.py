"""Administration: organisations and user accounts (administrators only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from ukur.errors import UkurError
from ukur.store import accounts, audit
from ukur.store.errors import NotFoundError
from ukur.store.models import ROLES, User
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, flash, render, require_roles

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected, require_roles("admin")])


def _page(
    request: Request,
    db: SessionDep,
    viewer: ViewerDep,
    status_code: int = 200,
    error: str | None = None,
    created: tuple[str, str] | None = None,
) -> Response:
    return render(
        request,
        "admin.html",
        status_code=status_code,
        organisations=accounts.list_organisations(db),
        users=accounts.list_users(db, viewer),
        roles=ROLES,
        error=error,
        created=created,
    )


@router.get("/admin")
def admin_page(request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
    created = request.session.pop("created_user", None)
    return _page(request, db, viewer, created=tuple(created) if created else None)


@router.get("/admin/audit")
def audit_page(request: Request, db: SessionDep, entity: str | None = None) -> Response:
    """The newest 200 changes (who, what, when, details), optionally for one kind of entity."""
    entries = audit.recent(db, limit=200, entity=entity or None)
    users = {u.id: u.email for u in db.scalars(select(User))}
    return render(request, "audit.html", entries=entries, users=users, entity=entity or "")


@router.post("/admin/organisations")
def create_organisation(
    request: Request,
    db: SessionDep,
    viewer: ViewerDep,
    name: Annotated[str, Form(max_length=200)],
    kind: Annotated[str, Form()],
) -> Response:
    try:
        accounts.create_organisation(db, viewer, name, kind)
    except UkurError as exc:
        db.rollback()
        return _page(request, db, viewer, status_code=400, error=str(exc))
    flash(request, "admin.created")
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users")
def create_user(
    request: Request,
    db: SessionDep,
    viewer: ViewerDep,
    email: Annotated[str, Form(max_length=320)],
    role: Annotated[str, Form()],
    name: Annotated[str, Form(max_length=200)] = "",
    organisation_id: Annotated[str, Form()] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    generated = not password
    password = password or accounts.generate_password()
    org = int(organisation_id) if organisation_id.strip().isdigit() else None
    try:
        user = accounts.create_user(
            db, viewer, email=email, password=password, role=role, name=name, organisation_id=org
        )
    except UkurError as exc:
        db.rollback()
        return _page(request, db, viewer, status_code=400, error=str(exc))
    if generated:
        request.session["created_user"] = [user.email, password]
    else:
        flash(request, "admin.created")
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{user_id}")
def update_user(
    request: Request,
    user_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    role: Annotated[str, Form()],
    active: Annotated[str, Form()] = "",
) -> Response:
    try:
        accounts.update_user(db, viewer, user_id, role=role, active=active == "on")
    except NotFoundError:
        raise
    except UkurError as exc:
        db.rollback()
        return _page(request, db, viewer, status_code=400, error=str(exc))
    flash(request, "admin.updated")
    return RedirectResponse("/admin", status_code=303)
