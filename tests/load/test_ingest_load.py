"""Load: 100 concurrent API clients posting record batches to a real uvicorn server on loopback.

Each client posts batches of :data:`BATCH` new records with its own ids, and every tenth batch a second
time (the API is idempotent on (stream, id): a repeat must update, never duplicate).  Afterwards the
database must hold exactly the records that were acknowledged, each once; no request may fail.
p50/p95 latency and the throughput are printed into the test log.  On SQLite and on PostgreSQL.

Each engine runs 60 s, as the issue asks and as the figures of docs/operations.md were measured
(``UKUR_LOAD_SECONDS`` shortens it for a quick local run).  The server is a separate process, as in
production.  The stream exists before the clients start: the load measured is that of steady ingest (the
first use of a stream by many clients at once is a separate race: tests/store/test_stream_race.py).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
from sqlalchemy import text

from tests.conftest import _new_schema
from tests.web.conftest import seed
from ukur.store import accounts, make_engine, make_session_factory, records
from ukur.store.access import Viewer
from ukur.store.engine import transaction
from ukur.store.models import User

CLIENTS = int(os.environ.get("UKUR_LOAD_CLIENTS", "100"))
BATCH = 20
SECONDS = float(os.environ.get("UKUR_LOAD_SECONDS", "60"))

SERVER = """
import sys, uvicorn
from ukur.config import Settings
from ukur.web import create_app
app = create_app(Settings(database_url=sys.argv[1]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False,
            timeout_graceful_shutdown=5)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, (
            "the server exited: " + (server.stderr.read() if server.stderr else b"").decode()
        )
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


async def _client(
    number: int, url: str, token: str, path: str, stop_at: float, latencies: list[float], sent: set[str]
) -> list[str]:
    errors: list[str] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        batch = 0
        while time.monotonic() < stop_at:
            ids = [f"c{number}-b{batch}-r{k}" for k in range(BATCH)]
            rows = [
                {
                    "id": i,
                    "picked_up_at": "2026-01-05T08:00:00+07:00",
                    "delivered_at": "2026-01-05T15:00:00+07:00",
                }
                for i in ids
            ]
            for attempt in range(2 if batch % 10 == 0 else 1):
                start = time.perf_counter()
                try:
                    response = await client.post(path, json=rows)
                except httpx.HTTPError as exc:
                    errors.append(f"client {number} batch {batch}: {type(exc).__name__}: {exc}")
                    continue
                latencies.append(time.perf_counter() - start)
                body = response.json() if response.status_code == 200 else {}
                expected = (
                    {"inserted": BATCH, "updated": 0} if attempt == 0 else {"inserted": 0, "updated": BATCH}
                )
                if response.status_code != 200 or {k: body.get(k) for k in expected} != expected:
                    errors.append(
                        f"client {number} batch {batch}: {response.status_code} {response.text[:200]}"
                    )
                elif attempt == 0:
                    sent.update(ids)
            batch += 1
    return errors


async def _run(
    url: str, token: str, path: str, clients: int
) -> tuple[list[str], list[float], set[str], float]:
    latencies: list[float] = []
    sent: set[str] = set()
    start = time.monotonic()
    stop_at = start + SECONDS
    results = await asyncio.gather(
        *(_client(n, url, token, path, stop_at, latencies, sent) for n in range(clients))
    )
    return [e for errors in results for e in errors], latencies, sent, time.monotonic() - start


def _stored_ids(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    text(
                        "SELECT r.record_id FROM records r JOIN record_streams s ON s.id = r.stream_id "
                        "WHERE s.name = 'load'"
                    )
                ).scalars()
            )
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def load_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for the server: a SQLite file, or a new schema in the session's PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'load.db'}"
    return _new_schema(request.getfixturevalue("postgres_database"))


@pytest.mark.slow
def test_clients_posting_record_batches_lose_and_duplicate_nothing(
    load_database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world = seed(load_database_url)
    engine = make_engine(load_database_url)
    with transaction(make_session_factory(engine)) as s:
        staff = Viewer.of(s.get_one(User, world.users["staff"]))
        _, token = accounts.create_token(s, staff, "load")
        records.stream_for(s, staff, world.org_a, "load")  # see the module's doc
    engine.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = tmp_path / "server.log"
    with server_log.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, load_database_url, str(port)], stdout=log, stderr=log
        )
    try:
        _wait_until_up(base, server)
        path = f"/api/v1/organisations/{world.org_a}/streams/load/records"
        errors, latencies, sent, elapsed = asyncio.run(_run(base, token, path, CLIENTS))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    rows = _stored_ids(load_database_url)
    backend = load_database_url.partition(":")[0].partition("+")[0]
    assert not errors, (
        f"{len(errors)} failed requests of {len(errors) + len(latencies)}, e.g. {errors[:5]}; "
        f"server log: {server_log.read_text()[-2000:]}"
    )
    p50, p95 = np.percentile(np.array(latencies) * 1000, [50, 95])
    with capsys.disabled():  # the figures belong in the CI log, not only under -s
        print(
            f"\nload ({backend}): {CLIENTS} clients, {SECONDS:g} s, batches of {BATCH}: "
            f"{len(latencies)} requests ({len(latencies) / elapsed:.0f}/s), {len(sent)} records stored "
            f"({len(sent) / elapsed:.0f}/s), latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, errors {len(errors)}"
        )
    assert len(rows) == len(set(rows)), "duplicated records"
    assert set(rows) == sent, f"lost {len(sent - set(rows))}, unexpected {len(set(rows) - sent)}"
    assert len(sent) >= CLIENTS * BATCH  # every client got at least one batch through
