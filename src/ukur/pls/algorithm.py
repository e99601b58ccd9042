"""The PLS path algorithm, batched over a stack of indicator correlation matrices.

Everything here works on the indicator correlation matrix ``R`` (p × p) instead of the data: with
standardized indicators ``Z`` and block-diagonal outer weights ``W`` the construct scores are ``Y = Z W``,
so every quantity the algorithm needs is a product of ``R`` and ``W`` (Lohmöller 1989, ch. 2;
Tenenhaus et al. 2005, "PLS path modeling", CSDA 48, §2). The functions take a stack ``(B, p, p)`` so
that one estimation is ``B = 1`` and a bootstrap chunk runs all its resamples in one set of NumPy calls.

The iteration (Wold's basic algorithm in Lohmöller's formulation, as in SmartPLS and seminr):

1. start with unit outer weights ``w = 1``;
2. outer approximation: scores ``Y_k`` with unit variance, i.e. ``w_k`` scaled so ``w_k' R_kk w_k = 1``;
3. inner weights ``E`` (K × K) by the scheme:

   * ``path`` (default in SmartPLS and seminr): for construct ``j``, each predecessor ``i`` (``i -> j``)
     gets the OLS coefficient of regressing ``Y_j`` on all its predecessors; each successor gets the
     correlation ``cor(Y_j, Y_k)``;
   * ``factorial``: every adjacent pair gets its correlation;
   * ``centroid``: every adjacent pair gets the sign of its correlation;

4. inner proxy ``Ỹ_j = Σ_i E[i, j] Y_i``;
5. new outer weights: Mode A ``w_k = cov(Z_k, Ỹ_k)`` (correlation weights), Mode B
   ``w_k = R_kk⁻¹ cov(Z_k, Ỹ_k)`` (regression weights); then rescaled as in step 2;
6. stop when the change of the weights is below ``tol`` (see :data:`CRITERIA`), else go to 3.

The proxies are not standardized before step 5: that only multiplies ``w_k`` by a positive constant,
which the rescaling in step 2 removes.  No sign correction is applied (neither SmartPLS nor seminr
applies one).

Each problem in the stack iterates on its own: once it meets the stop criterion its weights are frozen
and it leaves the computation, so its result is bit-identical whatever else is in the stack.  A problem
whose matrices are singular or whose correlations are not finite gets NaN weights and
``converged = False``; nothing raises inside a stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ukur.pls.model import Mode

if TYPE_CHECKING:
    from ukur.pls.model import Model

__all__ = [
    "CRITERIA",
    "SCHEMES",
    "Layout",
    "construct_correlations",
    "cross_loadings",
    "fit_weights",
    "outer_loadings",
    "path_coefficients",
    "r_squared",
    "safe_solve",
    "total_effects",
    "weight_matrix",
]

SCHEMES = ("path", "factorial", "centroid")
"""Inner weighting schemes: ``path`` (default), ``factorial``, ``centroid``."""

CRITERIA = ("sum_abs", "max_abs", "sum_squared")
"""Convergence measures of the change ``Δw`` of all outer weights between two iterations.

* ``sum_abs`` (default): ``Σ |Δw| < tol``. SmartPLS 3/4 ("stop criterion 10⁻⁷"; Hair et al. 2022,
  *A Primer on PLS-SEM*, 3rd ed., ch. 3 and Appendix A: the sum of the changes of the outer weights) and
  seminr (``stopCriterion = 7``).
