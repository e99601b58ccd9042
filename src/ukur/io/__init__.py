"""Reading tabular files, once for everyone: PLS data, questionnaire exports and SLA record streams.

Public interface::

    read_table(path, *, sheet=None, na_values=(), encoding=None, source=None) -> pandas.DataFrame
    parse_table(data: bytes, *, name, sheet=None, na_values=(), encoding=None, source=None) -> DataFrame
    require_numeric(frame, columns, *, source=None) -> DataFrame            # float64 copy of the columns
    source_line(frame, row: int) -> int                                     # file line of positional row
    select_model_columns(frame, indicators, *, source=None, likert=None) -> DataFrame  # float64, checked
    map_likert(frame, columns=None, *, points=5, mapping=None, source=None) -> DataFrame   (ukur.io.likert)

Formats by extension: ``.csv``/``.txt``/``.tsv`` (comma, semicolon or tab, sniffed; decimal comma with
semicolon/tab separators; UTF-8 with or without BOM, else cp1252, else Latin-1), ``.xlsx``/``.xlsm`` (first
sheet or ``sheet``), ``.json`` (an array of objects) and ``.jsonl``/``.ndjson`` (one object per line).

The returned frame has a ``RangeIndex``; ``frame.attrs`` holds ``"source"`` (the file name used in
messages) and ``"lines"``: ``attrs["lines"][i]`` is the file line of row ``i`` (header = line 1, so
usually ``i + 2``; :func:`source_line` reads it). Numeric columns are ``int64``/``float64``, others text.
Every problem is a :class:`ukur.errors.DataError` carrying source, line and column/field.
"""

from ukur.io.columns import require_numeric, source_line
from ukur.io.likert import map_likert
from ukur.io.model_data import select_model_columns
from ukur.io.table import parse_table, read_table

__all__ = [
    "map_likert",
    "parse_table",
    "read_table",
    "require_numeric",
    "select_model_columns",
    "source_line",
]
