"""From parsed cells to a typed :class:`pandas.DataFrame`: header checks, missing markers, numbers.

Every reader (CSV, XLSX, JSON) hands :func:`build_frame` the same thing: a header, rows of cells
(``str``, ``int``, ``float`` or ``None``) and the file line of each row. The rules applied here are
therefore the same for every format:

* the header must name every column, and no name may appear twice (names are stripped of spaces);
  trailing columns without a name *and* without any value (spreadsheet residue) are dropped;
* a cell is missing when it is ``None``, empty or blank, or equal (after stripping) to one of the
  ``na_values`` markers; a marker that is a number (``-99``) also matches numeric cells equal to it
  (``-99.0``, ``-99,0``);
* a column whose non-missing cells are all numbers becomes ``int64`` (only integers and nothing
  missing) or ``float64`` (missing cells become ``NaN``); any other column keeps its (stripped) text;
* numbers in text are ASCII only: ``-3``, ``+2.5``, ``.5``, ``1e-3``. When ``decimal_comma`` is on (the
  reader saw a ``;`` or tab separator, as Excel writes in Indonesian and most European locales) and a
  column contains a comma, that column is read with a decimal comma and optional dot thousands groups:
  ``3,5`` → 3.5, ``1.234,5`` → 1234.5.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ukur.errors import DataError

__all__ = ["Cell", "build_frame", "parse_number"]

Cell = str | int | float | None

_POINT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_POINT_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_COMMA = re.compile(
    r"[+-]?(?:(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]*)?|,[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII
)
_COMMA_INT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)", re.ASCII)


def parse_number(text: str, *, decimal_comma: bool = False) -> int | float | None:
    """The number written in ``text`` (already stripped), or ``None`` when it is not a number.

    Integers come back as ``int`` so that integer columns can stay integers.
    """
    if decimal_comma:
        if not _COMMA.fullmatch(text):
            return None
        plain = text.replace(".", "").replace(",", ".")
        return int(plain) if _COMMA_INT.fullmatch(text) else float(plain)
    if not _POINT.fullmatch(text):
        return None
    return int(text) if _POINT_INT.fullmatch(text) else float(text)


def _na_markers(na_values: Iterable[object]) -> tuple[frozenset[str], frozenset[float]]:
    texts = {str(v).strip() for v in na_values}
    numbers: set[float] = set()
    for t in texts:
        for comma in (False, True):
            n = parse_number(t, decimal_comma=comma)
            if n is not None:
                numbers.add(float(n))
    return frozenset(texts), frozenset(numbers)


def _check_header(header: Sequence[Cell], *, source: str, line: int) -> list[str]:
    names = ["" if h is None else str(h).strip() for h in header]
    first: dict[str, int] = {}
    for j, name in enumerate(names, start=1):
        if not name:
            raise DataError(f"column {j} has no name in the header", source=source, line=line, column=j)
        if name in first:
            raise DataError(
                f"column name '{name}' appears twice in the header (columns {first[name]} and {j})",
                source=source,
                line=line,
                column=j,
                field=name,
            )
        first[name] = j
    return names


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _drop_trailing_empty_columns(header: list[Cell], columns: list[tuple[Cell, ...]]) -> int:
    """How many columns to keep: unnamed trailing columns with no value anywhere are residue."""
    keep = len(header)
    while keep > 0 and _blank(header[keep - 1]) and all(_blank(c) for c in columns[keep - 1]):
        keep -= 1
    return keep


def _whole_column(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern matching newline-joined cells that each match ``pattern`` (one C-level regex run)."""
    return re.compile(f"(?:{pattern.pattern}\n)*{pattern.pattern}", re.ASCII)


_COLUMN = {
    (False, False): _whole_column(_POINT),
    (False, True): _whole_column(_POINT_INT),
    (True, False): _whole_column(_COMMA),
    (True, True): _whole_column(_COMMA_INT),
}


