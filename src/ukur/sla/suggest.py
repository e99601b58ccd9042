"""Realistic SLA targets from historical data: the target the history would have met at the goal.

"Set realistic targets from historical data" (the SLA article in the shared notes, FAQ 3): given the elapsed
times of past records (business seconds on the agreement's calendar, or wall seconds on ``24x7``) and a goal
such as 95 %, the smallest target ``t`` with ``share(elapsed ≤ t) ≥ goal`` is the empirical quantile of the
*inverted CDF* kind (Hyndman & Fan 1996, definition 1): with the elapsed times sorted,
``x_(1) ≤ … ≤ x_(n)``, it is ``x_(k)`` with ``k = ⌈goal · n⌉``.  A record is met when its elapsed time is at
most the target, which is how the evaluation counts it (a stop exactly at the deadline is on time).

Uncertainty: a nonparametric bootstrap percentile interval for that quantile.  Resampling ``n`` records with
replacement and taking the k-th smallest is the same, in distribution, as taking ``x_(J)`` with
``J = ⌈n · U_(k)⌉``, where ``U_(k)`` is the k-th order statistic of ``n`` uniform draws, which follows
``Beta(k, n − k + 1)`` (David & Nagaraja, *Order Statistics*, 3rd ed., 2003, §2.2: resampled indices are
``⌈n·U_i⌉`` and ``⌈n·u⌉`` is monotone).  So each bootstrap replicate costs one Beta draw: exact bootstrap
replicates for a million records at the cost of ``samples`` random numbers, with no loop over resamples.

The estimate is then rounded *up* to a target people write (15m, 30m, 1h, 2h, 4h, 8h, 1d, …): ``suggested``
from the point estimate and ``safe`` from the interval's upper bound, with the historical compliance of each,
and a table of compliance under candidate targets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.sla.duration import parse_duration, parse_percent

__all__ = ["BUSINESS_LADDER", "WALL_LADDER", "TargetSuggestion", "format_seconds", "suggest_target"]

WALL_LADDER = (
    "1m", "2m", "5m", "10m", "15m", "20m", "30m", "45m", "1h", "1h30m", "2h", "3h", "4h", "6h", "8h", "12h",
    "1d", "2d", "3d", "4d", "5d", "7d", "10d", "14d", "21d", "30d", "45d", "60d", "90d",
)  # fmt: skip
"""Human targets for wall time (``24x7``: a day is 24 hours)."""
BUSINESS_LADDER = (
    "1m", "2m", "5m", "10m", "15m", "20m", "30m", "45m", "1h", "1h30m", "2h", "3h", "4h", "6h", "8h", "12h",
    "16h", "24h", "32h", "40h", "60h", "80h", "120h", "160h", "240h", "320h", "480h",
)  # fmt: skip
"""Human targets in open hours (on a business calendar ``1d`` is a working day, not a number of open hours)."""


@dataclass(frozen=True, slots=True)
class TargetSuggestion:
    """A suggested target and the evidence for it.

    ``quantile_seconds`` is the goal quantile of the elapsed times; ``interval_low``/``interval_high`` its
    bootstrap percentile interval at ``confidence``; ``suggested_*`` the smallest human target ≥ the quantile,
    ``safe_*`` the smallest ≥ the interval's upper bound (``None`` beyond the ladder).  ``candidates`` has
    one row per candidate target: ``target`` (text), ``target_seconds``, ``met``, ``total``, ``compliance``
    (met / total) and ``meets_goal``.  ``business`` says the seconds are open time on a business calendar.
    ``records`` counts the elapsed times used, ``dropped`` the missing or negative ones left out (open or
    invalid records).
    """

    goal: float
    records: int
    dropped: int
    quantile_seconds: float
    interval_low: float
    interval_high: float
    confidence: float
    suggested_text: str | None
    suggested_seconds: float | None
    suggested_compliance: float | None
    safe_text: str | None
    safe_seconds: float | None
    safe_compliance: float | None
    candidates: pd.DataFrame
    samples: int
    seed: int | None
    business: bool = False

    def to_dict(self) -> dict[str, object]:
        """The JSON the CLI (``ukur sla suggest --format json``) and the API emit."""
        return {
            "goal": self.goal,
            "records": self.records,
            "dropped": self.dropped,
            "quantile_seconds": self.quantile_seconds,
            "interval": {"low": self.interval_low, "high": self.interval_high, "confidence": self.confidence},
            "suggested": {
                "target": self.suggested_text,
                "seconds": self.suggested_seconds,
                "compliance": self.suggested_compliance,
            },
            "safe": {
                "target": self.safe_text,
                "seconds": self.safe_seconds,
                "compliance": self.safe_compliance,
            },
            "samples": self.samples,
            "seed": self.seed,
            "business": self.business,
            "candidates": [
                {
                    "target": row["target"],
                    "target_seconds": float(row["target_seconds"]),
                    "met": int(row["met"]),
                    "total": int(row["total"]),
                    "compliance": float(row["compliance"]),
                    "meets_goal": bool(row["meets_goal"]),
                }
                for row in self.candidates.to_dict(orient="records")
            ],
        }


def format_seconds(seconds: float, *, business: bool = False) -> str:
    """Seconds as a compact duration (``5400`` → ``1h30m``); days only on wall time (``business=False``)."""
    total = round(seconds)
    parts = []
    if not business and total >= 86400:
        parts.append(f"{total // 86400}d")
        total %= 86400
    for size, unit in ((3600, "h"), (60, "m"), (1, "s")):
        if total >= size:
            parts.append(f"{total // size}{unit}")
            total %= size
    return "".join(parts) or "0s"


def suggest_target(
    elapsed_seconds: np.ndarray,
    *,
    goal: float | str,
    candidates: Sequence[str | float] | None = None,
    samples: int = 2000,
    seed: int | np.random.Generator | None = 0,
    confidence: float = 0.95,
    business: bool = False,
) -> TargetSuggestion:
    """Suggest a target that ``elapsed_seconds`` would have met at ``goal`` (see the module docstring).

    Parameters
    ----------
    elapsed_seconds
        Elapsed (business) seconds of completed records; NaN and negative values are left out and counted.
    goal
        Share of records that must meet the target: 0.95 or ``"95%"``.
    candidates
        Targets for the compliance table (``"4h"``, ``"30m"`` or seconds); by default the ladder steps from
        a quarter of the quantile to four times it.
    samples, seed
        Bootstrap replicates and their random seed (an int, or a Generator used as given).
    confidence
        Coverage of the percentile interval.
    business
        Elapsed times are open time on a business calendar: round to open hours, never to days.
    """
    share = parse_percent(goal, field="goal")
    if not 0.0 < share <= 1.0:
        raise DataError("the goal must be above 0%", field="goal")
    values = np.asarray(elapsed_seconds, dtype=np.float64).ravel()
    keep = np.isfinite(values) & (values >= 0)
    x = np.sort(values[keep])
    n = len(x)
    if n == 0:
        raise DataError("no completed records with an elapsed time to learn a target from", field="elapsed")
    if samples < 1:
        raise DataError("samples must be at least 1", field="samples")
    k = max(1, math.ceil(share * n - 1e-9))
    quantile = float(x[k - 1])
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    order = rng.beta(k, n - k + 1, size=samples)
    picks = np.clip(np.ceil(n * order).astype(np.int64), 1, n) - 1
    replicates = x[picks]
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(replicates, [tail, 1.0 - tail], method="inverted_cdf")

    ladder = [
        (t, float(parse_duration(t).seconds or 0.0)) for t in (BUSINESS_LADDER if business else WALL_LADDER)
    ]

    def compliance(target: float) -> float:
        return float(np.searchsorted(x, target, side="right")) / n

    def round_up(value: float) -> tuple[str | None, float | None, float | None]:
        for text, seconds in ladder:
            if seconds >= value:
                return text, seconds, compliance(seconds)
        return None, None, None

    suggested = round_up(quantile)
    safe = round_up(float(high))
    if candidates is None:
        chosen = [(t, s) for t, s in ladder if quantile / 4 <= s <= max(quantile * 4, ladder[0][1])]
        if suggested[0] is not None and suggested[0] not in {t for t, _ in chosen}:
            chosen.append((suggested[0], float(suggested[1] or 0.0)))
    else:
        chosen = [_candidate(c, business) for c in candidates]
    table = _compliance_table(x, chosen, share)
    return TargetSuggestion(
        goal=share,
        records=n,
        dropped=int((~keep).sum()),
        quantile_seconds=quantile,
        interval_low=float(low),
        interval_high=float(high),
        confidence=confidence,
        suggested_text=suggested[0],
        suggested_seconds=suggested[1],
        suggested_compliance=suggested[2],
        safe_text=safe[0],
        safe_seconds=safe[1],
        safe_compliance=safe[2],
        candidates=table,
        samples=samples,
        seed=seed if isinstance(seed, int) else None,
        business=business,
    )


def _candidate(value: str | float, business: bool) -> tuple[str, float]:
    if isinstance(value, str):
        duration = parse_duration(value, field="candidates")
        if duration.seconds is None:
            raise DataError(
                f"candidate {value!r} has no fixed length; give hours or minutes", field="candidates"
            )
        return value, float(duration.seconds)
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise DataError(f"candidate {value!r} is not a number of seconds ≥ 0", field="candidates")
    return format_seconds(seconds, business=business), seconds


def _compliance_table(x: np.ndarray, chosen: list[tuple[str, float]], goal: float) -> pd.DataFrame:
    """Compliance of the history under each candidate target, vectorized by one searchsorted."""
    chosen = sorted(dict(chosen).items(), key=lambda item: item[1])
    seconds = np.array([s for _, s in chosen], dtype=np.float64)
    met = np.searchsorted(x, seconds, side="right").astype(np.int64)
    share = met / len(x)
    return pd.DataFrame(
        {
            "target": [t for t, _ in chosen],
            "target_seconds": seconds,
            "met": met,
            "total": np.full(len(chosen), len(x), dtype=np.int64),
            "compliance": share,
            "meets_goal": share >= goal - 1e-12,
        }
    )
