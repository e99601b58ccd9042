"""Agreement pages: the list with the upload form, one agreement with its versions, signing a version.

The pages that show compliance, breaches and credits build on these: they read the same
``agreements.get_agreement(db, viewer, id)`` (which already applies the organisation filter) and add
their own sections to ``agreement.html``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from ukur.errors import DataError, UkurError
from ukur.io import parse_table
from ukur.jobs.evaluation_refresh import KIND as REFRESH
from ukur.jobs.evaluation_refresh import recent_failure, start_once
from ukur.sla import Compliance
from ukur.sla.compliance import frame_records
from ukur.store import accounts, agreements, claims, compliance, records
from ukur.store.access import ensure_can_edit_sla
from ukur.store.errors import NotFoundError, PermissionDenied
from ukur.store.models import Organisation
from ukur.store.reminders import due_reminders
from ukur.store.types import utcnow
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, flash, render, state

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])


def _org_names(db: SessionDep) -> dict[int, str]:
    return {org.id: org.name for org in accounts.list_organisations(db)}


def _list_page(
    request: Request, db: SessionDep, viewer: ViewerDep, status_code: int = 200, **form: object
) -> Response:
    customers = accounts.list_organisations(db, "customer") if viewer.is_provider else []
    return render(
        request,
        "agreements.html",
        status_code=status_code,
        agreements=agreements.list_agreements(db, viewer),
        orgs=_org_names(db),
        customers=customers,
        form=form,
        reminders=due_reminders(db, viewer, today=utcnow().date()),
    )


@router.get("/agreements")
def agreement_list(request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
    return _list_page(request, db, viewer)


async def read_text_upload(upload: UploadFile | None) -> str | None:
    """An uploaded text file as str: UTF-8 (with or without BOM), else Latin-1 is refused with a message."""
    if upload is None or not upload.filename:
        return None
    raw = await upload.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"the file is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8 and upload again",
            source=upload.filename,
        ) from None


@router.post("/agreements")
async def agreement_upload(
    request: Request,
    db: SessionDep,
    viewer: ViewerDep,
    yaml_text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    customer_org_id: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        uploaded = await read_text_upload(file)
        text = uploaded if uploaded is not None else yaml_text
        source = file.filename if file is not None and file.filename else "agreement.yaml"
        if not text.strip():
            raise UkurError("paste the agreement or choose a file", field="yaml_text")
        customer = int(customer_org_id) if customer_org_id.strip().isdigit() else None
        version = agreements.upload_agreement(
            db, viewer, text.replace("\r\n", "\n"), customer_org_id=customer, note=note, source=source
        )
    except UkurError as exc:
        db.rollback()
        if isinstance(exc, PermissionDenied | NotFoundError):
            raise
        return _list_page(request, db, viewer, status_code=400, error=exc, yaml_text=yaml_text, note=note)
    flash(request, "agreements.uploaded", number=version.number, slug=version.agreement.slug)
    return RedirectResponse(f"/agreements/{version.agreement_id}", status_code=303)


@router.get("/agreements/{agreement_id}")
def agreement_page(
    request: Request,
    agreement_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    v: int | None = None,
    diff: int | None = None,
    period: str | None = None,
) -> Response:
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    versions = agreement.versions
    shown = next((ver for ver in versions if ver.number == v), versions[-1] if versions else None)
    diff_text = None
    if diff is not None and shown is not None:
        old = next((ver for ver in versions if ver.number == diff), None)
        if old is not None:
            diff_text = agreements.version_diff(old, shown)
    orgs = {org.id: org for org in db.query(Organisation).all()}
    summary, summary_error, computed_at, refreshing, job_id = None, None, None, False, None
    settings = state(request).settings
    try:
        shown_result = compliance.evaluation_view(
            db,
            viewer,
            agreement_id,
            period=period,
            max_age=settings.evaluation_max_age,
            inline_records=settings.evaluation_inline_records,
        )
        if shown_result.result is not None:
            summary = compliance_summary(shown_result.result)
        computed_at, refreshing = shown_result.computed_at, shown_result.refreshing
        refresh = {"agreement_id": agreement_id, "period": period or "", "key": shown_result.key}
        failed = recent_failure(db, REFRESH, refresh, settings.evaluation_max_age) if refreshing else None
        if (
            failed is not None
        ):  # show the error; the same job again would reload for ever (until inputs change)
            summary_error, refreshing = str(failed.get("message") or "the evaluation failed"), False
        elif refreshing:
            job_id = start_once(
                state(request).queue,
                db,
                REFRESH,
                refresh,
                {**refresh, "user_id": viewer.user_id},
                viewer.user_id,
            )
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        summary_error = str(exc)
    return render(
        request,
        "agreement.html",
        agreement=agreement,
        versions=versions,
        shown=shown,
        diff_from=diff,
        diff_text=diff_text,
        orgs=orgs,
        party="provider" if viewer.is_provider else "customer",
        summary=summary,
        summary_error=summary_error,
        computed_at=computed_at,
        refreshing=refreshing,
        job_id=job_id,
        claims=claims.list_claims(db, viewer, agreement_id),
        transitions=claims.TRANSITIONS,
        period=period or "",
    )


def compliance_summary(result: Compliance) -> dict[str, Any]:
    """What the agreement page shows: the windows that have records, credits owed, notes, record errors."""
    windows = [w for w in frame_records(result.windows) if w.get("total")]
    fee = result.agreement.fee
    return {
        "windows": windows,
        "breached": sum(int(w.get("breached") or 0) for w in windows),
        "total_credit": result.total_credit,
        "currency": fee.currency if fee is not None else "",
        "notes": list(result.notes),
        "errors": list(result.errors),
        "draft": result.draft,
        "streams": list(result.agreement.streams),
        "attention": attention_records(result),
    }


def attention_records(result: Compliance, limit: int = 50) -> list[dict[str, Any]]:
    """Breached and at-risk records, newest deadline first, for the list under the compliance table."""
    table = result.records
    if not len(table):
        return []
    flagged = table[table["status"].isin(["breached", "at_risk"])]
    if "deadline" in flagged.columns:
        flagged = flagged.sort_values("deadline", ascending=False, na_position="last")
    return frame_records(flagged.head(limit)[["stream", "id", "objective", "status", "window"]])


@router.post("/agreements/{agreement_id}/records")
async def upload_records(
    request: Request,
    agreement_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    stream: Annotated[str, Form(max_length=100)],
    file: Annotated[UploadFile | None, File()] = None,
    csv_text: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Records for one stream from a CSV/XLSX/JSON file: a preview with row errors first, then stored."""
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    ensure_can_edit_sla(viewer)
    if file is not None and file.filename:
        content, name = await file.read(), file.filename
    else:
        content, name = csv_text.encode("utf-8"), "records.csv"
    context: dict[str, Any] = {"agreement": agreement, "stream": stream.strip(), "name": name}
    try:
        if not content.strip():
            raise DataError("choose a file with records", field="file")
        frame = parse_table(content, name=name)
        rows = json.loads(frame.to_json(orient="records", force_ascii=False))
        records.validate_rows(rows, name)
        if confirm != "1":
            context.update(
                count=len(rows),
                columns=list(frame.columns),
                sample=rows[:20],
                csv_text=frame.to_csv(index=False),
            )
            return render(request, "records_preview.html", **context)
        target = records.stream_for(
            db, viewer, agreement.customer_org_id or agreement.provider_org_id, stream
        )
        summary = records.import_records(db, viewer, target, rows, source=name)
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        return render(request, "records_preview.html", status_code=400, error=str(exc), **context)
    flash(request, "records.stored", inserted=summary.inserted, updated=summary.updated, stream=target.name)
    return RedirectResponse(f"/agreements/{agreement_id}", status_code=303)


