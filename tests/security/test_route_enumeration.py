"""Who sees what, by enumeration: every route of the app, as every role, against two organisations' data.

The routes come from the router (``app.routes``), not from a hand list, so a route added later that
nobody classified fails :func:`test_every_route_is_classified` with a message saying where to classify it.

Each route has one expected outcome per caller, in the order of :data:`CALLERS`:

* ``o`` — allowed: the route ran (2xx, a redirect other than to the sign-in page, or an input error
  400/409/422 that only an authorised caller can reach);
* ``d`` — denied by role: 401 (API) or a redirect to ``/signin`` (pages) when anonymous, 403 when signed in;
* ``h`` — hidden: 404, exactly like an object that does not exist.

Object ids in the paths belong to organisation A (``customer`` is its user, ``customer_b`` the other
organisation's), to the researcher (PLS projects, runs, jobs) or to customer A's account (API token).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

from tests.security.world import MODEL, SMALL, FullWorld, seed_full
from tests.web.conftest import PASSWORD, YAML_A, csrf_of, sign_in
from ukur.config import Settings
from ukur.web import create_app

LOOSER = YAML_A.replace("target: 24h", "target: 48h")

CALLERS = ("anonymous", "admin", "staff", "customer", "customer_b", "researcher")

# (method, path) -> outcome per caller, in the order of CALLERS.
EXPECTED: dict[tuple[str, str], str] = {
    # public
    ("GET", "/signin"): "oooooo",
    ("POST", "/signin"): "oooooo",
    ("POST", "/signout"): "oooooo",
    ("GET", "/lang/{code}"): "oooooo",
    ("GET", "/healthz"): "oooooo",
    ("GET", "/api/openapi.json"): "oooooo",
    ("GET", "/api/docs"): "oooooo",
    ("GET", "/docs/oauth2-redirect"): "oooooo",
    ("MOUNT", "/static"): "oooooo",
    # every signed-in user
    ("GET", "/"): "dooooo",
    ("GET", "/account"): "dooooo",
    ("POST", "/account/tokens"): "dooooo",
    ("POST", "/account/password"): "dooooo",
    ("POST", "/account/tokens/{token_id}/revoke"): "dohohh",
    ("GET", "/api/v1/me"): "dooooo",
    ("GET", "/api/v1/tokens"): "dooooo",
    ("DELETE", "/api/v1/tokens/{token_id}"): "dohohh",
    # lists: filtered by the repositories (a researcher sees an empty list)
    ("GET", "/agreements"): "dooooo",
    ("GET", "/api/v1/agreements"): "dooooo",
    ("GET", "/api/v1/streams"): "dooooo",
    ("GET", "/api/v1/claims"): "dooooo",
    # SLA objects of organisation A: provider and A's customer see them, everyone else gets 404
    ("GET", "/agreements/{agreement_id}"): "dooohh",
    ("GET", "/agreements/{agreement_id}/records/{record_id}"): "dooohh",
    ("POST", "/agreements/{agreement_id}/versions/{number}/sign"): "dooohh",
    ("POST", "/agreements/{agreement_id}/claims"): "dooohh",
    ("GET", "/api/v1/agreements/{agreement_id}"): "dooohh",
    ("GET", "/api/v1/agreements/{agreement_id}/versions/{number}"): "dooohh",
    ("POST", "/api/v1/agreements/{agreement_id}/versions/{number}/signatures"): "dooohh",
    ("GET", "/api/v1/agreements/{agreement_id}/evaluation"): "dooohh",
    ("GET", "/api/v1/agreements/{agreement_id}/status"): "dooohh",
    ("GET", "/api/v1/agreements/{agreement_id}/records/{record_id}/explanation"): "dooohh",
    ("GET", "/api/v1/streams/{stream_id}/records"): "dooohh",
    ("POST", "/api/v1/agreements/{agreement_id}/claims"): "dooohh",
    # a redirect to the record page (which checks); it reveals nothing
    ("GET", "/agreements/{agreement_id}/records"): "oooooo",
    # SLA changes: provider roles only; a customer sees its own objects but may not change them (403)
    ("POST", "/agreements"): "dooddd",
    ("POST", "/api/v1/agreements"): "dooddd",
    ("POST", "/agreements/{agreement_id}/records"): "doodhh",
    ("POST", "/claims/{claim_id}/move"): "doodhh",
    ("POST", "/api/v1/claims/{claim_id}/transitions"): "doodhh",
    # ingest is refused by role before the organisation is looked up: the same 403 for every org id
    ("POST", "/api/v1/organisations/{organisation_id}/streams/{stream}/records"): "dooddd",
    ("POST", "/api/v1/organisations/{organisation_id}/streams/{stream}/statuses"): "dooddd",
    # administration
    ("GET", "/admin"): "dodddd",
    ("GET", "/admin/audit"): "dodddd",
    ("POST", "/admin/organisations"): "dodddd",
    ("POST", "/admin/users"): "dodddd",
    ("POST", "/admin/users/{user_id}"): "dodddd",
    # PLS: researchers (their own projects) and admins
    ("GET", "/pls"): "dodddo",
    ("POST", "/pls"): "dodddo",
    ("GET", "/pls/{project_id}"): "dodddo",
    ("POST", "/pls/{project_id}/data"): "dodddo",
    ("POST", "/pls/{project_id}/model"): "dodddo",
    ("POST", "/pls/{project_id}/runs"): "dodddo",
    ("GET", "/pls/{project_id}/runs/{run_id}"): "dodddo",
    ("GET", "/pls/{project_id}/runs/{run_id}/results.json"): "dodddo",
    ("GET", "/api/v1/pls/runs/{run_id}"): "dohhho",
    # a job: its owner (the researcher) and provider-side users
    ("GET", "/api/v1/jobs/{job_id}"): "doohho",
    ("GET", "/pls/{project_id}/runs/{run_id}/report.{fmt}"): "dodddo",
    ("POST", "/api/v1/pls/validate"): "dodddo",
    # change requests, versions' documents, diff and reports of organisation A's agreement
    ("GET", "/agreements/{agreement_id}/changes"): "dooohh",
    ("GET", "/agreements/{agreement_id}/changes/new"): "dooohh",
    ("POST", "/agreements/{agreement_id}/changes"): "dooohh",
    ("GET", "/agreements/{agreement_id}/changes/{change_id}"): "dooohh",
    # the proposer (customer A proposed the seeded change) may not decide it: 403
    ("POST", "/agreements/{agreement_id}/changes/{change_id}/decide"): "doodhh",
    ("GET", "/agreements/{agreement_id}/versions/{number}/document"): "dooohh",
    ("GET", "/api/v1/agreements/{agreement_id}/changes"): "dooohh",
    ("POST", "/api/v1/agreements/{agreement_id}/changes"): "dooohh",
    ("POST", "/api/v1/agreements/{agreement_id}/changes/{change_id}/decision"): "doodhh",
    ("GET", "/api/v1/agreements/{agreement_id}/diff"): "dooohh",
    ("GET", "/agreements/{agreement_id}/report.{fmt}"): "dooohh",
    ("POST", "/pls/{project_id}/runs/{run_id}/report.{fmt}/job"): "dodddo",
    ("POST", "/agreements/{agreement_id}/report.{fmt}/job"): "dooohh",
    # customer A's background report: its owner and the provider's staff see it
    ("GET", "/reports/jobs/{job_id}"): "dooohh",
    ("GET", "/reports/jobs/{job_id}/download"): "dooohh",
    # the guided new-agreement form: provider roles only
    ("GET", "/new-agreement"): "dooddd",
    ("POST", "/new-agreement"): "dooddd",
    # surveys: researchers (their own) and admins
    ("GET", "/surveys"): "dodddo",
    ("POST", "/surveys"): "dodddo",
    ("GET", "/surveys/{survey_id}"): "dodddo",
    ("POST", "/surveys/{survey_id}/yaml"): "dodddo",
    ("POST", "/surveys/{survey_id}/state"): "dodddo",
    ("POST", "/surveys/{survey_id}/tokens"): "dodddo",
    ("GET", "/surveys/{survey_id}/responses"): "dodddo",
    ("POST", "/surveys/{survey_id}/exclusions"): "dodddo",
    ("POST", "/surveys/{survey_id}/responses/{response_id}/include"): "dodddo",
    ("GET", "/surveys/{survey_id}/export.{fmt}"): "dodddo",
    ("POST", "/surveys/{survey_id}/analyse"): "dodddo",
    ("GET", "/surveys/{survey_id}/responses/{response_id}.json"): "dodddo",
    ("POST", "/surveys/{survey_id}/responses/{response_id}/erase"): "dodddo",
    # the public respondent form and the public feedback form: no account
    ("GET", "/s/{key}"): "oooooo",
    ("POST", "/s/{key}/start"): "oooooo",
    ("GET", "/s/{key}/form"): "oooooo",
    ("POST", "/s/{key}/form"): "oooooo",
    ("GET", "/s/{key}/thanks"): "oooooo",
    ("GET", "/f/thanks"): "oooooo",
    ("GET", "/f/{token}"): "oooooo",
    ("POST", "/f/{token}"): "oooooo",
    # feedback links: made by provider roles; links and answers seen by provider and A's customer
    ("POST", "/agreements/{agreement_id}/feedback-links"): "doodhh",
    ("GET", "/agreements/{agreement_id}/feedback-links/new"): "doodhh",
    # the API refuses by role before the agreement is looked up: the same 403 for every id
    ("POST", "/api/v1/agreements/{agreement_id}/feedback-links"): "dooddd",
    ("GET", "/api/v1/agreements/{agreement_id}/feedback-links"): "dooohh",
    ("GET", "/api/v1/agreements/{agreement_id}/feedback"): "dooohh",
    # did the SLA work: provider roles and customers (their own organisation)
    # a list filtered by the repositories, like /agreements (a researcher sees no agreement)
    ("GET", "/success"): "dooooo",
    ("GET", "/agreements/{agreement_id}/success"): "dooohh",
    ("GET", "/api/v1/agreements/{agreement_id}/success"): "dooohh",
}

# Requests that end or change the caller's session run last, in this order.
LAST = [("POST", "/account/password"), ("POST", "/signin"), ("POST", "/signout")]

# Bodies of the state-changing requests: ("form" | "json" | "files", content), formatted with the ids.
BODIES: dict[tuple[str, str], tuple[str, Any]] = {
    ("POST", "/signin"): ("form", {"email": "walker@example.com", "password": PASSWORD}),
    ("POST", "/account/tokens"): ("form", {"name": "walk"}),
    ("POST", "/account/password"): ("form", {"password": "a new long password 42"}),
    ("POST", "/agreements"): ("form", {"yaml_text": "id: walk\n"}),
    ("POST", "/agreements/{agreement_id}/records"): ("form", {"stream": "shipments", "csv_text": "id\nK9\n"}),
    ("POST", "/agreements/{agreement_id}/versions/{number}/sign"): ("form", {"signer_name": "Walker"}),
    ("POST", "/agreements/{agreement_id}/claims"): ("form", {"kind": "late"}),
    ("POST", "/claims/{claim_id}/move"): ("form", {"to_status": "in_review"}),
    ("POST", "/admin/organisations"): ("form", {"name": "Toko W", "kind": "customer"}),
    ("POST", "/admin/users"): ("form", {"email": "walk@example.com", "role": "staff"}),
    ("POST", "/admin/users/{user_id}"): ("form", {"role": "researcher", "active": "on"}),
    ("POST", "/pls"): ("form", {"name": "Walk"}),
    ("POST", "/pls/{project_id}/data"): ("files", {"file": ("d.csv", b"x,y\n1,2\n2,3\n", "text/csv")}),
    ("POST", "/pls/{project_id}/model"): ("form", {"model_text": "A =~ a1 + a2\nB =~ b1 + b2\nB ~ A\n"}),
    ("POST", "/pls/{project_id}/runs"): ("form", {"dataset_id": "{dataset_id}"}),
    ("POST", "/api/v1/agreements"): ("json", {"yaml": "id: walk\n"}),
    ("POST", "/api/v1/agreements/{agreement_id}/versions/{number}/signatures"): (
        "json",
        {"signer_name": "Walker"},
    ),
    ("POST", "/api/v1/agreements/{agreement_id}/claims"): ("json", {"kind": "late"}),
    ("POST", "/api/v1/claims/{claim_id}/transitions"): ("json", {"to_status": "in_review"}),
    ("POST", "/api/v1/organisations/{organisation_id}/streams/{stream}/records"): ("json", [{"id": "W1"}]),
    ("POST", "/api/v1/organisations/{organisation_id}/streams/{stream}/statuses"): (
        "json",
        [{"record_id": "KX1", "status": "held", "at": "2026-01-05T09:00:00+07:00"}],
    ),
    ("POST", "/api/v1/pls/validate"): ("json", {"model": MODEL}),
    ("POST", "/agreements/{agreement_id}/changes"): (
        "form",
        {"base_version": "1", "yaml_text": LOOSER, "reason": "walk"},
    ),
    ("POST", "/agreements/{agreement_id}/changes/{change_id}/decide"): ("form", {"decision": "reject"}),
    ("POST", "/api/v1/agreements/{agreement_id}/changes"): (
        "json",
        {"base_version": 1, "yaml": LOOSER, "reason": "walk"},
    ),
    ("POST", "/api/v1/agreements/{agreement_id}/changes/{change_id}/decision"): (
        "json",
        {"decision": "reject"},
    ),
    ("POST", "/new-agreement"): ("form", {}),
    ("POST", "/surveys"): ("form", {"yaml_text": SMALL}),
    ("POST", "/surveys/{survey_id}/yaml"): ("form", {"yaml_text": SMALL}),
    ("POST", "/surveys/{survey_id}/state"): ("form", {"is_open": "yes"}),
    ("POST", "/surveys/{survey_id}/tokens"): ("form", {"count": "1"}),
    ("POST", "/surveys/{survey_id}/analyse"): ("form", {"paths": "Citra -> Minat"}),
    ("POST", "/surveys/{survey_id}/responses/{response_id}/erase"): ("form", {"confirm": "erase"}),
    ("POST", "/s/{key}/form"): ("form", {"gender": "Pria"}),
    ("POST", "/f/{token}"): ("form", {"csat": "4"}),
    ("POST", "/agreements/{agreement_id}/feedback-links"): ("form", {}),
    ("POST", "/api/v1/agreements/{agreement_id}/feedback-links"): ("json", {}),
    ("POST", "/agreements/{agreement_id}/report.{fmt}/job"): ("form", {"period": "2026-01"}),
}

# Routes whose path parameter stands for another seeded object than the one of that name elsewhere.
OTHER_OBJECTS: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/reports/jobs/{job_id}"): {"job_id": "report_job_id"},
    ("GET", "/reports/jobs/{job_id}/download"): {"job_id": "report_job_id"},
}

QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/agreements/{agreement_id}/records"): "?record_id=KX1",
    ("GET", "/api/v1/agreements/{agreement_id}/diff"): "?old=1&new=1",
    ("GET", "/agreements/{agreement_id}/report.{fmt}"): "?period=2026-01",
}


def parameters(world: FullWorld) -> dict[str, Any]:
    """A value for every path parameter: an object of organisation A, the researcher or customer A."""
    base = world.base
    return {
        "agreement_id": base.agreement_a,
        "number": 1,
        "record_id": world.record_id,
        "claim_id": world.claim_id,
        "token_id": world.token_id,
        "user_id": base.users["researcher"],
        "organisation_id": base.org_a,
        "stream": "shipments",
        "stream_id": world.stream_id,
        "project_id": world.project_id,
        "dataset_id": world.dataset_id,
        "run_id": world.run_id,
        "job_id": world.job_id,
        "code": "id",
        "fmt": "xlsx",  # a format every download route offers
        "survey_id": world.survey_id,
        "response_id": world.response_id,
        "key": world.survey_key,  # a second survey: the walk makes invitations for the first
        "change_id": world.change_id,
        "token": world.feedback_token,
        "report_job_id": world.report_job_id,
    }


def routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route of ``app``; mounts as ``("MOUNT", path)``; HEAD is GET's twin.

    FastAPI keeps included routers as lazy entries of ``app.routes``; ``iter_route_contexts`` expands
    them into the effective routes (with their prefixes), as the OpenAPI generator sees them.
    """
    found: list[tuple[str, str]] = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount):
            found.append(("MOUNT", str(context.path)))
        else:
            found.extend((m, str(context.path)) for m in sorted(context.methods or ()) if m != "HEAD")
    return found


