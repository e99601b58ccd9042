"""Sign-in, sign-out, session cookie flags, CSRF on every form post, API tokens."""

from __future__ import annotations

from tests.web.conftest import PASSWORD, csrf_of, sign_in


def test_pages_need_sign_in_and_api_answers_401(client):
    response = client.get("/agreements", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/signin?next=/agreements"
    api = client.get("/api/v1/agreements")
    assert api.status_code == 401 and api.json()["error"] == "AuthenticationError"


def test_sign_in_sets_a_safe_cookie_and_sign_out_ends_it(client):
    token = csrf_of(client)
    wrong = client.post(
        "/signin", data={"email": "admin@example.com", "password": "nope-nope-nope", "csrf_token": token}
    )
    assert wrong.status_code == 401 and "Wrong e-mail or password" in wrong.text
    ok = client.post(
        "/signin",
        data={
            "email": "admin@example.com",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    cookie = ok.headers["set-cookie"].lower()
    assert (
        "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    )  # plain http test server
    assert PASSWORD not in ok.headers["set-cookie"]
    assert client.get("/").status_code == 200
    out = client.post("/signout", data={"csrf_token": csrf_of(client, "/")}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_cookie_is_secure_behind_https(app):
    from starlette.testclient import TestClient

    with TestClient(app, base_url="https://ukur.example") as c:
        token = csrf_of(c)
        ok = c.post(
            "/signin",
            data={"email": "admin@example.com", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert "secure" in ok.headers["set-cookie"].lower()


def test_form_posts_without_csrf_token_are_rejected(client, world):
    csrf_of(client)  # a session exists, but the token is not sent
    response = client.post("/signin", data={"email": "admin@example.com", "password": PASSWORD})
    assert response.status_code == 403 and "form expired" in response.text
    sign_in(client, "admin")
    for path, data in [
        ("/agreements", {"yaml_text": "id: forged\n"}),
        ("/admin/users", {"email": "x@example.com", "role": "admin"}),
        ("/account/tokens", {"name": "forged"}),
        ("/signout", {}),
    ]:
        assert client.post(path, data=data).status_code == 403, path
        assert client.post(path, data={**data, "csrf_token": "wrong"}).status_code == 403, path
    assert client.post("/api/v1/agreements", json={"yaml": "id: forged\n"}).status_code == 403
    assert "forged" not in client.get("/agreements").text


def test_api_tokens_work_until_revoked(as_role, client):
    browser = as_role("customer")
    page = browser.post(
        "/account/tokens", data={"name": "script", "csrf_token": csrf_of(browser, "/account")}
    )
    token = page.text.split("shown only once): ")[1].split("<")[0].strip()
    assert token.startswith("ukur_")
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["role"] == "customer"
    assert token not in browser.get("/account").text  # shown once only
    tokens = client.get("/api/v1/tokens", headers=headers).json()
    assert client.delete(f"/api/v1/tokens/{tokens[0]['id']}", headers=headers).status_code == 204
    gone = client.get("/api/v1/me", headers=headers)
    assert gone.status_code == 401 and gone.json()["message"] == "unknown or revoked API token"


def test_health_and_docs(client):
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/api/docs").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/agreements" in spec["paths"] and "/signin" not in spec["paths"]


def test_a_new_password_ends_the_other_sessions(as_role):
    laptop, phone = as_role("staff"), as_role("staff")
    token = csrf_of(laptop, "/account")
    changed = laptop.post(
        "/account/password", data={"password": "a brand new passphrase", "csrf_token": token}
    )
    assert "Password changed." in changed.text
    assert laptop.get("/", follow_redirects=False).status_code == 200
    assert phone.get("/", follow_redirects=False).status_code == 303
    short = laptop.post(
        "/account/password", data={"password": "short", "csrf_token": csrf_of(laptop, "/account")}
    )
    assert short.status_code == 400 and "at least 10" in short.text
