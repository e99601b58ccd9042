"""The agreements and records in examples/sla validate, evaluate, and are regenerated bit for bit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ukur.io import read_table
from ukur.sla import AgreementRegistry, AgreementType, evaluate, explain_record

EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"
AS_OF = "2026-03-31T18:00"  # the generator's "now": six hours before the end of March


def registry() -> AgreementRegistry:
    return AgreementRegistry(lambda i: ((EXAMPLES / f"{i}.yaml").read_text(encoding="utf-8"), f"{i}.yaml"))


def streams() -> dict[str, object]:
    return {name: read_table(EXAMPLES / f"{name}.csv") for name in ("shipments", "tickets", "outages")}


@pytest.mark.parametrize(
    ("name", "kind", "signed"),
    [("kilat-corporate", AgreementType.MULTILEVEL, True), ("kilat-gold", AgreementType.CUSTOMER, True),
     ("helpdesk-internal", AgreementType.INTERNAL, False)],
)  # fmt: skip
def test_every_example_agreement_validates_and_evaluates(name, kind, signed):
    agreement = registry().get(name)
    assert agreement.type is kind and agreement.signed is signed
    records = {k: v for k, v in streams().items() if k in agreement.streams}
    result = evaluate(
        agreement,
        records,  # type: ignore[arg-type]
        status_history={"tickets": read_table(EXAMPLES / "ticket_history.csv")},
        claims=read_table(EXAMPLES / "claims.csv") if agreement.claims else None,
        as_of=AS_OF,
    )
    assert not result.errors
    assert set(result.windows["objective"]) == {o.id for o in agreement.objectives}
    assert (result.records["status"] == "invalid").sum() <= 2  # the two planted mistakes
    assert result.draft is (not signed)
    if agreement.claims:
        assert len(result.claims) > 0 and result.claims_windows["compliance"].notna().all()


def test_the_gold_customer_is_owed_credits_in_the_simulated_quarter():
    result = evaluate(
        registry().get("kilat-gold"),
        streams(),  # type: ignore[arg-type]
        claims=read_table(EXAMPLES / "claims.csv"),
        as_of=AS_OF,
    )
    kinds = set(result.credits["kind"])
    assert kinds == {"tier", "per_record"}
    planted = result.records[result.records["reason"].notna()].set_index("id")["reason"].to_dict()
    assert planted == {
        "T00006": "unreadable first_response_at",
        "KX000011": "delivered_at before picked_up_at",
    }
    flood = result.records[result.records["exclusion"] == "force-majeure"]
    assert len(flood) > 0 and set(flood["window"]) == {"2026-02"}


def test_a_ticket_clock_can_be_explained():
    found = explain_record(
        registry().get("kilat-gold"),
        streams(),  # type: ignore[arg-type]
        "T00002",
        objective="first-response",
        status_history={"tickets": read_table(EXAMPLES / "ticket_history.csv")},
        as_of=AS_OF,
    )
    assert len(found) == 1
    explanation = found[0]
    assert explanation.timeline["counted_seconds"].sum() == pytest.approx(
        explanation.measurement["counted_seconds"].iloc[0]
    )
    assert explanation.to_dict()["objective"] == "first-response"


def test_the_generator_is_seeded_and_reproduces_the_committed_files(tmp_path):
    spec = importlib.util.spec_from_file_location("sla_example_generator", EXAMPLES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--out", str(tmp_path)])
    for name in ("shipments", "claims", "tickets", "ticket_history", "outages"):
        assert (tmp_path / f"{name}.csv").read_bytes() == (EXAMPLES / f"{name}.csv").read_bytes(), name
