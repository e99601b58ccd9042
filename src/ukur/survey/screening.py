"""Screening imported responses: what to look at before the data go into PLS-SEM.

Every check works on the answers as the respondent ticked them (:attr:`ImportResult.answers`, before
reverse coding) and flags respondents; nothing is removed until :meth:`Screening.exclude` is called with
the checks the researcher chooses, and each exclusion keeps its reasons.

Checks (names used by ``--exclude`` and in :attr:`Screening.issues`):

``missing``
    More than ``max_missing`` (default 15 %) of the construct items unanswered. Hair, Hult, Ringle &
    Sarstedt (2022, *A Primer on PLS-SEM*, 3rd ed., ch. 2) advise removing such observations. Missing
    answers are also counted per item and per respondent in the tables.
``out_of_range``
    An answer off the scale (a number outside min–max, a fraction, or a label the scale does not know) or
    a profile number outside the question's ``min``/``max``.
``straightlining``
    The same answer to every construct item of the whole form (at least three answered). Because the
    answers are taken as ticked, a straight-liner also gave that answer to the reverse-worded items,
    which an attentive respondent would not. With ``straightlining="construct"`` a respondent is flagged
    instead when each construct of three or more items, taken alone, has one answer throughout; the
    per-respondent table always counts such constructs (``straight_constructs``) for information,
    because highly reliable scales make a single identical block common among genuine respondents.
``attention``
    An attention check answered other than its expected answer (a blank counts as failed).
``duplicate``
    A later submission with exactly the same answers to every question found in the export (profile,
    items, attention checks; timestamps ignored), or with the same e-mail address as an earlier one.
    The first submission is kept; the later ones point to it in ``duplicate_of``.
``too_fast``
    Only when the export has both a start and a submission time (Microsoft Forms, Kobo, ukur's own form;
    Google Forms records the submission only): the response took less than ``seconds_per_item`` (default
    2 s) per question. Huang, Curran, Keeney, Poposki & DeShon (2012, *Journal of Business and
    Psychology* 27, 99–114) found that answering faster than about 2 s per item is not possible with
    attention. When times are missing the check is reported as not available, never as passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ukur.errors import SpecError
from ukur.survey._json import records
from ukur.survey.imports import ImportResult

__all__ = ["CHECKS", "Cleaned", "Screening", "ScreeningOptions", "screen"]

CHECKS = ("missing", "out_of_range", "straightlining", "attention", "duplicate", "too_fast")
ALIASES = {
    "straightliners": "straightlining",
    "straight_lining": "straightlining",
    "straight-lining": "straightlining",
    "duplicates": "duplicate",
    "out-of-range": "out_of_range",
    "outofrange": "out_of_range",
    "attention_checks": "attention",
    "attention-checks": "attention",
    "speeders": "too_fast",
    "speeding": "too_fast",
    "too-fast": "too_fast",
}


@dataclass(frozen=True, slots=True)
class ScreeningOptions:
    """Thresholds of the checks (see the module docstring for the rules and their sources)."""

    max_missing: float = 0.15
    straightlining: Literal["form", "construct"] = "form"
    min_straight_items: int = 3
    seconds_per_item: float = 2.0

    def __post_init__(self) -> None:
        if not 0 <= self.max_missing < 1:
            raise SpecError("max_missing must be a share from 0 to below 1", field="max_missing")
        if self.straightlining not in ("form", "construct"):
            raise SpecError("straightlining must be 'form' or 'construct'", field="straightlining")
        if self.min_straight_items < 2:
            raise SpecError("min_straight_items must be at least 2", field="min_straight_items")
        if self.seconds_per_item <= 0:
            raise SpecError("seconds_per_item must be positive", field="seconds_per_item")


@dataclass(frozen=True)
class Screening:
    """The screening report of one import.

    Attributes
    ----------
    respondents
        Index ``respondent``; columns ``line``, ``missing`` (construct items unanswered), ``missing_share``,
        ``out_of_range``, ``straightlined`` (bool), ``straight_constructs`` (count), ``attention_failed``
        (count), ``duplicate_of`` (respondent number or NA), ``seconds`` (NaN when unknown),
        ``too_fast`` (bool or NA when unknown) and ``flags`` (check names, comma-separated).
    items
        Index ``code``; columns ``kind`` (profile, item, attention), ``construct``, ``missing``,
        ``missing_share``, ``out_of_range``.
    issues
        One row per flagged problem: ``respondent``, ``line``, ``check``, ``detail``.
    checks
        One row per check: ``check``, ``available`` (bool), ``flagged`` (respondents), ``rule``.
    """

    imported: ImportResult
    options: ScreeningOptions
    respondents: pd.DataFrame
    items: pd.DataFrame
    issues: pd.DataFrame
    checks: pd.DataFrame

    def flagged(self, check: str) -> tuple[int, ...]:
        """Respondent numbers flagged by ``check``."""
        name = check_name(check)
        return tuple(int(r) for r in self.issues.loc[self.issues["check"] == name, "respondent"].unique())

    def exclude(self, checks: Iterable[str]) -> Cleaned:
        """Drop the respondents flagged by ``checks`` (names, aliases or ``"all"``); record every reason."""
        chosen = parse_checks(list(checks))
        hits = self.issues[self.issues["check"].isin(chosen)]
        lines = hits.drop_duplicates("respondent").set_index("respondent")["line"].sort_index()
        reasons = (
            pd.DataFrame(
                {
                    "line": lines,
                    "checks": _joined(hits, "check", ","),
                    "reasons": _joined(hits, "detail", "; "),
                }
            )
            .rename_axis("respondent")
            .reset_index()
        )
        dropped = set(reasons["respondent"].astype(int))
        data = self.imported.data
        kept = data.loc[~data.index.isin(list(dropped))]
        return Cleaned(
            questionnaire_source=self.imported.questionnaire.source,
            data=kept,
            excluded=reasons[["respondent", "line", "checks", "reasons"]],
            applied=chosen,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.imported.source,
            "respondents_total": len(self.respondents),
            "options": {
                "max_missing": self.options.max_missing,
                "straightlining": self.options.straightlining,
                "min_straight_items": self.options.min_straight_items,
                "seconds_per_item": self.options.seconds_per_item,
            },
            "checks": records(self.checks),
            "issues": records(self.issues),
            "respondents": records(self.respondents.reset_index()),
            "items": records(self.items.reset_index()),
        }


@dataclass(frozen=True)
class Cleaned:
    """The coded data without the excluded respondents, and the record of who was excluded and why."""

    questionnaire_source: str
    data: pd.DataFrame
    excluded: pd.DataFrame
    applied: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "applied": list(self.applied),
            "kept": len(self.data),
            "excluded": records(self.excluded),
        }


def _joined(issues: pd.DataFrame, column: str, sep: str) -> pd.Series:
    """Per respondent, ``column`` of its issues joined by ``sep`` in check order (one column op per check)."""
    if issues.empty:
        return pd.Series(dtype="object", index=pd.Index([], name="respondent"))
    wide = issues.pivot(index="respondent", columns="check", values=column)
    out = pd.Series("", index=wide.index, dtype="object")
    for check in (c for c in CHECKS if c in wide.columns):
        value = wide[check]
        present = value.notna()
        glue = np.where((out != "") & present, sep, "")
        out = out + glue + value.fillna("").astype(str)
    return out.sort_index()


def check_name(name: str) -> str:
    """The canonical check name for ``name`` or one of its aliases (``duplicates`` → ``duplicate``)."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in CHECKS:
        raise SpecError(
            f"unknown screening check '{name}' (choose from {', '.join(CHECKS)})", field="exclude"
        )
    return key


