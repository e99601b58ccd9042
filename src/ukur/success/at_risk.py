"""Customers at risk: falling satisfaction or repeated breaches.

The rule, over calendar months in the agreement's time zone, with ``last`` the most recent month (by
default the latest month with feedback or records) and ``months`` the length of a comparison window
(default 3):

* **recent** window: the ``months`` months ending with ``last``; **before** window: the ``months``
  months just before it;
* **falling satisfaction**: the mean CSAT of the recent window is at least ``drop`` points (default 0.5
  on the 1–5 scale) below the mean of the before window, both windows holding at least ``min_answers``
  answers (default 3) — a drop of half a scale point is what a customer notices, and fewer answers than
  three say too little;
* **repeated breaches**: at least ``breaches`` (default 3) of the customer's records in the recent window
  breached their SLA.

A customer is at risk when either holds; ``reasons`` lists which (``falling_satisfaction``,
``repeated_breaches``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ukur.sla.compliance import frame_records

__all__ = ["AT_RISK_COLUMNS", "AtRisk", "AtRiskRule", "at_risk"]

AT_RISK_COLUMNS = [
    "customer", "csat_before", "csat_recent", "csat_change", "answers_before", "answers_recent",
    "breaches_recent", "falling_satisfaction", "repeated_breaches", "at_risk", "reasons",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class AtRiskRule:
    """Thresholds of the at-risk rule (see the module docstring)."""

    months: int = 3
    drop: float = 0.5
    min_answers: int = 3
    breaches: int = 3


@dataclass(frozen=True)
class AtRisk:
    """One row per customer (:data:`AT_RISK_COLUMNS`), the rule and the months compared."""

    customers: pd.DataFrame
    rule: AtRiskRule
    recent: tuple[str, str]
    before: tuple[str, str]

    def to_dict(self) -> dict[str, Any]:
        """The ``at_risk`` object of ``ukur sla success --format json``."""
        r = self.rule
        return {
            "rule": {
                "months": r.months,
                "drop": r.drop,
                "min_answers": r.min_answers,
                "breaches": r.breaches,
            },
            "recent": list(self.recent),
            "before": list(self.before),
            "customers": frame_records(self.customers),
        }


def _month(values: pd.Series, timezone: str) -> pd.Series:
    stamps = pd.to_datetime(values).dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
    return stamps.dt.to_period("M")


def at_risk(
    feedback: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    rule: AtRiskRule = AtRiskRule(),
    timezone: str = "UTC",
    last: str | None = None,
) -> AtRisk:
    """Apply the at-risk rule.

    ``feedback``: ``customer, submitted_at, csat`` (rows without a time or CSAT are ignored);
    ``outcomes``: ``customer, at, outcome`` (:func:`~ukur.success.experience.record_outcomes`).
    """
    fb = feedback.dropna(subset=["customer", "submitted_at", "csat"])
    oc = outcomes.dropna(subset=["customer", "at"])
    fb_month, oc_month = _month(fb["submitted_at"], timezone), _month(oc["at"], timezone)
    seen = list(fb_month) + list(oc_month)
    end = pd.Period(last, "M") if last else (max(seen) if seen else pd.Period("2000-01", "M"))
    recent_lo = end - (rule.months - 1)
    before_lo, before_hi = recent_lo - rule.months, recent_lo - 1
    customers = sorted(set(fb["customer"].astype(str)) | set(oc["customer"].astype(str)))
    in_recent = ((fb_month >= recent_lo) & (fb_month <= end)).to_numpy()
    in_before = ((fb_month >= before_lo) & (fb_month <= before_hi)).to_numpy()
    csat = fb["csat"].to_numpy(dtype=float)
    names = fb["customer"].astype(str).to_numpy()

    def stats(mask: np.ndarray) -> tuple[pd.Series, pd.Series]:
        grouped = pd.Series(csat[mask]).groupby(names[mask])
        return grouped.mean().reindex(customers), grouped.size().reindex(customers, fill_value=0)

    mean_recent, n_recent = stats(in_recent)
    mean_before, n_before = stats(in_before)
    breached = (oc["outcome"] == "breached").to_numpy() & (
        (oc_month >= recent_lo) & (oc_month <= end)
    ).to_numpy()
    breaches = (
        pd.Series(breached.astype(int))
        .groupby(oc["customer"].astype(str).to_numpy())
        .sum()
        .reindex(customers, fill_value=0)
    )
    change = mean_recent - mean_before
    enough = (n_recent >= rule.min_answers) & (n_before >= rule.min_answers)
    falling = (enough & (change <= -rule.drop)).to_numpy(dtype=bool)
    repeated = (breaches >= rule.breaches).to_numpy(dtype=bool)
    reasons = np.where(
        falling & repeated,
        "falling_satisfaction,repeated_breaches",
        np.where(falling, "falling_satisfaction", np.where(repeated, "repeated_breaches", "")),
    )
    table = pd.DataFrame(
        {
            "customer": customers,
            "csat_before": mean_before.to_numpy(dtype=float),
            "csat_recent": mean_recent.to_numpy(dtype=float),
            "csat_change": change.to_numpy(dtype=float),
            "answers_before": n_before.to_numpy(dtype=np.int64),
            "answers_recent": n_recent.to_numpy(dtype=np.int64),
            "breaches_recent": breaches.to_numpy(dtype=np.int64),
            "falling_satisfaction": falling,
            "repeated_breaches": repeated,
            "at_risk": falling | repeated,
            "reasons": reasons.astype(object),
        },
        columns=AT_RISK_COLUMNS,
    )
    return AtRisk(
        customers=table.sort_values(
            ["at_risk", "csat_change"], ascending=[False, True], kind="stable"
        ).reset_index(drop=True),
        rule=rule,
        recent=(str(recent_lo), str(end)),
        before=(str(before_lo), str(before_hi)),
    )
