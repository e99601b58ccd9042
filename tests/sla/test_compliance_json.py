"""``Compliance.to_dict(exact=True)`` → JSON text → ``Compliance.from_dict`` is lossless on the example
agreements and records (examples/sla), for any period and ``as_of``.

The evaluation cache (:mod:`ukur.store.evaluation_cache`) stores exactly this JSON and the agreement page
and API read it back instead of evaluating again, so every table must come back with the same values,
dtypes and index, and the API document must be the same.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sla.test_examples import AS_OF, EXAMPLES, registry, streams
from ukur.io import read_table
from ukur.sla import Compliance, evaluate
from ukur.sla.compliance import TABLES

EXAMPLE_AGREEMENTS = ("kilat-corporate", "kilat-gold", "helpdesk-internal")
PERIODS = (None, "2026-01", "2026-02", "2026-03", "2026-Q1", "2026", "2026-W05", "2025-12")


@pytest.fixture(scope="module")
def inputs() -> dict[str, object]:
    """The example streams, the tickets' status history and the claims, read once."""
    return {
        "streams": streams(),
        "history": {"tickets": read_table(EXAMPLES / "ticket_history.csv")},
        "claims": read_table(EXAMPLES / "claims.csv"),
    }


def evaluate_example(name: str, inputs: dict[str, object], period: str | None, as_of: object) -> Compliance:
    agreement = registry().get(name)
    records = {k: v for k, v in inputs["streams"].items() if k in agreement.streams}  # type: ignore[attr-defined]
    return evaluate(
        agreement,
        records,
        status_history=inputs["history"],  # type: ignore[arg-type]
        claims=inputs["claims"] if agreement.claims else None,  # type: ignore[arg-type]
        period=period,
        as_of=as_of,  # type: ignore[arg-type]
    )


def assert_round_trip(result: Compliance) -> None:
    """The result read back from its exact JSON (as text, as the database stores it) equals it."""
    text = json.dumps(result.to_dict(exact=True), allow_nan=False)
    back = Compliance.from_dict(json.loads(text), result.agreement)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(back, name), getattr(result, name), check_exact=True, obj=name)
    assert back.as_of == result.as_of
    assert back.period == result.period
    assert list(back.errors) == list(result.errors) and list(back.notes) == list(result.notes)
    assert back.total_credit == result.total_credit and back.draft == result.draft
    assert back.to_dict() == result.to_dict()


@pytest.mark.parametrize("name", EXAMPLE_AGREEMENTS)
def test_every_example_evaluation_reads_back_unchanged(name, inputs):
    result = evaluate_example(name, inputs, None, AS_OF)
    assert len(result.records) > 1000 and len(result.windows) > 0  # the real examples, not a toy
    assert_round_trip(result)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(EXAMPLE_AGREEMENTS),
    period=st.sampled_from(PERIODS),
    minutes=st.integers(min_value=0, max_value=150 * 24 * 60),
)
def test_any_period_and_as_of_reads_back_unchanged(name, period, minutes, inputs):
    as_of = datetime(2025, 12, 15) + timedelta(minutes=minutes)
    assert_round_trip(evaluate_example(name, inputs, period, as_of))


def test_a_document_of_another_agreement_or_not_exact_is_refused(inputs):
    gold = evaluate_example("kilat-gold", inputs, None, AS_OF)
    with pytest.raises(ValueError, match="kilat-corporate"):
        Compliance.from_dict(gold.to_dict(exact=True), registry().get("kilat-corporate"))
    with pytest.raises(ValueError, match="exact=True"):
        Compliance.from_dict(gold.to_dict(), gold.agreement)