def screen(imported: ImportResult, options: ScreeningOptions | None = None) -> Screening:
    """Run every check on ``imported`` (see the module docstring)."""
    opts = options or ScreeningOptions()
    q = imported.questionnaire
    answers = imported.answers
    data = imported.data
    index = data.index
    lines = pd.Series(imported.lines, index=index, dtype="int64")
    item_codes = [c for c in q.item_codes if c in answers.columns]
    items = answers[item_codes]
    unreadable = _unreadable(imported)

    blank = items.isna() & ~unreadable.reindex(columns=item_codes, fill_value=False)
    missing = blank.sum(axis=1).astype("int64")
    missing_share = missing / max(len(item_codes), 1)
    flag_missing = missing_share > opts.max_missing

    off_scale = _off_scale(imported, unreadable)
    out_of_range = off_scale.sum(axis=1).astype("int64")

    form_straight, straight_constructs, construct_flag = _straightlining(imported, opts)
    flag_straight = form_straight if opts.straightlining == "form" else construct_flag

    failed = _attention(imported)
    duplicate_of = _duplicates(imported)
    seconds, too_fast = _speed(imported, opts)

    respondents = pd.DataFrame(
        {
            "line": lines,
            "missing": missing,
            "missing_share": missing_share,
            "out_of_range": out_of_range,
            "straightlined": flag_straight,
            "straight_constructs": straight_constructs,
            "attention_failed": failed.sum(axis=1).astype("int64"),
            "duplicate_of": duplicate_of,
            "seconds": seconds,
            "too_fast": too_fast,
        },
        index=index,
    )
    issues = _issues(
        respondents,
        flag_missing=flag_missing,
        off_scale=off_scale,
        failed=failed,
        answers=answers,
        imported=imported,
        opts=opts,
    )
    respondents["flags"] = _joined(issues, "check", ",").reindex(index).fillna("").astype("object")
    item_table = _item_table(imported, unreadable, off_scale)
    checks = _check_table(imported, issues, seconds, opts)
    return Screening(imported, opts, respondents, item_table, issues, checks)


