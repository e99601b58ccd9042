"""The SLA report as XLSX: one sheet per table in report order, numbers as numbers equal to the results JSON,
instants as local date-times, durations as Excel durations, and the DRAFT status exactly when unsigned."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.report.test_sla_report import courier_report, evaluated
from ukur.report.sla_xlsx import render_xlsx, workbook_tables


@pytest.fixture(scope="module", params=["en", "id"])
def book(request):
    report = courier_report(request.param)
    return report, load_workbook(io.BytesIO(render_xlsx(report)))


def sheet_rows(book, key: str) -> list[dict[str, object]]:
    report, wb = book
    tables = workbook_tables(report)
    index = [t.key for t in tables].index(key)
    sheet = wb.worksheets[index]
    keys = [c.key for c in tables[index].columns]
    return [dict(zip(keys, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_one_sheet_per_table_in_report_order(book):
    report, wb = book
    tables = workbook_tables(report)
    assert len(wb.worksheets) == len(tables)
    keys = [t.key for t in tables]
    assert keys[:6] == ["summary", "services", "signatures", "compliance", "record_counts", "history"]
    assert keys[-2:] == ["review", "notes"]
    for sheet, table in zip(wb.worksheets, tables, strict=True):
        assert sheet.max_row == len(table.rows) + 1  # header row + every row, nothing cut
        assert str(sheet.cell(1, 1).value).startswith(table.columns[0].label)


def test_numbers_are_numbers_equal_to_the_json(book):
    result = evaluated().to_dict()
    rows = sheet_rows(book, "compliance")
    assert [r["compliance"] for r in rows] == [w["compliance"] for w in result["windows"]]
    assert all(isinstance(r["compliance"], float) for r in rows)
    counts = sheet_rows(book, "record_counts")
    assert [r["breached"] for r in counts] == [w["breached"] for w in result["windows"]]
    assert all(type(r["total"]) is int for r in counts)
    credits = sheet_rows(book, "credits")
    assert [r["amount"] for r in credits] == [c["amount"] for c in result["credits"]]


def test_instants_are_local_and_durations_are_durations(book):
    report, _ = book
    result = evaluated().to_dict()
    breached = [r for r in result["records"] if r["status"] == "breached"]
    rows = sheet_rows(book, "breaches")
    assert len(rows) == len(breached)
    timed = 0
    for row, record in zip(rows, breached, strict=True):
        start, counted = row["start"], row["counted_seconds"]
        if record["start"] is None:  # ratio objectives have no clock
            assert start is None and counted is None
            continue
        timed += 1
        assert isinstance(start, datetime)
        utc = pd.Timestamp(start).tz_localize(report.agreement.timezone).tz_convert("UTC")
        assert utc.strftime("%Y-%m-%dT%H:%M:%SZ") == record["start"]
        assert isinstance(counted, timedelta)
        assert counted.total_seconds() == pytest.approx(record["counted_seconds"], abs=1e-3)
    assert timed > 20


@pytest.mark.parametrize(("name", "draft"), [("kilat-gold", False), ("helpdesk-internal", True)])
def test_draft_status_exactly_when_unsigned(name, draft):
    report = courier_report("en", name)
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    status = [r[1] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)][-1]
    assert str(status).startswith("DRAFT") is draft
    assert str(wb.properties.title).startswith("DRAFT") is draft
