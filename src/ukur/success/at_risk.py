"""Customers at risk: satisfaction that fell by more than chance, or more breaches than the agreement allows.

The rule, over calendar months in the agreement's time zone, with ``last`` the most recent month (by
default the latest month with feedback or records) and ``months`` the length of a comparison window
(default 3):

* **recent** window: the ``months`` months ending with ``last``; **before** window: the ``months``
  months just before it;
* **falling satisfaction**: the mean CSAT of the recent window is at least ``drop`` points (default 0.5
  on the 1–5 scale, what a customer notices) below the mean of the before window, both windows hold at
  least ``min_answers`` answers (default 3), **and** the fall exceeds the noise of that many answers:
  Welch's one-sided t test of "recent < before" has p ≤ ``level`` (default 0.01);
* **repeated breaches**: at least ``breaches`` (default 3) of the customer's decided records (met or
  breached) in the recent window breached their SLA **and** that is more than the agreement's goal lets
  through beyond chance: with ``allowed`` the share of records the goal allows to breach (``1 − goal``;
  a 90 % goal allows 10 %), the binomial chance of at least that many breaches among the decided
  records is ≤ ``level``.

Why these defaults.  The simulated demo (``examples/sla/success/generate.py``) is a population in which
no customer's satisfaction changes over the year and a typical customer breaches about 8 % of its
shipments against the 10 % its 90 % goal allows, with some eight shipments a month.  The earlier rule
(a fall of 0.5 with three answers, or three breaches in three months) flagged 39 of its 150 customers:
three breaches among some 24 shipments are what a 10 % allowance produces by chance, and the mean of
three 1–5 answers moves by half a point by chance.  Requiring the excess to pass a test at 1 % means a
customer whose service is exactly as agreed (and whose satisfaction is steady) is flagged with a chance
of at most 1 % per reason, about one or two of 150 customers; the minimum counts keep a single bad
record or answer from flagging anyone.  On the demo the rule flags the handful of customers whose
shipments really are late far more often than agreed.

A customer is at risk when either holds; ``reasons`` lists which (``falling_satisfaction``,
``repeated_breaches``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ukur.errors import DataError
from ukur.sla import Agreement
from ukur.sla.agreement import ObjectiveKind
from ukur.sla.compliance import frame_records

__all__ = ["AT_RISK_COLUMNS", "AtRisk", "AtRiskRule", "at_risk"]

AT_RISK_COLUMNS = [
    "customer", "csat_before", "csat_recent", "csat_change", "answers_before", "answers_recent", "csat_p",
    "decided_recent", "breaches_recent", "allowed_share", "breaches_p",
    "falling_satisfaction", "repeated_breaches", "at_risk", "reasons",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class AtRiskRule:
    """Thresholds of the at-risk rule (see the module docstring for what each means and why).

    ``allowed_share`` (the share of records allowed to breach) is normally taken from the agreement's
    goal by the caller (:func:`allowed_shares`); set here it overrides that for every customer.
    """

    months: int = 3
    drop: float = 0.5
    min_answers: int = 3
    breaches: int = 3
    level: float = 0.01
    allowed_share: float | None = None

    def __post_init__(self) -> None:
        if not (isinstance(self.months, int) and self.months >= 1):
            raise DataError("the at-risk window must be at least 1 month", field="months")
        if not (self.drop >= 0 and np.isfinite(self.drop)):
            raise DataError("the at-risk CSAT drop must be a number ≥ 0", field="drop")
        if self.min_answers < 2:
            raise DataError("the at-risk rule needs at least 2 answers per window", field="min_answers")
        if self.breaches < 1:
            raise DataError("the at-risk breach count must be at least 1", field="breaches")
        if not 0 < self.level < 1:
            raise DataError("the at-risk test level must lie between 0 and 1", field="level")
        if self.allowed_share is not None and not 0 <= self.allowed_share < 1:
            raise DataError("the allowed breach share must lie in [0, 1)", field="allowed_share")

    def to_dict(self) -> dict[str, Any]:
        """The thresholds as JSON."""
        return {
            "months": self.months,
            "drop": self.drop,
            "min_answers": self.min_answers,
            "breaches": self.breaches,
            "level": self.level,
            "allowed_share": self.allowed_share,
        }

    def describe(self, lang: str = "en") -> str:
        """The rule in one sentence (``en`` or ``id``), as the success page shows it."""
        allowed = (
            f"{100 * self.allowed_share:g} %"
            if self.allowed_share is not None
            else ("1 − the agreement's goal" if lang == "en" else "1 − sasaran perjanjian")
        )
        if lang == "id":
            return (
                f"Berisiko bila dalam {self.months} bulan terakhir rata-rata CSAT turun ≥ {self.drop:g} poin "
                f"dibanding {self.months} bulan sebelumnya (≥ {self.min_answers} jawaban masing-masing, uji t "
                f"Welch satu sisi p ≤ {self.level:g}), atau ≥ {self.breaches} catatan melanggar SLA dan itu "
                f"lebih banyak daripada bagian yang diizinkan ({allowed}) di luar kebetulan "
                f"(uji binomial p ≤ {self.level:g})."
            )
        return (
            f"At risk when, over the last {self.months} months, mean CSAT fell by ≥ {self.drop:g} points "
            f"against the {self.months} months before (≥ {self.min_answers} answers in each, Welch's "
            f"one-sided t test p ≤ {self.level:g}), or ≥ {self.breaches} records breached their SLA and "
            f"that is more than the allowed share ({allowed}) beyond chance (binomial test p ≤ {self.level:g})."
        )


def allowed_shares(agreements: Iterable[Agreement]) -> dict[str, float]:
    """Per agreement id, the share of records its goals let breach: ``1 − the strictest per-record goal``.

    Per-record objectives are those that are not ``availability`` (an outage is not a customer's record);
    an agreement with only availability objectives uses the strictest goal of all.
    """
    out: dict[str, float] = {}
    for agreement in agreements:
        goals = [o.goal for o in agreement.objectives if o.kind is not ObjectiveKind.AVAILABILITY]
        goals = goals or [o.goal for o in agreement.objectives]
        out[agreement.id] = float(1 - max(goals)) if goals else 0.0
    return out


@dataclass(frozen=True)
class AtRisk:
    """One row per customer (:data:`AT_RISK_COLUMNS`), the rule and the months compared."""

    customers: pd.DataFrame
    rule: AtRiskRule
    recent: tuple[str, str]
    before: tuple[str, str]

    def to_dict(self) -> dict[str, Any]:
        """The ``at_risk`` object of ``ukur sla success --format json``."""
        return {
            "rule": self.rule.to_dict(),
            "recent": list(self.recent),
            "before": list(self.before),
            "customers": frame_records(self.customers),
        }


def _binomial_tail(k: np.ndarray, n: np.ndarray, p0: np.ndarray) -> np.ndarray:
    """``P(X ≥ k)`` for ``X ~ Binomial(n, p0)``: the chance of at least ``k`` breaches among ``n`` decided
    records when each breaches with the allowed share ``p0`` (1 for ``k = 0``, 0 when ``p0 = 0 < k``)."""
    k, n, p0 = np.asarray(k), np.asarray(n), np.asarray(p0, dtype=float)
    out = np.asarray(stats.binom.sf(k - 1, n, p0), dtype=float)
    return np.where(k <= 0, 1.0, np.where(p0 <= 0, 0.0, out))


def _welch_fall_p(
    change: np.ndarray,
    var_recent: np.ndarray,
    n_recent: np.ndarray,
    var_before: np.ndarray,
    n_before: np.ndarray,
) -> np.ndarray:
    """One-sided p value of Welch's t test that the recent mean is below the before mean (NaN without
    two answers in each window).  When both windows' answers do not vary, a fall is certain (p 0) and no
    fall is p 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a, b = var_recent / n_recent, var_before / n_before
        se = np.sqrt(a + b)
        df = (a + b) ** 2 / (a**2 / (n_recent - 1) + b**2 / (n_before - 1))
        t = change / se
        p = np.asarray(stats.t.cdf(t, df), dtype=float)
    p = np.where(se == 0, np.where(change < 0, 0.0, 1.0), p)
    return np.where((n_recent >= 2) & (n_before >= 2) & np.isfinite(change), p, np.nan)


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
    allowed: Mapping[str, float] | None = None,
) -> AtRisk:
    """Apply the at-risk rule.

    ``feedback``: ``customer, submitted_at, csat`` (rows without a time or CSAT are ignored);
    ``outcomes``: ``customer, at, outcome`` and, with ``allowed``, ``agreement``
    (:func:`~ukur.success.experience.record_outcomes`).  ``allowed`` maps agreement ids to the share of
    records their goal lets breach (:func:`allowed_shares`); ``rule.allowed_share`` overrides it, and
    without either no breach is allowed (then only the ``breaches`` count decides).
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

    def stats(mask: np.ndarray) -> tuple[pd.Series, pd.Series, pd.Series]:
        grouped = pd.Series(csat[mask]).groupby(names[mask])
        return (
            grouped.mean().reindex(customers),
            grouped.size().reindex(customers, fill_value=0),
            grouped.var(ddof=1).reindex(customers),
        )

    mean_recent, n_recent, var_recent = stats(in_recent)
    mean_before, n_before, var_before = stats(in_before)
    change = mean_recent - mean_before
    csat_p = _welch_fall_p(
        change.to_numpy(dtype=float),
        var_recent.to_numpy(dtype=float),
        n_recent.to_numpy(dtype=float),
        var_before.to_numpy(dtype=float),
        n_before.to_numpy(dtype=float),
    )
    recent_records = ((oc_month >= recent_lo) & (oc_month <= end)).to_numpy()
    breached = (oc["outcome"] == "breached").to_numpy() & recent_records
    decided = oc["outcome"].isin(["met", "breached"]).to_numpy() & recent_records
    if rule.allowed_share is not None:
        share = np.full(len(oc), rule.allowed_share)
    elif allowed is not None and "agreement" in oc.columns:
        share = oc["agreement"].map(dict(allowed)).fillna(0.0).to_numpy(dtype=float)
    else:
        share = np.zeros(len(oc))
    owners = oc["customer"].astype(str).to_numpy()

    def per_customer(values: np.ndarray) -> pd.Series:
        return pd.Series(values).groupby(owners).sum().reindex(customers, fill_value=0)

    breaches = per_customer(breached.astype(np.int64))
    decided_n = per_customer(decided.astype(np.int64))
    allowed_share = per_customer(np.where(decided, share, 0.0)) / decided_n.where(decided_n > 0)
    k, n = breaches.to_numpy(dtype=np.int64), decided_n.to_numpy(dtype=np.int64)
    p0 = allowed_share.fillna(0.0).to_numpy(dtype=float)
    breaches_p = np.where(n > 0, _binomial_tail(k, n, p0), np.nan)
    enough = ((n_recent >= rule.min_answers) & (n_before >= rule.min_answers)).to_numpy(dtype=bool)
    level = rule.level * (1 + 1e-9)  # a p value equal to the level passes despite rounding (0.1² = 0.01)
    falling = enough & (change <= -rule.drop).to_numpy(dtype=bool) & (np.nan_to_num(csat_p, nan=1.0) <= level)
    repeated = (k >= rule.breaches) & (np.nan_to_num(breaches_p, nan=1.0) <= level)
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
            "csat_p": csat_p,
            "decided_recent": n,
            "breaches_recent": k,
            "allowed_share": allowed_share.to_numpy(dtype=float),
            "breaches_p": breaches_p,
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
