"""The PLS iteration and every bootstrapped statistic for a block of problems, batch dimension last.

This is :func:`ukur.pls.algorithm.fit_weights` (the same algorithm, start, rescaling and stop rule;
see there) rewritten for throughput on a stack of many small problems, as the bootstrap needs:

* **batch last**: arrays are (…, B), so every NumPy operation runs over the B problems in one
  contiguous loop and the number of calls per iteration does not depend on B;
* **block-sparse weights**: a construct's weights touch only its own indicators, so ``R W`` is the
  element-wise product ``R ∘ w`` summed within each block (``np.add.reduceat`` over the contiguous
  blocks): p² multiply-adds per problem instead of p²·K for the dense block matrix;
* **small linear systems** (inner regressions of the path scheme, path coefficients, f²) are solved by
  Gauss–Jordan elimination written over the batch: correlation matrices are symmetric positive
  definite, so no pivoting is needed, and a pivot below :data:`PIVOT` marks the problem as singular;
* a problem that meets the stop criterion is frozen: its result is stored at that iteration and never
  changes, and it leaves the stack once finished problems are the majority (copying the stack every
  iteration would cost more than computing them); all operations are element-wise across the batch, so
  a problem's result does not depend on the other problems in a stack of the same size (for another
  batch length NumPy may choose another inner loop, which changes the last bit; the bootstrap therefore
  always works on blocks of one size).

``tests/pls/test_kernel.py`` checks it against :mod:`ukur.pls.algorithm` on bootstrap resamples.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["PIVOT", "fit", "score_correlations", "segment_sum", "solve"]

PIVOT = 1e-12
"""Smallest admissible pivot (the residual variance ``1 − R²`` of a predictor on the earlier ones)."""


def solve(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``a x = b`` for a batch: ``a`` (k, k, B) symmetric positive definite, ``b`` (k, m, B).

    Returns ``x`` (k, m, B) and ``ok`` (B,): False where a pivot fell below :data:`PIVOT` (x is then
    not meaningful).  Callers silence floating-point warnings (a singular problem divides by zero).
    """
    k = a.shape[0]
    if k == 1:
        pivot = a[0, 0]
        return b / pivot, pivot > PIVOT
    a = a.copy()
    b = b.copy()
    ok = np.ones(a.shape[-1], dtype=bool)
    for c in range(k):
        pivot = a[c, c].copy()
        ok &= pivot > PIVOT
        a[c] /= pivot
        b[c] /= pivot
        factor = a[:, c].copy()
        factor[c] = 0.0
        a -= factor[:, None, :] * a[c][None]
        b -= factor[:, None, :] * b[c][None]
    return b, ok


def segment_sum(a: np.ndarray, starts: np.ndarray, axis: int) -> np.ndarray:
    """Sums of ``a`` over the contiguous segments beginning at ``starts`` along ``axis`` (0 or 1).

    Slices and ``np.add.reduce`` instead of ``np.add.reduceat``, which is slow along a leading axis;
    the summation order depends only on the segment, never on the batch.
    """
    bounds = [*starts.tolist(), a.shape[axis]]
    shape = list(a.shape)
    shape[axis] = len(starts)
    out = np.empty(shape)
    for s, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        if axis == 0:
            out[s] = np.add.reduce(a[lo:hi], axis=0)
        else:
            out[:, s] = np.add.reduce(a[:, lo:hi], axis=1)
    return out


