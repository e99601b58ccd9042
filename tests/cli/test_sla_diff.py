"""``ukur sla diff``: text and JSON output, a child compared with its parent, mistakes exit 2."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from ukur.cli.main import run
from ukur.sla import load_agreement
from ukur.sla.diff import content_hash
from ukur.sla.template import render_template

EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("kilat-corporate.yaml", "kilat-gold.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def write_changed(folder: Path, old: str, new: str) -> Path:
    text = (folder / "kilat-corporate.yaml").read_text(encoding="utf-8")
    assert old in text
    path = folder / "next" / "kilat-corporate.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_text_lists_loosened_before_tightened_with_both_hashes(folder, capsys):
    new = write_changed(folder, "target: 36h, goal: 90%", "target: 48h, goal: 92%")
    assert run(["sla", "diff", str(folder / "kilat-corporate.yaml"), str(new)]) == 0
    out = capsys.readouterr().out
    old_hash = content_hash((folder / "kilat-corporate.yaml").read_text(encoding="utf-8"))
    assert out.splitlines()[0].startswith(f"kilat-corporate v2 ({old_hash[:12]}) → kilat-corporate v2 (")
    assert out.index("loosened (1):") < out.index("tightened (1):")
    assert "objectives on-time target: 36h → 48h" in out
    assert "objectives on-time goal: 90 % → 92 %" in out


def test_json_is_the_diff_dict(folder, capsys):
    new = write_changed(folder, "goal: 99.5%", "goal: 99.9%")
    assert run(["sla", "diff", str(folder / "kilat-corporate.yaml"), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["new"]["hash"] == content_hash(load_agreement(new.read_text(encoding="utf-8")))
    assert data["changes"] == [
        {
            "part": "objectives",
            "item": "uptime",
            "field": "goal",
            "old": 0.995,
            "new": 0.999,
            "direction": "tightened",
        }
    ]


def test_child_against_its_parent_shows_only_tightening(folder, capsys):
    assert run(["sla", "diff", str(folder / "kilat-corporate.yaml"), str(folder / "kilat-gold.yaml"),
                "--format", "json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data["loosened"] is False
    assert {c["direction"] for c in data["changes"]} <= {"tightened", "changed"}


def test_child_loosening_its_parent_exits_2(folder, capsys):
    gold = folder / "kilat-gold.yaml"
    gold.write_text(gold.read_text(encoding="utf-8").replace("target: 24h", "target: 48h"), encoding="utf-8")
    assert run(["sla", "diff", str(folder / "kilat-corporate.yaml"), str(gold)]) == 2
    err = capsys.readouterr().err
    assert "kilat-gold.yaml" in err and "on-time" in err and "Traceback" not in err


def test_missing_or_invalid_file_exits_2(folder, capsys):
    assert run(["sla", "diff", str(folder / "kilat-corporate.yaml"), str(folder / "nope.yaml")]) == 2
    capsys.readouterr()
    good = folder / "cloud.yaml"
    text = render_template("cloud", type="customer", lang="en", effective_from=date(2027, 1, 1))
    good.write_text(text, encoding="utf-8")
    bad = folder / "bad.yaml"
    bad.write_text(text.replace("overview: {id:", "overview: {in:"), encoding="utf-8")
    assert run(["sla", "diff", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unknown language code 'in'" in err and "contract.overview.in" in err and "Traceback" not in err
