"""The bootstrap against seminr's bootstrap fixtures, its invariants and its reproducibility.

seminr 2.3.1 draws its resamples with R's RNG, so individual draws cannot match; its bootstrap means, SDs
and percentiles are estimates with Monte-Carlo error, and so are ours.  The SD of B draws has relative
standard error ``√((κ − 1) / (4B))`` (κ the kurtosis of the draws, 3 for a normal distribution, so
``≈ 1/√(2B)``); a mean has standard error ``SD/√B``.  Each comparison allows 4 combined standard errors
(seminr's B and ours), so a correct implementation fails with probability < 1e-4 per value.
"""

import itertools
import json

import numpy as np
import pandas as pd
import pytest

from tests.pls.reference import Model, corp_rep, cr2, items, m1, m4, mean_replaced, mobi, read_matrix
from ukur.errors import EstimationError
from ukur.pls.algorithm import Layout, fit_weights
from ukur.pls.bootstrap import bootstrap_data
from ukur.pls.bootstrap_result import BootstrapOptions
from ukur.pls.resample import block_size, draw_rows, stream_key

B = 5000


def _kurtosis(draws: np.ndarray) -> np.ndarray:
    d = draws - draws.mean(axis=0)
    return np.mean(d**4, axis=0) / np.mean(d**2, axis=0) ** 2


def check_against_seminr(ours: pd.DataFrame, draws: np.ndarray, ref: pd.DataFrame, ref_b: int) -> None:
    kurt = _kurtosis(draws)
    rel = np.sqrt((kurt - 1) / 4 * (1 / B + 1 / ref_b))
    sd_ref = ref["Bootstrap SD"].to_numpy()
    assert np.all(np.abs(ours["std"].to_numpy() / sd_ref - 1) < 4 * rel)
    mean_tol = 4 * sd_ref * np.sqrt(1 / B + 1 / ref_b)
    assert np.all(np.abs(ours["mean"].to_numpy() - ref["Bootstrap Mean"].to_numpy()) < mean_tol)
    assert np.allclose(ours["original"].to_numpy(), ref["Original Est."].to_numpy(), atol=1e-10)


@pytest.fixture(scope="module")
def m1_boot():
    return bootstrap_data(m1(), mobi(), options=BootstrapOptions(samples=B, seed=11))


def _draws(boot, group):
    cols = [c for c in boot.draws.columns if c.startswith(group + ":")]
    return boot.draws[cols].to_numpy()


def _ref(name):
    ref = read_matrix(name)
    ref.index = ref.index.str.replace("  ->  ", " -> ")
    return ref


def test_path_sd_and_mean_match_seminr_500(m1_boot):
    ref = _ref("boot_report_paths.csv")
    labels = [f"{a} -> {b}" for a, b in m1_boot.paths.index]
    check_against_seminr(m1_boot.paths, _draws(m1_boot, "paths"), ref.loc[labels], 500)


@pytest.mark.parametrize(
    ("group", "file"), [("loadings", "boot_report_loadings.csv"), ("weights", "boot_report_weights")]
)
def test_outer_sd_and_mean_match_seminr_500(m1_boot, group, file):
    table = getattr(m1_boot, group)
    ref = _ref(file)
    labels = [f"{i} -> {c}" for c, i in table.index]
    check_against_seminr(table, _draws(m1_boot, group), ref.loc[labels], 500)


def test_htmt_sd_and_mean_match_seminr_500(m1_boot):
    ref = _ref("boot_report_htmt.csv")
    labels = [f"{a} -> {b}" for a, b in m1_boot.htmt.index]
    check_against_seminr(m1_boot.htmt, _draws(m1_boot, "htmt"), ref.loc[labels], 500)


def test_factorial_paths_match_seminr_200():
    boot = bootstrap_data(m1(), mobi(), scheme="factorial", options=BootstrapOptions(samples=B, seed=5))
    ref = read_matrix("boostrapmatrix1.csv")
    ref = ref.rename(
        columns={
            "Satisfaction PLS Est.": "Original Est.",
            "Satisfaction Boot Mean": "Bootstrap Mean",
            "Satisfaction Boot SD": "Bootstrap SD",
        }
    )
    check_against_seminr(boot.paths, _draws(boot, "paths"), ref.loc[[a for a, _ in boot.paths.index]], 200)


