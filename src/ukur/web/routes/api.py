"""The JSON API under ``/api/v1``: agreements, records (bulk ingest), claims, jobs, the current user.

Authentication: a personal token (``Authorization: Bearer ukur_...``) or the browser's session cookie
(then unsafe methods need the ``X-CSRF-Token`` header).  Errors are ``UkurError.to_dict()`` bodies with
4xx codes; what the caller may not see is 404, exactly like what does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from ukur.errors import DataError
from ukur.jobs.base import JobStatus
from ukur.sla import Compliance
from ukur.sla.compliance import frame_records
from ukur.store import accounts, agreements, claims, compliance, pls, records
from ukur.store import jobs as job_rows
from ukur.web.deps import CsrfProtected, CurrentUser, SessionDep, ViewerDep, state
from ukur.web.schemas import (
    AgreementIn,
    AgreementOut,
    ClaimIn,
    ClaimMove,
    ClaimOut,
    ErrorOut,
    ImportOut,
    JobOut,
    MeOut,
    PlsRunOut,
    RecordOut,
    RecordPage,
    SignatureIn,
    SignatureOut,
    StreamOut,
    VersionOut,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 422)
}
router = APIRouter(prefix="/api/v1", dependencies=[CsrfProtected], responses=ERRORS)
MAX_RECORDS = 100_000


@router.get("/me", tags=["account"])
def me(user: CurrentUser) -> MeOut:
    return MeOut(
        id=user.id, email=user.email, name=user.name, role=user.role, organisation_id=user.organisation_id
    )


@router.get("/agreements", tags=["agreements"])
def list_agreements(db: SessionDep, viewer: ViewerDep) -> list[AgreementOut]:
    return [AgreementOut.of(a) for a in agreements.list_agreements(db, viewer)]


@router.post("/agreements", status_code=201, tags=["agreements"])
def upload_agreement(body: AgreementIn, db: SessionDep, viewer: ViewerDep) -> VersionOut:
    """Store a new agreement, or a new version when its YAML ``id`` already exists."""
    version = agreements.upload_agreement(
        db, viewer, body.yaml, customer_org_id=body.customer_org_id, note=body.note
    )
    return VersionOut.of(version, with_text=True)


@router.get("/agreements/{agreement_id}", tags=["agreements"])
def get_agreement(agreement_id: int, db: SessionDep, viewer: ViewerDep) -> AgreementOut:
    return AgreementOut.of(agreements.get_agreement(db, viewer, agreement_id))


@router.get("/agreements/{agreement_id}/versions/{number}", tags=["agreements"])
def get_version(agreement_id: int, number: int, db: SessionDep, viewer: ViewerDep) -> VersionOut:
    return VersionOut.of(agreements.get_version(db, viewer, agreement_id, number), with_text=True)


@router.post("/agreements/{agreement_id}/versions/{number}/signatures", status_code=201, tags=["agreements"])
def sign_version(
    agreement_id: int, number: int, body: SignatureIn, db: SessionDep, viewer: ViewerDep
) -> SignatureOut:
    """Sign for your side: provider staff for the provider, a customer for the customer."""
    party = "provider" if viewer.is_provider else "customer"
    signature = agreements.sign_version(
        db,
        viewer,
        agreement_id,
        number,
        party=party,
        signer_name=body.signer_name,
        signer_role=body.signer_role,
    )
    return SignatureOut.model_validate(signature)


def computed_evaluation(
    cached: compliance.CachedEvaluation, agreement_id: int, response: Response
) -> Compliance:
    """The result of :func:`ukur.store.compliance.cached_evaluation` (which always evaluates when nothing
    fresh is cached), with its time in the ``X-Ukur-Computed-At`` header.  Checked explicitly, not by
    ``assert``, so the check survives ``python -O``."""
    if cached.result is None or cached.computed_at is None:
        raise RuntimeError(f"the evaluation cache returned no result for agreement {agreement_id}")
    response.headers["X-Ukur-Computed-At"] = cached.computed_at.isoformat()
    return cached.result


@router.get("/agreements/{agreement_id}/evaluation", tags=["agreements"])
def evaluation(
    agreement_id: int,
    request: Request,
    response: Response,
    db: SessionDep,
    viewer: ViewerDep,
    period: Annotated[str | None, Query(description="e.g. 2026-01, 2026-Q1, 2026")] = None,
    as_of: Annotated[str | None, Query(description="ISO 8601 'now' for open records")] = None,
    include_records: Annotated[bool, Query(description="Include one row per record and objective.")] = False,
) -> dict[str, Any]:
    """The newest version evaluated on the stored records: the JSON of ``ukur sla evaluate --format json``.

    Without ``as_of`` the result comes from the evaluation cache when it is fresh (header
    ``X-Ukur-Computed-At`` says when it was computed); with ``as_of`` it is always computed."""
    if as_of:
        result = compliance.evaluate_agreement(db, viewer, agreement_id, period=period, as_of=as_of)
    else:
        cached = compliance.cached_evaluation(
            db, viewer, agreement_id, period=period, max_age=state(request).settings.evaluation_max_age
        )
        result = computed_evaluation(cached, agreement_id, response)
    document = result.to_dict()
    if not include_records:
        document["records"] = []
    return document


@router.get("/agreements/{agreement_id}/status", tags=["agreements"])
def agreement_status(
    agreement_id: int, request: Request, response: Response, db: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """The newest window that has records: is every objective met, which are not, the credit owed in it
    (from the evaluation cache when fresh; header ``X-Ukur-Computed-At``)."""
    cached = compliance.cached_evaluation(
        db, viewer, agreement_id, max_age=state(request).settings.evaluation_max_age
    )
    result = computed_evaluation(cached, agreement_id, response)
    windows = [w for w in frame_records(result.windows) if w.get("total")]
    if not windows:
        return {"window": None, "ok": None, "failing": [], "credit": 0.0}
    latest = max(str(w["window"]) for w in windows)
    current = [w for w in windows if str(w["window"]) == latest]
    failing = sorted({str(w["objective"]) for w in current if w.get("ok") is False})
    credit = sum(float(w.get("credit") or 0.0) for w in current)
    return {"window": latest, "ok": not failing, "failing": failing, "credit": credit}


@router.get("/agreements/{agreement_id}/records/{record_id}/explanation", tags=["agreements"])
def explanation(
    agreement_id: int,
    record_id: str,
    db: SessionDep,
    viewer: ViewerDep,
    objective: str | None = None,
    as_of: str | None = None,
) -> list[dict[str, Any]]:
    """How a record's clock ran under each objective (the JSON of ``ukur sla explain``)."""
    found = compliance.explain(db, viewer, agreement_id, record_id, objective=objective, as_of=as_of)
    return [e.to_dict() for e in found]


