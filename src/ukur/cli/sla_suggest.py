"""``ukur sla suggest``: propose a target the history would have met at the goal.

::

    ukur sla suggest tickets.csv --start created_at --stop first_response_at --calendar office-id --goal 95%

Records come through :func:`ukur.io.read_table` (CSV, XLSX, JSON, JSON Lines); timestamps without an offset
are local time in the calendar's timezone.  ``--calendar`` is ``24x7``, a built-in calendar (``office-id``)
or a YAML file: a calendar mapping (``hours``/``holidays``/``closed``, optional ``timezone``) or an agreement
whose ``calendars:`` holds it (``FILE.yaml:NAME`` picks one of several).  Records without a stop, or with a
stop before the start, are left out and counted.
"""

from __future__ import annotations

import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
import yaml
from rich.console import Console
from rich.table import Table

from ukur.errors import AgreementError, DataError
from ukur.io import read_table
from ukur.sla.calendar import BusinessCalendar, builtin_calendar
from ukur.sla.duration import parse_timestamps
from ukur.sla.suggest import TargetSuggestion, format_seconds, suggest_target

__all__ = ["load_calendar", "suggest"]


class SuggestFormat(StrEnum):
    """Output formats of ``suggest``."""

    text = "text"
    json = "json"


def load_calendar(choice: str, *, timezone: str | None = None) -> BusinessCalendar:
    """``24x7``, a built-in calendar name, or ``FILE.yaml[:NAME]`` (a calendar or an agreement's calendars)."""
    head, _, tail = choice.rpartition(":")
    path_text, name = (head, tail) if head.lower().endswith((".yaml", ".yml")) else (choice, "")
    path = Path(path_text)
    if path.suffix.lower() not in {".yaml", ".yml"}:
        return builtin_calendar(choice, timezone=timezone)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("calendar file not found", source=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AgreementError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            source=str(path),
            line=None if mark is None else mark.line + 1,
            column=None if mark is None else mark.column + 1,
        ) from None
    if not isinstance(document, dict):
        raise AgreementError(
            "expected a calendar (hours, holidays, closed) or an agreement", source=str(path)
        )
    zone = timezone or document.get("timezone") or "UTC"
    try:
        if "calendars" in document:
            calendars = document["calendars"]
            if not isinstance(calendars, dict) or not calendars:
                raise AgreementError("calendars: expected a mapping of calendar names", field="calendars")
            if not name:
                if len(calendars) != 1:
                    raise AgreementError(
                        f"the file has several calendars ({', '.join(map(str, calendars))}); "
                        f"pick one with {path}:NAME",
                        field="calendars",
                    )
                name = str(next(iter(calendars)))
            if name == "24x7":
                return BusinessCalendar.always_open(zone)
            if name not in calendars:
                raise AgreementError(
                    f"no calendar {name!r} (calendars: {', '.join(map(str, calendars))})", field="calendars"
                )
            return BusinessCalendar.from_spec(name, calendars[name], timezone=zone)
        spec = {k: v for k, v in document.items() if k not in {"timezone", "name"}}
        return BusinessCalendar.from_spec(str(document.get("name") or path.stem), spec, timezone=zone)
    except AgreementError as exc:
        exc.source = exc.source or str(path)
        raise


def _column(frame: Any, column: str, option: str) -> Any:
    if column not in frame.columns:
        raise DataError(
            f"{option}: no column {column!r} (columns: {', '.join(map(str, frame.columns))})",
            source=frame.attrs.get("source"),
            field=column,
        )
    return frame[column]


def suggest(
    records: Annotated[Path, typer.Argument(metavar="RECORDS", help="Record file (CSV, XLSX, JSON, JSONL).")],
    start: Annotated[str, typer.Option("--start", help="Column with the start time.")],
    stop: Annotated[str, typer.Option("--stop", help="Column with the stop time.")],
    calendar: Annotated[
        str,
        typer.Option("--calendar", help="24x7, office-id, or FILE.yaml[:NAME] (a calendar or agreement)."),
    ] = "24x7",
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="IANA zone, e.g. Asia/Jakarta (default: the calendar's, else UTC)."),
    ] = None,
    goal: Annotated[str, typer.Option("--goal", help="Share of records that must meet the target.")] = "95%",
    candidate: Annotated[
        list[str] | None,
        typer.Option(
            "--candidate",
            help="Candidate target for the table, e.g. 4h (repeatable; default: steps around the estimate).",
        ),
    ] = None,
    samples: Annotated[int, typer.Option("--samples", help="Bootstrap replicates.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap.")] = 0,
    output_format: Annotated[
        SuggestFormat, typer.Option("--format", help="text or json.")
    ] = SuggestFormat.text,
) -> None:
    """Suggest a realistic target from historical records, with a bootstrap interval and a compliance table."""
    frame = read_table(records)
    cal = load_calendar(calendar, timezone=timezone)
    begin = parse_timestamps(_column(frame, start, "--start"), timezone=cal.timezone, field=start)
    end = parse_timestamps(_column(frame, stop, "--stop"), timezone=cal.timezone, field=stop)
    elapsed = cal.open_seconds(begin, end)
    elapsed = np.where(end < begin, np.nan, elapsed)
    result = suggest_target(
        elapsed,
        goal=goal,
        candidates=candidate or None,
        samples=samples,
        seed=seed,
        business=not cal.always,
    )
    if output_format is SuggestFormat.json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(
            suggestion_text(result, source=str(records), calendar=cal, start=start, stop=stop), nl=False
        )


def suggestion_text(
    result: TargetSuggestion, *, source: str, calendar: BusinessCalendar, start: str, stop: str
) -> str:
    """The text report: the estimate, its interval, the two rounded targets and the candidate table."""
    business = result.business

    def span(seconds: float | None) -> str:
        return "—" if seconds is None else format_seconds(seconds, business=business)

    def pct(share: float | None) -> str:
        return "—" if share is None else f"{share:.1%}"

    clock = "open time" if business else "wall time"
    lines = [
        f"{source}: {start} → {stop}, calendar {calendar.name} ({calendar.timezone}), {clock}",
        f"records used: {result.records:,}"
        + (f" ({result.dropped:,} left out: no stop, or stop before start)" if result.dropped else ""),
        f"{pct(result.goal)} of records finished within {span(result.quantile_seconds)} "
        f"({result.confidence:.0%} bootstrap interval {span(result.interval_low)} – {span(result.interval_high)}, "
        f"{result.samples:,} resamples, seed {result.seed})",
        f"suggested target: {result.suggested_text or '—'} (met by {pct(result.suggested_compliance)} of the history)",
        f"safe target:      {result.safe_text or '—'} (covers the interval's upper end; met by "
        f"{pct(result.safe_compliance)})",
        "",
    ]
    table = Table(title="Compliance under candidate targets", title_justify="left")
    for header, justify in (("target", "left"), ("met", "right"), ("total", "right"), ("compliance", "right"),
                            ("meets goal", "left")):  # fmt: skip
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in result.candidates.to_dict(orient="records"):
        table.add_row(
            str(row["target"]),
            f"{int(row['met']):,}",
            f"{int(row['total']):,}",
            pct(float(row["compliance"])),
            "yes" if row["meets_goal"] else "no",
        )
    buffer = io.StringIO()
    Console(file=buffer, width=100, no_color=True, highlight=False).print(table)
    return "\n".join(lines) + "\n" + buffer.getvalue()
