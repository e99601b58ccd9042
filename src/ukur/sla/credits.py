"""Service credits (tiers of the fee) and per-record compensation owed for a window.

Credit tiers. With tiers ``below 95 % → 5 %, below 90 % → 10 %, below 80 % → 25 %`` and a compliance of
87 %, the tiers reached are 95 % and 90 %; the one that applies is the reached tier with the lowest
threshold (90 % → 10 %). The credit is capped at ``cap`` (a share of the fee) and paid on the fee of the
window: the fee as agreed when the window has the fee's unit (a monthly fee and monthly windows), else the
fee prorated by length in days (day 1, week 7, month 365.25/12, quarter 365.25/4, year 365.25; a rolling
window has its own number of days). No compliance (no decided record) means no credit.

Per-record compensation. Each ``breached`` record of the objective earns the record's field (e.g.
``declared_value``) or a fixed amount, each capped at ``cap``; missing or negative values earn nothing
and are listed in the errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ukur.sla.agreement import Fee, Objective, Penalty

__all__ = ["CREDIT_COLUMNS", "compensation", "tier_credits"]

CREDIT_COLUMNS = [
    "objective", "window", "kind", "compliance", "tier_below", "tier_credit", "credit_percent", "capped",
    "records", "fee", "amount", "currency", "final",
]  # fmt: skip

_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}


def window_fee(fee: Fee, objective: Objective, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The fee for each window: the agreed amount when units match, else prorated by days."""
    if objective.window.unit == fee.per:
        return np.full(len(start), fee.amount)
    days = (end - start).astype("timedelta64[s]").astype(float) / 86400.0
    if objective.window.unit in _DAYS:
        days = np.full(len(start), _DAYS[objective.window.unit])
    return fee.amount * days / _DAYS[fee.per]


def tier_credits(
    penalty: Penalty, objective: Objective, windows: pd.DataFrame, fee: Fee | None
) -> pd.DataFrame:
    """One ``tier`` credit row per window of the objective with a compliance (columns :data:`CREDIT_COLUMNS`)."""
    rows = windows[windows["compliance"].notna()]
    compliance = rows["compliance"].to_numpy(dtype=float)
    tiers = sorted(penalty.credits, key=lambda t: t.below)
    below = np.array([t.below for t in tiers])
    credit = np.array([t.credit for t in tiers])
    reached = compliance[:, None] < below[None, :] - 1e-12
    first = np.where(reached.any(axis=1), reached.argmax(axis=1), -1)
    tier_below = np.where(first >= 0, below[np.clip(first, 0, None)] if len(below) else np.nan, np.nan)
    raw = np.where(first >= 0, credit[np.clip(first, 0, None)] if len(credit) else 0.0, 0.0)
    cap = penalty.cap if penalty.cap is not None else np.inf
    percent = np.minimum(raw, cap)
    fees = (
        window_fee(fee, objective, rows["start"].to_numpy(), rows["end"].to_numpy())
        if fee
        else np.full(len(rows), np.nan)
    )
    return pd.DataFrame(
        {
            "objective": objective.id,
            "window": rows["window"].to_numpy(),
            "kind": "tier",
            "compliance": compliance,
            "tier_below": tier_below,
            "tier_credit": np.where(first >= 0, raw, np.nan),
            "credit_percent": percent,
            "capped": raw > cap,
            "records": np.nan,
            "fee": fees,
            "amount": percent * fees,
            "currency": fee.currency if fee else None,
            "final": rows["final"].to_numpy(),
        },
        columns=CREDIT_COLUMNS,
    )


def compensation(
    penalty: Penalty, objective: Objective, records: pd.DataFrame, values: pd.Series | None, fee: Fee | None
) -> tuple[np.ndarray, pd.DataFrame, int]:
    """Per-record amounts (NaN where none is owed), the per-window ``per_record`` credit rows, and how many
    breached records had no usable value."""
    rule = penalty.per_record
    if rule is None:
        return np.full(len(records), np.nan), pd.DataFrame(columns=CREDIT_COLUMNS), 0
    breached = (records["status"] == "breached").to_numpy()
    if rule.field is not None and values is not None:
        base = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    else:
        base = np.full(len(records), rule.amount if rule.amount is not None else np.nan)
    unusable = breached & ~(np.isfinite(base) & (base >= 0))
    cap = rule.cap if rule.cap is not None else np.inf
    amount = np.where(breached & ~unusable, np.minimum(base, cap), np.nan)
    owed = pd.DataFrame({"window": records["window"], "amount": amount, "final": records["window_final"]})
    owed = owed[np.isfinite(amount) & owed["window"].notna()]
    grouped = owed.groupby("window", sort=False).agg(
        records=("amount", "size"), amount=("amount", "sum"), final=("final", "all")
    )
    rows = pd.DataFrame(
        {
            "objective": objective.id,
            "window": grouped.index.to_numpy(),
            "kind": "per_record",
            "compliance": np.nan,
            "tier_below": np.nan,
            "tier_credit": np.nan,
            "credit_percent": np.nan,
            "capped": False,
            "records": grouped["records"].to_numpy(dtype=float),
            "fee": np.nan,
            "amount": grouped["amount"].to_numpy(dtype=float),
            "currency": fee.currency if fee else None,
            "final": grouped["final"].to_numpy(dtype=bool),
        },
        columns=CREDIT_COLUMNS,
    )
    return amount, rows, int(unusable.sum())
