"""Customer feedback: the built-in short questionnaire and the validation of feedback rows.

The built-in questionnaire (``feedback.yaml``, shipped with the package, a ``ukur: questionnaire/v1``
file) asks three things, once per record through a feedback link or periodically of a customer
organisation:

``csat``    customer satisfaction on the 1–5 Likert scale ("Overall I am satisfied with this service");
``effort``  customer effort score on the same scale, worded so that 5 means *easy* (all Likert items then
            point the same way, which a reflective PLS construct needs);
``nps``     likelihood to recommend, 0–10.  The Net Promoter Score of a group is
            ``100 · (share of 9–10 − share of 0–6)`` (Reichheld 2003, "The one number you need to grow",
            Harvard Business Review 81(12)).

An optional free-text ``comment`` is kept beside the answers.  Any other questionnaire of
:mod:`ukur.survey` can be used instead: its item columns are kept as numbers (see
:func:`validate_feedback`).

Feedback rows are linked to an agreement (``agreement``) and optionally to one record (``record_id``, a
shipment or a ticket), so that satisfaction can be split by whether that record met its SLA.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.io import source_line
from ukur.sla import parse_timestamps
from ukur.survey import Questionnaire, parse_questionnaire

__all__ = [
    "ANSWERS",
    "FEEDBACK_COLUMNS",
    "RANGES",
    "feedback_answer",
    "feedback_questionnaire",
    "nps_score",
    "validate_feedback",
]

ANSWERS = ("csat", "effort", "nps")
"""The answers of the built-in questionnaire."""

RANGES: dict[str, tuple[int, int]] = {"csat": (1, 5), "effort": (1, 5), "nps": (0, 10)}
"""Allowed whole-number answers of the built-in questions."""

FEEDBACK_COLUMNS = [
    "agreement", "record_id", "customer", "respondent", "submitted_at", "csat", "effort", "nps", "comment",
]  # fmt: skip
"""Columns of a validated feedback frame (then any further item columns, as numbers)."""

_TEXT = ("agreement", "record_id", "customer", "respondent", "comment")


@cache
def feedback_questionnaire() -> Questionnaire:
    """The built-in short feedback questionnaire (package data ``ukur/success/feedback.yaml``)."""
    text = resources.files("ukur.success").joinpath("feedback.yaml").read_text(encoding="utf-8")
    return parse_questionnaire(text, source="feedback.yaml")


def nps_score(values: np.ndarray | pd.Series) -> float:
    """Net Promoter Score of 0–10 answers: ``100 · (P − D)`` with P the share of 9–10, D of 0–6; NaN if none."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan")
    return float(100.0 * (np.mean(x >= 9) - np.mean(x <= 6)))


