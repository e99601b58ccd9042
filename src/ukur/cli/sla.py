"""``ukur sla``: validate and evaluate service level agreements, explain a record's clock.

Agreement files are read here (the engine only parses text); a child agreement's parent is looked up as
``<parent>.yaml`` in ``--agreements DIR`` and next to the child file. Record files go through
:func:`ukur.io.read_table` (CSV, XLSX, JSON, JSON Lines). Every user mistake is an
:class:`~ukur.errors.UkurError`, which :func:`ukur.cli.main.run` turns into one line and exit code 2.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from ukur.cli import (
    sla_contract,
    sla_diff,
    sla_document,
    sla_new,
    sla_render,
    sla_report,
    sla_success,
    sla_suggest,
)
from ukur.cli.files import write_atomic
from ukur.cli.options import AgreementsDir
from ukur.errors import AgreementError, UkurError
from ukur.io import read_table
from ukur.sla import Agreement, AgreementRegistry, evaluate, explain_record

app = typer.Typer(
    help="Service level agreements: validate, evaluate, explain, suggest.", no_args_is_help=True
)


class Format(StrEnum):
    """Output formats of ``evaluate`` and ``explain``."""

    text = "text"
    json = "json"


RecordsOpt = Annotated[
    list[str] | None, typer.Option("--records", help="STREAM=FILE, e.g. tickets=tickets.csv (repeatable).")
]
HistoryOpt = Annotated[
    list[str] | None,
    typer.Option("--status-history", help="STREAM=FILE with record_id,status,at rows (for pauses)."),
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="'Now' for open records (ISO time; local to the agreement).")
]
FormatOpt = Annotated[Format, typer.Option("--format", help="text (tables) or json.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")]


def registry_for(path: Path, agreements: Path | None) -> AgreementRegistry:
    """A registry that finds parents as ``<id>.yaml``/``<id>.yml`` in ``agreements`` or next to ``path``."""
    folders = [f for f in (agreements, path.parent) if f is not None]

    def read(agreement_id: str) -> tuple[str, str]:
        tried = []
        for folder in folders:
            for suffix in (".yaml", ".yml"):
                candidate = folder / f"{agreement_id}{suffix}"
                tried.append(str(candidate))
                if candidate.is_file():
                    return candidate.read_text(encoding="utf-8"), str(candidate)
        raise AgreementError(
            f"parent agreement {agreement_id!r} not found (looked for {', '.join(tried)}; use --agreements DIR)",
            source=str(path),
            field="parent",
        )

    return AgreementRegistry(read)


def load_file(path: Path, agreements: Path | None = None) -> Agreement:
    """Read and load one agreement file, resolving its parents."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AgreementError("the agreement is not UTF-8 text", source=str(path)) from None
    return registry_for(path, agreements).load(text, source=str(path))


def _pairs(values: list[str] | None, option: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for value in values or []:
        name, sep, file = value.partition("=")
        if not sep or not name.strip() or not file.strip():
            raise UkurError(f"{option} expects STREAM=FILE (e.g. tickets=tickets.csv), got {value!r}")
        if name.strip() in found:
            raise UkurError(f"{option} names stream {name.strip()!r} twice")
        found[name.strip()] = Path(file.strip())
    return found


def _tables(values: list[str] | None, option: str) -> dict[str, pd.DataFrame]:
    return {name: read_table(path) for name, path in _pairs(values, option).items()}


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output`` (a temporary file renamed into place)."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    write_atomic(output, text)


@app.command("validate")
def validate(
    files: Annotated[list[Path], typer.Argument(help="Agreement files (YAML, ukur: sla/v1).")],
    agreements: AgreementsDir = None,
) -> None:
    """Check agreement files against the sla/v1 schema and rules; one line per file."""
    failed = 0
    for path in files:
        try:
            agreement = load_file(path, agreements)
        except (UkurError, OSError) as exc:
            message = str(exc) if isinstance(exc, UkurError) else f"{path}: {getattr(exc, 'strerror', exc)}"
            typer.echo(f"error: {message}", err=True)
            failed += 1
            continue
        typer.echo(sla_render.validated_line(path, agreement))
        sla_contract.warn_language(agreement)
    if failed:
        raise typer.Exit(2)


@app.command("evaluate")
def evaluate_command(
    agreement_file: Annotated[Path, typer.Argument(metavar="AGREEMENT.yaml", help="The agreement.")],
    records: RecordsOpt = None,
    status_history: HistoryOpt = None,
    claims: Annotated[
        Path | None, typer.Option("--claims", help="Claims file (id,record_id,filed_at,...).")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="2026-10, 2026-Q4, 2026, 2026-W41, A..B.")
    ] = None,
    as_of: AsOfOpt = None,
    output_format: FormatOpt = Format.text,
    output: OutputOpt = None,
    agreements: AgreementsDir = None,
) -> None:
    """Evaluate an agreement against record files: records, windows, credits, claims."""
    agreement = load_file(agreement_file, agreements)
    if not records:
        raise UkurError(
            f"give the record files with --records STREAM=FILE (streams: {', '.join(agreement.streams)})"
        )
    unknown = sorted(set(_pairs(records, "--records")) - set(agreement.streams))
    if unknown:
        raise UkurError(
            f"no objective reads stream(s) {', '.join(unknown)} (streams: {', '.join(agreement.streams)})"
        )
    tables = _tables(records, "--records")
    result = evaluate(
        agreement,
        tables,
        status_history=_tables(status_history, "--status-history"),
        claims=read_table(claims) if claims is not None else None,
        period=period,
        as_of=as_of,
    )
    if output_format is Format.json:
        text = (
            json.dumps(result.to_dict() | sla_contract.termination_dict(result), ensure_ascii=False, indent=2)
            + "\n"
        )
    else:
        text = sla_render.compliance_text(result) + sla_contract.termination_text(result)
    write_output(text, output)


@app.command("explain")
def explain(
    agreement_file: Annotated[Path, typer.Argument(metavar="AGREEMENT.yaml", help="The agreement.")],
    record_id: Annotated[str, typer.Argument(metavar="RECORD_ID", help="The record's id.")],
    records: RecordsOpt = None,
    status_history: HistoryOpt = None,
    objective: Annotated[str | None, typer.Option("--objective", help="Only this objective.")] = None,
    as_of: AsOfOpt = None,
    output_format: FormatOpt = Format.text,
    output: OutputOpt = None,
    agreements: AgreementsDir = None,
) -> None:
    """Explain one record's clock: which stretches counted, which were closed, paused or excluded."""
    agreement = load_file(agreement_file, agreements)
    if not records:
        raise UkurError("give the record files with --records STREAM=FILE")
    found = explain_record(
        agreement,
        _tables(records, "--records"),
        record_id,
        objective=objective,
        status_history=_tables(status_history, "--status-history"),
        as_of=as_of,
    )
    if output_format is Format.json:
        text = json.dumps([e.to_dict() for e in found], ensure_ascii=False, indent=2) + "\n"
    else:
        text = sla_render.explanations_text(agreement, found)
    write_output(text, output)


app.command("suggest")(sla_suggest.suggest)
app.command("report")(sla_report.report)
app.command("new")(sla_new.new)
app.command("diff")(sla_diff.diff)
app.command("success")(sla_success.success)
app.command("document")(sla_document.document)
