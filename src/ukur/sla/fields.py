"""Reading the fields of a record stream the way objectives need them, without failing the whole run.

A bad value in one record (an unparseable timestamp, a missing key) makes *that record* invalid with a
reason; it must never stop the evaluation of the other records. :func:`timestamps` therefore returns a
mask of the values that were written but could not be read, next to the parsed instants. Conditions
(``good_when``, ``when``) compare values in a normalized spelling so that ``false`` in YAML matches
``False``, ``false``, ``0`` or ``no`` in a CSV file, and ``1`` matches ``1.0`` from a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.sla.duration import parse_timestamps

__all__ = ["NONE", "matches", "normalized", "require_columns", "timestamps"]

NONE = np.array(None, dtype=object)
"""A 0-d ``None`` for ``numpy.where`` (typed as an array)."""

_TRUE = ("true", "yes", "y", "ya", "t")
_FALSE = ("false", "no", "n", "tidak", "f")


def timestamps(
    values: pd.Series, *, timezone: str, source: str | None, field: str
) -> tuple[np.ndarray, np.ndarray]:
    """Parse a column to UTC ``datetime64[ns]``; return ``(instants, unreadable)``.

    ``unreadable`` marks values that are present but not ISO 8601 timestamps; they become NaT. The fast
    path parses the column once; only a column with bad values is parsed a second time after the bad
    values were found and blanked.
    """
    series = values.reset_index(drop=True)
    try:
        return parse_timestamps(series, timezone=timezone, source=source, field=field), np.zeros(
            len(series), bool
        )
    except DataError:
        pass
    if series.dtype.kind in "iufb":
        bad = series.notna().to_numpy()
    else:
        text = series.astype(object).where(series.notna(), None)
        as_text = text.map(lambda v: v.strip() if isinstance(v, str) else v)
        present = as_text.notna() & (as_text != "")
        parsed = pd.to_datetime(as_text.where(present, None), format="ISO8601", errors="coerce", utc=True)
        bad = (present & parsed.isna()).to_numpy()
    cleaned = series.astype(object).where(~bad, None)
    return parse_timestamps(cleaned, timezone=timezone, source=source, field=field), bad


def normalized(values: pd.Series | Sequence[object]) -> np.ndarray:
    """Values as comparable text: booleans and yes/no words → ``true``/``false``, whole numbers without
    ``.0``, text lower-cased and stripped, missing → ``None``."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if series.dtype == bool:
        return np.where(series.to_numpy(), "true", "false").astype(object)
    if series.dtype.kind in "iuf":
        numbers = series.to_numpy(dtype=float)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers))
        text = np.where(
            whole, np.char.mod("%d", np.where(whole, numbers, 0).astype(np.int64)), series.astype(str)
        )
        return np.where(np.isnan(numbers), NONE, text).astype(object)
    obj = series.astype(object)
    missing = obj.isna().to_numpy()
    flags = obj.map(lambda v: ("true" if v else "false") if isinstance(v, bool | np.bool_) else v)
    lowered = flags.astype(str).str.strip().str.lower()
    lowered = lowered.replace(dict.fromkeys(_TRUE, "true")).replace(dict.fromkeys(_FALSE, "false"))
    lowered = lowered.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)
    out = lowered.to_numpy(dtype=object)
    out[missing | (out == "")] = None
    return out


def matches(values: pd.Series, accepted: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """``(match, missing)``: whether each value equals one of ``accepted`` (normalized), and which are missing."""
    have = normalized(values)
    wanted = {v for v in normalized(list(accepted)) if v is not None}
    missing = pd.isna(have)
    hit = pd.Series(have).isin(wanted).to_numpy() & ~missing
    return hit, missing


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, stream: str, purpose: str) -> None:
    """Raise a :class:`~ukur.errors.DataError` naming the file and the missing column."""
    for column in columns:
        if column not in frame.columns:
            have = ", ".join(map(str, frame.columns))
            raise DataError(
                f"stream {stream!r} has no column {column!r} (needed by {purpose}; columns: {have})",
                source=frame.attrs.get("source"),
                field=column,
            )
