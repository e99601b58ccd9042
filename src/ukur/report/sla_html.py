"""The SLA report as one self-contained HTML file: inline CSS and SVG, no scripts, no network.

The page prints on A4 (``@page``); tables break between rows and charts never split; on screen wide
tables scroll inside their own box, so the page itself never scrolls sideways. Every section carries
``data-section``, every table ``data-table`` and every chart ``data-figure``; each number cell carries its
raw value in ``data-value`` in the JSON form of ``ukur sla evaluate`` (fractions, seconds, amounts, UTC
``…Z`` instants), so tests and scripts compare the page with the results without parsing formatted text.
An unsigned agreement gets a ``DRAFT`` banner and a watermark repeated on every printed page.

Long tables (breached records, claims) show their first :data:`MAX_ROWS` rows and say how many more
there are; the XLSX report holds them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import PurePath
from typing import Any

import pandas as pd
from jinja2 import Environment, select_autoescape

from ukur.report.sla_chart import compliance_svg
from ukur.report.sla_report import ChartSeries, ReportTable, SLAReport, cell_text

__all__ = ["MAX_ROWS", "raw_value", "render_html"]

MAX_ROWS = 200

_NUMERIC = {"int", "pct", "goal", "money", "duration"}
_KEYS = {"id", "record_id", "window"}


@dataclass(frozen=True, slots=True)
class _Cell:
    key: str
    text: str
    cls: str
    value: str | None


def raw_value(value: Any) -> str | None:
    """A value as the results JSON writes it (``None`` for text, which is its own value)."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _rows(report: SLAReport, table: ReportTable) -> list[list[_Cell]]:
    out = []
    for i, row in enumerate(table.rows[:MAX_ROWS]):
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            classes = ["num"] if column.kind in _NUMERIC else []
            if column.kind == "time" or column.key in _KEYS:
                classes.append("time" if column.kind == "time" else "key")
            if (i, column.key) in table.marks:
                classes.append("mark")
            cells.append(
                _Cell(column.key, cell_text(report, column, value), " ".join(classes), raw_value(value))
            )
        out.append(cells)
    return out


def render_html(report: SLAReport) -> str:
    """The report as an HTML document (UTF-8 text)."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    source = (
        resources.files("ukur.report").joinpath("templates/sla_report.html.j2").read_text(encoding="utf-8")
    )
    template = env.from_string(source)
    return template.render(
        report=report,
        t=report.text.t,
        # The file name only: a report handed to a customer should not show the author's folders.
        source_name=PurePath(report.agreement.source).name
        if report.agreement.source
        else report.agreement.id,
        rows=lambda table: _rows(report, table),
        chart=lambda series: compliance_svg(series, report.text) if isinstance(series, ChartSeries) else "",
    )
