"""docs/bootstrap.md documents every bootstrap option, every choice and every CLI flag."""

import dataclasses
from pathlib import Path

import pytest

from ukur.pls.bootstrap_result import (
    CI_METHODS,
    P_VALUES,
    SD_CONVENTIONS,
    SIGN_CHANGES,
    STATS,
    T_STATISTICS,
    BootstrapOptions,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "bootstrap.md"
FLAGS = ("--bootstrap", "--seed", "--ci", "--alpha", "--one-tailed", "--hypotheses", "--workers")


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(BootstrapOptions)])
def test_every_option_is_documented(text, name):
    assert f"`{name}" in text


@pytest.mark.parametrize(
    "value", [*CI_METHODS, *P_VALUES, *SD_CONVENTIONS, *T_STATISTICS, *SIGN_CHANGES, *STATS]
)
def test_every_choice_and_column_is_documented(text, value):
    assert f'"{value}"' in text or f"`{value}`" in text


@pytest.mark.parametrize("flag", FLAGS)
def test_every_flag_is_documented_and_exists(text, flag, capsys):
    from ukur.cli.main import run

    assert flag in text
    assert run(["pls", "estimate", "--help"]) == 0
    assert flag in capsys.readouterr().out