def score_correlations(w: np.ndarray, rw: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """(K, K, B) correlations of the scores: ``Σ_{i in block k} w[i] (R W)[i, l]``."""
    bounds = [*starts.tolist(), w.shape[0]]
    out = np.empty((len(starts), rw.shape[1], w.shape[-1]))
    for s, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        out[s] = np.einsum("ib,ilb->lb", w[lo:hi], rw[lo:hi])
    return out


def _block_sums(r: np.ndarray, w: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """(p, K, B) ``Σ_{j in block l} r[i, j] w[j]``: the covariances of every indicator with every score.

    ``np.einsum`` without ``optimize`` runs its own fused loop (no temporary, no BLAS), so each element is
    summed in the same order whatever the batch size.
    """
    bounds = [*starts.tolist(), r.shape[1]]
    out = np.empty((r.shape[0], len(starts), r.shape[-1]))
    for s, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        out[:, s] = np.einsum("ijb,jb->ib", r[:, lo:hi], w[lo:hi])
    return out


def _rescale(
    g: np.ndarray, r: np.ndarray, starts: np.ndarray, block: np.ndarray, diag: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Scale each block of ``g`` (p, B) to unit score variance; returns the weights and their ``R W``."""
    rw = _block_sums(r, g, starts)
    var = segment_sum(g * rw[diag, block], starts, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 1.0 / np.sqrt(var)
    return g * scale[block], rw * scale[None, :, :]


def _inner(
    cc: np.ndarray, adjacency: np.ndarray, predecessors: tuple[np.ndarray, ...], scheme: str
) -> tuple[np.ndarray, np.ndarray]:
    """Inner weights E (K, K, B) with the proxy of j being ``Σ_i E[i, j] Y_i``; and ok (B,).

    As in :mod:`ukur.pls.algorithm`, a construct without any path (a one-construct model) is its own
    proxy, ``E[j, j] = 1``.
    """
    sym = adjacency | adjacency.T
    ok = np.ones(cc.shape[-1], dtype=bool)
    if scheme == "factorial":
        e = cc * sym[:, :, None]
    elif scheme == "centroid":
        e = np.sign(cc) * sym[:, :, None]
    else:
        e = np.swapaxes(cc * adjacency[:, :, None], 0, 1).copy()
        for j, pred in enumerate(predecessors):
            if pred.size:
                beta, good = solve(cc[pred[:, None], pred], cc[pred, j][:, None, :])
                e[pred, j] = beta[:, 0]
                ok &= good
    isolated = np.flatnonzero(~sym.any(axis=0))
    if isolated.size:
        e[isolated, isolated] += 1.0
    return e, ok


def fit(
    corr: np.ndarray,
    *,
    block: np.ndarray,
    adjacency: np.ndarray,
    predecessors: tuple[np.ndarray, ...],
    mode_b_blocks: tuple[np.ndarray, ...],
    scheme: str,
    tol: float,
    max_iter: int,
    criterion: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the PLS iteration on ``corr`` (p, p, B), indicators block by block.

    Returns the weights (p, B) scaled to unit-variance scores, ``R W`` (p, K, B) for them, and
    ``converged`` (B,).  Failed problems (non-finite or singular) have ``converged = False``.
    """
    p, n = corr.shape[0], corr.shape[-1]
    k = adjacency.shape[0]
    starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
    diag = np.arange(p)
    weights = np.full((p, n), np.nan)
    rw_out = np.full((p, k, n), np.nan)
    converged = np.zeros(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        finite = np.all(np.isfinite(corr.reshape(p * p, n)), axis=0)
    inverses = []
    for idx in mode_b_blocks:
        sub = corr[idx[:, None], idx]
        eye = np.broadcast_to(np.eye(idx.size)[:, :, None], sub.shape)
        inv, good = solve(np.where(finite, sub, np.eye(idx.size)[:, :, None]), eye)
        finite &= good
        inverses.append(inv)
    active = np.flatnonzero(finite)
    r = corr[:, :, active]
    invs = [inv[:, :, active] for inv in inverses]
    w_old = np.ones((p, active.size))
    w, rw = _rescale(w_old, r, starts, block, diag)
    running = np.ones(active.size, dtype=bool)  # finished problems stay in the stack until compaction
    for _ in range(max_iter):
        if not running.any():
            break
        cc = score_correlations(w, rw, starts)
        e, ok = _inner(cc, adjacency, predecessors, scheme)
        g = np.einsum("ilb,lib->ib", rw, e[:, block])
        for idx, inv in zip(mode_b_blocks, invs, strict=True):
            g[idx] = np.sum(inv * g[idx][None, :, :], axis=1)
        w_new, rw_new = _rescale(g, r, starts, block, diag)
        delta = np.abs(w_new - w_old) if criterion != "sum_squared" else (w_new - w_old) ** 2
        change = np.max(delta, axis=0) if criterion == "max_abs" else np.sum(delta, axis=0)
        ok &= np.all(np.isfinite(w_new), axis=0)
        done = running & ok & (change < tol)
        weights[:, active[done]] = w_new[:, done]
        rw_out[:, :, active[done]] = rw_new[:, :, done]
        converged[active[done]] = True
        running = ok & ~done & running
        if running.sum() < 0.5 * running.size:  # drop finished problems once they are the majority
            active = active[running]
            r = r[:, :, running]
            invs = [inv[:, :, running] for inv in invs]
            w_new, rw_new = w_new[:, running], rw_new[:, :, running]
            running = running[running]
        w_old, w, rw = w_new, w_new, rw_new
    return weights, rw_out, converged
