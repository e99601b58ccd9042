"""The Redis job backend: two web processes and two ``ukur worker`` processes on one PostgreSQL and one Redis.

Real processes, real job kinds (``pls.run`` of the demo PLS study with a bootstrap, and ``report.render`` of
the demo agreement's monthly SLA report as HTML, XLSX and PDF), the server at 127.0.0.1:6379 (database 11,
emptied first).  Redis unreachable: a failure under ``CI=true``,
a skip elsewhere, like PostgreSQL in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import _new_schema
from ukur.jobs.base import registry
from ukur.jobs.pls_run import register_pls_run
from ukur.jobs.redis_backend import RedisJobQueue
from ukur.jobs.report_render import CONTENT_KEY, register_report_render
from ukur.store import make_engine, make_session_factory, migrate, transaction
from ukur.store import pls as pls_store
from ukur.store.access import Viewer
from ukur.store.accounts import create_token
from ukur.store.demo import find_examples, load_demo
from ukur.store.models import User
from ukur.store.models_pls import PlsProject
from ukur.store.models_sla import Agreement
from ukur.web.routes.reports import render_report_file

REDIS_URL = os.environ.get("UKUR_TEST_REDIS", "redis://127.0.0.1:6379/11")
UKUR = str(Path(sys.executable).with_name("ukur"))

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        client.ping()
    except redis.RedisError as exc:
        message = f"Redis at {REDIS_URL} is not reachable ({exc}); Redis tests not run"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " — CI must run them (.ci/redis.sh starts it)", pytrace=False)
        pytest.skip(message)
    client.flushdb()
    return REDIS_URL


@pytest.fixture
def study(postgres_database: str) -> dict:
    """A migrated schema with the demo data: the researcher, the PLS project, its data set, tokens, an agreement."""
    url = _new_schema(postgres_database)
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        load_demo(session, find_examples())
        user = session.query(User).filter(User.role == "researcher").one()
        viewer = Viewer.of(user)
        project = session.query(PlsProject).one()
        dataset_id = pls_store.get_project(session, viewer, project.id).datasets[0].id
        _, token = create_token(session, viewer, "test")
        admin = session.query(User).filter(User.role == "admin").one()
        _, admin_token = create_token(session, Viewer.of(admin), "test")
        agreement = session.query(Agreement).filter(Agreement.slug == "kilat-gold").one()
    yield {
        "url": url,
        "engine": engine,
        "sessions": sessions,
        "viewer": viewer,
        "project": project.id,
        "dataset": dataset_id,
        "token": token,
        "admin": admin.id,
        "admin_token": admin_token,
        "agreement": agreement.id,
    }
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Processes:
    """Child processes of one test with their stderr files; stopped (and reaped) at the end."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.tmp, self.env = tmp_path, env
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, name: str, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
        log = self.tmp / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([UKUR, *args], stdout=out, stderr=subprocess.STDOUT, env=self.env)
        self.procs.append((proc, log))
        return proc, log

    def stop(self) -> None:
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def processes(tmp_path: Path, study: dict, redis_url: str) -> Iterator[Processes]:
    env = dict(
        os.environ,
        UKUR_DATABASE_URL=study["url"],
        UKUR_QUEUE_URL=redis_url,
        UKUR_JOB_LEASE_SECONDS="3",
        UKUR_LOG_LEVEL="INFO",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
    )
    procs = Processes(tmp_path, env)
    yield procs
    procs.stop()


def _queue(study: dict, redis_url: str, lease: float = 3.0) -> RedisJobQueue:
    kinds = registry.copy()
    register_pls_run(kinds, study["sessions"])
    register_report_render(kinds, study["sessions"], render_report_file)
    return RedisJobQueue(study["sessions"], redis_url, lease_seconds=lease, jobs=kinds)


def _new_run(study: dict, bootstrap: int) -> int:
    with transaction(study["sessions"]) as session:
        options = {"bootstrap": bootstrap, "seed": 7} if bootstrap else {}
        run = pls_store.create_run(
            session, study["viewer"], study["project"], dataset_id=study["dataset"], options=options
        )
        return run.id


