"""Record streams and their records: validated bulk import, idempotent on ``(stream, record id)``.

:func:`import_records` checks every row first (an ``id``, a JSON object, no id twice in one upload)
and stores nothing when any row is wrong, naming the rows.  Valid uploads are written in batches with
the backend's ``INSERT ... ON CONFLICT (stream_id, record_id) DO UPDATE`` inside the caller's single
transaction, so re-uploading a corrected file updates records instead of duplicating them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ukur.errors import DataError, UkurError
from ukur.store import audit, copy_import
from ukur.store.access import Viewer, ensure_can_edit_sla, not_found, org_filter
from ukur.store.models import Organisation
from ukur.store.models_sla import Record, RecordStatus, RecordStream
from ukur.store.timestamps import parse_utc, zone
from ukur.store.types import utcnow

__all__ = [
    "ImportSummary",
    "get_stream",
    "import_records",
    "import_statuses",
    "list_records",
    "list_streams",
    "stream_for",
    "validate_rows",
]

MAX_SHOWN_ERRORS = 10
MAX_ID_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: rows received, records newly inserted, records updated in place."""

    stream_id: int
    received: int
    inserted: int
    updated: int

    def to_dict(self) -> dict[str, int]:
        return {
            "stream_id": self.stream_id,
            "received": self.received,
            "inserted": self.inserted,
            "updated": self.updated,
        }


def stream_for(session: Session, viewer: Viewer, organisation_id: int, name: str) -> RecordStream:
    """The stream ``name`` of a customer organisation, created on first use (provider roles only)."""
    ensure_can_edit_sla(viewer)
    name = name.strip()
    if not name or len(name) > 100:
        raise UkurError("a stream needs a name of 1 to 100 characters", field="stream")
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise not_found("organisation", organisation_id)
    query = select(RecordStream).where(
        RecordStream.organisation_id == organisation_id, RecordStream.name == name
    )
    stream = session.scalar(query)
    if stream is not None:
        return stream
    try:  # several uploads may create the same new stream at once: the loser reads the winner's
        with session.begin_nested():
            stream = RecordStream(organisation_id=organisation_id, name=name)
            session.add(stream)
            session.flush()
    except IntegrityError:
        existing = session.scalar(query)
        if existing is None:
            raise
        return existing
    audit.log(session, viewer, "create", "record_stream", stream.id, name=name, organisation_id=org.id)
    return stream


def get_stream(session: Session, viewer: Viewer, stream_id: int) -> RecordStream:
    stream = session.scalar(
        select(RecordStream).where(
            RecordStream.id == stream_id, org_filter(viewer, RecordStream.organisation_id)
        )
    )
    if stream is None:
        raise not_found("stream", stream_id)
    return stream


def list_streams(session: Session, viewer: Viewer) -> list[RecordStream]:
    query = (
        select(RecordStream)
        .where(org_filter(viewer, RecordStream.organisation_id))
        .order_by(RecordStream.organisation_id, RecordStream.name)
    )
    return list(session.scalars(query))


