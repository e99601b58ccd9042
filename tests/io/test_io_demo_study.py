"""The bundled demo study (examples/umkm-pamulang): the generator reproduces data.csv, the model text
parses, and the data fit the model (30 respondents, answers 1..5, every indicator present)."""

from __future__ import annotations

import importlib.util
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from ukur.io import read_table, select_model_columns
from ukur.pls.syntax import parse_model

DEMO = Path(__file__).resolve().parents[2] / "examples" / "umkm-pamulang"
PMS, KP, MB = "Promosi di Media Sosial", "Keterlibatan Pelanggan", "Minat Beli"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("umkm_generate", DEMO / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_data_csv_exactly(generator):
    assert generator.render(*generator.simulate()) == (DEMO / "data.csv").read_text(encoding="utf-8")


def test_generator_main_writes_the_same_file(generator, tmp_path, capsys):
    out = tmp_path / "d.csv"
    assert generator.main(["--output", str(out)]) == 0
    assert out.read_bytes() == (DEMO / "data.csv").read_bytes()
    assert "wrote" in capsys.readouterr().out


def test_population_r2_matches_the_paper(generator):
    b = generator.PATHS
    r2_mb = b[(PMS, MB)] ** 2 + b[(KP, MB)] ** 2 + 2 * b[(PMS, MB)] * b[(KP, MB)] * b[(PMS, KP)]
    assert r2_mb == pytest.approx(0.886, abs=0.002)  # paper, Table 6
    assert b[(PMS, KP)] ** 2 == pytest.approx(0.620, abs=0.002)


def test_model_matches_the_paper():
    model = parse_model((DEMO / "model.txt").read_text(encoding="utf-8"), source="model.txt")
    assert model.construct_names == (PMS, KP, MB)
    assert len(model.indicators) == 12
    assert {(p.source, p.target) for p in model.paths} == {(PMS, KP), (PMS, MB), (KP, MB)}


def test_data_has_30_respondents_answering_1_to_5():
    model = parse_model((DEMO / "model.txt").read_text(encoding="utf-8"))
    frame = read_table(DEMO / "data.csv")
    assert frame.attrs["separator"] == ","
    assert len(frame) == 30
    assert list(frame.columns) == list(model.indicators)
    values = select_model_columns(frame, model.indicators).to_numpy()
    assert set(np.unique(values)) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert (values.std(axis=0) > 0).all()


def test_hypotheses_file_names_model_paths():
    model = parse_model((DEMO / "model.txt").read_text(encoding="utf-8"))
    edges = {(p.source, p.target) for p in model.paths}
    lines = (DEMO / "hypotheses.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split(":")[0] for line in lines] == ["H1", "H2", "H3", "H4"]
    for line in lines:
        chain = [part.strip() for part in line.split(":", 1)[1].split("->")]
        assert all(pair in edges for pair in pairwise(chain))
    assert lines[3] == f"H4: {PMS} -> {KP} -> {MB}"
