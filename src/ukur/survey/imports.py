"""Import a form export (Google Forms, Microsoft Forms, Kobo, ukur's own form) into coded numbers.

The export's columns are question texts. Each header is matched to a question code of the questionnaire
by its normalized text in any language (see :mod:`ukur.survey.matching`: case, spacing and punctuation do
not matter; ``Grid title [Row text]`` and leading numbering are understood; a header may also be the code
itself). Timestamps ("Timestamp", "Stempel waktu", "Start time", …) and an e-mail column are recognised
by name. Headers that match nothing and questions that no header matches are reported, never guessed.

Answers are converted cell by cell through unique values (a column has a handful of distinct answers):

* Likert items and attention checks: the questionnaire's scale labels in every language, then the
  built-in Indonesian/English agreement labels of :mod:`ukur.io.likert`, then a leading number
  (``"4"``, ``"4 - Setuju"``). Anything else is an *unreadable answer* (reported, kept as missing).
* Reverse-coded items are recoded as ``min + max − answer`` in :attr:`ImportResult.data`;
  :attr:`ImportResult.answers` keeps what the respondent ticked, which screening needs (a straight-liner
  ticks the same box on a reversed item too).
* Choice questions: an option's label in any language or its code → the option's code; free text only
  when the question allows ``other``. Number questions: the leading number (``"25 tahun"`` → 25).
* Timestamps: one format for the whole column, chosen among the common export formats; day-first and
  month-first are told apart by the dates that fit only one of them, then by which reading keeps the
  submissions in row order (exports list them in the order they arrived), then day-first (Indonesia).
  A ``GMT+7`` suffix, or ISO 8601 times with an offset (``2024-03-01T10:04:00+07:00``, ``…Z``), turn
  the column into UTC times.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.io.likert import SCALES
from ukur.survey._json import records
from ukur.survey.matching import header_variants, leading_number, normalize, suggest
from ukur.survey.questionnaire import ProfileQuestion, Questionnaire

__all__ = ["ImportResult", "import_responses"]

SUBMITTED = frozenset(
    normalize(n)
    for n in (
        "Timestamp", "Stempel waktu", "Cap waktu", "Tanda waktu", "Waktu", "Submitted at", "Submission time",
        "Submitted", "Completion time", "End time", "End date", "End", "Waktu selesai", "Date submitted",
        "submitdate",
    )
)  # fmt: skip
STARTED = frozenset(
    normalize(n)
    for n in ("Start time", "Start date", "Start", "Started", "Started at", "Waktu mulai", "startdate")
)
IDENTITY = frozenset(
    normalize(n)
    for n in (
        "Email address",
        "Alamat email",
        "Email",
        "E-mail",
        "Alamat e-mail",
        "Username",
        "Nama pengguna",
    )
)
_ZONE = re.compile(r"\s*(?:GMT|UTC)\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\s*$", re.IGNORECASE)
_ISO_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})")
_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H.%M.%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%d-%m-%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
)


@dataclass(frozen=True)
class ImportResult:
    """Coded answers of one export and what happened on the way.

    Attributes
    ----------
    data
        One row per submission, index ``respondent`` (1, 2, … in file order). Columns: ``submitted`` and
        ``started`` when the export has them (datetimes), then profile codes, item codes (reverse-coded
        items already recoded) and attention-check codes; only questions found in the export.
    answers
        The Likert answers (items and attention checks) as ticked, before reverse coding; ``NaN`` where
        blank or unreadable. Values off the scale (``6`` on a 1–5 scale) are kept for screening.
    columns
        ``column`` (header), ``role`` (submitted, started, identity, profile, item, attention, unmatched),
        ``code``, ``matched_by`` (text, grid row, numbering, code, name) and ``suggestion`` for unmatched.
    problems
        ``respondent``, ``line``, ``column``, ``code``, ``value``, ``problem``: every cell that could not
        be read (unknown label, not a number, not a date).
    identity
        The e-mail (or user name) per respondent when the export has one, else ``None``.
    lines
        The file line of each respondent, for messages.
    """

    questionnaire: Questionnaire
    data: pd.DataFrame
    answers: pd.DataFrame
    columns: pd.DataFrame
    problems: pd.DataFrame
    missing_questions: tuple[str, ...]
    identity: pd.Series | None
    lines: tuple[int, ...]
    source: str

    @property
    def respondents(self) -> int:
        return len(self.data)

    @property
    def unmatched_columns(self) -> tuple[str, ...]:
        return tuple(self.columns.loc[self.columns["role"] == "unmatched", "column"])

    def to_dict(self) -> dict[str, Any]:
        """The import report: matching, missing questions and unreadable cells (no answers)."""
        return {
            "source": self.source,
            "respondents": self.respondents,
            "columns": records(self.columns),
            "unmatched_columns": list(self.unmatched_columns),
            "missing_questions": list(self.missing_questions),
            "problems": records(self.problems),
        }


def import_responses(
    questionnaire: Questionnaire, table: pd.DataFrame, *, source: str | None = None
) -> ImportResult:
    """Match ``table``'s headers to ``questionnaire`` and code its answers (see the module docstring).

    ``table`` is what :func:`ukur.io.read_table` returns (its ``attrs["lines"]`` give file lines).

    Raises
    ------
    DataError
        The export has no rows, no header matches a construct item, or two columns match one question.
    """
    label = source if source is not None else str(table.attrs.get("source", "export"))
    if len(table) == 0:
        raise DataError("the export has no responses", source=label)
    lines = _lines(table)
    columns = _match_columns(questionnaire, [str(c) for c in table.columns], label)
    by_code = {
        str(code): str(header)
        for code, header, role in zip(columns["code"], columns["column"], columns["role"], strict=True)
        if role in ("profile", "item", "attention")
    }
    if not any(code in by_code for code in questionnaire.item_codes):
        raise DataError(
            "no column of the export matches an item of the questionnaire; "
            f"first headers: {', '.join(repr(str(c)) for c in list(table.columns)[:3])}",
            source=label,
        )
    index = pd.RangeIndex(1, len(table) + 1, name="respondent")
    problems: list[pd.DataFrame] = []
    coded: dict[str, pd.Series] = {}
    for role in ("submitted", "started"):
        stamp_header = _first(columns, role)
        if stamp_header is not None:
            stamps, bad = _timestamps(table[stamp_header])
            coded[role] = pd.Series(stamps.to_numpy(), index=index)
            problems.append(
                _problems(bad, table[stamp_header], stamp_header, role, "not a date and time", lines)
            )
    for question in questionnaire.profile:
        if question.code in by_code:
            header = by_code[question.code]
            values, bad = _profile(question, table[header])
            coded[question.code] = pd.Series(values.to_numpy(), index=index)
            what = "not one of the options" if question.kind == "choice" else "not a number"
            problems.append(_problems(bad, table[header], header, question.code, what, lines))
    scale = questionnaire.scale
    labels = _label_table(questionnaire)
    answers: dict[str, pd.Series] = {}
    for code in questionnaire.likert_codes:
        if code not in by_code:
            continue
        header = by_code[code]
        scores, bad = _likert(table[header], labels)
        answers[code] = pd.Series(scores, index=index, dtype="float64")
        problems.append(_problems(bad, table[header], header, code, "not a label of the scale", lines))
    reversed_codes = set(questionnaire.reversed_codes)
    on_scale = np.asarray(scale.values, dtype=np.float64)
    for code, raw in answers.items():
        valid = raw.where(raw.isin(on_scale))
        coded[code] = (scale.minimum + scale.maximum - valid) if code in reversed_codes else valid
    identity_header = _first(columns, "identity")
    identity = None
    if identity_header is not None:
        identity = pd.Series(table[identity_header].to_numpy(), index=index, name="identity").map(
            lambda v: normalize(v) if isinstance(v, str) and v.strip() else None
        )
    data = pd.DataFrame(coded, index=index)
    return ImportResult(
        questionnaire=questionnaire,
        data=data,
        answers=pd.DataFrame(answers, index=index, dtype="float64"),
        columns=columns,
        problems=_concat(problems),
        missing_questions=tuple(code for code, _, _ in questionnaire.questions() if code not in by_code),
        identity=identity,
        lines=lines,
        source=label,
    )


# --- columns ---------------------------------------------------------------------------------------


def _match_columns(questionnaire: Questionnaire, headers: list[str], source: str) -> pd.DataFrame:
    lookup: dict[str, tuple[str, str]] = {}
    texts: dict[str, str] = {}
    for code, role, text in questionnaire.questions():
        for value in text.all():
            lookup[normalize(value)] = (code, role)
            texts[value] = code
    codes = {normalize(code): (code, role) for code, role, _ in questionnaire.questions()}
    rows: list[dict[str, object]] = []
    taken: dict[str, str] = {}
    seen_roles: set[str] = set()
    for header in headers:
        key = normalize(header)
        row: dict[str, object] = {"column": header, "role": "unmatched", "code": None, "matched_by": None}
        special = next(
            (
                r
                for r, names in (("submitted", SUBMITTED), ("started", STARTED), ("identity", IDENTITY))
                if key in names
            ),
            None,
        )
        if special is not None and special not in seen_roles and key not in lookup:
            seen_roles.add(special)
            row.update(role=special, matched_by="name")
        else:
            variants = header_variants(header)
            for k, variant in enumerate(variants):
                hit = lookup.get(variant)
                how = "text" if k == 0 else ("grid row" if "[" in header else "numbering")
                if hit is None and variant in codes:
                    hit, how = codes[variant], "code"
                if hit is not None:
                    row.update(code=hit[0], role=hit[1], matched_by=how)
                    break
        matched = row["code"]
        if isinstance(matched, str):
            if matched in taken:
                raise DataError(
                    f"columns '{taken[matched]}' and '{header}' both match question '{matched}'",
                    source=source,
                    field=header,
                )
            taken[matched] = header
        row["suggestion"] = suggest(header, texts) if row["role"] == "unmatched" else None
        rows.append(row)
    return pd.DataFrame(rows, columns=["column", "role", "code", "matched_by", "suggestion"])


def _first(columns: pd.DataFrame, role: str) -> str | None:
    hits = columns.loc[columns["role"] == role, "column"]
    return str(hits.iloc[0]) if len(hits) else None


def _lines(table: pd.DataFrame) -> tuple[int, ...]:
    lines = table.attrs.get("lines")
    if isinstance(lines, list | tuple) and len(lines) == len(table):
        return tuple(int(v) for v in lines)
    return tuple(range(2, len(table) + 2))


# --- answers ---------------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _blank_mask(cells: pd.Series) -> np.ndarray:
    """Cells with no answer: missing, or text of spaces only (decided once per distinct value)."""
    spaces = [v for v in cells.dropna().unique() if _blank(v)]
    return (cells.isna() | cells.isin(spaces)).to_numpy(dtype=bool)


def _decode(cells: pd.Series, decoded: Mapping[object, Any]) -> tuple[pd.Series, np.ndarray]:
    """Map every cell through ``decoded`` (built from the distinct values); mask the unreadable ones.

    The lookup is a hash join of the column against the distinct values, not a Python call per cell.
    """
    blank = _blank_mask(cells)
    table = {k: v for k, v in decoded.items() if v is not None and not _blank(k)}
    values = cells.map(table)
    bad = ~blank & values.isna().to_numpy(dtype=bool)
    return values, bad


def _label_table(questionnaire: Questionnaire) -> dict[str, float]:
    """Normalized label → scale value: built-in agreement labels first, the questionnaire's own win."""
    scale = questionnaire.scale
    shift = scale.minimum - 1
    table = {normalize(label): float(score + shift) for label, score in SCALES[scale.points].items()}
    for _, labels in scale.labels:
        for value, label in zip(scale.values, labels, strict=True):
            table[normalize(label)] = float(value)
    return table


