"""``ukur sla new``: every template, type and language writes a valid agreement; mistakes write nothing."""

from __future__ import annotations

from datetime import date

import pytest

from ukur.cli.main import run
from ukur.cli.sla_new import next_month
from ukur.sla import load_agreement
from ukur.sla.template import LANGS, TEMPLATES, TYPES


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("lang", LANGS)
def test_new_writes_a_valid_agreement_that_validate_accepts(tmp_path, capsys, template, kind, lang):
    out = tmp_path / "agreement.yaml"
    argv = ["sla", "new", "--template", template, "--type", kind, "--lang", lang, "--from", "2027-03-01"]
    assert run([*argv, "--output", str(out)]) == 0
    agreement = load_agreement(out.read_text(encoding="utf-8"))
    assert agreement.type.value == kind
    assert agreement.effective_from == date(2027, 3, 1) and agreement.effective_to == date(2028, 2, 29)
    capsys.readouterr()
    assert run(["sla", "validate", str(out)]) == 0
    captured = capsys.readouterr()
    assert "ok:" in captured.out and "warning" not in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--template", "florist"], "unknown template 'florist'"),
        (["--template", "cloud", "--type", "partner"], "partner"),
        (["--template", "cloud", "--lang", "fr"], "fr"),
        (["--template", "cloud", "--from", "next week"], "--from expects a date"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, argv, message):
    out = tmp_path / "agreement.yaml"
    assert run(["sla", "new", *argv, "--output", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_an_existing_file_is_kept_unless_forced(tmp_path, capsys):
    out = tmp_path / "agreement.yaml"
    out.write_text("signed: keep me\n", encoding="utf-8")
    assert run(["sla", "new", "--template", "cloud", "--output", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "signed: keep me\n"
    assert run(["sla", "new", "--template", "cloud", "--output", str(out), "--force"]) == 0
    assert load_agreement(out.read_text(encoding="utf-8")).id == "cloud-sla"


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 11, 23), date(2026, 12, 1)),
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2027, 2, 1)),
    ],
)
def test_default_start_is_the_first_of_next_month(today, first):
    assert next_month(today) == first
