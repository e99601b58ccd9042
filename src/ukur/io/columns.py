"""Checks on the columns of a frame read by :func:`ukur.io.read_table`, with file lines in messages."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from ukur.errors import DataError
from ukur.io.cells import parse_number

__all__ = ["require_numeric", "source_line"]


def source_line(frame: pd.DataFrame, row: int) -> int:
    """The file line of positional row ``row`` (``attrs["lines"]``, else ``row + 2``: header = line 1)."""
    lines = frame.attrs.get("lines")
    if isinstance(lines, tuple | list) and len(lines) == len(frame) and 0 <= row < len(lines):
        return int(lines[row])
    return row + 2


def _source(frame: pd.DataFrame, source: str | None) -> str | None:
    if source is not None:
        return source
    value = frame.attrs.get("source")
    return value if isinstance(value, str) else None


def require_numeric(
    frame: pd.DataFrame, columns: Iterable[str], *, source: str | None = None
) -> pd.DataFrame:
    """``frame[columns]`` as ``float64``; :class:`DataError` unless each column exists and holds numbers.

    Missing cells are allowed (their treatment is the caller's choice). The message names the column,
    the first offending file line and its value, e.g.
    ``data.csv:7: column 'IMAG2' must be numeric but line 7 holds 'setuju'``.
    """
    label = _source(frame, source)
    names = list(columns)
    for name in names:
        if name not in frame.columns:
            raise DataError(f"column '{name}' is not in the data", source=label, field=name)
        col = frame[name]
        if is_numeric_dtype(col.dtype) and not is_bool_dtype(col.dtype):
            continue
        for row, value in enumerate(col.tolist()):
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                continue
            if isinstance(value, str) and not value.strip():
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                continue
            if isinstance(value, str) and parse_number(value.strip()) is not None:
                continue
            line = source_line(frame, row)
            raise DataError(
                f"column '{name}' must be numeric but line {line} holds {str(value)!r}",
                source=label,
                line=line,
                field=name,
            )
    out = pd.DataFrame(
        {n: frame[n].astype("object").map(_as_number).astype("float64") for n in names}, index=frame.index
    )
    out.attrs.update(frame.attrs)
    return out


def _as_number(value: object) -> float:
    if isinstance(value, str):
        n = parse_number(value.strip()) if value.strip() else None
        return float("nan") if n is None else float(n)
    if value is None or value is pd.NA:
        return float("nan")
    return float(value)  # type: ignore[arg-type]
