"""Record streams: a JSON array of objects (``.json``) or one object per line (``.jsonl``).

SLA tickets and other event records usually arrive this way. Columns are the union of the objects'
keys in order of first appearance; a key an object lacks is a missing cell. JSON types are kept: only
JSON numbers become numeric columns (the string ``"00123"`` stays a string), ``null`` is missing,
booleans become ``true``/``false`` text, nested arrays and objects their compact JSON text.
``attrs["lines"][i]`` is the line on which record ``i`` starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pandas as pd

from ukur.errors import DataError
from ukur.io.cells import Cell, build_frame

__all__ = ["parse_json", "parse_jsonl"]

_WHITESPACE = " \t\r\n"


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _value(v: object) -> Cell:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return v
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def _frame(
    records: list[tuple[int, dict[str, object]]], *, na_values: Iterable[object], source: str
) -> pd.DataFrame:
    keys: dict[str, None] = {}
    for _, rec in records:
        keys.update(dict.fromkeys(rec))
    header = list(keys)
    rows = [[_value(rec.get(k)) for k in header] for _, rec in records]
    lines = [n for n, _ in records]
    return build_frame(
        header, rows, lines, source=source, header_line=1, na_values=na_values, text_numbers=False
    )


def _fail(text: str, index: int, message: str, source: str) -> DataError:
    line, column = _position(text, index)
    return DataError(message, source=source, line=line, column=column)


def parse_json(text: str, *, na_values: Iterable[object] = (), source: str) -> pd.DataFrame:
    """A JSON array of objects; each object is one row."""
    decoder = json.JSONDecoder()
    i = len(text) - len(text.lstrip(_WHITESPACE))
    if i >= len(text) or text[i] != "[":
        raise _fail(text, i, "expected a JSON array of records ('[' ... ']')", source)
    i += 1
    records: list[tuple[int, dict[str, object]]] = []
    line, counted = 1, 0  # newlines are counted incrementally: records are many, the text is long
    while True:
        while i < len(text) and text[i] in _WHITESPACE:
            i += 1
        if i < len(text) and text[i] == "]" and not records:
            i += 1
            break
        try:
            value, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            raise _fail(text, exc.pos, f"malformed JSON: {exc.msg}", source) from None
        except RecursionError:
            raise _fail(text, i, "malformed JSON: nested too deeply", source) from None
        if not isinstance(value, dict):
            raise _fail(text, i, f"record {len(records) + 1} is not a JSON object", source)
        line += text.count("\n", counted, i)
        counted = i
        records.append((line, value))
        i = end
        while i < len(text) and text[i] in _WHITESPACE:
            i += 1
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        if i < len(text) and text[i] == "]":
            i += 1
            break
        raise _fail(text, i, "malformed JSON: expected ',' or ']' after a record", source)
    if text[i:].strip(_WHITESPACE):
        raise _fail(
            text, i + len(text[i:]) - len(text[i:].lstrip(_WHITESPACE)), "text after the array", source
        )
    return _frame(records, na_values=na_values, source=source)


def parse_jsonl(text: str, *, na_values: Iterable[object] = (), source: str) -> pd.DataFrame:
    """JSON Lines: one object per line; blank lines are skipped."""
    records: list[tuple[int, dict[str, object]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"malformed JSON: {exc.msg}", source=source, line=number, column=exc.colno
            ) from None
        except RecursionError:
            raise DataError("malformed JSON: nested too deeply", source=source, line=number) from None
        if not isinstance(value, dict):
            raise DataError("each line must be one JSON object", source=source, line=number, column=1)
        records.append((number, value))
    return _frame(records, na_values=na_values, source=source)
