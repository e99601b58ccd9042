"""The JSON API: agreements, idempotent bulk record ingest, claims, jobs, errors as JSON, upload limit."""

from __future__ import annotations

import time

import pytest

from tests.conftest import sla_yaml
from tests.web.conftest import YAML_A, csrf_of
from ukur.config import Settings
from ukur.jobs import JobRegistry, ThreadJobQueue
from ukur.store import make_engine, make_session_factory
from ukur.web import create_app


@pytest.fixture
def staff(as_role):
    client = as_role("staff")
    client.headers["X-CSRF-Token"] = csrf_of(client, "/")
    return client


def test_agreement_versions_through_the_api(staff, world):
    created = staff.post(
        "/api/v1/agreements",
        json={"yaml": YAML_A + "fee: {amount: 1000, currency: IDR, per: month}\n", "note": "fee"},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["number"] == 2 and body["note"] == "fee" and len(body["content_hash"]) == 64
    agreement = staff.get(f"/api/v1/agreements/{world.agreement_a}").json()
    assert [v["number"] for v in agreement["versions"]] == [1, 2]
    assert (
        staff.get(f"/api/v1/agreements/{world.agreement_a}/versions/2")
        .json()["yaml"]
        .endswith("per: month}\n")
    )
    new = staff.post(
        "/api/v1/agreements", json={"yaml": sla_yaml("brand-new", "Somebody"), "customer_org_id": world.org_b}
    )
    assert new.status_code == 201
    signed = staff.post(
        f"/api/v1/agreements/{world.agreement_a}/versions/2/signatures", json={"signer_name": "Budi"}
    )
    assert signed.status_code == 201 and signed.json()["party"] == "provider"


def test_yaml_errors_are_400_with_line_and_nothing_is_stored(staff):
    response = staff.post("/api/v1/agreements", json={"yaml": "id: x\ntitle: [oops\nmore: 1\n"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "AgreementError" and body["line"] is not None and "YAML" in body["message"]
    assert all(a["slug"] != "x" for a in staff.get("/api/v1/agreements").json())
    assert staff.post("/api/v1/agreements", json={"yaml": YAML_A}).status_code == 409
    invalid = staff.post("/api/v1/agreements", json={"note": "no yaml"})
    assert invalid.status_code == 422 and invalid.json()["field"] == "yaml"


def test_record_ingest_is_idempotent_and_all_or_nothing(staff, as_role, world):
    url = f"/api/v1/organisations/{world.org_a}/streams/shipments/records"
    rows = [
        {"id": f"S{i}", "picked_up_at": "2026-01-05T08:00:00+07:00", "damaged": False} for i in range(300)
    ]
    first = staff.post(url, json=rows).json()
    assert (first["received"], first["inserted"], first["updated"]) == (300, 300, 0)
    again = staff.post(url, json=rows).json()
    assert (again["inserted"], again["updated"]) == (0, 300)
    bad = staff.post(url, json=[{"id": "S1"}, {"nope": 1}, {"id": "S1"}])
    assert bad.status_code == 400 and "row 2" in bad.json()["message"] and "row 3" in bad.json()["message"]
    stream_id = again["stream_id"]
    page = staff.get(f"/api/v1/streams/{stream_id}/records?limit=5").json()
    assert page["total"] == 300 and len(page["records"]) == 5
    customer_a, customer_b = as_role("customer"), as_role("customer_b")
    assert customer_a.get(f"/api/v1/streams/{stream_id}/records").status_code == 200
    assert customer_b.get(f"/api/v1/streams/{stream_id}/records").status_code == 404
    assert customer_b.get("/api/v1/streams").json() == []


def test_claims_are_filed_by_customers_and_decided_by_staff(staff, as_role, world):
    customer = as_role("customer")
    customer.headers["X-CSRF-Token"] = csrf_of(customer, "/")
    filed = customer.post(
        f"/api/v1/agreements/{world.agreement_a}/claims",
        json={"kind": "late", "record_id": "S1", "amount": "25000", "currency": "idr"},
    )
    assert filed.status_code == 201, filed.text
    claim = filed.json()
    assert claim["status"] == "filed" and claim["currency"] == "IDR"
    assert (
        customer.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to_status": "approved"}).status_code
        == 403
    )
    approved = staff.post(
        f"/api/v1/claims/{claim['id']}/transitions", json={"to_status": "approved", "note": "ok"}
    )
    assert approved.json()["status"] == "approved"
    wrong = staff.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to_status": "filed"})
    assert wrong.status_code == 409
    history = customer.get("/api/v1/claims").json()[0]["events"]
    assert [e["to_status"] for e in history] == ["filed", "approved"]
    assert as_role("customer_b").get("/api/v1/claims").json() == []


def test_job_status_is_readable_by_its_owner(world):
    registry = JobRegistry()
    registry.register("test.echo", lambda payload, progress: {"echo": payload["text"]})
    engine = make_engine(world.url)
    queue = ThreadJobQueue(make_session_factory(engine), jobs=registry)
    queue.start()
    app = create_app(Settings(database_url=world.url), queue=queue)
    from starlette.testclient import TestClient

    from tests.web.conftest import sign_in

    with TestClient(app) as owner, TestClient(app) as other:
        sign_in(owner, "researcher")
        sign_in(other, "customer")
        job_id = queue.submit("test.echo", {"text": "halo"}, owner_id=world.users["researcher"])
        deadline = time.monotonic() + 10
        while (body := owner.get(f"/api/v1/jobs/{job_id}").json())["state"] != "succeeded":
            assert time.monotonic() < deadline, body
            time.sleep(0.05)
        assert body["result"] == {"echo": "halo"} and body["progress"] == 1.0
        assert other.get(f"/api/v1/jobs/{job_id}").status_code == 404
    queue.shutdown()
    engine.dispose()


def test_upload_limit_gives_a_clear_413(world):
    from starlette.testclient import TestClient

    from tests.web.conftest import sign_in

    app = create_app(Settings(database_url=world.url, max_upload_bytes=2048))
    with TestClient(app) as client:
        sign_in(client, "staff")
        token = csrf_of(client, "/")
        big = "id: big\n" + "# padding\n" * 1000
        page = client.post("/agreements", data={"yaml_text": big, "csrf_token": token})
        assert page.status_code == 413 and "too large" in page.text and "2 KB" in page.text
        api = client.post("/api/v1/agreements", json={"yaml": big}, headers={"X-CSRF-Token": token})
        assert api.status_code == 413 and api.json()["error"] == "PayloadTooLarge"

        def chunks():
            for _ in range(10):
                yield b"x" * 1024

        chunked = client.post(
            "/api/v1/agreements",
            content=chunks(),
            headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
        )
        assert chunked.status_code == 413


def test_unknown_api_route_is_json_404(staff):
    response = staff.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["error"] == "NotFound"
