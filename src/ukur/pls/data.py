"""Preparing the indicator data for estimation: selection, missing values, checks, standardization.

The steps follow SmartPLS and seminr (R/estimate_pls.R ``estimate_pls``, R/clean_data.R
``mean_replacement``):

1. select the model's indicators from the data frame (other columns are ignored, whatever they hold);
2. cells equal to a missing-value marker (``na_values``, e.g. ``-99``) and empty cells become missing;
3. every indicator must be numeric (text that does not parse as a number is an error naming the column,
   row and value);
4. missing values are treated by

   * ``mean`` (default, SmartPLS and seminr): each missing cell gets the mean of the non-missing cells of
     its column;
   * ``casewise``: rows with a missing value in any indicator are dropped;

5. an indicator without variance (after treatment) is an error naming the column.

Standardization uses the sample standard deviation (divisor n − 1, as R ``scale`` in seminr) by default.
Weights, loadings, paths and every correlation-based statistic do not depend on this choice; only the
scale of the reported construct scores does (by the factor √(n/(n−1))).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.pls.model import Model

__all__ = ["MISSING", "PreparedData", "prepare"]

MISSING = ("mean", "casewise")
"""Missing-value treatments: ``mean`` replacement (default, as SmartPLS/seminr) or ``casewise`` deletion."""


@dataclass(frozen=True)
class PreparedData:
    """The model's indicator data, ready for estimation.

    Attributes
    ----------
    raw : the indicator columns as numbers with missing cells as NaN, all rows (before treatment); the
        item descriptives are computed from it.
    data : the indicators after missing-value treatment (rows used; original index labels kept).
    n : rows in the input.  n_used : rows used.
    values_missing : missing cells among the indicators.  rows_missing : rows with at least one.
    values_replaced : cells filled by mean replacement.  rows_dropped : rows dropped casewise.
    """

    raw: pd.DataFrame
    data: pd.DataFrame
    n: int
    n_used: int
    values_missing: int
    rows_missing: int
    values_replaced: int
    rows_dropped: int

    def correlation(self) -> np.ndarray:
        """Pearson correlations of the treated indicators (p × p), in the model's indicator order."""
        x = self.data.to_numpy(dtype=float)
        z = x - x.mean(axis=0)
        cov = z.T @ z
        sd = np.sqrt(np.diag(cov))
        corr = cov / np.outer(sd, sd)
        np.fill_diagonal(corr, 1.0)
        return corr

    def standardized(self, ddof: int = 1) -> np.ndarray:
        """z-scores of the treated indicators: ``(x − mean) / sd`` with divisor ``n − ddof``."""
        x = self.data.to_numpy(dtype=float)
        return (x - x.mean(axis=0)) / x.std(axis=0, ddof=ddof)


