"""Claim handling against the agreement's ``claims:`` policy.

A claims stream has one row per claim: ``id, record_id, filed_at, type, amount, status, responded_at``
(``type``, ``amount`` and ``status`` are carried through as written). For each claim, on the claims
calendar of the policy:

* the filing deadline is ``file_within`` after the claimed record's ``from`` time (by default the stop
  of the first duration objective on that stream: a shipment's delivery); ``filed_in_time`` says whether
  the customer filed by then;
* the response deadline is ``respond_within`` after filing (``3 business days`` = the same clock time three
  working days later); the response is ``on_time`` or ``late`` when answered, and ``open`` or ``overdue``
  (past the deadline at ``as_of``) when not.

Claim-handling compliance per month of filing = on_time / (on_time + late + overdue). A claim whose record
is unknown or whose times cannot be read is ``invalid`` with a reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ukur.errors import AgreementError
from ukur.sla.agreement import Agreement
from ukur.sla.fields import NONE, require_columns, timestamps
from ukur.sla.measure import Stream
from ukur.sla.windows import WindowGrid

__all__ = ["CLAIM_COLUMNS", "CLAIM_WINDOW_COLUMNS", "RESPONSES", "evaluate_claims"]

RESPONSES = ("on_time", "late", "open", "overdue", "invalid")
CLAIM_COLUMNS = [
    "id", "record_id", "type", "amount", "claim_status", "record_time", "filed_at", "file_deadline",
    "filed_in_time", "responded_at", "respond_deadline", "response", "reason", "window",
]  # fmt: skip
CLAIM_WINDOW_COLUMNS = ["window", "total", "filed_late", *RESPONSES, "compliance"]


def evaluate_claims(
    agreement: Agreement,
    claims: pd.DataFrame,
    records: Stream | None,
    *,
    grid: WindowGrid,
    as_of: np.datetime64,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-claim rows (:data:`CLAIM_COLUMNS`) and per-window summary rows (:data:`CLAIM_WINDOW_COLUMNS`)."""
    policy = agreement.claims
    if policy is None:
        raise AgreementError(f"agreement {agreement.id!r} has no claims policy", field="claims")
    source = claims.attrs.get("source")
    require_columns(claims, ["id", "record_id", "filed_at"], stream="claims", purpose="the claims policy")
    n = len(claims)
    tz = agreement.timezone
    cal = agreement.calendar(policy.calendar)
    filed, filed_bad = timestamps(claims["filed_at"], timezone=tz, source=source, field="filed_at")
    if "responded_at" in claims.columns:
        answered, answered_bad = timestamps(
            claims["responded_at"], timezone=tz, source=source, field="responded_at"
        )
    else:
        answered, answered_bad = np.full(n, np.datetime64("NaT"), "datetime64[ns]"), np.zeros(n, bool)
    record_ids = claims["record_id"].astype(str).str.strip().to_numpy(dtype=object)
    base = np.full(n, np.datetime64("NaT"), "datetime64[ns]")
    known = np.zeros(n, dtype=bool)
    if records is not None and policy.from_field and policy.from_field in records.frame.columns:
        times, _ = records.times(policy.from_field)
        lookup = pd.Series(np.arange(len(records.ids)), index=records.ids)
        lookup = lookup[~lookup.index.duplicated()]
        position = lookup.reindex(record_ids).to_numpy()
        known = ~np.isnan(position)
        base = np.where(known, times[np.nan_to_num(position).astype(np.int64)], base)
    reason = np.full(n, None, dtype=object)
    for mask, text in [
        (filed_bad, "unreadable filed_at"),
        (np.isnat(filed), "missing filed_at"),
        (answered_bad, "unreadable responded_at"),
        (~known if records is not None else np.zeros(n, bool), f"unknown {policy.records} record"),
        (~np.isnat(answered) & (answered < filed), "responded_at before filed_at"),
    ]:
        reason = np.where(mask & pd.isna(reason), text, reason)
    valid = pd.isna(reason)
    nat = np.datetime64("NaT", "ns")
    file_deadline = (
        cal.deadline(np.where(valid, base, nat), policy.file_within)
        if policy.file_within
        else np.full(n, nat)
    )
    filed_in_time = pd.array(np.where(np.isnat(file_deadline), NONE, filed <= file_deadline), dtype="boolean")
    respond_deadline = (
        cal.deadline(np.where(valid, filed, nat), policy.respond_within)
        if policy.respond_within
        else np.full(n, nat)
    )
    no_limit = np.isnat(respond_deadline)
    response = np.where(
        ~np.isnat(answered),
        np.where(no_limit | (answered <= respond_deadline), "on_time", "late"),
        np.where(no_limit | (as_of <= respond_deadline), "open", "overdue"),
    ).astype(object)
    response = np.where(valid, response, "invalid")
    window_index = grid.locate(filed)
    labels = grid.labels[np.clip(window_index, 0, None)] if len(grid) else np.full(n, None, dtype=object)
    table = pd.DataFrame(
        {
            "id": claims["id"].astype(str).to_numpy(),
            "record_id": record_ids,
            "type": claims["type"].to_numpy(dtype=object) if "type" in claims.columns else None,
            "amount": pd.to_numeric(claims["amount"], errors="coerce").to_numpy()
            if "amount" in claims.columns
            else np.nan,
            "claim_status": claims["status"].to_numpy(dtype=object) if "status" in claims.columns else None,
            "record_time": base,
            "filed_at": filed,
            "file_deadline": file_deadline,
            "filed_in_time": filed_in_time,
            "responded_at": answered,
            "respond_deadline": respond_deadline,
            "response": pd.Categorical(response, categories=RESPONSES),
            "reason": reason,
            "window": np.where(window_index >= 0, labels, NONE),
        },
        columns=CLAIM_COLUMNS,
    )
    in_range = window_index >= 0
    table = table[in_range | ~valid].reset_index(drop=True)
    return table, _summary(table, grid)


def _summary(table: pd.DataFrame, grid: WindowGrid) -> pd.DataFrame:
    rows = []
    for label in grid.labels:
        part = table[table["window"] == label]
        counts = part["response"].value_counts().reindex(RESPONSES, fill_value=0)
        judged = counts["on_time"] + counts["late"] + counts["overdue"]
        rows.append(
            {
                "window": label,
                "total": len(part),
                "filed_late": int((part["filed_in_time"] == False).sum()),  # noqa: E712 (nullable boolean)
                **{r: int(counts[r]) for r in RESPONSES},
                "compliance": counts["on_time"] / judged if judged else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=CLAIM_WINDOW_COLUMNS)
