"""Likert answers written as words → numbers, in Indonesian and English.

Questionnaire exports (Google Forms, Microsoft Forms, printed forms typed into Excel) often hold the
label a respondent ticked rather than its number. :func:`map_likert` turns those labels into scores with
a built-in 5- or 7-point agreement scale or a mapping the user supplies.

Built-in scales (labels are compared case-, space- and punctuation-insensitively: ``"Ragu-ragu"``,
``"ragu ragu"`` and ``" RAGU-RAGU "`` are the same label; Indonesian and English share one table because
no label means different things in the two languages):

=====  ==========================================  ==========================================
score  5-point                                     7-point
=====  ==========================================  ==========================================
1      Sangat Tidak Setuju (STS), Strongly         Sangat Tidak Setuju (STS), Strongly
       disagree (SD)                               disagree (SD)
2      Tidak Setuju (TS), Disagree (D)             Tidak Setuju (TS), Disagree (D)
3      Netral (N), Ragu-ragu (RG, R), Kurang       Agak Tidak Setuju (ATS), Kurang Setuju (KS),
       Setuju (KS), Cukup Setuju (CS), Neutral,    Somewhat/Slightly disagree
       Neither agree nor disagree, Undecided
4      Setuju (S), Agree (A)                       Netral (N), Ragu-ragu (RG, R), Neutral,
                                                   Neither agree nor disagree, Undecided
5      Sangat Setuju (SS), Strongly agree (SA)     Agak Setuju (AS), Cukup Setuju (CS),
                                                   Somewhat/Slightly agree
6                                                  Setuju (S), Agree (A)
7                                                  Sangat Setuju (SS), Strongly agree (SA)
=====  ==========================================  ==========================================

"Kurang Setuju" ("agree too little") is the middle category of the common Indonesian five-point form
(SS–S–KS–TS–STS); on a seven-point scale it sits just below neutral. Numbers written as text (``"4"``)
are accepted when they are one of the scale's scores. A user mapping replaces the built-in table
entirely (so a reverse-coded or satisfaction scale cannot mix with agreement labels by accident).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd
from pandas.api.types import is_numeric_dtype

from ukur.errors import DataError
from ukur.io.cells import parse_number
from ukur.io.columns import source_line

__all__ = ["SCALES", "likert_scale", "map_likert", "normalize_label"]

_LABELS_5: dict[int, tuple[str, ...]] = {
    1: ("sangat tidak setuju", "sts", "strongly disagree", "sd"),
    2: ("tidak setuju", "ts", "disagree", "d"),
    3: (
        "netral",
        "n",
        "ragu ragu",
        "ragu2",
        "ragu",
        "rg",
        "r",
        "kurang setuju",
        "ks",
        "cukup setuju",
        "cs",
        "neutral",
        "neither agree nor disagree",
        "undecided",
    ),
    4: ("setuju", "s", "agree", "a"),
    5: ("sangat setuju", "ss", "strongly agree", "sa"),
}
_LABELS_7: dict[int, tuple[str, ...]] = {
    1: _LABELS_5[1],
    2: _LABELS_5[2],
    3: ("agak tidak setuju", "ats", "kurang setuju", "ks", "somewhat disagree", "slightly disagree"),
    4: (
        "netral",
        "n",
        "ragu ragu",
        "ragu2",
        "ragu",
        "rg",
        "r",
        "neutral",
        "neither agree nor disagree",
        "undecided",
    ),
    5: ("agak setuju", "as", "cukup setuju", "cs", "somewhat agree", "slightly agree"),
    6: _LABELS_5[4],
    7: _LABELS_5[5],
}

SCALES: Mapping[int, Mapping[str, int]] = {
    points: {label: score for score, labels in table.items() for label in labels}
    for points, table in ((5, _LABELS_5), (7, _LABELS_7))
}
"""Built-in agreement scales: number of points → normalized label → score."""

_PUNCT = re.compile(r"[\s\-_.,;:()\[\]/]+")


def normalize_label(text: str) -> str:
    """The comparison key of a label: case-folded, punctuation and runs of spaces turned into one space."""
    return _PUNCT.sub(" ", text.casefold()).strip()


def likert_scale(points: int = 5) -> dict[str, int]:
    """A copy of the built-in 5- or 7-point scale (normalized label → score)."""
    if points not in SCALES:
        raise DataError(f"no built-in {points}-point Likert scale (choose 5 or 7)", field="points")
    return dict(SCALES[points])


def _known(mapping: Mapping[str, float], value: object) -> float | None:
    if not isinstance(value, str):
        return None
    key = normalize_label(value)
    if key in mapping:
        return float(mapping[key])
    n = parse_number(value.strip())
    if n is not None and float(n) in {float(v) for v in mapping.values()}:
        return float(n)
    return None


def map_likert(
    frame: pd.DataFrame,
    columns: Iterable[str] | None = None,
    *,
    points: int = 5,
    mapping: Mapping[str, float] | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` with Likert labels replaced by scores (``float64``; missing stays ``NaN``).

    Parameters
    ----------
    columns
        The columns to map. By default every text column in which at least one cell is a known label
        (so names, e-mail addresses and timestamps are left alone); numeric columns are never touched.
    points
        5 or 7: which built-in scale to use (ignored when ``mapping`` is given).
    mapping
        Label → score, replacing the built-in scale; labels are normalized like the data.

    Raises
    ------
    DataError
        A mapped column holds a label the scale does not know; the message lists the column, the file
        line (from ``attrs["lines"]``) and the label of up to five such cells and how many there are.
    """
    if mapping is not None:
        table: Mapping[str, float] = {normalize_label(str(k)): float(v) for k, v in mapping.items()}
    else:
        table = {k: float(v) for k, v in likert_scale(points).items()}
    label = source if source is not None else frame.attrs.get("source")
    label = label if isinstance(label, str) else None
    if columns is None:
        chosen = [
            c
            for c in frame.columns
            if not is_numeric_dtype(frame[c].dtype)
            and any(_known(table, v) is not None for v in frame[c].dropna().unique())
        ]
    else:
        chosen = list(columns)
        for c in chosen:
            if c not in frame.columns:
                raise DataError(f"column '{c}' is not in the data", source=label, field=c)
    out = frame.copy()
    unknown: list[tuple[str, int, str]] = []
    for c in chosen:
        col = frame[c]
        if is_numeric_dtype(col.dtype):
            continue
        present = col.notna().to_numpy()
        scores = {v: _known(table, v) for v in col[present].unique()}
        mapped = col.astype("object").map(lambda v, s=scores: s.get(v) if v in s else None)
        bad = present & mapped.isna().to_numpy()
        unknown.extend((c, source_line(frame, int(r)), str(col.iloc[r])) for r in bad.nonzero()[0])
        out[c] = mapped.astype("float64")
    if unknown:
        raise _unknown_error(unknown, table, points if mapping is None else None, label)
    return out


def _unknown_error(
    unknown: list[tuple[str, int, str]], table: Mapping[str, float], points: int | None, source: str | None
) -> DataError:
    column, line, value = unknown[0]
    listed = "; ".join(f"column '{c}' line {n}: {v!r}" for c, n, v in unknown[:5])
    more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
    hint = ""
    if points is not None:
        other = 7 if points == 5 else 5
        if normalize_label(value) in SCALES[other]:
            hint = f"; {value!r} belongs to the {other}-point scale (choose {other} points)"
    return DataError(
        f"unknown Likert label {value!r} in column '{column}' at line {line} "
        f"({len(unknown)} unknown: {listed}{more}){hint}",
        source=source,
        line=line,
        field=column,
    )
