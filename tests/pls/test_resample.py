"""Count-matrix resampling: streams keyed by resample number, correlations of weighted rows."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pls.reference import mobi
from ukur.pls.resample import (
    Moments,
    block_size,
    correlations,
    count_matrix,
    draw_rows,
    jackknife_counts,
    stream_key,
)


def test_rows_depend_only_on_seed_and_resample_number():
    key = stream_key(42)
    whole = draw_rows(key, 0, 40, 250)
    parts = np.vstack([draw_rows(key, 0, 7, 250), draw_rows(key, 7, 23, 250), draw_rows(key, 23, 40, 250)])
    assert np.array_equal(whole, parts)
    assert not np.array_equal(draw_rows(stream_key(43), 0, 40, 250), whole)


def test_rows_are_uniform():
    """Chi-square goodness of fit of 2.5 million draws over 250 rows (df 249): 99.99 % quantile ≈ 357."""
    rows = draw_rows(stream_key(7), 0, 10_000, 250)
    assert rows.min() == 0 and rows.max() == 249
    observed = np.bincount(rows.ravel(), minlength=250)
    expected = rows.size / 250
    chi2 = np.sum((observed - expected) ** 2 / expected)
    assert chi2 < 357


def test_rows_of_neighbouring_resamples_are_not_correlated():
    """Counts of the same row in consecutive resamples: correlation within ±4/√N of 0."""
    counts = count_matrix(draw_rows(stream_key(3), 0, 2000, 100), 100)
    r = np.corrcoef(counts[:-1].ravel(), counts[1:].ravel())[0, 1]
    assert abs(r) < 4 / np.sqrt(counts[:-1].size)


def test_count_matrix_counts_each_row():
    rows = draw_rows(stream_key(1), 0, 5, 30)
    counts = count_matrix(rows, 30)
    for b in range(5):
        assert np.array_equal(counts[b], np.bincount(rows[b], minlength=30))
    assert np.all(counts.sum(axis=1) == 30)


def test_resample_correlations_equal_those_of_the_gathered_rows():
    x = mobi().to_numpy(dtype=float)
    moments = Moments(x)
    rows = draw_rows(stream_key(5), 0, 20, x.shape[0])
    corr = correlations(count_matrix(rows, x.shape[0]), moments)
    for b in range(20):
        assert np.max(np.abs(corr[b] - np.corrcoef(x[rows[b]].T))) < 1e-13


def test_jackknife_correlations_leave_one_row_out():
    x = mobi().to_numpy(dtype=float)[:40, :6]
    corr = correlations(jackknife_counts(40), Moments(x))
    for i in (0, 17, 39):
        assert np.max(np.abs(corr[i] - np.corrcoef(np.delete(x, i, axis=0).T))) < 1e-13


def test_indicator_without_variance_in_a_resample_gives_nan():
    x = np.column_stack([np.r_[np.ones(9), 2.0], np.arange(10.0), np.arange(10.0) ** 2])
    counts = np.ones((2, 10))
    counts[1, 9] = 0.0  # resample 1 never draws the only row where column 0 differs
    counts[1, 0] = 2.0
    corr = correlations(counts, Moments(x))
    assert np.all(np.isfinite(corr[0]))
    assert np.all(np.isnan(corr[1][0])) and np.all(np.isnan(corr[1][:, 0]))
    assert np.isfinite(corr[1][1, 2])


@settings(max_examples=40, deadline=None)
@given(
    st.integers(3, 30),
    st.integers(2, 6),
    st.integers(0, 2**32 - 1),
)
def test_weighted_correlations_match_weighted_formula(n, p, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) * rng.uniform(0.1, 10, size=p) + rng.uniform(-5, 5, size=p)
    weights = rng.integers(1, 4, size=(3, n)).astype(float)
    corr = correlations(weights, Moments(x))
    for b in range(3):
        cov = np.cov(x.T, aweights=weights[b], ddof=0)
        sd = np.sqrt(np.diag(cov))
        assert np.allclose(corr[b], cov / np.outer(sd, sd), atol=1e-11, rtol=0)


@pytest.mark.parametrize(("n", "p"), [(250, 24), (344, 10), (50, 3), (5000, 120)])
def test_block_size_is_a_power_of_two_within_bounds(n, p):
    size = block_size(n, p)
    assert 16 <= size <= 1024 and size & (size - 1) == 0
