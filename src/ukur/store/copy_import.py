"""The fast paths of :func:`ukur.store.records.import_records`: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

A multi-row ``INSERT ... ON CONFLICT`` sends every value as a bound parameter and makes the server plan
each batch; ``COPY FROM STDIN`` streams rows in PostgreSQL's own format (psycopg 3 ``cursor.copy``)
and is several times faster for large uploads.  COPY cannot resolve conflicts itself, so rows go to a
temporary table first and one ``INSERT ... SELECT ... ON CONFLICT (stream_id, record_id) DO UPDATE``
moves them into ``records``: the same idempotent upsert as the portable path, on the caller's
connection and inside the caller's transaction, so the import stays all or nothing.  The temporary
table disappears at commit or rollback (``ON COMMIT DROP``).

Uploads of at most :data:`SMALL_UPLOAD` rows (the API's batches) skip the temporary table: one upsert takes
the rows as two array parameters (:func:`array_upsert_records`).

On SQLite, building one multi-row ``INSERT`` per batch through SQLAlchemy spent most of an import
compiling the statement (about 6,000 records/s).  :func:`sqlite_upsert_records` instead prepares one
``INSERT ... ON CONFLICT (stream_id, record_id) DO UPDATE`` and hands the driver all rows at once
(``executemany``), with the JSON text and times converted by the columns' own SQLAlchemy types, so the
stored values are the same as before.  It runs on the session's connection inside the caller's
transaction: still all or nothing, still idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ukur.store.models_sla import Record

__all__ = [
    "COPY_BATCH",
    "SMALL_UPLOAD",
    "SQLITE_BATCH",
    "array_upsert_records",
    "copy_upsert_records",
    "sqlite_upsert_records",
]

COPY_BATCH = 50_000
"""Rows handed to one ``COPY`` statement; bounds the memory of the text being sent."""

SMALL_UPLOAD = 1_000
"""Uploads of at most this many rows skip COPY on PostgreSQL: creating, filling and emptying the temporary
table cost 9–17 ms for a 20-row API batch, against 1–3 ms for one upsert from two arrays."""

SQLITE_BATCH = 900
"""Rows per ``executemany`` and per existence count; the count's ``IN`` list stays below SQLite's oldest
limit of 999 bound parameters."""

TEMP = "ukur_import_records"
UPSERT_COUNT = (
    "ON CONFLICT (stream_id, record_id) DO UPDATE "
    "SET payload = excluded.payload, updated_at = excluded.updated_at "
    "RETURNING xmax = 0 AS inserted"
    ") SELECT count(*) FILTER (WHERE NOT inserted) FROM upserted"
)
"""The end of both PostgreSQL upserts: how many of the rows existed (see :func:`copy_upsert_records`)."""
SQLITE_UPSERT = (
    "INSERT INTO records (stream_id, record_id, payload, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (stream_id, record_id) DO UPDATE "
    "SET payload = excluded.payload, updated_at = excluded.updated_at"
)


def copy_upsert_records(
    session: Session, stream_id: int, rows: Sequence[tuple[str, dict[str, Any]]], now: datetime
) -> int:
    """Insert or update ``(record id, payload)`` pairs of stream ``stream_id``; returns how many existed.

    ``rows`` must already be validated (unique ids, JSON-able payloads), as
    :func:`ukur.store.records.validate_rows` returns them.

    Which rows existed is read from the upsert itself: a row version the statement inserted has the
    system column ``xmax = 0``, one that ``ON CONFLICT DO UPDATE`` wrote carries the updating
    transaction's id.  A separate count joining the upload with the stream's records made PostgreSQL hash
    the whole stream for every upload (1.3 s per upload at 3M records, growing with the stream).
    """
    raw = session.connection().connection.driver_connection
    if raw is None:  # pragma: no cover - a live connection always has its driver connection
        raise RuntimeError("the PostgreSQL connection is closed")
    dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    with raw.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {TEMP} (record_id text, payload text) ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {TEMP}")
        for start in range(0, len(rows), COPY_BATCH):
            with cursor.copy(f"COPY {TEMP} (record_id, payload) FROM STDIN") as copy:
                for ident, payload in rows[start : start + COPY_BATCH]:
                    copy.write_row((ident, dumps(payload)))
        cursor.execute(
            "WITH upserted AS ("
            "INSERT INTO records (stream_id, record_id, payload, created_at, updated_at) "
            f"SELECT %s, t.record_id, t.payload::json, %s, %s FROM {TEMP} t " + UPSERT_COUNT,
            (stream_id, now, now),
        )
        found = cursor.fetchone()
        cursor.execute(f"TRUNCATE {TEMP}")
    return int(found[0]) if found else 0


def array_upsert_records(
    session: Session, stream_id: int, rows: Sequence[tuple[str, dict[str, Any]]], now: datetime
) -> int:
    """PostgreSQL, small uploads: the upsert of :func:`copy_upsert_records` in one statement whose rows are
    two array parameters (``unnest``), without the temporary table; returns how many rows existed."""
    raw = session.connection().connection.driver_connection
    if raw is None:  # pragma: no cover - a live connection always has its driver connection
        raise RuntimeError("the PostgreSQL connection is closed")
    dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    with raw.cursor() as cursor:
        cursor.execute(
            "WITH upserted AS ("
            "INSERT INTO records (stream_id, record_id, payload, created_at, updated_at) "
            "SELECT %s, u.record_id, u.payload::json, %s, %s "
            "FROM unnest(%s::text[], %s::text[]) AS u(record_id, payload) " + UPSERT_COUNT,
            (stream_id, now, now, [ident for ident, _ in rows], [dumps(payload) for _, payload in rows]),
        )
        found = cursor.fetchone()
    return int(found[0]) if found else 0


def sqlite_upsert_records(
    session: Session, stream_id: int, rows: Sequence[tuple[str, dict[str, Any]]], now: datetime
) -> int:
    """SQLite: insert or update validated ``(record id, payload)`` pairs; returns how many existed.

    Which rows existed is counted per batch with an indexed ``IN`` lookup on ``(stream_id, record_id)``
    before the batch is written: SQLite's ``changes()`` counts an upsert's update like an insert,
    ``RETURNING`` cannot be combined with ``executemany``, and counting the whole stream before and
    after would cost time in proportion to the stream instead of the upload (about 5% of an import).
    """
    dialect = session.get_bind().dialect
    table = Record.__table__
    to_json = table.c.payload.type.dialect_impl(dialect).bind_processor(dialect)
    to_time = table.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
    if to_json is None or to_time is None:  # pragma: no cover - both types always convert on SQLite
        raise RuntimeError("the records table's JSON and time columns have no SQLite conversion")
    stamp = to_time(now)
    raw = session.connection().connection.driver_connection
    if raw is None:  # pragma: no cover - a live connection always has its driver connection
        raise RuntimeError("the SQLite connection is closed")
    existed = 0
    cursor = raw.cursor()
    try:
        for start in range(0, len(rows), SQLITE_BATCH):
            batch = rows[start : start + SQLITE_BATCH]
            marks = ", ".join("?" * len(batch))
            cursor.execute(
                f"SELECT count(*) FROM records WHERE stream_id = ? AND record_id IN ({marks})",
                [stream_id, *(ident for ident, _ in batch)],
            )
            existed += int(cursor.fetchone()[0])
            cursor.executemany(
                SQLITE_UPSERT,
                [(stream_id, ident, to_json(payload), stamp, stamp) for ident, payload in batch],
            )
    finally:
        cursor.close()
    return existed
