"""XLSX worksheets through openpyxl (read-only, cached formula values).

The first non-empty row is the header; ``attrs["lines"]`` holds worksheet row numbers, so messages name
the row a spreadsheet user sees. Cell values keep their type: numbers stay numbers, text goes through
the same number/missing rules as CSV cells, dates and times become ISO 8601 text, booleans
``TRUE``/``FALSE`` as Excel shows them.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings

import pandas as pd

from ukur.errors import DataError
from ukur.io.cells import Cell, build_frame

__all__ = ["parse_xlsx"]


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def parse_xlsx(
    data: bytes, *, sheet: str | int | None = None, na_values: tuple[object, ...] = (), source: str
) -> pd.DataFrame:
    """Read one worksheet (the first, or ``sheet`` by name or 0-based index) into a typed frame."""
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (data validation, styles); they do not
            # affect cell values.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, XML, key and value errors for corrupt files
        raise DataError(f"not a readable XLSX workbook ({type(exc).__name__})", source=source) from None
    try:
        names = book.sheetnames
        if sheet is None:
            chosen = names[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise DataError(
                    f"the workbook has {len(names)} sheet(s); index {sheet} does not exist",
                    source=source,
                    field=str(sheet),
                )
            chosen = names[sheet]
        elif sheet in names:
            chosen = sheet
        else:
            listed = ", ".join(f"'{n}'" for n in names)
            raise DataError(f"no sheet named '{sheet}' (sheets: {listed})", source=source, field=sheet)
        ws = book[chosen]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                raw = [
                    (number, [_cell(v) for v in row])
                    for number, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
                ]
        except Exception as exc:  # read-only mode parses the sheet's XML only now: a damaged sheet fails here
            raise DataError(
                f"not a readable XLSX workbook: sheet '{chosen}' is damaged ({type(exc).__name__})",
                source=source,
                field=chosen,
            ) from None
    finally:
        book.close()
    filled = [
        (n, r) for n, r in raw if any(c is not None and (not isinstance(c, str) or c.strip()) for c in r)
    ]
    if not filled:
        raise DataError(f"sheet '{chosen}' is empty", source=source)
    width = max(len(r) for _, r in filled)
    padded = [(n, r + [None] * (width - len(r))) for n, r in filled]
    header_line, header = padded[0]
    frame = build_frame(
        header,
        [r for _, r in padded[1:]],
        [n for n, _ in padded[1:]],
        source=source,
        header_line=header_line,
        na_values=na_values,
    )
    frame.attrs["sheet"] = chosen
    return frame
