"""Structural effects: direct, indirect and total effects, and the f² effect size.

* Direct effects are the path coefficients ``B``; total effects ``T = Σ_{m≥1} Bᵐ`` (all directed
  chains, :func:`ukur.pls.algorithm.total_effects`); indirect effects ``T − B`` (Hair et al. 2022, ch. 7).
* f² (Cohen 1988): ``f² = (R²_included − R²_excluded) / (1 − R²_included)`` for each path ``i -> j``.
  Tools differ in how ``R²_excluded`` is obtained:

  - ``"smartpls"`` (default; SmartPLS 3/4, cSEM, ADANCO): the construct scores of the full model, with
    ``i`` dropped from the regression of ``j``;
  - ``"reestimate"`` (seminr ``fSquared``): the whole PLS model is re-estimated without the path, with
    the same settings; a construct left without any path drops out, and an outcome left without
    predictors has ``R²_excluded = 0``.
"""

from __future__ import annotations

import numpy as np

from ukur.pls.algorithm import (
    Layout,
    construct_correlations,
    fit_weights,
    path_coefficients,
    r_squared,
    safe_solve,
)

__all__ = ["F2", "f2_reestimate", "f2_same_scores", "reachable"]

F2 = ("smartpls", "reestimate")


def _r2_without(cc: np.ndarray, pred: np.ndarray, j: int) -> np.ndarray:
    """(B,) R² of regressing ``j`` on ``pred`` (0 for no predictors), from score correlations."""
    if pred.size == 0:
        return np.zeros(cc.shape[0])
    beta = safe_solve(cc[:, pred[:, None], pred], cc[:, pred, j])
    return np.sum(beta * cc[:, pred, j], axis=1)


def f2_same_scores(construct_corr: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, K, K) f² with the full model's scores; ``[b, i, j]`` for path ``i -> j``, NaN where no path."""
    n_problems, k = construct_corr.shape[0], layout.n_constructs
    out = np.full((n_problems, k, k), np.nan)
    for j, pred in enumerate(layout.predecessors):
        if pred.size == 0:
            continue
        r2_in = _r2_without(construct_corr, pred, j)
        for i in pred:
            r2_ex = _r2_without(construct_corr, pred[pred != i], j)
            out[:, i, j] = (r2_in - r2_ex) / (1.0 - r2_in)
    return out


def _without_path(layout: Layout, i: int, j: int) -> tuple[Layout, np.ndarray, np.ndarray] | None:
    """The sub-model without ``i -> j`` (constructs left without paths dropped), with the kept
    construct and indicator positions; ``None`` when ``j`` itself drops out or has no predictors."""
    adj = layout.adjacency.copy()
    adj[i, j] = False
    keep = np.flatnonzero(adj.any(axis=0) | adj.any(axis=1))
    if j not in keep or not adj[:, j].any():
        return None
    items = np.concatenate([layout.blocks[c] for c in keep])
    renumber = {int(c): n for n, c in enumerate(keep)}
    sub = Layout.from_arrays(
        tuple(layout.constructs[c] for c in keep),
        tuple(layout.indicators[p] for p in items),
        np.array([renumber[int(layout.block[p])] for p in items]),
        layout.mode_b[keep],
        adj[np.ix_(keep, keep)],
    )
    return sub, keep, items


def f2_reestimate(
    corr: np.ndarray,
    layout: Layout,
    r2_included: np.ndarray,
    *,
    scheme: str,
    tol: float,
    max_iter: int,
    criterion: str = "sum_abs",
) -> np.ndarray:
    """(B, K, K) f² with ``R²_excluded`` from re-estimating the model without each path (seminr)."""
    n_problems, k = corr.shape[0], layout.n_constructs
    out = np.full((n_problems, k, k), np.nan)
    for i, j in zip(*np.nonzero(layout.adjacency), strict=True):
        reduced = _without_path(layout, int(i), int(j))
        if reduced is None:
            r2_ex = np.zeros(n_problems)
        else:
            sub, keep, items = reduced
            sub_corr = corr[:, items[:, None], items]
            w, _, _ = fit_weights(
                sub_corr, sub, scheme=scheme, tol=tol, max_iter=max_iter, criterion=criterion
            )
            cc = construct_correlations(sub_corr, w, sub)
            r2_ex = r_squared(cc, path_coefficients(cc, sub), sub)[:, int(np.flatnonzero(keep == j)[0])]
        out[:, i, j] = (r2_included[:, j] - r2_ex) / (1.0 - r2_included[:, j])
    return out


def reachable(adjacency: np.ndarray) -> np.ndarray:
    """(K, K) bool: a directed chain leads from i to j (transitive closure of the path matrix)."""
    reach = adjacency.astype(bool).copy()
    for _ in range(adjacency.shape[0]):
        grown = reach | ((reach.astype(int) @ adjacency.astype(int)) > 0)
        if np.array_equal(grown, reach):
            break
        reach = grown
    return reach
