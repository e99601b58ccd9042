"""Sign in, sign out and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ukur.store import accounts
from ukur.store.errors import AuthenticationError
from ukur.web.deps import CsrfProtected, OptionalUser, SessionDep, render, signed_in, signed_out
from ukur.web.i18n import LANGUAGES

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])


def safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in or a language switch (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/signin")
def signin_page(request: Request, user: OptionalUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "signin.html", next=safe_next(next), error=None, email="")


@router.post("/signin")
def signin(
    request: Request,
    db: SessionDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        user = accounts.authenticate(db, email, password)
    except AuthenticationError:
        db.rollback()
        return render(
            request, "signin.html", status_code=401, next=safe_next(next), error="signin.failed", email=email
        )
    signed_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/signout")
def signout(request: Request) -> Response:
    signed_out(request)
    return RedirectResponse("/signin", status_code=303)


@router.get("/lang/{code}")
def switch_language(
    request: Request, code: str, db: SessionDep, user: OptionalUser, next: str = "/"
) -> Response:
    """Remember the chosen language in the session (and as the user's preference when signed in)."""
    if code in LANGUAGES:
        request.session["lang"] = code
        if user is not None:
            user.language = code
    return RedirectResponse(safe_next(next), status_code=303)
