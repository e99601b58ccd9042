"""docs/sla-contract.md: its YAML example loads, and it covers every contract field, party field and command."""

from __future__ import annotations

import re
from pathlib import Path

from tests.sla.test_contract import BASE
from ukur.cli.sla import app
from ukur.sla import agreement_schema, load_agreement

DOC = (Path(__file__).parents[2] / "docs" / "sla-contract.md").read_text(encoding="utf-8")


def test_the_yaml_example_loads_as_the_contract_of_an_agreement():
    (block,) = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.DOTALL)
    head = BASE.split("contract:")[0].replace(
        "objectives:\n", 'calendars:\n  office: {hours: {mon-fri: "08:00-17:00"}}\nobjectives:\n'
    )
    agreement = load_agreement(head + block)
    assert agreement.contract is not None and agreement.contract.maintenance is not None


def test_every_contract_and_party_field_is_documented():
    defs = agreement_schema()["$defs"]
    fields = set(defs["contract"]["properties"]) | set(defs["party"]["properties"])
    for part in (
        "maintenance",
        "security",
        "disaster_recovery",
        "reporting",
        "disputes",
        "termination",
        "change",
    ):
        fields |= set(defs["contract"]["properties"][part]["properties"])
    assert sorted(f for f in fields if f"`{f}`" not in DOC) == []


def test_the_commands_and_both_languages_are_documented():
    names = {c.name for c in app.registered_commands}
    assert {"new", "document", "diff"} <= names
    assert all(f"ukur sla {n}" in DOC for n in ("new", "document", "diff", "validate", "evaluate"))
    assert "## Bahasa Indonesia" in DOC
