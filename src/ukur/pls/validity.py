"""Discriminant validity: the heterotrait–monotrait ratio (HTMT) and the Fornell–Larcker criterion.

* HTMT (Henseler, Ringle & Sarstedt 2015, *JAMS* 43, eq. 6): for constructs ``i`` and ``j``,
  ``HTMT_ij = mean(r between the two blocks) / √(mono_i · mono_j)``, where ``mono_k`` is the mean of the
  off-diagonal correlations within block ``k`` (1 for a single indicator).  It depends on the item
  correlations only, not on the estimation.  ``absolute=True`` (default) averages the absolute
  correlations, as seminr does (R/evaluate_validity.R ``HTMT``), so that items with negative
  correlations cannot cancel; ``absolute=False`` uses the signed correlations as written in the 2015
  paper.  The two agree whenever all item correlations are positive (the usual case).
* Fornell–Larcker (Fornell & Larcker 1981): √AVE on the diagonal, construct-score correlations below it,
  NaN above.
"""

from __future__ import annotations

import numpy as np

from ukur.pls.algorithm import Layout

__all__ = ["HTMT", "fornell_larcker", "htmt"]

HTMT = ("absolute", "signed")
"""HTMT variants: ``absolute`` item correlations (default) or ``signed`` ones."""


def htmt(corr: np.ndarray, layout: Layout, *, absolute: bool = True) -> np.ndarray:
    """(B, K, K) symmetric HTMT matrices with NaN on the diagonal; ``corr`` is (B, p, p)."""
    r = np.abs(corr) if absolute else corr
    onehot = layout.onehot  # (p, K)
    block_sum = np.swapaxes(onehot, 0, 1) @ r @ onehot  # (B, K, K): sums of r over block pairs
    size = onehot.sum(axis=0)
    pairs = np.outer(size, size)
    within = np.diagonal(block_sum, axis1=1, axis2=2) - size  # off-diagonal sums within each block
    with np.errstate(invalid="ignore", divide="ignore"):
        mono = np.where(size > 1, within / (size * (size - 1)), 1.0)
        hetero = block_sum / pairs
        out = hetero / np.sqrt(mono[:, :, None] * mono[:, None, :])
    k = layout.n_constructs
    out[:, np.arange(k), np.arange(k)] = np.nan
    return out


def fornell_larcker(construct_corr: np.ndarray, ave: np.ndarray) -> np.ndarray:
    """(K, K) Fornell–Larcker table of one problem: √AVE diagonal, score correlations below, NaN above."""
    k = construct_corr.shape[0]
    table = np.where(np.tri(k, k, -1, dtype=bool), construct_corr, np.nan)
    table[np.arange(k), np.arange(k)] = np.sqrt(ave)
    return table
