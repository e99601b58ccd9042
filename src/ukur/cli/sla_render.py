"""Text output of ``ukur sla`` as Rich tables: the same numbers as the JSON, formatted for a person.

Rendering only: every number comes from :class:`~ukur.sla.Compliance` or
:class:`~ukur.sla.RecordExplanation`; nothing is computed here beyond formatting.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from ukur.sla import Agreement, Compliance, RecordExplanation

__all__ = ["compliance_text", "explanations_text", "validated_line"]

_INVALID_SHOWN = 20


def validated_line(path: Path, agreement: Agreement) -> str:
    """``ok: file: id v3 (customer, signed), 4 objectives, parent kilat-corporate``."""
    state = "signed" if agreement.signed else "DRAFT: not signed by both parties"
    parent = f", parent {' → '.join(agreement.parents)}" if agreement.parents else ""
    return (
        f"ok: {path}: {agreement.id} v{agreement.version} ({agreement.type.value}, {state}), "
        f"{len(agreement.objectives)} objective(s){parent}"
    )


def _rows(frame: pd.DataFrame) -> list[Any]:
    return [SimpleNamespace(**{str(k): v for k, v in r.items()}) for r in frame.to_dict("records")]


def _missing(value: Any) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def _console(width: int | None) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width or 160, no_color=True, highlight=False, soft_wrap=False)
    return console, buffer


def _pct(value: Any) -> str:
    return "—" if _missing(value) or not math.isfinite(float(value)) else f"{float(value):.2%}"


def _num(value: object, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or value is pd.NA:
        return "—"
    return f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def _money(value: object, currency: object) -> str:
    text = _num(value, 0)
    return text if text == "—" else f"{currency or ''} {text}".strip()


def _duration(seconds: object) -> str:
    if seconds is None or (isinstance(seconds, float) and not math.isfinite(seconds)):
        return "—"
    total = round(float(seconds))  # type: ignore[arg-type]
    hours, rest = divmod(total, 3600)
    return f"{hours}h{rest // 60:02d}m"


def _time(value: object) -> str:
    return "—" if _missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M UTC")  # type: ignore[arg-type]


def _local(value: object) -> str:
    return pd.Timestamp(value).strftime("%a %Y-%m-%d %H:%M")  # type: ignore[arg-type]


def compliance_text(result: Compliance, *, width: int | None = None) -> str:
    """The evaluation as text: header, windows, credits, claims, invalid records, errors and notes."""
    console, buffer = _console(width)
    a = result.agreement
    console.print(f"[bold]{a.title}[/bold]  ({a.id} v{a.version}, {a.type.value})")
    console.print(f"{a.provider.name} → {a.customer.name}; as of {_time(result.as_of)}"
                  + (f"; period {result.period.label}" if result.period else ""))  # fmt: skip
    if a.draft:
        console.print("DRAFT: this agreement is not signed by both parties.")
    table = Table(title="Objectives by window", show_lines=False)
    for name in ("objective", "window", "total", "met", "breached", "at risk", "open", "excl.", "invalid",
                 "compliance", "goal", "ok", "budget left", "burn", "credit"):  # fmt: skip
        table.add_column(name, justify="left" if name in ("objective", "window", "ok") else "right")
    currency = a.fee.currency if a.fee else ""
    for row in _rows(result.windows):
        ok = "—" if _missing(row.ok) else ("yes" if row.ok else "NO")
        table.add_row(
            str(row.objective), str(row.window), str(row.total), str(row.met), str(row.breached), str(row.at_risk),
            str(row.open), str(row.excluded), str(row.invalid), _pct(row.compliance), _pct(row.goal), ok,
            _pct(row.budget_remaining), _num(row.burn_rate), _money(row.credit, currency),
        )  # fmt: skip
    console.print(table)
    if len(result.credits):
        credits = Table(title=f"Credits owed (total {_money(result.total_credit, currency)})")
        for name in (
            "objective",
            "window",
            "kind",
            "compliance",
            "tier",
            "credit %",
            "records",
            "amount",
            "final",
        ):
            credits.add_column(name)
        for c in _rows(result.credits):
            tier = "—" if _missing(c.tier_below) else f"below {_pct(c.tier_below)} → {_pct(c.tier_credit)}"
            if c.capped:
                tier += " (capped)"
            credits.add_row(
                str(c.objective), str(c.window), str(c.kind), _pct(c.compliance), tier, _pct(c.credit_percent),
                _num(c.records, 0), _money(c.amount, c.currency), "yes" if c.final else "not yet",
            )  # fmt: skip
        console.print(credits)
    if len(result.claims_windows):
        claims = Table(title="Claims handling")
        for name in (
            "window",
            "total",
            "filed late",
            "on time",
            "late",
            "open",
            "overdue",
            "invalid",
            "compliance",
        ):
            claims.add_column(name)
        for w in _rows(result.claims_windows):
            claims.add_row(
                str(w.window), str(w.total), str(w.filed_late), str(w.on_time), str(w.late), str(w.open),
                str(w.overdue), str(w.invalid), _pct(w.compliance),
            )  # fmt: skip
        console.print(claims)
    at_risk = result.records[result.records["status"] == "at_risk"]
    if len(at_risk):
        risky = Table(title=f"At risk: open and past warn_at ({len(at_risk)})")
        for name in ("stream", "id", "objective", "counted", "target", "deadline"):
            risky.add_column(name)
        for r in _rows(at_risk.sort_values("deadline").head(_INVALID_SHOWN)):
            risky.add_row(str(r.stream), str(r.id), str(r.objective), _duration(r.counted_seconds),
                          _duration(r.target_seconds), _time(r.deadline))  # fmt: skip
        console.print(risky)
    invalid = result.records[result.records["status"] == "invalid"]
    if len(invalid):
        bad = Table(title=f"Invalid records ({len(invalid)})")
        for name in ("stream", "id", "objective", "reason"):
            bad.add_column(name)
        for r in _rows(invalid.head(_INVALID_SHOWN)):
            bad.add_row(str(r.stream), str(r.id), str(r.objective), str(r.reason))
        console.print(bad)
        if len(invalid) > _INVALID_SHOWN:
            console.print(f"… and {len(invalid) - _INVALID_SHOWN} more (see --format json)")
    for error in result.errors:
        console.print(f"error: {error.get('stream') or ''} {error['message']}".replace("  ", " "))
    for note in result.notes:
        console.print(f"note: {note}")
    return buffer.getvalue()


def explanations_text(
    agreement: Agreement, found: Sequence[RecordExplanation], *, width: int | None = None
) -> str:
    """Each explanation: the measurement in one line, then the timeline of the clock."""
    console, buffer = _console(width)
    for e in found:
        m = e.measurement.iloc[0]
        console.print(f"[bold]{e.stream} {e.record_id}[/bold] — objective {e.objective.id}: {e.status}"
                      + (f" ({m['reason']})" if isinstance(m.get("reason"), str) else "")
                      + (f" (exclusion {m['exclusion']})" if isinstance(m.get("exclusion"), str) else ""))  # fmt: skip
        if "target_seconds" in m.index:
            console.print(
                f"counted {_duration(m.get('counted_seconds'))} of target {_duration(m.get('target_seconds'))}"
                f" (elapsed {_duration(m.get('elapsed_seconds'))}, paused {_duration(m.get('paused_seconds'))},"
                f" excluded {_duration(m.get('excluded_seconds'))}); deadline {_time(m.get('deadline'))}"
            )
        if len(e.timeline):
            table = Table(title=f"Clock on calendar {e.objective.calendar!r} ({agreement.timezone})")
            for name in ("from", "to", "kind", "reason", "counted"):
                table.add_column(name)
            for row in e.timeline.itertuples(index=False, name=None):
                table.add_row(
                    _local(row[0]), _local(row[1]), str(row[2]), str(row[3] or ""), _duration(row[6])
                )
            console.print(table)
        console.print("")
    return buffer.getvalue()
