"""SIGKILL an importing process at random moments, then import again: the stored rows equal a clean import.

The import of 200,000 records is one transaction, so after every kill the stream holds either nothing or
every row (atomic); running the same import again stores exactly the rows a clean import stores
(idempotent on ``(stream, record id)``).  On SQLite (WAL) and on PostgreSQL (COPY path).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.faults._import_child import ORGANISATION, STREAM, rows
from ukur.store import make_engine, make_session_factory, transaction
from ukur.store.access import SYSTEM
from ukur.store.accounts import create_organisation
from ukur.store.models_sla import Record, RecordStream

ROWS = 200_000
KILLS = 2
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _child(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.faults._import_child", url, str(ROWS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def _stored(url: str) -> dict[str, dict]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            query = (
                select(Record.record_id, Record.payload).join(RecordStream).where(RecordStream.name == STREAM)
            )
            return {ident: payload for ident, payload in session.execute(query)}
    finally:
        engine.dispose()


def _count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count(Record.id))) or 0)
    finally:
        engine.dispose()


def test_killed_imports_leave_nothing_or_everything_and_a_rerun_equals_a_clean_import(
    database_url: str, sessions
) -> None:
    with transaction(sessions) as session:
        assert create_organisation(session, SYSTEM, "PT Pelanggan", "customer").id == ORGANISATION
    rng = np.random.default_rng(11)
    killed_mid_import = 0
    for attempt, delay in enumerate(rng.uniform(0.1, 3.0, KILLS)):
        child = _child(database_url)
        assert child.stdout is not None
        with child.stdout:
            assert child.stdout.readline().strip() == "start"
            time.sleep(float(delay))  # a random moment of the import (validation, writing or commit)
            child.send_signal(signal.SIGKILL)
            code = child.wait(timeout=60)
        killed_mid_import += code == -signal.SIGKILL
        stored = _count(database_url)
        assert stored in {0, ROWS}, f"kill {attempt}: a partial import is visible ({stored} rows)"
        if stored == ROWS:
            with transaction(sessions) as session:
                session.execute(Record.__table__.delete())
    assert killed_mid_import >= 1
    for _ in range(2):  # the import again, and once more over the full stream: nothing duplicated
        rerun = _child(database_url)
        assert rerun.stdout is not None
        with rerun.stdout:
            assert rerun.stdout.read().split() == ["start", "done"]
        assert rerun.wait(timeout=600) == 0
    stored = _stored(database_url)
    clean = {row["id"]: json.loads(json.dumps(row)) for row in rows(ROWS)}
    assert len(stored) == ROWS and stored == clean
