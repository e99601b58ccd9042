"""The PLS report as one self-contained HTML file: inline CSS and SVG, no scripts, no network.

The page prints on A4 (``@page``), tables break between rows, figures never split. Each table cell
carries its raw number in ``data-value`` so tests (and scripts) can compare the page with the results
JSON without parsing formatted text; each table has ``data-table`` and each figure ``data-figure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from jinja2 import Environment, select_autoescape

from ukur.report.pls_tables import PLSReport, ReportTable, cell_text

__all__ = ["render_html"]


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    cls: str
    value: str | None


def _rows(report: PLSReport, table: ReportTable) -> list[list[_Cell]]:
    out = []
    columns = [str(c) for c in table.frame.columns]
    for i, row in enumerate(table.frame.itertuples(index=False, name=None)):
        cells = []
        for col, value in zip(columns, row, strict=True):
            numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
            finite = numeric and np.isfinite(float(value))
            cls = " ".join(
                c for c in ("num" if numeric else "", "mark" if (i, col) in table.marks else "") if c
            )
            cells.append(
                _Cell(
                    cell_text(value, col, report.lang, table.digits),
                    cls,
                    repr(float(value)) if finite else None,
                )
            )
        out.append(cells)
    return out


def render_html(report: PLSReport) -> str:
    """The report as an HTML document (UTF-8 text)."""
    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=False, lstrip_blocks=False)
    source = resources.files("ukur.report").joinpath("templates/pls_report.html").read_text(encoding="utf-8")
    template = env.from_string(source)
    context: dict[str, Any] = {
        "report": report,
        "t": report.lang.t,
        "rows": lambda table: _rows(report, table),
    }
    return template.render(**context)
