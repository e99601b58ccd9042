"""``ukur serve --demo``: the example claims are filed and the example agreements carry their signatures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ukur.cli.main import run
from ukur.store import SYSTEM, agreements, claims, compliance, make_engine, make_session_factory, transaction
from ukur.store.demo import find_examples

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
pytestmark = pytest.mark.skipif(
    find_examples(EXAMPLES.parent) is None or not (EXAMPLES / "sla" / "claims.csv").exists(),
    reason="examples/ not in this tree",
)


@pytest.fixture
def demo_db(tmp_path, monkeypatch) -> str:
    """A database filled by ``ukur serve --demo`` (the server itself is not started)."""
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert run(["serve", "--demo", "--database-url", url]) == 0
    return url


def _by_slug(session):
    return {a.slug: a for a in agreements.list_agreements(session, SYSTEM)}


def test_demo_agreements_carry_the_signatures_written_in_their_yaml(demo_db):
    engine = make_engine(demo_db)
    with transaction(make_session_factory(engine)) as s:
        found = _by_slug(s)
        gold = found["kilat-gold"].versions[-1].signatures
        assert {(g.party, g.signer_name) for g in gold} == {
            ("provider", "Budi Santoso"),
            ("customer", "Sari Dewi"),
        }
        assert all(g.content_hash == found["kilat-gold"].versions[-1].content_hash for g in gold)
        # signed_at: 2026-01-02 in the YAML is midnight in Jakarta (UTC+7), i.e. 17:00 UTC the day before.
        customer = next(g for g in gold if g.party == "customer")
        assert customer.signed_at == datetime(2026, 1, 1, 17, 0, tzinfo=UTC)
        assert len(found["kilat-corporate"].versions[-1].signatures) == 2
        # The help desk agreement is signed by the provider only: it stays a draft.
        helpdesk = found["helpdesk-internal"].versions[-1].signatures
        assert [g.party for g in helpdesk] == ["provider"]
    engine.dispose()


def test_demo_claims_are_filed_with_their_times_and_decisions(demo_db):
    engine = make_engine(demo_db)
    with transaction(make_session_factory(engine)) as s:
        gold = _by_slug(s)["kilat-gold"]
        stored = {c.description.split()[0]: c for c in claims.list_claims(s, SYSTEM, gold.id)}
        assert len(stored) == 18
        first = stored["CL0001"]
        assert (first.kind, first.record_id, first.status, int(first.amount)) == (
            "damage",
            "KX000055",
            "approved",
            8_000_000,
        )
        # 2026-01-07 04:03 Jakarta = 2026-01-06 21:03 UTC; answered 2026-01-09 07:43 Jakarta.
        assert first.filed_at == datetime(2026, 1, 6, 21, 3, tzinfo=UTC)
        assert first.responded_at == datetime(2026, 1, 9, 0, 43, tzinfo=UTC)
        assert [e.to_status for e in first.events] == ["filed", "approved"]
        assert stored["CL0002"].status == "denied"  # "rejected" in the file
        assert stored["CL0017"].status == "filed" and stored["CL0017"].responded_at is None
        result = compliance.evaluate_agreement(s, SYSTEM, gold.id, as_of="2026-03-31T18:00")
        assert result.draft is False
        # CL0018 was filed on 1 April, after the 'now' of the evaluation: not counted yet.
        assert len(result.claims) == 17 and set(result.claims["record_id"]) == {
            c.record_id for k, c in stored.items() if k != "CL0018"
        }
    engine.dispose()


def test_every_demo_agreement_page_and_success_page_renders_without_an_evaluation_error(demo_db):
    """The success demo's shipments must not land in a stream another demo agreement evaluates (they once
    sat in the provider's own ``shipments`` stream, so the parent kilat-corporate failed with "stream
    'shipments' has no column 'damaged'")."""
    import re
    import warnings

    from ukur.config import Settings
    from ukur.store import accounts
    from ukur.web import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        from starlette.testclient import TestClient

    engine = make_engine(demo_db)
    with transaction(make_session_factory(engine)) as s:
        slugs = {a.slug: a.id for a in agreements.list_agreements(s, SYSTEM)}
        accounts.create_user(
            s,
            SYSTEM,
            email="check@ukur.example",
            password="correct horse battery",
            role="staff",
            name="Check",
        )
    engine.dispose()
    assert {"kilat-corporate", "kilat-gold", "helpdesk-internal", "kilat-bisnis"} <= set(slugs)
    with TestClient(create_app(Settings(database_url=demo_db)), raise_server_exceptions=False) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
        assert token is not None
        signed = client.post(
            "/signin",
            data={"email": "check@ukur.example", "password": "correct horse battery", "csrf_token": token[1]},
            follow_redirects=False,
        )
        assert signed.status_code == 303
        for slug, agreement_id in slugs.items():
            page = client.get(f"/agreements/{agreement_id}")
            assert page.status_code == 200, (slug, page.text[:500])
            assert 'class="error"' not in page.text, (slug, re.findall(r'class="error"[^<]*<', page.text))
        success = client.get(f"/agreements/{slugs['kilat-bisnis']}/success")
        assert success.status_code == 200 and 'class="error"' not in success.text
        body = client.get(f"/api/v1/agreements/{slugs['kilat-bisnis']}/success").json()
        assert body["customers"] == 150  # the analysis ran on the demo's own shipments
        total = (
            len((EXAMPLES / "sla" / "success" / "complaints.csv").read_text(encoding="utf-8").splitlines())
            - 1
        )
        assert body["complaints"]["summary"][0]["total"] == total  # complaints.csv, in its own stream
        assert body["complaints"]["calendar"] == "office"  # the claims policy's calendar