def test_indirect_effect_percentiles_match_seminr_200():
    """conf_ints.csv: percentiles of Image -> Expectation -> Satisfaction and of the direct path (M4).

    The SE of a sample p-quantile is ``√(p(1−p)/B) / f(x_p)``; with a normal density ``f(x_p) = φ(z_p)/SD``.
    """
    boot = bootstrap_data(m4(), mobi(), scheme="factorial", options=BootstrapOptions(samples=B, seed=9))
    ref = read_matrix("conf_ints.csv")["x"].to_numpy()
    chain = boot.draws["indirect:Image -> Expectation -> Satisfaction"].to_numpy()
    direct = boot.draws["paths:Image -> Satisfaction"].to_numpy()
    from scipy.stats import norm

    for draws, probs, expected in (
        (chain, [0.025, 0.975, 0.05, 0.95], ref[:4]),
        (direct, [0.025, 0.975], ref[4:]),
    ):
        got = np.quantile(draws, probs)
        z = norm.ppf(probs)
        se = np.std(draws, ddof=1) * np.sqrt(np.multiply(probs, 1 - np.array(probs))) / norm.pdf(z)
        assert np.all(np.abs(got - expected) < 4 * se * np.sqrt(1 / B + 1 / 200))
    assert boot.indirect.loc["Image -> Expectation -> Satisfaction", "original"] == pytest.approx(
        0.088071, abs=1e-6
    )


def ecsi() -> Model:
    """The ECSI model on mobi (Tenenhaus et al. 2005), with chains of one and two mediators."""
    return (
        Model.build()
        .reflective("Image", items("IMAG", 5))
        .reflective("Expectation", items("CUEX", 3))
        .reflective("Quality", items("PERQ", 7))
        .reflective("Value", items("PERV", 2))
        .reflective("Satisfaction", items("CUSA", 3))
        .reflective("Complaints", ["CUSCO"])
        .reflective("Loyalty", items("CUSL", 3))
        .path("Image", "Expectation")
        .path("Expectation", "Quality")
        .path(["Expectation", "Quality"], "Value")
        .path(["Image", "Expectation", "Quality", "Value"], "Satisfaction")
        .path("Satisfaction", "Complaints")
        .path(["Image", "Satisfaction", "Complaints"], "Loyalty")
        .model()
    )


@pytest.fixture(scope="module")
def ecsi_boot():
    return bootstrap_data(ecsi(), mobi(), options=BootstrapOptions(samples=300, seed=2))


def test_specific_indirect_effects_are_products_of_their_paths(ecsi_boot):
    paths = ecsi_boot.paths["original"]
    ind = ecsi_boot.indirect
    assert "Image -> Expectation -> Quality -> Value -> Satisfaction -> Complaints -> Loyalty" in ind.index
    for label, row in ind.iterrows():
        chain = row["chain"]
        product = np.prod([paths[(a, b)] for a, b in itertools.pairwise(chain)])
        assert row["original"] == pytest.approx(product, abs=1e-14), label
        draws = ecsi_boot.draws[f"indirect:{label}"].to_numpy()
        prod_draws = np.prod(
            [ecsi_boot.draws[f"paths:{a} -> {b}"].to_numpy() for a, b in itertools.pairwise(chain)],
            axis=0,
        )
        assert np.allclose(draws, prod_draws, atol=1e-14, rtol=0)


def test_total_effect_is_direct_plus_all_chains(ecsi_boot):
    ind = ecsi_boot.indirect
    paths = ecsi_boot.paths["original"]
    for (a, b), row in ecsi_boot.total_effects.iterrows():
        chains = ind[[c[0] == a and c[-1] == b for c in ind["chain"]]]["original"].sum()
        direct = paths.get((a, b), 0.0)
        assert row["original"] == pytest.approx(direct + chains, abs=1e-13)
        if (a, b) in ecsi_boot.total_indirect.index:
            assert ecsi_boot.total_indirect.loc[(a, b), "original"] == pytest.approx(chains, abs=1e-13)


def test_same_seed_bit_identical_across_chunks_and_workers():
    model, data = ecsi(), mobi()
    block = block_size(250, 24)
    samples = 3 * block + 37  # a partial last block
    opts = BootstrapOptions(samples=samples, seed=2024)
    runs = [
        bootstrap_data(model, data, options=opts, chunk=block),
        bootstrap_data(model, data, options=opts, chunk=2 * block),
        bootstrap_data(model, data, options=opts, chunk=samples),
        bootstrap_data(model, data, options=opts, chunk=block, workers=2),
    ]
    first = runs[0]
    for other in runs[1:]:
        assert np.array_equal(first.draws.to_numpy(), other.draws.to_numpy())
        pd.testing.assert_frame_equal(first.paths, other.paths, check_exact=True)
    short = bootstrap_data(model, data, options=BootstrapOptions(samples=block + 5, seed=2024))
    assert np.array_equal(short.draws.to_numpy(), first.draws.to_numpy()[: block + 5])
    other_seed = bootstrap_data(model, data, options=BootstrapOptions(samples=samples, seed=2025))
    assert not np.array_equal(other_seed.draws.to_numpy(), first.draws.to_numpy())


