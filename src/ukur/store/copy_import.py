"""Record imports into PostgreSQL with ``COPY``: the fast path of :func:`ukur.store.records.import_records`.

A multi-row ``INSERT ... ON CONFLICT`` sends every value as a bound parameter and makes the server plan
each batch; ``COPY FROM STDIN`` streams rows in PostgreSQL's own format (psycopg 3 ``cursor.copy``)
and is several times faster for large uploads.  COPY cannot resolve conflicts itself, so rows go to a
temporary table first and one ``INSERT ... SELECT ... ON CONFLICT (stream_id, record_id) DO UPDATE``
moves them into ``records``: the same idempotent upsert as the portable path, on the caller's
connection and inside the caller's transaction, so the import stays all or nothing.  The temporary
table disappears at commit or rollback (``ON COMMIT DROP``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

__all__ = ["COPY_BATCH", "copy_upsert_records"]

COPY_BATCH = 50_000
"""Rows handed to one ``COPY`` statement; bounds the memory of the text being sent."""

TEMP = "ukur_import_records"


def copy_upsert_records(
    session: Session, stream_id: int, rows: Sequence[tuple[str, dict[str, Any]]], now: datetime
) -> int:
    """Insert or update ``(record id, payload)`` pairs of stream ``stream_id``; returns how many existed.

    ``rows`` must already be validated (unique ids, JSON-able payloads), as
    :func:`ukur.store.records.validate_rows` returns them.
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
            f"SELECT count(*) FROM records r JOIN {TEMP} t ON r.record_id = t.record_id WHERE r.stream_id = %s",
            (stream_id,),
        )
        found = cursor.fetchone()
        cursor.execute(
            "INSERT INTO records (stream_id, record_id, payload, created_at, updated_at) "
            f"SELECT %s, t.record_id, t.payload::json, %s, %s FROM {TEMP} t "
            "ON CONFLICT (stream_id, record_id) DO UPDATE "
            "SET payload = excluded.payload, updated_at = excluded.updated_at",
            (stream_id, now, now),
        )
        cursor.execute(f"TRUNCATE {TEMP}")
    return int(found[0]) if found else 0
