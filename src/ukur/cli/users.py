"""``ukur users``: User accounts."""

from __future__ import annotations

import typer

app = typer.Typer(help="User accounts.", no_args_is_help=True)
