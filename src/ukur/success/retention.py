"""Retention and growth: active, new, retained, returning and lost customers per month, with revenue.

The rules (one month = one calendar month in the agreement's time zone):

* **active** in a month: the customer has at least one record placed in it; a customer without any
  records at all is active in every month its agreement is in effect (``spans``), so that an agreement
  alone still counts;
* **new**: active now and never active before;
* **retained**: active now and in the month before;
* **returning**: active now, not in the month before, but in some earlier month;
* **lost**: active in the month before and not now;
* ``fee``: the agreement's fee per month (a fee per day is × 365.25/12, per week × 52.1775/12, per
  quarter ÷ 3, per year ÷ 12) in the months the customer is active; ``credits``: credits and
  compensation owed for windows starting in that month; ``net`` = fee − credits.

Per month: ``retention_rate`` = retained / active in the month before, ``growth`` = (active − active
before) / active before (NaN in the first month).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ukur.sla import Fee
from ukur.sla.compliance import frame_records

__all__ = ["CUSTOMER_COLUMNS", "PERIOD_COLUMNS", "Retention", "monthly_fee", "retention"]

CUSTOMER_COLUMNS = ["customer", "period", "active", "status", "records", "fee", "credits", "net"]
PERIOD_COLUMNS = [
    "period", "active", "new", "retained", "returning", "lost", "records", "fees", "credits", "net",
    "retention_rate", "growth",
]  # fmt: skip

_PER_MONTH = {"day": 365.25 / 12, "week": 52.1775 / 12, "month": 1.0, "quarter": 1 / 3, "year": 1 / 12}


def monthly_fee(fee: Fee | None) -> float:
    """The fee per month (0 without a fee)."""
    if fee is None:
        return 0.0
    return float(fee.amount) * _PER_MONTH.get(fee.per, 1.0)


@dataclass(frozen=True)
class Retention:
    """Customers per month (``customers``: :data:`CUSTOMER_COLUMNS`, ``status`` one of new, retained,
    returning, lost, inactive) and the month totals (``periods``: :data:`PERIOD_COLUMNS`)."""

    customers: pd.DataFrame
    periods: pd.DataFrame
    timezone: str

    def to_dict(self) -> dict[str, Any]:
        """The ``retention`` object of ``ukur sla success --format json``."""
        return {
            "timezone": self.timezone,
            "periods": frame_records(self.periods),
            "customers": frame_records(self.customers),
        }


def _months(values: pd.Series, timezone: str) -> pd.Series:
    stamps = pd.to_datetime(values).dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
    return stamps.dt.to_period("M")


def retention(
    activity: pd.DataFrame,
    *,
    spans: pd.DataFrame | None = None,
    fees: Mapping[str, float] | None = None,
    credits: pd.DataFrame | None = None,
    timezone: str = "UTC",
    first: str | None = None,
    last: str | None = None,
) -> Retention:
    """Monthly retention (see the module docstring for the rules).

    ``activity``: ``customer, at`` (UTC instants, one row per record); ``spans``: ``customer, start,
    end`` dates an agreement is in effect (``end`` may be missing: still in effect); ``fees``: fee per
    month by customer; ``credits``: ``customer, start, amount`` (window starts, UTC).  ``first`` and
    ``last`` (``"2026-01"``) fix the months; by default they run from the first to the last month seen.
    """
    act = activity.dropna(subset=["customer", "at"])
    months = _months(act["at"], timezone)
    customers = set(act["customer"].astype(str))
    span_rows = spans if spans is not None else pd.DataFrame(columns=["customer", "start", "end"])
    customers.update(span_rows["customer"].astype(str))
    seen = list(months)
    for col in ("start", "end"):
        seen += [pd.Period(v, "M") for v in span_rows[col].dropna()]
    lo = pd.Period(first, "M") if first else (min(seen) if seen else None)
    hi = pd.Period(last, "M") if last else (max(seen) if seen else None)
    names = sorted(customers)
    if lo is None or hi is None or not names:
        empty = pd.DataFrame(columns=CUSTOMER_COLUMNS), pd.DataFrame(columns=PERIOD_COLUMNS)
        return Retention(customers=empty[0], periods=empty[1], timezone=timezone)
    index = pd.period_range(lo, hi, freq="M")
    counts = (
        pd.crosstab(act["customer"].astype(str).to_numpy(), months.to_numpy())
        .reindex(index=names, columns=index, fill_value=0)
        .to_numpy()
    )
    active = counts > 0
    silent = counts.sum(axis=1) == 0
    if silent.any() and len(span_rows):
        row_of = {c: i for i, c in enumerate(names)}
        rows = span_rows["customer"].astype(str).map(row_of).to_numpy()
        start = np.array([pd.Period(v, "M").ordinal if pd.notna(v) else -(10**9) for v in span_rows["start"]])
        end = np.array([pd.Period(v, "M").ordinal if pd.notna(v) else 10**9 for v in span_rows["end"]])
        ords = np.array([p.ordinal for p in index])
        covered = np.zeros_like(active)
        inside = (ords[None, :] >= start[:, None]) & (ords[None, :] <= end[:, None])
        np.logical_or.at(covered, rows, inside)
        active |= covered & silent[:, None]
    before = np.zeros_like(active)
    before[:, 1:] = active[:, :-1]
    ever = np.zeros_like(active)
    ever[:, 1:] = np.logical_or.accumulate(active, axis=1)[:, :-1]
    new = active & ~ever
    retained = active & before
    returning = active & ~before & ever
    lost = ~active & before
    status = np.select([new, retained, returning, lost], ["new", "retained", "returning", "lost"], "inactive")
    fee_per = np.array([float((fees or {}).get(c, 0.0)) for c in names])
    fee = np.where(active, fee_per[:, None], 0.0)
    credit: np.ndarray = np.zeros(active.shape)
    if credits is not None and len(credits):
        owed = (
            pd.DataFrame(
                {"customer": credits["customer"].astype(str), "month": _months(credits["start"], timezone)}
            )
            .assign(amount=credits["amount"].to_numpy(dtype=float))
            .pivot_table(index="customer", columns="month", values="amount", aggfunc="sum", fill_value=0.0)
        )
        credit = owed.reindex(index=names, columns=index, fill_value=0.0).to_numpy(dtype=float)
    labels = np.array([str(p) for p in index])
    table = pd.DataFrame(
        {
            "customer": np.repeat(names, len(index)),
            "period": np.tile(labels, len(names)),
            "active": active.ravel(),
            "status": status.ravel(),
            "records": counts.ravel().astype(np.int64),
            "fee": fee.ravel(),
            "credits": credit.ravel(),
            "net": (fee - credit).ravel(),
        }
    )
    n_active = active.sum(axis=0)
    n_before = before.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_before > 0, retained.sum(axis=0) / np.maximum(n_before, 1), np.nan)
        growth = np.where(n_before > 0, (n_active - n_before) / np.maximum(n_before, 1), np.nan)
    rate[0] = growth[0] = np.nan
    periods = pd.DataFrame(
        {
            "period": labels,
            "active": n_active,
            "new": new.sum(axis=0),
            "retained": retained.sum(axis=0),
            "returning": returning.sum(axis=0),
            "lost": lost.sum(axis=0),
            "records": counts.sum(axis=0).astype(np.int64),
            "fees": fee.sum(axis=0),
            "credits": credit.sum(axis=0),
            "net": (fee - credit).sum(axis=0),
            "retention_rate": rate,
            "growth": growth,
        }
    )
    return Retention(customers=table, periods=periods, timezone=timezone)
