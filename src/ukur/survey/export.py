"""Export cleaned survey data: CSV, or XLSX with a codebook (and the exclusions) beside the data.

The data sheet has one row per kept respondent: ``respondent`` (the row number in the original export),
the timestamps as ISO 8601 text, profile codes, and the coded item and attention-check answers (whole
numbers written without decimals). The codebook sheet documents every column so the file can be handed
on without the questionnaire: ``code``, ``kind``, ``construct``, the text in each language, ``reversed``
and the ``scale`` (``1 = Sangat tidak setuju; …``) or the options of a choice question. A ``profile``
sheet counts the answers to the choice profile questions (gender, education, age band), and an
``excluded`` sheet lists who was left out and why.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ukur.errors import DataError
from ukur.survey.questionnaire import Questionnaire

__all__ = ["codebook", "export_bytes", "profile_table", "tidy_for_export", "write_export"]

FORMATS = ("csv", "xlsx")


def codebook(questionnaire: Questionnaire) -> pd.DataFrame:
    """One row per question (profile, items, attention checks) in form order.

    Columns: ``code``, ``kind``, ``construct``, ``text_<lang>`` for each language, ``reversed``, ``scale``.
    """
    q = questionnaire
    scale_text = q.scale.describe()
    construct_of = {i.code: i for i in q.items}
    rows = []
    for code, kind, text in q.questions():
        row: dict[str, object] = {"code": code, "kind": kind, "construct": None}
        for lang in q.languages:
            row[f"text_{lang}"] = dict(text.values).get(lang)
        row["reversed"] = False
        if kind == "item":
            row["construct"] = construct_of[code].construct
            row["reversed"] = construct_of[code].reversed
            row["scale"] = scale_text
        elif kind == "attention":
            expected = next(a.expected for a in q.attention_checks if a.code == code)
            row["scale"] = f"{scale_text} (expected answer: {expected})"
        else:
            question = next(p for p in q.profile if p.code == code)
            if question.kind == "choice":
                row["scale"] = "; ".join(f"{o.code} = {o.label.get()}" for o in question.options)
            else:
                bounds = [b for b in (question.minimum, question.maximum) if b is not None]
                row["scale"] = "number" + (
                    f" ({question.minimum:g}–{question.maximum:g})" if len(bounds) == 2 else ""
                )
        rows.append(row)
    return pd.DataFrame(rows)


def profile_table(
    questionnaire: Questionnaire, data: pd.DataFrame, *, language: str | None = None
) -> pd.DataFrame:
    """Counts and shares of every option of the choice profile questions (the "respondent profile" tables).

    Columns: ``question`` (code), ``option`` (code), ``label`` (in ``language``), ``count``, ``percent``
    (of the respondents who answered the question, so each question's percentages add up to 100), and one
    ``total`` row per question whose count is the number who answered. Answers outside the options (free
    text of an ``other`` question) are counted in one ``other`` row.
    """
    rows: list[dict[str, object]] = []
    for question in questionnaire.profile:
        if question.kind != "choice" or question.code not in data.columns:
            continue
        answers = data[question.code].dropna()
        counts = answers.value_counts()
        total = len(answers)
        known = [o.code for o in question.options]
        for option in question.options:
            n = int(counts.get(option.code, 0))
            rows.append({"question": question.code, "option": option.code, "label": option.label.get(language),
                         "count": n, "percent": 100.0 * n / total if total else float("nan")})  # fmt: skip
        other = total - int(counts[counts.index.isin(known)].sum())
        if other:
            rows.append({"question": question.code, "option": "other", "label": "other",
                         "count": other, "percent": 100.0 * other / total})  # fmt: skip
        rows.append({"question": question.code, "option": "total", "label": "total", "count": total,
                     "percent": 100.0 if total else float("nan")})  # fmt: skip
    return pd.DataFrame(rows, columns=["question", "option", "label", "count", "percent"])


def tidy_for_export(data: pd.DataFrame) -> pd.DataFrame:
    """``respondent`` as a column, timestamps as ISO text, whole-number columns as integers."""
    out = data.reset_index()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[column] = series.map(lambda t: None if pd.isna(t) else t.isoformat())
        elif pd.api.types.is_float_dtype(series.dtype):
            present = series.dropna()
            if len(present) and bool((present % 1 == 0).all()):
                out[column] = series.astype("Int64")
    return out


def export_bytes(
    data: pd.DataFrame,
    questionnaire: Questionnaire,
    fmt: str,
    *,
    excluded: pd.DataFrame | None = None,
) -> bytes:
    """The export file as bytes (for a download): ``fmt`` is ``"csv"`` or ``"xlsx"``."""
    table = tidy_for_export(data)
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            table.to_excel(writer, sheet_name="data", index=False)
            codebook(questionnaire).to_excel(writer, sheet_name="codebook", index=False)
            profile = profile_table(questionnaire, data)
            if len(profile):
                profile.to_excel(writer, sheet_name="profile", index=False)
            if excluded is not None:
                excluded.to_excel(writer, sheet_name="excluded", index=False)
        return buffer.getvalue()
    raise DataError(f"unknown export format '{fmt}' (choose csv or xlsx)", field="format")


def write_export(
    path: str | Path,
    data: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    excluded: pd.DataFrame | None = None,
) -> Path:
    """Write CSV or XLSX chosen by the suffix of ``path``; returns the path written."""
    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise DataError(f"the output must end in .csv or .xlsx (got '{p.name}')", source=str(path))
    content = export_bytes(data, questionnaire, fmt, excluded=excluded)
    try:
        p.write_bytes(content)
    except OSError as exc:
        raise DataError(f"cannot write the file ({exc.strerror or exc})", source=str(path)) from None
    return p
