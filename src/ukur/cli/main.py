"""The ``ukur`` command: registers one sub-command group per module and translates errors once.

Exit codes: 0 success, 1 an unexpected failure (a bug: the traceback is shown), 2 a user error
(bad arguments, an invalid model or agreement, an unreadable file) with a one-line message on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from ukur import __version__
from ukur.cli import db, pls, reminders, serve, sla, survey, users, worker
from ukur.errors import UkurError

app = typer.Typer(
    name="ukur",
    help="Measure what you promised (SLAs) and what customers feel (PLS-SEM).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(pls.app, name="pls")
app.add_typer(sla.app, name="sla")
app.add_typer(survey.app, name="survey")
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(reminders.app, name="reminders")
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit(0)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` and return the exit code, translating errors for a person.

    Typer handles its own usage errors (exit 2); ukur's errors and unreadable files named by the user
    are turned into one line on stderr and exit code 2 here, so no user mistake shows a traceback.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        app(args=args, prog_name="ukur", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except UkurError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        name = getattr(exc, "filename", None)
        print(f"error: {str(name) + ': ' if name else ''}{exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