def _likert(column: pd.Series, labels: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Scores (float, NaN where blank or unreadable) and the mask of unreadable cells."""
    cells = column.astype("object")
    decoded: dict[object, float | None] = {}
    for value in cells.dropna().unique():
        decoded[value] = _likert_value(value, labels)
    values, bad = _decode(cells, decoded)
    return values.astype("float64").to_numpy(), bad


def _likert_value(value: object, labels: Mapping[str, float]) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = str(value)
    if not text.strip():
        return None
    key = normalize(text)
    if key in labels:
        return labels[key]
    return leading_number(text)


def _profile(question: ProfileQuestion, column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    cells = column.astype("object")
    if question.kind == "number":
        numbers: dict[object, float | None] = {}
        for value in cells.dropna().unique():
            if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
                numbers[value] = float(value)
            else:
                numbers[value] = leading_number(str(value))
        values, bad = _decode(cells, numbers)
        return values.astype("float64"), bad
    options: dict[str, str] = {}
    for option in question.options:
        options[normalize(option.code)] = option.code
        for text in option.label.all():
            options[normalize(text)] = option.code
    chosen: dict[object, str | None] = {}
    for value in cells.dropna().unique():
        fallback = str(value).strip() if question.other else None
        chosen[value] = options.get(normalize(_as_text(value)), fallback)
    out, bad = _decode(cells, chosen)
    return out.astype("object"), bad


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _timestamps(column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse a timestamp column with one format for all cells; returns values and the unreadable mask."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        values = pd.Series(column.to_numpy())
        return values, np.zeros(len(column), dtype=bool)
    cells = column.astype("object")
    blank = _blank_mask(cells)
    texts = cells.map({v: str(v).strip() for v in cells.dropna().unique() if not _blank(v)}).astype("object")
    present = texts.dropna()
    if len(present) and bool(present.str.fullmatch(_ISO_OFFSET).all()):
        aware = pd.to_datetime(texts, format="ISO8601", utc=True, errors="coerce")
        return aware, ~blank & aware.isna().to_numpy()
    zone = texts.str.extract(_ZONE)
    bare = texts.str.replace(_ZONE, "", regex=True)
    best: pd.Series | None = None
    best_key: tuple[int, int, int] | None = None
    for rank, fmt in enumerate(_FORMATS):
        parsed = pd.to_datetime(bare, format=fmt, errors="coerce")
        ok = int(parsed.notna().sum())
        if ok == 0:
            continue
        ordered = int(parsed.dropna().is_monotonic_increasing)
        key = (ok, ordered, -rank)
        if best_key is None or key > best_key:
            best, best_key = parsed, key
    if best is None:
        best = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns]")
    if zone["sign"].notna().any():
        sign = np.where(zone["sign"] == "-", -1.0, 1.0)
        hours = zone["h"].astype("float64").fillna(0) + zone["m"].astype("float64").fillna(0) / 60
        offset = pd.to_timedelta(sign * hours.to_numpy(), unit="h")
        best = (best - offset).dt.tz_localize("UTC")
    bad = ~blank & best.isna().to_numpy()
    return best, bad


# --- report ----------------------------------------------------------------------------------------


def _problems(
    bad: np.ndarray, column: pd.Series, header: str, code: str, what: str, lines: tuple[int, ...]
) -> pd.DataFrame:
    rows = np.flatnonzero(bad)
    return pd.DataFrame(
        {
            "respondent": rows + 1,
            "line": [lines[r] for r in rows],
            "column": header,
            "code": code,
            "value": [str(column.iloc[r]) for r in rows],
            "problem": what,
        }
    )


def _concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    parts = [f for f in frames if len(f)]
    columns = ["respondent", "line", "column", "code", "value", "problem"]
    if not parts:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c in ("respondent", "line") else "object") for c in columns}
        )
    return pd.concat(parts, ignore_index=True)[columns]
