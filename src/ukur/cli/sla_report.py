"""``ukur sla report AGREEMENT.yaml --records … --period 2026-10 --output report.html|.xlsx|.pdf``.

Evaluates the agreement twice with the same records and ``--as-of``: once for the period (every table
of the report, the same numbers as ``ukur sla evaluate --period … --format json``) and once over the
span of the last 12 windows of each objective ending with the period (the charts only). Then writes

* ``.html`` — one self-contained, printable page (inline CSS and SVG charts, no network);
* ``.xlsx`` — one sheet per table, numbers as numbers;
* ``.pdf`` — the HTML laid out on A4 by WeasyPrint (charts drawn, DRAFT watermark on every page).

``--lang id`` writes Bahasa Indonesia (``Rp 10.000.000``, ``95,2 %``), ``--lang en`` English. The file is
written atomically (a temporary file renamed into place). User errors exit with code 2 and one line.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from ukur.cli.files import renderer_for, write_atomic
from ukur.cli.options import AgreementsDir
from ukur.errors import UkurError
from ukur.io import read_table
from ukur.report.sla_html import render_html
from ukur.report.sla_pdf import render_pdf
from ukur.report.sla_report import SLAReport, build_sla_report, history_period
from ukur.report.sla_xlsx import render_xlsx
from ukur.sla import evaluate, parse_period

__all__ = ["RENDERERS", "report"]


class Language(StrEnum):
    en = "en"
    id = "id"


def _html(report: SLAReport) -> bytes:
    return render_html(report).encode("utf-8")


RENDERERS: dict[str, Callable[[SLAReport], bytes]] = {
    ".html": _html,
    ".htm": _html,
    ".xlsx": render_xlsx,
    ".pdf": render_pdf,
}
"""Output suffix → renderer of the report as bytes."""


def _streams(values: list[str] | None, option: str) -> dict[str, pd.DataFrame]:
    """``STREAM=FILE`` options read through :func:`ukur.io.read_table`."""
    found: dict[str, pd.DataFrame] = {}
    for value in values or []:
        name, sep, file = value.partition("=")
        name, file = name.strip(), file.strip()
        if not sep or not name or not file:
            raise UkurError(f"{option} expects STREAM=FILE (e.g. tickets=tickets.csv), got {value!r}")
        if name in found:
            raise UkurError(f"{option} names stream {name!r} twice")
        found[name] = read_table(Path(file))
    return found


def report(
    agreement_file: Annotated[Path, typer.Argument(metavar="AGREEMENT.yaml", help="The agreement.")],
    period: Annotated[
        str, typer.Option("--period", help="The reported period: 2026-10, 2026-Q4, 2026-W41, …")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="report.html, report.xlsx or report.pdf.")],
    records: Annotated[
        list[str] | None,
        typer.Option("--records", help="STREAM=FILE, e.g. tickets=tickets.csv (repeatable)."),
    ] = None,
    status_history: Annotated[
        list[str] | None,
        typer.Option("--status-history", help="STREAM=FILE with record_id,status,at rows (for pauses)."),
    ] = None,
    claims: Annotated[
        Path | None, typer.Option("--claims", help="Claims file (id,record_id,filed_at,...).")
    ] = None,
    lang: Annotated[Language, typer.Option("--lang", help="Report language: id or en.")] = Language.en,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="'Now' for open records (ISO time; local to the agreement).")
    ] = None,
    agreements: AgreementsDir = None,
) -> None:
    """Write the SLA report for one period (compliance, charts, breaches, credits, claims) as HTML, XLSX or PDF."""
    # Imported here: ukur.cli.sla registers this command, so importing it at module level would be circular.
    from ukur.cli.sla import load_file

    render = renderer_for(output, RENDERERS, "report")
    agreement = load_file(agreement_file, agreements)
    if not records:
        raise UkurError(
            f"give the record files with --records STREAM=FILE (streams: {', '.join(agreement.streams)})"
        )
    tables = _streams(records, "--records")
    unknown = sorted(set(tables) - set(agreement.streams))
    if unknown:
        raise UkurError(
            f"no objective reads stream(s) {', '.join(unknown)} (streams: {', '.join(agreement.streams)})"
        )
    histories = _streams(status_history, "--status-history")
    claim_table = read_table(claims) if claims is not None else None
    span = parse_period(period, timezone=agreement.timezone)
    current = evaluate(
        agreement, tables, status_history=histories, claims=claim_table, period=span, as_of=as_of
    )
    # The chart run shares the first run's "now" (an aware UTC instant, so it is not read as local time);
    # it needs only the windows, so the claims are left out of it.
    history = evaluate(
        agreement,
        tables,
        status_history=histories,
        period=history_period(agreement, span),
        as_of=current.as_of.tz_localize("UTC"),
    )
    document = build_sla_report(current, history=history, lang=lang.value)
    write_atomic(output, render(document))
    typer.echo(f"wrote {output}", err=True)
