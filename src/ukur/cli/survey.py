"""``ukur survey``: Questionnaires: design, import, screen, sample size.

Commands::

    ukur survey validate Q.yaml [--format text|json]
    ukur survey model Q.yaml [--paths "Y ~ X + M" ...] [--output model.txt]
    ukur survey import Q.yaml EXPORT.csv --output coded.csv|coded.xlsx [--exclude straightliners,duplicates]
    ukur survey screen Q.yaml EXPORT.csv [--format text|json]
    ukur survey sample-size --min-path 0.2 [--alpha 0.05] [--power 0.8] [--max-arrows 2 | --model model.txt]

Every user mistake (invalid questionnaire, unreadable export, unknown check name) is a ``UkurError`` that
``ukur.cli.main.run`` turns into one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ukur.errors import DataError, SpecError
from ukur.io import read_table
from ukur.survey.export import write_export
from ukur.survey.imports import ImportResult, import_responses
from ukur.survey.questionnaire import Questionnaire, load_questionnaire
from ukur.survey.sample_size import plan_sample_size
from ukur.survey.screening import CHECKS, Screening, ScreeningOptions, parse_checks, screen
from ukur.survey.specify import model_syntax

app = typer.Typer(help="Questionnaires: design, import, screen, sample size.", no_args_is_help=True)

_SHOWN = 50
"""Lines of problems, issues or exclusions printed as text before a summary line takes over."""

QuestionnaireArg = Annotated[Path, typer.Argument(help="The questionnaire YAML file.")]
ExportArg = Annotated[
    Path, typer.Argument(help="The form export (CSV or XLSX) with question texts as headers.")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")]
SheetOpt = Annotated[
    str | None,
    typer.Option("--sheet", help="XLSX only: the sheet holding the responses (name or 0-based index)."),
]
StraightOpt = Annotated[
    str,
    typer.Option("--straightlining", help="Flag one answer across the whole 'form' or every 'construct'."),
]
MissingOpt = Annotated[
    float, typer.Option("--max-missing", help="Flag respondents missing more than this share.")
]
SecondsOpt = Annotated[
    float,
    typer.Option("--seconds-per-item", help="Flag responses faster than this many seconds per question."),
]


def _format(value: str) -> str:
    if value not in ("text", "json"):
        raise SpecError(f"unknown format '{value}' (choose text or json)", field="format")
    return value


def _emit_json(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@app.command()
def validate(
    questionnaire: QuestionnaireArg,
    fmt: FormatOpt = "text",
) -> None:
    """Check a questionnaire file and summarise it."""
    q = load_questionnaire(questionnaire)
    if _format(fmt) == "json":
        _emit_json(q.to_dict())
        return
    typer.echo(f"{questionnaire}: valid questionnaire '{q.title.get()}'")
    typer.echo(
        f"  languages: {', '.join(q.languages)}; scale: {q.scale.points} points ({q.scale.describe()})"
    )
    typer.echo(f"  profile questions: {len(q.profile)}; attention checks: {len(q.attention_checks)}")
    for c in q.constructs:
        reversed_ = [i.code for i in c.items if i.reversed]
        note = f" (reverse-coded: {', '.join(reversed_)})" if reversed_ else ""
        typer.echo(f"  {c.name}: {', '.join(c.codes)}{note}")


@app.command()
def model(
    questionnaire: QuestionnaireArg,
    paths: Annotated[
        list[str] | None,
        typer.Option(
            "--paths", "-p", help='A structural statement such as "Minat Beli ~ Promosi" (repeatable).'
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the model here, not to stdout.")
    ] = None,
) -> None:
    """Write the PLS model syntax: one Mode A block per construct, plus any --paths."""
    text = model_syntax(load_questionnaire(questionnaire), paths or [])
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot write the file ({exc.strerror or exc})", source=str(output)) from None
    typer.echo(f"wrote {output}", err=True)


def _load(questionnaire: Path, export: Path, sheet: str | None) -> tuple[Questionnaire, ImportResult]:
    q = load_questionnaire(questionnaire)
    sheet_arg: str | int | None = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    table = read_table(export, sheet=sheet_arg)
    return q, import_responses(q, table, source=str(export))


def _options(straightlining: str, max_missing: float, seconds_per_item: float) -> ScreeningOptions:
    if straightlining not in ("form", "construct"):
        raise SpecError("--straightlining must be 'form' or 'construct'", field="straightlining")
    return ScreeningOptions(
        max_missing=max_missing,
        straightlining="form" if straightlining == "form" else "construct",
        seconds_per_item=seconds_per_item,
    )


_STRAIGHT = typer.Option(
    "form", "--straightlining", help="Flag one answer across the whole 'form' or every 'construct'."
)
_MISSING = typer.Option(0.15, "--max-missing", help="Flag respondents missing more than this share of items.")
_SECONDS = typer.Option(
    2.0, "--seconds-per-item", help="Flag responses faster than this many seconds per question."
)


@app.command("import")
def import_(
    questionnaire: QuestionnaireArg,
    export: ExportArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Coded data to write: .csv, or .xlsx with a codebook.")
    ],
    exclude: Annotated[
        str,
        typer.Option(
            "--exclude", "-x", help=f"Drop respondents flagged by these checks ({', '.join(CHECKS)}, all)."
        ),
    ] = "",
    sheet: SheetOpt = None,
    straightlining: StraightOpt = "form",
    max_missing: MissingOpt = 0.15,
    seconds_per_item: SecondsOpt = 2.0,
) -> None:
    """Code a form export (labels → numbers, reversed items recoded) and write the cleaned data."""
    checks = parse_checks(exclude) if exclude.strip() else ()
    q, imported = _load(questionnaire, export, sheet)
    report = screen(imported, _options(straightlining, max_missing, seconds_per_item))
    cleaned = report.exclude(checks)
    write_export(output, cleaned.data, q, excluded=cleaned.excluded)
    _print_import(imported, err=True)
    typer.echo(f"wrote {output}: {len(cleaned.data)} respondents", err=True)
    for row in cleaned.excluded.head(_SHOWN).itertuples():
        typer.echo(f"  excluded respondent {row.respondent} (line {row.line}): {row.reasons}", err=True)
    if len(cleaned.excluded) > _SHOWN:
        typer.echo(
            f"  … and {len(cleaned.excluded) - _SHOWN} more excluded (see the XLSX 'excluded' sheet)",
            err=True,
        )
    flagged_only = sorted(set(report.issues["respondent"]) - set(cleaned.excluded["respondent"]))
    if flagged_only:
        shown = ", ".join(map(str, flagged_only[:_SHOWN])) + (" …" if len(flagged_only) > _SHOWN else "")
        typer.echo(f"  kept but flagged: {shown} (see 'ukur survey screen')", err=True)


@app.command("screen")
def screen_(
    questionnaire: QuestionnaireArg,
    export: ExportArg,
    fmt: FormatOpt = "text",
    sheet: SheetOpt = None,
    straightlining: StraightOpt = "form",
    max_missing: MissingOpt = 0.15,
    seconds_per_item: SecondsOpt = 2.0,
) -> None:
    """Report missing, off-scale, straight-lined, inattentive, duplicate and too-fast responses."""
    form = _format(fmt)
    _, imported = _load(questionnaire, export, sheet)
    report = screen(imported, _options(straightlining, max_missing, seconds_per_item))
    if form == "json":
        _emit_json({"import": imported.to_dict(), "screening": report.to_dict()})
        return
    _print_import(imported, err=False)
    _print_screening(report)


def _print_import(imported: ImportResult, *, err: bool) -> None:
    counts = imported.columns["role"].value_counts()
    matched = int(counts.get("item", 0) + counts.get("profile", 0) + counts.get("attention", 0))
    typer.echo(f"{imported.source}: {imported.respondents} responses, {matched} questions matched", err=err)
    for row in imported.columns[imported.columns["role"] == "unmatched"].itertuples():
        hint = f" (did you mean '{row.suggestion}'?)" if isinstance(row.suggestion, str) else ""
        typer.echo(f"  unmatched column: '{row.column}'{hint}", err=err)
    if imported.missing_questions:
        typer.echo(f"  questions not in the export: {', '.join(imported.missing_questions)}", err=err)
    for row in imported.problems.head(_SHOWN).itertuples():
        typer.echo(f"  line {row.line}, '{row.code}': {row.value!r} is {row.problem}", err=err)
    if len(imported.problems) > _SHOWN:
        typer.echo(
            f"  … and {len(imported.problems) - _SHOWN} more unreadable cells (--format json lists all)",
            err=err,
        )


def _print_screening(report: Screening) -> None:
    typer.echo("checks:")
    for row in report.checks.itertuples():
        status = f"{row.flagged} flagged" if row.available else "not available"
        typer.echo(f"  {row.check:<15} {status:<14} {row.rule}")
    if report.issues.empty:
        typer.echo("no problems found")
        return
    typer.echo("flagged respondents:")
    for row in report.issues.head(_SHOWN).itertuples():
        typer.echo(f"  respondent {row.respondent} (line {row.line}): {row.check}: {row.detail}")
    if len(report.issues) > _SHOWN:
        typer.echo(f"  … and {len(report.issues) - _SHOWN} more (--format json lists all)")
    worst = report.items.sort_values("missing", ascending=False).head(1)
    if len(worst) and int(worst["missing"].iloc[0]) > 0:
        typer.echo(f"most missing item: {worst.index[0]} ({int(worst['missing'].iloc[0])} blank)")


@app.command("sample-size")
def sample_size(
    min_path: Annotated[
        float, typer.Option("--min-path", help="Smallest absolute path coefficient to detect.")
    ],
    alpha: Annotated[float, typer.Option("--alpha", help="Significance level.")] = 0.05,
    power: Annotated[float, typer.Option("--power", help="Statistical power.")] = 0.8,
    two_tailed: Annotated[
        bool, typer.Option("--two-tailed", help="Two-tailed tests (the paper uses one-tailed).")
    ] = False,
    max_arrows: Annotated[
        int | None,
        typer.Option("--max-arrows", help="Most arrows pointing at one construct (10-times rule)."),
    ] = None,
    model_file: Annotated[
        Path | None, typer.Option("--model", help="A PLS model file to count arrows in.")
    ] = None,
    fmt: FormatOpt = "text",
) -> None:
    """Minimum sample size: inverse square root and gamma-exponential methods (Kock & Hadaya 2018)."""
    form = _format(fmt)
    arrows = max_arrows
    if model_file is not None:
        arrows = _max_arrows(model_file)
    plan = plan_sample_size(min_path, alpha=alpha, power=power, two_tailed=two_tailed, max_arrows=arrows)
    if form == "json":
        _emit_json(plan.to_dict())
        return
    tails = "two-tailed" if two_tailed else "one-tailed"
    typer.echo(f"smallest path |β| = {plan.min_path:g}, α = {alpha:g} ({tails}), power = {power:g}")
    typer.echo(f"  inverse square root  N ≥ {plan.inverse_square_root}   (recommended)")
    typer.echo(f"  gamma-exponential    N ≥ {plan.gamma_exponential}")
    if plan.ten_times is None:
        typer.echo("  10-times rule        give --max-arrows or --model to compare")
    else:
        typer.echo(
            f"  10-times rule        N ≥ {plan.ten_times}   ({plan.max_arrows} arrows; for comparison only)"
        )
    typer.echo(f"note: {plan.to_dict()['ten_times_note']}")
    typer.echo("source: Kock & Hadaya (2018), Information Systems Journal 28(1), 227-261")


def _max_arrows(path: Path) -> int:
    from ukur.pls.model import Mode, Model

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot read the file ({exc.strerror or exc})", source=str(path)) from None
    m = Model.from_syntax(text, source=str(path))
    counts = [len(m.predecessors(n)) for n in m.construct_names]
    counts += [len(c.indicators) for c in m.constructs if c.mode is Mode.B]
    return max([*counts, 1])
