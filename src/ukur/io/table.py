"""The one reader of tabular files: CSV (any common dialect), XLSX, JSON and JSON Lines.

The format is chosen by the file's extension (``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xlsm``, ``.json``,
``.jsonl``/``.ndjson``). Text files are decoded as UTF-8 (a byte-order mark is dropped); when that fails
the reader falls back to Windows-1252 and then Latin-1, the encodings older Excel versions write on
Indonesian and Western-European Windows. CSV separators (comma, semicolon, tab) are sniffed from the first
lines: the candidate that splits the most lines into the same number of fields as the header wins.

Row numbering: the returned frame has a plain ``RangeIndex``. ``frame.attrs["lines"][i]`` is the line of
the file (1-based, header = line 1 for CSV and XLSX) on which row ``i`` starts, so error messages can
name it; for a CSV or XLSX file without blank lines or multi-line cells this is simply ``i + 2``.
Blank rows (every cell empty) carry no data and are skipped. ``frame.attrs["source"]`` is the file name
used in messages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ukur.errors import DataError
from ukur.io.cells import Cell, build_frame

__all__ = ["CSV_SUFFIXES", "JSON_SUFFIXES", "XLSX_SUFFIXES", "decode_text", "parse_table", "read_table"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
_SEPARATORS = (",", ";", "\t")
_SNIFF_LINES = 50


def read_table(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    na_values: Iterable[object] = (),
    encoding: str | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """Read a CSV, XLSX, JSON or JSON Lines file into a typed frame.

    Parameters
    ----------
    path
        The file; its extension chooses the format.
    sheet
        XLSX only: a sheet name or 0-based index; the first sheet by default.
    na_values
        Markers of missing values (``"-99"``, ``-99``, ``"NA"``) besides empty cells.
    encoding
        Force a text encoding instead of UTF-8 with the Windows-1252/Latin-1 fallback.
    source
        The name to use in messages and ``attrs["source"]``; the path as given by default.

    Raises
    ------
    DataError
        Missing, unreadable or empty file, unsupported extension, ragged CSV rows, malformed JSON,
        empty or duplicate column names; each names the file and, where known, line and column.
    """
    p = Path(path)
    label = source if source is not None else str(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DataError("file not found", source=label) from None
    except IsADirectoryError:
        raise DataError("is a directory, not a file", source=label) from None
    except OSError as exc:
        raise DataError(f"cannot read the file ({exc.strerror or exc})", source=label) from None
    return parse_table(data, name=p.name, sheet=sheet, na_values=na_values, encoding=encoding, source=label)


def parse_table(
    data: bytes,
    *,
    name: str,
    sheet: str | int | None = None,
    na_values: Iterable[object] = (),
    encoding: str | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """Like :func:`read_table` for bytes already in memory (an upload); ``name`` gives the extension."""
    label = source if source is not None else name
    suffix = Path(name).suffix.lower()
    na = tuple(na_values)
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise DataError("the file is empty", source=label)
    if suffix in XLSX_SUFFIXES:
        from ukur.io.xlsx import parse_xlsx

        return parse_xlsx(data, sheet=sheet, na_values=na, source=label)
    if suffix in JSON_SUFFIXES:
        from ukur.io.records import parse_json, parse_jsonl

        text, used = decode_text(data, encoding=encoding, source=label)
        parse = parse_json if suffix == ".json" else parse_jsonl
        frame = parse(text, na_values=na, source=label)
        frame.attrs["encoding"] = used
        return frame
    if suffix in CSV_SUFFIXES:
        text, used = decode_text(data, encoding=encoding, source=label)
        frame = parse_csv(text, na_values=na, source=label)
        frame.attrs["encoding"] = used
        return frame
    known = ", ".join((*CSV_SUFFIXES, *XLSX_SUFFIXES, *JSON_SUFFIXES))
    raise DataError(
        f"unsupported file type '{suffix or name}' (ukur reads {known})",
        source=label,
    )


def decode_text(data: bytes, *, encoding: str | None = None, source: str) -> tuple[str, str]:
    """The text of ``data`` and the encoding used: UTF-8 (BOM dropped), else cp1252, else Latin-1."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise DataError(f"unknown text encoding '{encoding}'", source=source) from None
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DataError(
                f"the file is not valid {encoding}: byte {data[exc.start]:#04x} cannot be decoded",
                source=source,
                line=line,
            ) from None
    for candidate in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(candidate), candidate.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _split(lines: list[str], sep: str) -> list[list[str]]:
    try:
        return [r for r in csv.reader(lines, delimiter=sep) if r]
    except csv.Error:
        return []


def sniff_separator(text: str) -> str:
    """The separator among comma, semicolon and tab that splits the first lines most consistently.

    Score per candidate: (does it split the header at all, share of sampled rows with as many fields as
    the header, number of header fields); ties go to the comma, then the semicolon, then the tab.
    """
    sample = [ln for ln in text.splitlines()[: _SNIFF_LINES * 2] if ln.strip()][:_SNIFF_LINES]
    best, best_score = ",", (False, -1.0, -1)
    for sep in _SEPARATORS:
        rows = _split(sample, sep)
        if not rows:
            continue
        width = len(rows[0])
        share = sum(len(r) == width for r in rows) / len(rows)
        score = (width > 1, share, width)
        if score > best_score:
            best, best_score = sep, score
    return best


def parse_csv(text: str, *, na_values: Iterable[object] = (), source: str) -> pd.DataFrame:
    """Parse CSV text (see the module docstring for dialects and line numbers)."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError("the file contains NUL bytes; is it really a text file?", source=source, line=line)
    sep = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    records: list[list[str]] = []
    ends: list[int] = []
    try:
        for record in reader:
            records.append(record)
            ends.append(reader.line_num)
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", source=source, line=reader.line_num + 1) from None
    # A record starts on the line after the previous one ended (blank lines are records of their own).
    starts = [1, *(e + 1 for e in ends[:-1])]
    filled = [k for k, r in enumerate(records) if "".join(r).strip()]
    header: list[Cell] | None = None
    header_line = 1
    if filled:
        header, header_line = list(records[filled[0]]), starts[filled[0]]
        filled = filled[1:]
        width = len(header)
        ragged = next((k for k in filled if len(records[k]) != width), None)
        if ragged is not None:
            line, got = starts[ragged], len(records[ragged])
            raise DataError(
                f"line {line} has {got} field{'s' if got != 1 else ''} but the header has {width} "
                f"(separator {_describe(sep)})",
                source=source,
                line=line,
            )
    rows = [records[k] for k in filled]
    lines = [starts[k] for k in filled]
    if header is None:
        raise DataError("the file is empty", source=source)
    frame = build_frame(
        header,
        rows,
        lines,
        source=source,
        header_line=header_line,
        na_values=na_values,
        decimal_comma=sep != ",",
        all_text=True,
    )
    frame.attrs["separator"] = sep
    return frame


def _describe(sep: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}[sep]
