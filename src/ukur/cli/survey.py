"""``ukur survey``: Questionnaires: design, import, screen, sample size."""

from __future__ import annotations

import typer

app = typer.Typer(help="Questionnaires: design, import, screen, sample size.", no_args_is_help=True)