def validate_rows(rows: Sequence[Any], source: str) -> list[tuple[str, dict[str, Any]]]:
    """``(record id, payload)`` pairs, or one :class:`DataError` listing the first wrong rows (1-based)."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    valid: list[tuple[str, dict[str, Any]]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            problems.append(f"row {number}: not an object")
            continue
        raw = row.get("id")
        if raw is None or isinstance(raw, bool) or not isinstance(raw, str | int) or str(raw).strip() == "":
            problems.append(f"row {number}: missing `id`")
            continue
        ident = str(raw).strip()
        if len(ident) > MAX_ID_LENGTH:
            problems.append(f"row {number}: `id` longer than {MAX_ID_LENGTH} characters")
        elif ident in seen:
            problems.append(f"row {number}: id {ident!r} already given in row {seen[ident]}")
        else:
            seen[ident] = number
            try:
                payload = json.loads(json.dumps(dict(row), allow_nan=False))
            except (TypeError, ValueError):
                problems.append(f"row {number}: values must be text, numbers, booleans or null")
                continue
            valid.append((ident, payload))
    if problems:
        shown = "; ".join(problems[:MAX_SHOWN_ERRORS])
        more = f" (and {len(problems) - MAX_SHOWN_ERRORS} more)" if len(problems) > MAX_SHOWN_ERRORS else ""
        raise DataError(f"{len(problems)} wrong row(s), nothing stored: {shown}{more}", source=source)
    return valid


def import_records(
    session: Session,
    viewer: Viewer,
    stream: RecordStream,
    rows: Sequence[Any],
    *,
    source: str = "records",
) -> ImportSummary:
    """Insert or update ``rows`` (each a mapping with an ``id``) in ``stream``; all or nothing.

    Runs in the caller's transaction: an error in any row raises before anything is written, and a
    database error rolls the whole import back with the transaction.
    """
    ensure_can_edit_sla(viewer)
    valid = validate_rows(rows, source)
    dialect = session.get_bind().dialect.name
    now = utcnow()
    if dialect == "postgresql" and len(valid) <= copy_import.SMALL_UPLOAD:  # an API batch: one statement
        updated = copy_import.array_upsert_records(session, stream.id, valid, now)
    elif dialect == "postgresql":  # COPY through a temporary table: the same upsert, several times faster
        updated = copy_import.copy_upsert_records(session, stream.id, valid, now)
    else:  # one prepared upsert, executemany: compiling a multi-row INSERT per batch was the bottleneck
        updated = copy_import.sqlite_upsert_records(session, stream.id, valid, now)
    stream.revision = RecordStream.revision + 1  # atomic UPDATE at flush; invalidates cached evaluations
    summary = ImportSummary(
        stream_id=stream.id, received=len(valid), inserted=len(valid) - updated, updated=updated
    )
    audit.log(session, viewer, "import", "record_stream", stream.id, **summary.to_dict())
    return summary


def list_records(
    session: Session, viewer: Viewer, stream_id: int, *, limit: int = 100, offset: int = 0
) -> tuple[list[Record], int]:
    """A page of a visible stream's records (by record id) and the stream's total count."""
    stream = get_stream(session, viewer, stream_id)
    total = session.scalar(select(func.count(Record.id)).where(Record.stream_id == stream.id)) or 0
    query = (
        select(Record)
        .where(Record.stream_id == stream.id)
        .order_by(Record.record_id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query)), total


def import_statuses(
    session: Session,
    viewer: Viewer,
    stream: RecordStream,
    rows: Sequence[Any],
    *,
    timezone: str = "UTC",
    source: str = "status history",
) -> int:
    """Add status changes (``record_id, status, at``) of a stream; a change already stored is skipped.

    ``at`` is ISO 8601; a time without offset is local time in ``timezone`` (the agreement's, as in the
    record files).  All or nothing, like :func:`import_records`.  Returns how many changes were new.
    """
    ensure_can_edit_sla(viewer)
    tz = zone(timezone)
    problems: list[str] = []
    changes: set[tuple[str, str, Any]] = set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping) or not all(
            row.get(k) not in (None, "") for k in ("record_id", "status", "at")
        ):
            problems.append(f"row {number}: needs record_id, status and at")
            continue
        try:
            at = parse_utc(str(row["at"]), tz)
        except ValueError:
            problems.append(f"row {number}: unreadable time {row['at']!r}")
            continue
        changes.add((str(row["record_id"]).strip()[:MAX_ID_LENGTH], str(row["status"]).strip()[:100], at))
    if problems:
        shown = "; ".join(problems[:MAX_SHOWN_ERRORS])
        raise DataError(f"{len(problems)} wrong row(s), nothing stored: {shown}", source=source)
    existing = {
        (r.record_id, r.status, r.at)
        for r in session.scalars(select(RecordStatus).where(RecordStatus.stream_id == stream.id))
    }
    new = sorted(changes - existing, key=lambda c: (c[0], c[2]))
    session.add_all(RecordStatus(stream_id=stream.id, record_id=r, status=st, at=at) for r, st, at in new)
    stream.revision = RecordStream.revision + 1  # atomic UPDATE at flush; invalidates cached evaluations
    session.flush()
    audit.log(
        session, viewer, "import_statuses", "record_stream", stream.id, received=len(rows), added=len(new)
    )
    return len(new)
