"""The batch-last kernel equals the reference core (ukur.pls.algorithm) on bootstrap resamples."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pls.reference import Model, corp_rep, cr2, m1, m4, mean_replaced, mobi
from tests.pls.test_bootstrap import ecsi
from ukur.pls.kernel import solve
from ukur.pls.replicate import Plan, replicate, replicate_reference
from ukur.pls.resample import Moments, correlations, correlations_last, count_matrix, draw_rows, stream_key


def _stack(model, x, b=300, seed=1):
    n = x.shape[0]
    return correlations(count_matrix(draw_rows(stream_key(seed), 0, b, n), n), Moments(x))


def one_construct():
    return Model.build().reflective("Image", ["IMAG1", "IMAG2", "IMAG3"]).model()


CASES = [
    ("one-construct", one_construct, "path", None),
    ("ecsi-path", ecsi, "path", None),
    ("m4-factorial", m4, "factorial", None),
    ("m1-centroid", m1, "centroid", None),
    ("cr2-mode-b-factorial", cr2, "factorial", -99),
    ("cr2-mode-b-path", cr2, "path", -99),
]


@pytest.mark.parametrize(("name", "factory", "scheme", "na"), CASES, ids=[c[0] for c in CASES])
def test_kernel_matches_reference_core(name, factory, scheme, na):
    """Same algorithm, different summation order: agreement to 1e-12 (README §8 reaches ~1e-15)."""
    model = factory()
    frame = corp_rep() if na is not None else mobi()
    x = (
        mean_replaced(frame, list(model.indicators), code=na)
        if na is not None
        else frame[list(model.indicators)].to_numpy(float)
    )
    corr = _stack(model, x)
    plan = Plan(model, scheme=scheme)
    fast, ok_fast = replicate(corr, plan)
    ref, ok_ref = replicate_reference(corr, plan)
    assert np.array_equal(ok_fast, ok_ref)
    assert np.max(np.abs(fast[ok_fast] - ref[ok_ref])) < 1e-12


def test_batch_last_input_is_the_same_problem():
    model = ecsi()
    x = mobi()[list(model.indicators)].to_numpy(float)
    counts = count_matrix(draw_rows(stream_key(3), 0, 64, 250), 250)
    plan = Plan(model)
    first, _ = replicate(correlations(counts, Moments(x)), plan)
    last, _ = replicate(correlations_last(counts, Moments(x)), plan, batch_last=True)
    assert np.array_equal(first, last)


def test_result_of_a_problem_does_not_depend_on_the_stack():
    """In another order the statistics are bit-identical; alone (B = 1, where NumPy may pick another
    inner loop) they agree to rounding."""
    model = ecsi()
    x = mobi()[list(model.indicators)].to_numpy(float)
    corr = _stack(model, x, b=40, seed=9)
    plan = Plan(model)
    together, _ = replicate(corr, plan)
    order = np.random.default_rng(0).permutation(40)
    shuffled, _ = replicate(corr[order], plan)
    assert np.array_equal(shuffled, together[order])
    alone = np.vstack([replicate(corr[i : i + 1], plan)[0] for i in (0, 17, 39)])
    assert np.max(np.abs(alone - together[[0, 17, 39]])) < 1e-14


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_batched_solve_matches_numpy(k, m, seed):
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(5, k, k + 3))
    a = g @ np.swapaxes(g, 1, 2) + 0.1 * np.eye(k)
    b = rng.normal(size=(5, k, m))
    x, ok = solve(np.moveaxis(a, 0, -1), np.moveaxis(b, 0, -1))
    assert ok.all()
    assert np.allclose(np.moveaxis(x, -1, 0), np.linalg.solve(a, b), rtol=1e-9, atol=1e-9)


def test_batched_solve_flags_singular_problems():
    a = np.stack([np.eye(2), np.ones((2, 2))], axis=-1)
    b = np.ones((2, 1, 2))
    with np.errstate(all="ignore"):
        _, ok = solve(a, b)
    assert ok.tolist() == [True, False]
