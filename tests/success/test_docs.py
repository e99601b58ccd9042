"""docs/success.md covers every option of ``ukur sla success`` in English and has an Indonesian part;
the demo README says the data are simulated and states the planted values the tests check."""

from __future__ import annotations

from pathlib import Path

import typer

from ukur.cli.sla_success import success

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "success.md").read_text(encoding="utf-8")


def _options() -> list[str]:
    app = typer.Typer()
    app.command()(success)
    command = typer.main.get_command(app)
    return [o for p in command.params for o in getattr(p, "opts", []) if o.startswith("--")]


def test_every_option_is_documented_in_both_languages():
    english, _, indonesian = DOC.partition("## Bahasa Indonesia")
    options = _options()
    assert "--feedback" in options and "--bootstrap" in options
    options = [o for o in options if o not in ("--help", "--install-completion", "--show-completion")]
    missing = [o for o in options if f"`{o}" not in english]
    assert not missing
    assert indonesian and all(o in indonesian for o in options)
    assert "ukur sla success" in DOC


def test_demo_readme_says_simulated_and_states_the_planted_values():
    readme = (ROOT / "examples" / "sla" / "success" / "README.md").read_text(encoding="utf-8")
    assert "SIMULATED" in readme
    for value in ("**0.6**", "**0.5**", "**0.2**", "**0.6 · 0.5 = 0.30**"):
        assert value in readme