def prepare(
    model: Model,
    data: pd.DataFrame,
    *,
    missing: str = "mean",
    na_values: Iterable[object] = (),
    source: str | None = None,
) -> PreparedData:
    """Select, check and treat the indicator columns of ``data`` for ``model``.

    Raises :class:`~ukur.errors.DataError` (with ``field`` = the column) for an indicator that is not
    in the data (suggesting close matches), a non-numeric or entirely missing column, a column without
    variance, too few usable rows, or an unknown ``missing`` treatment.
    """
    if source is None and isinstance(data.attrs.get("source"), str):
        source = data.attrs["source"]
    if missing not in MISSING:
        raise DataError(f"missing must be one of {', '.join(MISSING)}, not '{missing}'", field="missing")
    columns = [str(c) for c in data.columns]
    for item in model.indicators:
        if item not in columns:
            raise DataError(_unknown_column_message(item, columns), source=source, field=item)
    numbers, strings = _markers(na_values)
    position = {c: k for k, c in enumerate(columns)}
    block = data.iloc[:, [position[item] for item in model.indicators]]
    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in block.dtypes):
        x = block.to_numpy(
            dtype=float, na_value=np.nan, copy=True
        )  # the usual case: one conversion for the block
    else:
        x = np.empty((len(data), len(model.indicators)))
        for col, item in enumerate(model.indicators):
            x[:, col] = _numeric_column(block.iloc[:, col], item, strings, source, data.attrs.get("lines"))
    if numbers:
        x[np.isin(x, list(numbers))] = np.nan
    mask = np.isnan(x)
    values_missing = int(mask.sum())
    row_has_missing = mask.any(axis=1)
    rows_missing = int(row_has_missing.sum())
    for col, item in enumerate(model.indicators):
        if mask[:, col].all():
            raise DataError(
                f"column '{item}' has no values (every cell is missing)", source=source, field=item
            )
    index = data.index
    if missing == "mean":
        treated = np.where(mask, np.nanmean(x, axis=0), x) if values_missing else x.copy()
        values_replaced, rows_dropped = values_missing, 0
        used_index = index
    else:
        treated = x[~row_has_missing]
        values_replaced, rows_dropped = 0, rows_missing
        used_index = index[~row_has_missing]
    if len(treated) < 3:
        raise DataError(
            f"only {len(treated)} usable row(s) after {missing} treatment of missing values; at least 3 are needed",
            source=source,
        )
    spread = np.ptp(treated, axis=0)
    for col, item in enumerate(model.indicators):
        if not spread[col] > 1e-12 * max(1.0, float(np.abs(treated[:, col]).max())):
            raise DataError(
                f"column '{item}' has no variance (every used value is {treated[0, col]:g})",
                source=source,
                field=item,
            )
    names = pd.Index(model.indicators, name="indicator")
    raw = pd.DataFrame(x, index=index, columns=names)
    frame = pd.DataFrame(treated, index=used_index, columns=names)
    return PreparedData(
        raw=raw,
        data=frame,
        n=len(data),
        n_used=len(frame),
        values_missing=values_missing,
        rows_missing=rows_missing,
        values_replaced=values_replaced,
        rows_dropped=rows_dropped,
    )


def _unknown_column_message(item: str, columns: list[str]) -> str:
    close = difflib.get_close_matches(item, columns, n=3, cutoff=0.6)
    if not close:
        folded = {c.casefold(): c for c in columns}
        close = [folded[item.casefold()]] if item.casefold() in folded else []
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"indicator '{item}' is not a column of the data{hint}"


def _markers(na_values: Iterable[object]) -> tuple[set[float], set[str]]:
    """Split the missing-value markers into numbers (compared numerically) and their text forms."""
    numbers: set[float] = set()
    strings: set[str] = {""}
    for value in na_values:
        text = str(value).strip()
        strings.add(text)
        try:
            numbers.add(float(text))
        except ValueError:
            continue
    return numbers, strings


def _numeric_column(
    column: pd.Series, item: str, strings: set[str], source: str | None, lines: object = None
) -> np.ndarray:
    """The column as a float array, empty/marker text cells as NaN; text that is not a number is an error.

    Numeric markers (e.g. -99) are applied by the caller on the whole block at once.  ``lines`` (the
    ``attrs["lines"]`` that :func:`ukur.io.read_table` attaches) maps rows to file lines for the message.
    """
    if pd.api.types.is_bool_dtype(column.dtype):
        raise DataError(
            f"column '{item}' is not numeric (it holds true/false values)", source=source, field=item
        )
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.to_numpy(dtype=float, na_value=np.nan, copy=True)
    text = column.astype("string").str.strip()
    is_marker = (text.isna() | text.isin(list(strings))).to_numpy(dtype=bool)
    parsed = pd.to_numeric(text.where(~is_marker), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(parsed) & ~is_marker
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        line = None
        if isinstance(lines, (list, tuple)) and len(lines) == len(column):
            line = int(lines[row])
        where = f"line {line}" if line is not None else f"row {row + 1}"
        raise DataError(
            f"column '{item}' is not numeric: {where} holds {text.iloc[row]!r}",
            source=source,
            line=line,
            field=item,
        )
    return np.array(parsed, dtype=float)
