"""diff_agreements: every kind of change gets the right direction; content_hash ignores form, not meaning."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from ukur.errors import AgreementError
from ukur.sla import load_agreement
from ukur.sla.diff import canonical_yaml, content_hash, diff_agreements
from ukur.sla.dump import dump_agreement
from ukur.sla.template import render_template

EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"
CORPORATE = (EXAMPLES / "kilat-corporate.yaml").read_text(encoding="utf-8")
CLOUD = render_template("cloud", type="customer", lang="en", effective_from=date(2027, 1, 1))


def changed(old_text: str, new_text: str, **parents):
    old = load_agreement(old_text)
    new = load_agreement(new_text, parents={old.id: old, **parents})
    return diff_agreements(old, new).changes


def direction(changes, part, item, field):
    rows = changes[(changes["part"] == part) & (changes["item"] == item) & (changes["field"] == field)]
    assert len(rows) == 1, changes
    return rows.iloc[0]["direction"]


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        ("target: 36h, goal: 90%", "target: 36h, goal: 92%", ("objectives", "on-time", "goal"), "tightened"),
        ("target: 36h, goal: 90%", "target: 36h, goal: 85%", ("objectives", "on-time", "goal"), "loosened"),
        ("target: 36h, goal: 90%", "target: 24h, goal: 90%", ("objectives", "on-time", "target"), "tightened"),
        ("target: 36h, goal: 90%", "target: 2d, goal: 90%", ("objectives", "on-time", "target"), "loosened"),
        ("P1: 2h, P2: 8h", "P1: 3h, P2: 8h", ("objectives", "first-response", "target[P1]"), "loosened"),
        ("P1: 2h, P2: 8h", "P1: 2h, P2: 6h", ("objectives", "first-response", "target[P2]"), "tightened"),
        ("{below: 80%, credit: 10%}]", "{below: 80%, credit: 15%}]", ("penalties", "on-time", "credits"), "tightened"),
        ("cap: 20%", "cap: 8%", ("penalties", "on-time", "credits"), "loosened"),
        ("cap: 2500000", "cap: 1000000", ("penalties", "damage-free", "per_record"), "loosened"),
        ("file_within: 7d", "file_within: 14d", ("claims", "claims", "file_within"), "tightened"),
        ("respond_within: 5 business days", "respond_within: 8 business days",
         ("claims", "claims", "respond_within"), "loosened"),
        ("  - id: force-majeure\n", "  - id: strike\n    when: {cause: [strike]}\n  - id: force-majeure\n",
         ("exclusions", "strike", ""), "loosened"),
        ("hours: {mon-fri: \"08:00-12:00,13:00-17:00\"", "hours: {mon-fri: \"08:00-17:00\"",
         ("calendars", "office", "hours/holidays/closed"), "changed"),
    ],
)  # fmt: skip
def test_each_change_gets_its_direction(old, new, where, expected):
    assert old in CORPORATE
    changes = changed(CORPORATE, CORPORATE.replace(old, new, 1))
    assert direction(changes, *where) == expected


def test_same_agreement_has_no_changes_and_the_same_hash():
    a = load_agreement(CORPORATE)
    assert diff_agreements(a, a).changes.empty
    assert content_hash(a) == content_hash(CORPORATE)


def test_clause_changes_are_reported_by_their_field():
    new = CLOUD.replace("rto: 4h", "rto: 2h").replace("governs the Provider's cloud", "governs the cloud")
    changes = changed(CLOUD, new)
    clauses = changes[changes["part"] == "contract"]
    assert set(zip(clauses["item"], clauses["field"], strict=True)) == {
        ("disaster_recovery", "rto"),
        ("overview", "en"),
    }
    assert set(clauses["direction"]) == {"changed"}


def test_hash_ignores_comments_spacing_and_spelling_but_not_meaning_or_signatures():
    a = load_agreement(CORPORATE)
    respelled = "# another comment\n" + CORPORATE.replace("goal: 90%, window", "goal: 0.90,   window")
    assert content_hash(respelled) == content_hash(a)
    assert content_hash(CORPORATE.replace("target: 36h", "target: 35h")) != content_hash(a)
    unsigned = CORPORATE.replace("signed_at: 2025-12-15", "signed_at: null")
    assert content_hash(unsigned) == content_hash(a)
    assert content_hash(a) == hashlib.sha256(canonical_yaml(a).encode("utf-8")).hexdigest()


def test_canonical_yaml_loads_back_to_the_same_agreement():
    a = load_agreement(CLOUD)
    assert content_hash(load_agreement(canonical_yaml(a))) == content_hash(a)


def test_child_hash_covers_what_it_inherits():
    parent = load_agreement(CORPORATE)
    gold = (EXAMPLES / "kilat-gold.yaml").read_text(encoding="utf-8")
    child = load_agreement(gold, parents={parent.id: parent})
    changed_parent = load_agreement(CORPORATE.replace("file_within: 7d", "file_within: 10d"))
    child2 = load_agreement(gold, parents={parent.id: changed_parent})
    assert content_hash(child) != content_hash(child2)
    assert content_hash(gold, parents={parent.id: parent}) == content_hash(child)
    assert "parent: kilat-corporate" in canonical_yaml(child)
    again = load_agreement(dump_agreement(child, parent=parent), parents={parent.id: parent})
    assert content_hash(again) == content_hash(child)


def test_child_that_loosens_its_parent_is_an_error():
    parent = load_agreement(CLOUD)
    child_text = """\
ukur: sla/v1
id: cloud-gold
parent: cloud-sla
customer: {name: Toko Sari}
contract:
  maintenance: {rule: "FREQ=WEEKLY;BYDAY=SA;BYHOUR=2", duration: 6h, exclusion: weekly-maintenance}
"""
    child = load_agreement(child_text, parents={parent.id: parent})
    with pytest.raises(AgreementError, match="loosens it: exclusions weekly-maintenance"):
        diff_agreements(parent, child)


def test_to_dict_carries_both_hashes_and_json_values():
    old = load_agreement(CORPORATE)
    new = load_agreement(CORPORATE.replace("goal: 99.5%", "goal: 99.9%"))
    data = diff_agreements(old, new).to_dict()
    assert data["old"]["hash"] == content_hash(old) and data["new"]["hash"] == content_hash(new)
    assert data["loosened"] is False
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