def test_generator_seed_is_recorded_and_repeats_the_run():
    model, data = m1(), mobi()
    boot = bootstrap_data(model, data, options=BootstrapOptions(samples=50, seed=np.random.default_rng(3)))
    again = bootstrap_data(model, data, options=BootstrapOptions(samples=50, seed=boot.seed))
    assert np.array_equal(boot.draws.to_numpy(), again.draws.to_numpy())


def _fragile_data(n: int = 30) -> tuple[Model, pd.DataFrame]:
    """x3 is constant except in row 0: every resample that misses row 0 has an indicator without variance."""
    rng = np.random.default_rng(0)
    f = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "x1": f + rng.normal(size=n),
            "x2": f + rng.normal(size=n),
            "x3": np.r_[5.0, np.zeros(n - 1)],
            "y1": f + rng.normal(size=n),
            "y2": f + rng.normal(size=n),
        }
    )
    model = (
        Model.build().reflective("X", ["x1", "x2", "x3"]).reflective("Y", ["y1", "y2"]).path("X", "Y").model()
    )
    return model, frame


def test_failed_resamples_are_counted_and_excluded():
    model, frame = _fragile_data()
    boot = bootstrap_data(model, frame, options=BootstrapOptions(samples=400, seed=8))
    rows = draw_rows(stream_key(8), 0, 400, 30)
    misses_row_0 = ~np.any(rows == 0, axis=1)
    assert misses_row_0.sum() > 100  # (29/30)^30 ≈ 36 % of the resamples
    # the others fail only if the iteration does not converge: count those one by one from the gathered rows
    x = frame[list(model.indicators)].to_numpy()
    layout = Layout.from_model(model)
    not_converged = sum(not fit_weights(np.corrcoef(x[r].T)[None], layout)[2][0] for r in rows[~misses_row_0])
    assert boot.failed == int(misses_row_0.sum()) + not_converged
    assert len(boot.draws) == 400 - boot.failed
    assert np.all(np.isfinite(boot.draws.to_numpy()))
    assert boot.to_dict()["failed"] == boot.failed


def test_unestimable_model_raises():
    model, frame = _fragile_data()
    with pytest.raises(EstimationError):
        bootstrap_data(model, frame, max_iter=1, options=BootstrapOptions(samples=20, seed=1))


def test_to_dict_is_the_issue_json(ecsi_boot):
    d = ecsi_boot.to_dict()
    json.dumps(d, allow_nan=False)
    for key in (
        "samples",
        "seed",
        "failed",
        "ci",
        "alpha",
        "paths",
        "indirect",
        "total_effects",
        "outer",
        "r2",
        "htmt",
    ):
        assert key in d
    stat_keys = {"original", "mean", "std", "t", "p", "ci_low", "ci_high"}
    assert {"from", "to"} | stat_keys <= set(d["paths"][0])
    assert isinstance(d["indirect"][0]["path"], list) and stat_keys <= set(d["indirect"][0])
    assert {"construct", "indicator", "loading", "weight"} <= set(d["outer"][0])
    assert stat_keys <= set(d["outer"][0]["loading"])
    assert d["samples"] == 300 and d["seed"] == 2
    complaints = next(o for o in d["outer"] if o["indicator"] == "CUSCO")
    # a single-item loading is 1 in every resample: SD 0 (up to rounding, snapped to 0), t not finite
    assert complaints["loading"]["std"] == 0.0 and complaints["loading"]["t"] is None


