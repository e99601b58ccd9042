"""Importing form exports: header matching, label mapping, reverse coding, timestamps, problems."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukur.errors import DataError
from ukur.survey.imports import import_responses
from ukur.survey.questionnaire import parse_questionnaire

from .conftest import SMALL, export_frame

_SMALL = parse_questionnaire(SMALL)

GOOD = {"gender": "Pria", "age": 25, "CM1": "Setuju", "CM2": "Sangat setuju", "CM3": "Tidak setuju",
        "MI1": "Netral", "MI2": "Setuju", "MI3": "Setuju", "AC1": "Setuju"}  # fmt: skip


def test_labels_become_numbers_and_reversed_items_are_recoded(small):
    result = import_responses(small, export_frame([GOOD]), source="export.csv")
    row = result.data.loc[1]
    assert row["gender"] == "M" and row["age"] == 25
    assert row["CM1"] == 4 and row["CM2"] == 5 and row["MI1"] == 3
    assert result.answers.loc[1, "CM3"] == 2  # as ticked
    assert row["CM3"] == 4  # 1 + 5 - 2
    assert result.missing_questions == () and result.unmatched_columns == ()
    assert result.problems.empty
    assert list(result.data.index) == [1] and result.data.index.name == "respondent"


@pytest.mark.parametrize(
    "cell",
    ["Setuju", "setuju", "  SETUJU ", "Agree", "agree.", "S", "4", 4, 4.0, "4 - Setuju", "4 (Setuju)"],
)
def test_many_spellings_of_agree_are_four(small, cell):
    result = import_responses(small, export_frame([{**GOOD, "MI1": cell}]))
    assert result.answers.loc[1, "MI1"] == 4


def test_headers_match_despite_case_spacing_punctuation_grids_numbering_and_codes(small):
    frame = export_frame([GOOD]).rename(
        columns={
            "Merek ini terkenal": "  MEREK ini  terkenal?* ",
            "Merek ini terpercaya": "Citra merek [Merek ini terpercaya]",
            "Merek ini membosankan": "3. Merek ini membosankan",
            "Saya ingin membeli": "MI1",
            "Saya akan membeli lagi": "I will buy again",
        }
    )
    result = import_responses(small, frame)
    how = dict(zip(result.columns["code"], result.columns["matched_by"], strict=True))
    assert how == {
        "gender": "text", "age": "text", "CM1": "text", "CM2": "grid row", "CM3": "numbering",
        "MI1": "code", "MI2": "text", "MI3": "text", "AC1": "text",
    }  # fmt: skip
    assert result.data.loc[1, "CM3"] == 4


def test_unmatched_headers_and_missing_questions_are_reported_not_guessed(small):
    frame = export_frame([GOOD]).rename(columns={"Saya mencari informasinya": "Saya mencari informasi"})
    frame["Nama toko"] = ["Toko A"]
    result = import_responses(small, frame)
    assert result.unmatched_columns == ("Saya mencari informasi", "Nama toko")
    assert result.missing_questions == ("MI3",)
    assert "MI3" not in result.data.columns
    suggestion = result.columns.set_index("column").loc["Saya mencari informasi", "suggestion"]
    assert suggestion == "MI3"
    d = result.to_dict()
    assert d["missing_questions"] == ["MI3"] and d["unmatched_columns"][1] == "Nama toko"


def test_unreadable_cells_are_reported_with_their_line(small):
    frame = export_frame([GOOD, {**GOOD, "CM1": "Mungkin", "gender": "Lainnya", "age": "dua puluh"}])
    frame.attrs["lines"] = [2, 5]
    result = import_responses(small, frame, source="e.csv")
    problems = result.problems.set_index("code")
    assert set(problems.index) == {"CM1", "gender", "age"}
    assert problems.loc["CM1", "line"] == 5 and problems.loc["CM1", "value"] == "Mungkin"
    assert problems.loc["CM1", "problem"] == "not a label of the scale"
    assert np.isnan(result.answers.loc[2, "CM1"]) and pd.isna(result.data.loc[2, "gender"])


def test_off_scale_numbers_stay_in_answers_but_not_in_data(small):
    result = import_responses(small, export_frame([{**GOOD, "CM3": 7, "MI1": 2.5}]))
    assert result.answers.loc[1, "CM3"] == 7 and result.answers.loc[1, "MI1"] == 2.5
    assert np.isnan(result.data.loc[1, "CM3"]) and np.isnan(result.data.loc[1, "MI1"])


def test_other_answers_are_kept_when_allowed(small):
    from ukur.survey.questionnaire import parse_questionnaire

    from .conftest import SMALL

    q = parse_questionnaire(SMALL.replace("    options:\n", "    other: true\n    options:\n", 1))
    result = import_responses(q, export_frame([{**GOOD, "gender": "Tidak menjawab"}]))
    assert result.data.loc[1, "gender"] == "Tidak menjawab" and result.problems.empty


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            ["2022/11/01 9:15:32 AM GMT+7", "2022/11/01 1:05:00 PM GMT+7"],
            ["2022-11-01 02:15:32", "2022-11-01 06:05:00"],
        ),
        (["03/11/2022 10:00:00", "04/11/2022 09:00:00"], ["2022-11-03 10:00:00", "2022-11-04 09:00:00"]),
        (
            ["11/03/2022 10:00:00", "11/04/2022 09:00:00", "11/13/2022 09:00:00"],
            ["2022-11-03 10:00:00", "2022-11-04 09:00:00", "2022-11-13 09:00:00"],
        ),
        (["03/11/2022 10.00.00", "12/11/2022 09.00.00"], ["2022-11-03 10:00:00", "2022-11-12 09:00:00"]),
        (["2022-11-03 10:00:00", "2022-11-02 09:00:00"], ["2022-11-03 10:00:00", "2022-11-02 09:00:00"]),
    ],
)
def test_timestamp_formats(small, cells, expected):
    rows = [{**GOOD, "submitted": c} for c in cells]
    result = import_responses(small, export_frame(rows))
    got = result.data["submitted"]
    naive = got.dt.tz_convert(None) if got.dt.tz is not None else got
    assert [str(t) for t in naive] == expected
    assert result.problems.empty


def test_order_decides_between_day_first_and_month_first(small):
    # both readings are valid dates; only the month-first one keeps the submissions in order
    cells = ["01/02/2022 10:00:00", "01/03/2022 10:00:00", "01/04/2022 10:00:00", "02/01/2022 10:00:00"]
    result = import_responses(small, export_frame([{**GOOD, "submitted": c} for c in cells]))
    assert [t.month for t in result.data["submitted"]] == [1, 1, 1, 2]


def test_bad_timestamp_is_a_problem(small):
    result = import_responses(small, export_frame([{**GOOD, "submitted": "kemarin"}]))
    assert result.problems["problem"].tolist() == ["not a date and time"]


def test_errors(small):
    with pytest.raises(DataError, match="no responses"):
        import_responses(small, export_frame([GOOD]).iloc[0:0])
    with pytest.raises(DataError, match="no column of the export matches an item"):
        import_responses(small, pd.DataFrame({"Nama": ["x"], "Umur": [3]}), source="e.csv")
    twice = export_frame([GOOD])
    twice["CM1"] = ["Setuju"]
    with pytest.raises(DataError, match="both match question 'CM1'") as err:
        import_responses(small, twice, source="e.csv")
    assert err.value.source == "e.csv"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=6, max_size=6))
def test_reverse_coded_items_are_min_plus_max_minus_the_answer(values):
    small = _SMALL
    labels = ["Sangat tidak setuju", "Tidak setuju", "Netral", "Setuju", "Sangat setuju"]
    row = dict(zip(["CM1", "CM2", "CM3", "MI1", "MI2", "MI3"], (labels[v - 1] for v in values), strict=True))
    result = import_responses(small, export_frame([row]))
    coded = result.data.loc[1, ["CM1", "CM2", "CM3", "MI1", "MI2", "MI3"]].to_numpy(dtype=float)
    expected = np.array(values, dtype=float)
    expected[2] = 6 - expected[2]
    assert np.array_equal(coded, expected)


def test_responses_by_code_as_the_web_form_stores_them(small):
    frame = pd.DataFrame(
        {
            "started": ["2024-03-01T10:00:00+07:00"],
            "submitted": ["2024-03-01T10:04:00+07:00"],
            "gender": ["F"],
            "age": [33],
            **{code: [v] for code, v in zip(small.likert_codes, [4, 5, 2, 3, 4, 4, 4], strict=True)},
        }
    )
    result = import_responses(small, frame, source="web")
    assert result.columns.set_index("column").loc["CM1", "matched_by"] == "code" and result.problems.empty
    assert result.data.loc[1, "CM3"] == 4 and result.data.loc[1, "gender"] == "F"
    assert (result.data.loc[1, "submitted"] - result.data.loc[1, "started"]).total_seconds() == 240


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.datetimes(
            min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
            max_value=pd.Timestamp("2035-12-31").to_pydatetime(),
        ),
        min_size=1,
        max_size=6,
    ).map(lambda ts: sorted(t.replace(microsecond=0) for t in ts)),
    st.sampled_from(["google", "iso", "dmy"]),
)
def test_timestamps_round_trip_in_every_written_format(stamps, style):
    def written(t):
        if style == "google":
            return f"{t:%Y/%m/%d} {t.hour % 12 or 12}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'} GMT+7"
        return f"{t:%Y-%m-%d %H:%M:%S}" if style == "iso" else f"{t:%d/%m/%Y %H:%M:%S}"

    rows = [{**GOOD, "submitted": written(t)} for t in stamps]
    got = import_responses(_SMALL, export_frame(rows)).data["submitted"]
    expected = pd.Series(pd.to_datetime(stamps))
    if style == "google":
        expected = (expected - pd.Timedelta(hours=7)).dt.tz_localize("UTC")
    if style == "dmy" and all(t.day <= 12 for t in stamps) and len({(t.day, t.month) for t in stamps}) > 1:
        return  # both readings valid and possibly both in order: day-first is only the default
    assert got.tolist() == expected.tolist()
