"""Options and the immutable result of a PLS bootstrap.

Every table of :class:`BootstrapResult` has the statistic columns

``original``  the estimate on the full sample (SmartPLS "Original Sample (O)");
``mean``      the mean of the bootstrap draws ("Sample Mean (M)");
``std``       their standard deviation ("Standard Deviation (STDEV)");
``t``         ``|O| / STDEV`` ("T Statistics (|O/STDEV|)");
``p``         the p value of the test of zero;
``ci_low``, ``ci_high``  the confidence interval;
``bias``      ``M − O``.

:meth:`BootstrapResult.to_dict` is the ``"bootstrap"`` object of the estimate JSON (issue #3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import EstimationError
from ukur.pls.inference import Summary
from ukur.pls.model import Model
from ukur.pls.replicate import GROUPS, Plan

__all__ = ["CI_METHODS", "SIGN_CHANGES", "STATS", "BootstrapOptions", "BootstrapResult", "build_result"]

STATS = ("original", "mean", "std", "t", "p", "ci_low", "ci_high", "bias")
"""Statistic columns of every bootstrap table."""

CI_METHODS = ("percentile", "bca")
SD_CONVENTIONS = ("n-1", "n")
T_STATISTICS = ("original", "mean")
P_VALUES = ("t", "normal", "percentile")
SIGN_CHANGES = ("none", "construct")

_INDEX = {
    "paths": ["from", "to"],
    "loadings": ["construct", "indicator"],
    "weights": ["construct", "indicator"],
    "total_effects": ["from", "to"],
    "total_indirect": ["from", "to"],
    "r2": ["construct"],
    "f2": ["from", "to"],
    "htmt": ["from", "to"],
}


@dataclass(frozen=True)
class BootstrapOptions:
    """Settings of a bootstrap run (defaults: what SmartPLS 4 reports).

    samples : number of resamples.  seed : the seed asked for (None: fresh entropy).
    ci : ``"percentile"`` or ``"bca"``.  alpha : significance level.  tails : 2 or 1.
    sd : divisor of the bootstrap SD, ``"n-1"`` (SmartPLS, seminr) or ``"n"``.
    t_statistic : ``"original"`` (``|O|/SD``, SmartPLS) or ``"mean"`` (``|M|/SD``, seminr's quality tables).
    p_value : ``"t"`` (Student t with B−1 df), ``"normal"`` or ``"percentile"`` (share of draws beyond 0).
    sign_change : ``"none"`` (SmartPLS 4, seminr) or ``"construct"`` (construct-level sign changes,
        Tenenhaus et al. 2005; an option of SmartPLS 3).

    Invalid values raise :class:`~ukur.errors.EstimationError` naming the field.
    """

    samples: int = 5000
    seed: Any = None
    ci: str = "percentile"
    alpha: float = 0.05
    tails: int = 2
    sd: str = "n-1"
    t_statistic: str = "original"
    p_value: str = "t"
    sign_change: str = "none"

    def __post_init__(self) -> None:
        if (
            isinstance(self.samples, bool)
            or not isinstance(self.samples, (int, np.integer))
            or self.samples < 2
        ):
            raise EstimationError(
                f"samples must be an integer of at least 2, not {self.samples!r}", field="samples"
            )
        for name, allowed in (
            ("ci", CI_METHODS),
            ("sd", SD_CONVENTIONS),
            ("t_statistic", T_STATISTICS),
            ("p_value", P_VALUES),
            ("sign_change", SIGN_CHANGES),
        ):
            if getattr(self, name) not in allowed:
                raise EstimationError(
                    f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}", field=name
                )
        if not 0.0 < float(self.alpha) < 0.5:
            raise EstimationError(f"alpha must be between 0 and 0.5, not {self.alpha!r}", field="alpha")
        if self.tails not in (1, 2):
            raise EstimationError(f"tails must be 1 or 2, not {self.tails!r}", field="tails")


@dataclass(frozen=True)
class BootstrapResult:
    """The bootstrap distribution of every PLS statistic and its summary tables.

    Tables (each with the :data:`STATS` columns):

    paths : index (from, to).  loadings, weights : index (construct, indicator).
    total_effects, total_indirect : index (from, to).
    indirect : specific indirect effects, index ``effect`` (``"A -> M -> B"``), column ``chain`` (tuple).
    r2 : index construct.  f2 : index (from, to).  htmt : index (from, to), upper-triangle pairs.

    ``draws`` holds the usable bootstrap draws (rows = resamples in draw order, columns = ``group:label``
    keys, e.g. ``"paths:Image -> Satisfaction"``); ``jackknife`` the leave-one-out values when BCa was
    asked for.  ``seed`` is the integer seed used, so ``bootstrap(..., seed=result.seed)`` repeats a run.
    """

    model: Model
    options: BootstrapOptions
    seed: int
    failed: int
    paths: pd.DataFrame
    loadings: pd.DataFrame
    weights: pd.DataFrame
    total_effects: pd.DataFrame
    indirect: pd.DataFrame
    total_indirect: pd.DataFrame
    r2: pd.DataFrame
    f2: pd.DataFrame
    htmt: pd.DataFrame
    draws: pd.DataFrame
    original: pd.Series
    jackknife: pd.DataFrame | None = None

    @property
    def samples(self) -> int:
        """Number of resamples drawn (usable ones: ``samples − failed``)."""
        return self.options.samples

    def to_dict(self) -> dict[str, Any]:
        """The ``"bootstrap"`` JSON object (issue #3); non-finite numbers become ``null``."""
        o = self.options

        def rows(frame: pd.DataFrame, keys: list[str]) -> list[dict[str, Any]]:
            out = []
            for idx, row in frame.iterrows():
                names = idx if isinstance(idx, tuple) else (idx,)
                entry: dict[str, Any] = dict(zip(keys, names, strict=True))
                entry.update(_stats(row))
                out.append(entry)
            return out

        outer = []
        for key, row in self.loadings.iterrows():
            construct, indicator = key if isinstance(key, tuple) else (key, key)
            outer.append(
                {
                    "construct": construct,
                    "indicator": indicator,
                    "loading": _stats(row),
                    "weight": _stats(self.weights.loc[(construct, indicator)]),
                }
            )
        indirect = [{"path": list(row["chain"]), **_stats(row)} for _, row in self.indirect.iterrows()]
        return {
            "samples": int(o.samples),
            "seed": int(self.seed),
            "failed": int(self.failed),
            "ci": o.ci,
            "alpha": float(o.alpha),
            "tails": int(o.tails),
            "sd": o.sd,
            "t_statistic": o.t_statistic,
            "p_value": o.p_value,
            "sign_change": o.sign_change,
            "paths": rows(self.paths, ["from", "to"]),
            "indirect": indirect,
            "total_indirect": rows(self.total_indirect, ["from", "to"]),
            "total_effects": rows(self.total_effects, ["from", "to"]),
            "outer": outer,
            "r2": rows(self.r2, ["construct"]),
            "f2": rows(self.f2, ["from", "to"]),
            "htmt": rows(self.htmt, ["from", "to"]),
        }


def _number(value: Any) -> float | None:
    x = float(value)
    return x if math.isfinite(x) else None


def _stats(row: pd.Series) -> dict[str, float | None]:
    return {name: _number(row[name]) for name in STATS}


def column_keys(plan: Plan) -> list[str]:
    """``group:label`` keys of the statistic columns, in :func:`~ukur.pls.replicate.replicate` order."""
    keys = []
    for group in GROUPS:
        for label in plan.labels[group]:
            if group in ("loadings", "weights"):
                keys.append(f"{group}:{label[1]} -> {label[0]}")
            else:
                keys.append(f"{group}:{' -> '.join(label)}")
    return keys


def build_result(
    plan: Plan,
    options: BootstrapOptions,
    *,
    seed: int,
    failed: int,
    summary: Summary,
    draws: np.ndarray,
    original: np.ndarray,
    jackknife: np.ndarray | None,
) -> BootstrapResult:
    """Assemble the tables of a :class:`BootstrapResult` from the column-wise summary."""
    stats = pd.DataFrame({name: getattr(summary, name) for name in STATS})
    tables: dict[str, pd.DataFrame] = {}
    for group in GROUPS:
        part = stats.iloc[plan.slices[group]].reset_index(drop=True)
        labels = plan.labels[group]
        if group == "indirect":
            index = pd.Index([" -> ".join(c) for c in labels], name="effect")
            part.index = index
            part.insert(0, "chain", pd.Series(list(labels), index=index, dtype=object))
        else:
            names = _INDEX[group]
            if len(names) == 1:
                part.index = pd.Index([lab[0] for lab in labels], name=names[0])
            elif labels:
                part.index = pd.MultiIndex.from_tuples(list(labels), names=names)
            else:
                part.index = pd.MultiIndex.from_arrays([[] for _ in names], names=names)
        tables[group] = part
    keys = column_keys(plan)
    return BootstrapResult(
        model=plan.model,
        options=options,
        seed=seed,
        failed=failed,
        draws=pd.DataFrame(draws, columns=keys),
        original=pd.Series(original, index=keys),
        jackknife=None if jackknife is None else pd.DataFrame(jackknife, columns=keys),
        **tables,
    )
