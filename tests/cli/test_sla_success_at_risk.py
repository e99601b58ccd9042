"""``ukur sla success --at-risk-*``: the at-risk thresholds are settable and a wrong one exits 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.success.conftest import DEMO, load_generator

from ukur.cli.main import run


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("success_at_risk")
    for name, frame in load_generator().simulate(11, 30).items():
        frame.to_csv(out / f"{name}.csv", index=False)
    shutil.copy(DEMO / "kilat-bisnis.yaml", out / "kilat-bisnis.yaml")
    return out


def _args(folder: Path, *extra: str) -> list[str]:
    return [
        "sla", "success", str(folder / "kilat-bisnis.yaml"),
        "--records", f"shipments={folder / 'shipments.csv'}", "--feedback", str(folder / "feedback.csv"),
        "--as-of", "2027-01-05T00:00", "--bootstrap", "20", "--format", "json", *extra,
    ]  # fmt: skip


def test_thresholds_reach_the_analysis(folder, capsys):
    assert run(_args(folder)) == 0
    default = json.loads(capsys.readouterr().out)["at_risk"]
    assert default["rule"] == {
        "months": 3, "drop": 0.5, "min_answers": 3, "breaches": 3, "level": 0.01, "allowed_share": None,
    }  # fmt: skip
    loose = ["--at-risk-level", "0.5", "--at-risk-breaches", "1", "--at-risk-allowed", "0"]
    assert run(_args(folder, "--at-risk-months", "2", *loose)) == 0
    doc = json.loads(capsys.readouterr().out)["at_risk"]
    assert doc["rule"]["months"] == 2 and doc["rule"]["allowed_share"] == 0
    assert doc["recent"] == ["2026-11", "2026-12"]
    flagged = {c["customer"] for c in doc["customers"] if c["at_risk"]}
    with_breach = {c["customer"] for c in doc["customers"] if c["breaches_recent"] >= 1}
    # with no breach allowed and one enough, every customer with a recent breach is at risk
    assert with_breach and with_breach <= flagged
    assert sum(c["at_risk"] for c in default["customers"]) <= len(flagged)


def test_a_wrong_threshold_exits_2_with_one_line(folder, capsys):
    assert run(_args(folder, "--at-risk-level", "2")) == 2
    err = capsys.readouterr().err.strip()
    assert "level" in err and len(err.splitlines()) == 1
