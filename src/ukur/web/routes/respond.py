"""The public respondent form: no account, reached by the questionnaire's link ``/s/{key}`` (``?t=TOKEN``).

Flow: the consent page (the questionnaire's consent text, else the default notice on the processing of
personal data under Indonesia's UU 27/2022) must be agreed to; agreeing stamps the start time in the
signed session cookie; the form shows the sections of ``Questionnaire.sections()`` (``static/survey.js``
pages through them with a progress bar; without JavaScript all sections show, each with its number);
a valid submission is stored with its start and submission times and the respondent sees the thank-you
page.  An invitation token is good for one submission: a second one gets a page saying so (HTTP 409).
Respondents never see anything but the form: no answers, counts or other respondents.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ukur.store import surveys
from ukur.store.errors import ConflictError, NotFoundError
from ukur.store.models_survey import Survey
from ukur.store.types import utcnow
from ukur.survey import Questionnaire
from ukur.survey.questionnaire import AttentionCheck, ProfileQuestion
from ukur.web.deps import CsrfProtected, SessionDep, language, render

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])

MAX_OTHER = 200


def _slot(key: str) -> str:
    return f"respond:{key}"


def _refused(request: Request, survey: Survey | None, exc: Exception) -> Response:
    """A clear page for a closed form, an unknown or a used invitation (never a stack of errors)."""
    if isinstance(exc, ConflictError):
        reason, status = ("closed" if exc.field == "survey" else "used"), 409
    else:
        reason, status = ("token" if getattr(exc, "field", "") == "token" else "missing"), 404
    title = surveys.questionnaire_of(survey).title.get(language(request)) if survey is not None else ""
    return render(request, "respond_refused.html", status_code=status, reason=reason, title=title)


def _texts(q: Questionnaire, lang: str) -> dict[str, str]:
    def get(t: Any) -> str:
        return t.get(lang) if t is not None else ""

    return {
        "title": get(q.title),
        "introduction": get(q.introduction),
        "consent": get(q.consent),
        "thanks": get(q.thanks),
    }


@router.get("/s/{key}")
def consent_page(request: Request, key: str, db: SessionDep, t: str = "") -> Response:
    try:
        survey = surveys.get_public(db, key)
    except NotFoundError as exc:
        return _refused(request, None, exc)
    try:
        if not survey.is_open:
            raise ConflictError("closed", field="survey")
        surveys.use_token(db, survey, t or None)
    except (NotFoundError, ConflictError) as exc:
        return _refused(request, survey, exc)
    q = surveys.questionnaire_of(survey)
    lang = language(request)
    return render(request, "respond_consent.html", key=key, token=t, text=_texts(q, lang), error=False)


@router.post("/s/{key}/start")
async def start(request: Request, key: str, db: SessionDep) -> Response:
    """Agreeing to the consent text starts the clock of the too-fast check."""
    form = await request.form()
    token = str(form.get("t") or "")
    try:
        survey = surveys.get_public(db, key)
        if not survey.is_open:
            raise ConflictError("closed", field="survey")
        surveys.use_token(db, survey, token or None)
    except (NotFoundError, ConflictError) as exc:
        return _refused(request, None, exc)
    if form.get("agree") != "yes":
        q = surveys.questionnaire_of(survey)
        text = _texts(q, language(request))
        return render(request, "respond_consent.html", 400, key=key, token=token, text=text, error=True)
    request.session[_slot(key)] = {"started": utcnow().isoformat(), "token": token}
    return RedirectResponse(f"/s/{key}/form", status_code=303)


def _form_page(
    request: Request,
    survey: Survey,
    key: str,
    values: dict[str, str],
    errors: set[str],
    status_code: int = 200,
) -> Response:
    q = surveys.questionnaire_of(survey)
    lang = language(request)
    sections = q.sections()
    return render(
        request,
        "respond_form.html",
        status_code=status_code,
        key=key,
        q=q,
        text=_texts(q, lang),
        sections=sections,
        qlang=lang,
        labels=q.scale.labels_for(lang),
        values=values,
        errors=errors,
        is_profile=lambda question: isinstance(question, ProfileQuestion),
        is_attention=lambda question: isinstance(question, AttentionCheck),
    )


@router.get("/s/{key}/form")
def form_page(request: Request, key: str, db: SessionDep) -> Response:
    try:
        survey = surveys.get_public(db, key)
    except NotFoundError as exc:
        return _refused(request, None, exc)
    if _slot(key) not in request.session:
        return RedirectResponse(f"/s/{key}", status_code=303)
    return _form_page(request, survey, key, {}, set())


def read_answers(q: Questionnaire, form: dict[str, str]) -> tuple[dict[str, Any], set[str]]:
    """The answers of a submitted form (``a.CODE`` fields) and the codes that are missing or invalid.

    Likert items and attention checks must be one of the scale's values; a choice must be one of the
    options (or, with ``other``, a short free text); a number must lie within the question's range.
    """
    answers: dict[str, Any] = {}
    errors: set[str] = set()
    for p in q.profile:
        raw = form.get(f"a.{p.code}", "").strip()
        if p.kind == "choice":
            codes = {o.code for o in p.options}
            if raw == "__other__" and p.other:
                raw = form.get(f"a.{p.code}.other", "").strip()[:MAX_OTHER]
            elif raw and raw not in codes:
                errors.add(p.code)
                continue
            if raw:
                answers[p.code] = raw
        elif raw:
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                number = math.nan
            low = p.minimum if p.minimum is not None else -math.inf
            high = p.maximum if p.maximum is not None else math.inf
            if not (math.isfinite(number) and low <= number <= high):
                errors.add(p.code)
                continue
            answers[p.code] = int(number) if number.is_integer() else number
        if p.required and p.code not in answers:
            errors.add(p.code)
    on_scale = {str(v): v for v in q.scale.values}
    for code in q.likert_codes:
        raw = form.get(f"a.{code}", "").strip()
        if raw in on_scale:
            answers[code] = on_scale[raw]
        else:
            errors.add(code)
    return answers, errors


@router.post("/s/{key}/form")
async def submit(request: Request, key: str, db: SessionDep) -> Response:
    try:
        survey = surveys.get_public(db, key)
    except NotFoundError as exc:
        return _refused(request, None, exc)
    slot = request.session.get(_slot(key))
    if not isinstance(slot, dict):
        return RedirectResponse(f"/s/{key}", status_code=303)
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    q = surveys.questionnaire_of(survey)
    answers, errors = read_answers(q, form)
    if errors:
        return _form_page(request, survey, key, form, errors, status_code=400)
    try:
        surveys.submit_response(
            db,
            survey,
            answers,
            started_at=datetime.fromisoformat(slot["started"]),
            token=slot.get("token") or None,
            language=language(request),
        )
    except (NotFoundError, ConflictError) as exc:
        db.rollback()
        request.session.pop(_slot(key), None)
        return _refused(request, survey, exc)
    request.session.pop(_slot(key), None)
    return RedirectResponse(f"/s/{key}/thanks", status_code=303)


@router.get("/s/{key}/thanks")
def thanks(request: Request, key: str, db: SessionDep) -> Response:
    try:
        survey = surveys.get_public(db, key)
    except NotFoundError as exc:
        return _refused(request, None, exc)
    q = surveys.questionnaire_of(survey)
    return render(request, "respond_thanks.html", text=_texts(q, language(request)))
