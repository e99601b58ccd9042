"""Agreements, their append-only versions, signatures and the diff between two versions.

An upload is the YAML text exactly as written; its ``id`` names the agreement (creating it on first
upload, adding a version afterwards); the SHA-256 of its canonical YAML (:func:`ukur.sla.diff.content_hash`,
the hash the contract document prints) is stored beside it and is what a party signs.  A signed version is
never edited: a change is a new version, and only the newest version can be signed.  Every read takes a
:class:`~ukur.store.access.Viewer` and sees only what :func:`~ukur.store.access.org_filter` allows.
"""

from __future__ import annotations

import difflib
import hashlib
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ukur.errors import AgreementError, UkurError
from ukur.sla import Agreement as SlaAgreement
from ukur.sla import AgreementRegistry
from ukur.sla.diff import content_hash as sla_content_hash
from ukur.store import audit
from ukur.store.access import Viewer, ensure_can_edit_sla, not_found, org_filter
from ukur.store.errors import ConflictError, PermissionDenied
from ukur.store.models import Organisation
from ukur.store.models_sla import Agreement, AgreementVersion, Signature

__all__ = [
    "content_hash",
    "get_agreement",
    "get_version",
    "list_agreements",
    "parse_agreement_text",
    "sign_version",
    "upload_agreement",
    "validate_agreement",
    "version_diff",
]

