"""The evaluation cache: a hit does not evaluate again, imports/claims/new versions and age invalidate,
results read back equal the computed ones, customer scopes never mix; on SQLite and PostgreSQL.

On the demo database (the example agreements, records, status histories and claims of ``examples/sla``):
a new version of an agreement, or of the parent it inherits from, is evaluated afresh even when its
``version:`` field is unchanged, and the agreement page drawn from a cache hit is the page drawn from the
evaluation itself.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.web.conftest import World, csrf_of
from tests.web.test_feedback import stock
from ukur.config import Settings
from ukur.jobs import success_view
from ukur.store import (
    SYSTEM,
    agreements,
    claims,
    compliance,
    demo,
    make_engine,
    make_session_factory,
    migrate,
    records,
)
from ukur.store.access import Viewer
from ukur.store.engine import transaction
from ukur.web import create_app
from ukur.web.routes.agreements import compliance_summary

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_SLUGS = ("kilat-corporate", "kilat-gold", "helpdesk-internal", "kilat-bisnis")
COMPUTED_AT = re.compile(r"Figures computed at \d\d:\d\d UTC")


@pytest.fixture
def stocked(world: World) -> World:
    stock(world)
    return world


@pytest.fixture
def sessions(stocked: World):
    engine = make_engine(stocked.url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = compliance.evaluate

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compliance, "evaluate", counting)
    return calls


def test_a_hit_does_not_evaluate_again_and_equals_the_uncached_result(stocked, sessions, counted):
    with transaction(sessions) as s:
        first = compliance.cached_evaluation(s, SYSTEM, stocked.agreement_a)
    with transaction(sessions) as s:
        second = compliance.cached_evaluation(s, SYSTEM, stocked.agreement_a)
        uncached = compliance.evaluate_agreement(s, SYSTEM, stocked.agreement_a, as_of=first.result.as_of)
    assert len(counted) == 2  # the first call and the explicit uncached one; the hit evaluated nothing
    assert second.computed_at == first.computed_at
    for name in ("records", "windows", "credits", "claims", "claims_windows"):
        pd.testing.assert_frame_equal(getattr(second.result, name), getattr(uncached, name))
    assert compliance_summary(second.result) == compliance_summary(uncached)


def test_imports_claims_and_max_age_invalidate(stocked, sessions, counted):
    def evaluate(max_age: float = 300.0) -> None:
        with transaction(sessions) as s:
            compliance.cached_evaluation(s, SYSTEM, stocked.agreement_a, max_age=max_age)

    evaluate()
    evaluate()
    assert len(counted) == 1
    with transaction(sessions) as s:
        stream = records.stream_for(s, SYSTEM, stocked.org_a, "shipments")
        records.import_records(s, SYSTEM, stream, [{"id": "S9", "picked_up_at": "2026-03-20T08:00:00+07:00"}])
    evaluate()
    assert len(counted) == 2
    with transaction(sessions) as s:
        claims.file_claim(
            s, SYSTEM, stocked.agreement_a, kind="late", record_id="S2", amount=None, description=""
        )
    evaluate()
    assert len(counted) == 3
    evaluate(max_age=0)
    assert len(counted) == 4
    evaluate()
    assert len(counted) == 4


def test_customer_scopes_never_mix(stocked, sessions):
    customer_a = Viewer(user_id=None, role="customer", organisation_id=stocked.org_a)
    with transaction(sessions) as s:
        staff = success_view.success_plan(s, SYSTEM, stocked.agreement_a, view="api")
        own = success_view.success_plan(s, customer_a, stocked.agreement_a, view="api")
        success_view.compute_and_store(s, customer_a, own)
    assert staff.key != own.key and own.scope == f"org:{stocked.org_a}" and staff.scope == "provider"
    with transaction(sessions) as s:
        assert success_view.success_plan(s, SYSTEM, stocked.agreement_a, view="api").fresh(s, 300) is None
        again = success_view.success_plan(s, customer_a, stocked.agreement_a, view="api")
        assert again.fresh(s, 300) is not None


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> tuple[Path, str]:
    """A SQLite database filled once by the demo loader, and the demo admin's password."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as s:
        loaded = demo.load_demo(s, EXAMPLES)
    engine.dispose()
    password = next(pw for _, role, pw in loaded.accounts if role == "admin")
    return path, password


