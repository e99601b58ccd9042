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

That form is for readers and loses what a reader does not need (sub-second instants, dtypes).
``to_dict(exact=True)`` keeps everything instead — every table as ``{"dtypes", "columns", "index",
...}`` with instants as integer nanoseconds — so that :meth:`Compliance.from_dict` rebuilds an equal
result; the web app caches evaluations in that form (JSON in its database, never pickle).
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

__all__ = ["RECORD_COLUMNS", "Compliance", "frame_from_state", "frame_records", "frame_state"]

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

    def to_dict(self, *, exact: bool = False) -> dict[str, Any]:
        """The JSON contract of ``ukur sla evaluate`` and the API (see the module docstring).

        ``exact=True``: the lossless form that :meth:`from_dict` reads (tables by :func:`frame_state`).
        """
        if exact:
            return {
                "exact": True,
                "agreement": self.agreement_dict(),
                "as_of": self.as_of.isoformat(),
                "period": None
                if self.period is None
                else {
                    "label": self.period.label,
                    "start": self.period.start.isoformat(),
                    "end": self.period.end.isoformat(),
                },
                **{name: frame_state(getattr(self, name)) for name in TABLES},
                "errors": [dict(e) for e in self.errors],
                "notes": list(self.notes),
            }
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

    @classmethod
    def from_dict(cls, data: dict[str, Any], agreement: Agreement) -> Compliance:
        """The result that ``to_dict(exact=True)`` wrote, for ``agreement`` (the same id and version).

        The agreement itself is not in the JSON (the caller has it loaded); a document of another
        agreement or version, or one written without ``exact=True``, is a :class:`ValueError`.
        """
        if not data.get("exact"):
            raise ValueError("Compliance.from_dict needs the form written by to_dict(exact=True)")
        stated = data.get("agreement") or {}
        if (stated.get("id"), stated.get("version")) != (agreement.id, agreement.version):
            raise ValueError(
                f"the stored evaluation is of {stated.get('id')!r} version {stated.get('version')!r}, "
                f"not {agreement.id!r} version {agreement.version!r}"
            )
        period = data.get("period")
        return cls(
            agreement=agreement,
            as_of=pd.Timestamp(data["as_of"]),
            period=None
            if period is None
            else Period(
                label=str(period["label"]),
                start=pd.Timestamp(period["start"]),
                end=pd.Timestamp(period["end"]),
            ),
            records=frame_from_state(data["records"]),
            windows=frame_from_state(data["windows"]),
            credits=frame_from_state(data["credits"]),
            claims=frame_from_state(data["claims"]),
            claims_windows=frame_from_state(data["claims_windows"]),
            errors=tuple(dict(e) for e in data.get("errors", ())),
            notes=tuple(str(n) for n in data.get("notes", ())),
        )


TABLES = ("records", "windows", "credits", "claims", "claims_windows")
"""The DataFrame fields of :class:`Compliance`."""


def frame_state(frame: pd.DataFrame) -> dict[str, Any]:
    """A DataFrame as plain JSON that :func:`frame_from_state` turns back into an equal frame.

    Per column its dtype and values: instants and durations as integer nanoseconds (NaT as the
    smallest int64), floats with ``null``/``"inf"``/``"-inf"`` for NaN and infinities, categoricals as
    codes with their categories, nullable and text columns with ``null`` for missing; object columns keep
    which missing cells were NaN rather than ``None``.
    """
    columns: dict[str, Any] = {}
    for name in frame.columns:
        col = frame[name]
        dtype = col.dtype
        entry: dict[str, Any] = {"dtype": str(dtype)}
        if isinstance(dtype, pd.CategoricalDtype):
            entry["categories"] = frame_state(pd.DataFrame({"c": dtype.categories}))["columns"]["c"]
            entry["ordered"] = bool(dtype.ordered)
            entry["values"] = col.cat.codes.to_numpy().tolist()
        elif dtype.kind in "mM":
            entry["unit"] = str(np.datetime_data(col.to_numpy().dtype)[0])
            zone = getattr(dtype, "tz", None)
            entry["tz"] = str(zone) if zone is not None else None
            entry["values"] = col.to_numpy().view("int64").tolist()
        elif isinstance(dtype, np.dtype) and dtype.kind == "f":
            values = col.to_numpy()
            entry["values"] = [
                None if np.isnan(v) else ("inf" if v > 0 else "-inf") if np.isinf(v) else float(v)
                for v in values.tolist()
            ]
        elif isinstance(dtype, np.dtype) and dtype.kind in "iub":
            entry["values"] = col.to_numpy().tolist()
        elif isinstance(dtype, np.dtype) and dtype.kind == "O":
            raw = col.tolist()
            entry["values"] = [None if _missing(v) else _plain(v) for v in raw]
            entry["nan"] = [i for i, v in enumerate(raw) if isinstance(v, float) and np.isnan(v)]
        else:  # text and nullable extension dtypes
            obj = col.astype(object)
            entry["values"] = [_plain(v) for v in obj.where(obj.notna(), None).tolist()]
        columns[str(name)] = entry
    index = frame.index
    plain_index = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    return {
        "columns": columns,
        "order": [str(c) for c in frame.columns],
        "index": None if plain_index else [_plain(v) for v in index.tolist()],
        "length": len(frame),
    }


def frame_from_state(state: dict[str, Any]) -> pd.DataFrame:
    """The DataFrame :func:`frame_state` described."""
    length = int(state["length"])
    index = pd.RangeIndex(length) if state.get("index") is None else pd.Index(state["index"])
    data = {name: _column(state["columns"][name]) for name in state["order"]}
    return pd.DataFrame(
        {
            name: pd.Series(
                values, index=index, dtype=object if state["columns"][name]["dtype"] == "object" else None
            )
            for name, values in data.items()
        },
        index=index,
        columns=state["order"],
    )


def _column(entry: dict[str, Any]) -> Any:
    dtype, values = entry["dtype"], entry["values"]
    if dtype == "category":
        categories = pd.Index(_column(entry["categories"]))
        return pd.Categorical.from_codes(values, categories=categories, ordered=entry["ordered"])
    if "unit" in entry:
        kind = "timedelta64" if dtype.startswith("timedelta") else "datetime64"
        array = np.array(values, dtype="int64").view(f"{kind}[{entry['unit']}]")
        if entry.get("tz"):
            return pd.DatetimeIndex(array).tz_localize("UTC").tz_convert(entry["tz"]).array
        return array
    if dtype in _NUMPY and np.dtype(dtype).kind == "f":
        return np.array([np.nan if v is None else float(v) for v in values], dtype=dtype)
    if dtype in _NUMPY:
        return np.array(values, dtype=dtype)
    if dtype == "object":
        column = np.empty(len(values), dtype=object)
        column[:] = values
        for i in entry.get("nan", []):
            column[i] = np.nan
        return column
    return pd.array(values, dtype=dtype)


_NUMPY = {
    "float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint64", "uint32", "uint16",
    "uint8", "bool",
}  # fmt: skip


def _missing(value: Any) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value))
    )


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
