"""Researcher pages of questionnaires: upload and edit the YAML, the public link and invitations, the
generated measurement model, sample-size planning, the responses with their screening flags, exclusions
with reasons, the cleaned export, "analyse" (a PLS project), and one respondent's data export/erasure.

YAML errors are shown next to the offending line of a numbered listing of the text that was sent.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ukur.errors import UkurError
from ukur.store import surveys
from ukur.store.errors import NotFoundError, PermissionDenied
from ukur.store.models_survey import Survey
from ukur.survey import measurement_syntax, plan_sample_size
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, flash, render, require_roles

router = APIRouter(
    include_in_schema=False, dependencies=[CsrfProtected, require_roles("researcher", "admin")]
)

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def listing(text: str, error: UkurError | None) -> list[dict[str, Any]]:
    """The YAML as numbered lines; the error's line is marked and its message follows it."""
    rows: list[dict[str, Any]] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        bad = error is not None and error.line == number
        rows.append({"number": number, "text": line, "bad": bad})
        if bad and error is not None:
            rows.append({"number": None, "text": error.message, "bad": False})
    return rows


async def _yaml_from(yaml_text: str, file: UploadFile | None) -> str:
    if file is not None and file.filename:
        content = await file.read()
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UkurError("the questionnaire file is not UTF-8 text", source=file.filename) from None
    return yaml_text


