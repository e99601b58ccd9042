"""Screening: each check flags what it should and nothing else; exclusions keep their reasons."""

from __future__ import annotations

import json

import pytest

from ukur.errors import SpecError
from ukur.survey.imports import import_responses
from ukur.survey.screening import CHECKS, ScreeningOptions, parse_checks, screen

from .conftest import export_frame

L = ["Sangat tidak setuju", "Tidak setuju", "Netral", "Setuju", "Sangat setuju"]


def row(cm, mi, *, ac=4, gender="Pria", age=30, **extra):
    """A respondent by numbers: CM1..CM3 and MI1..MI3 as ticked."""
    cells = {f"CM{k + 1}": L[v - 1] for k, v in enumerate(cm)}
    cells |= {f"MI{k + 1}": L[v - 1] for k, v in enumerate(mi)}
    return {"gender": gender, "age": age, "AC1": L[ac - 1], **cells, **extra}


CLEAN = [
    row((4, 4, 2), (4, 5, 4), age=21),
    row((5, 5, 1), (5, 5, 5), age=22),
    row((3, 4, 3), (3, 3, 4), age=23),
    row((2, 3, 4), (3, 2, 2), age=24),
]


def run(rows, **opts):
    imported = import_responses(_small(), export_frame(rows), source="e.csv")
    return screen(imported, ScreeningOptions(**opts))


def _small():
    from ukur.survey.questionnaire import parse_questionnaire

    from .conftest import SMALL

    return parse_questionnaire(SMALL, source="small.yaml")


def test_clean_data_has_no_issues():
    report = run(CLEAN)
    assert report.issues.empty
    assert report.checks.set_index("check").loc["too_fast", "available"] == False  # noqa: E712
    assert list(report.checks["check"]) == list(CHECKS)
    assert (report.respondents["flags"] == "").all()
    json.dumps(report.to_dict())


def test_whole_form_straightliner_on_raw_answers():
    # respondent 2 in CLEAN answered all 5 after recoding, which is not straight-lining as ticked (CM3 = 1)
    report = run([*CLEAN, row((4, 4, 4), (4, 4, 4), age=40)])
    assert report.flagged("straightlining") == (5,)
    assert report.issues.set_index("respondent").loc[5, "detail"] == "the same answer (4) to every item"


def test_construct_scope_counts_blocks_and_flags_only_all_blocks():
    rows = [*CLEAN, row((2, 2, 2), (5, 5, 5), age=41), row((3, 3, 3), (4, 5, 4), age=42)]
    report = run(rows, straightlining="construct")
    assert report.respondents.loc[5, "straight_constructs"] == 2
    assert report.respondents.loc[6, "straight_constructs"] == 1
    assert report.flagged("straightlining") == (5,)
    assert run(rows).flagged("straightlining") == ()


def test_missing_answers_counted_per_item_and_respondent():
    rows = [*CLEAN, {**row((4, 4, 2), (4, 4, 3), age=50), "MI2": None}]
    report = run(rows)
    assert report.respondents.loc[5, "missing"] == 1
    assert report.items.loc["MI2", "missing"] == 1 and report.items.loc["MI2", "missing_share"] == 0.2
    assert report.flagged("missing") == (5,)  # 1 of 6 items = 16.7 % > 15 %
    assert run(rows, max_missing=0.2).flagged("missing") == ()


def test_out_of_range_numbers_labels_and_profile_numbers():
    rows = [*CLEAN, {**row((4, 4, 2), (4, 4, 3)), "CM1": 6}, {**row((3, 4, 2), (4, 4, 3)), "MI1": "Mungkin"},
            row((4, 3, 2), (4, 4, 4), age=120)]  # fmt: skip
    report = run(rows)
    assert report.flagged("out_of_range") == (5, 6, 7)
    assert report.items.loc["CM1", "out_of_range"] == 1 and report.items.loc["age", "out_of_range"] == 1
    assert report.respondents.loc[5, "missing"] == 0  # off-scale is not missing


def test_attention_check():
    rows = [
        *CLEAN,
        row((4, 4, 2), (4, 4, 3), ac=5, age=60),
        {**row((4, 3, 2), (4, 4, 3), age=61), "AC1": None},
    ]
    report = run(rows)
    assert report.flagged("attention") == (5, 6)
    assert report.checks.set_index("check").loc["attention", "flagged"] == 2


def test_duplicates_by_answers_and_by_email():
    rows = [{**r, "email": f"r{k}@x.id"} for k, r in enumerate(CLEAN)]
    rows.append({**CLEAN[1], "email": "other@x.id"})  # same answers as respondent 2
    rows.append({**row((1, 2, 5), (2, 1, 2), age=70), "email": " R0@X.ID"})  # same e-mail as respondent 1
    report = run(rows)
    assert report.flagged("duplicate") == (5, 6)
    assert report.respondents.loc[5, "duplicate_of"] == 2 and report.respondents.loc[6, "duplicate_of"] == 1


def test_same_answers_with_a_different_profile_is_not_a_duplicate():
    report = run([*CLEAN, {**CLEAN[1], "gender": "Wanita"}])
    assert report.flagged("duplicate") == ()


def test_too_fast_needs_start_and_end_times():
    times = [("2022-11-01 10:00:00", "2022-11-01 10:05:00"), ("2022-11-01 11:00:00", "2022-11-01 11:00:15")]
    rows = [{**r, "started": s, "submitted": e} for r, (s, e) in zip(CLEAN[:2], times, strict=True)]
    report = run(rows)
    assert report.respondents["seconds"].tolist() == [300.0, 15.0]
    assert report.flagged("too_fast") == (2,)  # 9 questions × 2 s = 18 s
    assert run(rows, seconds_per_item=1.0).flagged("too_fast") == ()
    assert report.checks.set_index("check").loc["too_fast", "available"] == True  # noqa: E712


def test_exclude_records_every_reason():
    rows = [*CLEAN, row((4, 4, 4), (4, 4, 4), ac=5, age=40), CLEAN[0]]
    report = run(rows)
    cleaned = report.exclude(["straightliners", "attention", "duplicates"])
    assert list(cleaned.data.index) == [1, 2, 3, 4]
    excluded = cleaned.excluded.set_index("respondent")
    assert excluded.loc[5, "checks"] == "straightlining,attention"
    assert excluded.loc[6, "checks"] == "duplicate" and "repeats respondent 1" in excluded.loc[6, "reasons"]
    assert cleaned.to_dict()["kept"] == 4
    assert report.exclude([]).data.shape[0] == 6
    assert report.exclude(["all"]).applied == CHECKS


def test_check_names_and_options():
    assert parse_checks("straightliners, duplicates,too-fast") == ("straightlining", "duplicate", "too_fast")
    assert parse_checks("all") == CHECKS
    with pytest.raises(SpecError, match="unknown screening check 'fast'"):
        parse_checks("fast")
    with pytest.raises(SpecError):
        ScreeningOptions(max_missing=1.5)
    with pytest.raises(SpecError):
        ScreeningOptions(straightlining="page")  # type: ignore[arg-type]
