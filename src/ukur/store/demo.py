"""Demo data for a fresh database: organisations, accounts, the example agreements, records and PLS study.

``ukur serve --demo`` calls :func:`load_demo` once, on an empty database.  It reads the repository's
``examples/`` folder when it is there (``examples/sla`` for the courier and help-desk agreements, their
records and claims, ``examples/umkm-pamulang`` for the PLS study) and skips, with a note, whatever is
missing or does not load, so a demo never fails to start.  Passwords are random and returned once for
printing.  The dated signatures written in an example agreement's ``signatures:`` become stored signatures
of its first version (an undated one stays unsigned, so ``helpdesk-internal`` remains a draft), and the
claims of ``claims.csv`` are filed under ``kilat-gold`` with their own filing and answer times. The simulated
success demo (``examples/sla/success``: ``kilat-bisnis``, its shipments and feedback) feeds the success page.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.io import read_table
from ukur.sla import Agreement as SlaAgreement
from ukur.store import accounts, agreements, claims, feedback, pls, records
from ukur.store.access import SYSTEM, Viewer
from ukur.store.models_sla import AgreementVersion, Signature
from ukur.store.timestamps import parse_utc, zone

__all__ = ["DemoResult", "find_examples", "load_demo"]

log = logging.getLogger("ukur.store")

PROVIDER = "PT Kilat Express"
CUSTOMER = "Toko Batik Sari"
AGREEMENTS = ("kilat-corporate.yaml", "kilat-gold.yaml", "helpdesk-internal.yaml")
STREAMS = {"shipments": "shipments.csv", "tickets": "tickets.csv", "outages": "outages.csv"}
CLAIMS = ("claims.csv", "kilat-gold", "shipments", "IDR")
"""The example claims file, the agreement they are filed under, the stream their records are in, currency."""
CLAIM_STATUS = {"approved": "approved", "rejected": "denied", "denied": "denied"}
"""Decisions in ``claims.csv`` as the store's claim states; any other status (``pending``) stays filed."""
ACCOUNTS = (
    ("admin@ukur.example", "Demo Admin", "admin", None),
    ("sari@batiksari.example", "Sari Dewi", "customer", CUSTOMER),
    ("peneliti@ukur.example", "Demo Researcher", "researcher", None),
)


@dataclass
class DemoResult:
    """The accounts created (e-mail, role, password — print once) and what was loaded or skipped."""

    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def find_examples(start: Path | None = None) -> Path | None:
    """The ``examples`` folder: in the working directory, or in the source tree ukur runs from."""
    candidates = [(start or Path.cwd()) / "examples", Path(__file__).resolve().parents[3] / "examples"]
    return next((c for c in candidates if c.is_dir()), None)


def _csv_rows(path: Path) -> list[dict[str, str | None]]:
    text = path.read_text(encoding="utf-8-sig")
    return [
        {k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))
    ]


def load_demo(session: Session, examples: Path | None) -> DemoResult:
    """Create the demo organisations, accounts and example data in ``session`` (one transaction)."""
    result = DemoResult()
    accounts.create_organisation(session, SYSTEM, PROVIDER, "provider")
    customer = accounts.create_organisation(session, SYSTEM, CUSTOMER, "customer")
    researcher: Viewer | None = None
    for email, name, role, org in ACCOUNTS:
        password = accounts.generate_password()
        user = accounts.create_user(
            session,
            SYSTEM,
            email=email,
            password=password,
            role=role,
            name=name,
            organisation_id=customer.id if org == CUSTOMER else None,
        )
        result.accounts.append((email, role, password))
        if role == "researcher":
            researcher = Viewer.of(user)
    if examples is None:
        result.skipped.append("examples/ (not found)")
        return result
    _load_sla(session, examples / "sla", customer.id, result)
    _load_history(session, examples / "sla", customer.id, result)
    _load_claims(session, examples / "sla", result)
    _load_success(session, examples / "sla" / "success", result)
    if researcher is not None:
        _load_pls(session, examples / "umkm-pamulang", researcher, result)
    return result


def _load_sla(session: Session, folder: Path, customer_id: int, result: DemoResult) -> None:
    for name in AGREEMENTS:
        path = folder / name
        if not path.is_file():
            result.skipped.append(f"{path.name} (missing)")
            continue
        try:  # validation runs before anything is written, so a skipped file leaves nothing behind
            text = path.read_text(encoding="utf-8")
            version = agreements.upload_agreement(session, SYSTEM, text, source=name)
            signed = _store_signatures(session, version, agreements.validate_agreement(session, text, name))
            result.loaded.append(f"agreement {name} ({signed} signatures)")
        except UkurError as exc:
            log.warning("demo agreement skipped: %s", exc)
            result.skipped.append(f"{name}: {exc}")
    for stream, filename in STREAMS.items():
        path = folder / filename
        if not path.is_file():
            continue
        try:
            target = records.stream_for(session, SYSTEM, customer_id, stream)
            summary = records.import_records(session, SYSTEM, target, _csv_rows(path), source=filename)
            result.loaded.append(f"{summary.inserted} {stream}")
        except UkurError as exc:
            result.skipped.append(f"{filename}: {exc}")


def _load_history(session: Session, folder: Path, customer_id: int, result: DemoResult) -> None:
    path = folder / "ticket_history.csv"
    if not path.is_file():
        return
    try:
        target = records.stream_for(session, SYSTEM, customer_id, "tickets")
        added = records.import_statuses(
            session, SYSTEM, target, _csv_rows(path), timezone="Asia/Jakarta", source=path.name
        )
        result.loaded.append(f"{added} ticket status changes")
    except UkurError as exc:
        result.skipped.append(f"{path.name}: {exc}")


