"""Data preparation: selection, missing-value markers and treatments, and errors naming the column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ukur.errors import DataError
from ukur.pls import Model, estimate
from ukur.pls.data import prepare

from . import reference as ref


def small_model() -> Model:
    return Model.build().reflective("A", ["a1", "a2"]).reflective("B", ["b1", "b2"]).path("A", "B").model()


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, size=(20, 4)).astype(float)
    return pd.DataFrame(x, columns=["a1", "a2", "b1", "b2"])


def test_unused_columns_are_ignored_whatever_they_hold():
    data = frame()
    data["comment"] = "free text"
    data["constant"] = 1
    prepared = prepare(small_model(), data)
    assert list(prepared.data.columns) == ["a1", "a2", "b1", "b2"]


def test_mean_replacement_counts_and_values():
    data = frame()
    data.loc[[0, 3], "a1"] = -99
    data.loc[3, "b2"] = np.nan
    prepared = prepare(small_model(), data, na_values=[-99])
    assert (prepared.values_missing, prepared.rows_missing) == (3, 2)
    assert (prepared.values_replaced, prepared.rows_dropped, prepared.n_used) == (3, 0, 20)
    expected = data.loc[~data.index.isin([0, 3]), "a1"].mean()
    assert prepared.data.loc[0, "a1"] == pytest.approx(expected)
    assert np.isnan(prepared.raw.loc[0, "a1"])


def test_casewise_deletion_drops_rows():
    data = frame()
    data.loc[[0, 3], "a1"] = -99
    data.loc[5, "b2"] = np.nan
    prepared = prepare(small_model(), data, missing="casewise", na_values=["-99"])
    assert prepared.n == 20 and prepared.n_used == 17 and prepared.rows_dropped == 3
    assert list(prepared.data.index[:3]) == [1, 2, 4]
    result = estimate(small_model(), data, missing="casewise", na_values=[-99])
    assert result.meta["n_used"] == 17 and len(result.scores) == 17
    np.testing.assert_allclose(result.corr, np.corrcoef(prepared.data.to_numpy(), rowvar=False), atol=1e-14)


def test_text_columns_with_markers_and_blanks():
    data = frame().astype(object)
    data.loc[1, "a2"] = " 3 "
    data.loc[2, "a2"] = ""
    data.loc[4, "a2"] = "NA"
    data.loc[6, "a2"] = "-99"
    prepared = prepare(small_model(), data, na_values=["NA", -99])
    assert prepared.raw.loc[1, "a2"] == 3.0
    assert prepared.raw["a2"].isna().sum() == 3


def test_unknown_indicator_suggests_close_matches():
    data = frame().rename(columns={"a1": "A1"})
    with pytest.raises(
        DataError, match=r"indicator 'a1' is not a column of the data; did you mean 'A1'\?"
    ) as info:
        prepare(small_model(), data)
    assert info.value.field == "a1"


def test_non_numeric_column_names_row_and_value():
    data = frame().astype(object)
    data.loc[7, "b1"] = "Setuju"
    with pytest.raises(DataError, match=r"column 'b1' is not numeric: row 8 holds 'Setuju'") as info:
        prepare(small_model(), data, source="survey.csv")
    assert info.value.field == "b1" and str(info.value).startswith("survey.csv: ")


def test_boolean_column_is_not_numeric():
    data = frame()
    data["a2"] = data["a2"] > 2
    with pytest.raises(DataError, match="'a2' is not numeric"):
        prepare(small_model(), data)


def test_zero_variance_column_is_named():
    data = frame()
    data["b2"] = 4.0
    with pytest.raises(DataError, match=r"column 'b2' has no variance \(every used value is 4\)") as info:
        prepare(small_model(), data)
    assert info.value.field == "b2"


def test_zero_variance_after_casewise_deletion():
    data = frame()
    data["b2"] = 4.0
    data.loc[0, "b2"] = 5.0
    data.loc[0, "a1"] = np.nan
    with pytest.raises(DataError, match="'b2' has no variance"):
        prepare(small_model(), data, missing="casewise")


def test_entirely_missing_column():
    data = frame()
    data["a1"] = -99
    with pytest.raises(DataError, match="'a1' has no values"):
        prepare(small_model(), data, na_values=[-99])


def test_unknown_missing_treatment():
    with pytest.raises(DataError, match="missing must be one of mean, casewise"):
        prepare(small_model(), frame(), missing="pairwise")


def test_standardization_divisor_is_an_option():
    model, data = ref.m2(), ref.mobi()
    sample = estimate(model, data)
    population = estimate(model, data, ddof=0)
    n = len(data)
    np.testing.assert_allclose(population.scores, sample.scores * np.sqrt(n / (n - 1)), atol=1e-12)
    np.testing.assert_allclose(population.path_matrix, sample.path_matrix, atol=0)
