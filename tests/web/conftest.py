"""Web fixtures: a migrated database with two customer organisations, one user per role, and clients."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

with warnings.catch_warnings():
    # Starlette asks for the `httpx2` package and warns once, on import, when only `httpx` is installed
    # (as the dev dependencies declare); the client works the same with either.
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

from tests.conftest import sla_yaml
from ukur.config import Settings
from ukur.store import SYSTEM, accounts, agreements, make_engine, make_session_factory, migrate
from ukur.store.engine import transaction
from ukur.web import create_app

PASSWORD = "correct horse battery"
YAML_A = sla_yaml("kilat-gold", "Toko A", "Kilat Gold for Toko A")
YAML_B = sla_yaml("kilat-silver", "Toko B", "Kilat Silver for Toko B")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    url: str
    org_a: int
    org_b: int
    agreement_a: int
    agreement_b: int
    users: dict[str, int]


def seed(url: str) -> World:
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_session_factory(engine)
    with transaction(sessions) as s:
        accounts.create_organisation(s, SYSTEM, "PT Kilat", "provider")
        a = accounts.create_organisation(s, SYSTEM, "Toko A", "customer")
        b = accounts.create_organisation(s, SYSTEM, "Toko B", "customer")
        users = {}
        for role, org in [
            ("admin", None),
            ("staff", None),
            ("customer", a.id),
            ("customer_b", b.id),
            ("researcher", None),
        ]:
            user = accounts.create_user(
                s,
                SYSTEM,
                email=f"{role}@example.com",
                password=PASSWORD,
                role=role.split("_")[0],
                name=role.title(),
                organisation_id=org,
            )
            users[role] = user.id
        va = agreements.upload_agreement(s, SYSTEM, YAML_A)
        vb = agreements.upload_agreement(s, SYSTEM, YAML_B)
        world = World(url, a.id, b.id, va.agreement_id, vb.agreement_id, users)
    engine.dispose()
    return world


@pytest.fixture
def world(database_url: str) -> World:
    return seed(database_url)


@pytest.fixture
def app(world: World):
    return create_app(Settings(database_url=world.url, job_lease_seconds=5))


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def csrf_of(client: TestClient, path: str = "/signin") -> str:
    found = CSRF.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: TestClient, who: str) -> TestClient:
    token = csrf_of(client)
    response = client.post(
        "/signin",
        data={"email": f"{who}@example.com", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def as_role(app):
    """``as_role("customer")`` -> a TestClient signed in as that user (closed at the end of the test)."""
    opened: list[TestClient] = []

    def make(who: str) -> TestClient:
        c = TestClient(app, raise_server_exceptions=False)
        c.__enter__()
        opened.append(c)
        return sign_in(c, who)

    yield make
    for c in opened:
        c.__exit__(None, None, None)
