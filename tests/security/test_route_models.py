"""Every route's models are built when the app is made, never in a request's thread.

Why: FastAPI (0.137 and later) builds an included router's routes on the first request that reaches them
and, with pydantic 2.12 and later, silences the warning "The 'alias' attribute ... was provided to the
`Field()` function" (which it provokes itself, for every parameter) with ``warnings.catch_warnings()``.
That is not thread-safe before Python 3.14: in a server thread the warning could escape, and under
``filterwarnings = error`` a random request answered 500.  :func:`ukur.web.app.build_every_route` builds
everything in :func:`ukur.web.create_app`; these tests show that nothing is left to build afterwards and
that building emits no warning.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi._compat import v2 as fastapi_fields
from fastapi.routing import iter_route_contexts
from sqlalchemy import select

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

from tests.web.conftest import seed
from ukur.config import Settings
from ukur.store import accounts, make_engine, make_session_factory
from ukur.store.access import Viewer
from ukur.store.engine import transaction
from ukur.store.models import User
from ukur.web import app as web_app
from ukur.web import create_app

PARAMETER = re.compile(r"{(\w+)(?::\w+)?}")


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A seeded SQLite database (the web tests' two organisations and users)."""
    return seed(f"sqlite:///{tmp_path_factory.mktemp('models') / 'ukur.db'}").url


@pytest.fixture(scope="module")
def admin_token(url: str) -> str:
    """An API token of the admin, so that API requests get past the sign-in check to their parameters."""
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as s:
        admin = s.scalars(select(User).where(User.role == "admin")).one()
        _, token = accounts.create_token(s, Viewer.of(admin), "route models")
    engine.dispose()
    return token


@pytest.fixture
def built_fields(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the FastAPI model fields built while the fixture is active (none at the start)."""
    built: list[str] = []
    original = fastapi_fields.ModelField.__post_init__

    def record(field: Any) -> None:
        built.append(field.name)
        original(field)

    monkeypatch.setattr(fastapi_fields.ModelField, "__post_init__", record)
    yield built


def walk_every_route(app: Any, token: str) -> int:
    """Send one request with the admin's token to every route of ``app`` (ids 1); how many were sent."""
    sent = 0
    with TestClient(
        app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        for context in iter_route_contexts(app.router.routes):
            path = getattr(context, "path", None)
            for method in sorted(getattr(context, "methods", None) or ()):
                if path is None or method == "HEAD":
                    continue
                client.request(method, PARAMETER.sub("1", path), follow_redirects=False)
                sent += 1
    return sent


def test_making_the_app_builds_every_route_without_a_warning(url: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        create_app(Settings(database_url=url))
    assert [str(w.message) for w in caught if "alias" in str(w.message)] == []


def test_no_route_model_is_built_in_a_request(url: str, admin_token: str, built_fields: list[str]) -> None:
    app = create_app(Settings(database_url=url))
    built_fields.clear()  # what create_app built
    assert walk_every_route(app, admin_token) >= 100
    assert built_fields == [], f"route models built lazily, in request threads: {built_fields[:10]}"


def test_the_check_sees_lazy_building(
    url: str, admin_token: str, built_fields: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the eager build the walk does build models, so the test above can fail."""
    monkeypatch.setattr(web_app, "build_every_route", lambda app: None)
    app = create_app(Settings(database_url=url))
    built_fields.clear()
    walk_every_route(app, admin_token)
    assert built_fields