@pytest.fixture
def demo_url(demo_template, tmp_path) -> str:
    """A copy of the demo database for one test (which may change it)."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template[0], path)
    return f"sqlite:///{path}"


@pytest.fixture
def demo_sessions(demo_url: str) -> Iterator[object]:
    engine = make_engine(demo_url)
    yield make_session_factory(engine)
    engine.dispose()


def ids_by_slug(sessions) -> dict[str, int]:
    with transaction(sessions) as s:
        return {a.slug: a.id for a in agreements.list_agreements(s, SYSTEM)}


def upload(sessions, text: str, source: str) -> None:
    with transaction(sessions) as s:
        agreements.upload_agreement(s, SYSTEM, text, source=source)


def test_a_new_version_and_a_new_parent_version_are_evaluated_afresh(demo_sessions, counted):
    gold = ids_by_slug(demo_sessions)["kilat-gold"]

    def title() -> str:
        with transaction(demo_sessions) as s:
            return compliance.cached_evaluation(s, SYSTEM, gold).result.agreement.title

    original = title()
    assert title() == original and len(counted) == 1
    # the same `version: 3` in the YAML: only the stored version's content says it is new
    child = (EXAMPLES / "sla" / "kilat-gold.yaml").read_text(encoding="utf-8")
    upload(demo_sessions, child.replace(original, original + " (rev. B)"), "kilat-gold.yaml")
    assert title() == original + " (rev. B)" and len(counted) == 2
    assert title() == original + " (rev. B)" and len(counted) == 2
    # a new version of the parent kilat-corporate: the child inherits from it, so it is evaluated again
    parent = (EXAMPLES / "sla" / "kilat-corporate.yaml").read_text(encoding="utf-8")
    contact = "sla@kilat.example"
    assert contact in parent
    upload(demo_sessions, parent.replace(contact, "layanan@kilat.example"), "kilat-corporate.yaml")
    with transaction(demo_sessions) as s:
        provider = compliance.cached_evaluation(s, SYSTEM, gold).result.agreement.provider
    assert provider.contact == "layanan@kilat.example" and len(counted) == 3
    title()
    assert len(counted) == 3


def mask(page: str) -> str:
    """The page without the time the figures were computed (the one thing a hit may show differently)."""
    assert COMPUTED_AT.search(page), "the page does not say when its figures were computed"
    return COMPUTED_AT.sub("Figures computed at HH:MM UTC", page)


def test_the_agreement_page_from_a_cache_hit_equals_the_page_from_the_evaluation(
    demo_url, demo_template, demo_sessions, counted
):
    from starlette.testclient import TestClient

    ids = ids_by_slug(demo_sessions)
    app = create_app(Settings(database_url=demo_url, job_lease_seconds=5))
    with TestClient(app, raise_server_exceptions=False) as admin:
        signed = admin.post(
            "/signin",
            data={"email": "admin@ukur.example", "password": demo_template[1], "csrf_token": csrf_of(admin)},
            follow_redirects=False,
        )
        assert signed.status_code == 303
        for slug in EXAMPLE_SLUGS:
            for query in ("", "?period=2026-02"):
                before = len(counted)
                computed = admin.get(f"/agreements/{ids[slug]}{query}")
                assert computed.status_code == 200 and len(counted) == before + 1, slug
                hit = admin.get(f"/agreements/{ids[slug]}{query}")
                assert hit.status_code == 200 and len(counted) == before + 1, f"{slug}: not a cache hit"
                # the parent and the internal agreement read the provider's streams, which the demo leaves empty
                assert ('id="compliance"' in computed.text) is (slug in ("kilat-gold", "kilat-bisnis")), slug
                assert mask(hit.text) == mask(computed.text), f"{slug}{query}: the cached page differs"


def test_the_success_page_lists_the_newest_answers_the_viewer_may_see(demo_sessions, stocked, sessions):
    from ukur.store import feedback
    from ukur.web.routes.success import RECENT_ANSWERS, recent_answers

    bisnis = ids_by_slug(demo_sessions)["kilat-bisnis"]
    with transaction(demo_sessions) as s:
        every = feedback.list_answers(s, SYSTEM, bisnis)
        assert len(every) > RECENT_ANSWERS
        newest = recent_answers(s, SYSTEM, bisnis)
        assert [a.id for a in newest] == [a.id for a in reversed(every[-RECENT_ANSWERS:])]
    # a customer sees only its own organisation's answers about the agreement, the provider every one
    with transaction(sessions) as s:
        for org, csat in ((stocked.org_a, "5"), (stocked.org_b, "1"), (stocked.org_a, "4")):
            token = feedback.create_link(s, SYSTEM, stocked.agreement_a, customer_org_id=org)[1]
            feedback.submit_answer(s, token, {"csat": csat})
    customer_a = Viewer(user_id=None, role="customer", organisation_id=stocked.org_a)
    with transaction(sessions) as s:
        assert [a.csat for a in recent_answers(s, customer_a, stocked.agreement_a)] == [4, 5]
        assert [a.csat for a in recent_answers(s, SYSTEM, stocked.agreement_a)] == [4, 1, 5]
