"""Several uploads create the same new record stream at the same moment: all succeed, one stream exists.

The load test found it: 100 API clients posting to a stream nobody had used yet, and most of them got a
500 from the unique constraint on ``(organisation, name)``.  Each upload here runs in its own thread and
transaction; a barrier releases them together.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from ukur.store import SYSTEM, accounts, records
from ukur.store.engine import transaction
from ukur.store.models_sla import Record, RecordStream

UPLOADS = 8


@pytest.mark.slow
def test_uploads_racing_to_create_a_stream_all_land_in_one_stream(sessions) -> None:
    with transaction(sessions) as s:
        org_id = accounts.create_organisation(s, SYSTEM, "Toko Race", "customer").id
    barrier = threading.Barrier(UPLOADS)
    failures: list[BaseException] = []

    def upload(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            with transaction(sessions) as s:
                stream = records.stream_for(s, SYSTEM, org_id, "shipments")
                rows = [
                    {"id": f"u{number}-{k}", "picked_up_at": "2026-01-05T08:00:00+07:00"} for k in range(5)
                ]
                records.import_records(s, SYSTEM, stream, rows, source=f"upload {number}")
        except BaseException as exc:  # reported below with the upload that failed
            failures.append(exc)

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(UPLOADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with sessions() as s:
        streams = s.scalar(select(func.count(RecordStream.id)).where(RecordStream.organisation_id == org_id))
        stored = s.scalar(select(func.count(Record.id)))
    assert streams == 1
    assert stored == UPLOADS * 5
