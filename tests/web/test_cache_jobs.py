"""The background path of the evaluation cache, through the app's own local job queue (SQLite and
PostgreSQL): the success page above ``INLINE_RECORDS`` and the agreement page above
``UKUR_EVALUATION_INLINE_RECORDS`` start exactly one job however often they are viewed while it runs,
show a progress note bound to it (``data-job``), and show the figures with "computed at" once it has
run; a failed job's error is shown and the same job is not started again (no reload loop)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from tests.web.conftest import World, sign_in
from tests.web.test_feedback import answer, stock
from ukur.config import Settings
from ukur.errors import UkurError
from ukur.jobs import evaluation_refresh, success_view
from ukur.store import SYSTEM, compliance, make_engine, make_session_factory, records
from ukur.store.engine import transaction
from ukur.store.models import Job
from ukur.web import create_app
from ukur.web.routes import success as success_routes

JOB = re.compile(r'data-job="(\d+)"')
COMPUTED_AT = re.compile(r"Figures computed at \d\d:\d\d UTC")
WAIT = 60.0


@pytest.fixture
def answered(client, world: World) -> World:
    """Shipments and two answers about agreement A (one per shipment) from Toko A's own links."""
    tokens = stock(world)
    assert answer(client, tokens["a1"], csat="5", nps="10").status_code == 303
    assert answer(client, tokens["a2"], csat="2", nps="4").status_code == 303
    return world


@pytest.fixture
def gate(monkeypatch) -> Iterator[threading.Event]:
    """Jobs (success views and evaluation refreshes) wait for this event before computing, so a test can
    view the page while its job is surely still queued or running.  Set at the end in any case."""
    opened = threading.Event()

    def gated(real):
        def wait_then_compute(*args, **kwargs):
            assert opened.wait(WAIT), "the test never let the job run"
            return real(*args, **kwargs)

        return wait_then_compute

    monkeypatch.setattr(success_view, "compute_and_store", gated(success_view.compute_and_store))
    monkeypatch.setattr(compliance, "compute_and_store", gated(compliance.compute_and_store))
    yield opened
    opened.set()


def jobs_of(url: str, kind: str) -> int:
    """How many jobs of ``kind`` the database holds."""
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as s:
        count = s.scalar(select(func.count(Job.id)).where(Job.kind == kind)) or 0
    engine.dispose()
    return int(count)


def job_on(page: str) -> int:
    """The job id the page's progress note polls (``data-job``)."""
    found = JOB.search(page)
    assert found, "the page shows no job"
    return int(found.group(1))


def wait_for_job(client, job_id: int) -> dict:
    """The job's status once it has succeeded or failed (polled as ``static/ukur.js`` does)."""
    deadline = time.monotonic() + WAIT
    while True:
        body = client.get(f"/api/v1/jobs/{job_id}").json()
        if body["state"] in ("succeeded", "failed"):
            return body
        assert time.monotonic() < deadline, f"job {job_id} still {body['state']} after {WAIT} s"
        time.sleep(0.1)


def test_a_large_success_page_starts_one_job_and_then_shows_its_figures(as_role, answered, gate, monkeypatch):
    monkeypatch.setattr(success_routes, "INLINE_RECORDS", 0)
    staff = as_role("staff")
    url = f"/agreements/{answered.agreement_a}/success"
    first = staff.get(url)
    assert first.status_code == 200
    job_id = job_on(first.text)
    assert "<progress" in first.text and "The figures are being computed" in first.text
    assert not COMPUTED_AT.search(first.text) and 'class="question"' not in first.text
    second = staff.get(url)  # viewed again while the job still waits: the same job, no second one
    assert job_on(second.text) == job_id
    assert jobs_of(answered.url, success_view.KIND) == 1
    gate.set()
    assert wait_for_job(staff, job_id)["state"] == "succeeded"
    done = staff.get(url)
    assert done.status_code == 200 and not JOB.search(done.text) and "<progress" not in done.text
    assert COMPUTED_AT.search(done.text)
    assert 'class="question"' in done.text and 'class="trend"' in done.text  # the figures themselves
    assert jobs_of(answered.url, success_view.KIND) == 1