def outcome(response: Any, route: tuple[str, str]) -> str:
    status = response.status_code
    if route == ("POST", "/signout") and status == 303:
        return "o"  # signing out leads to the sign-in page on purpose
    if status == 404:
        return "h"
    if status in (401, 403):
        return "d"
    if status in (302, 303, 307) and response.headers.get("location", "").startswith("/signin"):
        return "d"
    if status < 400 or status in (400, 409, 422):
        return "o"
    return f"unexpected {status}"


@pytest.fixture(scope="module")
def full_world(tmp_path_factory: pytest.TempPathFactory) -> FullWorld:
    return seed_full(f"sqlite:///{tmp_path_factory.mktemp('walk') / 'walk.db'}")


@pytest.fixture
def fresh_world(tmp_path: Any) -> FullWorld:
    return seed_full(f"sqlite:///{tmp_path / 'walk.db'}")


def client_for(world: FullWorld) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=world.base.url, job_lease_seconds=5))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_every_route_is_classified(full_world: FullWorld) -> None:
    app = create_app(Settings(database_url=full_world.base.url))
    unclassified = [r for r in routes(app) if r not in EXPECTED]
    assert not unclassified, (
        f"routes nobody classified: {unclassified}; add each to EXPECTED in "
        "tests/security/test_route_enumeration.py with the status every caller should get "
        "(and a request body in BODIES for a state-changing route)"
    )
    missing = [
        p for _, path in routes(app) for p in _path_parameters(path) if p not in parameters(full_world)
    ]
    assert not missing, f"path parameters without a seeded value: {missing}; add them to parameters()"
    assert len(routes(app)) > 50  # the included routers really were expanded
    assert all(len(v) == len(CALLERS) and set(v) <= set("odh") for v in EXPECTED.values())


