"""The PLS report as an XLSX workbook: one sheet per table, numbers stored as numbers.

A "Contents" sheet lists every sheet with the table's title; marked cells (rules of thumb broken) are
filled; notes go under each table. "Warnings" and "Written" sheets hold the warnings with their rules
and the written paragraphs. Cells keep the full-precision value and only display the report's decimals
(``number_format``), so a reader who widens the format sees the exact number of the results JSON.
"""

from __future__ import annotations

import io
import math
import re

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ukur.report.pls_tables import PLSReport, ReportTable

__all__ = ["render_xlsx", "sheet_names"]

_MARK = PatternFill("solid", start_color="FDE2E1", end_color="FDE2E1")
_BOLD = Font(bold=True)
_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_names(report: PLSReport) -> list[str]:
    """Unique sheet names (≤ 31 characters, no ``[]:*?/\\``) for the report's tables, in order."""
    names: list[str] = []
    for table in report.tables:
        base = _BAD.sub("_", table.key)[:31]
        name, k = base, 2
        while name.lower() in (n.lower() for n in names):
            suffix = f"_{k}"
            name, k = base[: 31 - len(suffix)] + suffix, k + 1
        names.append(name)
    return names


def _write_table(sheet: Worksheet, table: ReportTable) -> None:
    sheet.append([table.title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    sheet.append(list(table.headers))
    for c in range(1, len(table.headers) + 1):
        cell = sheet.cell(row=2, column=c)
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    fmt = "0." + "0" * table.digits if table.digits else "0"
    columns = [str(c) for c in table.frame.columns]
    for i, row in enumerate(table.frame.itertuples(index=False, name=None)):
        r = i + 3
        for j, (col, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = sheet.cell(row=r, column=j)
            if isinstance(value, (bool, np.bool_)):
                cell.value = bool(value)
            elif isinstance(value, (int, np.integer)):
                cell.value = int(value)
            elif isinstance(value, (float, np.floating)):
                cell.value = float(value) if math.isfinite(float(value)) else None
                cell.number_format = fmt
            else:
                cell.value = None if value is None else str(value)
            if (i, col) in table.marks:
                cell.fill = _MARK
                cell.font = _BOLD
    if table.note:
        sheet.cell(row=len(table.frame) + 4, column=1, value=table.note)
    for j, header in enumerate(table.headers, start=1):
        width = max([len(str(header))] + [len(str(v)) for v in table.frame.iloc[:, j - 1].tolist()])
        sheet.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 48)
    sheet.freeze_panes = "A3"


def render_xlsx(report: PLSReport) -> bytes:
    """The report as XLSX bytes."""
    wb = Workbook()
    contents = wb.worksheets[0]
    contents.title = "Contents"
    contents.append([report.title])
    contents.append([report.subtitle])
    contents.append([])
    contents.append(["Sheet", report.lang.t("contents")])
    names = sheet_names(report)
    for name, table in zip(names, report.tables, strict=True):
        _write_table(wb.create_sheet(name), table)
        contents.append([name, table.title])
    contents.append(["Warnings", report.lang.t("sec_warnings")])
    contents.append(["Written", report.lang.t("sec_written")])
    contents.column_dimensions["A"].width = 18
    contents.column_dimensions["B"].width = 70
    warn = wb.create_sheet("Warnings")
    warn.append([report.lang.t("sec_warnings"), "Rule"])
    for message, rule in report.warnings:
        warn.append([message, rule])
    warn.column_dimensions["A"].width = 60
    warn.column_dimensions["B"].width = 80
    written = wb.create_sheet("Written")
    for section in report.sections:
        for paragraph in section.paragraphs:
            written.append([paragraph])
            written.cell(row=written.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    written.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
