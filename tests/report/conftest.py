"""Shared fixtures: the demo study estimated and bootstrapped once per test session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ukur.pls import Model, estimate
from ukur.pls.bootstrap import bootstrap
from ukur.pls.hypotheses import hypotheses

DEMO = Path(__file__).resolve().parents[2] / "examples" / "umkm-pamulang"


@pytest.fixture(scope="session")
def demo_data() -> pd.DataFrame:
    data = pd.read_csv(DEMO / "data.csv")
    # A categorical column for the respondent profile (the demo data carry only the Likert items).
    return data.assign(Gender=(["Pria", "Pria", "Wanita"] * 10)[: len(data)])


@pytest.fixture(scope="session")
def demo_result(demo_data):
    model = Model.from_syntax((DEMO / "model.txt").read_text(encoding="utf-8"))
    return estimate(model, demo_data)


@pytest.fixture(scope="session")
def demo_boot(demo_result):
    return bootstrap(demo_result, samples=200, seed=6)


@pytest.fixture(scope="session")
def demo_hypotheses(demo_boot):
    return hypotheses(demo_boot, (DEMO / "hypotheses.txt").read_text(encoding="utf-8"))
