"""docs/pls-report.md and the audit's module docstring cover every option, identity and YAML section."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from ukur.cli import pls
from ukur.pls import audit as audit_module
from ukur.pls import audit_input
from ukur.pls.audit import audit, load_reported

DOC = (Path(__file__).resolve().parents[2] / "docs" / "pls-report.md").read_text(encoding="utf-8")


def _options(name: str) -> set[str]:
    command = typer.main.get_command(pls.app).commands[name]  # type: ignore[attr-defined]
    return {o for p in command.params for o in p.opts if o.startswith("--") and o != "--help"}


def test_every_report_and_audit_option_is_documented():
    opts = _options("report") | _options("audit")
    assert {"--output", "--lang", "--profile", "--bootstrap", "--hypotheses", "--format"} <= opts
    missing = sorted(o for o in opts if f"`{o}" not in DOC and f"{o} " not in DOC)
    assert missing == []
    assert "ukur pls report" in DOC and "ukur pls audit" in DOC


def test_every_identity_is_listed_in_the_audit_docstring():
    seed = Path(__file__).resolve().parents[2] / "examples" / "audit" / "umkm-pamulang.yaml"
    found = set(audit(load_reported(seed.read_text(encoding="utf-8"))).checks["identity"])
    doc = audit_module.__doc__ or ""
    assert all(f"``{name}``" in doc for name in found)


def test_the_yaml_example_in_the_audit_docstring_loads():
    doc = audit_input.__doc__ or ""
    block = doc.split("``version: 1``)\n----------------------------\n", 1)[1]
    example = block.split("::\n\n", 1)[1].split("\n\nErrors in the file", 1)[0]
    text = "\n".join(line[4:] for line in example.splitlines())
    reported = load_reported(text, source="docstring")
    assert reported.n == 30 and reported.profiles and reported.fornell_larcker
    sections = set(re.findall(r"^(\w+):", text, flags=re.MULTILINE))
    assert sections >= {
        "version",
        "paths",
        "r_squared",
        "f_squared",
        "bootstrap",
        "profiles",
        "fornell_larcker",
    }