def test_a_failed_success_job_shows_its_error_and_is_not_started_again(as_role, answered, monkeypatch):
    def failing(*args, **kwargs):
        raise UkurError("planted failure: the feedback table is unreadable")

    monkeypatch.setattr(success_routes, "INLINE_RECORDS", 0)
    monkeypatch.setattr(success_view, "compute_and_store", failing)
    staff = as_role("staff")
    url = f"/agreements/{answered.agreement_a}/success"
    job_id = job_on(staff.get(url).text)
    assert wait_for_job(staff, job_id)["state"] == "failed"
    for _ in range(2):  # what ukur.js's reload after the job sees, and any later view
        page = staff.get(url)
        assert page.status_code == 200
        assert "planted failure: the feedback table is unreadable" in page.text
        assert not JOB.search(page.text) and "<progress" not in page.text
    assert jobs_of(answered.url, success_view.KIND) == 1


@pytest.fixture
def large_app(world: World):
    """The app with every agreement 'large': the agreement page evaluates in the background."""
    return create_app(Settings(database_url=world.url, job_lease_seconds=5, evaluation_inline_records=0))


@pytest.fixture
def staff_of_large(large_app):
    from starlette.testclient import TestClient

    with TestClient(large_app, raise_server_exceptions=False) as c:
        yield sign_in(c, "staff")


def test_a_large_agreement_page_starts_one_job_and_then_shows_the_compliance(staff_of_large, world, gate):
    stock(world)
    url = f"/agreements/{world.agreement_a}"
    first = staff_of_large.get(url)
    assert first.status_code == 200
    job_id = job_on(first.text)
    assert "<progress" in first.text and 'id="compliance"' not in first.text
    assert job_on(staff_of_large.get(url).text) == job_id
    assert jobs_of(world.url, evaluation_refresh.KIND) == 1
    gate.set()
    assert wait_for_job(staff_of_large, job_id)["state"] == "succeeded"
    done = staff_of_large.get(url)
    assert not JOB.search(done.text) and "<progress" not in done.text
    assert COMPUTED_AT.search(done.text) and 'id="compliance"' in done.text and "on-time" in done.text
    assert jobs_of(world.url, evaluation_refresh.KIND) == 1


def test_a_failed_evaluation_job_shows_its_error_and_is_not_started_again(staff_of_large, world, monkeypatch):
    def failing(*args, **kwargs):
        raise UkurError("planted failure: the shipments cannot be read")

    monkeypatch.setattr(compliance, "compute_and_store", failing)
    stock(world)
    url = f"/agreements/{world.agreement_a}"
    job_id = job_on(staff_of_large.get(url).text)
    assert wait_for_job(staff_of_large, job_id)["state"] == "failed"
    for _ in range(2):
        page = staff_of_large.get(url)
        assert page.status_code == 200 and "planted failure: the shipments cannot be read" in page.text
        assert not JOB.search(page.text) and "<progress" not in page.text
    assert jobs_of(world.url, evaluation_refresh.KIND) == 1
    # new records change the cache key: the failure no longer stands for the data, so it is tried again
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        stream = records.stream_for(s, SYSTEM, world.org_a, "shipments")
        records.import_records(
            s, SYSTEM, stream, [{"id": "S-NEW", "picked_up_at": "2026-01-06T08:00:00+07:00"}]
        )
    engine.dispose()
    retried = job_on(staff_of_large.get(url).text)
    assert retried != job_id
    assert jobs_of(world.url, evaluation_refresh.KIND) == 2
    assert wait_for_job(staff_of_large, retried)["state"] == "failed"  # no job left running at teardown
