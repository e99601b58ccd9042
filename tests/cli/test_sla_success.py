"""``ukur sla success``: the written answer in en/id, JSON equal to the engine, mistakes exit 2.

Runs on a small simulation of the demo (24 customers, examples/sla/success/generate.py) written to a
temporary folder, so each run takes a few seconds.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from ukur.cli.main import run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "sla" / "success"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("success_demo_generate_cli", DEMO / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("success")
    for name, frame in module.simulate(7, 24).items():
        frame.to_csv(out / f"{name}.csv", index=False)
    shutil.copy(DEMO / "kilat-bisnis.yaml", out / "kilat-bisnis.yaml")
    return out


def _args(folder: Path) -> list[str]:
    return [
        "sla", "success", str(folder / "kilat-bisnis.yaml"),
        "--records", f"shipments={folder / 'shipments.csv'}",
        "--feedback", str(folder / "feedback.csv"),
        "--claims", str(folder / "claims.csv"),
        "--complaints", str(folder / "complaints.csv"),
        "--acknowledge-within", "4h", "--resolve-within", "2 business days", "--calendar", "office",
        "--as-of", "2027-01-05T00:00", "--bootstrap", "200", "--seed", "5",
    ]  # fmt: skip


def test_text_answers_the_question_in_english_and_indonesian(folder, capsys):
    assert run(_args(folder)) == 0
    out = capsys.readouterr().out
    assert out.startswith("Does meeting our SLA make customers more satisfied and more loyal")
    assert "Answer:" in out and "Satisfaction by SLA outcome" in out and "Hypotheses." in out
    assert "Complaints handled in time (office)" in out
    assert run([*_args(folder), "--lang", "id"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Apakah menepati SLA") and "Jawaban:" in out and "Hipotesis" in out


def test_json_is_the_engine_result_and_repeatable(folder, tmp_path, capsys):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run([*_args(folder), "--format", "json", "--output", str(first)]) == 0
    assert run([*_args(folder), "--format", "json", "--output", str(second)]) == 0
    doc = json.loads(first.read_text(encoding="utf-8"))
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert doc["agreements"] == ["kilat-bisnis"] and doc["customers"] == 24
    assert doc["linking"]["bootstrap"]["seed"] == 5
    assert [h["label"] for h in doc["linking"]["hypotheses"]] == ["H1", "H2", "H3", "H4"]
    assert doc["complaints"]["summary"][0]["step"] == "acknowledge"
    assert doc["written"][0] == doc["question"]


def test_custom_model_file(folder, tmp_path, capsys):
    model = tmp_path / "model.txt"
    model.write_text("SLA =~ on_time_share\nLoyalty =~ nps + loy1 + loy2\nLoyalty ~ SLA\n", encoding="utf-8")
    assert run([*_args(folder), "--model", str(model), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [h["path"] for h in doc["linking"]["hypotheses"]] == [["SLA", "Loyalty"]]


def test_mistakes_exit_2_with_one_line(folder, tmp_path, capsys):
    args = _args(folder)
    without_feedback = [a for i, a in enumerate(args) if a != "--feedback" and args[i - 1] != "--feedback"]
    assert run(without_feedback) == 2
    assert "--feedback" in capsys.readouterr().err
    bad = tmp_path / "feedback.csv"
    bad.write_text("agreement,record_id,csat\nkilat-bisnis,KB000001,7\n", encoding="utf-8")
    index = args.index("--feedback")
    assert run([*args[: index + 1], str(bad), *args[index + 2 :]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "feedback.csv:2" in err and "csat must be" in err
    assert run([*args, "--calendar", "kantor"]) == 2
    assert "no calendar 'kantor'" in capsys.readouterr().err
