"""SLA experience per customer: each customer's records evaluated by the SLA engine, then summarised.

An agreement is usually the contract of one customer (its ``customer:`` party).  A provider with many
small customers on one standard agreement keeps a ``customer`` column in its record streams instead; then
the agreement is applied to each customer's records separately, so that every customer has its own
windows, credits and claims, exactly as if it had signed its own copy.  Which agreement a customer's
records are judged by:

1. the agreement whose ``customer:`` party has that name, else
2. the first agreement given (the standard agreement).

Records without a ``customer`` column belong to the customer of the agreement they are evaluated by.
When some stream has a ``customer`` column, streams without one (an outage stream of a shared service)
are not split and their objectives are not evaluated per customer (the compliance notes say so).

Cost: one :func:`ukur.sla.evaluate` call per customer (about 50 ms each for a few hundred records).
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


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy without ``attrs``: pandas deep-copies ``attrs`` (the file lines) on every operation,
    which would cost more than the evaluation when a large stream is split into many customers."""
    out = frame.reset_index(drop=True).copy(deep=False)
    out.attrs = {}
    return out


def _take(frame: pd.DataFrame, plain: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Rows of ``plain`` with ``frame``'s source and the file lines of those rows."""
    part = plain.take(rows).reset_index(drop=True)
    lines = frame.attrs.get("lines")
    part.attrs = {"source": frame.attrs.get("source")}
    if isinstance(lines, list | tuple) and len(lines) == len(frame):
        part.attrs["lines"] = tuple(int(v) for v in np.asarray(lines)[rows])
    return part


def _text(column: pd.Series) -> np.ndarray:
    values = column.to_numpy(dtype=object)
    return np.array([str(v).strip() if v is not None and v == v else "" for v in values], dtype=object)


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
    plain = {name: _plain(frame) for name, frame in records.items()}
    keys = {name: _text(frame[customer_column]) for name, frame in plain.items() if customer_column in frame}
    ids = {name: _text(plain[name]["id"]) if "id" in plain[name] else None for name in keys}
    histories = {s: (h, _plain(h)) for s, h in (status_history or {}).items() if "record_id" in h.columns}
    history_ids = {s: _text(p["record_id"]) for s, (_, p) in histories.items()}
    plain_claims = _plain(claims) if claims is not None and "record_id" in claims.columns else None
    claim_ids = _text(plain_claims["record_id"]) if plain_claims is not None else None
    names = sorted({v for k in keys.values() for v in k.tolist() if v})
    out = []
    for name in names:
        agreement = by_name.get(name, agreements[0])
        streams: dict[str, pd.DataFrame] = {}
        own: list[np.ndarray] = []
        for stream, key in keys.items():
            rows = np.flatnonzero(key == name)
            streams[stream] = _take(records[stream], plain[stream], rows)
            stream_ids = ids[stream]
            if stream_ids is not None:
                own.append(stream_ids[rows])
        own_ids = np.concatenate(own) if own else np.array([], dtype=object)
        history = {
            s: _take(h, p, np.flatnonzero(np.isin(history_ids[s], own_ids)))
            for s, (h, p) in histories.items()
            if s in streams
        }
        own_claims = None
        if plain_claims is not None and claim_ids is not None and claims is not None and agreement.claims:
            claim_rows = np.flatnonzero(np.isin(claim_ids, own_ids))
            own_claims = _take(claims, plain_claims, claim_rows) if claim_rows.size else None
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


def experience(evaluated: Sequence[CustomerCompliance], outcomes: pd.DataFrame | None = None) -> pd.DataFrame:
    """SLA experience per customer (index ``customer``; columns :data:`EXPERIENCE_COLUMNS` but customer).

    ``on_time_share`` = met / (met + breached) records (see :func:`record_outcomes`); ``credits`` = every
    credit and compensation owed; ``claims_in_time_share`` = claims answered on time / all claims (NaN
    without claims).  ``outcomes``: :func:`record_outcomes` of ``evaluated`` when the caller has it already.
    """
    if outcomes is None:
        outcomes = record_outcomes(evaluated)
    keys = list(dict.fromkeys((item.agreement.id, item.customer) for item in evaluated))
    counts = (
        pd.crosstab([outcomes["agreement"], outcomes["customer"]], outcomes["outcome"])
        if len(outcomes)
        else pd.DataFrame()
    ).reindex(index=pd.MultiIndex.from_tuples(keys), columns=["met", "breached"], fill_value=0)
    position = {key: i for i, key in enumerate(keys)}
    table_counts = counts.to_numpy(dtype=np.int64)
    rows = []
    for item in evaluated:
        met, breached = (int(v) for v in table_counts[position[(item.agreement.id, item.customer)]])
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
