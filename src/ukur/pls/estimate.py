"""``estimate(model, data)``: the PLS-SEM algorithm on a data frame, returning a :class:`PLSResult`.

The stages (Hair et al. 2022, *A Primer on PLS-SEM*, 3rd ed., ch. 3 and Appendix A):
data preparation (:mod:`ukur.pls.data`) → indicator correlations → the iterative weight estimation
(:func:`ukur.pls.algorithm.fit_weights`) → a :class:`~ukur.pls.result.PLSResult` that derives loadings,
paths, R², f², effects and the quality criteria on first use.  Only the weights are iterated, so one
estimation of the ECSI model takes about a millisecond.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ukur import __version__
from ukur.errors import ConvergenceWarning, EstimationError
from ukur.pls.algorithm import RCOND, Layout, fit_weights
from ukur.pls.data import prepare
from ukur.pls.model import Model
from ukur.pls.options import EstimateOptions
from ukur.pls.result import PLSResult

__all__ = ["estimate"]


def estimate(
    model: Model,
    data: pd.DataFrame,
    *,
    scheme: str = "path",
    missing: str = "mean",
    na_values: Iterable[object] = (),
    max_iter: int = 300,
    tol: float = 1e-7,
    criterion: str = "sum_abs",
    f2: str = "smartpls",
    htmt: str = "absolute",
    moments: str = "population",
    ddof: int = 1,
    source: str | None = None,
) -> PLSResult:
    """Estimate ``model`` on ``data`` (a DataFrame; columns the model does not use are ignored).

    See :class:`~ukur.pls.options.EstimateOptions` for the options and ``docs/pls-conventions.md`` for
    how they relate to SmartPLS and seminr.  ``source`` names the data file in error messages.

    Raises :class:`~ukur.errors.DataError` for unusable data (unknown, non-numeric or constant
    indicator columns), :class:`~ukur.errors.EstimationError` for invalid options or a singular
    problem.  Emits :class:`~ukur.errors.ConvergenceWarning` (also kept in ``result.warnings``) when
    the stop criterion is not met within ``max_iter`` iterations.
    """
    options = EstimateOptions(
        scheme=scheme,
        missing=missing,
        na_values=tuple(na_values),
        max_iter=max_iter,
        tol=tol,
        criterion=criterion,
        f2=f2,
        htmt=htmt,
        moments=moments,
        ddof=ddof,
    ).validate()
    prepared = prepare(model, data, missing=options.missing, na_values=options.na_values, source=source)
    corr = prepared.correlation()
    layout = Layout.from_model(model)
    weights, iterations, converged = fit_weights(
        corr[None],
        layout,
        scheme=options.scheme,
        tol=options.tol,
        max_iter=options.max_iter,
        criterion=options.criterion,
    )
    if not np.all(np.isfinite(weights)):
        raise EstimationError(_singular_message(corr, layout))
    messages: list[str] = []
    if not converged[0]:
        message = (
            f"the PLS algorithm did not converge in {options.max_iter} iterations "
            f"(stop criterion {options.tol:g}); the results may be unreliable"
        )
        warnings.warn(message, ConvergenceWarning, stacklevel=2)
        messages.append(message)
    corr.setflags(write=False)
    w = weights[0]
    w.setflags(write=False)
    return PLSResult(
        model=model,
        options=options,
        layout=layout,
        prepared=prepared,
        corr=corr,
        weights=w,
        iterations=int(iterations[0]),
        converged=bool(converged[0]),
        warnings=tuple(messages),
        version=__version__,
    )


def _singular_message(corr: np.ndarray, layout: Layout) -> str:
    """Name the Mode B block whose indicators are collinear, or say the construct scores are."""
    for k in np.flatnonzero(layout.mode_b):
        idx = layout.blocks[k]
        s = np.linalg.svd(corr[np.ix_(idx, idx)], compute_uv=False)
        if s[-1] < RCOND * s[0]:
            return (
                f"the indicators of formative construct '{layout.constructs[k]}' are perfectly collinear, "
                "so its Mode B weights cannot be estimated; remove the redundant indicator(s)"
            )
    return "the construct scores are perfectly collinear, so the inner regressions cannot be estimated"
