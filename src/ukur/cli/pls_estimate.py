"""``ukur pls estimate MODEL_FILE DATA_FILE``: estimate a PLS path model and print or save the results.

Text output is a set of Rich tables (the SmartPLS "PLS Algorithm" report: outer model, paths, R², f²,
reliability, discriminant validity, collinearity, effects, item descriptives); ``--format json`` prints
:meth:`ukur.pls.PLSResult.to_dict`.  ``--output FILE`` writes the same text or JSON atomically (a
temporary file in the target directory, then ``os.replace``), so a reader never sees half a file.
User errors (model syntax, unknown indicators, unusable data, missing files) raise
:class:`ukur.errors.UkurError`, which ``ukur.cli.main.run`` turns into one line on stderr and exit code 2.
"""

from __future__ import annotations

import io
import json
import math
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
import yaml
from rich.console import Console
from rich.table import Table

from ukur.cli import pls_bootstrap
from ukur.cli.files import read_text, write_atomic
from ukur.errors import ConvergenceWarning, DataError
from ukur.io import map_likert, read_table
from ukur.pls import Model, PLSResult
from ukur.pls import estimate as estimate_model

__all__ = ["estimate", "estimate_reporting_warnings", "render_text"]


class Scheme(StrEnum):
    path = "path"
    factorial = "factorial"
    centroid = "centroid"


class Missing(StrEnum):
    mean = "mean"
    casewise = "casewise"


class Criterion(StrEnum):
    sum_abs = "sum_abs"
    max_abs = "max_abs"
    sum_squared = "sum_squared"


class Format(StrEnum):
    text = "text"
    json = "json"


class F2(StrEnum):
    smartpls = "smartpls"
    reestimate = "reestimate"


class Htmt(StrEnum):
    absolute = "absolute"
    signed = "signed"


def estimate(
    model_file: Annotated[Path, typer.Argument(help="Model in the lavaan-style syntax (=~, <~, ~).")],
    data_file: Annotated[Path, typer.Argument(help="Data: CSV (comma or semicolon), XLSX or JSON.")],
    scheme: Annotated[Scheme, typer.Option(help="Inner weighting scheme.")] = Scheme.path,
    missing: Annotated[
        Missing, typer.Option(help="Missing values: mean replacement or casewise deletion.")
    ] = (Missing.mean),
    na: Annotated[
        list[str] | None,
        typer.Option("--na", help="A value that marks a missing answer (repeatable), e.g. -99."),
    ] = None,
    max_iter: Annotated[int, typer.Option("--max-iter", min=1, help="Maximum iterations.")] = 300,
    tol: Annotated[float, typer.Option(help="Stop criterion (see --criterion).")] = 1e-7,
    criterion: Annotated[
        Criterion,
        typer.Option(help="Weight-change measure: sum_abs (SmartPLS/seminr), max_abs, sum_squared."),
    ] = Criterion.sum_abs,
    f2: Annotated[F2, typer.Option("--f2", help="f² from the same scores (SmartPLS) or re-estimated.")] = (
        F2.smartpls
    ),
    htmt: Annotated[Htmt, typer.Option(help="HTMT on absolute or signed item correlations.")] = Htmt.absolute,
    likert: Annotated[
        int | None,
        typer.Option(
            help="Map Likert labels in indicator columns (Sangat Setuju … / Strongly agree …): 5 or 7."
        ),
    ] = None,
    likert_map: Annotated[
        Path | None,
        typer.Option("--likert-map", help="YAML/JSON file mapping each Likert label to its score."),
    ] = None,
    output_format: Annotated[Format, typer.Option("--format", help="Text tables or JSON.")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead.")] = None,
    bootstrap: pls_bootstrap.Samples = 0,
    seed: pls_bootstrap.Seed = None,
    ci: pls_bootstrap.Ci = pls_bootstrap.CiMethod.percentile,
    alpha: pls_bootstrap.Alpha = 0.05,
    one_tailed: pls_bootstrap.OneTailed = False,
    hypotheses: pls_bootstrap.HypothesesFile = None,
    workers: pls_bootstrap.Workers = 1,
) -> None:
    """Estimate a PLS-SEM model: loadings, paths, R², f², reliability, validity, VIF, descriptives."""
    if not math.isfinite(tol) or tol <= 0:
        raise DataError(f"--tol must be a positive number, not {tol:g}", field="tol")
    na_values = tuple(na or ())
    model = Model.from_syntax(read_text(model_file, "model"), source=str(model_file))
    data = read_table(data_file, na_values=na_values)
    if likert is not None or likert_map is not None:
        data = _map_likert(data, model, likert, likert_map)
    result = estimate_reporting_warnings(
        model,
        data,
        scheme=scheme.value,
        missing=missing.value,
        na_values=na_values,
        max_iter=max_iter,
        tol=tol,
        criterion=criterion.value,
        f2=f2.value,
        htmt=htmt.value,
        source=str(data_file),
    )
    boot = pls_bootstrap.run(
        result,
        samples=bootstrap,
        seed=seed,
        ci=ci,
        alpha=alpha,
        one_tailed=one_tailed,
        hypotheses_file=hypotheses,
        workers=workers,
    )
    if output_format is Format.json:
        payload = pls_bootstrap.add_json(result.to_dict(), boot)
        text = json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    else:
        text = render_text(result, width=None if output is None else 110, color=output is None)
        text += pls_bootstrap.render_text(boot, width=None if output is None else 110, color=output is None)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text)
        typer.echo(f"wrote {output}", err=True)


