"""The result of a PLS estimation: an immutable object holding labelled tables.

:class:`PLSResult` keeps what the estimation produced (the model, options, prepared data, indicator
correlations, outer weights, iterations); every table is derived from that on first use
(``functools.cached_property``) and is a pandas object indexed by construct or indicator names.
:meth:`PLSResult.to_dict` is the JSON contract of ``ukur pls estimate --format json`` and the API, so
the numbers on screen, in files and in JSON always come from the same tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ukur.pls import algorithm as alg
from ukur.pls.collinearity import inner_vif, outer_vif
from ukur.pls.data import PreparedData
from ukur.pls.descriptives import describe
from ukur.pls.effects import f2_reestimate, f2_same_scores, reachable
from ukur.pls.model import Model
from ukur.pls.options import EstimateOptions
from ukur.pls.reliability import RELIABILITY_COLUMNS, reliability
from ukur.pls.validity import fornell_larcker, htmt

__all__ = ["PLSResult"]


@dataclass(frozen=True, eq=False)
class PLSResult:
    """An estimated PLS path model.

    Attributes set by :func:`ukur.pls.estimate`: ``model``, ``options``, ``layout`` (index structure,
    :class:`ukur.pls.algorithm.Layout`), ``prepared`` (:class:`ukur.pls.data.PreparedData`: raw and
    treated indicator data, missing-value counts), ``corr`` (p × p indicator correlations after
    missing-value treatment, model indicator order), ``weights`` (p outer weights, unit-variance
    scores), ``iterations``, ``converged``, ``warnings`` (messages of warnings raised while estimating,
    e.g. :class:`ukur.errors.ConvergenceWarning`) and ``version`` (of ukur).

    Tables (computed on first use): ``outer``, ``outer_weights``, ``outer_loadings``,
    ``cross_loadings``, ``scores``, ``path_matrix``, ``paths``, ``r2``, ``f2``, ``effects``,
    ``construct_correlations``, ``item_correlations``, ``reliability``, ``fornell_larcker``, ``htmt``,
    ``vif_outer``, ``vif_inner``, ``items``, and ``meta``.
    """

    model: Model
    options: EstimateOptions
    layout: alg.Layout
    prepared: PreparedData
    corr: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    iterations: int
    converged: bool
    warnings: tuple[str, ...] = ()
    version: str = ""

    # --- sizes --------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Rows in the input data."""
        return self.prepared.n

    @property
    def n_used(self) -> int:
        """Rows used in the estimation (after casewise deletion, if chosen)."""
        return self.prepared.n_used

    # --- arrays shared by the tables ------------------------------------------------------------
    @cached_property
    def _stack(self) -> tuple[np.ndarray, np.ndarray]:
        return self.corr[None], self.weights[None]

    @cached_property
    def _cross(self) -> np.ndarray:
        corr, w = self._stack
        return alg.cross_loadings(corr, w, self.layout)[0]

    @cached_property
    def _loadings(self) -> np.ndarray:
        return self._cross[np.arange(self.layout.n_indicators), self.layout.block]

    @cached_property
    def _cc(self) -> np.ndarray:
        corr, w = self._stack
        return alg.construct_correlations(corr, w, self.layout)[0]

    @cached_property
    def _paths(self) -> np.ndarray:
        return alg.path_coefficients(self._cc[None], self.layout)[0]

    @cached_property
    def _r2(self) -> np.ndarray:
        return alg.r_squared(self._cc[None], self._paths[None], self.layout)[0]

    @cached_property
    def _reliability(self) -> np.ndarray:
        corr, w = self._stack
        return reliability(corr, w, self._loadings[None], self.layout)[0]

    def _square(self, values: np.ndarray) -> pd.DataFrame:
        names = pd.Index(self.layout.constructs, name="construct")
        return pd.DataFrame(values, index=names, columns=names.rename("construct"))

    def _pairs(self, values: np.ndarray, pairs: list[tuple[int, int]], column: str) -> pd.DataFrame:
        c = self.layout.constructs
        return pd.DataFrame(
            {
                "from": [c[i] for i, _ in pairs],
                "to": [c[j] for _, j in pairs],
                column: [values[i, j] for i, j in pairs],
            }
        )

    @cached_property
    def _path_pairs(self) -> list[tuple[int, int]]:
        """Paths in the order the model declares them."""
        pos = {name: k for k, name in enumerate(self.layout.constructs)}
        return [(pos[p.source], pos[p.target]) for p in self.model.paths]

    # --- measurement model ----------------------------------------------------------------------
    @cached_property
    def outer(self) -> pd.DataFrame:
        """Per indicator: ``construct``, ``weight`` (outer weight) and ``loading`` (indicator–score correlation)."""
        return pd.DataFrame(
            {
                "construct": [self.layout.constructs[b] for b in self.layout.block],
                "weight": self.weights,
                "loading": self._loadings,
            },
            index=pd.Index(self.layout.indicators, name="indicator"),
        )

    @cached_property
    def outer_weights(self) -> pd.Series:
        """Outer weights (scaled so each construct score has unit variance), indexed by indicator."""
        return self.outer["weight"]

    @cached_property
    def outer_loadings(self) -> pd.Series:
        """Outer loadings: correlation of each indicator with its construct's score (Mode A and B)."""
        return self.outer["loading"]

    @cached_property
    def cross_loadings(self) -> pd.DataFrame:
        """Correlation of every indicator (rows) with every construct score (columns)."""
        return pd.DataFrame(
            self._cross,
            index=pd.Index(self.layout.indicators, name="indicator"),
            columns=pd.Index(self.layout.constructs, name="construct"),
        )

    @cached_property
    def scores(self) -> pd.DataFrame:
        """Construct scores ``Z W`` (rows used, original row labels), mean 0 and SD 1 with divisor
        ``n − ddof`` (``options.ddof``, default 1 as seminr)."""
        z = self.prepared.standardized(self.options.ddof)
        return pd.DataFrame(
            z @ (self.weights[:, None] * self.layout.onehot),
            index=self.prepared.data.index,
            columns=pd.Index(self.layout.constructs, name="construct"),
        )

    @cached_property
    def item_correlations(self) -> pd.DataFrame:
        """Pearson correlations of the indicators after missing-value treatment."""
        names = pd.Index(self.layout.indicators, name="indicator")
        return pd.DataFrame(self.corr, index=names, columns=names.rename("indicator"))

    @cached_property
    def reliability(self) -> pd.DataFrame:
        """Per construct: ``alpha`` (Cronbach), ``rho_a``, ``rho_c`` (composite reliability), ``ave``."""
        return pd.DataFrame(
            self._reliability,
            index=pd.Index(self.layout.constructs, name="construct"),
            columns=list(RELIABILITY_COLUMNS),
        )

    @cached_property
    def htmt(self) -> pd.DataFrame:
        """Heterotrait–monotrait ratios (symmetric, NaN diagonal); ``options.htmt`` absolute or signed."""
        corr, _ = self._stack
        return self._square(htmt(corr, self.layout, absolute=self.options.htmt == "absolute")[0])

    @cached_property
    def fornell_larcker(self) -> pd.DataFrame:
        """√AVE on the diagonal, construct-score correlations below it, NaN above."""
        return self._square(fornell_larcker(self._cc, self._reliability[:, 3]))

    @cached_property
    def vif_outer(self) -> pd.DataFrame:
        """Per indicator: ``construct`` and ``vif`` (on the other indicators of its block)."""
        corr, _ = self._stack
        return pd.DataFrame(
            {"construct": self.outer["construct"], "vif": outer_vif(corr, self.layout)[0]},
            index=self.outer.index,
        )

    # --- structural model -----------------------------------------------------------------------
    @cached_property
    def construct_correlations(self) -> pd.DataFrame:
        """Correlations of the construct scores."""
        return self._square(self._cc)

    @cached_property
    def path_matrix(self) -> pd.DataFrame:
        """Path coefficients as a matrix: rows = from, columns = to, 0 where there is no path."""
        return self._square(self._paths)

    @cached_property
    def paths(self) -> pd.DataFrame:
        """One row per path (model order): ``from``, ``to``, ``estimate``."""
        return self._pairs(self._paths, self._path_pairs, "estimate")

    @cached_property
    def r2(self) -> pd.DataFrame:
        """Per endogenous construct: ``r2`` and ``r2_adj = 1 − (1 − R²)(n − 1)/(n − k − 1)``
        (n = rows used, k = number of predictors)."""
        rows = [j for j, pred in enumerate(self.layout.predecessors) if pred.size]
        k = np.array([self.layout.predecessors[j].size for j in rows], dtype=float)
        r2 = self._r2[rows]
        n = float(self.n_used)
        with np.errstate(divide="ignore", invalid="ignore"):
            adj = 1.0 - (1.0 - r2) * (n - 1.0) / (n - k - 1.0)
        return pd.DataFrame(
            {"r2": r2, "r2_adj": adj},
            index=pd.Index([self.layout.constructs[j] for j in rows], name="construct"),
        )

    @cached_property
    def f2(self) -> pd.DataFrame:
        """One row per path: ``from``, ``to``, ``f2`` (convention ``options.f2``, see :mod:`ukur.pls.effects`)."""
        if self.options.f2 == "reestimate":
            corr, _ = self._stack
            values = f2_reestimate(
                corr,
                self.layout,
                self._r2[None],
                scheme=self.options.scheme,
                tol=self.options.tol,
                max_iter=self.options.max_iter,
                criterion=self.options.criterion,
            )[0]
        else:
            values = f2_same_scores(self._cc[None], self.layout)[0]
        return self._pairs(values, self._path_pairs, "f2")

    @cached_property
    def effects(self) -> pd.DataFrame:
        """Every pair linked by a directed chain: ``from``, ``to``, ``direct``, ``indirect``, ``total``."""
        total = alg.total_effects(self._paths[None])[0]
        pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(reachable(self.layout.adjacency)), strict=True)]
        table = self._pairs(self._paths, pairs, "direct")
        table["indirect"] = [total[i, j] - self._paths[i, j] for i, j in pairs]
        table["total"] = [total[i, j] for i, j in pairs]
        return table

    @cached_property
    def vif_inner(self) -> pd.DataFrame:
        """One row per path: ``from``, ``to``, ``vif`` of the predictor among the outcome's predictors."""
        return self._pairs(inner_vif(self._cc[None], self.layout)[0], self._path_pairs, "vif")

    # --- data -----------------------------------------------------------------------------------
    @cached_property
    def items(self) -> pd.DataFrame:
        """Item descriptives on the raw data (missing cells left out), see :mod:`ukur.pls.descriptives`."""
        return describe(self.prepared.raw, moments=self.options.moments)

    @cached_property
    def meta(self) -> dict[str, Any]:
        """Run information: sizes, iterations, convergence, settings, missing values, ukur version."""
        p = self.prepared
        return {
            "n": p.n,
            "n_used": p.n_used,
            "iterations": self.iterations,
            "converged": self.converged,
            "scheme": self.options.scheme,
            "version": self.version,
            "missing": self.options.missing,
            "values_missing": p.values_missing,
            "rows_missing": p.rows_missing,
            "values_replaced": p.values_replaced,
            "rows_dropped": p.rows_dropped,
            "max_iter": self.options.max_iter,
            "tol": self.options.tol,
            "criterion": self.options.criterion,
            "f2": self.options.f2,
            "htmt": self.options.htmt,
            "moments": self.options.moments,
            "warnings": list(self.warnings),
        }

    # --- JSON -----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON document of issue 2: tidy lists of records, plain floats, NaN as ``None``."""
        c = self.layout.constructs
        upper = [(i, j) for i in range(len(c)) for j in range(i + 1, len(c))]
        lower = [(i, j) for i in range(len(c)) for j in range(i + 1)]
        ht = self.htmt.to_numpy()
        fl = self.fornell_larcker.to_numpy()
        doc: dict[str, Any] = {
            "meta": self.meta,
            "constructs": [
                {"name": k.name, "mode": str(k.mode), "indicators": list(k.indicators)}
                for k in self.model.constructs
            ],
            "paths": _records(self.paths),
            "outer": _records(self.outer.reset_index()[["construct", "indicator", "weight", "loading"]]),
            "cross_loadings": [
                {"indicator": item, "construct": c[k], "value": _plain(self._cross[p, k])}
                for p, item in enumerate(self.layout.indicators)
                for k in range(len(c))
            ],
            "r2": _records(self.r2.reset_index()),
            "f2": _records(self.f2),
            "effects": _records(self.effects),
            "reliability": _records(self.reliability.reset_index()),
            "htmt": [{"a": c[i], "b": c[j], "value": _plain(ht[i, j])} for i, j in upper],
            "fornell_larcker": [{"a": c[i], "b": c[j], "value": _plain(fl[i, j])} for i, j in lower],
            "vif_outer": _records(self.vif_outer.reset_index()[["construct", "indicator", "vif"]]),
            "vif_inner": _records(self.vif_inner),
            "items": _records(self.items.reset_index()),
        }
        return doc


def _plain(value: Any) -> Any:
    """numpy scalars → Python; NaN/inf → None (JSON null)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [str(col) for col in frame.columns]
    return [
        {col: _plain(v) for col, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
