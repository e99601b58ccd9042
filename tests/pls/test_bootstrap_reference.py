"""The vectorized bootstrap against straightforward references.

* A per-resample loop: gather each resample's rows (the same row indices), estimate the whole model on
  them with ``ukur.pls.estimate`` (its own data preparation and ``np.corrcoef``-style correlations, the
  reference core), and compare every statistic with the bootstrap's draws; then recompute the summary
  (mean, SD, percentile CI, BCa CI with a loop jackknife that really deletes rows) from those draws.
* SciPy's BCa interval (``scipy.stats.bootstrap``) on a toy statistic, with SciPy's own draws.
Same numbers from different code, so the tolerances are rounding-level (1e-10).
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.pls.reference import m4, mobi
from ukur.pls import estimate
from ukur.pls.bootstrap import bootstrap, bootstrap_data
from ukur.pls.bootstrap_result import BootstrapOptions
from ukur.pls.inference import summarize
from ukur.pls.resample import draw_rows, stream_key

B = 40


def _statistics(result) -> dict[str, float]:
    """The bootstrap's ``group:label`` statistics from a PLSResult's tables."""
    out: dict[str, float] = {}
    for row in result.paths.itertuples():
        out[f"paths:{row[1]} -> {row[2]}"] = row[3]
    for indicator, row in result.outer.iterrows():
        out[f"loadings:{indicator} -> {row['construct']}"] = row["loading"]
        out[f"weights:{indicator} -> {row['construct']}"] = row["weight"]
    for row in result.effects.itertuples():
        out[f"total_effects:{row[1]} -> {row[2]}"] = row.total
    for construct, row in result.r2.iterrows():
        out[f"r2:{construct}"] = row["r2"]
    for row in result.f2.itertuples():
        out[f"f2:{row[1]} -> {row[2]}"] = row.f2
    names = list(result.htmt.index)
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            out[f"htmt:{names[a]} -> {names[b]}"] = result.htmt.iloc[a, b]
    paths = {(r[1], r[2]): r[3] for r in result.paths.itertuples()}
    out["indirect:Image -> Expectation -> Satisfaction"] = (
        paths[("Image", "Expectation")] * paths[("Expectation", "Satisfaction")]
    )
    return out


@pytest.fixture(scope="module")
def loop_reference():
    data = mobi()
    result = estimate(m4(), data)
    boot = bootstrap(result, B, seed=77, ci="bca")
    rows = draw_rows(stream_key(77), 0, B, len(data))
    per_resample = [_statistics(estimate(m4(), data.iloc[r].reset_index(drop=True))) for r in rows]
    jack = [_statistics(estimate(m4(), data.drop(index=i).reset_index(drop=True))) for i in range(len(data))]
    return boot, pd.DataFrame(per_resample), pd.DataFrame(jack), _statistics(result)


@pytest.mark.slow
def test_every_draw_equals_a_separate_estimation(loop_reference):
    boot, draws, _, original = loop_reference
    assert boot.failed == 0
    for key in draws.columns:
        assert np.max(np.abs(boot.draws[key].to_numpy() - draws[key].to_numpy())) < 1e-10, key
        assert boot.original[key] == pytest.approx(original[key], abs=1e-10), key


@pytest.mark.slow
def test_summary_equals_a_direct_computation(loop_reference):
    boot, draws, jack, original = loop_reference
    paths = boot.paths
    for (a, b), row in paths.iterrows():
        x = draws[f"paths:{a} -> {b}"].to_numpy()
        o = original[f"paths:{a} -> {b}"]
        assert row["mean"] == pytest.approx(x.mean(), abs=1e-10)
        assert row["std"] == pytest.approx(np.std(x, ddof=1), abs=1e-10)
        assert row["t"] == pytest.approx(abs(o) / np.std(x, ddof=1), rel=1e-8)
        assert row["p"] == pytest.approx(
            2 * stats.t.sf(abs(o) / np.std(x, ddof=1), B - 1), rel=1e-6, abs=1e-15
        )
        # BCa by the textbook, one statistic at a time (Efron & Tibshirani 1993, eq. 14.9-14.15)
        j = jack[f"paths:{a} -> {b}"].to_numpy()
        z0 = stats.norm.ppf((np.sum(x < o) + np.sum(x <= o)) / (2 * B))
        d = j.mean() - j
        acc = np.sum(d**3) / (6 * np.sum(d**2) ** 1.5)
        bounds = []
        for level in (0.025, 0.975):
            z = z0 + stats.norm.ppf(level)
            bounds.append(np.quantile(x, stats.norm.cdf(z0 + z / (1 - acc * z))))
        assert row["ci_low"] == pytest.approx(bounds[0], abs=1e-10)
        assert row["ci_high"] == pytest.approx(bounds[1], abs=1e-10)


def test_bca_matches_scipy_on_a_toy_statistic():
    """scipy.stats.bootstrap (BCa) for the mean of a skewed sample, from SciPy's own bootstrap draws."""
    rng = np.random.default_rng(1)
    sample = rng.exponential(size=60)
    res = stats.bootstrap((sample,), np.mean, method="BCa", n_resamples=2000, confidence_level=0.9, rng=rng)
    draws = res.bootstrap_distribution[:, None]
    jack = np.array([np.delete(sample, i).mean() for i in range(sample.size)])[:, None]
    ours = summarize(np.array([sample.mean()]), draws, alpha=0.1, ci="bca", jackknife=jack)
    assert ours.ci_low[0] == pytest.approx(res.confidence_interval.low, abs=1e-12)
    assert ours.ci_high[0] == pytest.approx(res.confidence_interval.high, abs=1e-12)
    pct = stats.bootstrap(
        (sample,), np.mean, method="percentile", n_resamples=2000, confidence_level=0.9, rng=2
    )
    ours = summarize(np.array([sample.mean()]), pct.bootstrap_distribution[:, None], alpha=0.1)
    assert ours.ci_low[0] == pytest.approx(pct.confidence_interval.low, abs=1e-12)
    assert ours.ci_high[0] == pytest.approx(pct.confidence_interval.high, abs=1e-12)


def test_alternative_conventions():
    draws = np.array([[0.1], [0.3], [-0.2], [0.4], [0.5]])
    original = np.array([0.25])
    s = summarize(original, draws, sd="n", t_statistic="mean", p_value="percentile")
    assert s.std[0] == pytest.approx(np.std(draws, ddof=0))
    assert s.t[0] == pytest.approx(abs(draws.mean()) / np.std(draws, ddof=0))
    assert s.p[0] == pytest.approx(2 * 1 / 5)  # one of five draws below zero, two-tailed
    s1 = summarize(original, draws, tails=1, p_value="normal")
    assert s1.p[0] == pytest.approx(stats.norm.sf(0.25 / np.std(draws, ddof=1)))


def test_bootstrap_of_a_result_uses_its_settings():
    data = mobi()
    result = estimate(m4(), data, scheme="factorial", tol=1e-5)
    boot = bootstrap(result, 30, seed=3)
    direct = bootstrap_data(
        m4(), data, scheme="factorial", tol=1e-5, options=BootstrapOptions(samples=30, seed=3)
    )
    assert np.array_equal(boot.draws.to_numpy(), direct.draws.to_numpy())
    est = result.paths.set_index(["from", "to"])["estimate"]
    assert np.allclose(boot.paths["original"].to_numpy(), est.loc[boot.paths.index].to_numpy(), atol=1e-12)