# --- the checks ------------------------------------------------------------------------------------


def _unreadable(imported: ImportResult) -> pd.DataFrame:
    """Boolean frame (respondent × code) of cells the import could not read."""
    codes = list(imported.data.columns)
    mask = pd.DataFrame(False, index=imported.data.index, columns=codes)
    problems = imported.problems
    for code, group in problems.groupby("code"):
        if code in mask.columns:
            mask.loc[group["respondent"].to_numpy(), code] = True
    return mask


def _off_scale(imported: ImportResult, unreadable: pd.DataFrame) -> pd.DataFrame:
    """Cells off the scale or outside a number question's range, and unreadable answers."""
    q = imported.questionnaire
    scale = q.scale
    answers = imported.answers
    values = answers.to_numpy(dtype=np.float64)
    outside = ~np.isnan(values) & ((values < scale.minimum) | (values > scale.maximum) | (values % 1 != 0))
    frame = pd.DataFrame(outside, index=answers.index, columns=answers.columns)
    for question in q.profile:
        if question.kind != "number" or question.code not in imported.data.columns:
            continue
        numbers = imported.data[question.code].astype("float64")
        low = -np.inf if question.minimum is None else question.minimum
        high = np.inf if question.maximum is None else question.maximum
        frame[question.code] = numbers.notna() & ((numbers < low) | (numbers > high))
    for code in unreadable.columns:
        if code in ("submitted", "started"):
            continue
        column = frame[code] if code in frame.columns else pd.Series(False, index=frame.index)
        frame[code] = column | unreadable[code]
    return frame.astype(bool)


