"""docs/pls-conventions.md documents every estimation option and every flag of ``ukur pls estimate``."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from ukur.pls import EstimateOptions, estimate
from ukur.pls.algorithm import CRITERIA, SCHEMES
from ukur.pls.data import MISSING
from ukur.pls.descriptives import MOMENTS
from ukur.pls.effects import F2
from ukur.pls.validity import HTMT

DOC = Path(__file__).resolve().parents[2] / "docs" / "pls-conventions.md"


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(EstimateOptions)])
def test_every_option_is_documented(text, name):
    assert f"`{name}" in text


@pytest.mark.parametrize("value", [*SCHEMES, *CRITERIA, *MISSING, *MOMENTS, *F2, *HTMT])
def test_every_choice_is_documented(text, value):
    assert value in text


def test_estimate_takes_exactly_the_options():
    params = set(inspect.signature(estimate).parameters) - {"model", "data", "source"}
    assert params == {f.name for f in dataclasses.fields(EstimateOptions)}


def test_every_cli_flag_is_documented(text):
    from ukur.cli import pls_estimate

    flags = {"--scheme", "--missing", "--na", "--max-iter", "--tol", "--criterion", "--f2", "--htmt"}
    source = inspect.getsource(pls_estimate.estimate)
    for flag in flags:
        assert f"`{flag}" in text or f"/ `{flag}" in text, flag
    assert {"scheme", "missing", "na", "max_iter", "tol", "criterion", "f2", "htmt"} <= set(
        inspect.signature(pls_estimate.estimate).parameters
    )
    assert "--max-iter" in source
