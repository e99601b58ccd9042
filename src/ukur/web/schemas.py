"""Pydantic schemas of the JSON API: separate shapes for what comes in and what goes out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ukur.store.models_sla import Agreement, AgreementVersion, Claim

__all__ = [
    "AgreementIn",
    "AgreementOut",
    "ClaimIn",
    "ClaimMove",
    "ClaimOut",
    "ErrorOut",
    "ImportOut",
    "JobOut",
    "MeOut",
    "PlsRunOut",
    "SignatureIn",
    "SignatureOut",
    "StreamOut",
    "VersionOut",
]


class ErrorOut(BaseModel):
    """Every 4xx/5xx body: ``UkurError.to_dict()``."""

    error: str
    message: str
    source: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None


class MeOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    organisation_id: int | None


class SignatureOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    party: str
    signer_name: str
    signer_role: str
    content_hash: str
    signed_at: datetime


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    content_hash: str
    note: str
    author_id: int | None
    created_at: datetime
    signatures: list[SignatureOut]
    yaml: str | None = None

    @classmethod
    def of(cls, version: AgreementVersion, *, with_text: bool = False) -> VersionOut:
        out = cls.model_validate(version)
        out.yaml = version.yaml_text if with_text else None
        return out


class AgreementOut(BaseModel):
    id: int
    slug: str
    title: str
    provider_org_id: int
    customer_org_id: int | None
    created_at: datetime
    versions: list[VersionOut]

    @classmethod
    def of(cls, agreement: Agreement) -> AgreementOut:
        return cls(
            id=agreement.id,
            slug=agreement.slug,
            title=agreement.title,
            provider_org_id=agreement.provider_org_id,
            customer_org_id=agreement.customer_org_id,
            created_at=agreement.created_at,
            versions=[VersionOut.of(v) for v in agreement.versions],
        )


class AgreementIn(BaseModel):
    """A new agreement or a new version of one (the YAML ``id`` decides which)."""

    yaml: str = Field(min_length=1, max_length=1_000_000, description="The agreement's YAML text.")
    customer_org_id: int | None = Field(
        None, description="Defaults to the organisation named in `customer.name`."
    )
    note: str = Field("", max_length=2000, description="What changed in this version.")


class SignatureIn(BaseModel):
    signer_name: str = Field(min_length=1, max_length=200)
    signer_role: str = Field("", max_length=200)


class StreamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    name: str


class ImportOut(BaseModel):
    stream_id: int
    received: int
    inserted: int
    updated: int


class RecordOut(BaseModel):
    id: str
    payload: dict[str, Any]
    updated_at: datetime


class RecordPage(BaseModel):
    total: int
    records: list[RecordOut]


class ClaimIn(BaseModel):
    kind: str = Field(min_length=1, max_length=60, description="late, damaged, lost, ...")
    stream: str | None = None
    record_id: str | None = None
    amount: str | None = Field(None, description="Decimal amount as text, e.g. '150000.00'.")
    currency: str | None = Field(None, max_length=3)
    description: str = Field("", max_length=5000)


class ClaimMove(BaseModel):
    to_status: str
    note: str = Field("", max_length=5000)


class ClaimEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor_id: int | None
    from_status: str | None
    to_status: str
    note: str


class ClaimOut(BaseModel):
    id: int
    agreement_id: int
    kind: str
    stream: str | None
    record_id: str | None
    amount: str | None
    currency: str | None
    description: str
    status: str
    filed_at: datetime
    responded_at: datetime | None
    events: list[ClaimEventOut]

    @classmethod
    def of(cls, claim: Claim) -> ClaimOut:
        return cls(
            id=claim.id,
            agreement_id=claim.agreement_id,
            kind=claim.kind,
            stream=claim.stream,
            record_id=claim.record_id,
            amount=None if claim.amount is None else str(claim.amount),
            currency=claim.currency,
            description=claim.description,
            status=claim.status,
            filed_at=claim.filed_at,
            responded_at=claim.responded_at,
            events=[ClaimEventOut.model_validate(e) for e in claim.events],
        )


class JobOut(BaseModel):
    id: int
    kind: str
    state: str = Field(description="queued, running, succeeded or failed")
    progress: float = Field(ge=0, le=1)
    message: str
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    attempts: int
    created_at: str
    started_at: str | None
    finished_at: str | None


class PlsRunOut(BaseModel):
    id: int
    project_id: int
    dataset_id: int | None
    job_id: int | None
    status: str = Field(description="queued, running, succeeded or failed")
    progress: float
    options: dict[str, Any]
    results: dict[str, Any] | None
    error: dict[str, Any] | None
