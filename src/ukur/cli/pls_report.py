"""``ukur pls report MODEL DATA --output report.html|report.xlsx|report.docx``: the PLS report as a file.

Estimates the model (SmartPLS defaults: path weighting, mean replacement), optionally bootstraps it
(``--bootstrap N --seed S``, with ``--hypotheses FILE`` tested on the bootstrap), tabulates the
respondent profile of ``--profile "Gender,Education"`` and writes one of:

* ``.html`` — one self-contained, printable page (inline CSS and SVG diagrams);
* ``.xlsx`` — one sheet per table, numbers as numbers;
* ``.docx`` — tables, the diagrams as PNG (needs CairoSVG) and the written results.

``--lang id`` writes Bahasa Indonesia (decimal comma), ``--lang en`` English. The sample-size warning
uses the inverse square root method (Kock & Hadaya 2018) for the smallest estimated path. The file is
written atomically (temporary file, then rename). User errors exit with code 2 and one line on stderr.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ukur.cli import pls_bootstrap
from ukur.cli.files import read_text, write_atomic
from ukur.cli.pls_estimate import estimate_reporting_warnings
from ukur.errors import DataError
from ukur.io import read_table
from ukur.pls import Model
from ukur.report.pls_render import format_for, render
from ukur.report.pls_tables import build_report
from ukur.survey.sample_size import inverse_square_root

__all__ = ["report"]


class Language(StrEnum):
    en = "en"
    id = "id"


def _min_sample(paths: list[float]) -> int | None:
    """Inverse square root minimum for the smallest |path| (None when no path is at least 0.01)."""
    usable = [abs(p) for p in paths if 0.01 <= abs(p) < 1]
    return inverse_square_root(min(usable)) if usable else None


def report(
    model_file: Annotated[Path, typer.Argument(help="Model in the lavaan-style syntax (=~, <~, ~).")],
    data_file: Annotated[Path, typer.Argument(help="Data: CSV (comma or semicolon), XLSX or JSON.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="report.html, report.xlsx or report.docx.")],
    lang: Annotated[Language, typer.Option("--lang", help="Report language: id or en.")] = Language.en,
    profile: Annotated[
        str | None,
        typer.Option("--profile", metavar="COLUMNS", help="Comma-separated categorical columns to tabulate."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Report title.")] = None,
    na: Annotated[
        list[str] | None,
        typer.Option("--na", help="A value that marks a missing answer (repeatable), e.g. -99."),
    ] = None,
    bootstrap: pls_bootstrap.Samples = 0,
    seed: pls_bootstrap.Seed = None,
    ci: pls_bootstrap.Ci = pls_bootstrap.CiMethod.percentile,
    alpha: pls_bootstrap.Alpha = 0.05,
    one_tailed: pls_bootstrap.OneTailed = False,
    hypotheses: pls_bootstrap.HypothesesFile = None,
    workers: pls_bootstrap.Workers = 1,
) -> None:
    """Write the PLS-SEM report (tables, diagrams, warnings, written results) as HTML, XLSX or DOCX."""
    kind = format_for(output.name)
    na_values = tuple(na or ())
    model = Model.from_syntax(read_text(model_file, "model"), source=str(model_file))
    data = read_table(data_file, na_values=na_values)
    columns = [c.strip() for c in (profile or "").split(",") if c.strip()]
    for c in columns:
        if c not in data.columns:
            raise DataError(f"profile column '{c}' is not in the data", source=str(data_file), field=c)
    result = estimate_reporting_warnings(model, data, na_values=na_values, source=str(data_file))
    outcome = pls_bootstrap.run(
        result,
        samples=bootstrap,
        seed=seed,
        ci=ci,
        alpha=alpha,
        one_tailed=one_tailed,
        hypotheses_file=hypotheses,
        workers=workers,
    )
    doc = build_report(
        result,
        boot=None if outcome is None else outcome.boot,
        hypotheses=None if outcome is None else outcome.hypotheses,
        profile=data if columns else None,
        profile_columns=columns,
        lang=lang.value,
        min_sample=_min_sample(result.paths["estimate"].tolist()),
        title=title,
    )
    payload = render(doc, kind)
    write_atomic(output, payload)
    typer.echo(f"wrote {output}", err=True)