* ``max_abs``: ``max |Δw| < tol`` (cSEM's default ``diff_absolute``).
* ``sum_squared``: ``Σ Δw² < tol`` (R plspm).
"""


@dataclass(frozen=True)
class Layout:
    """Index structure of a model, computed once.

    Constructs are in declaration order (``model.construct_names``) and indicators block by block
    (``model.indicators``).
    """

    constructs: tuple[str, ...]
    indicators: tuple[str, ...]
    block: np.ndarray
    mode_b: np.ndarray
    adjacency: np.ndarray
    onehot: np.ndarray = field(repr=False)
    blocks: tuple[np.ndarray, ...] = field(repr=False)
    predecessors: tuple[np.ndarray, ...] = field(repr=False)

    @classmethod
    def from_model(cls, model: Model) -> Layout:
        constructs = model.construct_names
        indicators = model.indicators
        block = np.array([k for k, c in enumerate(model.constructs) for _ in c.indicators], dtype=np.intp)
        mode_b = np.array([c.mode is Mode.B for c in model.constructs], dtype=bool)
        adjacency = np.array(model.adjacency, dtype=bool)
        return cls.from_arrays(constructs, indicators, block, mode_b, adjacency)

    @classmethod
    def from_arrays(
        cls,
        constructs: tuple[str, ...],
        indicators: tuple[str, ...],
        block: np.ndarray,
        mode_b: np.ndarray,
        adjacency: np.ndarray,
    ) -> Layout:
        """Build a layout from its index arrays (used for sub-models, e.g. f² re-estimation)."""
        k = len(constructs)
        block = np.asarray(block, dtype=np.intp)
        onehot = np.zeros((len(indicators), k))
        onehot[np.arange(len(indicators)), block] = 1.0
        blocks = tuple(np.flatnonzero(block == j) for j in range(k))
        adjacency = np.asarray(adjacency, dtype=bool)
        predecessors = tuple(np.flatnonzero(adjacency[:, j]) for j in range(k))
        for arr in (block, onehot, adjacency, *blocks, *predecessors):
            arr.setflags(write=False)
        mode_b = np.asarray(mode_b, dtype=bool)
        mode_b.setflags(write=False)
        return cls(constructs, indicators, block, mode_b, adjacency, onehot, blocks, predecessors)

    @property
    def n_constructs(self) -> int:
        return len(self.constructs)

    @property
    def n_indicators(self) -> int:
        return len(self.indicators)


# --- small batched helpers -----------------------------------------------------------------------


RCOND = 1e-12
"""Reciprocal condition number below which :func:`safe_solve` with ``check=True`` declares a matrix
singular (e.g. two identical items in a Mode B block)."""


def safe_solve(a: np.ndarray, b: np.ndarray, *, check: bool = False) -> np.ndarray:
    """Batched ``solve(a, b)`` that never raises: problems with a singular ``a`` get NaN.

    ``a`` is (B, m, m), ``b`` is (B, m) or (B, m, r).  LAPACK's LU flags an exactly zero pivot; those
    slices (found with ``slogdet``, which uses the same factorization) are replaced by the identity for
    the solve and their result set to NaN.  With ``check=True`` a slice whose reciprocal condition number
    (smallest / largest singular value) is below :data:`RCOND` counts as singular too.  Non-finite input
    gives NaN.
    """
    vector = b.ndim == a.ndim - 1
    rhs = b[..., None] if vector else b
    finite = np.all(np.isfinite(a.reshape(a.shape[0], -1)), axis=1)
    bad = ~finite
    safe_a = np.where(bad[:, None, None], np.eye(a.shape[-1]), a)
    if check:
        s = np.linalg.svd(safe_a, compute_uv=False)
        bad |= s[:, -1] < RCOND * s[:, 0]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        try:
            out = np.linalg.solve(safe_a, rhs)
        except np.linalg.LinAlgError:
            sign, _ = np.linalg.slogdet(safe_a)
            bad |= sign == 0
            out = np.linalg.solve(np.where(bad[:, None, None], np.eye(a.shape[-1]), safe_a), rhs)
    out[bad] = np.nan
    return out[..., 0] if vector else out


def weight_matrix(weights: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, p) weights → block matrix (B, p, K) with ``W[b, j, block[j]] = w[b, j]``."""
    return weights[:, :, None] * layout.onehot


def _rescale(weights: np.ndarray, corr: np.ndarray, layout: Layout) -> np.ndarray:
    """Scale each block so its construct score has unit variance: ``w_k' R_kk w_k = 1``."""
    wm = weight_matrix(weights, layout)
    var = np.sum(wm * (corr @ wm), axis=1)  # (B, K) = diag(W' R W)
    with np.errstate(invalid="ignore", divide="ignore"):
        return weights / np.sqrt(var[:, layout.block])


def _inner_weights(cc: np.ndarray, layout: Layout, scheme: str) -> np.ndarray:
    """Inner weights ``E`` (B, K, K); the proxy of construct j is ``Σ_i E[i, j] Y_i``.

    A construct without any path (only possible in a one-construct, measurement-only model) is its own
    proxy (``E[j, j] = 1``), so Mode A converges to the block's first principal component.
    """
    adj = layout.adjacency
    sym = adj | adj.T
    isolated = ~sym.any(axis=0)
    if scheme == "factorial":
        e = cc * sym
    elif scheme == "centroid":
        e = np.sign(cc) * sym
    else:
        e = np.swapaxes(cc * adj, 1, 2).copy()  # successors k of j (j -> k): E[k, j] = cor(j, k)
        for j, pred in enumerate(layout.predecessors):
            if pred.size:
                e[:, pred, j] = safe_solve(cc[:, pred[:, None], pred], cc[:, pred, j])
    if isolated.any():
        e = e + np.diag(isolated.astype(float))
    return e


def _criterion(delta: np.ndarray, criterion: str) -> np.ndarray:
    if criterion == "sum_abs":
        return np.sum(np.abs(delta), axis=1)
    if criterion == "max_abs":
        return np.max(np.abs(delta), axis=1)
    return np.sum(delta * delta, axis=1)


# --- the iteration -------------------------------------------------------------------------------


def fit_weights(
    corr: np.ndarray,
    layout: Layout,
    *,
    scheme: str = "path",
    tol: float = 1e-7,
    max_iter: int = 300,
    criterion: str = "sum_abs",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the PLS iteration on each correlation matrix of a stack.

    Parameters
    ----------
    corr : (B, p, p) indicator correlation matrices, indicators in ``layout.indicators`` order.
    scheme : inner weighting scheme, one of :data:`SCHEMES`.
    tol : stop when the change of the outer weights (measured by ``criterion``) is below ``tol``.
    max_iter : maximum number of outer-weight updates (SmartPLS' "maximum iterations"; seminr's
        ``maxIt = 300`` allows 301 updates, which only matters for a model that does not converge).
    criterion : convergence measure, one of :data:`CRITERIA` (default ``sum_abs`` as SmartPLS/seminr).

    Returns
    -------
    weights : (B, p) outer weights scaled so every construct score has unit variance (NaN for a
        failed problem: singular Mode B block or inner regression, or non-finite correlations).
    iterations : (B,) number of outer-weight updates performed.
    converged : (B,) whether the stop criterion was met within ``max_iter`` updates.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, not {scheme!r}")
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, not {criterion!r}")
    corr = np.asarray(corr, dtype=float)
    if corr.ndim == 2:
        corr = corr[None]
    n_problems, p = corr.shape[0], layout.n_indicators
    weights = np.ones((n_problems, p))
    iterations = np.zeros(n_problems, dtype=np.intp)
    converged = np.zeros(n_problems, dtype=bool)
    failed = ~np.all(np.isfinite(corr.reshape(n_problems, -1)), axis=1)

    # Mode B blocks: R_kk⁻¹ does not change during the iteration, so invert it once.
    inverses: dict[int, np.ndarray] = {}
    for kb in np.flatnonzero(layout.mode_b).tolist():
        idx = layout.blocks[kb]
        sub = corr[:, idx[:, None], idx]
        inv = safe_solve(sub, np.broadcast_to(np.eye(idx.size), sub.shape).copy(), check=True)
        failed |= ~np.all(np.isfinite(inv.reshape(n_problems, -1)), axis=1)
        inverses[kb] = inv

    active = np.flatnonzero(~failed)
    current = weights.copy()  # unit start: the first change is measured from the unscaled ones
    for step in range(1, max_iter + 1):
        if active.size == 0:
            break
        r = corr[active]
        w_old = current[active]
        w = _rescale(w_old, r, layout) if step == 1 else w_old
        wm = weight_matrix(w, layout)
        rw = r @ wm  # (b, p, K): cov(Z, Y)
        cc = np.swapaxes(wm, 1, 2) @ rw  # (b, K, K): cor(Y)
        e = _inner_weights(cc, layout, scheme)
        g = rw @ e  # (b, p, K): cov(Z, proxies)
        w_new = g[:, np.arange(p), layout.block]
        for k, inv in inverses.items():
            idx = layout.blocks[k]
            w_new[:, idx] = (inv[active] @ w_new[:, idx, None])[..., 0]
        w_new = _rescale(w_new, r, layout)
        ok = np.all(np.isfinite(w_new), axis=1)
        done = ok & (_criterion(w_new - w_old, criterion) < tol)
        current[active] = w_new
        iterations[active] = step
        converged[active[done]] = True
        failed[active[~ok]] = True
        active = active[ok & ~done]
    current[failed] = np.nan
    converged[failed] = False
    return current, iterations, converged


# --- quantities derived from the weights ---------------------------------------------------------


def cross_loadings(corr: np.ndarray, weights: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, p, K) correlation of every indicator with every construct score (scores have unit variance)."""
    return corr @ weight_matrix(weights, layout)


def construct_correlations(corr: np.ndarray, weights: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, K, K) correlations of the construct scores: ``W' R W``."""
    wm = weight_matrix(weights, layout)
    return np.swapaxes(wm, 1, 2) @ (corr @ wm)


def outer_loadings(corr: np.ndarray, weights: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, p) correlation of each indicator with its own construct score, for Mode A and Mode B alike."""
    return cross_loadings(corr, weights, layout)[:, np.arange(layout.n_indicators), layout.block]


def path_coefficients(construct_corr: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, K, K) OLS path coefficients; ``[b, i, j]`` is the coefficient of ``i -> j``, 0 where no path.

    For each endogenous ``j`` with predecessors ``P``: ``β = C_PP⁻¹ C_Pj`` (standardized scores).
    """
    n_problems, k = construct_corr.shape[0], layout.n_constructs
    paths = np.zeros((n_problems, k, k))
    for j, pred in enumerate(layout.predecessors):
        if pred.size:
            paths[:, pred, j] = safe_solve(
                construct_corr[:, pred[:, None], pred], construct_corr[:, pred, j], check=True
            )
    return paths


def r_squared(construct_corr: np.ndarray, paths: np.ndarray, layout: Layout) -> np.ndarray:
    """(B, K) ``R²_j = Σ_i β_ij cor(Y_i, Y_j)`` for endogenous constructs, NaN for exogenous ones."""
    r2 = np.sum(paths * construct_corr, axis=1)
    exogenous = np.array([pred.size == 0 for pred in layout.predecessors])
    r2[:, exogenous] = np.nan
    return r2


def total_effects(paths: np.ndarray) -> np.ndarray:
    """(B, K, K) total effects ``T = B + B² + … + B^(K-1)``: the sum over all directed chains.

    The structural model is acyclic, so ``B`` is nilpotent and the series ends after K−1 terms.
    """
    total = paths.copy()
    power = paths
    for _ in range(paths.shape[-1] - 2):
        power = power @ paths
        total = total + power
    return total
