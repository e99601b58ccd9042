"""``ukur sla validate / evaluate / explain`` through ``ukur.cli.main.run``: output, JSON, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ukur.cli.main import run

EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"
AS_OF = "2026-03-31T18:00"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for item in EXAMPLES.iterdir():
        if item.suffix in (".yaml", ".csv"):
            shutil.copy(item, tmp_path / item.name)
    return tmp_path


def records(folder: Path) -> list[str]:
    return [
        "--records", f"shipments={folder / 'shipments.csv'}",
        "--records", f"tickets={folder / 'tickets.csv'}",
        "--records", f"outages={folder / 'outages.csv'}",
        "--status-history", f"tickets={folder / 'ticket_history.csv'}",
    ]  # fmt: skip


def test_validate_reports_each_file_and_finds_the_parent_next_to_it(folder, capsys):
    code = run(["sla", "validate", str(folder / "kilat-gold.yaml"), str(folder / "helpdesk-internal.yaml")])
    out = capsys.readouterr().out
    assert code == 0
    assert "ok:" in out and "kilat-gold v3 (customer, signed)" in out and "parent kilat-corporate" in out
    assert "helpdesk-internal v1 (internal, DRAFT" in out


def test_validate_exits_2_with_file_line_and_field(folder, capsys):
    bad = folder / "bad.yaml"
    bad.write_text((folder / "kilat-gold.yaml").read_text().replace("target: 24h", "target: 48h"))
    code = run(["sla", "validate", str(bad), str(folder / "kilat-corporate.yaml")])
    captured = capsys.readouterr()
    assert code == 2
    assert f"error: {bad}:15: objectives[on-time].target: target 48h" in captured.err
    assert "loosens 'kilat-corporate'" in captured.err
    assert "ok:" in captured.out  # the valid file is still reported
    assert "Traceback" not in captured.err


def test_a_missing_parent_file_is_a_clear_error(tmp_path, capsys):
    child = tmp_path / "kilat-gold.yaml"
    shutil.copy(EXAMPLES / "kilat-gold.yaml", child)
    assert run(["sla", "validate", str(child)]) == 2
    err = capsys.readouterr().err
    assert "parent agreement 'kilat-corporate' not found" in err and "--agreements" in err
    assert run(["sla", "validate", str(child), "--agreements", str(EXAMPLES)]) == 0


def test_evaluate_json_has_the_contract_and_goes_to_output_atomically(folder, capsys):
    target = folder / "out" / "gold.json"
    target.parent.mkdir()
    code = run(
        ["sla", "evaluate", str(folder / "kilat-gold.yaml"), *records(folder), "--claims", str(folder / "claims.csv"),
         "--period", "2026-02", "--as-of", AS_OF, "--format", "json", "--output", str(target)]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["agreement"] == {
        **data["agreement"],
        "id": "kilat-gold",
        "version": "3",
        "type": "customer",
        "signed": True,
    }
    assert {w["window"] for w in data["windows"]} == {"2026-02"}
    assert {"stream", "id", "objective", "status", "elapsed_seconds", "deadline", "reason"} <= set(
        data["records"][0]
    )
    assert data["credits"] and data["claims"] and data["errors"] == []
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_evaluate_text_shows_tables(folder, capsys):
    code = run(["sla", "evaluate", str(folder / "kilat-gold.yaml"), *records(folder), "--as-of", AS_OF])
    out = capsys.readouterr().out
    assert code == 0
    assert "Objectives by window" in out and "Credits owed" in out and "Invalid records" in out
    assert "on-time" in out and "2026-03" in out


def test_evaluate_draft_agreement_says_so(folder, capsys):
    code = run(["sla", "evaluate", str(folder / "helpdesk-internal.yaml"), "--records",
                f"tickets={folder / 'tickets.csv'}", "--as-of", AS_OF])  # fmt: skip
    assert code == 0
    assert "DRAFT" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--records", "tickets"], "--records expects STREAM=FILE"),
        (["--records", "parcels=x.csv"], "no objective reads stream(s) parcels"),
        (["--records", "tickets=missing.csv"], "missing.csv"),
        (
            ["--records", f"outages={EXAMPLES / 'outages.csv'}", "--period", "October"],
            "cannot read period 'October'",
        ),
        (
            ["--records", f"outages={EXAMPLES / 'outages.csv'}", "--as-of", "soon"],
            "cannot read the as-of time",
        ),
    ],
)
def test_evaluate_bad_arguments_exit_2(folder, capsys, change, message):
    code = run(["sla", "evaluate", str(folder / "kilat-gold.yaml"), *change])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err


def test_a_record_file_without_a_needed_column_exits_2(folder, capsys):
    broken = folder / "tickets-broken.csv"
    broken.write_text("id,created_at,priority\nT1,2026-03-02 09:00,P1\n", encoding="utf-8")
    code = run(["sla", "evaluate", str(folder / "kilat-gold.yaml"), "--records", f"tickets={broken}"])
    err = capsys.readouterr().err
    assert code == 2
    assert "tickets-broken.csv" in err and "first_response_at" in err


def test_explain_shows_the_clock(folder, capsys):
    code = run(["sla", "explain", str(folder / "kilat-gold.yaml"), "T00002", *records(folder), "--as-of", AS_OF,
                "--objective", "first-response"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "tickets T00002 — objective first-response" in out and "Clock on calendar 'office'" in out
    code = run(["sla", "explain", str(folder / "kilat-gold.yaml"), "T00002", *records(folder), "--as-of", AS_OF,
                "--format", "json"])  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data[0]["id"] == "T00002" and data[0]["timeline"]


def test_explain_unknown_record_or_objective_exits_2(folder, capsys):
    assert run(["sla", "explain", str(folder / "kilat-gold.yaml"), "NOPE", *records(folder)]) == 2
    assert "record 'NOPE' is in none of the record streams" in capsys.readouterr().err
    assert (
        run(
            [
                "sla",
                "explain",
                str(folder / "kilat-gold.yaml"),
                "T00002",
                *records(folder),
                "--objective",
                "x",
            ]
        )
        == 2
    )
    assert "unknown objective 'x'" in capsys.readouterr().err


def test_evaluate_text_lists_records_at_risk(tmp_path, capsys):
    agreement = tmp_path / "desk.yaml"
    agreement.write_text((EXAMPLES / "helpdesk-internal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "id,created_at,first_response_at,resolved_at,priority\nT1,2026-03-02 09:00,,,P2\n", encoding="utf-8"
    )
    code = run(
        ["sla", "evaluate", str(agreement), "--records", f"tickets={tickets}", "--as-of", "2026-03-02 10:45"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "At risk" in out and "T1" in out and "1h45m" in out


def test_csv_json_lines_and_xlsx_records_give_the_same_evaluation(tmp_path, capsys):
    import pandas as pd

    table = pd.read_csv(EXAMPLES / "shipments.csv", dtype=str, keep_default_na=False)
    lines = []
    for row in table.to_dict("records"):
        row["damaged"] = row["damaged"] == "true"  # JSON booleans
        row["declared_value"] = int(row["declared_value"])
        row["delivered_at"] = row["delivered_at"] or None
        lines.append(json.dumps(row))
    (tmp_path / "shipments.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    table.to_excel(tmp_path / "shipments.xlsx", index=False)
    results = []
    for path in (EXAMPLES / "shipments.csv", tmp_path / "shipments.jsonl", tmp_path / "shipments.xlsx"):
        code = run(["sla", "evaluate", str(EXAMPLES / "kilat-gold.yaml"), "--records", f"shipments={path}",
                    "--as-of", AS_OF, "--format", "json"])  # fmt: skip
        assert code == 0
        data = json.loads(capsys.readouterr().out)
        results.append((data["windows"], data["credits"]))
    assert results[0] == results[1] == results[2]
