"""Minimum sample size for a PLS-SEM study: inverse square root and gamma-exponential methods.

Kock, N. & Hadaya, P. (2018). Minimum sample size estimation in PLS-SEM: the inverse square root and
gamma-exponential methods. *Information Systems Journal* 28(1), 227–261.

Power is the probability that ``|β| / S`` exceeds the critical ratio of the test, so with a normal
sampling distribution a path ``|β|_min`` reaches power ``W`` at significance ``α`` when

    |β|_min / S > z(1 − α) + z(W)                                                        (eq. 3)

(one-tailed test, as in the paper; ``z(1 − α/2)`` for a two-tailed one). The methods differ in ``S``:

* **inverse square root**: ``S = 1/√N``, so ``N > ((z(1−α) + z(W)) / |β|_min)²`` (eq. 5); the minimum is
  the smallest integer above the right-hand side. With α = .05 and W = .8 the numerator is 2.486.
* **gamma-exponential**: the exponential smoothing correction of Kock (2014),
  ``S = e^(−e·|β|/√N) / √N``, i.e. the smallest N with ``|β|√N · exp(e·|β|/√N) > z(1−α) + z(W)``
  (eq. 7), for N > 10; for 1 < N ≤ 10 the Gurland & Tripathi (1971) gamma correction
  ``S = 1 / (c₄(N) √N)``, ``c₄(N) = √(2/(N−1)) Γ(N/2) / Γ((N−1)/2)``, i.e. ``|β|√N c₄(N) > z(1−α) + z(W)``.
  The minimum is the smallest N meeting the condition of its range. Two details follow the authors'
  Visual Basic code (Appendix B, Exhibit B.1) rather than the printed eq. 6, whose c is the reciprocal
  of c₄ and would shrink small-sample standard errors, contrary to the text around it. One departs from
  that code: it counts eq. 7 from N = 1 and switches to the gamma correction only when it stops at 10 or
  less, but eq. 7's left side falls for N < (e|β|)², so for |β| above about .6 it stops at N = 1 and the
  result jumps; using each correction in the range the paper gives it (gamma N ≤ 10, exponential N > 10)
  keeps the minimum falling as |β| grows. Every number printed in the paper is the same either way.

The **10-times rule** (Barclay et al. 1995; Hair et al. 2011) asks for 10 × the largest number of arrows
pointing at one construct (structural paths, or indicators of a Mode B construct). It ignores effect size,
significance and power: Kock & Hadaya's Monte Carlo experiments found it gave 20 where 265 and 599
respondents were needed (their Tables 4 and 5). It is reported for comparison only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special, stats

from ukur.errors import SpecError

__all__ = [
    "SampleSizePlan",
    "critical_sum",
    "gamma_exponential",
    "inverse_square_root",
    "plan_sample_size",
    "ten_times_rule",
]

TEN_TIMES_NOTE = (
    "The 10-times rule depends only on the number of arrows pointing at a construct, not on the size of the "
    "effects, the significance level or the power, and Kock & Hadaya (2018) found it far too small for "
    "paths below about .3 (20 respondents where 265 and 599 were needed)."
)
_SEARCH_LIMIT = 10_000_000


def critical_sum(alpha: float = 0.05, power: float = 0.8, *, two_tailed: bool = False) -> float:
    """``z(1 − α) + z(W)`` (or ``z(1 − α/2) + z(W)`` two-tailed): 2.486 for α = .05, W = .8 one-tailed."""
    _check_probability("alpha", alpha, upper=0.5)
    _check_probability("power", power, lower=0.5)
    tail = alpha / 2 if two_tailed else alpha
    return float(stats.norm.ppf(1 - tail) + stats.norm.ppf(power))


def inverse_square_root(
    min_path: float, alpha: float = 0.05, power: float = 0.8, *, two_tailed: bool = False
) -> int:
    """Smallest N with ``N > (critical_sum / |β|_min)²`` (Kock & Hadaya 2018, eq. 5)."""
    beta = _check_path(min_path)
    bound = (critical_sum(alpha, power, two_tailed=two_tailed) / beta) ** 2
    return math.floor(bound) + 1


def gamma_exponential(
    min_path: float, alpha: float = 0.05, power: float = 0.8, *, two_tailed: bool = False
) -> int:
    """Smallest N by the gamma correction for N ≤ 10, else by the exponential smoothing correction.

    Both conditions increase with N in their ranges, so each is evaluated on a vector of candidate sizes
    and the first size that meets it is taken.
    """
    beta = _check_path(min_path)
    target = critical_sum(alpha, power, two_tailed=two_tailed)
    small = np.arange(2, 11, dtype=np.float64)
    c4 = np.sqrt(2.0 / (small - 1)) * np.exp(special.gammaln(small / 2) - special.gammaln((small - 1) / 2))
    corrected = beta * np.sqrt(small) * c4 > target
    if bool(corrected.any()):
        return int(small[np.argmax(corrected)])
    upper = max(inverse_square_root(beta, alpha, power, two_tailed=two_tailed), 11)
    n = np.arange(11, min(upper, _SEARCH_LIMIT) + 1, dtype=np.float64)
    root = np.sqrt(n)
    smoothed = beta * root * np.exp(math.e * beta / root) > target
    return int(n[np.argmax(smoothed)]) if bool(smoothed.any()) else upper


def ten_times_rule(max_arrows: int) -> int:
    """10 × the largest number of arrows (paths or formative indicators) pointing at one construct."""
    if isinstance(max_arrows, bool) or not isinstance(max_arrows, int) or max_arrows < 1:
        raise SpecError(
            "the number of arrows pointing at a construct must be a whole number ≥ 1", field="max_arrows"
        )
    return 10 * max_arrows


@dataclass(frozen=True, slots=True)
class SampleSizePlan:
    """Minimum sample sizes for one smallest path, significance level and power."""

    min_path: float
    alpha: float
    power: float
    two_tailed: bool
    critical: float
    inverse_square_root: int
    gamma_exponential: int
    max_arrows: int | None
    ten_times: int | None

    @property
    def recommended(self) -> int:
        """The inverse square root figure: Kock & Hadaya recommend it as slightly conservative and simple."""
        return self.inverse_square_root

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_path": self.min_path,
            "alpha": self.alpha,
            "power": self.power,
            "tails": 2 if self.two_tailed else 1,
            "critical_sum": self.critical,
            "methods": [
                {"method": "inverse_square_root", "minimum_n": self.inverse_square_root},
                {"method": "gamma_exponential", "minimum_n": self.gamma_exponential},
                {"method": "ten_times_rule", "minimum_n": self.ten_times, "max_arrows": self.max_arrows},
            ],
            "recommended": self.recommended,
            "reference": "Kock, N. & Hadaya, P. (2018), Information Systems Journal 28(1), 227-261",
            "ten_times_note": TEN_TIMES_NOTE,
        }


def plan_sample_size(
    min_path: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    two_tailed: bool = False,
    max_arrows: int | None = None,
) -> SampleSizePlan:
    """All three figures for a study whose smallest path of interest is ``min_path``."""
    return SampleSizePlan(
        min_path=_check_path(min_path),
        alpha=alpha,
        power=power,
        two_tailed=two_tailed,
        critical=critical_sum(alpha, power, two_tailed=two_tailed),
        inverse_square_root=inverse_square_root(min_path, alpha, power, two_tailed=two_tailed),
        gamma_exponential=gamma_exponential(min_path, alpha, power, two_tailed=two_tailed),
        max_arrows=max_arrows,
        ten_times=None if max_arrows is None else ten_times_rule(max_arrows),
    )


def _check_path(value: float) -> float:
    beta = abs(float(value))
    if not math.isfinite(beta) or beta < 0.01 or beta >= 1:
        raise SpecError(
            f"the smallest path coefficient must be between 0.01 and 1 in absolute value (got {value})",
            field="min_path",
        )
    return beta


def _check_probability(name: str, value: float, *, lower: float = 0.0, upper: float = 1.0) -> None:
    if not math.isfinite(value) or not lower < value < upper:
        raise SpecError(
            f"{name} must be between {lower:g} and {upper:g} (exclusive), got {value:g}", field=name
        )
