"""``ukur db``: Database: migrate, back up, restore."""

from __future__ import annotations

import typer

app = typer.Typer(help="Database: migrate, back up, restore.", no_args_is_help=True)