@router.get("/surveys")
def survey_list(request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
    return render(
        request,
        "survey_list.html",
        surveys=surveys.list_surveys(db, viewer),
        error=None,
        yaml_text="",
        rows=[],
    )


@router.post("/surveys")
async def create(
    request: Request,
    db: SessionDep,
    viewer: ViewerDep,
    yaml_text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    text = ""
    try:
        text = await _yaml_from(yaml_text, file)
        survey = surveys.create_survey(db, viewer, text)
    except PermissionDenied:
        raise
    except UkurError as exc:
        db.rollback()
        return render(
            request,
            "survey_list.html",
            status_code=400,
            surveys=surveys.list_surveys(db, viewer),
            error=exc,
            yaml_text=text,
            rows=listing(text, exc),
        )
    return RedirectResponse(f"/surveys/{survey.id}", status_code=303)


def _detail(
    request: Request,
    db: SessionDep,
    viewer: ViewerDep,
    survey_id: int,
    *,
    status_code: int = 200,
    error: UkurError | None = None,
    yaml_text: str | None = None,
    new_links: list[str] | None = None,
    plan_error: str | None = None,
) -> Response:
    survey = surveys.get_survey(db, viewer, survey_id)
    q = surveys.questionnaire_of(survey)
    text = survey.current.yaml_text if yaml_text is None else yaml_text
    params = request.query_params
    plan = None
    try:
        if "min_path" in params:
            plan = plan_sample_size(
                float(params["min_path"]),
                alpha=float(params.get("alpha", "0.05")),
                power=float(params.get("power", "0.8")),
                max_arrows=int(params["max_arrows"]) if params.get("max_arrows") else None,
            )
    except (UkurError, ValueError) as exc:
        plan_error = str(exc)
    made, used = surveys.token_counts(db, survey)
    return render(
        request,
        "survey_detail.html",
        status_code=status_code,
        survey=survey,
        q=q,
        link=_link(request, survey),
        model_text=measurement_syntax(q),
        yaml_text=text,
        error=error,
        rows=listing(text, error) if error is not None else [],
        plan=plan,
        plan_error=plan_error,
        params=params,
        tokens_made=made,
        tokens_used=used,
        new_links=new_links or [],
        responses=surveys.response_count(db, survey),
    )


def _link(request: Request, survey: Survey) -> str:
    return str(request.base_url).rstrip("/") + f"/s/{survey.public_key}"


@router.get("/surveys/{survey_id}")
def detail(request: Request, survey_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    return _detail(request, db, viewer, survey_id)


@router.post("/surveys/{survey_id}/yaml")
async def save_yaml(
    request: Request,
    survey_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    yaml_text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    text = ""
    try:
        text = await _yaml_from(yaml_text, file)
        version = surveys.add_version(db, viewer, survey_id, text)
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        return _detail(request, db, viewer, survey_id, status_code=400, error=exc, yaml_text=text)
    flash(request, "survey.saved", number=version.number)
    return RedirectResponse(f"/surveys/{survey_id}", status_code=303)


@router.post("/surveys/{survey_id}/state")
def set_state(
    survey_id: int, db: SessionDep, viewer: ViewerDep, is_open: Annotated[str, Form()] = "no"
) -> Response:
    surveys.set_state(db, viewer, survey_id, is_open=is_open == "yes")
    return RedirectResponse(f"/surveys/{survey_id}", status_code=303)


@router.post("/surveys/{survey_id}/tokens")
def make_tokens(
    request: Request,
    survey_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    count: Annotated[int, Form(ge=1, le=surveys.MAX_TOKENS)] = 10,
) -> Response:
    """Invitations are shown once, on the page this answers: only their hashes are stored."""
    survey = surveys.get_survey(db, viewer, survey_id)
    tokens = surveys.create_tokens(db, viewer, survey_id, count)
    links = [f"{_link(request, survey)}?t={t}" for t in tokens]
    return _detail(request, db, viewer, survey_id, new_links=links)


@router.get("/surveys/{survey_id}/responses")
def responses_page(request: Request, survey_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    return _responses(request, db, viewer, survey_id)


def _responses(
    request: Request, db: SessionDep, viewer: ViewerDep, survey_id: int, error: str | None = None
) -> Response:
    collected = surveys.collect(db, viewer, survey_id)
    q = collected.questionnaire
    data = collected.imported.data if collected.imported is not None else None
    columns = [c for c in (*(p.code for p in q.profile), *q.likert_codes)]
    rows = []
    flags, details = collected.flags(), collected.details()
    for r in collected.responses:
        values = (
            [] if data is None else [_cell(data.at[r.id, c]) if c in data.columns else "" for c in columns]
        )
        rows.append(
            {
                "response": r,
                "values": values,
                "flags": flags.get(r.id, ""),
                "details": details.get(r.id, ""),
                "seconds": None if r.started_at is None else (r.submitted_at - r.started_at).total_seconds(),
            }
        )
    checks = [] if collected.screening is None else collected.screening.checks.to_dict("records")
    return render(
        request,
        "survey_responses.html",
        status_code=200 if error is None else 400,
        survey=collected.survey,
        q=q,
        columns=columns,
        rows=rows,
        checks=checks,
        error=error,
        constructs=[c.name for c in q.constructs],
    )


def _cell(value: object) -> str:
    if value is None or value != value:  # NaN or missing
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@router.post("/surveys/{survey_id}/exclusions")
async def exclude(request: Request, survey_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    form = await request.form()
    ids = [int(v) for v in form.getlist("response") if isinstance(v, str) and v.isdigit()]
    checks = [v for v in form.getlist("check") if isinstance(v, str) and v]
    reason = str(form.get("reason") or "")[:2000]
    try:
        added = surveys.exclude(db, viewer, survey_id, response_ids=ids, checks=checks, reason=reason)
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        return _responses(request, db, viewer, survey_id, error=str(exc))
    flash(request, "survey.excluded", count=added)
    return RedirectResponse(f"/surveys/{survey_id}/responses", status_code=303)


@router.post("/surveys/{survey_id}/responses/{response_id}/include")
def include(survey_id: int, response_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    surveys.include(db, viewer, survey_id, response_id)
    return RedirectResponse(f"/surveys/{survey_id}/responses", status_code=303)


@router.get("/surveys/{survey_id}/export.{fmt}")
def export(survey_id: int, fmt: str, db: SessionDep, viewer: ViewerDep) -> Response:
    """The cleaned data (kept respondents) as CSV, or XLSX with codebook, profile and excluded sheets."""
    if fmt not in EXPORT_TYPES:
        raise NotFoundError(f"no export as {fmt!r}", field="format")
    content = surveys.cleaned_export(db, viewer, survey_id, fmt)
    return Response(
        content,
        media_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="survey-{survey_id}-cleaned.{fmt}"'},
    )


@router.post("/surveys/{survey_id}/analyse")
def analyse(
    request: Request, survey_id: int, db: SessionDep, viewer: ViewerDep, paths: Annotated[str, Form()] = ""
) -> Response:
    """A PLS project from the cleaned data and the questionnaire's model (plus the paths given)."""
    try:
        project = surveys.analyse(db, viewer, survey_id, paths.replace("\r\n", "\n").split("\n"))
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        return _responses(request, db, viewer, survey_id, error=str(exc))
    return RedirectResponse(f"/pls/{project.id}", status_code=303)


@router.get("/surveys/{survey_id}/responses/{response_id}.json")
def export_response(survey_id: int, response_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    """One respondent's data, for a request under UU 27/2022 (access to one's personal data)."""
    data = surveys.export_response(db, viewer, survey_id, response_id)
    return JSONResponse(
        data,
        headers={
            "Content-Disposition": f'attachment; filename="survey-{survey_id}-response-{response_id}.json"'
        },
    )


@router.post("/surveys/{survey_id}/responses/{response_id}/erase")
def erase_response(
    request: Request,
    survey_id: int,
    response_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    confirm: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Delete one respondent's answers (UU 27/2022 erasure); the audit log keeps no answer.

    Erasure cannot be undone, so the form asks for the response number to be typed again.
    """
    surveys.get_response(db, viewer, survey_id, response_id)  # 404 before anything else
    if confirm.strip().lstrip("#") != str(response_id):
        return _responses(request, db, viewer, survey_id, error=f"type {response_id} to confirm the erasure")
    surveys.erase_response(db, viewer, survey_id, response_id)
    flash(request, "survey.erased", number=response_id)
    return RedirectResponse(f"/surveys/{survey_id}/responses", status_code=303)
