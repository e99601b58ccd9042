"""Satisfaction of records that met their SLA against records that breached it.

Feedback linked to a record (``agreement``, ``record_id``) is joined to the record's outcome (see
:func:`ukur.success.experience.record_outcomes`); records whose outcome is neither ``met`` nor
``breached`` are left out.  For each answer (``csat``, ``effort``, ``nps`` and any item column) the two
groups' means are compared by the difference ``d = mean(met) − mean(breached)`` with two intervals:

* Welch's t interval: ``d ± t(1 − α/2; ν) · √(s₁²/n₁ + s₂²/n₂)`` with the Welch–Satterthwaite degrees
  of freedom ``ν = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1))`` (Welch 1947,
  Biometrika 34, 28–35);
* a bootstrap percentile interval: each group is resampled with replacement on its own ``samples``
  times, ``d*`` is computed for each pair of resamples and the ``α/2`` and ``1 − α/2`` quantiles of the
  ``d*`` are the interval (Efron & Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13).

The Net Promoter Score of each group is reported beside (:func:`ukur.success.feedback.nps_score`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ukur.errors import DataError
from ukur.sla.compliance import frame_records
from ukur.success.feedback import ANSWERS, nps_score

__all__ = ["GROUPS", "SplitResult", "bootstrap_difference", "satisfaction_split", "welch_interval"]

GROUPS = ("met", "breached")
_BLOCK_CELLS = 4_000_000
"""Resampled values held in memory at once (the resamples are drawn in blocks of about this size)."""


@dataclass(frozen=True)
class SplitResult:
    """Met-versus-breached comparison.

    ``groups``: one row per answer and group — ``answer, group, n, mean, sd``.
    ``difference``: one row per answer and method (``welch``, ``bootstrap``) — ``answer, method,
    estimate, ci_low, ci_high, df`` (``df`` only for Welch).
    ``nps``: one row per group — ``group, n, promoters, passives, detractors, score``.
    ``confidence``, ``samples`` and ``seed`` repeat the run.
    """

    groups: pd.DataFrame
    difference: pd.DataFrame
    nps: pd.DataFrame
    confidence: float
    samples: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """The ``split`` object of ``ukur sla success --format json``."""
        return {
            "confidence": self.confidence,
            "samples": self.samples,
            "seed": self.seed,
            "groups": frame_records(self.groups),
            "difference": frame_records(self.difference),
            "nps": frame_records(self.nps),
        }


def welch_interval(
    a: np.ndarray, b: np.ndarray, confidence: float = 0.95
) -> tuple[float, float, float, float]:
    """``(d, low, high, ν)`` of Welch's interval for ``mean(a) − mean(b)``; NaN when a group has < 2 values."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = float(a.mean() - b.mean()) if a.size and b.size else float("nan")
    if a.size < 2 or b.size < 2:
        return d, float("nan"), float("nan"), float("nan")
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se2 = va + vb
    if se2 == 0:
        return d, d, d, float("inf")
    df = se2**2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * np.sqrt(se2)
    return d, d - half, d + half, float(df)


def _resampled_means(x: np.ndarray, samples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``samples`` resamples of ``x`` with replacement, drawn in blocks (no loop per resample)."""
    block = max(1, _BLOCK_CELLS // max(x.size, 1))
    out = np.empty(samples)
    for lo in range(0, samples, block):
        hi = min(samples, lo + block)
        out[lo:hi] = x[rng.integers(0, x.size, size=(hi - lo, x.size))].mean(axis=1)
    return out


def bootstrap_difference(
    a: np.ndarray, b: np.ndarray, *, samples: int, rng: np.random.Generator, confidence: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of ``mean(a) − mean(b)`` from ``samples`` independent resamples of each group."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size == 0 or b.size == 0:
        return float("nan"), float("nan")
    diffs = _resampled_means(a, samples, rng) - _resampled_means(b, samples, rng)
    low, high = np.quantile(diffs, [0.5 - confidence / 2, 0.5 + confidence / 2])
    return float(low), float(high)


def satisfaction_split(
    outcomes: pd.DataFrame,
    feedback: pd.DataFrame,
    *,
    answers: Sequence[str] | None = None,
    confidence: float = 0.95,
    samples: int = 2000,
    seed: int = 0,
) -> SplitResult:
    """Compare answers of feedback on met records with those on breached records.

    ``outcomes``: ``agreement, record_id, outcome`` (:func:`~ukur.success.experience.record_outcomes`);
    ``feedback``: a validated feedback frame (:func:`~ukur.success.feedback.validate_feedback`); rows
    without ``record_id`` are not part of the split.  ``answers`` defaults to the built-in answers present.
    """
    if not 0 < confidence < 1:
        raise DataError(f"confidence must be between 0 and 1, not {confidence!r}", field="confidence")
    if samples < 2:
        raise DataError(f"samples must be at least 2, not {samples!r}", field="samples")
    names = list(answers) if answers is not None else [a for a in ANSWERS if a in feedback.columns]
    linked = feedback[feedback["record_id"].notna()]
    joined = linked.merge(
        outcomes[["agreement", "record_id", "outcome"]].astype({"record_id": str}),
        on=["agreement", "record_id"],
        how="inner",
    )
    joined = joined[joined["outcome"].isin(GROUPS)]
    rng = np.random.default_rng(seed)
    group_rows, diff_rows = [], []
    for name in names:
        values = {g: joined.loc[joined["outcome"] == g, name].to_numpy(dtype=float) for g in GROUPS}
        values = {g: v[np.isfinite(v)] for g, v in values.items()}
        for g in GROUPS:
            v = values[g]
            group_rows.append(
                {
                    "answer": name,
                    "group": g,
                    "n": int(v.size),
                    "mean": float(v.mean()) if v.size else np.nan,
                    "sd": float(v.std(ddof=1)) if v.size > 1 else np.nan,
                }
            )
        d, lo, hi, df = welch_interval(values["met"], values["breached"], confidence)
        diff_rows.append(
            {"answer": name, "method": "welch", "estimate": d, "ci_low": lo, "ci_high": hi, "df": df}
        )
        blo, bhi = bootstrap_difference(
            values["met"], values["breached"], samples=samples, rng=rng, confidence=confidence
        )
        diff_rows.append(
            {
                "answer": name,
                "method": "bootstrap",
                "estimate": d,
                "ci_low": blo,
                "ci_high": bhi,
                "df": np.nan,
            }
        )
    nps_rows = []
    if "nps" in joined.columns:
        for g in GROUPS:
            v = joined.loc[joined["outcome"] == g, "nps"].to_numpy(dtype=float)
            v = v[np.isfinite(v)]
            nps_rows.append(
                {
                    "group": g,
                    "n": int(v.size),
                    "promoters": int((v >= 9).sum()),
                    "passives": int(((v >= 7) & (v <= 8)).sum()),
                    "detractors": int((v <= 6).sum()),
                    "score": nps_score(v),
                }
            )
    return SplitResult(
        groups=pd.DataFrame(group_rows, columns=["answer", "group", "n", "mean", "sd"]),
        difference=pd.DataFrame(
            diff_rows, columns=["answer", "method", "estimate", "ci_low", "ci_high", "df"]
        ),
        nps=pd.DataFrame(nps_rows, columns=["group", "n", "promoters", "passives", "detractors", "score"]),
        confidence=float(confidence),
        samples=int(samples),
        seed=int(seed),
    )
