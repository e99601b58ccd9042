"""Demo data for a fresh database: organisations, accounts, the example agreements, records and PLS study.

``ukur serve --demo`` calls :func:`load_demo` once, on an empty database.  It reads the repository's
``examples/`` folder when it is there (``examples/sla`` for the courier and help-desk agreements and their
records, ``examples/umkm-pamulang`` for the PLS study) and skips, with a note, whatever is missing or
does not load, so a demo never fails to start.  Passwords are random and returned once for printing.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.store import accounts, agreements, pls, records
from ukur.store.access import SYSTEM, Viewer

__all__ = ["DemoResult", "find_examples", "load_demo"]

log = logging.getLogger("ukur.store")

PROVIDER = "PT Kilat Express"
CUSTOMER = "Toko Batik Sari"
AGREEMENTS = ("kilat-corporate.yaml", "kilat-gold.yaml", "helpdesk-internal.yaml")
STREAMS = {"shipments": "shipments.csv", "tickets": "tickets.csv", "outages": "outages.csv"}
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
            agreements.upload_agreement(session, SYSTEM, path.read_text(encoding="utf-8"), source=name)
            result.loaded.append(f"agreement {name}")
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
