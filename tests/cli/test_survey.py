"""``ukur survey`` through ``ukur.cli.main.run``: output, files written, and exit 2 for user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ukur.cli.main import run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "umkm-pamulang"
Q = str(DEMO / "questionnaire.yaml")
EXPORT = str(DEMO / "google-forms-export.csv")


def test_validate_text_and_json(capsys):
    assert run(["survey", "validate", Q]) == 0
    out = capsys.readouterr().out
    assert "valid questionnaire" in out and "(reverse-coded: Attention)" in out
    assert run(["survey", "validate", Q, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["constructs"][2]["name"] == "Minat Beli"


def test_model_prints_measurement_blocks_and_paths(capsys, tmp_path):
    assert run(["survey", "model", Q]) == 0
    out = capsys.readouterr().out
    assert '"Keterlibatan Pelanggan" =~ Faktor_Pribadi + Faktor_Produk + Faktor_Situasi' in out
    target = tmp_path / "model.txt"
    args = ["survey", "model", Q, "-p", "Keterlibatan Pelanggan ~ Promosi di Media Sosial",
            "-p", "Minat Beli ~ Promosi di Media Sosial + Keterlibatan Pelanggan", "-o", str(target)]  # fmt: skip
    assert run(args) == 0
    written = target.read_text(encoding="utf-8")
    assert '"Minat Beli" ~ "Promosi di Media Sosial" + "Keterlibatan Pelanggan"' in written
    from ukur.pls.model import Model

    assert Model.from_syntax(written) == Model.from_syntax((DEMO / "model.txt").read_text(encoding="utf-8"))


def test_screen_text_and_json(capsys):
    assert run(["survey", "screen", Q, EXPORT]) == 0
    out = capsys.readouterr().out
    assert "32 responses, 15 questions matched" in out
    assert "respondent 13 (line 14): straightlining" in out and "respondent 22 (line 23): duplicate" in out
    assert run(["survey", "screen", Q, EXPORT, "-f", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [i["check"] for i in payload["screening"]["issues"]] == ["straightlining", "duplicate"]
    assert payload["import"]["respondents"] == 32


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_import_writes_the_cleaned_data(capsys, tmp_path, suffix):
    target = tmp_path / f"coded.{suffix}"
    assert (
        run(["survey", "import", Q, EXPORT, "-o", str(target), "--exclude", "straightliners,duplicates"]) == 0
    )
    err = capsys.readouterr().err
    assert "30 respondents" in err and "excluded respondent 22 (line 23): repeats respondent 7" in err
    coded = pd.read_csv(target) if suffix == "csv" else pd.read_excel(target, sheet_name="data")
    expected = pd.read_csv(DEMO / "data.csv")
    assert (coded[list(expected.columns)].to_numpy() == expected.to_numpy()).all()


def test_import_without_exclusions_mentions_the_flagged(capsys, tmp_path):
    assert run(["survey", "import", Q, EXPORT, "-o", str(tmp_path / "all.csv")]) == 0
    assert "kept but flagged: 13, 22" in capsys.readouterr().err
    assert len(pd.read_csv(tmp_path / "all.csv")) == 32


def test_sample_size(capsys):
    assert run(["survey", "sample-size", "--min-path", "0.147", "--max-arrows", "2"]) == 0
    out = capsys.readouterr().out
    assert "inverse square root  N ≥ 287" in out and "gamma-exponential    N ≥ 273" in out
    assert "10-times rule        N ≥ 20" in out
    assert (
        run(["survey", "sample-size", "--min-path", "0.2", "--model", str(DEMO / "model.txt"), "-f", "json"])
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert payload["methods"][2] == {"method": "ten_times_rule", "minimum_n": 20, "max_arrows": 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["survey", "validate", "no-such.yaml"], "no-such.yaml: file not found"),
        (["survey", "validate", Q, "--format", "xml"], "unknown format 'xml'"),
        (["survey", "screen", Q, "no-such.csv"], "no-such.csv"),
        (["survey", "import", Q, EXPORT, "-o", "out.sav"], "must end in .csv or .xlsx"),
        (
            ["survey", "import", Q, EXPORT, "-o", "out.csv", "--exclude", "fast"],
            "unknown screening check 'fast'",
        ),
        (["survey", "screen", Q, EXPORT, "--straightlining", "page"], "'form' or 'construct'"),
        (["survey", "sample-size", "--min-path", "1.5"], "between 0.01 and 1"),
        (["survey", "sample-size", "--min-path", "0.2", "--power", "0.3"], "power must be between"),
        (["survey", "model", Q, "-p", "Minat Beli ~ Kepuasan"], "Kepuasan"),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert run(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("error: ") and "Traceback" not in err
    assert err.count("\n") == 1


def test_invalid_questionnaire_names_line(capsys, tmp_path):
    bad = tmp_path / "q.yaml"
    bad.write_text(
        (DEMO / "questionnaire.yaml").read_text(encoding="utf-8").replace("points: 5", "points: 4")
    )
    assert run(["survey", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:39:11: 4 is not one of" in err and "[5, 7]" in err


def test_long_lists_are_cut_in_text_but_complete_in_json(capsys, tmp_path):
    rows = (DEMO / "google-forms-export.csv").read_text(encoding="utf-8").splitlines()
    big = tmp_path / "big.csv"
    big.write_text("\n".join([rows[0], *(rows[1:] * 3)]) + "\n", encoding="utf-8")
    assert run(["survey", "screen", Q, str(big)]) == 0
    out = capsys.readouterr().out
    # 3 straight-liners; copies 2 and 3 of all 32 rows plus the planted duplicate: 65 duplicates
    listed = [line for line in out.splitlines() if line.startswith("  respondent ")]
    assert len(listed) == 50 and "… and 18 more (--format json lists all)" in out
    assert run(["survey", "screen", Q, str(big), "-f", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["screening"]["issues"]) == 68


def test_xlsx_export_with_sheet(capsys, tmp_path):
    frame = pd.read_csv(EXPORT, dtype=str)
    book = tmp_path / "export.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"catatan": ["lembar pertama"]}).to_excel(writer, sheet_name="catatan", index=False)
        frame.to_excel(writer, sheet_name="Form Responses 1", index=False)
    assert run(["survey", "screen", Q, str(book), "--sheet", "Form Responses 1", "-f", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [(i["respondent"], i["check"]) for i in payload["screening"]["issues"]] == [
        (13, "straightlining"),
        (22, "duplicate"),
    ]
    assert run(["survey", "screen", Q, str(book), "--sheet", "1"]) == 0
    capsys.readouterr()
    assert run(["survey", "screen", Q, str(book)]) == 2  # the first sheet holds no answers
    assert "no column of the export matches an item" in capsys.readouterr().err
