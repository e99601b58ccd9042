"""ukur.io.likert: Indonesian and English agreement labels → scores; unknown labels name line and column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ukur.errors import DataError
from ukur.io import map_likert, read_table
from ukur.io.likert import SCALES, likert_scale, normalize_label


def test_five_point_indonesian_and_english_variants():
    labels = [
        ("Sangat Tidak Setuju", 1),
        ("STS", 1),
        ("strongly disagree", 1),
        ("Tidak Setuju", 2),
        ("ts", 2),
        ("Netral", 3),
        ("Ragu-ragu", 3),
        ("ragu ragu", 3),
        ("Kurang Setuju", 3),
        ("KS", 3),
        ("Neither agree nor disagree", 3),
        ("Setuju", 4),
        ("  SETUJU ", 4),
        ("Agree", 4),
        ("Sangat  Setuju", 5),
        ("SS", 5),
        ("Strongly Agree", 5),
        ("4", 4),
    ]
    frame = pd.DataFrame({"q": [t for t, _ in labels]})
    out = map_likert(frame)
    assert out["q"].tolist() == [float(v) for _, v in labels]
    assert out["q"].dtype == np.float64


def test_seven_point_scale():
    frame = pd.DataFrame(
        {
            "q": [
                "Sangat Tidak Setuju",
                "Agak Tidak Setuju",
                "Netral",
                "Agak Setuju",
                "Setuju",
                "Sangat Setuju",
                "somewhat agree",
                "Slightly disagree",
                "7",
            ]
        }
    )
    assert map_likert(frame, points=7)["q"].tolist() == [1, 3, 4, 5, 6, 7, 5, 3, 7]


def test_scales_are_monotone_in_english_and_indonesian_anchors():
    for points, table in SCALES.items():
        assert table["sangat tidak setuju"] == table["strongly disagree"] == 1
        assert table["sangat setuju"] == table["strongly agree"] == points
        assert table["tidak setuju"] < table["netral"] < table["setuju"]


def test_default_columns_skip_text_that_is_not_likert_and_numeric_columns():
    frame = pd.DataFrame({"nama": ["Budi", "Siti"], "q1": ["Setuju", None], "age": [30, 41]})
    out = map_likert(frame)
    assert out["nama"].tolist() == ["Budi", "Siti"]
    assert out["q1"].tolist()[0] == 4.0 and np.isnan(out["q1"].iloc[1])
    assert out["age"].tolist() == [30, 41]
    assert frame["q1"].iloc[0] == "Setuju"  # the input is not changed


def test_unknown_label_names_line_and_column(tmp_path):
    p = tmp_path / "survey.csv"
    p.write_text("nama,PMS1,PMS2\nBudi,Setuju,SS\nSiti,Sangat setujuu,S\nAni,S,Mungkin\n", encoding="utf-8")
    frame = read_table(p)
    with pytest.raises(
        DataError, match=r"unknown Likert label 'Sangat setujuu' in column 'PMS1' at line 3"
    ) as err:
        map_likert(frame)
    assert (err.value.line, err.value.field, err.value.source) == (3, "PMS1", str(p))
    assert "column 'PMS2' line 4: 'Mungkin'" in err.value.message
    assert "2 unknown" in err.value.message


def test_seven_point_label_on_five_point_scale_gets_a_hint():
    frame = pd.DataFrame({"q": ["Setuju", "Agak Setuju"]})
    with pytest.raises(DataError, match="belongs to the 7-point scale"):
        map_likert(frame, ["q"])


def test_user_mapping_replaces_builtin():
    frame = pd.DataFrame({"q": ["Sangat Puas", "puas", "Tidak Puas"]})
    out = map_likert(frame, mapping={"Sangat Puas": 3, "Puas": 2, "Tidak puas": 1})
    assert out["q"].tolist() == [3.0, 2.0, 1.0]
    with pytest.raises(DataError, match="'Setuju'"):
        map_likert(pd.DataFrame({"q": ["Setuju"]}), ["q"], mapping={"puas": 1})


def test_explicit_missing_column_and_bad_points():
    with pytest.raises(DataError, match="column 'x' is not in the data"):
        map_likert(pd.DataFrame({"q": ["S"]}), ["x"])
    with pytest.raises(DataError, match="no built-in 4-point"):
        likert_scale(4)


def test_many_unknowns_are_summarised():
    frame = pd.DataFrame({"q": [f"bad{i}" for i in range(8)]})
    with pytest.raises(DataError, match="and 3 more") as err:
        map_likert(frame, ["q"])
    assert err.value.line == 2


def test_normalize_label():
    assert normalize_label("  Ragu-Ragu. ") == "ragu ragu"
    assert normalize_label("Sangat\tTidak  Setuju") == "sangat tidak setuju"
