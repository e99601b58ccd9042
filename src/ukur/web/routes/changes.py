"""Change requests, the version history with readable diffs, and the contract document download.

Pages (under an agreement the viewer may see; anything else is 404):

* ``/agreements/{id}/changes``: every version with its signatures and hash, every change request, the
  readable diff between any two versions (``?old=1&new=2``, objectives tightened or loosened, clauses
  changed, from :func:`ukur.sla.diff.diff_agreements`), document downloads per language and format;
* ``/agreements/{id}/changes/new``: propose a change to the newest version (or counter a request);
  errors are shown next to the numbered line they are on;
* ``/agreements/{id}/changes/{change}``: one request with its diff; the other party accepts or rejects;
* ``/agreements/{id}/versions/{n}/document?lang=id|en|bilingual&format=html|pdf|docx``: the contract.

The JSON API mirrors the workflow under ``/api/v1/agreements/{id}/changes``.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from ukur.errors import UkurError
from ukur.report.sla_document import build_document, render_document_html, render_document_pdf
from ukur.report.sla_document_docx import render_document_docx
from ukur.sla import Agreement as SlaAgreement
from ukur.sla.agreement import Signature as SlaSignature
from ukur.store import agreements, changes
from ukur.store.errors import NotFoundError, PermissionDenied
from ukur.store.models_changes import ChangeRequest
from ukur.store.models_sla import Agreement, AgreementVersion
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, flash, render
from ukur.web.routes.api import ERRORS

__all__ = ["api_router", "router"]

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])
api_router = APIRouter(prefix="/api/v1", dependencies=[CsrfProtected], responses=ERRORS, tags=["changes"])

FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}
DOC_LANGS = ("id", "en", "bilingual")


def _version(agreement: Agreement, number: int) -> AgreementVersion:
    found = next((v for v in agreement.versions if v.number == number), None)
    if found is None:
        raise NotFoundError(f"version {number} not found", field="version")
    return found


def text_diff(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    """Unified diff lines of two YAML texts (for the line-by-line view beside the readable one)."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), fromfile=old_name, tofile=new_name, lineterm=""
        )
    )


def readable(diff: Any) -> list[dict[str, Any]]:
    """The rows of an :class:`~ukur.sla.diff.AgreementDiff` as dicts for the templates."""
    rows: list[dict[str, Any]] = diff.to_dict()["changes"]
    return rows


@router.get("/agreements/{agreement_id}/changes")
def change_list(
    request: Request,
    agreement_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    old: int | None = None,
    new: int | None = None,
) -> Response:
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    compare: dict[str, Any] | None = None
    if old is not None and new is not None:
        a, b = _version(agreement, old), _version(agreement, new)
        try:
            loaded = changes.load_version(db, agreement, a)
            rows = readable(changes.version_diff(db, agreement, loaded, b.yaml_text))
            error = None
        except (NotFoundError, PermissionDenied):
            raise
        except UkurError as exc:
            rows, error = [], str(exc)
        lines = text_diff(a.yaml_text, b.yaml_text, f"version {old}", f"version {new}")
        compare = {"old": old, "new": new, "rows": rows, "lines": lines, "error": error}
    return render(
        request,
        "change_list.html",
        agreement=agreement,
        versions=agreement.versions,
        requests=changes.list_changes(db, viewer, agreement_id),
        compare=compare,
        party=changes.party_of(viewer),
        doc_langs=DOC_LANGS,
        formats=list(FORMATS),
    )


@router.get("/agreements/{agreement_id}/changes/new")
def change_form(
    request: Request, agreement_id: int, db: SessionDep, viewer: ViewerDep, counter: int | None = None
) -> Response:
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    if not agreement.versions:
        raise NotFoundError("the agreement has no version", field="version")
    answered = changes.get_change(db, viewer, agreement_id, counter) if counter is not None else None
    text = answered.yaml_text if answered is not None else agreement.versions[-1].yaml_text
    return _form(request, agreement, yaml_text=text, reason="", counter_of=answered)


def _form(
    request: Request,
    agreement: Agreement,
    *,
    yaml_text: str,
    reason: str,
    counter_of: ChangeRequest | None,
    error: UkurError | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "change_form.html",
        status_code=status_code,
        agreement=agreement,
        base=agreement.versions[-1],
        yaml_text=yaml_text,
        lines=yaml_text.split("\n"),
        reason=reason,
        counter_of=counter_of,
        error=error,
    )


@router.post("/agreements/{agreement_id}/changes")
def propose(
    request: Request,
    agreement_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    base_version: Annotated[int, Form()],
    yaml_text: Annotated[str, Form(max_length=1_000_000)],
    reason: Annotated[str, Form(max_length=5000)] = "",
    counter_of: Annotated[str, Form()] = "",
) -> Response:
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    answered = int(counter_of) if counter_of.strip().isdigit() else None
    try:
        change = changes.propose(
            db, viewer, agreement_id, base_version, yaml_text, reason, counter_of=answered
        )
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        agreement = agreements.get_agreement(db, viewer, agreement_id)
        counter = changes.get_change(db, viewer, agreement_id, answered) if answered is not None else None
        return _form(
            request,
            agreement,
            yaml_text=yaml_text.replace("\r\n", "\n"),
            reason=reason,
            counter_of=counter,
            error=exc,
            status_code=409 if type(exc).__name__ == "ConflictError" else 400,
        )
    flash(request, "changes.proposed", id=change.id)
    return RedirectResponse(f"/agreements/{agreement.id}/changes/{change.id}", status_code=303)


