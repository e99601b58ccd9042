"""``ukur sla``: validate and evaluate service level agreements."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Service level agreements: validate, evaluate, explain, suggest.", no_args_is_help=True
)
