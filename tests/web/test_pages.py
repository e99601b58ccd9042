"""Pages: languages, agreement upload with errors shown next to the form, friendly error pages, logs."""

from __future__ import annotations

import json
import logging
import re
import string

import pytest

from tests.web.conftest import PASSWORD, YAML_A, csrf_of
from ukur.web.i18n import catalogue, negotiate
from ukur.web.logs import JsonFormatter


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders():
    en, id_ = catalogue("en"), catalogue("id")
    assert set(en) == set(id_)
    for key in en:
        assert _fields(en[key]) == _fields(id_[key]), key


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("id-ID,id;q=0.9,en;q=0.8", "id"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR", "en"),
        ("in", "id"),
        ("en;q=0.2, id;q=0.8", "id"),
        ("", "en"),
        ("id;q=bad", "en"),
    ],
)
def test_negotiate(header, expected):
    assert negotiate(header) == expected


def test_language_comes_from_the_browser_and_can_be_switched(client):
    assert "Masuk" in client.get("/signin", headers={"Accept-Language": "id-ID,id;q=0.9"}).text
    assert "Sign in" in client.get("/signin", headers={"Accept-Language": "en"}).text
    switched = client.get("/lang/id?next=/signin", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/signin"
    assert "Kata sandi" in client.get("/signin", headers={"Accept-Language": "en"}).text
    assert client.get("/lang/en?next=//evil.example", follow_redirects=False).headers["location"] == "/"


def test_a_users_language_is_remembered_across_sign_ins(client, app):
    from starlette.testclient import TestClient

    token = csrf_of(client)
    client.post("/signin", data={"email": "staff@example.com", "password": PASSWORD, "csrf_token": token})
    client.get("/lang/id")
    with TestClient(app) as fresh:
        token = csrf_of(fresh)
        fresh.post("/signin", data={"email": "staff@example.com", "password": PASSWORD, "csrf_token": token})
        assert "Dasbor" in fresh.get("/", headers={"Accept-Language": "en"}).text


def test_agreement_upload_form_shows_errors_and_stores_nothing(as_role):
    staff = as_role("staff")
    token = csrf_of(staff, "/agreements")
    bad = staff.post("/agreements", data={"yaml_text": "id: x\ntitle: [open\nmore: 1\n", "csrf_token": token})
    assert bad.status_code == 400 and "not valid YAML" in bad.text and "agreement.yaml:3" in bad.text
    assert "title: [open" in bad.text  # the text stays in the form to be corrected
    latin1 = staff.post(
        "/agreements",
        data={"csrf_token": token},
        files={"file": ("kilat.yaml", "title: Café\n".encode("latin-1"), "text/yaml")},
    )
    assert latin1.status_code == 400 and "not UTF-8" in latin1.text
    body = ("\ufeff" + YAML_A.replace("Kilat Gold for Toko A", "Kilat Gold v2")).encode("utf-8")
    ok = staff.post(
        "/agreements",
        data={"csrf_token": token, "note": "new title"},
        files={"file": ("kilat-gold.yaml", body, "text/yaml")},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    page = staff.get(ok.headers["location"]).text
    assert "Stored version 2 of kilat-gold" in page and "Kilat Gold v2" in page and "new title" in page
    edit = page.split('id="edit"')[1]
    assert "<textarea" in edit and "title: Kilat Gold v2" in edit.split("</textarea>")[0]
    assert 'id="edit"' not in as_role("customer").get(ok.headers["location"]).text
    diff = staff.get(ok.headers["location"] + "?v=2&diff=1").text
    assert "Changes from version 1 to 2" in diff and "+title: Kilat Gold v2" in diff


def test_signing_a_version_from_the_page(as_role, world):
    customer = as_role("customer")
    token = csrf_of(customer, f"/agreements/{world.agreement_a}")
    signed = customer.post(
        f"/agreements/{world.agreement_a}/versions/1/sign",
        data={"signer_name": "Sari Dewi", "signer_role": "Owner", "csrf_token": token},
    )
    assert signed.status_code == 200 and "Version 1 signed for the customer" in signed.text
    assert "customer: Sari Dewi" in signed.text


def test_admin_creates_organisations_and_users(as_role):
    admin = as_role("admin")
    token = csrf_of(admin, "/admin")
    admin.post("/admin/organisations", data={"name": "Toko C", "kind": "customer", "csrf_token": token})
    page = admin.get("/admin").text
    org_id = re.search(r'<option value="(\d+)">Toko C</option>', page).group(1)
    created = admin.post(
        "/admin/users",
        data={"email": "c@example.com", "role": "customer", "organisation_id": org_id, "csrf_token": token},
    )
    assert "Password (shown once)" in created.text
    assert "Password (shown once)" not in admin.get("/admin").text
    duplicate = admin.post(
        "/admin/organisations", data={"name": "Toko C", "kind": "customer", "csrf_token": token}
    )
    assert duplicate.status_code == 400 and "already exists" in duplicate.text


def test_pls_project_upload_and_model(as_role):
    researcher = as_role("researcher")
    token = csrf_of(researcher, "/pls")
    project = researcher.post("/pls", data={"name": "Study", "csrf_token": token}, follow_redirects=False)
    url = project.headers["location"]
    researcher.post(
        f"{url}/data", data={"csrf_token": token}, files={"file": ("data.csv", b"a,b\n1,2\n", "text/csv")}
    )
    researcher.post(f"{url}/model", data={"model_text": "X =~ a + b\r\n", "csrf_token": token})
    page = researcher.get(url).text
    assert "data.csv" in page and "X =~ a + b" in page
    empty = researcher.post(
        f"{url}/data", data={"csrf_token": token}, files={"file": ("e.csv", b"", "text/csv")}
    )
    assert empty.status_code == 400 and "empty" in empty.text


def test_unexpected_errors_show_a_friendly_page_and_no_traceback(app, client, caplog):
    def boom() -> None:
        raise RuntimeError("database password is hunter2")

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/v1/boom", boom)
    with caplog.at_level(logging.ERROR, logger="ukur.web"):
        page = client.get("/boom")
        api = client.get("/api/v1/boom")
    assert page.status_code == 500 and "went wrong on our side" in page.text and "hunter2" not in page.text
    assert api.status_code == 500 and api.json()["error"] == "InternalError" and "hunter2" not in api.text
    assert any("unhandled error" in r.message for r in caplog.records)


def test_log_lines_are_json_and_redact_secrets():
    record = logging.LogRecord("ukur.web", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"path": "/signin", "password": "hunter2", "api_token": "ukur_x", "status": 303}
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/signin" and line["status"] == 303
    assert line["password"] == line["api_token"] == "[redacted]"


def test_request_log_has_no_form_values(client, caplog):
    token = csrf_of(client)
    with caplog.at_level(logging.INFO, logger="ukur.web"):
        client.post(
            "/signin",
            data={"email": "admin@example.com", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
    # the POST's own record: an earlier test may have left the "ukur" logger at INFO (``ukur serve``
    # configures logging), and then the GET that fetched the CSRF token is captured first
    requests = [r for r in caplog.records if r.message == "request" and r.fields["method"] == "POST"]
    assert (
        len(requests) == 1 and requests[0].fields["path"] == "/signin" and requests[0].fields["status"] == 303
    )
    assert all(PASSWORD not in repr(r.__dict__) for r in caplog.records)