def test_smartpls_conventions_by_default(ecsi_boot):
    paths = ecsi_boot.paths
    draws = _draws(ecsi_boot, "paths")
    assert np.allclose(paths["std"], draws.std(axis=0, ddof=1), rtol=1e-12, atol=0)
    assert np.allclose(paths["t"], np.abs(paths["original"]) / paths["std"], rtol=1e-12, atol=0)
    assert np.allclose(paths["bias"], paths["mean"] - paths["original"], rtol=0, atol=1e-15)
    assert np.allclose(paths["ci_low"], np.quantile(draws, 0.025, axis=0), rtol=0, atol=1e-15)
    assert np.allclose(paths["ci_high"], np.quantile(draws, 0.975, axis=0), rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "bad",
    [dict(samples=1), dict(ci="student"), dict(alpha=0.7), dict(tails=3), dict(sd="n-2"), dict(p_value="z")],
)
def test_options_are_validated(bad):
    with pytest.raises(EstimationError) as err:
        BootstrapOptions(**bad)
    assert err.value.field == next(iter(bad))


def test_seed_and_workers_are_validated():
    with pytest.raises(EstimationError):
        bootstrap_data(m1(), mobi(), options=BootstrapOptions(samples=10, seed=-1))
    with pytest.raises(EstimationError):
        bootstrap_data(m1(), mobi(), options=BootstrapOptions(samples=10, seed=1), workers=0)


def test_mode_b_paths_match_seminr_missing_cases_200():
    """missing_cases_paths.csv: CR2 (Mode B blocks, factorial, −99 → mean replacement), 200 resamples.

    seminr re-imputes each resample with the resample's means; we bootstrap the imputed data, as SmartPLS
    does.  With 10 imputed cells of 344 rows the difference is far below the Monte-Carlo error.  The
    original estimates are not compared: seminr's use stopCriterion 1 (README §4), the resamples 1e-7.
    """
    model = cr2()
    data = pd.DataFrame(mean_replaced(corp_rep(), list(model.indicators)), columns=list(model.indicators))
    boot = bootstrap_data(model, data, scheme="factorial", options=BootstrapOptions(samples=B, seed=21))
    ref = _ref("missing_cases_paths.csv")
    labels = [f"{a} -> {b}" for a, b in boot.paths.index]
    ref = ref.loc[labels]
    draws = _draws(boot, "paths")
    rel = np.sqrt((_kurtosis(draws) - 1) / 4 * (1 / B + 1 / 200))
    assert np.all(np.abs(boot.paths["std"].to_numpy() / ref["Bootstrap SD"].to_numpy() - 1) < 4 * rel)
    mean_tol = 4 * ref["Bootstrap SD"].to_numpy() * np.sqrt(1 / B + 1 / 200)
    assert np.all(np.abs(boot.paths["mean"].to_numpy() - ref["Bootstrap Mean"].to_numpy()) < mean_tol)


def test_construct_level_sign_changes():
    """Two constructs barely related (true r = 0.05, n = 60): some resamples come out with a construct's
    scores reversed.  Construct-level sign changes (Tenenhaus et al. 2005) reverse those back; statistics
    that do not depend on the sign (R², f², HTMT, |path|) stay exactly as they were."""
    rng = np.random.default_rng(4)
    fx = rng.normal(size=60)
    fy = 0.05 * fx + rng.normal(size=60)
    frame = pd.DataFrame(
        {
            **{f"x{i}": fx + 0.6 * rng.normal(size=60) for i in (1, 2, 3)},
            **{f"y{i}": fy + 0.6 * rng.normal(size=60) for i in (1, 2, 3)},
        }
    )
    model = (
        Model.build()
        .reflective("X", ["x1", "x2", "x3"])
        .reflective("Y", ["y1", "y2", "y3"])
        .path("X", "Y")
        .model()
    )
    plain = bootstrap_data(model, frame, options=BootstrapOptions(samples=400, seed=1))
    fixed = bootstrap_data(
        model, frame, options=BootstrapOptions(samples=400, seed=1, sign_change="construct")
    )
    changed = np.any(plain.draws.to_numpy() != fixed.draws.to_numpy(), axis=1)
    assert 0 < changed.sum() < 400
    for group in ("r2", "f2", "htmt"):
        assert np.array_equal(_draws(plain, group), _draws(fixed, group))
    assert np.allclose(np.abs(_draws(plain, "paths")), np.abs(_draws(fixed, "paths")), rtol=0, atol=1e-15)
    original = fixed.loadings["original"].to_numpy()
    loadings = _draws(fixed, "loadings")
    for block in (slice(0, 3), slice(3, 6)):
        minus = np.abs(np.sum(original[block] - loadings[:, block], axis=1))
        plus = np.abs(np.sum(original[block] + loadings[:, block], axis=1))
        assert np.all(minus <= plus)
    assert fixed.loadings["std"].max() < plain.loadings["std"].max()
    assert fixed.to_dict()["sign_change"] == "construct"
