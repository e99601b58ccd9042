"""Who sees and changes what: a customer sees only its own organisation; everything else is a 404."""

from __future__ import annotations

import pytest

from tests.web.conftest import csrf_of


def test_customer_gets_404_for_another_organisations_agreement(as_role, world):
    customer = as_role("customer")
    mine, theirs = world.agreement_a, world.agreement_b
    assert customer.get(f"/agreements/{mine}").status_code == 200
    listing = customer.get("/agreements").text
    assert "kilat-gold" in listing and "kilat-silver" not in listing
    for path in [f"/agreements/{theirs}", f"/agreements/{theirs}?v=1"]:
        page = customer.get(path)
        assert page.status_code == 404 and "does not exist" in page.text and "Traceback" not in page.text
    for path in [
        f"/api/v1/agreements/{theirs}",
        f"/api/v1/agreements/{theirs}/versions/1",
        f"/api/v1/claims?agreement_id={theirs}",
    ]:
        response = customer.get(path)
        assert response.status_code in (200, 404), path
        if response.status_code == 200:
            assert response.json() == []
        else:
            assert response.json()["error"] == "NotFoundError"
    assert [a["slug"] for a in customer.get("/api/v1/agreements").json()] == ["kilat-gold"]
    token = csrf_of(customer, "/")
    headers = {"X-CSRF-Token": token}
    assert (
        customer.post(
            f"/api/v1/agreements/{theirs}/claims", json={"kind": "late"}, headers=headers
        ).status_code
        == 404
    )
    sign = customer.post(
        f"/agreements/{theirs}/versions/1/sign", data={"signer_name": "X", "csrf_token": token}
    )
    assert sign.status_code == 404


def test_404_for_missing_and_for_forbidden_look_the_same(as_role, world):
    customer = as_role("customer")
    missing = customer.get("/api/v1/agreements/999999").json()
    hidden = customer.get(f"/api/v1/agreements/{world.agreement_b}").json()
    assert missing["error"] == hidden["error"] == "NotFoundError"
    assert missing["message"].replace("999999", "N") == hidden["message"].replace(str(world.agreement_b), "N")


def test_customer_cannot_change_anything(as_role, world):
    customer = as_role("customer")
    token = csrf_of(customer, "/")
    headers = {"X-CSRF-Token": token}
    upload = customer.post(
        "/agreements", data={"yaml_text": "id: kilat-gold\ntitle: changed\n", "csrf_token": token}
    )
    assert upload.status_code == 403
    assert (
        customer.post("/api/v1/agreements", json={"yaml": "id: kilat-gold\n"}, headers=headers).status_code
        == 403
    )
    ingest = customer.post(
        f"/api/v1/organisations/{world.org_a}/streams/shipments/records", json=[{"id": 1}], headers=headers
    )
    assert ingest.status_code == 403
    assert customer.get("/admin").status_code == 403
    assert (
        customer.post(
            "/admin/organisations", data={"name": "X", "kind": "customer", "csrf_token": token}
        ).status_code
        == 403
    )
    assert customer.get("/pls").status_code == 403


def test_staff_cannot_manage_users(as_role):
    staff = as_role("staff")
    token = csrf_of(staff, "/")
    assert staff.get("/admin").status_code == 403
    created = staff.post(
        "/admin/users", data={"email": "new@example.com", "role": "admin", "csrf_token": token}
    )
    assert created.status_code == 403
    assert "new@example.com" not in as_role("admin").get("/admin").text


@pytest.mark.parametrize("role", ["researcher"])
def test_researcher_sees_no_sla_data(as_role, world, role):
    researcher = as_role(role)
    assert researcher.get(f"/agreements/{world.agreement_a}").status_code == 404
    assert researcher.get("/api/v1/agreements").json() == []
    assert researcher.get("/pls").status_code == 200


def test_researchers_see_only_their_own_projects(as_role):
    researcher = as_role("researcher")
    token = csrf_of(researcher, "/pls")
    created = researcher.post(
        "/pls", data={"name": "UMKM study", "csrf_token": token}, follow_redirects=False
    )
    project = created.headers["location"]
    assert researcher.get(project).status_code == 200
    admin = as_role("admin")
    assert admin.get(project).status_code == 200
    assert as_role("staff").get(project).status_code == 403
