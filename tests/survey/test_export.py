"""Export of cleaned data with its codebook, and model syntax written from the questionnaire."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from ukur.errors import DataError, ModelError
from ukur.pls.model import Model
from ukur.survey.export import codebook, export_bytes, profile_table, write_export
from ukur.survey.imports import import_responses
from ukur.survey.specify import measurement_syntax, model_syntax, pls_model

from .conftest import export_frame

ROW = {"submitted": "2022/11/01 9:15:32 AM GMT+7", "gender": "Wanita", "age": 31, "CM1": "Setuju",
       "CM2": "Sangat setuju", "CM3": "Tidak setuju", "MI1": "Netral", "MI2": "Setuju", "MI3": "Setuju",
       "AC1": "Setuju"}  # fmt: skip


def test_codebook_lists_every_question(small):
    book = codebook(small)
    assert list(book["code"]) == ["gender", "age", "CM1", "CM2", "CM3", "MI1", "MI2", "MI3", "AC1"]
    assert list(book.columns) == ["code", "kind", "construct", "text_id", "text_en", "reversed", "scale"]
    cm3 = book.set_index("code").loc["CM3"]
    assert cm3["reversed"] and cm3["construct"] == "Citra Merek" and cm3["text_en"] == "This brand is boring"
    assert cm3["scale"].startswith("1 = Sangat tidak setuju; 2 = Tidak setuju")
    assert book.set_index("code").loc["gender", "scale"] == "M = Pria; F = Wanita"
    assert book.set_index("code").loc["age", "scale"] == "number (17–80)"
    assert "expected answer: 4" in book.set_index("code").loc["AC1", "scale"]


def test_csv_round_trip(small, tmp_path):
    data = import_responses(small, export_frame([ROW, ROW])).data
    path = write_export(tmp_path / "coded.csv", data, small)
    back = pd.read_csv(path)
    assert list(back.columns[:3]) == ["respondent", "submitted", "gender"]
    assert back["submitted"][0] == "2022-11-01T02:15:32+00:00"
    assert back["CM3"].tolist() == [4, 4] and str(back["CM3"].dtype) == "int64"
    assert path.read_text(encoding="utf-8").splitlines()[1].split(",")[-7:] == [
        "4",
        "5",
        "4",
        "3",
        "4",
        "4",
        "4",
    ]


def test_xlsx_has_data_codebook_and_exclusions(small):
    data = import_responses(small, export_frame([ROW])).data
    excluded = pd.DataFrame(
        {"respondent": [2], "line": [3], "checks": ["duplicate"], "reasons": ["repeats 1"]}
    )
    book = load_workbook(io.BytesIO(export_bytes(data, small, "xlsx", excluded=excluded)))
    assert book.sheetnames == ["data", "codebook", "profile", "excluded"]
    assert list(book["profile"].values)[1] == ("gender", "M", "Pria", 0, 0)
    rows = list(book["data"].values)
    assert rows[0][:2] == ("respondent", "submitted") and rows[1][rows[0].index("CM3")] == 4
    assert list(book["codebook"].values)[3][0] == "CM1"
    assert list(book["excluded"].values)[1] == (2, 3, "duplicate", "repeats 1")


def test_export_errors(small, tmp_path):
    data = import_responses(small, export_frame([ROW])).data
    with pytest.raises(DataError, match=r"\.csv or \.xlsx"):
        write_export(tmp_path / "coded.sav", data, small)
    with pytest.raises(DataError, match="unknown export format"):
        export_bytes(data, small, "sav")
    with pytest.raises(DataError, match="cannot write"):
        write_export(tmp_path / "missing-dir" / "coded.csv", data, small)


def test_measurement_syntax_parses_to_mode_a_blocks(small):
    text = measurement_syntax(small)
    assert '"Citra Merek" =~ CM1 + CM2 + CM3' in text and "Minat =~ MI1 + MI2 + MI3" in text
    assert "# reverse-coded items (recoded on import): CM3" in text
    assert "AC1" not in text
    for line in text.splitlines():
        if line and not line.startswith("#"):
            single = Model.from_syntax(line)
            assert single.constructs[0].mode == "A"


def test_paths_make_a_complete_model_and_bare_names_with_spaces_are_quoted(small):
    model = pls_model(small, ["Minat ~ Citra Merek"])
    assert [(p.source, p.target) for p in model.paths] == [("Citra Merek", "Minat")]
    assert model.construct("Citra Merek").indicators == ("CM1", "CM2", "CM3")
    text = model_syntax(small, ['Minat ~ "Citra Merek"'])
    assert Model.from_syntax(text) == model
    assert model_syntax(small, []) == measurement_syntax(small)


def test_paths_naming_an_unknown_construct_fail(small):
    with pytest.raises(ModelError, match="Kepuasan"):
        pls_model(small, ["Minat ~ Kepuasan"])


def test_profile_table_adds_up_per_question(small):
    rows = [{**ROW, "gender": g} for g in ("Pria", "Wanita", "Wanita", None)]
    table = profile_table(small, import_responses(small, export_frame(rows)).data, language="en")
    gender = table[table["question"] == "gender"].set_index("option")
    assert gender["count"].to_dict() == {"M": 1, "F": 2, "total": 3}
    assert gender.loc["F", "label"] == "Female" and gender.loc["F", "percent"] == pytest.approx(200 / 3)
    assert set(table["question"]) == {"gender"}  # number questions have no option table