@router.get("/streams", tags=["records"])
def list_streams(db: SessionDep, viewer: ViewerDep) -> list[StreamOut]:
    return [StreamOut.model_validate(s) for s in records.list_streams(db, viewer)]


@router.post("/organisations/{organisation_id}/streams/{stream}/records", tags=["records"])
def ingest_records(
    organisation_id: int,
    stream: str,
    db: SessionDep,
    viewer: ViewerDep,
    rows: Annotated[list[dict[str, Any]], Body(description="Records, each an object with an `id`.")],
) -> ImportOut:
    """Insert or update records by ``(stream, id)``: re-sending the same records changes nothing twice.

    All or nothing: if any row is wrong, nothing is stored and the error lists the rows.
    """
    if len(rows) > MAX_RECORDS:
        raise DataError(f"at most {MAX_RECORDS} records per request; send them in parts", field="records")
    target = records.stream_for(db, viewer, organisation_id, stream)
    summary = records.import_records(db, viewer, target, rows, source=stream)
    return ImportOut(**summary.to_dict())


@router.post("/organisations/{organisation_id}/streams/{stream}/statuses", tags=["records"])
def ingest_statuses(
    organisation_id: int,
    stream: str,
    db: SessionDep,
    viewer: ViewerDep,
    rows: Annotated[list[dict[str, Any]], Body(description="Status changes: `record_id`, `status`, `at`.")],
    timezone: Annotated[str, Query(description="IANA zone of times without an offset")] = "UTC",
) -> dict[str, int]:
    """Add status changes of records (for pause clocks); changes already stored are skipped."""
    if len(rows) > MAX_RECORDS:
        raise DataError(f"at most {MAX_RECORDS} status changes per request; send them in parts", field="rows")
    target = records.stream_for(db, viewer, organisation_id, stream)
    added = records.import_statuses(db, viewer, target, rows, timezone=timezone, source=stream)
    return {"received": len(rows), "added": added}


@router.get("/streams/{stream_id}/records", tags=["records"])
def list_records(
    stream_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> RecordPage:
    page, total = records.list_records(db, viewer, stream_id, limit=limit, offset=offset)
    return RecordPage(
        total=total,
        records=[RecordOut(id=r.record_id, payload=r.payload, updated_at=r.updated_at) for r in page],
    )


@router.get("/claims", tags=["claims"])
def list_claims(db: SessionDep, viewer: ViewerDep, agreement_id: int | None = None) -> list[ClaimOut]:
    return [ClaimOut.of(c) for c in claims.list_claims(db, viewer, agreement_id)]


@router.post("/agreements/{agreement_id}/claims", status_code=201, tags=["claims"])
def file_claim(agreement_id: int, body: ClaimIn, db: SessionDep, viewer: ViewerDep) -> ClaimOut:
    claim = claims.file_claim(db, viewer, agreement_id, **body.model_dump())
    return ClaimOut.of(claim)


@router.post("/claims/{claim_id}/transitions", tags=["claims"])
def move_claim(claim_id: int, body: ClaimMove, db: SessionDep, viewer: ViewerDep) -> ClaimOut:
    """Review, approve, deny or mark compensated (provider staff)."""
    return ClaimOut.of(claims.move_claim(db, viewer, claim_id, body.to_status, body.note))


@router.get("/jobs/{job_id}", tags=["jobs"])
def job_status(job_id: int, db: SessionDep, viewer: ViewerDep) -> JobOut:
    """A background job's state and progress (its owner or provider staff)."""
    return JobOut(**JobStatus.of(job_rows.get_job(db, viewer, job_id)).to_dict())


@router.get("/pls/runs/{run_id}", tags=["pls"])
def pls_run(run_id: int, db: SessionDep, viewer: ViewerDep) -> PlsRunOut:
    """A PLS run: status, progress and, when done, the results (the JSON of ``ukur pls estimate``)."""
    run = pls.get_run(db, viewer, run_id)
    return PlsRunOut(
        id=run.id,
        project_id=run.project_id,
        dataset_id=run.dataset_id,
        job_id=run.job_id,
        status=run.status,
        progress=run.progress,
        options=run.options,
        results=run.results,
        error=run.error,
    )


@router.get("/tokens", tags=["account"])
def list_tokens(db: SessionDep, viewer: ViewerDep) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at.isoformat(),
            "revoked": t.revoked_at is not None,
        }
        for t in accounts.list_tokens(db, viewer)
    ]


@router.delete("/tokens/{token_id}", status_code=204, tags=["account"])
def revoke_token(token_id: int, db: SessionDep, viewer: ViewerDep) -> None:
    accounts.revoke_token(db, viewer, token_id)
