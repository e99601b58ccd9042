"""ukur against SmartPLS itself: published outer weights of a UTAUT model on the Trello survey data.

The three weight tables in ``fixtures/smartpls/`` are SmartPLS output (default PLS algorithm settings:
path weighting, unit start weights, stop criterion 1e-7) as published, rounded to three decimals, in the
public repository danielemelotti/MICOM_assessment (``data/smartpls/{pooled,seg2,seg3}_reflective_
smartpls_weights.csv``, commit f3736644e61881d6434c21e12489f60272122753; a master thesis on MICOM,
whose data ``shared/data/trello_utaut.csv`` and the two segments are).  We copied the numbers into a tidy
``construct, indicator, weight`` layout; README.md in this folder has the details.

Tolerance: SmartPLS printed three decimals, so every ukur weight must round to the printed value:
|ukur − SmartPLS| ≤ 0.0005 (plus 1e-12 for the binary representation of the printed decimal).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ukur.pls import Model, estimate

from .cases import SHARED_DATA

SMARTPLS = Path(__file__).resolve().parent / "fixtures" / "smartpls"

UTAUT_MICOM = """
PE =~ PERF1 + PERF2 + PERF3 + PERF4
EE =~ PEOU1 + PEOU3 + PEOU5 + PEOU6
SI =~ NORM1 + NORM2 + INFL3
FC =~ FACL1 + FACL2 + FACL3 + FACL4
HM =~ MOTIV1 + MOTIV2 + MOTIV3
PV =~ VALUE1 + VALUE2 + VALUE3
HAB =~ HAB1 + HAB2 + HAB3 + HAB4
BI =~ INT1 + INT2 + INT3
Exp =~ Experience
Age =~ age
Gender =~ gender
BI ~ PE + EE + SI + FC + HM + PV + HAB + Exp + Age + Gender
"""
"""The UTAUT2-style model of the MICOM thesis (its R/demo_utaut_micom.R), all composites Mode A."""

HALF_UNIT = 0.0005 + 1e-12


@pytest.mark.parametrize(
    ("data", "fixture"),
    [
        ("trello_utaut.csv", "utaut_pooled-weights.csv"),
        ("utaut_segment2.csv", "utaut_segment2-weights.csv"),
        ("utaut_segment3.csv", "utaut_segment3-weights.csv"),
    ],
)
def test_outer_weights_round_to_smartpls(data: str, fixture: str) -> None:
    reference = pd.read_csv(SMARTPLS / fixture).set_index(["construct", "indicator"])["weight"]
    result = estimate(Model.from_syntax(UTAUT_MICOM), pd.read_csv(SHARED_DATA / data))
    ours = pd.Series({(r["construct"], r["indicator"]): r["weight"] for r in result.to_dict()["outer"]})
    assert set(ours.index) == set(reference.index)
    diff = (ours.reindex(reference.index) - reference).abs()
    assert diff.max() <= HALF_UNIT, diff.sort_values().tail(3)
    assert result.converged


def test_segment2_keeps_smartpls_negative_mode_a_weight() -> None:
    """SmartPLS reports FACL3 = −0.775 in segment 2 (no sign correction); so must we."""
    result = estimate(Model.from_syntax(UTAUT_MICOM), pd.read_csv(SHARED_DATA / "utaut_segment2.csv"))
    weight = result.outer_weights.loc["FACL3"]
    assert round(float(weight), 3) == -0.775
