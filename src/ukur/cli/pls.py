"""``ukur pls``: PLS-SEM estimation from the command line."""

from __future__ import annotations

import typer

app = typer.Typer(help="PLS-SEM: estimate models, bootstrap, report.", no_args_is_help=True)
