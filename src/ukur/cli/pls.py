"""``ukur pls``: PLS-SEM estimation from the command line."""

from __future__ import annotations

import typer

from ukur.cli import pls_audit, pls_estimate, pls_report

app = typer.Typer(help="PLS-SEM: estimate models, bootstrap, report.", no_args_is_help=True)
app.command("estimate")(pls_estimate.estimate)
app.command("audit")(pls_audit.audit)
app.command("report")(pls_report.report)
