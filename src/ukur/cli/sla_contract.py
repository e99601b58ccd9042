"""What ``ukur sla validate`` and ``ukur sla evaluate`` say about the contract part of an agreement.

``validate`` warns (on stderr, exit code unchanged) when an agreement involving an Indonesian party has
clauses without Bahasa Indonesia text (UU 24/2009 Art. 31); ``evaluate`` reports each right to
terminate (``contract.termination.rights``) as triggered or not, in its text and, under the key
``termination``, in its JSON — only for agreements that have such rights, so other output is unchanged.
"""

from __future__ import annotations

from typing import Any

import typer

from ukur.sla import Agreement, Compliance
from ukur.sla.contract_load import language_warnings, termination_status

__all__ = ["termination_dict", "termination_text", "warn_language"]


def warn_language(agreement: Agreement) -> None:
    """Print the UU 24/2009 warnings of ``agreement`` on stderr."""
    for warning in language_warnings(agreement):
        typer.echo(f"warning: {warning}", err=True)


def termination_dict(result: Compliance) -> dict[str, Any]:
    """``{"termination": [{objective, party, breached, of, windows, missed, missed_windows, triggered}]}``,
    or ``{}`` when the agreement has no right to terminate."""
    status = termination_status(result.agreement, result.windows)
    if status.empty:
        return {}
    rows = status.to_dict(orient="records")
    return {
        "termination": [{k: (bool(v) if k == "triggered" else v) for k, v in row.items()} for row in rows]
    }


def termination_text(result: Compliance) -> str:
    """One line per right to terminate, or nothing."""
    status = termination_status(result.agreement, result.windows)
    lines = []
    for row in status.to_dict(orient="records"):
        state = "TRIGGERED" if row["triggered"] else "not triggered"
        missed = ", ".join(row["missed_windows"]) or "none"
        lines.append(
            f"right to terminate ({row['party']}): {row['objective']} missed in {row['breached']} of the last "
            f"{row['of']} windows — {state} (missed {row['missed']} of {row['windows']} final windows: {missed})"
        )
    return "\n" + "\n".join(lines) + "\n" if lines else ""
