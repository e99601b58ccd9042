"""Item descriptives: count of missing values, mean, median, min, max, SD, excess kurtosis, skewness.

Computed per indicator on the **raw data before missing-value treatment, with missing cells left out**
(as seminr R/report_descriptives.R does; the item correlations, by contrast, use the treated data).

* ``sd``: sample standard deviation, divisor n − 1.
* ``moments="population"`` (default): skewness ``g1 = m3 / m2^(3/2)`` and excess kurtosis
  ``g2 = m4 / m2² − 3`` from the population central moments ``m_r = Σ(x − x̄)^r / n`` (seminr's
  ``skew`` and its ``kurt`` minus 3; SciPy's ``skew``/``kurtosis`` defaults).
* ``moments="adjusted"``: the bias-adjusted ``G1 = g1 √(n(n−1)) / (n−2)`` and
  ``G2 = (n−1)((n+1) g2 + 6) / ((n−2)(n−3))`` of Excel, SPSS and SAS (Joanes & Gill 1998).

Both report *excess* kurtosis (0 for a normal distribution); seminr's "Kurtosis" column is ``g2 + 3``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ITEM_COLUMNS", "MOMENTS", "describe"]

MOMENTS = ("population", "adjusted")
ITEM_COLUMNS = ("mean", "median", "min", "max", "sd", "kurtosis", "skewness", "missing")


def describe(raw: pd.DataFrame, *, moments: str = "population") -> pd.DataFrame:
    """One row per column of ``raw`` (NaN = missing) with the columns of :data:`ITEM_COLUMNS`."""
    if moments not in MOMENTS:
        raise ValueError(f"moments must be one of {MOMENTS}, not {moments!r}")
    x = raw.to_numpy(dtype=float)
    present = ~np.isnan(x)
    n = present.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(x, axis=0) / n
        d = np.where(present, x - mean, 0.0)
        m2 = (d**2).sum(axis=0) / n
        m3 = (d**3).sum(axis=0) / n
        m4 = (d**4).sum(axis=0) / n
        skew = m3 / m2**1.5
        kurt = m4 / m2**2 - 3.0
        if moments == "adjusted":
            skew = skew * np.sqrt(n * (n - 1)) / (n - 2)
            kurt = (n - 1) * ((n + 1) * kurt + 6) / ((n - 2) * (n - 3))
        sd = np.sqrt((d**2).sum(axis=0) / (n - 1))
    table = pd.DataFrame(
        {
            "mean": mean,
            "median": np.nanmedian(x, axis=0) if x.size else mean,
            "min": np.nanmin(x, axis=0),
            "max": np.nanmax(x, axis=0),
            "sd": sd,
            "kurtosis": kurt,
            "skewness": skew,
            "missing": (~present).sum(axis=0),
        },
        index=pd.Index(raw.columns, name="indicator"),
    )
    return table
