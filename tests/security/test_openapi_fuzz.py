"""Hostile input through the API: schemathesis generates requests from the app's own OpenAPI schema.

For every operation of ``/api/openapi.json`` and every caller (anonymous, admin, staff, customer of
organisation A, customer of organisation B, researcher — the signed-in ones with their own API token,
``Authorization: Bearer ...``, the way machine clients call the API), schemathesis draws requests
that follow the schema (positive) and requests that break it (negative: wrong types, missing fields,
out-of-range values).  Each response must

* not be a server error (5xx) — and the app must not raise at all;
* have a status code the operation declares;
* have the declared content type and a body that matches the declared schema for that status.

Half the cases use the seeded objects' real ids in the path (organisation A's agreement, record,
stream, claim, change request; the researcher's run and job), so the handlers run past the lookup
and the query and body reach the code that uses them; the other half use whatever ids schemathesis draws.

Bounded: ``UKUR_FUZZ_EXAMPLES`` examples (default 8) per operation, data mode and id choice, each request at
most :data:`REQUEST_SECONDS`; ``derandomize`` makes every run draw the same examples, so a failure is
reproducible and CI is stable (set ``UKUR_FUZZ_SEED`` to explore other examples).  It runs on SQLite and on
PostgreSQL (which refuses other things: NUL characters in text, numbers beyond its column types); on each,
one database is shared by all callers, and the state-changing operations change it as a real client would.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import BACKENDS
from tests.conftest import _new_schema as new_schema
from tests.security.world import FullWorld, seed_full
from ukur.config import Settings
from ukur.store import accounts, make_engine, make_session_factory
from ukur.store.access import Viewer
from ukur.store.engine import transaction
from ukur.store.models import User
from ukur.web import create_app

CALLERS = ("anonymous", "admin", "staff", "customer", "customer_b", "researcher")
EXAMPLES = int(os.environ.get("UKUR_FUZZ_EXAMPLES", "8"))
SEED = os.environ.get("UKUR_FUZZ_SEED")
REQUEST_SECONDS = 30  # the deadline of one request: a slower answer is a failure too
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
PATH_PARAMETER = re.compile(r"{(\w+)}")


@dataclass
class Target:
    """The app's loaded schema, the seeded objects and each signed-in caller's fuzzing token."""

    schema: Any
    world: FullWorld
    tokens: dict[str, str]
    token_ids: set[int]

    def real_ids(self) -> dict[str, Any]:
        """Path parameter values that name seeded objects (organisation A's, or the researcher's)."""
        w = self.world
        return {
            "agreement_id": w.base.agreement_a,
            "number": 1,
            "record_id": w.record_id,
            "stream_id": w.stream_id,
            "stream": "shipments",
            "organisation_id": w.base.org_a,
            "claim_id": w.claim_id,
            "change_id": w.change_id,
            "job_id": w.job_id,
            "run_id": w.run_id,
            # customer A's spare token: revoking it is fine, the callers' own tokens are never drawn
            "token_id": w.token_id,
        }


@pytest.fixture(scope="module", params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'ukur.db'}"
    else:  # a new schema in the session's PostgreSQL database
        url = new_schema(request.getfixturevalue("postgres_database"))
    world = seed_full(url)
    engine = make_engine(url)
    tokens: dict[str, str] = {}
    token_ids: set[int] = set()
    with transaction(make_session_factory(engine)) as s:
        for caller in CALLERS[1:]:
            row, tokens[caller] = accounts.create_token(
                s, Viewer.of(s.get_one(User, world.base.users[caller])), "openapi fuzz"
            )
            token_ids.add(row.id)
    engine.dispose()
    app = create_app(Settings(database_url=url, job_lease_seconds=5))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    try:
        yield Target(schema, world, tokens, token_ids)
    finally:
        asgi.shutdown_lifespans()  # the app's job queue threads stop with its lifespan


def keeps_callers_tokens(target: Target, case: Any) -> bool:
    """False for a case that would revoke a caller's own token (every later request would be a 401)."""
    return case.path_parameters.get("token_id") not in target.token_ids if case.path_parameters else True


