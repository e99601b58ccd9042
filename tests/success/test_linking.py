"""The linking analysis recovers the planted path coefficients of the simulated demo.

Population values (examples/sla/success/generate.py): SLA → Satisfaction 0.6, Satisfaction → Loyalty 0.5,
SLA → Loyalty 0.2, hence the indirect effect SLA → Satisfaction → Loyalty 0.6 · 0.5 = 0.30. Each must lie in
its 95 % bootstrap percentile interval. The seeds are fixed, so the test is deterministic; with other seeds
each interval would miss its value about 5 % of the time, which is why only the default demo is pinned.
"""

from __future__ import annotations

import numpy as np
import pytest

from ukur.errors import DataError, ModelSyntaxError
from ukur.success import analyze, customer_rows, default_model, link

PLANTED = {"H1": 0.6, "H2": 0.5, "H3": 0.2, "H4": 0.3}


@pytest.fixture(scope="module")
def demo(generator, bisnis):
    data = generator.simulate(2026, 150)
    return analyze(
        [bisnis],
        {"shipments": data["shipments"]},
        data["feedback"],
        claims=data["claims"],
        samples=1000,
        seed=11,
        as_of="2027-01-05T00:00",
    )


@pytest.mark.slow
def test_planted_paths_lie_in_their_bootstrap_intervals(demo):
    assert demo.linking is not None
    effects = demo.linking.effects.set_index("label")
    for label, value in PLANTED.items():
        low, high = effects.loc[label, "ci_low"], effects.loc[label, "ci_high"]
        assert low <= value <= high, f"{label}: {value} not in [{low:.3f}, {high:.3f}]"
        assert effects.loc[label, "supported"]
    assert len(demo.linking.used) >= 140
    # the met/breached split of the demo is large and clear (population: −1.2 points within a customer)
    diff = demo.split.difference.set_index(["answer", "method"])
    assert diff.loc[("csat", "welch"), "ci_low"] > 1.0


@pytest.mark.slow
def test_result_to_dict_is_json_and_rows_are_per_customer(demo):
    import json

    doc = demo.to_dict()
    json.dumps(doc, allow_nan=False)
    assert doc["customers"] == 150
    assert {"split", "retention", "at_risk", "linking", "experience"} <= set(doc)
    rows = demo.linking.rows
    assert rows.index.is_unique and {"on_time_share", "csat", "nps", "loy1", "loy2"} <= set(rows.columns)


def test_default_model_uses_the_loyalty_items_present():
    assert "Loyalty =~ nps + loy1 + loy2" in default_model(["csat", "nps", "loy2", "loy1"])
    assert "Loyalty =~ nps\n" in default_model(["csat", "nps"])
    # answers nobody gave are left out; sat* items of a survey questionnaire join Satisfaction
    model = default_model(["csat", "sat2", "sat1", "loy1"])
    assert "Satisfaction =~ csat + sat1 + sat2\n" in model and "Loyalty =~ loy1\n" in model


def test_link_needs_ten_complete_customers_and_known_columns():
    import pandas as pd

    rows = pd.DataFrame(
        {"on_time_share": np.linspace(0.5, 1, 5), "csat": 1.0, "effort": 2.0, "nps": 3.0},
        index=pd.Index([f"c{i}" for i in range(5)], name="customer"),
    )
    with pytest.raises(DataError, match="at least 10"):
        link(rows)
    with pytest.raises(DataError, match="no column 'x1'"):
        link(rows, model="A =~ x1\nB =~ csat\nB ~ A\n")
    with pytest.raises(ModelSyntaxError):
        link(rows, model="A =~ \n")


def test_customer_rows_average_answers_per_customer():
    import pandas as pd

    exp = pd.DataFrame({"on_time_share": [1.0, 0.5]}, index=pd.Index(["A", "B"], name="customer"))
    fb = pd.DataFrame({"customer": ["A", "A", "B", None], "csat": [5.0, 3.0, 2.0, 1.0], "record_id": None})
    rows = customer_rows(exp, fb)
    assert rows.loc["A", "csat"] == pytest.approx(4.0) and rows.loc["A", "answers"] == 2
    assert rows.loc["B", "csat"] == pytest.approx(2.0)
