"""The bootstrap part of ``ukur pls estimate``: its options, the run with a progress bar, and its output.

``ukur pls estimate MODEL DATA --bootstrap 5000 --seed 1 [--ci bca] [--alpha 0.05] [--one-tailed]
[--hypotheses FILE] [--workers 2]`` adds the bootstrap tables (SmartPLS' "Mean, STDEV, T-Values,
P-Values" and "Confidence Intervals") to the text report and a ``"bootstrap"`` object and a top-level
``"hypotheses"`` list to the JSON.  The estimate command (``ukur.cli.pls_estimate``) declares the options
with the annotated types below and calls :func:`run`, :func:`add_json` and :func:`render_text`.

A Rich progress bar goes to stderr when stderr is a terminal; otherwise the run is silent.
"""

from __future__ import annotations

import io
import math
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ukur.errors import DataError
from ukur.pls.bootstrap import bootstrap
from ukur.pls.bootstrap_result import BootstrapResult
from ukur.pls.hypotheses import HypothesisResult, check_hypotheses, hypotheses, parse_hypotheses

__all__ = [
    "Alpha",
    "Ci",
    "CiMethod",
    "HypothesesFile",
    "OneTailed",
    "Outcome",
    "Samples",
    "Seed",
    "Workers",
    "add_json",
    "render_text",
    "run",
]


class CiMethod(StrEnum):
    percentile = "percentile"
    bca = "bca"


_PANEL = "Bootstrap"
Samples = Annotated[
    int,
    typer.Option(
        "--bootstrap",
        min=0,
        metavar="N",
        help="Bootstrap with N resamples (e.g. 5000).",
        rich_help_panel=_PANEL,
    ),
]
Seed = Annotated[
    int | None,
    typer.Option(
        "--seed", min=0, help="Random seed; the same seed gives the same results.", rich_help_panel=_PANEL
    ),
]
Ci = Annotated[CiMethod, typer.Option("--ci", help="Confidence intervals.", rich_help_panel=_PANEL)]
Alpha = Annotated[float, typer.Option("--alpha", help="Significance level.", rich_help_panel=_PANEL)]
OneTailed = Annotated[
    bool, typer.Option("--one-tailed", help="One-tailed tests (default two-tailed).", rich_help_panel=_PANEL)
]
HypothesesFile = Annotated[
    Path | None,
    typer.Option(
        "--hypotheses", metavar="FILE", help="Hypotheses, one per line: 'H1: A -> B'.", rich_help_panel=_PANEL
    ),
]
Workers = Annotated[
    int, typer.Option("--workers", min=1, help="Worker processes for the bootstrap.", rich_help_panel=_PANEL)
]


@dataclass(frozen=True)
class Outcome:
    """A bootstrap run and, when a file was given, its hypothesis table."""

    boot: BootstrapResult
    hypotheses: HypothesisResult | None = None


