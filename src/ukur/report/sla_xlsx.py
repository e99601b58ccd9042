"""The SLA report as an XLSX workbook: one sheet per table, numbers as numbers.

Sheets follow the report's order (agreement, services, signatures, compliance, record counts, the chart
data of the last windows, breaches, invalid records, exclusions, credits, claim handling, claims,
review, notes) and are named by the table titles in the report's language. Row 1 holds the column
labels; the values are the Compliance values themselves, written with a number format instead of being
turned into text: shares as fractions with a ``0.00%`` format, amounts with ``#,##0`` (the currency is
in the column label), instants as local date-times of the agreement's timezone, durations as Excel
durations (days, shown ``[h]:mm``), yes/no as booleans. Excel and LibreOffice then show decimal
commas or points as the reader's own locale does. Every row is written; nothing is cut.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ukur.report.sla_report import ChartSeries, Column, ReportTable, SLAReport

__all__ = ["chart_table", "render_xlsx", "workbook_tables"]

_FORMATS = {
    "int": "#,##0",
    "pct": "0.00%",
    "goal": "0.0##%",
    "money": "#,##0",
    "time": "yyyy-mm-dd hh:mm",
    "date": "yyyy-mm-dd",
    "duration": "[h]:mm",
}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def chart_table(report: SLAReport, charts: tuple[ChartSeries, ...]) -> ReportTable:
    """The charted windows as a table: objective, window, compliance, goal (one row per point)."""
    t = report.text.t
    rows = tuple(
        (c.objective, label, value, c.goal, label in c.current)
        for c in charts
        for label, value in zip(c.labels, c.values, strict=True)
    )
    cols = (
        Column("objective", t("c_objective")), Column("window", t("c_window")),
        Column("compliance", t("c_compliance"), "pct"), Column("goal", t("c_goal"), "goal"),
        Column("current", t("c_current"), "bool"),
    )  # fmt: skip
    return ReportTable("history", t("tab_history"), cols, rows)


def workbook_tables(report: SLAReport) -> list[ReportTable]:
    """The tables written to the workbook, in sheet order (empty tables included, as header-only sheets)."""
    tables: list[ReportTable] = []
    for section in report.sections:
        tables.extend(section.tables)
        if section.charts:
            tables.append(chart_table(report, section.charts))
        if section.key == "notes":
            cols = (Column("note", report.text.t("sec_notes")),)
            tables.append(ReportTable("notes", section.title, cols, tuple((p,) for p in section.paragraphs)))
    return tables


def _sheet_name(title: str, used: set[str]) -> str:
    base = _BAD_SHEET.sub(" ", title).strip()[:31] or "Sheet"
    name, k = base, 2
    while name.lower() in used:
        suffix = f" ({k})"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name.lower())
    return name


def _cell_value(report: SLAReport, column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "time":
        return report.text.local(value).to_pydatetime()  # type: ignore[union-attr]
    if column.kind == "date":
        return value if isinstance(value, date) else pd.Timestamp(value).date()
    if column.kind == "duration":
        return float(value) / 86400.0
    if column.kind == "bool":
        return bool(value)
    if column.kind in _FORMATS:
        return float(value) if column.kind != "int" else int(value)
    return value if isinstance(value, (str, int, float)) else str(value)


def _label(report: SLAReport, column: Column) -> str:
    if column.kind == "money" and report.currency:
        return f"{column.label} ({report.currency})"
    if column.kind == "time":
        return f"{column.label} ({report.agreement.timezone})"
    return column.label


def render_xlsx(report: SLAReport) -> bytes:
    """The workbook as bytes (an ``.xlsx`` file)."""
    book = Workbook()
    book.remove(book.worksheets[0])
    used: set[str] = set()
    bold = Font(bold=True)
    for table in workbook_tables(report):
        sheet = book.create_sheet(_sheet_name(table.title, used))
        sheet.append([_label(report, c) for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        for row in table.rows:
            sheet.append([_cell_value(report, c, v) for c, v in zip(table.columns, row, strict=True)])
        for j, column in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            fmt = _FORMATS.get(column.kind)
            if fmt is not None:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = fmt
            longest = max([len(str(column.label))] + [len(str(r[j - 1])) for r in table.rows[:200]])
            sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
        sheet.freeze_panes = "A2"
    if report.draft:
        book.properties.title = f"{report.text.t('draft')}: {report.title}"
    else:
        book.properties.title = report.title
    book.properties.creator = "ukur"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
