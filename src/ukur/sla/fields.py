"""Reading the fields of a record stream the way objectives need them, without failing the whole run.

A bad value in one record (an unparseable timestamp, a missing key) makes *that record* invalid with a
reason; it must never stop the evaluation of the other records. :func:`timestamps` therefore returns a
mask of the values that were written but could not be read, next to the parsed instants. Conditions
(``good_when``, ``when``) compare values in a normalized spelling so that ``false`` in YAML matches
``False``, ``false``, ``0`` or ``no`` in a CSV file, and ``1`` matches ``1.0`` from a spreadsheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.sla.duration import parse_timestamps

__all__ = ["NONE", "Reasons", "matches", "normalized", "require_columns", "stripped_text", "timestamps"]

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
        cells = series.astype(object).tolist()
        is_text = np.array([isinstance(v, str) for v in cells], dtype=bool)
        text = pd.Series([v.strip() if isinstance(v, str) else None for v in cells], dtype=object)
        present = text.notna().to_numpy() & (text != "").to_numpy()
        parsed = pd.to_datetime(text.where(present, None), format="ISO8601", errors="coerce", utc=True)
        unreadable_text = is_text & present & parsed.isna().to_numpy()
        other = ~is_text & series.notna().to_numpy()
        not_instant = np.array(
            [not isinstance(v, datetime | date | np.datetime64) for v in cells], dtype=bool
        )
        bad = unreadable_text | (other & not_instant)
    cleaned = series.astype(object).where(~bad, None)
    return parse_timestamps(cleaned, timezone=timezone, source=source, field=field), bad


def normalized(values: pd.Series | Sequence[object]) -> np.ndarray:
    """Values as comparable text: booleans and yes/no words → ``true``/``false``, whole numbers without
    ``.0``, text lower-cased and stripped, missing → ``None``.

    Each distinct value is normalized once (``pandas.factorize``), so a million records with three
    priorities cost one hash pass, not a million string operations.
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    spelled = _spell(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    table = np.append(spelled, np.array([None], dtype=object))
    return table[codes]


def _spell(series: pd.Series) -> np.ndarray:
    out = np.empty(len(series), dtype=object)
    for i, value in enumerate(series.tolist()):
        out[i] = _spell_one(value)
    return out


def _spell_one(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    text = str(value).strip().lower()
    if text in _TRUE:
        return "true"
    if text in _FALSE:
        return "false"
    if re.fullmatch(r"-?\d+\.0+", text):
        return text.split(".")[0]
    return text or None


def stripped_text(values: pd.Series) -> np.ndarray:
    """A column as stripped text (object array; missing → ``None``), one string operation per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = np.array([str(u).strip() for u in np.asarray(uniques, dtype=object)] + [None], dtype=object)
    return texts[codes]


class Reasons:
    """Why records are invalid: the first reason added for a record wins.

    Reasons are kept as small integer codes while masks are added and turned into text once at the end,
    so a million records cost integer operations, not object-array copies.
    """

    def __init__(self, n: int) -> None:
        self.code = np.zeros(n, dtype=np.int16)
        self.texts: list[str | None] = [None]

    def add(self, mask: np.ndarray, text: str) -> None:
        """Give ``text`` to the records in ``mask`` that have no reason yet."""
        self.texts.append(text)
        self.code = np.where((self.code == 0) & mask, len(self.texts) - 1, self.code)

    @property
    def valid(self) -> np.ndarray:
        """Records without a reason."""
        return self.code == 0

    def text(self) -> np.ndarray:
        """The reasons as an object array (``None`` for valid records)."""
        return np.array(self.texts, dtype=object)[self.code]


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
