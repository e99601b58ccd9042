"""Command-line interface (Typer). The one place where errors become exit codes and messages."""
