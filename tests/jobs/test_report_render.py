"""Background reports (``report.render``): the same file as the inline download, progress, access, 409.

Runs the web app with its embedded job threads (the Redis path runs the same kind: tests/jobs/test_redis.py).
"""

from __future__ import annotations

import io
import time

import pytest
from docx import Document

from tests.web.conftest import app, as_role, csrf_of, world  # noqa: F401 - fixtures used by name
from tests.web.test_reports import DOCX, _finished_run, shipments  # noqa: F401 - fixture used by name
from ukur.jobs.report_render import CONTENT_KEY, KIND
from ukur.store import jobs as job_rows
from ukur.store import make_engine, make_session_factory, transaction
from ukur.store.access import Viewer

QUERY = {"period": "2026-01", "as_of": "2026-02-15T00:00"}


def start(client, path: str, **fields: str):
    """POST a background report request like the page's form would; the answer redirects to the job."""
    token = csrf_of(client, "/")
    return client.post(path, data={**fields, "csrf_token": token}, follow_redirects=False)


def wait_for_job(client, job_id: int, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/v1/jobs/{job_id}").json()
        if body["state"] in ("succeeded", "failed"):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


def test_a_background_sla_report_is_the_inline_one(shipments, as_role, world):  # noqa: F811
    customer = as_role("customer")
    base = f"/agreements/{world.agreement_a}/report"
    for fmt in ("html", "pdf"):
        answer = start(customer, f"{base}.{fmt}/job", **QUERY, lang="id")
        assert answer.status_code == 303, answer.text
        page_url = answer.headers["location"]
        job_id = int(page_url.rsplit("/", 1)[1])
        status = wait_for_job(customer, job_id)
        assert status["kind"] == KIND and status["state"] == "succeeded", status
        assert status["progress"] == 1.0 and status["attempts"] == 1
        # the API shows what the file is, never the file itself
        result = status["result"]
        assert CONTENT_KEY not in result and result["filename"] == f"ukur-sla-kilat-gold-2026-01.{fmt}"
        download = customer.get(f"{page_url}/download")
        assert download.status_code == 200 and result["size"] == len(download.content)
        assert f'filename="{result["filename"]}"' in download.headers["content-disposition"]
        inline = customer.get(f"{base}.{fmt}?period=2026-01&as_of=2026-02-15T00:00&lang=id")
        assert download.headers["content-type"] == inline.headers["content-type"]
        if fmt == "html":
            assert download.content == inline.content and "60,0" in download.text
        else:
            assert download.content.startswith(b"%PDF") and len(download.content) > 1000
        page = customer.get(page_url)
        assert page.status_code == 200 and f'href="{page_url}/download"' in page.text
        assert f'href="/agreements/{world.agreement_a}"' in page.text


def test_a_background_pls_docx_carries_the_runs_numbers(as_role):  # noqa: F811
    researcher = as_role("researcher")
    run_url, results = _finished_run(researcher, bootstrap=0)
    answer = start(researcher, f"{run_url}/report.docx/job", lang="id", profile="gender")
    assert answer.status_code == 303, answer.text
    job_id = int(answer.headers["location"].rsplit("/", 1)[1])
    assert wait_for_job(researcher, job_id)["state"] == "succeeded"
    download = researcher.get(f"/reports/jobs/{job_id}/download")
    assert download.headers["content-type"] == DOCX
    cells = {
        c.text for t in Document(io.BytesIO(download.content)).tables for row in t.rows for c in row.cells
    }
    assert all(f"{p['estimate']:.3f}".replace(".", ",") in cells for p in results["paths"])
    assert start(researcher, f"{run_url}/report.pdf/job").status_code == 404  # PLS reports have no PDF
    bad_profile = start(researcher, f"{run_url}/report.docx/job", profile="nope")
    failed = wait_for_job(researcher, int(bad_profile.headers["location"].rsplit("/", 1)[1]))
    assert failed["state"] == "failed" and "nope" in failed["error"]["message"]
    assert researcher.get(f"/reports/jobs/{failed['id']}/download").status_code == 409
    assert "nope" in researcher.get(f"/reports/jobs/{failed['id']}").text


def test_the_same_checks_as_the_inline_download_answer_at_once(shipments, as_role, world):  # noqa: F811
    other = as_role("customer_b")
    for fmt in ("html", "pdf"):
        assert (
            start(other, f"/agreements/{world.agreement_a}/report.{fmt}/job", period="2026-01").status_code
            == 404
        )
    customer = as_role("customer")
    base = f"/agreements/{world.agreement_a}/report"
    assert start(customer, f"{base}.docx/job", period="2026-01").status_code == 404
    assert start(customer, f"{base}.pdf/job", period="januari").status_code == 400
    assert start(customer, f"{base}.pdf/job", period="2026-01", lang="fr").status_code == 400
    assert start(customer, f"{base}.pdf/job").status_code == 422
    no_csrf = customer.post(f"{base}.pdf/job", data={"period": "2026-01"}, follow_redirects=False)
    assert no_csrf.status_code == 403


def test_only_the_owner_and_provider_staff_see_a_report_job(shipments, as_role, world):  # noqa: F811
    customer = as_role("customer")
    page_url = start(customer, f"/agreements/{world.agreement_a}/report.html/job", **QUERY).headers[
        "location"
    ]
    wait_for_job(customer, int(page_url.rsplit("/", 1)[1]))
    for who in ("customer_b", "researcher"):
        stranger = as_role(who)
        assert stranger.get(page_url).status_code == 404
        assert stranger.get(f"{page_url}/download").status_code == 404
    assert as_role("staff").get(f"{page_url}/download").status_code == 200


def test_a_report_that_is_not_ready_answers_409_and_the_page_shows_progress(world, as_role):  # noqa: F811
    """A job another worker holds (claimed with a long lease, so this app leaves it): no file, a progress bar."""
    engine = make_engine(world.url)
    customer_id = world.users["customer"]
    with transaction(make_session_factory(engine)) as session:
        payload = {"report": "sla", "agreement_id": world.agreement_a, "period": "2026-01", "format": "pdf"}
        viewer = Viewer(user_id=customer_id, role="customer", organisation_id=world.org_a)
        job_id = job_rows.create_job(session, viewer, KIND, {**payload, "user_id": customer_id}).id
        other_id = job_rows.create_job(session, viewer, "reminders.send", {}).id
        for held in (job_id, other_id):
            assert job_rows.claim_job(session, held, "another-worker", 600)
    engine.dispose()
    customer = as_role("customer")
    waiting = customer.get(f"/reports/jobs/{job_id}/download")
    assert waiting.status_code == 409 and "running, not finished" in waiting.text
    page = customer.get(f"/reports/jobs/{job_id}")
    assert f'data-job="{job_id}"' in page.text and "<progress" in page.text
    assert customer.get(f"/reports/jobs/{other_id}").status_code == 404  # not a report job


@pytest.mark.parametrize("payload", [{}, {"user_id": "x"}, {"user_id": 10**9}])
def test_a_job_without_a_valid_owner_fails_with_a_reason(payload, world):  # noqa: F811
    from ukur.errors import UkurError
    from ukur.jobs.base import JobRegistry
    from ukur.jobs.report_render import register_report_render

    engine = make_engine(world.url)
    kinds = JobRegistry()
    register_report_render(kinds, make_session_factory(engine), lambda *_: pytest.fail("rendered"))
    with pytest.raises(UkurError, match="user"):
        kinds.get(KIND)(payload, lambda *_: None)
    engine.dispose()