def _read_hypotheses(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError("hypotheses file not found", source=str(path)) from None
    except UnicodeDecodeError:
        raise DataError("hypotheses file is not UTF-8 text", source=str(path)) from None


def run(
    result: Any,
    *,
    samples: int,
    seed: int | None = None,
    ci: CiMethod | str = CiMethod.percentile,
    alpha: float = 0.05,
    one_tailed: bool = False,
    hypotheses_file: Path | None = None,
    workers: int = 1,
    show_progress: bool | None = None,
) -> Outcome | None:
    """Bootstrap ``result`` as the flags ask; None when ``--bootstrap`` was not given.

    ``show_progress`` defaults to "stderr is a terminal".
    """
    if samples == 0:
        if hypotheses_file is not None:
            raise DataError(
                "--hypotheses needs a bootstrap: add --bootstrap N (e.g. 5000)", field="hypotheses"
            )
        return None
    if samples < 2:
        raise DataError(f"--bootstrap needs at least 2 resamples, not {samples}", field="bootstrap")
    if not (math.isfinite(alpha) and 0 < alpha < 0.5):
        raise DataError(f"--alpha must be between 0 and 0.5, not {alpha:g}", field="alpha")
    text = _read_hypotheses(hypotheses_file) if hypotheses_file is not None else None
    if text is not None:  # reject a bad file before the bootstrap, not after it
        check_hypotheses(
            result.model, parse_hypotheses(text, source=str(hypotheses_file)), source=str(hypotheses_file)
        )
    show = sys.stderr.isatty() if show_progress is None else show_progress
    options: dict[str, Any] = {
        "samples": samples,
        "seed": seed,
        "ci": CiMethod(ci).value,
        "alpha": alpha,
        "tails": 1 if one_tailed else 2,
        "workers": workers,
    }
    if show:
        with Progress(
            TextColumn("bootstrap"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("bootstrap", total=samples)
            boot = bootstrap(result, progress=lambda done, total: bar.update(task, completed=done), **options)
    else:
        boot = bootstrap(result, **options)
    hyp = hypotheses(boot, text, source=str(hypotheses_file)) if text is not None else None
    return Outcome(boot, hyp)


def add_json(payload: dict[str, Any], outcome: Outcome | None) -> dict[str, Any]:
    """The estimate JSON with ``"bootstrap"`` and (if any) a top-level ``"hypotheses"`` list added."""
    if outcome is None:
        return payload
    out = dict(payload)
    out["bootstrap"] = outcome.boot.to_dict()
    if outcome.hypotheses is not None:
        out["hypotheses"] = outcome.hypotheses.to_list()
    return out


# --- text ----------------------------------------------------------------------------------------

_HEADERS = {
    "original": "O",
    "mean": "M",
    "std": "STDEV",
    "t": "|O/STDEV|",
    "p": "P",
    "ci_low": "CI low",
    "ci_high": "CI high",
    "bias": "Bias",
}


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "supported" if value else "not supported"
    if isinstance(value, float):
        return f"{value:.3f}" if math.isfinite(value) else ""
    return str(value)


def _table(title: str, frame: pd.DataFrame, labels: list[str], label_header: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold")
    table.add_column(label_header)
    columns = [c for c in frame.columns if c in _HEADERS or c in ("effect", "supported")]
    for col in columns:
        text = col in ("effect", "supported")
        table.add_column(
            _HEADERS.get(col, "decision" if col == "supported" else col), justify="left" if text else "right"
        )
    for label, (_, row) in zip(labels, frame.iterrows(), strict=True):
        table.add_row(label, *[_cell(row[c].item() if hasattr(row[c], "item") else row[c]) for c in columns])
    return table


def _arrow_labels(frame: pd.DataFrame, reverse: bool = False) -> list[str]:
    out = []
    for idx in frame.index:
        parts = list(idx) if isinstance(idx, tuple) else [str(idx)]
        out.append(" -> ".join(reversed(parts) if reverse else parts))
    return out


def render_text(outcome: Outcome | None, *, width: int | None = None, color: bool = True) -> str:
    """The bootstrap tables (and hypotheses), in the estimate report's style; empty without a bootstrap."""
    if outcome is None:
        return ""
    boot = outcome.boot
    o = boot.options
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width or 110, force_terminal=color, color_system="auto" if color else None
    )
    level = round(100 * (1 - o.alpha * (2 if o.tails == 1 else 1)), 6)  # [α, 1−α] one-tailed
    console.print(
        "O original sample, M sample mean, STDEV standard deviation of the bootstrap draws, P p value, "
        "CI confidence interval, bias M − O"
    )
    console.print(
        f"[bold]Bootstrap[/bold]: {o.samples} resamples ({boot.failed} failed and excluded), seed {boot.seed}, "
        f"{o.ci} {level:g}% intervals, {'one' if o.tails == 1 else 'two'}-tailed p values"
    )
    sections = [
        ("Path coefficients", boot.paths, _arrow_labels(boot.paths), "path"),
        ("Specific indirect effects", boot.indirect, list(boot.indirect.index), "effect"),
        ("Total indirect effects", boot.total_indirect, _arrow_labels(boot.total_indirect), "effect"),
        ("Total effects", boot.total_effects, _arrow_labels(boot.total_effects), "effect"),
        ("Outer loadings", boot.loadings, _arrow_labels(boot.loadings, reverse=True), "indicator"),
        ("Outer weights", boot.weights, _arrow_labels(boot.weights, reverse=True), "indicator"),
        ("R²", boot.r2, [str(i) for i in boot.r2.index], "construct"),
        ("f²", boot.f2, _arrow_labels(boot.f2), "path"),
        ("HTMT", boot.htmt, _arrow_labels(boot.htmt), "pair"),
    ]
    for title, frame, labels, header in sections:
        if len(frame):
            console.print(_table(f"Bootstrap: {title}", frame, labels, header))
    if outcome.hypotheses is not None:
        table = outcome.hypotheses.table
        shown = table.drop(columns=["bias"])
        console.print(_table("Hypotheses", shown, [str(v) for v in table["label"]], "hypothesis"))
    return buffer.getvalue()