def fuzz_operation(target: Target, operation: Any, headers: dict[str, str]) -> list[str]:
    """Run the bounded fuzz of one operation; the failures, each with the request that shows it."""
    names = PATH_PARAMETER.findall(operation.path)
    fixed = {name: value for name, value in target.real_ids().items() if name in names}
    failures: list[str] = []
    has_query_or_body = bool(operation.query) or bool(operation.body)
    for mode in MODES:
        # a negative case needs something to break: no parameters at all, or only the fixed path, has none
        negative = mode == schemathesis.GenerationMode.NEGATIVE
        strategies = []
        if not negative or has_query_or_body or bool(operation.path_parameters):
            strategies.append(operation.as_strategy(mode))
        if fixed and (not negative or has_query_or_body):
            strategies.append(operation.as_strategy(mode, path_parameters=fixed))
        if not strategies:
            continue
        cases = st.one_of(strategies).filter(lambda case: keeps_callers_tokens(target, case))

        @settings(
            max_examples=EXAMPLES * len(strategies),
            deadline=None,
            database=None,
            derandomize=SEED is None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @given(case=cases)
        def run(case: Any) -> None:
            response = case.call(headers=headers, timeout=REQUEST_SECONDS)
            case.validate_response(response, checks=CHECKS, headers=headers)

        if SEED is not None:
            run = seed(int(SEED))(run)
        try:
            run()
        # schemathesis' FailureGroup is a BaseExceptionGroup; an exception the app raised is an Exception
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label} ({mode.value}): {exc}")
    return failures


@pytest.mark.slow
@pytest.mark.parametrize("caller", CALLERS)
def test_every_api_operation_survives_hostile_input(target: Target, caller: str) -> None:
    headers = {"Authorization": f"Bearer {target.tokens[caller]}"} if caller in target.tokens else {}
    operations = [result.ok() for result in target.schema.get_all_operations()]
    assert len(operations) >= 25, "the API schema lost its operations"
    failures: list[str] = []
    for operation in operations:
        failures += fuzz_operation(target, operation, headers)
    assert not failures, f"{len(failures)} operation(s) failed as {caller}:\n\n" + "\n\n".join(failures)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/agreements/{big}", "agreement_id"),
        ("/api/v1/claims?agreement_id={big}", "agreement_id"),
        ("/api/v1/streams/{stream}/records?offset={big}", "offset"),
        ("/agreements/{big}", None),
    ],
)
def test_an_integer_beyond_64_bits_is_a_422_not_a_crash(target: Target, path: str, field: str | None) -> None:
    """The first finding of the fuzz: SQLite's driver raised OverflowError for such ids, PostgreSQL
    "integer out of range" (both a 500)."""
    url = path.format(big=2**64, stream=target.world.stream_id)
    headers = {"Authorization": f"Bearer {target.tokens['admin']}"}
    with asgi.get_client(target.schema.app) as client:
        response = client.get(url, headers=headers, allow_redirects=False)
    assert response.status_code == 422, response.text
    if field is not None:
        assert response.json()["error"] == "ValidationError" and response.json()["field"] == field


def test_a_negative_success_seed_is_a_422_not_a_crash(target: Target) -> None:
    """Another finding: numpy raised on a negative bootstrap seed (a 500)."""
    url = f"/api/v1/agreements/{target.world.base.agreement_a}/success?seed=-1"
    with asgi.get_client(target.schema.app) as client:
        response = client.get(url, headers={"Authorization": f"Bearer {target.tokens['staff']}"})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "seed"


def test_a_nul_character_in_text_is_stored_or_a_422_never_a_crash(target: Target) -> None:
    """PostgreSQL refuses NUL characters in text columns (psycopg's DataError, once a 500); SQLite stores them."""
    url = f"/api/v1/agreements/{target.world.base.agreement_a}/claims"
    with asgi.get_client(target.schema.app) as client:
        response = client.post(
            url,
            json={"kind": "late", "description": "a\x00b"},
            headers={"Authorization": f"Bearer {target.tokens['customer']}"},
        )
    if target.world.base.url.startswith("postgresql"):
        assert response.status_code == 422, response.text
        assert response.json()["error"] == "ValidationError"
    else:
        assert response.status_code == 201, response.text