def _path_parameters(path: str) -> list[str]:
    return re.findall(r"\{(\w+)", path)  # also "{response_id}.json" and "export.{fmt}"


def _placeholder(text: str, values: dict[str, Any]) -> str:
    return str(values[text[1:-1]]) if text.startswith("{") and text[1:-1] in values else text


def _request(client: TestClient, method: str, path: str, world: FullWorld, csrf: str) -> Any:
    values = parameters(world)
    values.update({name: values[other] for name, other in OTHER_OBJECTS.get((method, path), {}).items()})
    url = path.format(**values) + QUERIES.get((method, path), "")
    if method == "GET":
        return client.get(url, follow_redirects=False)
    kind, content = BODIES.get((method, path), ("form", {}))
    if kind == "form":
        # "{name}" stands for a seeded id; other text (YAML with braces) is sent as it is
        content = {k: _placeholder(str(v), values) for k, v in content.items()}
    headers = {"X-CSRF-Token": csrf}
    if kind == "json":
        return client.request(method, url, json=content, headers=headers, follow_redirects=False)
    if kind == "files":
        return client.request(method, url, files=content, headers=headers, follow_redirects=False)
    return client.request(method, url, data=content, headers=headers, follow_redirects=False)


@pytest.mark.slow
@pytest.mark.parametrize("caller", CALLERS)
def test_every_route_as_every_caller(caller: str, fresh_world: FullWorld) -> None:
    """Each caller walks every classified route (reads first, then changes, session-ending ones last)."""
    column = CALLERS.index(caller)
    for client in client_for(fresh_world):
        if caller != "anonymous":
            sign_in(client, caller)
        csrf = csrf_of(client, "/account")  # anonymous callers land on the sign-in page, which has one
        walk = [r for r in routes(client.app) if r in EXPECTED and r[0] != "MOUNT" and r not in LAST]
        walk.sort(key=lambda r: r[0] != "GET")
        wrong = []
        for method, path in walk + [r for r in LAST if r in EXPECTED]:
            if (method, path) in LAST:
                csrf = csrf_of(client, "/account")  # a new password or sign-in starts a new session
            response = _request(client, method, path, fresh_world, csrf)
            got, want = outcome(response, (method, path)), EXPECTED[(method, path)][column]
            if got != want:
                wrong.append(f"{method} {path}: expected {want}, got {got} ({response.status_code})")
        static = client.get("/static/" + _some_static_file(), follow_redirects=False)
        assert static.status_code == 200
        assert not wrong, f"{caller}:\n" + "\n".join(wrong)


def _some_static_file() -> str:
    from pathlib import Path

    import ukur.web

    static = Path(ukur.web.__file__).parent / "static"
    return sorted(p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file())[0]


ORG_A_OBJECTS = {"agreement_id", "record_id", "claim_id", "stream_id", "organisation_id"}


def test_another_organisations_customer_gets_404_for_every_object_of_organisation_a() -> None:
    """Pages and API alike; a 403 is allowed only where organisation A's own customer gets it too
    (a refusal by role that comes before any lookup and is the same for every id)."""
    col_a, col_b = CALLERS.index("customer"), CALLERS.index("customer_b")
    leaks = [
        (key, expected)
        for key, expected in EXPECTED.items()
        if ORG_A_OBJECTS & set(_path_parameters(key[1]))
        and key != ("GET", "/agreements/{agreement_id}/records")
        and not (expected[col_b] == "h" or expected[col_b] == expected[col_a] == "d")
    ]
    assert not leaks, f"organisation B may reach organisation A's objects: {leaks}"
