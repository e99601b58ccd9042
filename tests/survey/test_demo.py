"""Issue 7's "done when" on the demo study (examples/umkm-pamulang).

google-forms-export.csv is a simulated Google Forms export of data.csv (see make_forms_export.py): Indonesian
labels, question texts (and grid rows) as headers, timestamps, two reverse-worded items shown as ticked, a
planted straight-liner (row 13) and a planted duplicate of respondent 7 (row 22). Importing it and excluding
exactly what screening flags must give data.csv back, number for number, and the respondent profile must add
up to the paper's Tables 1–3 (20/10 men/women; 4/12/6/8 by education; 18/10/2 by age band).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from ukur.io import read_table
from ukur.survey.imports import import_responses
from ukur.survey.questionnaire import load_questionnaire
from ukur.survey.screening import screen

DEMO = Path(__file__).resolve().parents[2] / "examples" / "umkm-pamulang"
STRAIGHTLINER, DUPLICATE, DUPLICATE_OF = 13, 22, 7


@pytest.fixture(scope="module")
def demo():
    questionnaire = load_questionnaire(DEMO / "questionnaire.yaml")
    imported = import_responses(questionnaire, read_table(DEMO / "google-forms-export.csv"))
    return questionnaire, imported, screen(imported)


def test_every_column_matches_and_every_cell_reads(demo):
    questionnaire, imported, _ = demo
    assert imported.respondents == 32
    assert imported.unmatched_columns == () and imported.missing_questions == ()
    assert imported.problems.empty
    assert set(imported.columns["matched_by"]) == {"name", "text", "grid row"}
    assert imported.data["submitted"].is_monotonic_increasing
    assert questionnaire.reversed_codes == ("Attention", "Minat_Referensial")


def test_screening_flags_exactly_the_planted_problems(demo):
    _, _, report = demo
    flagged = sorted(zip(report.issues["respondent"], report.issues["check"], strict=True))
    assert flagged == [(STRAIGHTLINER, "straightlining"), (DUPLICATE, "duplicate")]
    assert report.respondents.loc[DUPLICATE, "duplicate_of"] == DUPLICATE_OF
    available = report.checks.set_index("check")["available"]
    assert not available["too_fast"] and not available["attention"]  # Google Forms: no start time


def test_cleaned_export_equals_the_coded_data_set(demo):
    _, _, report = demo
    cleaned = report.exclude(["straightlining", "duplicate"])
    expected = pd.read_csv(DEMO / "data.csv")
    got = cleaned.data[list(expected.columns)].reset_index(drop=True)
    assert got.shape == (30, 12)
    assert (got.to_numpy() == expected.to_numpy()).all()
    assert cleaned.data["gender"].value_counts().to_dict() == {"Pria": 20, "Wanita": 10}
    assert cleaned.data["education"].value_counts().to_dict() == {
        "SLTA": 12,
        "S1": 8,
        "Diploma": 6,
        "SLTP": 4,
    }
    assert cleaned.data["age"].value_counts().to_dict() == {"20-30": 18, "31-40": 10, "41+": 2}


def test_profile_table_matches_the_papers_tables_1_to_3(demo):
    questionnaire, _, report = demo
    from ukur.survey.export import profile_table

    table = profile_table(questionnaire, report.exclude(["straightlining", "duplicate"]).data)
    percent = dict(zip(table["option"], table["percent"].round().astype(int), strict=True))
    # Tabel 1–3 of the paper: 67 % / 33 %; 13 / 40 / 20 / 27 %; 60 / 33 / 7 %
    assert [percent[k] for k in ("Pria", "Wanita")] == [67, 33]
    assert [percent[k] for k in ("SLTP", "SLTA", "Diploma", "S1")] == [13, 40, 20, 27]
    assert [percent[k] for k in ("20-30", "31-40", "41+")] == [60, 33, 7]
    assert set(table.loc[table["option"] == "total", "count"]) == {30}


def test_reversed_items_are_shown_as_ticked_in_the_export(demo):
    _, imported, _ = demo
    expected = pd.read_csv(DEMO / "data.csv")
    genuine = [r for r in imported.answers.index if r not in (STRAIGHTLINER, DUPLICATE)]
    ticked = imported.answers.loc[genuine, "Attention"].to_numpy()
    assert (ticked == 6 - expected["Attention"].to_numpy()).all()


def test_generator_reproduces_the_export_byte_for_byte():
    spec = importlib.util.spec_from_file_location("make_forms_export", DEMO / "make_forms_export.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import yaml

    text = module.build_export(
        pd.read_csv(DEMO / "data.csv"),
        yaml.safe_load((DEMO / "questionnaire.yaml").read_text(encoding="utf-8")),
    )
    assert text == (DEMO / "google-forms-export.csv").read_text(encoding="utf-8")
    assert (module.STRAIGHTLINER_ROW, module.DUPLICATE_ROW, module.DUPLICATE_OF) == (
        STRAIGHTLINER,
        DUPLICATE,
        DUPLICATE_OF,
    )
