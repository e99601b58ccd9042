"""``ukur pls audit TABLE.yaml``: check the identities between a paper's reported PLS-SEM numbers.

Prints one row per identity (what was printed, what the other printed numbers imply, the interval the
rounding allows, and whether it holds), then a one-line summary; ``--format json`` prints
:meth:`ukur.pls.audit.AuditResult.to_dict`.

Exit codes (so the audit can gate a pipeline, like a linter):

* 0 — every identity holds;
* 1 — at least one identity does not hold (the table still lists every check);
* 2 — the YAML is unreadable or invalid (one line on stderr naming the file and line).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ukur.errors import DataError
from ukur.pls.audit import AuditResult, load_reported
from ukur.pls.audit import audit as run_audit

__all__ = ["audit", "render_table"]


class Format(StrEnum):
    text = "text"
    json = "json"


def _num(x: float) -> str:
    return f"{x:.6g}"


def render_table(result: AuditResult, console: Console) -> None:
    """Print the checks as a Rich table followed by a summary line."""
    table = Table(title=result.reported.study or result.reported.source, show_lines=False)
    for col in ("", "identity", "table", "item", "printed", "computed", "allowed", "note"):
        table.add_column(col, overflow="fold", no_wrap=col in ("", "identity", "printed"))
    for r in result.checks.to_dict(orient="records"):
        mark = "[green]✓[/green]" if r["holds"] else "[bold red]✗[/bold red]"
        low, high = float(r["low"]), float(r["high"])
        allowed = _num(low) if low == high else f"{_num(low)} … {_num(high)}"
        table.add_row(
            mark, str(r["identity"]), str(r["table"]), str(r["item"]),
            _num(float(r["printed"])), _num(float(r["computed"])), allowed, str(r["note"]),
        )  # fmt: skip
    console.print(table)
    failed = int((~result.checks["holds"]).sum())
    total = len(result.checks)
    if total == 0:
        console.print(
            "No identity can be checked from these numbers (see ukur.pls.audit for what is needed)."
        )
    elif failed:
        console.print(f"[bold red]{failed} of {total} identities do not hold.[/bold red]")
    else:
        console.print(f"[green]All {total} identities hold.[/green]")


def audit(
    table_file: Annotated[
        Path, typer.Argument(help="The paper's reported numbers as YAML (format: ukur.pls.audit_input).")
    ],
    output_format: Annotated[Format, typer.Option("--format", help="Text table or JSON.")] = Format.text,
) -> None:
    """Check that a paper's printed PLS-SEM numbers agree with each other (exit 1 when any does not)."""
    try:
        text = table_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", source=str(table_file)) from exc
    result = run_audit(load_reported(text, source=str(table_file)))
    if output_format is Format.json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        render_table(result, Console(width=max(Console().width, 120)))
    if not result.ok:
        raise typer.Exit(1)
