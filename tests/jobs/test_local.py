"""The embedded job queue: results, errors, progress kept in the database, leases that expire."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from ukur.errors import DataError, UkurError
from ukur.jobs import JobRegistry, ThreadJobQueue
from ukur.store import NotFoundError
from ukur.store import jobs as job_rows
from ukur.store.access import SYSTEM
from ukur.store.engine import transaction
from ukur.store.types import utcnow


def _wait(queue, job_id, timeout=10.0, until=lambda st: st.done):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = queue.status(job_id)
        if until(status):
            return status
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} still {queue.status(job_id).state}")


@pytest.fixture
def registry():
    reg = JobRegistry()

    @reg.register("test.square")
    def square(payload, progress):
        progress(0.5, "half way")
        return {"square": payload["x"] ** 2}

    @reg.register("test.bad-input")
    def bad_input(payload, progress):
        raise DataError("row 3 is empty", source="data.csv", line=3)

    @reg.register("test.crash")
    def crash(payload, progress):
        raise RuntimeError("secret internals")

    return reg


@pytest.fixture
def queue(sessions, registry):
    q = ThreadJobQueue(sessions, workers=2, lease_seconds=1.2, jobs=registry, progress_interval=0.0)
    q.start()
    yield q
    q.shutdown()


def test_result_error_and_crash(queue):
    ok = _wait(queue, queue.submit("test.square", {"x": 7}))
    assert (ok.state, ok.result, ok.progress, ok.attempts) == ("succeeded", {"square": 49}, 1.0, 1)
    bad = _wait(queue, queue.submit("test.bad-input", {}))
    assert bad.state == "failed" and bad.error["error"] == "DataError" and bad.error["line"] == 3
    crashed = _wait(queue, queue.submit("test.crash", {}))
    assert crashed.state == "failed" and "secret" not in repr(crashed.error)
    assert crashed.to_dict()["finished_at"] is not None


def test_unknown_kind_and_job(queue):
    with pytest.raises(UkurError, match="unknown job kind"):
        queue.submit("nope", {})
    with pytest.raises(NotFoundError):
        queue.status(10_000)


def test_progress_is_stored_while_running_and_heartbeat_outlives_the_lease(queue, registry, sessions):
    gate = threading.Event()

    @registry.register("test.slow")
    def slow(payload, progress):
        progress(0.25, "a quarter")
        gate.wait(5)
        return {}

    job_id = queue.submit("test.slow", {})
    running = _wait(queue, job_id, until=lambda st: st.progress == 0.25)
    assert (running.state, running.message) == ("running", "a quarter")
    other = ThreadJobQueue(sessions, jobs=registry)  # e.g. after a page reload, another process
    assert other.status(job_id).progress == 0.25
    time.sleep(2.6)  # more than two leases: only the heartbeat keeps the job alive
    assert queue.status(job_id).state == "running"
    gate.set()
    assert _wait(queue, job_id).state == "succeeded"
    other.shutdown()


def test_a_dead_workers_job_is_failed_not_running_for_ever(sessions, registry):
    with transaction(sessions) as s:
        job_id = job_rows.create_job(s, SYSTEM, "test.square", {"x": 2}).id
        assert job_rows.claim_job(s, job_id, "dead-host:1", lease_seconds=0.05)
    queue = ThreadJobQueue(sessions, jobs=registry, lease_seconds=0.6)
    time.sleep(0.1)
    queue.tick()
    status = queue.status(job_id)
    assert status.state == "failed" and status.error["error"] == "WorkerLost"
    queue.shutdown()


def test_a_dead_workers_job_with_attempts_left_is_retried(sessions, registry):
    with transaction(sessions) as s:
        job_id = job_rows.create_job(s, SYSTEM, "test.square", {"x": 3}, max_attempts=2).id
        assert job_rows.claim_job(s, job_id, "dead-host:1", lease_seconds=60)
    with transaction(sessions) as s:
        assert job_rows.reap_expired(s, now=utcnow() + timedelta(seconds=61)) == ([job_id], [])
    queue = ThreadJobQueue(sessions, jobs=registry, lease_seconds=0.6)
    queue.start()
    status = _wait(queue, job_id)
    assert (status.state, status.result, status.attempts) == ("succeeded", {"square": 9}, 2)
    queue.shutdown()


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_outcome(sessions, registry):
    with transaction(sessions) as s:
        job_id = job_rows.create_job(s, SYSTEM, "test.square", {"x": 2}).id
        assert job_rows.claim_job(s, job_id, "slow-host:1", lease_seconds=60)
        job_rows.reap_expired(s, now=utcnow() + timedelta(seconds=61))
    with transaction(sessions) as s:
        assert not job_rows.heartbeat(s, job_id, "slow-host:1", 60)
        assert not job_rows.finish_job(s, job_id, "slow-host:1", {"late": True})
    queue = ThreadJobQueue(sessions, jobs=registry)
    assert queue.status(job_id).state == "failed"
    queue.shutdown()