def estimate_reporting_warnings(model: Model, data: pd.DataFrame, **options: Any) -> PLSResult:
    """:func:`ukur.pls.estimate`, with a convergence warning printed on stderr as one ``warning:`` line
    (the estimate is still shown: SmartPLS also reports results that did not converge); any other
    warning is passed on unchanged."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result = estimate_model(model, data, **options)
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            typer.echo(f"warning: {w.message}", err=True)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return result


def _map_likert(
    data: pd.DataFrame, model: Model, points: int | None, mapping_file: Path | None
) -> pd.DataFrame:
    """Replace Likert labels by scores in the model's text columns (:func:`ukur.io.map_likert`)."""
    if points is not None and points not in (5, 7):
        raise DataError(f"--likert must be 5 or 7, not {points}", field="likert")
    mapping = None
    if mapping_file is not None:
        loaded = yaml.safe_load(read_text(mapping_file, "Likert mapping"))
        if not isinstance(loaded, dict) or not all(isinstance(v, (int, float)) for v in loaded.values()):
            raise DataError("the Likert mapping must map each label to a number", source=str(mapping_file))
        mapping = {str(k): float(v) for k, v in loaded.items()}
    columns = [
        c for c in model.indicators if c in data.columns and not pd.api.types.is_numeric_dtype(data[c])
    ]
    return map_likert(data, columns, points=points or 5, mapping=mapping)


# --- text rendering -----------------------------------------------------------------------------


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


_LABELS = {
    "r2": "R²",
    "r2_adj": "adjusted R²",
    "f2": "f²",
    "vif": "VIF",
    "alpha": "Cronbach's α",
    "rho_a": "ρA",
    "rho_c": "ρC (composite)",
    "ave": "AVE",
    "sd": "SD",
    "kurtosis": "excess kurtosis",
}


def _table(title: str, frame: pd.DataFrame, *, index: str | None = None, digits: int = 3) -> Table:
    """A Rich table from a DataFrame; ``index`` names the index column (omitted when ``None``)."""
    table = Table(title=title, title_justify="left", title_style="bold")
    if index is not None:
        table.add_column(index)
    for col in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[col].dtype)
        table.add_column(_LABELS.get(str(col), str(col)), justify="right" if numeric else "left")
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        cells = [_fmt(v.item() if hasattr(v, "item") else v, digits) for v in row]
        table.add_row(*([str(label)] if index is not None else []), *cells)
    return table


def render_text(result: PLSResult, *, width: int | None = None, color: bool = True) -> str:
    """The text report: one Rich table per result table, numbers with 3 decimals."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width or 110, force_terminal=color, color_system="auto" if color else None
    )
    meta = result.meta
    summary = pd.DataFrame(
        {
            "value": [
                meta["n"],
                meta["n_used"],
                f"{meta['missing']} ({meta['values_missing']} values in {meta['rows_missing']} rows)",
                meta["scheme"],
                meta["iterations"],
                meta["converged"],
                meta["version"],
            ]
        },
        index=["rows", "rows used", "missing values", "weighting scheme", "iterations", "converged", "ukur"],
    )
    paths = result.paths.merge(result.f2, on=["from", "to"]).merge(result.vif_inner, on=["from", "to"])
    indirect = result.effects[result.effects["indirect"].abs() > 0]
    tables = [
        _table("PLS-SEM estimation", summary, index=""),
        _table("Outer model", result.outer, index="indicator"),
        _table("Path coefficients, f² and inner VIF", paths.set_index(["from"]), index="from"),
        _table("R²", result.r2, index="construct"),
        _table("Construct reliability and validity", result.reliability, index="construct"),
        _table("Discriminant validity: HTMT", result.htmt, index=""),
        _table("Discriminant validity: Fornell–Larcker", result.fornell_larcker, index=""),
        _table("Cross-loadings", result.cross_loadings, index="indicator"),
        _table("Collinearity: outer VIF", result.vif_outer, index="indicator"),
    ]
    if len(indirect):
        tables.append(_table("Total and indirect effects", indirect.set_index("from"), index="from"))
    tables.append(
        _table("Item descriptives (raw data, missing values left out)", result.items, index="indicator")
    )
    for table in tables:
        console.print(table)
        console.print()
    for message in result.warnings:
        console.print(f"warning: {message}")
    return buffer.getvalue()
