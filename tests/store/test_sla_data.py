"""Agreements, versions, signatures, records and claims: visibility by organisation, idempotent imports."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import sla_yaml
from ukur.errors import AgreementError, DataError
from ukur.store import (
    SYSTEM,
    ConflictError,
    NotFoundError,
    PermissionDenied,
    Viewer,
    accounts,
    agreements,
    claims,
    records,
)
from ukur.store.engine import transaction
from ukur.store.models_sla import Record

YAML_A = sla_yaml("kilat-gold", "Toko A", "Kilat Gold")
YAML_B = sla_yaml("kilat-silver", "Toko B", "Kilat Silver")


@pytest.fixture
def world(sessions):
    with transaction(sessions) as s:
        accounts.create_organisation(s, SYSTEM, "PT Kilat", "provider")
        a = accounts.create_organisation(s, SYSTEM, "Toko A", "customer")
        b = accounts.create_organisation(s, SYSTEM, "Toko B", "customer")
        va = agreements.upload_agreement(s, SYSTEM, YAML_A)
        vb = agreements.upload_agreement(s, SYSTEM, YAML_B)
        return {
            "a": Viewer(user_id=None, role="customer", organisation_id=a.id),
            "b": Viewer(user_id=None, role="customer", organisation_id=b.id),
            "org_a": a.id,
            "ag_a": va.agreement_id,
            "ag_b": vb.agreement_id,
        }


def test_versions_hash_and_diff(sessions, world):
    with transaction(sessions) as s:
        v2 = agreements.upload_agreement(
            s, SYSTEM, YAML_A.replace("Kilat Gold", "Kilat Gold 2"), note="rename"
        )
        assert v2.number == 2 and v2.agreement_id == world["ag_a"]
        assert len(v2.content_hash) == 64
    with transaction(sessions) as s, pytest.raises(ConflictError, match="already version 2"):
        agreements.upload_agreement(s, SYSTEM, YAML_A.replace("Kilat Gold", "Kilat Gold 2"))
    with transaction(sessions) as s:
        ag = agreements.get_agreement(s, SYSTEM, world["ag_a"])
        assert [v.number for v in ag.versions] == [1, 2] and ag.title == "Kilat Gold 2"
        diff = agreements.version_diff(ag.versions[0], ag.versions[1])
        assert "-title: Kilat Gold\n" in diff and "+title: Kilat Gold 2\n" in diff


def test_yaml_errors_name_the_line(sessions, world):
    with transaction(sessions) as s, pytest.raises(AgreementError) as info:
        agreements.upload_agreement(s, SYSTEM, "id: x\ntitle: [unclosed\n")
    assert info.value.line == 3 or info.value.line == 2
    with transaction(sessions) as s, pytest.raises(AgreementError, match="needs an `id`"):
        agreements.upload_agreement(s, SYSTEM, "title: no id\n")
    with transaction(sessions) as s, pytest.raises(AgreementError, match="target") as info:
        agreements.upload_agreement(s, SYSTEM, sla_yaml("bad-target", "Toko A", target="soon"))
    assert info.value.line == 10


def test_customer_sees_only_its_own_organisation(sessions, world):
    with transaction(sessions) as s:
        assert [a.slug for a in agreements.list_agreements(s, world["a"])] == ["kilat-gold"]
        assert agreements.get_agreement(s, world["a"], world["ag_a"]).slug == "kilat-gold"
        with pytest.raises(NotFoundError):
            agreements.get_agreement(s, world["a"], world["ag_b"])
        with pytest.raises(NotFoundError):
            agreements.get_agreement(s, Viewer(user_id=None, role="researcher"), world["ag_a"])
        with pytest.raises(PermissionDenied):
            agreements.upload_agreement(s, world["a"], YAML_A + "# change\n")


def test_signatures_per_version_and_party(sessions, world):
    with transaction(sessions) as s:
        sig = agreements.sign_version(s, world["a"], world["ag_a"], 1, party="customer", signer_name="Sari")
        assert sig.content_hash == agreements.get_version(s, SYSTEM, world["ag_a"], 1).content_hash
    with transaction(sessions) as s, pytest.raises(PermissionDenied):
        agreements.sign_version(s, world["a"], world["ag_a"], 1, party="provider", signer_name="Sari")
    with transaction(sessions) as s, pytest.raises(ConflictError):
        agreements.sign_version(s, world["a"], world["ag_a"], 1, party="customer", signer_name="Sari")
    with transaction(sessions) as s, pytest.raises(NotFoundError):
        agreements.sign_version(s, world["b"], world["ag_a"], 1, party="customer", signer_name="Sari")


def test_record_import_is_idempotent_and_all_or_nothing(sessions, world):
    rows = [{"id": i, "picked_up_at": "2026-01-05T08:00", "late": i % 2 == 0} for i in range(1, 1201)]
    with transaction(sessions) as s:
        stream = records.stream_for(s, SYSTEM, world["org_a"], "shipments")
        first = records.import_records(s, SYSTEM, stream, rows)
        stream_id = stream.id
    assert (first.inserted, first.updated) == (1200, 0)
    rows[0]["late"] = "yes"
    with transaction(sessions) as s:
        again = records.import_records(
            s, SYSTEM, records.get_stream(s, SYSTEM, stream_id), [*rows[:10], {"id": "x"}]
        )
        assert (again.inserted, again.updated) == (1, 10)
    with transaction(sessions) as s:
        assert s.scalar(select(func.count(Record.id))) == 1201
        page, total = records.list_records(s, world["a"], stream_id, limit=5)
        assert total == 1201 and len(page) == 5
        assert {r.record_id: r.payload for r in records.list_records(s, SYSTEM, stream_id, limit=2000)[0]}[
            "1"
        ]["late"] == "yes"
        with pytest.raises(NotFoundError):
            records.list_records(s, world["b"], stream_id)
    bad = [{"id": "n1"}, {"no_id": 1}, {"id": "n1"}, "text"]
    with transaction(sessions) as s, pytest.raises(DataError) as info:
        records.import_records(s, SYSTEM, records.get_stream(s, SYSTEM, stream_id), bad)
    assert (
        "row 2: missing `id`" in info.value.message
        and "row 3: id 'n1' already given in row 1" in info.value.message
    )
    with transaction(sessions) as s:
        assert s.scalar(select(func.count(Record.id))) == 1201


def test_claim_history(sessions, world):
    with transaction(sessions) as s:
        claim = claims.file_claim(s, world["a"], world["ag_a"], kind="late", record_id="7", amount="15000.50")
        claim_id = claim.id
    with transaction(sessions) as s, pytest.raises(PermissionDenied):
        claims.move_claim(s, world["a"], claim_id, "approved")
    with transaction(sessions) as s, pytest.raises(NotFoundError):
        claims.get_claim(s, world["b"], claim_id)
    with transaction(sessions) as s:
        claims.move_claim(s, SYSTEM, claim_id, "in_review")
        claims.move_claim(s, SYSTEM, claim_id, "approved", note="late by 5 h")
        claims.move_claim(s, SYSTEM, claim_id, "compensated")
    with transaction(sessions) as s, pytest.raises(ConflictError, match="cannot become"):
        claims.move_claim(s, SYSTEM, claim_id, "denied")
    with transaction(sessions) as s:
        claim = claims.get_claim(s, world["a"], claim_id)
        assert [e.to_status for e in claim.events] == ["filed", "in_review", "approved", "compensated"]
        assert str(claim.amount) == "15000.50" and claim.responded_at is not None