def _straightlining(imported: ImportResult, opts: ScreeningOptions) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Whole-form flag, count of one-answer constructs, and the every-construct flag."""
    q = imported.questionnaire
    answers = imported.answers
    index = answers.index
    codes = [c for c in q.item_codes if c in answers.columns]
    form = _constant(answers[codes], opts.min_straight_items)
    blocks = [
        [c for c in construct.codes if c in answers.columns]
        for construct in q.constructs
        if sum(c in answers.columns for c in construct.codes) >= opts.min_straight_items
    ]
    if blocks:
        per_block = np.column_stack(
            [_constant(answers[b], opts.min_straight_items).to_numpy() for b in blocks]
        )
        count = pd.Series(per_block.sum(axis=1), index=index, dtype="int64")
        every = pd.Series(per_block.all(axis=1), index=index)
    else:
        count = pd.Series(0, index=index, dtype="int64")
        every = pd.Series(False, index=index)
    return form, count, every


def _constant(block: pd.DataFrame, minimum: int) -> pd.Series:
    """True where a respondent answered at least ``minimum`` of the columns, all with one value."""
    values = block.to_numpy(dtype=np.float64)
    answered = ~np.isnan(values)
    count = answered.sum(axis=1)
    high = np.where(answered, values, -np.inf).max(axis=1, initial=-np.inf)
    low = np.where(answered, values, np.inf).min(axis=1, initial=np.inf)
    return pd.Series((count >= minimum) & (high == low), index=block.index)


def _attention(imported: ImportResult) -> pd.DataFrame:
    answers = imported.answers
    checks = [a for a in imported.questionnaire.attention_checks if a.code in answers.columns]
    failed = {a.code: answers[a.code].ne(a.expected) for a in checks}
    return pd.DataFrame(failed, index=answers.index, dtype=bool)


def _duplicates(imported: ImportResult) -> pd.Series:
    """For each later copy, the respondent number of the first submission it repeats (NA otherwise)."""
    data = imported.data.drop(columns=[c for c in ("submitted", "started") if c in imported.data.columns])
    raw = imported.answers.add_prefix("raw:")
    content = pd.concat([data, raw], axis=1).astype("object").where(lambda f: f.notna(), "\x00")
    keys = pd.util.hash_pandas_object(content.astype(str), index=False)
    first = pd.Series(content.index, index=content.index).groupby(keys.to_numpy()).transform("first")
    out = pd.Series(pd.NA, index=content.index, dtype="Int64")
    same_answers = first.to_numpy() != content.index.to_numpy()
    out[same_answers] = first[same_answers].to_numpy()
    if imported.identity is not None:
        ident = imported.identity
        has = ident.notna()
        first_id = (
            pd.Series(ident.index, index=ident.index)[has].groupby(ident[has].to_numpy()).transform("first")
        )
        repeat = first_id[first_id.to_numpy() != first_id.index.to_numpy()]
        fill = out[repeat.index].isna().to_numpy()
        out[repeat.index[fill]] = repeat.to_numpy()[fill]
    return out


def _speed(imported: ImportResult, opts: ScreeningOptions) -> tuple[pd.Series, pd.Series]:
    data = imported.data
    index = data.index
    if not {"submitted", "started"} <= set(data.columns):
        return pd.Series(np.nan, index=index), pd.Series(pd.NA, index=index, dtype="boolean")
    # both in UTC: a column with no start time at all parses as naive, the submitted times as aware
    elapsed = pd.to_datetime(data["submitted"], utc=True) - pd.to_datetime(data["started"], utc=True)
    seconds = elapsed.dt.total_seconds().astype("float64")
    limit = opts.seconds_per_item * imported.questionnaire.question_count
    fast = pd.Series(seconds < limit, index=index, dtype="boolean").mask(seconds.isna())
    return seconds, fast


# --- tables ----------------------------------------------------------------------------------------


def _issues(
    respondents: pd.DataFrame,
    *,
    flag_missing: pd.Series,
    off_scale: pd.DataFrame,
    failed: pd.DataFrame,
    answers: pd.DataFrame,
    imported: ImportResult,
    opts: ScreeningOptions,
) -> pd.DataFrame:
    """One row per (respondent, check) flagged; details are built column-wise for the flagged rows."""
    parts: list[pd.DataFrame] = []
    q = imported.questionnaire
    item_codes = [c for c in q.item_codes if c in answers.columns]
    limit = opts.seconds_per_item * q.question_count

    def add(mask: pd.Series, check: str, describe: Callable[[pd.Index], pd.Series]) -> None:
        hit = respondents.index[mask.fillna(False).to_numpy(dtype=bool)]
        if len(hit):
            detail = describe(hit).astype(str).to_numpy()
            parts.append(pd.DataFrame({"respondent": hit, "line": respondents.loc[hit, "line"].to_numpy(),
                                       "check": check, "detail": detail}))  # fmt: skip

    def listed(frame: pd.DataFrame, hit: pd.Index) -> pd.Series:
        chosen = frame.loc[hit].astype(bool)
        joined = (
            chosen.astype(object)
            .mul(pd.Series([f"{c}, " for c in frame.columns], index=frame.columns))
            .sum(axis=1)
        )
        return joined.astype(str).str.removesuffix(", ")

    def straight(hit: pd.Index) -> pd.Series:
        if opts.straightlining == "construct":
            return (
                "one answer within each of "
                + respondents.loc[hit, "straight_constructs"].astype(str)
                + " constructs"
            )
        first = answers.loc[hit, item_codes].bfill(axis=1).iloc[:, 0]
        return "the same answer (" + first.map("{:g}".format) + ") to every item"

    add(
        flag_missing,
        "missing",
        lambda h: respondents.loc[h, "missing"].astype(str) + f" of {len(item_codes)} items unanswered",
    )
    add(
        off_scale.any(axis=1),
        "out_of_range",
        lambda h: "answers off the scale or range: " + listed(off_scale, h),
    )
    add(respondents["straightlined"], "straightlining", straight)
    add(failed.any(axis=1), "attention", lambda h: "failed attention check " + listed(failed, h))
    add(respondents["duplicate_of"].notna(), "duplicate",
        lambda h: "repeats respondent " + respondents.loc[h, "duplicate_of"].astype(str))  # fmt: skip
    add(respondents["too_fast"].astype("boolean"), "too_fast",
        lambda h: respondents.loc[h, "seconds"].map("{:.0f}".format) + f" s for the whole form (< {limit:.0f} s)")  # fmt: skip
    columns = ["respondent", "line", "check", "detail"]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    order = {c: k for k, c in enumerate(CHECKS)}
    frame = frame.sort_values(["respondent", "check"], key=lambda s: s.map(order) if s.name == "check" else s)
    return frame.reset_index(drop=True).astype({"respondent": "int64", "line": "int64"})


def _item_table(imported: ImportResult, unreadable: pd.DataFrame, off_scale: pd.DataFrame) -> pd.DataFrame:
    q = imported.questionnaire
    data = imported.data
    n = max(len(data), 1)
    rows = []
    construct_of = {i.code: i.construct for i in q.items}
    for code, kind, _ in q.questions():
        if code not in data.columns:
            continue
        column = imported.answers[code] if code in imported.answers.columns else data[code]
        blank = column.isna() & ~unreadable[code]
        missing = int(blank.sum())
        rows.append(
            {
                "code": code,
                "kind": kind,
                "construct": construct_of.get(code),
                "missing": missing,
                "missing_share": missing / n,
                "out_of_range": int(off_scale[code].sum()) if code in off_scale.columns else 0,
            }
        )
    columns = ["code", "kind", "construct", "missing", "missing_share", "out_of_range"]
    return pd.DataFrame(rows, columns=columns).set_index("code")


def _check_table(
    imported: ImportResult, issues: pd.DataFrame, seconds: pd.Series, opts: ScreeningOptions
) -> pd.DataFrame:
    has_times = bool(seconds.notna().any())
    q = imported.questionnaire
    rules = {
        "missing": f"more than {opts.max_missing:.0%} of the construct items unanswered",
        "out_of_range": f"an answer off the {q.scale.minimum}–{q.scale.maximum} scale or outside a number's range",
        "straightlining": (
            "the same answer to every construct item"
            if opts.straightlining == "form"
            else "one answer within every construct"
        )
        + f" (at least {opts.min_straight_items} answered)",
        "attention": "an attention check not answered as instructed",
        "duplicate": "the same answers (or e-mail) as an earlier submission",
        "too_fast": (
            f"less than {opts.seconds_per_item:g} s per question ({q.question_count} questions)"
            if has_times
            else "not available: the export has no start time"
        ),
    }
    available = {
        "attention": bool(q.attention_checks),
        "too_fast": has_times,
    }
    counts = issues.groupby("check")["respondent"].nunique()
    return pd.DataFrame(
        {
            "check": list(CHECKS),
            "available": [available.get(c, True) for c in CHECKS],
            "flagged": [int(counts.get(c, 0)) for c in CHECKS],
            "rule": [rules[c] for c in CHECKS],
        }
    )


def parse_checks(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"straightliners,duplicates"`` (or a list) → canonical check names; ``all`` means every check."""
    parts = [p for chunk in ([text] if isinstance(text, str) else text) for p in chunk.split(",")]
    names = [p.strip() for p in parts if p.strip()]
    if any(n.lower() == "all" for n in names):
        return CHECKS
    return tuple(dict.fromkeys(check_name(n) for n in names))
