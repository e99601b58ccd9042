"""Met-versus-breached split: hand-computed means, Welch interval and NPS on a small fixture; properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ukur.errors import DataError
from ukur.success import satisfaction_split, welch_interval
from ukur.success.split import bootstrap_difference


def _fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    outcomes = pd.DataFrame(
        {
            "agreement": ["a"] * 8,
            "record_id": [f"R{i}" for i in range(1, 9)],
            "outcome": ["met", "met", "met", "met", "breached", "breached", "breached", "other"],
        }
    )
    feedback = pd.DataFrame(
        {
            "agreement": ["a"] * 9,
            "record_id": ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", None],
            "csat": [5, 4, 4, 3, 2, 3, 1, 5, 5],
            "nps": [10, 9, 7, 6, 3, 8, 0, 10, 10],
        },
    ).astype({"csat": float, "nps": float})
    return outcomes, feedback


def test_split_equals_hand_computed_values():
    outcomes, feedback = _fixture()
    result = satisfaction_split(outcomes, feedback, samples=4000, seed=3)
    groups = result.groups.set_index(["answer", "group"])
    # met CSAT 5,4,4,3: mean 4, variance 2/3; breached 2,3,1: mean 2, variance 1. The record that is
    # neither met nor breached (R8) and the unlinked row are left out.
    assert groups.loc[("csat", "met"), "n"] == 4
    assert groups.loc[("csat", "met"), "mean"] == pytest.approx(4.0, abs=1e-12)
    assert groups.loc[("csat", "met"), "sd"] == pytest.approx(np.sqrt(2 / 3), abs=1e-12)
    assert groups.loc[("csat", "breached"), "mean"] == pytest.approx(2.0, abs=1e-12)
    welch = result.difference.set_index(["answer", "method"]).loc[("csat", "welch")]
    # se² = (2/3)/4 + 1/3 = 1/2; ν = (1/2)² / ((1/6)²/3 + (1/3)²/2) = 27/7
    assert welch["estimate"] == pytest.approx(2.0, abs=1e-12)
    assert welch["df"] == pytest.approx(27 / 7, abs=1e-9)
    half = stats.t.ppf(0.975, 27 / 7) * np.sqrt(0.5)
    assert welch["ci_low"] == pytest.approx(2.0 - half, abs=1e-9)
    assert welch["ci_high"] == pytest.approx(2.0 + half, abs=1e-9)
    # NPS: met 10,9,7,6 → 2 promoters, 1 detractor of 4 = +25; breached 3,8,0 → 0 promoters, 2 detractors = −66.7
    nps = result.nps.set_index("group")
    assert nps.loc["met", "score"] == pytest.approx(25.0, abs=1e-9)
    assert nps.loc["breached", "score"] == pytest.approx(-200 / 3, abs=1e-9)
    assert nps.loc["breached", "passives"] == 1


def test_welch_interval_matches_scipy():
    rng = np.random.default_rng(5)
    a, b = rng.normal(4, 1, 30), rng.normal(3.5, 2, 12)
    d, lo, hi, _ = welch_interval(a, b, 0.9)
    ref = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.9)
    assert (lo, hi) == pytest.approx((ref.low, ref.high), abs=1e-10)
    assert d == pytest.approx(a.mean() - b.mean(), abs=1e-12)


def test_bootstrap_interval_is_reproducible_and_close_to_welch_for_large_groups():
    rng = np.random.default_rng(11)
    a, b = rng.normal(4, 1, 400), rng.normal(3, 1, 300)
    one = bootstrap_difference(a, b, samples=3000, rng=np.random.default_rng(1))
    two = bootstrap_difference(a, b, samples=3000, rng=np.random.default_rng(1))
    assert one == two
    _, lo, hi, _ = welch_interval(a, b)
    # both estimate the same sampling distribution; 3000 resamples put the quantiles within ~0.02
    assert one == pytest.approx((lo, hi), abs=0.03)


def test_split_to_dict_and_seed_are_kept():
    outcomes, feedback = _fixture()
    result = satisfaction_split(outcomes, feedback, samples=50, seed=9)
    doc = result.to_dict()
    assert doc["seed"] == 9 and doc["samples"] == 50
    assert {r["method"] for r in doc["difference"]} == {"welch", "bootstrap"}


def test_split_rejects_bad_options():
    outcomes, feedback = _fixture()
    with pytest.raises(DataError, match="confidence"):
        satisfaction_split(outcomes, feedback, confidence=1.5)
    with pytest.raises(DataError, match="samples"):
        satisfaction_split(outcomes, feedback, samples=1)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=2, max_size=30),
    st.lists(st.integers(1, 5), min_size=2, max_size=30),
)
def test_difference_is_mean_difference_inside_welch_and_bootstrap_in_range(met, breached):
    n = len(met) + len(breached)
    outcomes = pd.DataFrame(
        {
            "agreement": "a",
            "record_id": [str(i) for i in range(n)],
            "outcome": ["met"] * len(met) + ["breached"] * len(breached),
        }
    )
    feedback = pd.DataFrame(
        {"agreement": "a", "record_id": [str(i) for i in range(n)], "csat": np.array(met + breached, float)}
    )
    result = satisfaction_split(outcomes, feedback, samples=200, seed=0)
    diff = result.difference.set_index("method")
    d = np.mean(met) - np.mean(breached)
    assert diff.loc["welch", "estimate"] == pytest.approx(d, abs=1e-12)
    assert diff.loc["welch", "ci_low"] <= d + 1e-9 <= diff.loc["welch", "ci_high"] + 2e-9
    # a resampled difference of means can never leave the range of possible differences
    low, high = diff.loc["bootstrap", "ci_low"], diff.loc["bootstrap", "ci_high"]
    assert min(met) - max(breached) - 1e-9 <= low <= high <= max(met) - min(breached) + 1e-9
