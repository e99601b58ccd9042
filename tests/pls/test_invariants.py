"""Property tests: invariants of the estimation on random data and random models (hypothesis).

Each example draws a small random path model (2–4 constructs, a random DAG, Mode A or B blocks of 1–4
indicators) and data generated from it, then checks identities that hold for any PLS solution:
standardized scores, loadings = item–score correlations, OLS paths with R² = Σ β·r, total = direct +
indirect, and stack independence of the batched core.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ukur.pls import Model, estimate
from ukur.pls.algorithm import Layout, fit_weights

from .test_algorithm import loop_reference


@st.composite
def problems(draw):
    k = draw(st.integers(2, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(k)]
    modes = [draw(st.booleans()) for _ in range(k)]
    edges = [(i, j) for j in range(k) for i in range(j) if draw(st.booleans())]
    for j in range(1, k):  # keep every construct connected
        if not any(j in e for e in edges):
            edges.append((draw(st.integers(0, j - 1)), j))
    if not any(0 in e for e in edges):
        edges.append((0, 1))
    seed = draw(st.integers(0, 2**32 - 1))
    builder = Model.build()
    names = [f"C{c}" for c in range(k)]
    for c in range(k):
        items = [f"x{c}_{i}" for i in range(sizes[c])]
        (builder.formative if modes[c] and sizes[c] > 1 else builder.reflective)(names[c], items)
    for i, j in edges:
        builder.path(names[i], names[j])
    model = builder.model()
    rng = np.random.default_rng(seed)
    n = 120
    latent = rng.normal(size=(n, k))
    for i, j in edges:
        latent[:, j] += 0.6 * latent[:, i]
    columns = {}
    for c in range(k):
        for i in range(sizes[c]):
            columns[f"x{c}_{i}"] = np.round(3 + latent[:, c] + rng.normal(scale=0.8, size=n))
    return model, pd.DataFrame(columns)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from(["path", "factorial", "centroid"]))
def test_invariants_hold_on_random_models(problem, scheme):
    model, data = problem
    result = estimate(model, data, scheme=scheme, max_iter=1000)
    scores = result.scores
    np.testing.assert_allclose(scores.mean(), 0, atol=1e-10)
    np.testing.assert_allclose(scores.std(ddof=1), 1, atol=1e-10)
    joined = pd.concat([result.prepared.data, scores], axis=1).corr()
    direct = joined.loc[result.cross_loadings.index, result.cross_loadings.columns]
    np.testing.assert_allclose(result.cross_loadings.to_numpy(), direct.to_numpy(), atol=1e-10)
    cc = result.construct_correlations
    for outcome, row in result.r2.iterrows():
        preds = list(result.paths.loc[result.paths["to"] == outcome, "from"])
        beta = np.linalg.lstsq(scores[preds].to_numpy(), scores[outcome].to_numpy(), rcond=None)[0]
        got = result.path_matrix.loc[preds, outcome].to_numpy()
        np.testing.assert_allclose(got, beta, atol=1e-9)
        np.testing.assert_allclose(row["r2"], float(got @ cc.loc[preds, outcome].to_numpy()), atol=1e-12)
    eff = result.effects
    np.testing.assert_allclose(eff["total"], eff["direct"] + eff["indirect"], atol=1e-14)
    assert ((result.reliability["ave"] > 0) & (result.reliability["ave"] <= 1 + 1e-12)).all()


@settings(max_examples=25, deadline=None, derandomize=True)
@given(problems(), st.sampled_from(["path", "factorial", "centroid"]))
def test_core_matches_the_loop_reference(problem, scheme):
    model, data = problem
    x = data[list(model.indicators)].to_numpy(dtype=float)
    w, _, converged = fit_weights(np.corrcoef(x, rowvar=False)[None], Layout.from_model(model), scheme=scheme)
    if converged[0]:
        np.testing.assert_allclose(w[0], loop_reference(x, model, scheme), atol=1e-7)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(problems(), st.integers(2, 6), st.integers(0, 2**16))
def test_stack_composition_does_not_change_a_problem(problem, size, seed):
    model, data = problem
    layout = Layout.from_model(model)
    x = data[list(model.indicators)].to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    stack = np.stack([np.corrcoef(x[rng.integers(0, len(x), len(x))], rowvar=False) for _ in range(size)])
    w_all, it_all, _ = fit_weights(stack, layout)
    w_one, it_one, _ = fit_weights(stack[-1:], layout)
    np.testing.assert_array_equal(w_one[0], w_all[-1])
    assert it_one[0] == it_all[-1]
