"""ukur.io.select_model_columns: the indicator columns a model needs, with suggestions for typos."""

from __future__ import annotations

import numpy as np
import pytest

from ukur.errors import DataError
from ukur.io import read_table, select_model_columns


@pytest.fixture
def survey(tmp_path):
    p = tmp_path / "data.csv"
    p.write_text(
        "Timestamp;Nama;IMAG1;IMAG2;IMAG5;Catatan\n"
        "2026-01-05 10:00;Budi;4;3,5;Setuju;bagus sekali\n"
        "2026-01-05 10:05;Siti;5;;Sangat Setuju;-\n"
        "2026-01-05 10:09;Ani;3;2;ss;???\n",
        encoding="utf-8",
    )
    return read_table(p, source="data.csv")


def test_selects_in_model_order_and_ignores_unused_columns(survey):
    out = select_model_columns(survey, ["IMAG2", "IMAG1"])
    assert list(out.columns) == ["IMAG2", "IMAG1"]
    assert out.dtypes.tolist() == [np.float64, np.float64]
    assert out["IMAG2"].tolist()[::2] == [3.5, 2.0]
    assert np.isnan(out["IMAG2"].iloc[1])
    assert out.attrs["source"] == "data.csv"


def test_missing_indicator_suggests_the_closest_unused_column(survey):
    with pytest.raises(
        DataError, match=r"indicator 'IMAG6' is not a column of data.csv; did you mean 'IMAG5'\?"
    ) as err:
        select_model_columns(survey, ["IMAG1", "IMAG6"])
    assert err.value.field == "IMAG6"
    assert err.value.source == "data.csv"


def test_case_and_space_differences_are_suggested_first(survey):
    with pytest.raises(DataError, match="did you mean 'Nama'"):
        select_model_columns(survey, ["NAMA"])


def test_several_missing_indicators_are_listed(survey):
    with pytest.raises(
        DataError,
        match=r"2 indicators are not columns of data.csv: 'imag5' \(did you mean 'IMAG5'\?\), 'XYZ'",
    ):
        select_model_columns(survey, ["IMAG1", "imag5", "XYZ"])


def test_text_in_a_used_column_names_line_and_column(survey):
    with pytest.raises(DataError, match="column 'IMAG5' must be numeric but line 2 holds 'Setuju'") as err:
        select_model_columns(survey, ["IMAG1", "IMAG5"])
    assert (err.value.line, err.value.field) == (2, "IMAG5")


def test_likert_labels_in_used_columns(survey):
    out = select_model_columns(survey, ["IMAG1", "IMAG5"], likert=True)
    assert out["IMAG5"].tolist() == [4.0, 5.0, 5.0]
    out7 = select_model_columns(survey, ["IMAG5"], likert=7)
    assert out7["IMAG5"].tolist() == [6.0, 7.0, 7.0]
    custom = select_model_columns(survey, ["IMAG5"], likert={"setuju": 1, "sangat setuju": 2, "SS": 2})
    assert custom["IMAG5"].tolist() == [1.0, 2.0, 2.0]


def test_unknown_likert_label_in_used_column(survey):
    with pytest.raises(DataError, match="unknown Likert label 'bagus sekali' in column 'Catatan' at line 2"):
        select_model_columns(survey, ["Catatan"], likert=True)
