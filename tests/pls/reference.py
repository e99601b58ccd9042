"""Shared models, data and fixture readers for the PLS tests.

Reference values come from the fixtures of the R package seminr 2.3.1 (tests/fixtures/V_3_6_0, copied
unchanged to ``shared/data/reference/seminr-mobi``; see the README there for the model and call behind
each file).  The README's own numpy check reproduces every deterministic value to ≤ 6e-15, and seminr
uses the same stop rule as our default (Σ|Δw| < 1e-7, unit start weights), so 1e-10 is a safe
absolute tolerance for estimates and 1e-9 for derived statistics.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ukur.pls.model import Model, ModelBuilder

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
REF = DATA / "reference" / "seminr-mobi"

TOL = 1e-10
"""Absolute tolerance for estimates against seminr (same stop rule; README §8 reaches ≤ 6e-15)."""


def items(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(1, n + 1)]


def mobi() -> pd.DataFrame:
    return pd.read_csv(DATA / "mobi.csv")


def corp_rep() -> pd.DataFrame:
    return pd.read_csv(DATA / "corp_rep_data.csv")


def read_matrix(name: str) -> pd.DataFrame:
    """An R ``write.csv`` file with row names in the first column."""
    return pd.read_csv(REF / name, index_col=0)


def _mobi_measurement() -> ModelBuilder:
    return (
        Model.build()
        .reflective("Image", items("IMAG", 5))
        .reflective("Expectation", items("CUEX", 3))
        .reflective("Value", items("PERV", 2))
        .reflective("Satisfaction", items("CUSA", 3))
    )


def m1() -> Model:
    """README §4 M1: the ECSI subset used by most fixtures."""
    b = _mobi_measurement()
    return b.path(["Image", "Expectation", "Value"], "Satisfaction").model()


def m2() -> Model:
    """README §4 M2: Image -> Satisfaction."""
    return (
        Model.build()
        .reflective("Image", items("IMAG", 5))
        .reflective("Satisfaction", items("CUSA", 3))
        .path("Image", "Satisfaction")
        .model()
    )


def m3() -> Model:
    """README §4 M3: M1 plus Value ~ Image + Expectation."""
    b = _mobi_measurement()
    b.path(["Image", "Expectation", "Value"], "Satisfaction")
    return b.path(["Image", "Expectation"], "Value").model()


def m4() -> Model:
    """README §4 M4: M1 plus Expectation ~ Image."""
    b = _mobi_measurement()
    b.path(["Image", "Expectation", "Value"], "Satisfaction")
    return b.path("Image", "Expectation").model()


def m5() -> Model:
    """README §4 M5: Comp1 ~ Comp3, Comp2 ~ Comp3."""
    return (
        Model.build()
        .reflective("Comp1", items("IMAG", 5))
        .reflective("Comp2", items("CUEX", 3))
        .reflective("Comp3", items("CUSA", 3))
        .path("Comp3", "Comp1")
        .path("Comp3", "Comp2")
        .model()
    )


def cr1() -> Model:
    """README §4 CR1 (corp_rep_data, path weighting, -99 -> mean replacement)."""
    return (
        Model.build()
        .reflective("COMP", items("comp_", 3))
        .reflective("LIKE", items("like_", 3))
        .reflective("CUSA", ["cusa"])
        .reflective("CUSL", items("cusl_", 3))
        .path(["COMP", "LIKE"], "CUSA")
        .path(["COMP", "LIKE", "CUSA"], "CUSL")
        .model()
    )


def cr2() -> Model:
    """README §4 CR2 (corp_rep_data, factorial, -99 -> mean replacement, stopCriterion = 1)."""
    return (
        Model.build()
        .formative("QUAL", items("qual_", 8))
        .formative("PERF", items("perf_", 5))
        .formative("CSOR", items("csor_", 5))
        .formative("ATTR", items("attr_", 3))
        .reflective("COMP", items("comp_", 3))
        .reflective("LIKE", items("like_", 3))
        .reflective("CUSA", ["cusa"])
        .reflective("CUSL", items("cusl_", 3))
        .path(["QUAL", "PERF", "CSOR", "ATTR"], "COMP")
        .path(["QUAL", "PERF", "CSOR", "ATTR"], "LIKE")
        .path(["COMP", "LIKE"], "CUSA")
        .path(["COMP", "LIKE", "CUSA"], "CUSL")
        .model()
    )


def mean_replaced(frame: pd.DataFrame, columns: list[str], code: float = -99) -> np.ndarray:
    """Independent mean replacement as README §7 describes it (test-side reference)."""
    x = frame[columns].to_numpy(dtype=float)
    x[x == code] = np.nan
    means = np.nanmean(x, axis=0)
    return np.where(np.isnan(x), means, x)


def block_vector(frame: pd.DataFrame, model: Model) -> np.ndarray:
    """Collapse an items × constructs block matrix (0 outside the block) to one value per item."""
    return np.array([frame.loc[i, c.name] for c in model.constructs for i in c.indicators])
