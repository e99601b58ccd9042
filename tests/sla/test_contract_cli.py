"""The contract part through the CLI: ``validate`` warns about missing Bahasa Indonesia text, ``evaluate``
reports the rights to terminate (text and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.sla.test_contract import BASE
from ukur.cli.main import run


def write(tmp_path: Path, text: str = BASE) -> Path:
    path = tmp_path / "awan-basic.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "outages.csv").write_text(
        "id,started_at,ended_at\no1,2026-01-06 10:00,2026-01-06 20:00\no2,2026-02-10 10:00,2026-02-10 20:00\n"
        "o3,2026-03-10 10:00,2026-03-10 10:05\n",
        encoding="utf-8",
    )
    return path


def test_validate_warns_about_clauses_without_indonesian_text_but_still_succeeds(tmp_path, capsys):
    english = BASE.replace("venue: {id: BANI Jakarta, en:", "venue: {en:")
    assert run(["sla", "validate", str(write(tmp_path, english))]) == 0
    captured = capsys.readouterr()
    assert "ok:" in captured.out
    assert (
        "warning:" in captured.err
        and "contract.disputes.venue" in captured.err
        and "UU 24/2009" in captured.err
    )


def test_validate_is_quiet_for_a_bilingual_agreement(tmp_path, capsys):
    assert run(["sla", "validate", str(write(tmp_path))]) == 0
    assert "warning" not in capsys.readouterr().err


def test_evaluate_reports_the_right_to_terminate(tmp_path, capsys):
    path = write(tmp_path)
    argv = ["sla", "evaluate", str(path), "--records", f"outages={tmp_path / 'outages.csv'}",
            "--period", "2026-Q1", "--as-of", "2026-04-01"]  # fmt: skip
    assert run([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["termination"] == [
        {"objective": "uptime", "party": "customer", "breached": 2, "of": 3, "windows": 3, "missed": 2,
         "missed_windows": ["2026-01", "2026-02"], "triggered": True}
    ]  # fmt: skip
    assert run(argv) == 0
    assert (
        "right to terminate (customer): uptime missed in 2 of the last 3 windows — TRIGGERED"
        in capsys.readouterr().out
    )


def test_evaluate_json_has_no_termination_key_without_rights(tmp_path, capsys):
    text = BASE.replace("    rights: [{objective: uptime, breached: 2, of: 3}]\n", "")
    path = write(tmp_path, text)
    argv = [
        "sla",
        "evaluate",
        str(path),
        "--records",
        f"outages={tmp_path / 'outages.csv'}",
        "--format",
        "json",
    ]
    assert run(argv) == 0
    assert "termination" not in json.loads(capsys.readouterr().out)
