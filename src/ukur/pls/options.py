"""Estimation options: one frozen value object, validated in one place.

Every option where PLS tools disagree defaults to SmartPLS 3/4 where SmartPLS documents its choice, and
to seminr otherwise; ``docs/pls-conventions.md`` tabulates them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ukur.errors import EstimationError
from ukur.pls.algorithm import CRITERIA, SCHEMES
from ukur.pls.data import MISSING
from ukur.pls.descriptives import MOMENTS
from ukur.pls.effects import F2
from ukur.pls.validity import HTMT

__all__ = ["EstimateOptions"]


@dataclass(frozen=True, slots=True)
class EstimateOptions:
    """Settings of one PLS estimation.

    scheme : inner weighting scheme ``path`` (default), ``factorial`` or ``centroid``.
    missing : ``mean`` replacement (default) or ``casewise`` deletion.
    na_values : cell values that mark a missing answer (besides empty cells), e.g. ``(-99,)``.
    max_iter : maximum number of outer-weight updates (300).
    tol : stop criterion (1e-7), applied to the change measure ``criterion``.
    criterion : ``sum_abs`` Σ|Δw| (default, SmartPLS/seminr), ``max_abs`` or ``sum_squared``.
    f2 : ``smartpls`` (same scores, default) or ``reestimate`` (seminr).
    htmt : ``absolute`` item correlations (default, seminr) or ``signed``.
    moments : skewness/excess kurtosis of the items, ``population`` (default) or ``adjusted``.
    ddof : divisor ``n − ddof`` of the standard deviation used to standardize the construct scores (1).
    """

    scheme: str = "path"
    missing: str = "mean"
    na_values: tuple[object, ...] = ()
    max_iter: int = 300
    tol: float = 1e-7
    criterion: str = "sum_abs"
    f2: str = "smartpls"
    htmt: str = "absolute"
    moments: str = "population"
    ddof: int = 1

    def validate(self) -> EstimateOptions:
        """Raise :class:`EstimationError` naming the field and the allowed values; return ``self``."""
        choices = {
            "scheme": SCHEMES,
            "missing": MISSING,
            "criterion": CRITERIA,
            "f2": F2,
            "htmt": HTMT,
            "moments": MOMENTS,
        }
        for name, allowed in choices.items():
            value = getattr(self, name)
            if value not in allowed:
                raise EstimationError(
                    f"{name} must be one of {', '.join(allowed)}, not '{value}'", field=name
                )
        if isinstance(self.max_iter, bool) or not isinstance(self.max_iter, int) or self.max_iter < 1:
            raise EstimationError(
                f"max_iter must be a positive integer, not {self.max_iter!r}", field="max_iter"
            )
        if not isinstance(self.tol, (int, float)) or not math.isfinite(self.tol) or self.tol <= 0:
            raise EstimationError(f"tol must be a positive number, not {self.tol!r}", field="tol")
        if self.ddof not in (0, 1):
            raise EstimationError(f"ddof must be 0 or 1, not {self.ddof!r}", field="ddof")
        return self