PARTIES = ("provider", "customer")
MAX_AGREEMENT_BYTES = 1_000_000


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 text as written (stored versions carry :func:`ukur.sla.diff.content_hash`)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_agreement_text(text: str, source: str = "agreement.yaml") -> dict[str, Any]:
    """The agreement's YAML as a mapping, or :class:`AgreementError` with the line and column.

    Only the envelope the store needs is checked here (a mapping with a string ``id``);
    :func:`validate_agreement` runs the SLA engine's full ``sla/v1`` validation.
    """
    if len(text.encode("utf-8")) > MAX_AGREEMENT_BYTES:
        raise AgreementError("the agreement is larger than 1 MB", source=source)
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise AgreementError(
            f"not valid YAML: {exc.problem or exc.context}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise AgreementError(f"not valid YAML: {exc}", source=source) from None
    if not isinstance(data, dict):
        raise AgreementError("an agreement must be a YAML mapping (key: value lines)", source=source)
    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise AgreementError("the agreement needs an `id` (text)", source=source, field="id")
    return data


def validate_agreement(session: Session, text: str, source: str = "agreement.yaml") -> SlaAgreement:
    """Load ``text`` with the SLA engine, resolving ``parent:`` from the newest stored version of the parent.

    Raises :class:`AgreementError` with the file, line and field of the first problem.
    """

    def read(slug: str) -> tuple[str, str]:
        found = session.scalar(
            select(AgreementVersion.yaml_text)
            .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
            .where(Agreement.slug == slug)
            .order_by(AgreementVersion.number.desc())
        )
        if found is None:
            raise AgreementError(
                f"parent agreement {slug!r} is not stored yet: upload it first", source=source, field="parent"
            )
        return found, f"{slug}.yaml"

    return AgreementRegistry(read).load(text, source=source)


def _customer_org(session: Session, data: dict[str, Any]) -> int | None:
    customer = data.get("customer")
    name = customer.get("name") if isinstance(customer, dict) else None
    if not isinstance(name, str):
        return None
    return session.scalar(
        select(Organisation.id).where(Organisation.name == name, Organisation.kind == "customer")
    )


def _provider_org(session: Session, data: dict[str, Any]) -> int:
    provider = data.get("provider")
    name = provider.get("name") if isinstance(provider, dict) else None
    query = select(Organisation.id).where(Organisation.kind == "provider").order_by(Organisation.id)
    found = session.scalar(query.where(Organisation.name == name)) if isinstance(name, str) else None
    found = found or session.scalar(query)
    if found is None:
        raise UkurError("create the provider organisation before uploading agreements", field="provider")
    return found


def upload_agreement(
    session: Session,
    viewer: Viewer,
    text: str,
    *,
    customer_org_id: int | None = None,
    note: str = "",
    source: str = "agreement.yaml",
) -> AgreementVersion:
    """Store ``text`` as the next version of the agreement its ``id`` names (creating the agreement).

    The customer organisation is ``customer_org_id`` or the customer organisation whose name equals
    the YAML's ``customer.name``.  Uploading text identical to the newest version is a conflict.
    """
    ensure_can_edit_sla(viewer)
    data = parse_agreement_text(text, source)
    loaded = validate_agreement(session, text, source)
    slug = loaded.id
    title = (loaded.title or slug)[:300]
    agreement = session.scalar(select(Agreement).where(Agreement.slug == slug))
    if customer_org_id is not None:
        org = session.get(Organisation, customer_org_id)
        if org is None or org.kind != "customer":
            raise not_found("organisation", customer_org_id)
    if agreement is None:
        agreement = Agreement(
            slug=slug,
            title=title,
            provider_org_id=_provider_org(session, data),
            customer_org_id=customer_org_id or _customer_org(session, data),
            created_by=viewer.user_id,
        )
        session.add(agreement)
        session.flush()
        audit.log(session, viewer, "create", "agreement", agreement.id, slug=slug)
        number = 1
    else:
        digest = sla_content_hash(loaded)
        latest = session.scalar(
            select(AgreementVersion)
            .where(AgreementVersion.agreement_id == agreement.id)
            .order_by(AgreementVersion.number.desc())
        )
        if latest is not None and latest.content_hash == digest:
            raise ConflictError(f"this text is already version {latest.number} of {slug}", source=source)
        agreement.title = title
        if customer_org_id is not None:
            agreement.customer_org_id = customer_org_id
        number = (latest.number if latest else 0) + 1
    version = AgreementVersion(
        agreement_id=agreement.id,
        number=number,
        yaml_text=text,
        content_hash=sla_content_hash(loaded),
        note=note.strip(),
        author_id=viewer.user_id,
    )
    session.add(version)
    session.flush()
    audit.log(session, viewer, "create", "agreement_version", version.id, slug=slug, number=number)
    return version


def list_agreements(session: Session, viewer: Viewer) -> list[Agreement]:
    """The agreements ``viewer`` may see, with their versions loaded, by slug."""
    query = (
        select(Agreement)
        .where(org_filter(viewer, Agreement.customer_org_id))
        .options(selectinload(Agreement.versions).selectinload(AgreementVersion.signatures))
        .order_by(Agreement.slug)
    )
    return list(session.scalars(query))


def get_agreement(session: Session, viewer: Viewer, agreement_id: int) -> Agreement:
    """One agreement with its versions and signatures, or 404 if missing or not visible."""
    query = (
        select(Agreement)
        .where(Agreement.id == agreement_id, org_filter(viewer, Agreement.customer_org_id))
        .options(selectinload(Agreement.versions).selectinload(AgreementVersion.signatures))
    )
    agreement = session.scalar(query)
    if agreement is None:
        raise not_found("agreement", agreement_id)
    return agreement


def get_version(session: Session, viewer: Viewer, agreement_id: int, number: int) -> AgreementVersion:
    """Version ``number`` (1-based) of a visible agreement."""
    get_agreement(session, viewer, agreement_id)
    version = session.scalar(
        select(AgreementVersion).where(
            AgreementVersion.agreement_id == agreement_id, AgreementVersion.number == number
        )
    )
    if version is None:
        raise not_found("version", number)
    return version


def count_agreements(session: Session, viewer: Viewer) -> int:
    query = select(func.count(Agreement.id)).where(org_filter(viewer, Agreement.customer_org_id))
    return session.scalar(query) or 0


def sign_version(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    number: int,
    *,
    party: str,
    signer_name: str,
    signer_role: str = "",
) -> Signature:
    """Sign version ``number`` for ``party``: provider roles sign for the provider, customers for their side."""
    version = get_version(session, viewer, agreement_id, number)
    newest = session.scalar(
        select(func.max(AgreementVersion.number)).where(AgreementVersion.agreement_id == agreement_id)
    )
    if newest is not None and number != newest:
        raise ConflictError(
            f"version {number} is outdated: version {newest} succeeded it, so only version {newest} "
            "can be signed",
            field="version",
        )
    if party not in PARTIES:
        raise UkurError(f"party must be one of {', '.join(PARTIES)}", field="party")
    if (party == "provider") != viewer.is_provider:
        raise PermissionDenied(f"you cannot sign for the {party}")
    if not signer_name.strip():
        raise UkurError("the signer's name is required", field="signer_name")
    if session.scalar(
        select(Signature.id).where(Signature.version_id == version.id, Signature.party == party)
    ):
        raise ConflictError(f"version {number} is already signed by the {party}", field="party")
    signature = Signature(
        version_id=version.id,
        party=party,
        user_id=viewer.user_id,
        signer_name=signer_name.strip(),
        signer_role=signer_role.strip(),
        content_hash=version.content_hash,
    )
    session.add(signature)
    session.flush()
    audit.log(
        session, viewer, "sign", "agreement_version", version.id, party=party, hash=version.content_hash
    )
    return signature


def version_diff(old: AgreementVersion, new: AgreementVersion) -> str:
    """A unified diff of two versions' YAML texts (empty when identical)."""
    lines = difflib.unified_diff(
        old.yaml_text.splitlines(keepends=True),
        new.yaml_text.splitlines(keepends=True),
        fromfile=f"version {old.number}",
        tofile=f"version {new.number}",
    )
    return "".join(lines)
