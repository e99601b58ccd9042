"""The data a PLS model needs: its indicator columns, present, numeric, Likert labels mapped if asked."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

import pandas as pd

from ukur.errors import DataError
from ukur.io.columns import require_numeric
from ukur.io.likert import map_likert

__all__ = ["select_model_columns"]


def _suggest(name: str, columns: list[str]) -> str | None:
    """The column a user most likely meant: same name ignoring case and spaces, else the closest spelling."""
    key = "".join(name.split()).casefold()
    for c in columns:
        if "".join(c.split()).casefold() == key:
            return c
    close = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
    return close[0] if close else None


def select_model_columns(
    frame: pd.DataFrame,
    indicators: Iterable[str],
    *,
    source: str | None = None,
    likert: bool | int | Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The indicator columns of a model as a ``float64`` frame, checked for presence and numbers.

    Columns the model does not use are ignored whatever they contain (names, e-mail addresses, free
    text). A missing indicator is reported with the closest column name (:mod:`difflib`), e.g.
    ``indicator 'IMAG6' is not a column of data.csv; did you mean 'IMAG5'?``.

    Parameters
    ----------
    indicators
        Column names in the order wanted (``Model.indicators``).
    likert
        Map Likert labels in the used text columns first: ``True`` or ``5`` for the built-in 5-point
        scale, ``7`` for the 7-point one, or a label → score mapping (see :mod:`ukur.io.likert`).

    Raises
    ------
    DataError
        An indicator is not a column; a used column holds text that is not a number (or not a known
        Likert label); messages carry the file, the line and the column.
    """
    label = source if source is not None else frame.attrs.get("source")
    label = label if isinstance(label, str) else None
    wanted = list(dict.fromkeys(indicators))
    columns = [str(c) for c in frame.columns]
    absent = [i for i in wanted if i not in frame.columns]
    if absent:
        spare = [c for c in columns if c not in wanted]
        guesses = {name: _suggest(name, spare) for name in absent}
        if len(absent) == 1:
            guess = guesses[absent[0]]
            where = f"a column of {label}" if label else "a column of the data"
            message = f"indicator '{absent[0]}' is not {where}"
            message += f"; did you mean '{guess}'?" if guess else ""
        else:
            parts = [f"'{n}'" + (f" (did you mean '{g}'?)" if g else "") for n, g in guesses.items()]
            where = f"columns of {label}" if label else "columns of the data"
            message = f"{len(absent)} indicators are not {where}: {', '.join(parts)}"
        raise DataError(message, source=label, field=absent[0])
    used = frame[wanted]
    if likert is not None and likert is not False:
        if isinstance(likert, Mapping):
            used = map_likert(used, wanted, mapping=likert, source=label)
        else:
            used = map_likert(used, wanted, points=5 if likert is True else int(likert), source=label)
    return require_numeric(used, wanted, source=label)
