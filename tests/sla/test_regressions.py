"""Regressions found by using the examples: each test names what once went wrong."""

from pathlib import Path

from ukur.cli.main import run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sla"


def test_period_before_the_effective_dates_is_a_note_not_a_crash(capsys):
    # Once: an empty availability table reached np.isnan as an object array (TypeError, traceback).
    code = run(
        [
            "sla", "evaluate", str(EXAMPLES / "kilat-gold.yaml"),
            "--records", f"shipments={EXAMPLES / 'shipments.csv'}",
            "--records", f"tickets={EXAMPLES / 'tickets.csv'}",
            "--records", f"outages={EXAMPLES / 'outages.csv'}",
            "--status-history", f"tickets={EXAMPLES / 'ticket_history.csv'}",
            "--claims", str(EXAMPLES / "claims.csv"),
            "--period", "2025-12", "--as-of", "2026-03-31T18:00", "--format", "json",
        ]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Traceback" not in out.err
    assert "lies outside the agreement's effective dates" in out.out