def _wait_healthy(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180  # a loaded 2-core machine imports the app slowly
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start: {log.read_text()}")


def _executions(logs: list[Path]) -> list[Counter[int]]:
    pattern = re.compile(r"job (\d+) \((?:pls\.run|report\.render)\) running on")
    return [Counter(int(m) for m in pattern.findall(log.read_text(errors="replace"))) for log in logs]


def test_two_web_processes_two_workers_fifty_jobs(processes: Processes, study: dict, redis_url: str) -> None:
    ports = [_free_port(), _free_port()]
    webs = [processes.start(f"web{i}", "serve", "--port", str(p)) for i, p in enumerate(ports)]
    workers = [processes.start(f"worker{i}", "worker") for i in range(2)]
    for port, (proc, log) in zip(ports, webs, strict=True):
        _wait_healthy(port, proc, log)
    # 25 bootstraps of 400 resamples and 25 SLA reports (HTML, XLSX, PDF of three months), interleaved
    runs = {i: _new_run(study, 400) for i in range(0, 50, 2)}
    reports = {
        i: {
            "report": "sla",
            "agreement_id": study["agreement"],
            "period": f"2026-0{1 + i % 3}",
            "format": ("html", "xlsx", "pdf")[i % 3],
            "lang": "en",
            "user_id": study["admin"],
        }
        for i in range(1, 50, 2)
    }
    queue = _queue(study, redis_url)

    def submit(i: int) -> int:
        if i in reports:
            return queue.submit("report.render", reports[i], owner_id=study["admin"])
        job_id = queue.submit("pls.run", {"run_id": runs[i]}, owner_id=study["viewer"].user_id)
        with transaction(study["sessions"]) as session:
            pls_store.update_run(session, runs[i], job_id=job_id)
        return job_id

    with ThreadPoolExecutor(max_workers=10) as pool:
        job_ids = list(pool.map(submit, range(50)))
    assert len(set(job_ids)) == 50

    headers = {"Authorization": f"Bearer {study['admin_token']}"}  # admin: every job and run
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{p}", headers=headers, timeout=10) for p in ports]
    seen_running: list[set[int]] = [set(), set()]
    seen_progress: list[set[int]] = [set(), set()]
    pending = set(job_ids)
    deadline = time.monotonic() + 300  # about 60 s on a quiet 2-core machine
    while pending and time.monotonic() < deadline:
        for job_id in sorted(pending):
            for i, client in enumerate(clients):
                body = client.get(f"/api/v1/jobs/{job_id}").json()
                if body["state"] == "running":
                    seen_running[i].add(job_id)
                    if 0 < body["progress"] < 1:
                        seen_progress[i].add(job_id)
                if body["state"] in {"succeeded", "failed"}:
                    pending.discard(job_id)
        time.sleep(0.05)
    assert not pending, f"jobs not finished: {sorted(pending)}"

    for i, job_id in enumerate(job_ids):
        answers = [c.get(f"/api/v1/jobs/{job_id}").json() for c in clients]
        assert answers[0] == answers[1]  # both web processes read the same stored state
        assert answers[0]["state"] == "succeeded", answers[0]
        assert answers[0]["attempts"] == 1
        if i in runs:
            run = clients[1].get(f"/api/v1/pls/runs/{runs[i]}").json()
            assert run["status"] == "succeeded" and run["results"]["bootstrap"]["samples"] == 400
            continue
        result = answers[0]["result"]
        assert CONTENT_KEY not in result and result["filename"].endswith("." + reports[i]["format"])
        files = [c.get(f"/reports/jobs/{job_id}/download") for c in clients]
        assert [f.status_code for f in files] == [200, 200]
        assert files[0].content == files[1].content and len(files[0].content) == result["size"] > 0
    for client in clients:
        client.close()
    # progress of running jobs was visible through each web process
    assert seen_running[0] and seen_running[1]
    assert seen_progress[0] | seen_progress[1]

    counts = _executions([log for _, log in workers])
    total = counts[0] + counts[1]
    assert sorted(total) == sorted(job_ids)  # none lost
    assert set(total.values()) == {1}  # none done twice
    assert counts[0] and counts[1]  # both workers took jobs


def test_a_dead_workers_job_fails_with_the_reason_or_is_retried(
    processes: Processes, study: dict, redis_url: str
) -> None:
    reaper = _queue(study, redis_url, lease=3.0)
    reaper.start()  # the heartbeat of a web process: reaps expired leases
    try:
        worker_a, log_a = processes.start("worker-a", "worker")
        _wait_ready(worker_a, log_a)
        retried = reaper.submit("pls.run", {"run_id": _new_run(study, 10_000)}, max_attempts=2)
        _kill_while_running(reaper, retried, worker_a, log_a)
        _wait_for(lambda: reaper.status(retried).state == "queued" and reaper.status(retried).attempts == 1)
        worker_b, log_b = processes.start("worker-b", "worker")
        _wait_ready(worker_b, log_b)
        _wait_for(lambda: reaper.status(retried).done)
        done = reaper.status(retried)
        assert (done.state, done.attempts) == ("succeeded", 2), done

        once = reaper.submit("pls.run", {"run_id": _new_run(study, 10_000)})
        _kill_while_running(reaper, once, worker_b, log_b)
        _wait_for(lambda: reaper.status(once).done)
        failed = reaper.status(once)
        assert failed.state == "failed" and failed.error is not None
        assert failed.error["error"] == "WorkerLost"
        assert "stopped responding" in failed.error["message"]
        assert _executions([log_a, log_b])[0][retried] == 1  # worker a ran it once, then died
    finally:
        reaper.shutdown()


def _wait_ready(worker: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until ``ukur worker`` says it waits for jobs: on a loaded 2-core machine its start (importing
    the app) can take longer than the job timeouts below, which are about running jobs, not starting."""
    deadline = time.monotonic() + 180
    while "waiting for jobs" not in log.read_text(errors="replace"):
        assert worker.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, f"worker did not start: {log.read_text(errors='replace')}"
        time.sleep(0.1)


def _wait_for(condition, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _kill_while_running(
    queue: RedisJobQueue, job_id: int, worker: subprocess.Popen[bytes], log: Path
) -> None:
    """SIGKILL the worker once it runs ``job_id``: no chance to clean up, only the lease tells."""
    _wait_for(lambda: queue.status(job_id).state == "running")
    worker.kill()
    worker.wait()
    assert queue.status(job_id).state == "running", log.read_text()
