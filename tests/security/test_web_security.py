"""Web security basics (OWASP ASVS 4.0 level 1; the checklist with its status is docs/security.md).

CSRF on every state-changing route (enumerated from the router), session cookie flags, argon2id
password hashes, sign-in rate limiting, security headers on every response, API tokens hashed and
revocable, no secrets or personal data in the logs, upload size and row limits.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

from tests.security.test_route_enumeration import EXPECTED, parameters, routes
from tests.security.world import FullWorld, seed_full
from tests.web.conftest import PASSWORD, csrf_of, sign_in
from ukur.config import Settings
from ukur.store import make_engine, make_session_factory
from ukur.store.models import ApiToken, User
from ukur.web import create_app
from ukur.web.security import SignInLimitMiddleware, SlidingWindow

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "ukur" / "web" / "templates"


@pytest.fixture
def full(tmp_path: Path) -> FullWorld:
    return seed_full(f"sqlite:///{tmp_path / 'security.db'}")


def _client(full: FullWorld, base_url: str = "http://testserver", **settings: Any) -> TestClient:
    app = create_app(Settings(database_url=full.base.url, job_lease_seconds=5, **settings))
    return TestClient(app, base_url=base_url, raise_server_exceptions=False)


def _unsafe_routes(app: Any) -> list[tuple[str, str]]:
    return [(m, path) for m, path in routes(app) if m not in {"GET", "MOUNT", "OPTIONS"}]


def test_every_state_changing_route_refuses_a_session_request_without_csrf_token(full: FullWorld) -> None:
    with _client(full) as client:
        sign_in(client, "admin")
        routes = _unsafe_routes(client.app)
        assert len(routes) >= 20  # the router really was enumerated
        values = parameters(full)
        accepted = []
        for method, path in routes:
            url = path.format(**{k: values.get(k, 1) for k in re.findall(r"{(\w+)", path)})
            for body in ({"data": {"name": "x"}}, {"json": {"name": "x"}}):
                response = client.request(method, url, follow_redirects=False, **body)
                if response.status_code != 403:
                    accepted.append(f"{method} {path} ({response.status_code})")
            forged = client.request(method, url, headers={"X-CSRF-Token": "forged"}, follow_redirects=False)
            if forged.status_code != 403:
                accepted.append(f"{method} {path} with a forged token ({forged.status_code})")
        assert not accepted, "state-changing routes accepting a request without CSRF token: " + ", ".join(
            accepted
        )
        assert client.get("/").status_code == 200  # still signed in: the refusals changed nothing


def _session_cookie(response: Any) -> str:
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    assert cookies, "no session cookie set"
    return cookies[-1]


@pytest.mark.parametrize(
    ("base_url", "headers", "secure"),
    [
        ("http://testserver", {}, False),
        ("https://testserver", {}, True),
        ("http://testserver", {"X-Forwarded-Proto": "https"}, None),
    ],
)
def test_session_cookie_is_httponly_samesite_and_secure_over_https(
    full: FullWorld, base_url: str, headers: dict[str, str], secure: bool | None
) -> None:
    with _client(full, base_url=base_url) as client:
        token = csrf_of(client)
        response = client.post(
            "/signin",
            data={"email": "admin@example.com", "password": PASSWORD, "csrf_token": token},
            headers=headers,
            follow_redirects=False,
        )
        assert response.status_code == 303
        cookie = _session_cookie(response).lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
        if secure is None:
            # X-Forwarded-Proto is honoured only from a trusted proxy (127.0.0.1); the test client is not one
            assert "secure" not in cookie.replace("samesite", "")
        else:
            assert ("; secure" in cookie) is secure, cookie
    with _client(full, secure_cookies="true") as client:
        token = csrf_of(client)
        signed = client.post(
            "/signin",
            data={"email": "admin@example.com", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert "; secure" in _session_cookie(signed).lower()


def test_passwords_are_stored_as_argon2id_hashes(full: FullWorld) -> None:
    engine = make_engine(full.base.url)
    with make_session_factory(engine)() as s:
        hashes = list(s.scalars(select(User.password_hash)))
    engine.dispose()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)


def _attempt(client: TestClient, email: str, password: str) -> int:
    token = csrf_of(client)
    return client.post(
        "/signin", data={"email": email, "password": password, "csrf_token": token}, follow_redirects=False
    ).status_code


def test_sign_in_is_rate_limited_per_account(full: FullWorld) -> None:
    with _client(full) as client:
        assert [_attempt(client, "staff@example.com", "wrong") for _ in range(5)] == [401] * 5
        refused = client.post(
            "/signin",
            data={"email": "Staff@Example.com", "password": PASSWORD, "csrf_token": csrf_of(client)},
            follow_redirects=False,
        )
        assert refused.status_code == 429  # even the right password: the account is locked for a while
        assert "Too many failed sign-ins" in refused.text and int(refused.headers["retry-after"]) > 0
        assert refused.headers["x-frame-options"] == "DENY"
        assert _attempt(client, "admin@example.com", PASSWORD) == 303  # other accounts are not affected


def test_sign_in_is_rate_limited_per_client_address(full: FullWorld) -> None:
    with _client(full) as client:
        codes = [_attempt(client, f"nobody{i}@example.com", "wrong") for i in range(20)]
        assert codes == [401] * 20
        assert _attempt(client, "admin@example.com", PASSWORD) == 429


def test_a_successful_sign_in_clears_the_accounts_failures() -> None:
    now = [0.0]

    async def nothing(scope: Any, receive: Any, send: Any) -> None:
        return None

    limiter = SignInLimitMiddleware(nothing, max_failures=2, window=60, clock=lambda: now[0])
    limiter.failures.add("account:a")
    limiter.failures.add("account:a")
    assert limiter.failures.count("account:a") == 2
    assert limiter.failures.retry_after("account:a") == 61
    now[0] = 59.0
    assert limiter.failures.count("account:a") == 2
    now[0] = 60.5
    assert limiter.failures.count("account:a") == 0  # the window slid past both failures
    window = SlidingWindow(10, clock=lambda: now[0])
    window.add("k")
    window.clear("k")
    assert window.count("k") == 0


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": None,
    "content-security-policy": None,
}


def _check_headers(response: Any, where: str) -> list[str]:
    problems = []
    for name, value in SECURITY_HEADERS.items():
        got = response.headers.get(name)
        if got is None or (value is not None and got != value):
            problems.append(f"{where}: {name}={got!r}")
    csp = response.headers.get("content-security-policy", "")
    if "frame-ancestors 'none'" not in csp:
        problems.append(f"{where}: CSP without frame-ancestors 'none'")
    scripts = re.search(r"script-src([^;]*)", csp) or re.search(r"default-src([^;]*)", csp)
    if scripts and "'unsafe-inline'" in scripts.group(1):
        problems.append(f"{where}: CSP allows inline scripts")
    return problems


def test_security_headers_on_every_response(full: FullWorld) -> None:
    problems: list[str] = []
    with _client(full) as client:
        for path in ["/signin", "/healthz", "/api/v1/me", "/no/such/page", "/static/ukur.css", "/api/docs"]:
            problems += _check_headers(client.get(path, follow_redirects=False), f"anonymous GET {path}")
        sign_in(client, "admin")
        values = parameters(full)
        for method, path in EXPECTED:
            if method == "GET" and "/docs" not in path:
                url = path.format(**{k: values.get(k, 1) for k in re.findall(r"{(\w+)", path)})
                problems += _check_headers(client.get(url, follow_redirects=False), f"GET {path}")
        problems += _check_headers(client.post("/agreements", data={}), "POST without CSRF (403)")
        assert "script-src 'self'" in client.get("/").headers["content-security-policy"]
    assert not problems, "\n".join(problems)


def test_templates_have_no_inline_scripts_styles_or_event_handlers() -> None:
    """The CSP forbids them: they would silently stop working in the browser."""
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style\b",
            r"\sstyle=\"",
            r"\son[a-z]+=\"",
            "javascript:",
        ):
            found += [f"{template.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert not found, found


def test_api_tokens_are_hashed_at_rest_and_revocable(full: FullWorld) -> None:
    engine = make_engine(full.base.url)
    with make_session_factory(engine)() as s:
        stored = s.scalars(select(ApiToken)).all()
    engine.dispose()
    assert [row.token_hash for row in stored] == [hashlib.sha256(full.token.encode()).hexdigest()]
    assert all(full.token not in str(getattr(row, c.key)) for row in stored for c in ApiToken.__table__.c)
    with _client(full) as client:
        bearer = {"Authorization": f"Bearer {full.token}"}
        assert client.get("/api/v1/me", headers=bearer).json()["email"] == "customer@example.com"
        assert client.delete(f"/api/v1/tokens/{full.token_id}", headers=bearer).status_code == 204
        after = client.get("/api/v1/me", headers=bearer)
        assert after.status_code == 401 and after.json()["error"] != ""
        assert client.get("/api/v1/me", headers={"Authorization": "Bearer ukur_guessed"}).status_code == 401


def test_no_passwords_tokens_or_email_addresses_in_the_logs(full: FullWorld, caplog: Any) -> None:
    from ukur.web.logs import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with caplog.at_level(logging.DEBUG), _client(full) as client:
            _attempt(client, "customer@example.com", "wrong password 77")
            sign_in(client, "customer")
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {full.token}"})
            client.get("/api/v1/me", headers={"Authorization": "Bearer ukur_not_a_real_token"})
            client.post(
                "/account/password",
                data={"password": "a brand new secret 9", "csrf_token": csrf_of(client, "/")},
            )
    finally:
        root.removeHandler(handler)
    text = stream.getvalue() + "\n".join(
        f"{r.getMessage()} {getattr(r, 'fields', '')} {r.args}" for r in caplog.records
    )
    assert "request" in text  # the request log really was captured
    for secret in [
        PASSWORD,
        "wrong password 77",
        "a brand new secret 9",
        full.token,
        "ukur_not_a_real_token",
        "customer@example.com",
    ]:
        assert secret not in text, f"{secret!r} appears in the logs"


def test_upload_size_limit_answers_413_with_a_clear_message(full: FullWorld) -> None:
    with _client(full, max_upload_bytes=10_000) as client:
        bearer = {"Authorization": f"Bearer {full.token}"}
        big = client.post(
            "/api/v1/agreements",
            content=b"{" + b" " * 20_000 + b"}",
            headers={**bearer, "content-type": "application/json"},
        )
        assert big.status_code == 413
        assert big.json()["message"] == "the upload is too large: the limit is 10 KB"
        sign_in(client, "staff")
        page = client.post(
            f"/agreements/{full.base.agreement_a}/records",
            data={"stream": "s", "csrf_token": csrf_of(client, "/")},
            files={"file": ("r.csv", b"id\n" + b"K\n" * 10_000, "text/csv")},
        )
        assert page.status_code == 413 and "the upload is too large" in page.text
        assert "javascript:" not in page.text  # the Content-Security-Policy would block it


@pytest.mark.parametrize(
    ("referer", "back"),
    [
        ("http://testserver/agreements/1?period=2026-01", "/agreements/1?period=2026-01"),
        ("https://evil.example/agreements/1", "/"),
        ("javascript:alert(1)", "/"),
        (None, "/"),
    ],
)
def test_413_page_links_back_to_the_same_origin_referer_only(
    full: FullWorld, referer: str | None, back: str
) -> None:
    with _client(full, max_upload_bytes=1_000) as client:
        headers = {"referer": referer} if referer else {}
        page = client.post("/signin", content=b"x" * 5_000, headers=headers)
        assert page.status_code == 413
        assert f"<a href='{back.replace('&', '&amp;')}'>" in page.text


def test_record_batches_have_a_row_limit_with_a_clear_message(full: FullWorld) -> None:
    from ukur.web.routes.api import MAX_RECORDS

    with _client(full) as client:
        sign_in(client, "staff")
        headers = {"X-CSRF-Token": csrf_of(client, "/")}
        rows = [{"id": str(i)} for i in range(MAX_RECORDS + 1)]
        response = client.post(
            f"/api/v1/organisations/{full.base.org_a}/streams/big/records", json=rows, headers=headers
        )
        assert response.status_code == 400
        body = response.json()
        assert body["message"] == f"at most {MAX_RECORDS} records per request; send them in parts"
        assert body["field"] == "records"