@router.post("/agreements/{agreement_id}/versions/{number}/sign")
def sign(
    request: Request,
    agreement_id: int,
    number: int,
    db: SessionDep,
    viewer: ViewerDep,
    signer_name: Annotated[str, Form(max_length=200)],
    signer_role: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    party = "provider" if viewer.is_provider else "customer"
    agreements.sign_version(
        db, viewer, agreement_id, number, party=party, signer_name=signer_name, signer_role=signer_role
    )
    flash(request, "agreements.signed", number=number, party=party)
    return RedirectResponse(f"/agreements/{agreement_id}?v={number}", status_code=303)


@router.post("/agreements/{agreement_id}/claims")
def file_claim(
    request: Request,
    agreement_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    kind: Annotated[str, Form(max_length=60)],
    record_id: Annotated[str, Form(max_length=200)] = "",
    amount: Annotated[str, Form(max_length=40)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """File a claim (the customer on its own agreement, or staff on its behalf)."""
    claim = claims.file_claim(
        db,
        viewer,
        agreement_id,
        kind=kind,
        record_id=record_id,
        amount=amount or None,
        description=description,
    )
    flash(request, "claims.filed", id=claim.id)
    return RedirectResponse(f"/agreements/{agreement_id}#claims", status_code=303)


@router.post("/claims/{claim_id}/move")
def move_claim(
    request: Request,
    claim_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    to_status: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Review, approve, deny or mark a claim compensated (provider staff); the step is recorded."""
    claim = claims.move_claim(db, viewer, claim_id, to_status, note)
    flash(request, "claims.moved", id=claim.id, status=to_status)
    return RedirectResponse(f"/agreements/{claim.agreement_id}#claims", status_code=303)


@router.get("/agreements/{agreement_id}/records")
def record_lookup(agreement_id: int, record_id: str) -> Response:
    """The "explain a record" form: go to the record's page."""
    return RedirectResponse(
        f"/agreements/{agreement_id}/records/{quote(record_id.strip(), safe='')}", status_code=303
    )


@router.get("/agreements/{agreement_id}/records/{record_id}")
def record_page(
    request: Request, agreement_id: int, record_id: str, db: SessionDep, viewer: ViewerDep
) -> Response:
    """One record's clock under each objective that reads it: what counted, what was paused or closed."""
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    try:
        explanations = [e.to_dict() for e in compliance.explain(db, viewer, agreement_id, record_id)]
        error = None
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        explanations, error = [], str(exc)
    return render(
        request,
        "record.html",
        status_code=404 if error else 200,
        agreement=agreement,
        record_id=record_id,
        explanations=explanations,
        error=error,
    )