def _convert_text_column(
    cells: Sequence[str], *, na_text: frozenset[str], na_num: frozenset[float], decimal_comma: bool
) -> np.ndarray | list[str | None] | None:
    """Fast path of :func:`_convert_column` for a column of text cells (every CSV column).

    Whole columns are checked with one regular expression over the newline-joined cells and converted
    by NumPy; ``None`` asks the caller to use the general path (integers too long for ``int64``).
    """
    texts = [c.strip() for c in cells]
    keep = np.fromiter((bool(t) and t not in na_text for t in texts), dtype=bool, count=len(texts))
    present = [t for t, k in zip(texts, keep, strict=True) if k]
    if not present:
        return np.full(len(texts), np.nan)
    joined = "\n".join(present)
    comma = decimal_comma and "," in joined
    if _COLUMN[(comma, True)].fullmatch(joined):
        if max(len(t) for t in present) > 18:
            return None
        plain = joined.replace(".", "") if comma else joined
        values: np.ndarray = np.array(plain.split("\n")).astype(np.int64)
    elif _COLUMN[(comma, False)].fullmatch(joined):
        plain = joined.replace(".", "").replace(",", ".") if comma else joined
        values = np.array(plain.split("\n")).astype(np.float64)
    else:
        return [t if k else None for t, k in zip(texts, keep, strict=True)]
    hit = (
        np.isin(values.astype(np.float64), np.array(sorted(na_num)))
        if na_num
        else np.zeros(len(values), bool)
    )
    if keep.all() and not hit.any() and values.dtype == np.int64:
        return values
    out = np.full(len(texts), np.nan)
    out[keep] = np.where(hit, np.nan, values.astype(np.float64))
    return out


def _convert_column(
    cells: Sequence[Cell],
    *,
    na_text: frozenset[str],
    na_num: frozenset[float],
    decimal_comma: bool,
    text_numbers: bool,
    fast: bool = True,
    all_text: bool = False,
) -> np.ndarray | list[str | None]:
    """Typed values of one column (see the module docstring for the rules).

    ``fast=False`` skips the text fast path; tests use it as the reference the fast path must match.
    """
    if fast and text_numbers and (all_text or all(type(c) is str for c in cells)):
        quick = _convert_text_column(
            cells,  # type: ignore[arg-type]
            na_text=na_text,
            na_num=na_num,
            decimal_comma=decimal_comma,
        )
        if quick is not None:
            return quick
    cleaned: list[str | int | float | None] = []
    for c in cells:
        if isinstance(c, str):
            t = c.strip()
            cleaned.append(None if not t or t in na_text else t)
        elif c is None or (isinstance(c, float) and math.isnan(c)) or float(c) in na_num:
            cleaned.append(None)
        else:
            cleaned.append(c)
    comma = decimal_comma and any(isinstance(c, str) and "," in c for c in cleaned)
    numbers: list[int | float | None] = []
    for c in cleaned:
        if isinstance(c, str):
            n = parse_number(c, decimal_comma=comma) if text_numbers else None
            if n is None:
                return [None if v is None else str(v) for v in cleaned]
            numbers.append(None if float(n) in na_num else n)
        else:
            numbers.append(c)
    if all(isinstance(n, int) for n in numbers):
        try:
            return np.array(numbers, dtype=np.int64)
        except OverflowError:
            pass
    return np.array([np.nan if n is None else float(n) for n in numbers], dtype=np.float64)


def build_frame(
    header: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    lines: Sequence[int],
    *,
    source: str,
    header_line: int,
    na_values: Iterable[object] = (),
    decimal_comma: bool = False,
    text_numbers: bool = True,
    all_text: bool = False,
) -> pd.DataFrame:
    """A typed frame from a header and rows of equal length; ``lines[i]`` is the file line of row i.

    ``text_numbers=False`` keeps text cells as text even when they look like numbers (JSON, where
    ``"00123"`` is deliberately a string); ``all_text=True`` promises that every cell is a ``str``
    (CSV), which skips a per-cell type check. The frame's ``attrs`` hold ``source`` and ``lines``.
    """
    head = list(header)
    columns: list[tuple[Cell, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in head]
    keep = _drop_trailing_empty_columns(head, columns)
    names = _check_header(head[:keep], source=source, line=header_line)
    na_text, na_num = _na_markers(na_values)
    data: dict[str, object] = {}
    for name, cells in zip(names, columns, strict=False):
        values = _convert_column(
            cells,
            na_text=na_text,
            na_num=na_num,
            decimal_comma=decimal_comma,
            text_numbers=text_numbers,
            all_text=all_text,
        )
        data[name] = values if isinstance(values, np.ndarray) else pd.Series(values)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
    frame.attrs["source"] = source
    frame.attrs["lines"] = tuple(int(n) for n in lines)
    return frame
