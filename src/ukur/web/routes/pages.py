"""The dashboard and the personal account page (API tokens, password)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from ukur.errors import UkurError
from ukur.store import accounts, agreements, pls
from ukur.store.access import org_filter
from ukur.store.models import User
from ukur.store.models_sla import Agreement, Claim
from ukur.web.deps import CsrfProtected, CurrentUser, SessionDep, ViewerDep, flash, render, signed_in

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])


@router.get("/")
def dashboard(request: Request, db: SessionDep, user: CurrentUser, viewer: ViewerDep) -> Response:
    open_claims = db.scalar(
        select(func.count(Claim.id))
        .join(Agreement, Agreement.id == Claim.agreement_id)
        .where(org_filter(viewer, Agreement.customer_org_id), Claim.status.in_(("filed", "in_review")))
    )
    cards = []
    if viewer.role != "researcher":
        cards.append(("dashboard.agreements", agreements.count_agreements(db, viewer), "/agreements"))
        cards.append(("dashboard.claims_open", open_claims or 0, "/agreements"))
    if viewer.role in {"researcher", "admin"}:
        cards.append(("dashboard.projects", len(pls.list_projects(db, viewer)), "/pls"))
    if viewer.is_admin:
        cards.append(("dashboard.users", db.scalar(select(func.count(User.id))) or 0, "/admin"))
    return render(request, "dashboard.html", cards=cards)


@router.get("/account")
def account_page(request: Request, db: SessionDep, user: CurrentUser, viewer: ViewerDep) -> Response:
    new_token = request.session.pop("new_token", None)
    return render(request, "account.html", tokens=accounts.list_tokens(db, viewer), new_token=new_token)


@router.post("/account/tokens")
def create_token(
    request: Request, db: SessionDep, viewer: ViewerDep, name: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    _, token = accounts.create_token(db, viewer, name)
    request.session["new_token"] = token
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    accounts.revoke_token(db, viewer, token_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password")
def change_password(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    viewer: ViewerDep,
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        accounts.set_password(db, viewer, user.id, password)
    except UkurError as exc:
        db.rollback()
        return render(
            request,
            "account.html",
            status_code=400,
            tokens=accounts.list_tokens(db, viewer),
            new_token=None,
            error=str(exc),
        )
    signed_in(request, user)  # this session stays; every other one ends with the old password
    flash(request, "account.password_changed")
    return RedirectResponse("/account", status_code=303)
