"""Command-line options that several ``ukur sla`` commands take, declared once so their help stays the same."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["AgreementsDir"]

AgreementsDir = Annotated[
    Path | None,
    typer.Option(
        "--agreements", help="Folder with parent agreements (<id>.yaml); default: next to the file."
    ),
]
"""Where the parents named by ``parent:`` are looked up (``<id>.yaml``)."""
