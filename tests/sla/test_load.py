"""Loading agreements: the issue's example, schema and meaning errors with file/line/field, inheritance."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from ukur.errors import AgreementError
from ukur.sla import (
    AgreementRegistry,
    AgreementType,
    ObjectiveKind,
    agreement_schema,
    load_agreement,
    parent_id,
)

EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"
FULL = (Path(__file__).parent / "fixtures" / "issue-example.yaml").read_text(encoding="utf-8")


def test_the_issue_example_loads_with_every_part():
    a = load_agreement(FULL, source="kilat-gold.yaml")
    assert (a.id, a.type, a.version, a.timezone) == (
        "kilat-gold",
        AgreementType.CUSTOMER,
        "3",
        "Asia/Jakarta",
    )
    assert [o.id for o in a.objectives] == ["first-response", "on-time", "damage-free", "uptime"]
    first = a.objective("first-response")
    assert first.pause_when == ("waiting_customer",)
    assert first.target is not None and first.target.by == "priority"
    assert first.target.for_key("P1").seconds == 3600  # type: ignore[union-attr]
    assert first.target.for_key("P3").text == "1d"  # type: ignore[union-attr]
    assert first.warn_at == pytest.approx(0.75) and first.goal == pytest.approx(0.95)
    assert a.objective("damage-free").kind is ObjectiveKind.RATIO
    assert a.objective("damage-free").at == "picked_up_at"  # placed like the on-time objective's shipments
    assert a.objective("uptime").calendar == "24x7"
    assert {name for name, _ in a.calendars} == {"24x7", "office"}
    on_time = a.penalties_for("on-time")[0]
    assert [t.below for t in on_time.credits] == pytest.approx([0.95, 0.90, 0.80])
    assert on_time.cap == pytest.approx(0.30)
    assert a.penalties_for("damage-free")[0].per_record.field == "declared_value"  # type: ignore[union-attr]
    assert a.claims is not None and a.claims.respond_within.business_days == 3  # type: ignore[union-attr]
    assert a.claims.records == "shipments" and a.claims.from_field == "delivered_at"
    maintenance = a.exclusions[0].windows[0]
    assert str(maintenance.start) == "2026-02-01 15:00:00"  # 22:00 WIB in UTC
    assert a.signed and not a.draft


def test_the_published_schema_is_a_valid_json_schema_and_accepts_the_example():
    schema = agreement_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)
    packaged = Path(__file__).parents[2] / "src" / "ukur" / "sla" / "schema" / "sla-v1.schema.json"
    assert json.loads(packaged.read_text(encoding="utf-8")) == schema


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("    warn_at: 75%", "    warn_at: 75%\n    colour: red", 30, "objectives[first-response].colour", "unknown field"),
        ("target: 24h, goal", "target: soon, goal", 33, "objectives[on-time].target", "30m, 4h"),
        ("    goal: 95%", "    goal: 195%", 30, "objectives[first-response].goal", "outside"),
        ("kind: ratio", "kind: percentage", 34, "objectives[damage-free].kind", "percentage"),
        ("    calendar: office", "    calendar: night", 27, "objectives[first-response].calendar", "unknown calendar"),
        ("service: delivery, kind: duration", "service: shipping, kind: duration", 32, "objectives[on-time].service", "unknown service"),
        ("  - objective: on-time", "  - objective: late", 42, "penalties[0].objective", "unknown objective"),
        ("ukur: sla/v1", "ukur: sla/v2", 1, "ukur", "sla/v1"),
        ("timezone: Asia/Jakarta", "timezone: Asia/Batavia", 9, "timezone", "timezone"),
        ("effective: {from: 2026-01-01, to: 2026-12-31}", "effective: {from: 2026-01-01, to: 2025-12-31}", 8, "effective.to", "before"),
        ('    closed: [2026-03-20]', '    closed: [2026-02-30]', 15, "calendars.office.closed[0]", "2026-02-30"),
    ],
)  # fmt: skip
def test_errors_name_the_file_line_and_field(old, new, line, field, words):
    assert old in FULL
    with pytest.raises(AgreementError) as caught:
        load_agreement(FULL.replace(old, new, 1), source="gold.yaml")
    error = caught.value
    assert error.source == "gold.yaml"
    assert error.line == line, str(error)
    assert (error.field or "").startswith(field), str(error)
    assert words in str(error)


def test_a_duration_objective_without_a_target_is_rejected_by_the_schema():
    text = FULL.replace("calendar: 24x7, target: 24h, goal: 95%", "calendar: 24x7, goal: 95%")
    with pytest.raises(AgreementError, match="target") as caught:
        load_agreement(text, source="a.yaml")
    assert caught.value.line == 32


def test_yaml_syntax_errors_and_duplicate_keys_have_lines():
    with pytest.raises(AgreementError, match="not valid YAML") as caught:
        load_agreement("ukur: sla/v1\nid: [unclosed\n", source="x.yaml")
    assert caught.value.line is not None
    with pytest.raises(AgreementError, match="duplicate key 'id'") as caught:
        load_agreement("ukur: sla/v1\nid: a\nid: b\n", source="x.yaml")
    assert caught.value.line == 3
    with pytest.raises(AgreementError, match="empty"):
        load_agreement("", source="x.yaml")
    with pytest.raises(AgreementError, match="mapping"):
        load_agreement("- a\n- b\n", source="x.yaml")


def test_unsigned_agreements_are_drafts():
    text = FULL.replace("signed_at: 2026-01-02", "signed_at: null")
    assert load_agreement(text).draft
    assert not load_agreement(FULL).draft


# --- multilevel inheritance -------------------------------------------------------------------------
PARENT = (EXAMPLES / "kilat-corporate.yaml").read_text(encoding="utf-8")
CHILD = (EXAMPLES / "kilat-gold.yaml").read_text(encoding="utf-8")


def _child(body: str, parent_text: str = PARENT) -> object:
    parent = load_agreement(parent_text, source="kilat-corporate.yaml")
    text = "ukur: sla/v1\nid: child\nparent: kilat-corporate\ncustomer: {name: Toko}\n" + textwrap.dedent(
        body
    )
    return load_agreement(text, source="child.yaml", parents={"kilat-corporate": parent})


def test_a_child_inherits_and_tightens():
    parent = load_agreement(PARENT, source="kilat-corporate.yaml")
    gold = load_agreement(CHILD, source="kilat-gold.yaml", parents={"kilat-corporate": parent})
    assert gold.parent == "kilat-corporate" and gold.parents == ("kilat-corporate",)
    assert gold.provider == parent.provider and gold.customer.name == "Toko Batik Sari"
    on_time = gold.objective("on-time")
    assert on_time.target.default.seconds == 24 * 3600  # type: ignore[union-attr]
    assert on_time.goal == pytest.approx(0.95)
    assert on_time.start == "picked_up_at" and on_time.calendar == "24x7"  # inherited clock
    assert gold.objective("first-response").target.for_key("P1").seconds == 3600  # type: ignore[union-attr]
    assert gold.calendar("office") is parent.calendar("office")
    assert [e.id for e in gold.exclusions] == ["maintenance", "force-majeure"]
    assert gold.penalties_for("on-time")[0].cap == pytest.approx(0.30)
    assert gold.claims.respond_within.text == "3 business days"  # type: ignore[union-attr]
    assert gold.claims.file_within.text == "7d"  # type: ignore[union-attr]
    assert gold.effective_from == parent.effective_from and gold.fee.amount == 10_000_000  # type: ignore[union-attr]
    assert gold.signed


def test_a_child_may_add_its_own_objective_and_exclusion():
    child = _child(
        """\
        objectives:
          - {id: pod-photo, service: delivery, kind: ratio, records: shipments, good_when: {photo: true},
             goal: 90%, window: month}
        exclusions:
          - {id: photo-app-down, when: {app: down}, objectives: [pod-photo]}
        """
    )
    assert child.objectives[-1].id == "pod-photo"  # type: ignore[attr-defined]
    assert child.exclusions_for("on-time")[-1].id == "force-majeure"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "line", "field", "words"),
    [
        ("objectives:\n  - {id: on-time, target: 48h}\n", 6, "objectives[on-time].target", "loosens"),
        ("objectives:\n  - {id: on-time, goal: 85%}\n", 6, "objectives[on-time].goal", "loosens"),
        (
            "objectives:\n  - id: first-response\n    target: {by: priority, P1: 3h, P2: 4h, default: 1d}\n",
            7, "objectives[first-response].target.P1", "loosens",
        ),
        (
            "objectives:\n  - id: first-response\n    target: {by: priority, P1: 1h, P2: 4h, default: 3d}\n",
            7, "objectives[first-response].target.default", "loosens",
        ),
        ("objectives:\n  - {id: on-time, calendar: office}\n", 6, "objectives[on-time].calendar", "cannot change"),
        ("objectives:\n  - {id: on-time, stop: arrived_at}\n", 6, "objectives[on-time].stop", "cannot change"),
        (
            "penalties:\n  - objective: on-time\n    credits: [{below: 90%, credit: 2%}]\n",
            7, "penalties[0].credits", "owes",
        ),
        ("claims: {file_within: 3d}\n", 5, "claims.file_within", "shorter"),
        ("claims: {respond_within: 10 business days}\n", 5, "claims.respond_within", "longer"),
        ("exclusions:\n  - {id: holiday-rush, when: {rush: true}}\n", 6, "exclusions[holiday-rush]", "loosen"),
        ("calendars:\n  office: {hours: {mon-sun: '00:00-24:00'}}\n", 6, "calendars.office", "redefined"),
        ("timezone: Asia/Makassar\n", 5, "timezone", "timezone"),
    ],
)  # fmt: skip
def test_loosening_an_inherited_promise_is_an_error_at_the_childs_line(body, line, field, words):
    with pytest.raises(AgreementError) as caught:
        _child(body)
    error = caught.value
    assert error.source == "child.yaml"
    assert error.line == line, str(error)
    assert (error.field or "").startswith(field), str(error)
    assert words in str(error)


def test_parents_come_from_a_registry_and_cycles_are_reported():
    files = {
        "kilat-corporate": (PARENT, "kilat-corporate.yaml"),
        "a": ("ukur: sla/v1\nid: a\nparent: b\n", "a.yaml"),
        "b": ("ukur: sla/v1\nid: b\nparent: a\n", "b.yaml"),
    }

    def read(name: str) -> tuple[str, str]:
        if name not in files:
            raise AgreementError(f"no agreement {name!r}", field="parent")
        return files[name]

    registry = AgreementRegistry(read)
    gold = registry.load(CHILD, source="kilat-gold.yaml")
    assert "kilat-corporate" in registry and gold.parents == ("kilat-corporate",)
    with pytest.raises(AgreementError, match="cycle"):
        registry.load(files["a"][0], source="a.yaml")
    with pytest.raises(AgreementError, match="no agreement 'nowhere'"):
        registry.load("ukur: sla/v1\nid: c\nparent: nowhere\n", source="c.yaml")
    assert parent_id(CHILD) == "kilat-corporate"


def test_a_missing_parent_is_an_error_at_the_parent_line():
    with pytest.raises(AgreementError, match="not available") as caught:
        load_agreement(CHILD, source="kilat-gold.yaml")
    assert caught.value.line == 7 and caught.value.field == "parent"
    with pytest.raises(AgreementError, match="not loaded"):
        load_agreement(CHILD, source="kilat-gold.yaml", parents={})


def test_the_resolved_agreement_as_json():
    parent = load_agreement(PARENT, source="kilat-corporate.yaml")
    gold = load_agreement(CHILD, source="kilat-gold.yaml", parents={"kilat-corporate": parent})
    data = json.loads(json.dumps(gold.to_dict()))
    assert data["parents"] == ["kilat-corporate"] and data["signed"] is True
    on_time = next(o for o in data["objectives"] if o["id"] == "on-time")
    assert on_time["target"] == {"by": None, "default": "24h", "values": {}}
    assert on_time["start"] == "picked_up_at" and on_time["goal"] == pytest.approx(0.95)
    first = next(o for o in data["objectives"] if o["id"] == "first-response")
    assert first["target"]["values"] == {"P1": "1h", "P2": "4h"} and first["pause_when"] == [
        "waiting_customer"
    ]
    assert data["claims"]["respond_within"] == "3 business days"
    assert data["exclusions"][0]["windows"] == [
        {"from": "2026-02-01T15:00:00Z", "to": "2026-02-01T19:00:00Z"}
    ]
    assert set(data["calendars"]) == {"24x7", "office"}


def test_three_levels_resolve_through_the_registry():
    texts = {
        "kilat-corporate": PARENT,
        "kilat-gold": CHILD,
        "batik-sari-outlet": "ukur: sla/v1\nid: batik-sari-outlet\nparent: kilat-gold\n"
        "objectives:\n  - {id: on-time, target: 12h, goal: 97%}\n",
        "loose-outlet": "ukur: sla/v1\nid: loose-outlet\nparent: kilat-gold\n"
        "objectives:\n  - {id: on-time, target: 30h}\n",
    }
    registry = AgreementRegistry(lambda name: (texts[name], f"{name}.yaml"))
    outlet = registry.get("batik-sari-outlet")
    assert outlet.parents == ("kilat-gold", "kilat-corporate")
    assert outlet.objective("on-time").target.default.seconds == 12 * 3600  # type: ignore[union-attr]
    assert outlet.customer.name == "Toko Batik Sari"
    with pytest.raises(AgreementError, match="loosens 'kilat-gold'") as caught:
        registry.get("loose-outlet")
    assert (caught.value.source, caught.value.line) == ("loose-outlet.yaml", 5)
