"""``ukur pls estimate`` through ``ukur.cli.main.run``: output formats, files, and every user error of issue 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ukur.cli.main import run
from ukur.pls import estimate
from ukur.pls.model import Model

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
MOBI = DATA / "mobi.csv"
REF = DATA / "reference" / "seminr-mobi"

M1 = """# seminr M1 (README §4): the ECSI subset
Image        =~ IMAG1 + IMAG2 + IMAG3 + IMAG4 + IMAG5
Expectation  =~ CUEX1 + CUEX2 + CUEX3
Value        =~ PERV1 + PERV2
Satisfaction =~ CUSA1 + CUSA2 + CUSA3
Satisfaction ~ Image + Expectation + Value
"""

CR1 = """COMP =~ comp_1 + comp_2 + comp_3
LIKE =~ like_1 + like_2 + like_3
CUSA =~ cusa
CUSL =~ cusl_1 + cusl_2 + cusl_3
CUSA ~ COMP + LIKE
CUSL ~ COMP + LIKE + CUSA
"""


@pytest.fixture
def m1_file(tmp_path: Path) -> Path:
    path = tmp_path / "m1.txt"
    path.write_text(M1, encoding="utf-8")
    return path


def test_json_output_matches_the_engine_and_seminr(m1_file, capsys):
    assert run(["pls", "estimate", str(m1_file), str(MOBI), "--format", "json"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert doc == json.loads(json.dumps(estimate(Model.from_syntax(M1), pd.read_csv(MOBI)).to_dict()))
    paths = {(p["from"], p["to"]): p["estimate"] for p in doc["paths"]}
    expected = pd.read_csv(REF / "inner_weights_coefficients.csv", index_col=0)  # seminr, M1 path weighting
    for source in ("Image", "Expectation", "Value"):
        assert paths[(source, "Satisfaction")] == pytest.approx(
            expected.loc[source, "Satisfaction"], abs=1e-10
        )
    assert doc["meta"]["iterations"] == 6 and doc["meta"]["converged"] is True


def test_text_output_has_the_tables(m1_file, capsys):
    assert run(["pls", "estimate", str(m1_file), str(MOBI)]) == 0
    out = capsys.readouterr().out
    for title in ("Outer model", "Path coefficients", "R²", "reliability", "HTMT", "Fornell–Larcker", "VIF"):
        assert title in out
    assert "0.447" in out and "0.591" in out  # Image -> Satisfaction and R² of Satisfaction


def test_options_reach_the_engine(tmp_path, capsys):
    # CR2-like settings with seminr's corp_rep data: -99 markers, factorial scheme, tol 0.1
    model = tmp_path / "cr1.txt"
    model.write_text(CR1, encoding="utf-8")
    args = ["pls", "estimate", str(model), str(DATA / "corp_rep_data.csv"), "--na", "-99", "--format", "json"]
    assert run([*args, "--scheme", "factorial", "--tol", "0.1", "--max-iter", "50"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["meta"]["scheme"] == "factorial" and doc["meta"]["tol"] == 0.1
    assert doc["meta"]["values_missing"] == 11 and doc["meta"]["n_used"] == 344
    assert run([*args, "--missing", "casewise"]) == 0
    doc = json.loads(capsys.readouterr().out)
    items = [
        i
        for line in CR1.splitlines()
        if "=~" in line
        for i in line.split("=~")[1].replace(" ", "").split("+")
    ]
    rows_with_missing = int((pd.read_csv(DATA / "corp_rep_data.csv")[items] == -99).any(axis=1).sum())
    assert rows_with_missing == 8
    assert doc["meta"]["n_used"] == 344 - rows_with_missing and doc["meta"]["rows_dropped"] == 8
    expected = pd.read_csv(REF / "corp_rep_simple_paths.csv", index_col=0)
    assert run(args) == 0
    paths = {(p["from"], p["to"]): p["estimate"] for p in json.loads(capsys.readouterr().out)["paths"]}
    assert paths[("CUSA", "CUSL")] == pytest.approx(expected.loc["CUSA", "CUSL"], abs=1e-10)


def test_output_file_is_written_atomically(m1_file, tmp_path, capsys):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    assert run(["pls", "estimate", str(m1_file), str(MOBI), "--format", "json", "--output", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["meta"]["n"] == 250
    assert capsys.readouterr().out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m1.txt", "out.json"]  # no temporary file left
    text_target = tmp_path / "out.txt"
    assert run(["pls", "estimate", str(m1_file), str(MOBI), "-o", str(text_target)]) == 0
    assert "Path coefficients" in text_target.read_text(encoding="utf-8")
    assert "\x1b[" not in text_target.read_text(encoding="utf-8")  # no colour codes in files


def test_non_convergence_is_a_warning_not_an_error(m1_file, capsys):
    assert run(["pls", "estimate", str(m1_file), str(MOBI), "--max-iter", "2", "--format", "json"]) == 0
    out = capsys.readouterr()
    assert "warning: the PLS algorithm did not converge in 2 iterations" in out.err
    assert json.loads(out.out)["meta"]["converged"] is False


def _mobi_copy(tmp_path: Path, change) -> Path:
    frame = pd.read_csv(MOBI).astype(object)
    change(frame)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def _set(frame: pd.DataFrame, column: str, value) -> None:
    frame[column] = value


def _set_cell(frame: pd.DataFrame, column: str, row: int, value) -> None:
    frame.loc[row, column] = value


# (id, model text, data change, expected message part) -- every user error listed in issue 2
ERRORS = [
    ("syntax", "Image =~ IMAG1 +\n", None, "m.txt:2:1: expected a name after '+'"),
    ("unknown-indicator", "A =~ IMAG1 + IMAG22\nB =~ CUSA1\nB ~ A\n", None,
     "indicator 'IMAG22' is not a column of the data; did you mean 'IMAG2'"),
    ("no-indicators", "B =~ CUSA1\nB ~ A\nA =~\n", None, "m.txt:4:1: expected a name after '=~'"),
    ("unmeasured", "A =~ IMAG1\nB ~ A\n", None, "construct 'B' is used in a path but never measured"),
    ("cycle", "A =~ IMAG1\nB =~ CUSA1\nB ~ A\nA ~ B\n", None, "the structural model has a cycle: A -> B -> A"),
    ("two-constructs", "A =~ IMAG1 + IMAG2\nB =~ IMAG2\nB ~ A\n", None,
     "indicator 'IMAG2' is used by two constructs ('A' and 'B')"),
    ("zero-variance", M1, lambda f: _set(f, "CUEX2", 7), "column 'CUEX2' has no variance"),
    ("non-numeric", M1, lambda f: _set_cell(f, "PERV1", 4, "Setuju"), "column 'PERV1'"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "change", "message"), [pytest.param(*e[1:], id=e[0]) for e in ERRORS])
def test_user_errors_exit_2_with_one_line(tmp_path, capsys, text, change, message):
    model = tmp_path / "m.txt"
    model.write_text(text, encoding="utf-8")
    data = MOBI if change is None else _mobi_copy(tmp_path, change)
    code = run(["pls", "estimate", str(model), str(data)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_non_numeric_names_the_file_line(tmp_path, capsys):
    data = _mobi_copy(tmp_path, lambda f: _set_cell(f, "PERV1", 4, "Setuju"))
    model = tmp_path / "m.txt"
    model.write_text(M1, encoding="utf-8")
    assert run(["pls", "estimate", str(model), str(data)]) == 2
    err = capsys.readouterr().err
    assert "'Setuju'" in err and ":6" in err  # row 5 of the data is line 6 of the file (header = line 1)


@pytest.mark.parametrize("which", ["model", "data"])
def test_missing_files(tmp_path, capsys, m1_file, which):
    missing = tmp_path / "nope.csv"
    args = [str(missing), str(MOBI)] if which == "model" else [str(m1_file), str(missing)]
    assert run(["pls", "estimate", *args]) == 2
    err = capsys.readouterr().err
    assert "nope.csv" in err and "not found" in err and err.count("\n") == 1


def test_bad_option_values_are_usage_errors(m1_file, capsys):
    assert run(["pls", "estimate", str(m1_file), str(MOBI), "--scheme", "pca"]) == 2
    assert "pca" in capsys.readouterr().err
    assert run(["pls", "estimate", str(m1_file), str(MOBI), "--tol", "-1"]) == 2
    assert "--tol must be a positive number" in capsys.readouterr().err


def test_singular_formative_block_is_a_user_error(tmp_path, capsys):
    data = _mobi_copy(tmp_path, lambda f: _set(f, "PERV3", pd.read_csv(MOBI)["PERV1"] * 2))
    model = tmp_path / "m.txt"
    model.write_text(
        "Image =~ IMAG1 + IMAG2\nValue <~ PERV1 + PERV2 + PERV3\nValue ~ Image\n", encoding="utf-8"
    )
    assert run(["pls", "estimate", str(model), str(data)]) == 2
    assert "'Value' are perfectly collinear" in capsys.readouterr().err


LIKERT_5 = {1: "Sangat Tidak Setuju", 2: "Tidak Setuju", 3: "Netral", 4: "Setuju", 5: "Sangat Setuju"}


def _likert_data(tmp_path: Path) -> tuple[Path, Path, pd.DataFrame]:
    rng = np.random.default_rng(5)
    base = rng.normal(size=(60, 1))
    numbers = pd.DataFrame(
        {
            f"q{i}": np.clip(np.round(3 + base[:, 0] + rng.normal(scale=0.7, size=60)), 1, 5)
            for i in range(1, 5)
        }
    ).astype(int)
    labels = numbers.apply(lambda col: col.map(LIKERT_5))
    labels["name"] = "respondent"
    data = tmp_path / "likert.csv"
    labels.to_csv(data, index=False)
    model = tmp_path / "m.txt"
    model.write_text("A =~ q1 + q2\nB =~ q3 + q4\nB ~ A\n", encoding="utf-8")
    return model, data, numbers


def test_likert_labels_are_mapped(tmp_path, capsys):
    model, data, numbers = _likert_data(tmp_path)
    assert run(["pls", "estimate", str(model), str(data), "--likert", "5", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    expected = estimate(Model.from_syntax(model.read_text(encoding="utf-8")), numbers)
    assert doc["paths"][0]["estimate"] == pytest.approx(expected.paths["estimate"].iloc[0], abs=1e-12)
    assert run(["pls", "estimate", str(model), str(data)]) == 2  # without --likert the labels are not numbers
    assert "column 'q1' is not numeric" in capsys.readouterr().err


def test_user_likert_mapping(tmp_path, capsys):
    model, data, numbers = _likert_data(tmp_path)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "\n".join(f'"{v}": {6 - k}' for k, v in LIKERT_5.items()), encoding="utf-8"
    )  # reversed
    assert (
        run(["pls", "estimate", str(model), str(data), "--likert-map", str(mapping), "--format", "json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    items = {r["indicator"]: r for r in doc["items"]}
    assert items["q1"]["mean"] == pytest.approx(6 - numbers["q1"].mean(), abs=1e-12)


def test_unknown_likert_label_is_a_user_error(tmp_path, capsys):
    model, data, _ = _likert_data(tmp_path)
    frame = pd.read_csv(data)
    frame.loc[2, "q3"] = "Agak Setuju"  # a 7-point label
    frame.to_csv(data, index=False)
    assert run(["pls", "estimate", str(model), str(data), "--likert", "5"]) == 2
    err = capsys.readouterr().err
    assert "unknown Likert label 'Agak Setuju' in column 'q3'" in err and err.count("\n") == 1
    assert run(["pls", "estimate", str(model), str(data), "--likert", "6"]) == 2
    assert "--likert must be 5 or 7" in capsys.readouterr().err


def test_criterion_option(m1_file, capsys):
    assert (
        run(["pls", "estimate", str(m1_file), str(MOBI), "--criterion", "max_abs", "--format", "json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["meta"]["criterion"] == "max_abs" and doc["meta"]["converged"] is True
