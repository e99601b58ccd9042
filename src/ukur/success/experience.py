"""SLA experience per customer: each customer's records evaluated by the SLA engine, then summarised.

An agreement is usually the contract of one customer (its ``customer:`` party).  A provider with many
small customers on one standard agreement keeps a ``customer`` column in its record streams instead; then
the agreement is applied to each customer's records separately, so that every customer has its own
windows, credits and claims, exactly as if it had signed its own copy.  Which agreement a customer's
records are judged by:

1. the agreement whose ``customer:`` party has that name, else
2. the first agreement given (the standard agreement).

Records without a ``customer`` column belong to the customer of the agreement they are evaluated by.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from ukur.errors import UkurError
from ukur.sla import Agreement, Compliance, evaluate

__all__ = [
    "EXPERIENCE_COLUMNS",
    "OUTCOME_COLUMNS",
    "CustomerCompliance",
    "customer_credits",
    "evaluate_customers",
    "experience",
    "record_outcomes",
]

OUTCOME_COLUMNS = ["agreement", "customer", "record_id", "outcome", "at"]
EXPERIENCE_COLUMNS = [
    "customer", "agreement", "records", "met", "breached", "on_time_share", "credits", "claims",
    "claims_in_time", "claims_in_time_share",
]  # fmt: skip


@dataclass(frozen=True)
class CustomerCompliance:
    """One customer's records evaluated against the agreement that covers them."""

    customer: str
    agreement: Agreement
    compliance: Compliance