@router.get("/agreements/{agreement_id}/changes/{change_id}")
def change_page(
    request: Request, agreement_id: int, change_id: int, db: SessionDep, viewer: ViewerDep
) -> Response:
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    change = changes.get_change(db, viewer, agreement_id, change_id)
    base = change.base_version
    try:
        rows = readable(
            changes.version_diff(db, agreement, changes.load_version(db, agreement, base), change.yaml_text)
        )
        error = None
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        rows, error = [], str(exc)
    party = changes.party_of(viewer)
    return render(
        request,
        "change_request.html",
        agreement=agreement,
        change=change,
        rows=rows,
        error=error,
        lines=text_diff(base.yaml_text, change.yaml_text, f"version {base.number}", f"change {change.id}"),
        may_decide=change.status == "proposed" and change.proposer_party != party,
    )


@router.post("/agreements/{agreement_id}/changes/{change_id}/decide")
def decide(
    request: Request,
    agreement_id: int,
    change_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    decision: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    change = changes.decide(db, viewer, agreement_id, change_id, decision, note)
    flash(request, f"changes.{change.status}", id=change.id)
    return RedirectResponse(f"/agreements/{agreement_id}/changes/{change_id}", status_code=303)


def signed_agreement(loaded: SlaAgreement, version: AgreementVersion) -> SlaAgreement:
    """The loaded version with the stored signatures in place of the YAML's (the document's signature block)."""
    stored = tuple(
        SlaSignature(party=s.party, name=s.signer_name, role=s.signer_role, signed_at=s.signed_at.date())
        for s in version.signatures
    )
    return replace(loaded, signatures=stored) if stored else loaded


@router.get("/agreements/{agreement_id}/versions/{number}/document")
def document(
    agreement_id: int, number: int, db: SessionDep, viewer: ViewerDep, lang: str = "id", format: str = "html"
) -> Response:
    """The contract document of one version (H11's renderer), signed by the stored signatures."""
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    version = _version(agreement, number)
    if format not in FORMATS:
        raise UkurError(f"unknown format {format!r} (choose html, pdf or docx)", field="format")
    if lang not in DOC_LANGS:
        raise UkurError(f"unknown document language {lang!r} (choose id, en or bilingual)", field="lang")
    loaded = signed_agreement(changes.load_version(db, agreement, version), version)
    parent = None
    if loaded.parent is not None:
        parent = agreements.validate_agreement(db, _parent_text(db, loaded.parent), f"{loaded.parent}.yaml")
    built = build_document(loaded, lang=lang, parent=parent)
    media, suffix = FORMATS[format]
    if format == "html":
        payload = render_document_html(built).encode("utf-8")
    elif format == "pdf":
        payload = render_document_pdf(built)
    else:
        payload = render_document_docx(built)
    name = f"{agreement.slug}-v{number}-{lang}.{suffix}"
    return Response(
        payload, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _parent_text(db: SessionDep, slug: str) -> str:
    text = db.scalar(
        select(AgreementVersion.yaml_text)
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .where(Agreement.slug == slug)
        .order_by(AgreementVersion.number.desc())
    )
    if text is None:
        raise NotFoundError(f"parent agreement {slug} not found", field="parent")
    return text


class ChangeIn(BaseModel):
    base_version: int
    yaml: str = Field(min_length=1, max_length=1_000_000)
    reason: str = Field(min_length=1, max_length=5000)
    counter_of: int | None = None


class DecisionIn(BaseModel):
    decision: str = Field(pattern="^(accept|reject)$")
    note: str = Field("", max_length=5000)


def change_json(change: ChangeRequest) -> dict[str, Any]:
    """The API form of a change request."""
    return {
        "id": change.id,
        "agreement_id": change.agreement_id,
        "base_version": change.base_version.number,
        "proposer_id": change.proposer_id,
        "proposer_party": change.proposer_party,
        "reason": change.reason,
        "content_hash": change.content_hash,
        "status": change.status,
        "counter_of": change.counter_of_id,
        "result_version": change.result_version.number if change.result_version is not None else None,
        "decided_by": change.decided_by,
        "decided_at": change.decided_at.isoformat() if change.decided_at else None,
        "decision_note": change.decision_note,
        "effective_on": change.effective_on.isoformat() if change.effective_on else None,
        "created_at": change.created_at.isoformat(),
        "yaml": change.yaml_text,
    }


@api_router.get("/agreements/{agreement_id}/changes")
def api_changes(agreement_id: int, db: SessionDep, viewer: ViewerDep) -> list[dict[str, Any]]:
    """The agreement's change requests, newest first."""
    return [change_json(c) for c in changes.list_changes(db, viewer, agreement_id)]


@api_router.post("/agreements/{agreement_id}/changes", status_code=201)
def api_propose(
    agreement_id: int, body: Annotated[ChangeIn, Body()], db: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Propose a change to the newest version (``counter_of``: answer the other party's open request)."""
    change = changes.propose(
        db, viewer, agreement_id, body.base_version, body.yaml, body.reason, counter_of=body.counter_of
    )
    return change_json(change)


@api_router.post("/agreements/{agreement_id}/changes/{change_id}/decision")
def api_decide(
    agreement_id: int, change_id: int, body: Annotated[DecisionIn, Body()], db: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    """Accept (a new draft version is stored) or reject the other party's open request."""
    change = changes.decide(db, viewer, agreement_id, change_id, body.decision, body.note)
    db.flush()
    db.refresh(change)
    return change_json(change)


@api_router.get("/agreements/{agreement_id}/diff")
def api_diff(agreement_id: int, old: int, new: int, db: SessionDep, viewer: ViewerDep) -> dict[str, Any]:
    """The readable diff between two versions: the JSON of ``ukur sla diff --format json``."""
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    a, b = _version(agreement, old), _version(agreement, new)
    result: dict[str, Any] = changes.version_diff(
        db, agreement, changes.load_version(db, agreement, a), b.yaml_text
    ).to_dict()
    return result
