"""docs/survey.md documents every ``ukur survey`` command and every one of its options."""

from __future__ import annotations

from pathlib import Path

import typer

from ukur.cli.survey import app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "survey.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented():
    group = typer.main.get_command(app)
    commands = getattr(group, "commands", {})
    assert set(commands) == {"validate", "model", "import", "screen", "sample-size"}
    missing = []
    for name, command in commands.items():
        if f"ukur survey {name}" not in DOC:
            missing.append(name)
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in DOC and opt != "--help":
                    missing.append(f"{name} {opt}")
    assert missing == []