def _subset(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    part = frame[mask].reset_index(drop=True)
    lines = frame.attrs.get("lines")
    part.attrs = dict(frame.attrs)
    if isinstance(lines, list | tuple) and len(lines) == len(frame):
        part.attrs["lines"] = list(np.asarray(lines)[mask])
    return part


def evaluate_customers(
    agreements: Sequence[Agreement],
    records: Mapping[str, pd.DataFrame],
    *,
    customer_column: str = "customer",
    status_history: Mapping[str, pd.DataFrame] | None = None,
    claims: pd.DataFrame | None = None,
    as_of: datetime | str | pd.Timestamp | None = None,
) -> tuple[CustomerCompliance, ...]:
    """Evaluate every customer's records (see the module docstring for how customers find agreements).

    Status histories and claims follow their records (by ``record_id``).  Without a ``customer``
    column in any stream each agreement is evaluated once, for its own customer.
    """
    if not agreements:
        raise UkurError("give at least one agreement", field="agreement")
    split = any(customer_column in f.columns for f in records.values())
    if not split:
        return tuple(
            CustomerCompliance(
                a.customer.name,
                a,
                evaluate(a, records, status_history=status_history, claims=claims, as_of=as_of),
            )
            for a in agreements
        )
    by_name = {a.customer.name: a for a in agreements}
    names: set[str] = set()
    for frame in records.values():
        if customer_column in frame.columns:
            names.update(frame[customer_column].dropna().astype(str).str.strip().unique().tolist())
    out = []
    for name in sorted(names):
        agreement = by_name.get(name, agreements[0])
        streams: dict[str, pd.DataFrame] = {}
        ids: set[str] = set()
        for stream, frame in records.items():
            if customer_column not in frame.columns:
                continue
            mask = (frame[customer_column].astype(str).str.strip() == name).to_numpy()
            streams[stream] = _subset(frame, mask)
            ids.update(streams[stream]["id"].astype(str).str.strip().tolist())
        ids_list = list(ids)
        history = {
            s: _subset(h, h["record_id"].astype(str).str.strip().isin(ids_list).to_numpy())
            for s, h in (status_history or {}).items()
            if s in streams and "record_id" in h.columns
        }
        own_claims = None
        if claims is not None and "record_id" in claims.columns and agreement.claims is not None:
            own_claims = _subset(
                claims, claims["record_id"].astype(str).str.strip().isin(ids_list).to_numpy()
            )
        result = evaluate(agreement, streams, status_history=history, claims=own_claims, as_of=as_of)
        out.append(CustomerCompliance(name, agreement, result))
    return tuple(out)


def record_outcomes(evaluated: Sequence[CustomerCompliance]) -> pd.DataFrame:
    """One row per evaluated record: ``outcome`` is ``breached`` when any objective of the record was
    breached, else ``met`` when at least one was met, else ``other`` (open, excluded or invalid only).

    Columns :data:`OUTCOME_COLUMNS`; ``at`` is the record's start (UTC).
    """
    parts = []
    for item in evaluated:
        rec = item.compliance.records
        if rec.empty:
            continue
        status = rec["status"].astype(str)
        frame = pd.DataFrame(
            {
                "record_id": rec["id"].astype(str).to_numpy(),
                "breached": (status == "breached").to_numpy(),
                "met": (status == "met").to_numpy(),
                "at": pd.to_datetime(rec["start"]).to_numpy(dtype="datetime64[ns]"),
            }
        )
        grouped = frame.groupby("record_id", sort=False).agg(
            breached=("breached", "any"), met=("met", "any"), at=("at", "min")
        )
        outcome = np.where(grouped["breached"], "breached", np.where(grouped["met"], "met", "other"))
        parts.append(
            pd.DataFrame(
                {
                    "agreement": item.agreement.id,
                    "customer": item.customer,
                    "record_id": grouped.index.to_numpy(dtype=object),
                    "outcome": outcome,
                    "at": grouped["at"].to_numpy(),
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in OUTCOME_COLUMNS})
    return pd.concat(parts, ignore_index=True)[OUTCOME_COLUMNS]


def customer_credits(evaluated: Sequence[CustomerCompliance]) -> pd.DataFrame:
    """Credits owed to each customer per window start: columns ``customer, agreement, start, amount``."""
    parts = []
    for item in evaluated:
        c = item.compliance
        if c.credits.empty:
            continue
        starts = c.windows[["objective", "window", "start"]]
        merged = c.credits[["objective", "window", "amount"]].merge(starts, on=["objective", "window"])
        parts.append(
            pd.DataFrame(
                {
                    "customer": item.customer,
                    "agreement": item.agreement.id,
                    "start": pd.to_datetime(merged["start"]).to_numpy(dtype="datetime64[ns]"),
                    "amount": merged["amount"].to_numpy(dtype=float),
                }
            )
        )
    if not parts:
        return pd.DataFrame(
            {
                "customer": pd.Series(dtype=object),
                "agreement": pd.Series(dtype=object),
                "start": pd.Series(dtype="datetime64[ns]"),
                "amount": pd.Series(dtype=float),
            }
        )
    return pd.concat(parts, ignore_index=True)


def experience(evaluated: Sequence[CustomerCompliance]) -> pd.DataFrame:
    """SLA experience per customer (index ``customer``; columns :data:`EXPERIENCE_COLUMNS` but customer).

    ``on_time_share`` = met / (met + breached) records (see :func:`record_outcomes`); ``credits`` = every
    credit and compensation owed; ``claims_in_time_share`` = claims answered on time / all claims (NaN
    without claims).
    """
    outcomes = record_outcomes(evaluated)
    keys = list(dict.fromkeys((item.agreement.id, item.customer) for item in evaluated))
    counts = (
        pd.crosstab([outcomes["agreement"], outcomes["customer"]], outcomes["outcome"])
        if len(outcomes)
        else pd.DataFrame()
    ).reindex(index=pd.MultiIndex.from_tuples(keys), columns=["met", "breached"], fill_value=0)
    rows = []
    for item in evaluated:
        met, breached = (int(v) for v in counts.loc[(item.agreement.id, item.customer)].to_numpy())
        claims = item.compliance.claims
        in_time = int((claims["response"] == "on_time").sum()) if len(claims) else 0
        rows.append(
            {
                "customer": item.customer,
                "agreement": item.agreement.id,
                "records": met + breached,
                "met": met,
                "breached": breached,
                "on_time_share": np.nan,
                "credits": item.compliance.total_credit,
                "claims": len(claims),
                "claims_in_time": in_time,
                "claims_in_time_share": np.nan,
            }
        )
    table = pd.DataFrame(rows, columns=EXPERIENCE_COLUMNS)
    return (
        table.groupby("customer", sort=True)
        .agg(
            agreement=("agreement", "first"),
            records=("records", "sum"),
            met=("met", "sum"),
            breached=("breached", "sum"),
            credits=("credits", "sum"),
            claims=("claims", "sum"),
            claims_in_time=("claims_in_time", "sum"),
        )
        .assign(
            on_time_share=lambda t: t["met"] / t["records"].where(t["records"] > 0),
            claims_in_time_share=lambda t: t["claims_in_time"] / t["claims"].where(t["claims"] > 0),
        )[EXPERIENCE_COLUMNS[1:]]
    )
