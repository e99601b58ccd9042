"""Customer feedback: the public one-answer form by token, and the provider's links (pages and API).

Public, no account: ``/f/{token}`` shows the built-in short questionnaire (CSAT 1–5, effort 1–5, NPS 0–10,
a comment), mobile-first, about the agreement and, for a per-record link, the shipment or ticket.  A valid
submission is stored once (:func:`ukur.store.feedback.submit_answer`) and the respondent sees a thank-you
page; a second submission, or opening the link again, gets a clear page saying the link was answered
(HTTP 409); an unknown token gets a "not valid" page (404).  The form never shows other answers, counts or
other customers.

Staff make links on the success page (``POST /agreements/{id}/feedback-links``; the link is shown once) or
through the API (``POST /api/v1/agreements/{id}/feedback-links``).  Whoever may see an agreement may list
the answers the access rules allow (``GET /api/v1/agreements/{id}/feedback``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import RedirectResponse, Response

from ukur.errors import DataError
from ukur.store import agreements
from ukur.store import feedback as store
from ukur.store.errors import ConflictError, NotFoundError
from ukur.store.models_feedback import FeedbackLink
from ukur.success import feedback_questionnaire
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, language, render
from ukur.web.routes.api import ERRORS

__all__ = ["api_router", "router"]

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])
api_router = APIRouter(prefix="/api/v1", dependencies=[CsrfProtected], responses=ERRORS, tags=["feedback"])

FIELDS = ("csat", "effort", "nps", "comment")


def _refused(request: Request, exc: Exception) -> Response:
    """The clear page for an answered link (409) or an unknown one (404)."""
    reason, status = ("used", 409) if isinstance(exc, ConflictError) else ("token", 404)
    return render(request, "feedback_refused.html", status_code=status, reason=reason)


def _questions(lang: str) -> dict[str, Any]:
    """The built-in questionnaire's wording in ``lang``: title, introduction, thanks, each question, scale."""
    q = feedback_questionnaire()
    texts: dict[str, Any] = {item.code: item.text.get(lang) for item in q.items}
    texts.update({p.code: p.text.get(lang) for p in q.profile})
    texts["title"] = q.title.get(lang)
    texts["introduction"] = q.introduction.get(lang) if q.introduction is not None else ""
    texts["thanks"] = q.thanks.get(lang) if q.thanks is not None else ""
    texts["labels"] = list(zip(q.scale.values, q.scale.labels_for(lang), strict=True))
    return texts


def _form(
    request: Request,
    token: str,
    link: FeedbackLink,
    title: str,
    values: dict[str, str],
    error: str | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "feedback_form.html",
        status_code=status_code,
        token=token,
        title=title,
        record_id=link.record_id,
        questions=_questions(language(request)),
        values=values,
        error=error,
    )


@router.get("/f/thanks")
def thanks(request: Request) -> Response:
    return render(request, "feedback_thanks.html", questions=_questions(language(request)))


@router.get("/f/{token}")
def form_page(request: Request, token: str, db: SessionDep) -> Response:
    try:
        link, agreement = store.link_by_token(db, token)
        if link.used_at is not None:
            raise ConflictError("answered", field="token")
    except (NotFoundError, ConflictError) as exc:
        return _refused(request, exc)
    return _form(request, token, link, agreement.title, {}, None)


@router.post("/f/{token}")
async def submit(request: Request, token: str, db: SessionDep) -> Response:
    raw = await request.form()
    values = {k: str(raw.get(k) or "") for k in FIELDS}
    try:
        store.submit_answer(db, token, values, language=language(request))
    except (NotFoundError, ConflictError) as exc:
        db.rollback()
        return _refused(request, exc)
    except DataError as exc:
        db.rollback()
        link, agreement = store.link_by_token(db, token)
        return _form(request, token, link, agreement.title, values, exc.field or "csat", 400)
    return RedirectResponse("/f/thanks", status_code=303)


@router.post("/agreements/{agreement_id}/feedback-links")
async def make_link(request: Request, agreement_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    """Staff: a new link, shown once on the page that answers this form."""
    raw = await request.form()
    record = str(raw.get("record_id") or "").strip() or None
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    link, token = store.create_link(db, viewer, agreement_id, record_id=record)
    url = str(request.base_url).rstrip("/") + f"/f/{token}"
    return render(request, "feedback_link.html", status_code=201, agreement=agreement, link=link, url=url)


def _link_out(link: FeedbackLink) -> dict[str, Any]:
    return {
        "id": link.id,
        "agreement_id": link.agreement_id,
        "customer_org_id": link.customer_org_id,
        "record_id": link.record_id,
        "hint": link.hint,
        "created_at": link.created_at.isoformat(),
        "used_at": link.used_at.isoformat() if link.used_at else None,
    }


@api_router.post("/agreements/{agreement_id}/feedback-links", status_code=201)
def api_make_link(
    request: Request,
    agreement_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    body: dict[str, Any] = Body(default_factory=dict),  # noqa: B008
) -> dict[str, Any]:
    """A one-answer feedback link (``{"record_id": …, "customer_org_id": …}``, both optional).

    The answer holds the ``token`` and the public ``url``; both are shown only this once.
    """
    record = body.get("record_id")
    org = body.get("customer_org_id")
    if record is not None and not isinstance(record, str | int):
        raise DataError("record_id must be text", field="record_id")
    if org is not None and not isinstance(org, int):
        raise DataError("customer_org_id must be a number", field="customer_org_id")
    link, token = store.create_link(
        db, viewer, agreement_id, record_id=None if record is None else str(record), customer_org_id=org
    )
    url = str(request.base_url).rstrip("/") + f"/f/{token}"
    return {**_link_out(link), "token": token, "url": url}


@api_router.get("/agreements/{agreement_id}/feedback-links")
def api_links(agreement_id: int, db: SessionDep, viewer: ViewerDep) -> list[dict[str, Any]]:
    """The agreement's links the caller may see (never their tokens)."""
    return [_link_out(link) for link in store.list_links(db, viewer, agreement_id)]


@api_router.get("/agreements/{agreement_id}/feedback")
def api_answers(agreement_id: int, db: SessionDep, viewer: ViewerDep) -> list[dict[str, Any]]:
    """The answers about the agreement the caller may see (a customer: its own organisation's)."""
    return [store.answer_dict(a) for a in store.list_answers(db, viewer, agreement_id)]
