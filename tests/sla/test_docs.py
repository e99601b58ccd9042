"""docs/sla-format.md: its YAML examples load, and it covers every field of the schema and every command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ukur.cli.sla import app
from ukur.sla import agreement_schema, load_agreement

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "sla-format.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.DOTALL)


def test_the_doc_has_an_english_and_an_indonesian_part():
    assert "## Bahasa Indonesia" in DOC
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_every_yaml_example_in_the_doc_loads(index):
    parent = load_agreement((ROOT / "examples" / "sla" / "kilat-corporate.yaml").read_text(encoding="utf-8"))
    agreement = load_agreement(BLOCKS[index], source=f"docs block {index}", parents={parent.id: parent})
    assert agreement.objectives


def test_every_top_level_field_and_objective_field_is_documented():
    schema = agreement_schema()
    fields = set(schema["properties"]) | set(schema["$defs"]["objective"]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in DOC)
    assert not missing


def test_every_sla_command_is_documented():
    names = {c.name for c in app.registered_commands}
    assert names >= {"validate", "evaluate", "explain"}
    assert all(f"ukur sla {name}" in DOC for name in names)
