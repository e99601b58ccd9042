"""The result of evaluating an agreement: tidy tables of records, windows, credits and claims.

:class:`Compliance` holds pandas DataFrames (never rounded or formatted) and :meth:`Compliance.to_dict`
turns them into the JSON that ``ukur sla evaluate --format json`` and the web API emit::

    {"agreement": {"id", "title", "version", "type", "signed", "draft", "parents", "effective", ...},
     "as_of": "...Z", "period": {...} | null,
     "records":  [{"stream", "id", "objective", "status", "reason", "exclusion", "window", "elapsed_seconds",
                   "paused_seconds", "excluded_seconds", "counted_seconds", "target_seconds", "deadline",
                   "start", "stop", "key", "compensation"}],
     "windows":  [{"objective", "kind", "window", "start", "end", "total", "met", "breached", "at_risk",
                   "open", "excluded", "invalid", "compliance", "goal", "ok", "budget_used",
                   "budget_remaining", "burn_rate", "elapsed_fraction", "final", "available_seconds",
                   "downtime_seconds", "credit"}],
     "credits":  [{"objective", "window", "kind", "compliance", "tier_below", "tier_credit",
                   "credit_percent", "capped", "records", "fee", "amount", "currency", "final"}],
     "claims":   [{"id", "record_id", "type", "amount", "claim_status", "filed_at", "file_deadline",
                   "filed_in_time", "responded_at", "respond_deadline", "response", "reason", "window"}],
     "claims_windows": [{"window", "total", "filed_late", "on_time", "late", "open", "overdue",
                         "invalid", "compliance"}],
     "errors":   [{"stream", "objective", "message", "source", "line", "field"}],
     "notes":    ["..."]}

Instants are UTC ISO 8601 strings ending in ``Z``; shares are fractions (0.95, not 95); missing or
non-finite numbers are ``null``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ukur.sla.agreement import Agreement
from ukur.sla.fields import NONE
from ukur.sla.windows import Period

__all__ = ["RECORD_COLUMNS", "Compliance", "frame_records"]

RECORD_COLUMNS = [
    "stream", "id", "objective", "status", "reason", "exclusion", "window", "elapsed_seconds",
    "paused_seconds", "excluded_seconds", "counted_seconds", "target_seconds", "deadline", "start", "stop",
    "key", "compensation",
]  # fmt: skip


@dataclass(frozen=True)
class Compliance:
    """An agreement evaluated against records at ``as_of``.

    ``records``: one row per record and objective (:data:`RECORD_COLUMNS`); ``windows``: one row per
    objective and window (see :mod:`ukur.sla.summary`) plus ``credit``, the amount owed for it;
    ``credits``: tier credits and per-record compensation per objective and window (see
    :mod:`ukur.sla.credits`); ``claims`` and ``claims_windows``: claim handling (see
    :mod:`ukur.sla.claims`); ``errors``: problems with the record files that did not stop the run;
    ``notes``: what a reader must know (draft, records outside the effective dates, skipped objectives).
    """

    agreement: Agreement
    as_of: pd.Timestamp
    period: Period | None
    records: pd.DataFrame
    windows: pd.DataFrame
    credits: pd.DataFrame
    claims: pd.DataFrame
    claims_windows: pd.DataFrame
    errors: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def draft(self) -> bool:
        """The agreement is not signed by both parties."""
        return self.agreement.draft

    @cached_property
    def total_credit(self) -> float:
        """Everything owed (tier credits and compensation) over the evaluated windows."""
        return float(np.nansum(self.credits["amount"].to_numpy(dtype=float))) if len(self.credits) else 0.0

    def record(self, record_id: str, *, stream: str | None = None) -> pd.DataFrame:
        """The rows of one record (one per objective that reads its stream)."""
        mask = self.records["id"] == str(record_id)
        if stream is not None:
            mask &= self.records["stream"] == stream
        return self.records[mask]

    def agreement_dict(self) -> dict[str, Any]:
        """The ``agreement`` part of :meth:`to_dict`."""
        a = self.agreement
        return {
            "id": a.id,
            "title": a.title,
            "version": a.version,
            "type": a.type.value,
            "signed": a.signed,
            "draft": a.draft,
            "parent": a.parent,
            "parents": list(a.parents),
            "provider": a.provider.name,
            "customer": a.customer.name,
            "timezone": a.timezone,
            "effective": {
                "from": a.effective_from.isoformat() if a.effective_from else None,
                "to": a.effective_to.isoformat() if a.effective_to else None,
            },
            "fee": None
            if a.fee is None
            else {"amount": a.fee.amount, "currency": a.fee.currency, "per": a.fee.per},
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ukur sla evaluate`` and the API (see the module docstring)."""
        return {
            "agreement": self.agreement_dict(),
            "as_of": _iso(self.as_of.to_datetime64()),
            "period": self.period.to_dict() if self.period is not None else None,
            "records": frame_records(self.records),
            "windows": frame_records(self.windows),
            "credits": frame_records(self.credits),
            "claims": frame_records(self.claims),
            "claims_windows": frame_records(self.claims_windows),
            "errors": [dict(e) for e in self.errors],
            "notes": list(self.notes),
        }


def _iso(value: np.datetime64) -> str | None:
    return None if np.isnat(value) else str(np.datetime_as_string(value, unit="s")) + "Z"


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: instants → ISO 8601 UTC, categoricals → text, NaN/inf/NA → ``None``."""
    if frame.empty:
        return []
    columns: dict[str, list[Any]] = {}
    for name in frame.columns:
        col = frame[name]
        if col.dtype.kind == "M":
            values = col.to_numpy(dtype="datetime64[ns]")
            text = np.char.add(np.datetime_as_string(values, unit="s"), "Z").astype(object)
            columns[name] = np.where(np.isnat(values), NONE, text).tolist()
        elif col.dtype.kind == "f":
            values = col.to_numpy(dtype=float)
            columns[name] = np.where(np.isfinite(values), values.astype(object), NONE).tolist()
        elif col.dtype.kind in "iub" and not col.hasnans:
            columns[name] = col.to_numpy().tolist()
        else:
            obj = col.astype(object)
            columns[name] = [_plain(v) for v in obj.where(obj.notna(), None).tolist()]
    names = list(columns)
    rows = zip(*(columns[n] for n in names), strict=True)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _plain(value: Any) -> Any:
    """NumPy scalars → Python scalars (``json`` knows only the latter)."""
    return value.item() if isinstance(value, np.generic) else value