def validate_feedback(
    frame: pd.DataFrame,
    *,
    agreements: Iterable[str] | None = None,
    records: Mapping[str, Iterable[str]] | None = None,
    items: Iterable[str] = (),
    timezone: str = "UTC",
    source: str | None = None,
) -> pd.DataFrame:
    """Check feedback rows and return them tidy (:data:`FEEDBACK_COLUMNS` plus ``items``).

    Rules, each a :class:`~ukur.errors.DataError` naming the file line and the column:

    * an ``agreement`` column is required; with ``agreements`` every value must be one of them;
    * ``record_id`` is optional; with ``records`` (agreement id → known record ids) it must be a known
      record of its agreement, and an agreement and record may be answered only once (one answer per
      feedback link);
    * ``csat``, ``effort`` (1–5) and ``nps`` (0–10) must be whole numbers in range or blank, and every row
      must answer at least one of them or one of ``items``;
    * ``submitted_at`` (optional) is an ISO 8601 time, local to ``timezone`` when it has no offset.

    ``customer`` and ``respondent`` are optional text columns (a blank customer is filled by the caller
    from the agreement's customer).  Returns a new frame with a ``RangeIndex``; ``attrs`` keep ``source``.
    """
    source = source if source is not None else frame.attrs.get("source")
    frame = frame.reset_index(drop=True)
    lines = frame.attrs.get("lines")
    if "agreement" not in frame.columns:
        raise DataError("feedback needs an 'agreement' column", source=source, field="agreement")
    items = tuple(items)
    answered_columns = [c for c in (*ANSWERS, *items) if c in frame.columns]
    missing_items = [c for c in items if c not in frame.columns]
    if missing_items:
        raise DataError(f"feedback has no column {missing_items[0]!r}", source=source, field=missing_items[0])
    if not answered_columns:
        raise DataError(
            "feedback has none of the answer columns csat, effort, nps", source=source, field="csat"
        )
    out = pd.DataFrame(index=frame.index)
    for name in _TEXT:
        if name in frame.columns:
            col = frame[name].astype(object)
            text = col.where(col.notna(), "").astype(str).str.strip().astype(object)
            out[name] = text.where(text != "", None)
        else:
            out[name] = pd.Series([None] * len(frame), dtype=object)

    def fail(row: int, message: str, field: str) -> DataError:
        line = int(lines[row]) if isinstance(lines, list | tuple) else source_line(frame, row)
        return DataError(message, source=source, line=line, field=field)

    blank = out["agreement"].isna().to_numpy()
    if blank.any():
        raise fail(int(np.flatnonzero(blank)[0]), "feedback row without an agreement", "agreement")
    if agreements is not None:
        known = set(agreements)
        unknown = ~out["agreement"].isin(known).to_numpy()
        if unknown.any():
            row = int(np.flatnonzero(unknown)[0])
            raise fail(row, f"unknown agreement {out['agreement'].iloc[row]!r}", "agreement")
    for name in answered_columns:
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        present = frame[name].notna().to_numpy() & (frame[name].astype(str).str.strip() != "").to_numpy()
        unreadable = present & np.isnan(values)
        lo, hi = RANGES.get(name, (-np.inf, np.inf))
        wrong = unreadable | (np.isfinite(values) & ((values < lo) | (values > hi)))
        if name in RANGES:
            wrong |= np.isfinite(values) & (values != np.round(values))
        if wrong.any():
            row = int(np.flatnonzero(wrong)[0])
            allowed = f"a whole number from {lo} to {hi}" if name in RANGES else "a number"
            raise fail(row, f"{name} must be {allowed}, not {frame[name].iloc[row]!r}", name)
        out[name] = values
    for name in ANSWERS:
        if name not in out.columns:
            out[name] = np.full(len(frame), np.nan)
    none = ~np.isfinite(out[answered_columns].to_numpy(dtype=float)).any(axis=1)
    if none.any():
        raise fail(int(np.flatnonzero(none)[0]), "feedback row without any answer", answered_columns[0])
    if "submitted_at" in frame.columns:
        out["submitted_at"] = parse_timestamps(
            frame["submitted_at"], timezone=timezone, source=source, field="submitted_at"
        )
    else:
        out["submitted_at"] = np.full(len(frame), np.datetime64("NaT"), "datetime64[ns]")
    linked = out["record_id"].notna().to_numpy()
    keys = out["agreement"].astype(str) + "\x1f" + out["record_id"].astype(str)
    twice = linked & keys.duplicated().to_numpy()
    if twice.any():
        row = int(np.flatnonzero(twice)[0])
        raise fail(row, f"record {out['record_id'].iloc[row]!r} already has feedback", "record_id")
    if records is not None:
        known_keys = np.concatenate(
            [np.char.add(f"{a}\x1f", np.asarray(list(ids), dtype=str)) for a, ids in records.items()]
            or [np.array([], dtype=str)]
        )
        unknown_record = linked & ~keys.isin(known_keys).to_numpy()
        if unknown_record.any():
            row = int(np.flatnonzero(unknown_record)[0])
            raise fail(row, f"unknown record {out['record_id'].iloc[row]!r}", "record_id")
    result = out[FEEDBACK_COLUMNS + [c for c in items if c not in FEEDBACK_COLUMNS]].copy()
    result.attrs["source"] = source
    return result


def feedback_answer(
    form: Mapping[str, object],
    *,
    agreement: str,
    record_id: str | None = None,
    customer: str | None = None,
    items: Iterable[str] = (),
    source: str = "feedback form",
) -> dict[str, object]:
    """One submitted feedback form (text values as a web form sends them) checked like a feedback row.

    Returns the row as a dict with :data:`FEEDBACK_COLUMNS` (numbers as floats, NaN for blanks, no
    ``submitted_at``: the caller stamps the time it stores); raises :class:`~ukur.errors.DataError`
    naming the field for an out-of-range or missing answer.  Whether the link's token was already used
    is the caller's (the store's) concern.
    """
    items = tuple(items)
    row: dict[str, object] = {"agreement": agreement, "record_id": record_id, "customer": customer}
    for name in (*ANSWERS, *items, "comment", "respondent"):
        value = form.get(name)
        row[name] = None if value is None or str(value).strip() == "" else str(value).strip()
    frame = pd.DataFrame([row])
    try:
        checked = validate_feedback(frame, items=items, source=source)
    except DataError as error:  # a form has fields, not lines
        raise DataError(error.message, source=source, field=error.field) from None
    checked.attrs = {}
    out = checked.iloc[0].to_dict()
    out.pop("submitted_at", None)
    return {str(k): v for k, v in out.items()}
