"""``ukur pls audit``: table and JSON output, exit 1 when an identity fails, exit 2 for a bad file."""

from __future__ import annotations

import json
from pathlib import Path

from ukur.cli.main import run

SEED = Path(__file__).resolve().parents[2] / "examples" / "audit" / "umkm-pamulang.yaml"


def test_seed_study_fails_with_exit_1_and_lists_everything(capsys):
    assert run(["pls", "audit", str(SEED)]) == 1
    out = capsys.readouterr().out
    assert "4 of 52 identities do not hold." in out
    assert "profile.sum_counts" in out and "r2.adjusted" in out


def test_json_output_is_the_result_dict(capsys):
    assert run(["pls", "audit", str(SEED), "--format", "json"]) == 1
    d = json.loads(capsys.readouterr().out)
    assert d["failed"] == 4 and d["checked"] == 52 and d["ok"] is False
    failed = {(c["identity"], c["table"]) for c in d["checks"] if not c["holds"]}
    assert ("profile.sum_counts", "Tabel 2. Pendidikan Responden") in failed


def test_consistent_table_exits_0(tmp_path, capsys):
    f = tmp_path / "ok.yaml"
    f.write_text(
        "version: 1\nn: 100\npaths:\n  A -> B: 0.500\nr_squared:\n  B: {r2: 0.250, adjusted: 0.242}\n"
    )
    assert run(["pls", "audit", str(f)]) == 0
    assert "All 2 identities hold." in capsys.readouterr().out


def test_bad_yaml_exits_2_with_file_and_line(tmp_path, capsys):
    f = tmp_path / "bad.yaml"
    f.write_text("version: 1\nr_squared:\n  B: {r2: high}\n")
    assert run(["pls", "audit", str(f)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {f}:3:")
    assert "'high' is not a number" in err
    assert "Traceback" not in err


def test_missing_and_binary_files_exit_2(tmp_path, capsys):
    assert run(["pls", "audit", str(tmp_path / "none.yaml")]) == 2
    f = tmp_path / "bin.yaml"
    f.write_bytes(b"\xff\xfe\x00bad")
    assert run(["pls", "audit", str(f)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_nothing_to_check_says_so(tmp_path, capsys):
    f = tmp_path / "empty.yaml"
    f.write_text("version: 1\nstudy: nothing printed\n")
    assert run(["pls", "audit", str(f)]) == 0
    assert "No identity can be checked" in capsys.readouterr().out
