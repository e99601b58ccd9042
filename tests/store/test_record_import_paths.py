"""The fast import paths (SQLite ``executemany``, PostgreSQL ``COPY`` and, for small uploads, arrays) store what the ORM would, count right.

``import_records`` bypasses SQLAlchemy's statement building for speed (docs/operations.md, Big record
streams); these tests pin that the stored values are unchanged, that the inserted/updated counts hold
across batch boundaries, and that the raw statements stay inside the caller's transaction.
"""

from __future__ import annotations

import itertools
import sqlite3
from contextlib import closing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import _new_schema
from ukur.store import SYSTEM, accounts, copy_import, records
from ukur.store.copy_import import SQLITE_BATCH
from ukur.store.engine import make_engine, make_session_factory, transaction
from ukur.store.migrate import upgrade
from ukur.store.models_sla import Record
from ukur.store.types import utcnow

PAYLOADS = [
    {"id": "a", "city": "Depok — Jawa Barat", "note": "ünïcode ✓", "weight": 1.25, "late": None},
    {"id": "b", "nested": {"list": [1, 2.5, "x", None, True]}, "big": 2**53, "neg": -0.0},
    {"id": "c", "empty": "", "quote": 'he said "hi"\n\ttab', "zero": 0},
]


@pytest.fixture
def organisation(sessions) -> int:
    with transaction(sessions) as s:
        return accounts.create_organisation(s, SYSTEM, "Toko A", "customer").id


@pytest.mark.parametrize("small_upload", [copy_import.SMALL_UPLOAD, 0], ids=["small-upload", "copy"])
def test_stored_payloads_and_times_read_back_unchanged(sessions, organisation, small_upload, monkeypatch):
    monkeypatch.setattr(copy_import, "SMALL_UPLOAD", small_upload)  # PostgreSQL: the array or the COPY path
    before = utcnow()
    with transaction(sessions) as s:
        stream = records.stream_for(s, SYSTEM, organisation, "shipments")
        summary = records.import_records(s, SYSTEM, stream, PAYLOADS)
        again = records.import_records(s, SYSTEM, stream, PAYLOADS[:2])
    assert (summary.inserted, summary.updated) == (3, 0)
    assert (again.inserted, again.updated) == (0, 2)
    with sessions() as s:
        stored = {r.record_id: r for r in s.scalars(select(Record))}
    assert {k: r.payload for k, r in stored.items()} == {p["id"]: p for p in PAYLOADS}
    for row in stored.values():
        assert before <= row.created_at <= row.updated_at <= utcnow()  # the second import updated two
        assert row.created_at.tzinfo is not None


def test_sqlite_rows_are_byte_for_byte_what_the_orm_writes(tmp_path):
    url = f"sqlite:///{tmp_path / 'same.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    now = utcnow()
    with transaction(sessions) as s:
        org = accounts.create_organisation(s, SYSTEM, "Toko A", "customer").id
        fast = records.stream_for(s, SYSTEM, org, "fast")
        orm = records.stream_for(s, SYSTEM, org, "orm")
        records.import_records(s, SYSTEM, fast, PAYLOADS)
        for p in PAYLOADS:
            s.add(Record(stream_id=orm.id, record_id=p["id"], payload=p, created_at=now, updated_at=now))
    engine.dispose()
    with closing(sqlite3.connect(tmp_path / "same.db")) as raw:
        rows = raw.execute(
            "SELECT s.name, r.record_id, r.payload, typeof(r.created_at), length(r.created_at) "
            "FROM records r JOIN record_streams s ON s.id = r.stream_id ORDER BY r.record_id, s.name"
        ).fetchall()
    assert len(rows) == 2 * len(PAYLOADS)
    for (fast_name, *fast), (orm_name, *orm) in zip(rows[::2], rows[1::2], strict=True):
        assert (fast_name, orm_name) == ("fast", "orm") and fast == orm


def test_an_import_rolled_back_with_its_transaction_leaves_nothing(sessions, organisation):
    rows = [{"id": f"r{i}"} for i in range(2 * SQLITE_BATCH + 5)]
    with pytest.raises(RuntimeError), transaction(sessions) as s:
        stream = records.stream_for(s, SYSTEM, organisation, "shipments")
        records.import_records(s, SYSTEM, stream, rows)
        raise RuntimeError("the caller fails after the import")
    with sessions() as s:
        assert s.scalar(select(func.count(Record.id))) == 0


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_sessions(request, tmp_path_factory):
    """One migrated database per engine for all examples of the property test (a new stream each)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 'prop.db'}"
    else:
        url = _new_schema(request.getfixturevalue("postgres_database"))
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    with transaction(sessions) as s:
        accounts.create_organisation(s, SYSTEM, "Toko A", "customer")
    yield sessions
    engine.dispose()


STREAMS = itertools.count()
IDS = st.sets(st.integers(0, 3 * SQLITE_BATCH), max_size=2 * SQLITE_BATCH + 50)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=IDS, second=IDS, value=st.integers())
def test_counts_hold_across_batches_and_the_last_import_wins(module_sessions, first, second, value):
    name = f"s{next(STREAMS)}"
    with transaction(module_sessions) as s:
        stream = records.stream_for(s, SYSTEM, 1, name)
        one = records.import_records(s, SYSTEM, stream, [{"id": i, "v": 0} for i in sorted(first)])
        two = records.import_records(s, SYSTEM, stream, [{"id": i, "v": value} for i in sorted(second)])
        stored = dict(
            s.execute(select(Record.record_id, Record.payload).where(Record.stream_id == stream.id)).all()
        )
    assert (one.inserted, one.updated) == (len(first), 0)
    assert (two.inserted, two.updated) == (len(second - first), len(second & first))
    assert set(stored) == {str(i) for i in first | second}
    assert all(stored[str(i)]["v"] == (value if i in second else 0) for i in first | second)
