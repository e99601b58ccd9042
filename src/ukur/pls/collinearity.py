"""Collinearity: variance inflation factors of the indicators (outer) and of the predictors (inner).

``VIF = 1 / (1 − R²)`` of a regression (with intercept) of one variable on the others; for standardized
variables it is the diagonal of the inverse correlation matrix (e.g. Hair et al. 2022, ch. 5 and 6).

* outer VIF: each indicator on the **other indicators of its own block**, from the item correlations
  after missing-value treatment (seminr R/evaluate_validity.R ``item_vifs``; SmartPLS "Outer VIF").
  A single-indicator block gives 1.
* inner VIF: each predictor of an endogenous construct on its **other predictors**, from the
  construct-score correlations (SmartPLS "Inner VIF"; seminr ``antecedent_vifs``).  A lone predictor
  gives 1 (SmartPLS shows 1.000; seminr shows NA).
"""

from __future__ import annotations

import numpy as np

from ukur.pls.algorithm import Layout, safe_solve

__all__ = ["inner_vif", "outer_vif"]


def _inverse_diagonal(sub: np.ndarray) -> np.ndarray:
    eye = np.broadcast_to(np.eye(sub.shape[-1]), sub.shape).copy()
    return np.diagonal(safe_solve(sub, eye, check=True), axis1=1, axis2=2)


def outer_vif(corr: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, p) VIF of every indicator within its block; NaN where the block is singular."""
    out = np.ones((corr.shape[0], layout.n_indicators))
    for idx in layout.blocks:
        if idx.size > 1:
            out[:, idx] = _inverse_diagonal(corr[:, idx[:, None], idx])
    return out


def inner_vif(construct_corr: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, K, K) ``[b, i, j]`` = VIF of predictor ``i`` in the regression of ``j``; NaN where no path."""
    n_problems, k = construct_corr.shape[0], layout.n_constructs
    out = np.full((n_problems, k, k), np.nan)
    for j, pred in enumerate(layout.predecessors):
        if pred.size == 1:
            out[:, pred, j] = 1.0
        elif pred.size > 1:
            out[:, pred, j] = _inverse_diagonal(construct_corr[:, pred[:, None], pred])
    return out
