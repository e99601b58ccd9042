"""Internal consistency reliability of each construct: Cronbach's α, ρA, ρC and the AVE.

All four are computed from standardized indicators (the item correlation matrix ``S``), the final outer
weights ``w`` (scaled for a unit-variance score) and the outer loadings ``λ``, batched over a stack of
problems like :mod:`ukur.pls.algorithm` so that a bootstrap can use them too.

* Cronbach's α on the correlation matrix (standardized α; Cronbach 1951):
  ``α = k/(k−1) · (1 − k / Σ_ij S_ij)``.
* ρA (Dijkstra & Henseler 2015, *MIS Quarterly* 39(2), eq. 7):
  ``ρA = (w'w)² · w'(S − diag S)w / w'(ww' − diag(ww'))w``.
* ρC, composite reliability (Jöreskog 1971; Hair et al. 2022, ch. 4): ``(Σλ)² / ((Σλ)² + Σ(1 − λ²))``.
* AVE, average variance extracted (Fornell & Larcker 1981): ``mean(λ²)``.

Single-indicator constructs get 1 for all four (SmartPLS and seminr); Mode B constructs get ρA = 1
(seminr R/evaluate_reliability.R; the other three are reported as computed, as SmartPLS does, although
they are not meaningful for formative measurement).
"""

from __future__ import annotations

import numpy as np

from ukur.pls.algorithm import Layout

__all__ = ["RELIABILITY_COLUMNS", "reliability"]

RELIABILITY_COLUMNS = ("alpha", "rho_a", "rho_c", "ave")


def reliability(corr: np.ndarray, weights: np.ndarray, loadings: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, K, 4) array of α, ρA, ρC and AVE per construct (columns as :data:`RELIABILITY_COLUMNS`).

    ``corr`` (B, p, p) item correlations, ``weights`` and ``loadings`` (B, p).
    """
    n_problems = corr.shape[0]
    out = np.ones((n_problems, layout.n_constructs, 4))
    for k, idx in enumerate(layout.blocks):
        m = idx.size
        if m == 1:
            continue
        s = corr[:, idx[:, None], idx]
        out[:, k, 0] = m / (m - 1) * (1.0 - m / s.sum(axis=(1, 2)))
        lam = loadings[:, idx]
        sum_l = lam.sum(axis=1)
        out[:, k, 2] = sum_l**2 / (sum_l**2 + (1.0 - lam**2).sum(axis=1))
        out[:, k, 3] = (lam**2).mean(axis=1)
        if not layout.mode_b[k]:
            w = weights[:, idx]
            ww = (w * w).sum(axis=1)  # w'w
            off = s - np.eye(m) * s
            num = np.einsum("bi,bij,bj->b", w, off, w)  # w'(S - diag S)w
            den = ww**2 - (w**4).sum(axis=1)  # w'(ww' - diag(ww'))w
            out[:, k, 1] = ww**2 * num / den
    return out
