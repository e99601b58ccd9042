"""Customer feedback: the public one-answer form by token, and the provider's links (pages and API).

Public, no account: ``/f/{token}`` shows the built-in short questionnaire (CSAT 1–5, effort 1–5, NPS 0–10,
a comment), mobile-first, about the agreement and, for a per-record link, the shipment or ticket.  A valid
submission is stored once (:func:`ukur.store.feedback.submit_answer`) and the respondent sees a thank-you
page; a second submission, or opening the link again, gets a clear page saying the link was answered
(HTTP 409); an unknown token gets a "not valid" page (404).  The form never shows other answers, counts or
other customers.

A link may name a stored questionnaire of the survey module instead: ``/f/{token}`` then shows that
questionnaire's consent text (to be agreed to), its profile questions and items, and a comment; the answers
are checked like the public survey form's (:func:`ukur.web.routes.respond.read_answers`) and stored with
the link's agreement, record and customer (:func:`ukur.store.feedback.submit_survey_answer`), one per token.

Staff make links on the page ``/agreements/{id}/feedback-links/new`` (record, questionnaire and which of
its items give CSAT, effort and NPS), on the success page (``POST /agreements/{id}/feedback-links``; the
link is shown once) or through the API (``POST /api/v1/agreements/{id}/feedback-links``).  Whoever may see an agreement may list
the answers the access rules allow (``GET /api/v1/agreements/{id}/feedback``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from ukur.errors import DataError
from ukur.store import agreements
from ukur.store import feedback as store
from ukur.store.access import ensure_can_edit_sla
from ukur.store.errors import ConflictError, NotFoundError
from ukur.store.models_feedback import FeedbackLink
from ukur.store.models_survey import Survey
from ukur.success import feedback_questionnaire
from ukur.survey import Questionnaire
from ukur.survey.questionnaire import ProfileQuestion
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, language, render
from ukur.web.routes.api import ERRORS
from ukur.web.routes.respond import read_answers

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


def _survey_form(
    request: Request,
    token: str,
    link: FeedbackLink,
    title: str,
    q: Questionnaire,
    values: dict[str, str],
    errors: set[str],
    status_code: int = 200,
) -> Response:
    """The form of a link that names a survey questionnaire: consent, profile questions, items, comment."""
    lang = language(request)

    def text(value: Any) -> str:
        return value.get(lang) if value is not None else ""

    return render(
        request,
        "feedback_survey_form.html",
        status_code=status_code,
        token=token,
        title=title,
        record_id=link.record_id,
        q=q,
        qlang=lang,
        text={
            "title": text(q.title),
            "introduction": text(q.introduction),
            "consent": text(q.consent),
        },
        sections=q.sections(),
        labels=q.scale.labels_for(lang),
        values=values,
        errors=errors,
        is_profile=lambda question: isinstance(question, ProfileQuestion),
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
        q = store.link_questionnaire(db, link)
    except (NotFoundError, ConflictError) as exc:
        return _refused(request, exc)
    if q is not None:
        return _survey_form(request, token, link, agreement.title, q, {}, set())
    return _form(request, token, link, agreement.title, {}, None)


@router.post("/f/{token}")
async def submit(request: Request, token: str, db: SessionDep) -> Response:
    raw = await request.form()
    try:
        link, agreement = store.link_by_token(db, token)
        q = store.link_questionnaire(db, link)
    except NotFoundError as exc:
        return _refused(request, exc)
    if q is not None:
        return _submit_survey(request, token, db, link, agreement.title, q, raw)
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


def _submit_survey(
    request: Request,
    token: str,
    db: SessionDep,
    link: FeedbackLink,
    title: str,
    q: Questionnaire,
    raw: Any,
) -> Response:
    """Check and store the answers of a survey-questionnaire link (consent first), else show what is missing."""
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    answers, errors = read_answers(q, form)
    if form.get("agree") != "yes":
        errors.add("agree")
    if link.used_at is not None:
        return _refused(request, ConflictError("answered", field="token"))
    if errors:
        return _survey_form(request, token, link, title, q, form, errors, 400)
    try:
        store.submit_survey_answer(
            db, token, answers, comment=form.get("comment", "")[:2000], language=language(request)
        )
    except (NotFoundError, ConflictError) as exc:
        db.rollback()
        return _refused(request, exc)
    except (
        DataError
    ) as exc:  # a mapped item out of the built-in answer's range (the map is checked when made)
        db.rollback()
        return _survey_form(request, token, link, title, q, form, {exc.field or "agree"}, 400)
    return RedirectResponse("/f/thanks", status_code=303)


@router.get("/agreements/{agreement_id}/feedback-links/new")
def new_link_page(request: Request, agreement_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    """Staff: the form for a link, with the stored questionnaires to choose from and the item map."""
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    ensure_can_edit_sla(viewer)
    surveys = list(db.scalars(select(Survey).order_by(Survey.id.desc())))
    return render(request, "feedback_link_new.html", agreement=agreement, surveys=surveys)


def _int_or_none(value: object, field: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        raise DataError(f"{field} must be a number", field=field)
    return int(text)


@router.post("/agreements/{agreement_id}/feedback-links")
async def make_link(request: Request, agreement_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    """Staff: a new link, shown once on the page that answers this form."""
    raw = await request.form()
    record = str(raw.get("record_id") or "").strip() or None
    survey_id = _int_or_none(raw.get("survey_id"), "survey_id")
    answer_map = {name: str(raw.get(f"map_{name}") or "").strip() for name in ("csat", "effort", "nps")}
    given = {k: v for k, v in answer_map.items() if v}
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    link, token = store.create_link(
        db, viewer, agreement_id, record_id=record, survey_id=survey_id, answer_map=given or None
    )
    url = str(request.base_url).rstrip("/") + f"/f/{token}"
    return render(request, "feedback_link.html", status_code=201, agreement=agreement, link=link, url=url)


def _link_out(link: FeedbackLink) -> dict[str, Any]:
    return {
        "id": link.id,
        "agreement_id": link.agreement_id,
        "customer_org_id": link.customer_org_id,
        "record_id": link.record_id,
        "survey_id": link.survey_id,
        "answer_map": dict(link.answer_map or {}),
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
    """A one-answer feedback link (``{"record_id": …, "customer_org_id": …, "survey_id": …,
    "answer_map": {"csat": ITEM, "effort": ITEM, "nps": ITEM}}``, all optional).

    ``survey_id`` names a stored questionnaire to ask instead of the built-in one, and ``answer_map``
    which of its items give CSAT, effort and NPS (default: its items coded ``csat``, ``effort``, ``nps``).
    The answer holds the ``token`` and the public ``url``; both are shown only this once.
    """
    record = body.get("record_id")
    org = body.get("customer_org_id")
    survey_id = body.get("survey_id")
    answer_map = body.get("answer_map")
    if record is not None and not isinstance(record, str | int):
        raise DataError("record_id must be text", field="record_id")
    if org is not None and (not isinstance(org, int) or isinstance(org, bool)):
        raise DataError("customer_org_id must be a number", field="customer_org_id")
    if survey_id is not None and (not isinstance(survey_id, int) or isinstance(survey_id, bool)):
        raise DataError("survey_id must be a number", field="survey_id")
    if answer_map is not None and (
        not isinstance(answer_map, dict) or not all(isinstance(v, str) for v in answer_map.values())
    ):
        raise DataError("answer_map must map csat, effort, nps to item codes", field="answer_map")
    link, token = store.create_link(
        db,
        viewer,
        agreement_id,
        record_id=None if record is None else str(record),
        customer_org_id=org,
        survey_id=survey_id,
        answer_map=answer_map,
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
