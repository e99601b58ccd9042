"""The built-in feedback questionnaire and the validation of feedback rows (errors name line and column)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukur.errors import DataError
from ukur.io import parse_table
from ukur.success import feedback_questionnaire, nps_score, validate_feedback
from ukur.survey import measurement_syntax


def test_builtin_questionnaire():
    q = feedback_questionnaire()
    assert q.item_codes == ("csat", "effort")
    assert [p.code for p in q.profile] == ["nps"]
    assert (q.profile[0].minimum, q.profile[0].maximum) == (0, 10)
    assert (q.scale.minimum, q.scale.maximum) == (1, 5)
    assert q.languages == ("id", "en")
    assert "Satisfaction =~ csat" in measurement_syntax(q)


def _csv(text: str) -> pd.DataFrame:
    return parse_table(text.encode(), name="feedback.csv")


GOOD = "agreement,record_id,customer,submitted_at,csat,effort,nps,comment\n"


def test_valid_rows_are_tidy():
    frame = _csv(GOOD + "gold,KX1,,2026-03-01 10:00,5,4,9,cepat\ngold,,Toko A,,,,7,\n")
    out = validate_feedback(frame, agreements=["gold"], records={"gold": ["KX1"]}, timezone="Asia/Jakarta")
    assert out["csat"].tolist()[0] == 5.0 and np.isnan(out["csat"].tolist()[1])
    assert out.loc[0, "submitted_at"] == pd.Timestamp("2026-03-01 03:00")
    assert out["record_id"].tolist() == ["KX1", None]
    assert out["comment"].tolist() == ["cepat", None]


@pytest.mark.parametrize(
    ("rows", "message", "line", "field"),
    [
        ("gold,KX1,,,6,,,\n", "csat must be a whole number from 1 to 5", 2, "csat"),
        ("gold,KX1,,,4,,11,\n", "nps must be", 2, "nps"),
        ("gold,KX1,,,4.5,,,\n", "csat must be", 2, "csat"),
        ("gold,KX1,,,sangat,,,\n", "csat must be", 2, "csat"),
        ("gold,KX1,,,4,,,\ngold,KX1,,,5,,,\n", "already has feedback", 3, "record_id"),
        ("silver,KX1,,,4,,,\n", "unknown agreement", 2, "agreement"),
        ("gold,KX9,,,4,,,\n", "unknown record", 2, "record_id"),
        ("gold,KX1,,,,,,hanya komentar\n", "without any answer", 2, "csat"),
        (",KX1,,,4,,,\n", "without an agreement", 2, "agreement"),
    ],
)
def test_errors_name_line_and_field(rows, message, line, field):
    with pytest.raises(DataError, match=message) as info:
        validate_feedback(_csv(GOOD + rows), agreements=["gold"], records={"gold": ["KX1", "KX2"]})
    assert (info.value.source, info.value.line, info.value.field) == ("feedback.csv", line, field)


def test_needs_agreement_and_answer_columns():
    with pytest.raises(DataError, match="'agreement' column"):
        validate_feedback(pd.DataFrame({"csat": [4]}))
    with pytest.raises(DataError, match="none of the answer columns"):
        validate_feedback(pd.DataFrame({"agreement": ["a"], "comment": ["x"]}))
    with pytest.raises(DataError, match="no column 'loy1'"):
        validate_feedback(pd.DataFrame({"agreement": ["a"], "csat": [4]}), items=["loy1"])


def test_extra_items_are_kept_as_numbers():
    out = validate_feedback(pd.DataFrame({"agreement": ["a", "a"], "loy1": [4, "3"]}), items=["loy1"])
    assert out["loy1"].tolist() == [4.0, 3.0]


def test_nps_score_by_hand():
    # 3 promoters (9, 10, 10), 2 passives (7, 8), 5 detractors (0–6) of 10 → 100 · (0.3 − 0.5) = −20
    assert nps_score(np.array([9, 10, 10, 7, 8, 0, 3, 6, 6, 5])) == pytest.approx(-20.0)
    assert np.isnan(nps_score(np.array([np.nan])))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=50))
def test_nps_score_bounds(values):
    score = nps_score(np.array(values))
    assert -100.0 <= score <= 100.0
    assert score == pytest.approx(
        100 * (sum(v >= 9 for v in values) - sum(v <= 6 for v in values)) / len(values)
    )


def test_feedback_answer_from_a_form():
    from ukur.success import feedback_answer

    row = feedback_answer({"csat": "4", "nps": "9", "comment": " cepat "}, agreement="gold", record_id="KX1")
    assert row["csat"] == 4.0 and row["nps"] == 9.0 and np.isnan(row["effort"])
    assert row["comment"] == "cepat" and row["record_id"] == "KX1" and "submitted_at" not in row
    with pytest.raises(DataError, match="nps must be") as info:
        feedback_answer({"nps": "12"}, agreement="gold")
    assert (info.value.field, info.value.line) == ("nps", None)
    with pytest.raises(DataError, match="without any answer"):
        feedback_answer({"comment": "hanya komentar"}, agreement="gold")
