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
from openpyxl.cell import WriteOnlyCell
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


def _column_values(report: SLAReport, column: Column, values: list[Any]) -> list[Any]:
    """One column's cells as Excel values, converted column-wise (instants to local time in one pass)."""
    kind = column.kind
    if kind == "time":
        utc = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
        local = utc.dt.tz_convert(report.agreement.timezone).dt.tz_localize(None)
        return [None if pd.isna(t) else t.to_pydatetime() for t in local]
    if kind == "date":
        return [v if v is None or isinstance(v, date) else pd.Timestamp(v).date() for v in values]
    if kind == "duration":
        return [None if v is None else float(v) / 86400.0 for v in values]
    if kind == "bool":
        return [None if v is None else bool(v) for v in values]
    if kind == "int":
        return [None if v is None else int(v) for v in values]
    if kind in _FORMATS:
        return [None if v is None else float(v) for v in values]
    return [v if v is None or isinstance(v, (str, int, float)) else str(v) for v in values]


def _label(report: SLAReport, column: Column) -> str:
    if column.kind == "money" and report.currency:
        return f"{column.label} ({report.currency})"
    if column.kind == "time":
        return f"{column.label} ({report.agreement.timezone})"
    return column.label


def render_xlsx(report: SLAReport) -> bytes:
    """The workbook as bytes (an ``.xlsx`` file), written in openpyxl's streaming (write-only) mode."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in workbook_tables(report):
        sheet = book.create_sheet(_sheet_name(table.title, used))
        sheet.freeze_panes = "A2"
        for j, column in enumerate(table.columns, start=1):
            longest = max([len(str(column.label))] + [len(str(r[j - 1])) for r in table.rows[:200]])
            sheet.column_dimensions[get_column_letter(j)].width = min(max(10, longest + 2), 60)
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, _label(report, column))
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
            header.append(cell)
        sheet.append(header)
        columns = [
            _column_values(report, c, [row[j] for row in table.rows]) for j, c in enumerate(table.columns)
        ]
        formats = [_FORMATS.get(c.kind) for c in table.columns]
        for row in zip(*columns, strict=True):
            cells: list[Any] = []
            for value, fmt in zip(row, formats, strict=True):
                if fmt is None or value is None:
                    cells.append(value)
                else:
                    cell = WriteOnlyCell(sheet, value)
                    cell.number_format = fmt
                    cells.append(cell)
            sheet.append(cells)
    title = f"{report.text.t('draft')}: {report.title}" if report.draft else report.title
    book.properties.title = title
    book.properties.creator = "ukur"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
