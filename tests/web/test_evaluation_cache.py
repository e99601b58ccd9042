"""The evaluation cache: a hit does not evaluate again, imports/claims/new versions and age invalidate,
results read back equal the computed ones, customer scopes never mix; on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.web.conftest import World
from tests.web.test_feedback import stock
from ukur.jobs import success_view
from ukur.store import SYSTEM, claims, compliance, make_engine, make_session_factory, records
from ukur.store.access import Viewer
from ukur.store.engine import transaction
from ukur.web.routes.agreements import compliance_summary


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