def _load_success(session: Session, folder: Path, result: DemoResult) -> None:
    """The simulated success demo (``examples/sla/success``): the standard ``kilat-bisnis`` agreement, its
    shipments (a ``customer`` column names each small customer), the feedback and the complaints (the
    ``complaints`` stream), so the success page has a year of figures.  All or nothing.

    The agreement's customer ("Kilat Bisnis customers", the small businesses on the standard terms) gets
    its own customer organisation, which owns the shipments stream: in the provider's own ``shipments``
    stream they would be evaluated by every provider-owned agreement reading ``shipments`` too (the
    parent ``kilat-corporate``), whose objectives need columns these shipments do not have.  The
    organisation has no users, so only the provider's staff see the demo."""
    paths = [folder / name for name in ("kilat-bisnis.yaml", "shipments.csv", "feedback.csv")]
    if not all(p.is_file() for p in paths):
        result.skipped.append("success demo (missing files)")
        return
    try:
        with session.begin_nested():
            text = paths[0].read_text(encoding="utf-8")
            loaded = agreements.validate_agreement(session, text, paths[0].name)
            group = accounts.create_organisation(session, SYSTEM, loaded.customer.name, "customer")
            version = agreements.upload_agreement(
                session, SYSTEM, text, customer_org_id=group.id, source=paths[0].name
            )
            _store_signatures(session, version, loaded)
            target = records.stream_for(session, SYSTEM, group.id, "shipments")
            records.import_records(session, SYSTEM, target, _csv_rows(paths[1]), source=paths[1].name)
            count = feedback.import_answers(
                session, SYSTEM, version.agreement_id, read_table(paths[2]), source=paths[2].name
            )
            complaints = folder / "complaints.csv"
            if complaints.is_file():
                stream = records.stream_for(session, SYSTEM, group.id, feedback.COMPLAINTS_STREAM)
                records.import_records(session, SYSTEM, stream, _csv_rows(complaints), source=complaints.name)
        result.loaded.append(f"success demo kilat-bisnis ({count} feedback answers, simulated)")
    except UkurError as exc:
        result.skipped.append(f"success demo: {exc}")


def _load_pls(session: Session, folder: Path, owner: Viewer, result: DemoResult) -> None:
    data, model = folder / "data.csv", folder / "model.txt"
    if not data.is_file() or not model.is_file():
        result.skipped.append("umkm-pamulang (missing data.csv or model.txt)")
        return
    project = pls.create_project(
        session,
        owner,
        "UMKM Pamulang: social media promotion",
        "Demo study (simulated data): promotion on social media, customer engagement and purchase intention.",
    )
    pls.add_dataset(session, owner, project.id, "data.csv", data.read_bytes(), "text/csv")
    pls.set_model_text(session, owner, project.id, model.read_text(encoding="utf-8"))
    result.loaded.append("PLS project umkm-pamulang")


def _store_signatures(session: Session, version: AgreementVersion, loaded: SlaAgreement) -> int:
    """Store the agreement's dated signatures on ``version`` (signed at midnight, the agreement's time zone).

    The signer is named as written; no account signed, so ``user_id`` stays empty.  Undated signatures in
    the YAML are places for a signature, not signatures, and are skipped.
    """
    tz = zone(loaded.timezone)
    count = 0
    for sig in loaded.signatures:
        if sig.signed_at is None or sig.party not in agreements.PARTIES:
            continue
        session.add(
            Signature(
                version_id=version.id,
                party=sig.party,
                signer_name=sig.name,
                signer_role=sig.role,
                content_hash=version.content_hash,
                signed_at=datetime.combine(sig.signed_at, time(0, 0), tzinfo=tz),
            )
        )
        count += 1
    session.flush()
    return count


def _load_claims(session: Session, folder: Path, result: DemoResult) -> None:
    """File the example claims under their agreement with the CSV's times (local to the agreement)."""
    filename, slug, stream, currency = CLAIMS
    path = folder / filename
    found = next((a for a in agreements.list_agreements(session, SYSTEM) if a.slug == slug), None)
    if not path.is_file() or found is None:
        result.skipped.append(f"{filename} (missing file or agreement {slug})")
        return
    tz = zone(agreements.validate_agreement(session, found.versions[-1].yaml_text, f"{slug}.yaml").timezone)
    try:
        rows = _csv_rows(path)
        with session.begin_nested():  # all claims or none
            _file_claims(session, found.id, rows, stream, currency, tz, filename)
        result.loaded.append(f"{len(rows)} claims")
    except (UkurError, ValueError, KeyError, TypeError) as exc:
        result.skipped.append(f"{filename}: {exc}")


def _file_claims(
    session: Session,
    agreement_id: int,
    rows: list[dict[str, str | None]],
    stream: str,
    currency: str,
    tz: ZoneInfo,
    filename: str,
) -> None:
    for row in rows:
        claim = claims.file_claim(
            session,
            SYSTEM,
            agreement_id,
            kind=row.get("type") or "claim",
            stream=stream,
            record_id=row.get("record_id"),
            amount=row.get("amount"),
            currency=currency,
            description=f"{row.get('id') or ''} ({filename})",
        )
        claim.filed_at = claim.events[0].at = parse_utc(str(row["filed_at"]), tz)
        decision = CLAIM_STATUS.get((row.get("status") or "").strip().lower())
        if decision is not None:
            claims.move_claim(session, SYSTEM, claim.id, decision)
            answered = row.get("responded_at")
            if answered:
                claim.responded_at = claim.events[-1].at = parse_utc(answered, tz)
    session.flush()
