"""Every template, for every type and language: it validates, round-trips and evaluates against matching records.

The records are generated from the agreement itself: for every objective three records that clearly meet
it and one that clearly misses it (half the smallest target, versus ten days), so a duration or ratio
objective's compliance in the first month must be exactly 3/4; an availability objective gets one
10-minute outage on a Tuesday afternoon, outside every maintenance window.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from ukur.errors import AgreementError
from ukur.sla import Agreement, ObjectiveKind, evaluate, load_agreement
from ukur.sla.contract_load import language_warnings
from ukur.sla.dump import dump_agreement
from ukur.sla.template import LANGS, TEMPLATES, TYPES, render_template

START = date(2027, 1, 1)
CASES = [(n, t, lang) for n in TEMPLATES for t in TYPES for lang in LANGS]


def rendered(name: str, type: str, lang: str) -> Agreement:
    return load_agreement(
        render_template(name, type=type, lang=lang, effective_from=START), source=f"{name}.yaml"
    )


def records_for(agreement: Agreement) -> dict[str, pd.DataFrame]:
    """Four records per stream (the first three meet every objective reading it, the last misses every one)
    on Monday 4 January 2027 from 09:00 local time; outage streams get one 10-minute outage."""
    streams: dict[str, dict[str, object]] = {}
    base = pd.Timestamp("2027-01-04 09:00")
    start = [base + pd.Timedelta(minutes=i) for i in range(4)]
    for o in agreement.objectives:
        row = streams.setdefault(o.records, {"id": [f"{o.records}-{i}" for i in range(4)]})
        if o.kind is ObjectiveKind.AVAILABILITY:
            begin = pd.Timestamp("2027-01-05 14:00")
            row.update(
                {"id": ["outage-0"], o.clock()[0]: [begin], o.clock()[1]: [begin + pd.Timedelta(minutes=10)]}
            )
        elif o.kind is ObjectiveKind.DURATION:
            assert o.target is not None
            fixed = [d.seconds for _, d in o.target.items() if d.seconds is not None]
            quick = pd.Timedelta(seconds=min(fixed) / 2 if fixed else 60)
            first, last = o.clock()
            row[first] = start
            row[last] = [s + quick for s in start[:3]] + [start[3] + pd.Timedelta(days=10)]
            if o.target.by is not None:
                row[o.target.by] = [o.target.values[0][0]] * 4
        else:
            field, good = o.good_when[0]
            bad = (not good[0]) if isinstance(good[0], bool) else "other"
            row[o.placed_by or "at"] = start
            row[field] = [good[0]] * 3 + [bad]
        for penalty in agreement.penalties_for(o.id):
            if penalty.per_record is not None and penalty.per_record.field:
                row[penalty.per_record.field] = [250000] * 4
    return {name: pd.DataFrame(row) for name, row in streams.items()}


@pytest.mark.parametrize(("name", "type", "lang"), CASES)
def test_template_validates_round_trips_and_is_bilingual(name, type, lang):
    agreement = rendered(name, type, lang)
    assert agreement.type.value == type
    assert agreement.effective_from == START and agreement.effective_to == date(2027, 12, 31)
    assert agreement.draft
    roles = {s.party: s.role for s in agreement.signatures}
    assert roles["provider"] and roles["customer"]
    assert len(agreement.signatures) == 2
    assert agreement.contract is not None and agreement.contract.overview is not None
    assert set(agreement.contract.overview.languages) == {"id", "en"}
    assert language_warnings(agreement) == ()
    again = load_agreement(dump_agreement(agreement), source="again.yaml")
    assert dataclasses.replace(again, source=None) == dataclasses.replace(agreement, source=None)


@pytest.mark.parametrize(("name", "type", "lang"), CASES)
def test_template_comments_and_title_are_in_the_chosen_language(name, type, lang):
    text = render_template(name, type=type, lang=lang, effective_from=START)
    assert "#@" not in text and "#en " not in text and "#id " not in text
    title = rendered(name, type, lang).title
    assert ("Perjanjian" in title) is (lang == "id")


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_evaluates_against_matching_records(name):
    agreement = rendered(name, "customer", "en")
    result = evaluate(agreement, records_for(agreement), period="2027-01", as_of="2027-02-01")
    assert not result.errors
    for o in agreement.objectives:
        rows = result.windows[result.windows["objective"] == o.id]
        assert len(rows) >= 1, o.id
        if o.kind is ObjectiveKind.AVAILABILITY:
            assert rows["downtime_seconds"].sum() == pytest.approx(600)
        else:
            counted = rows[rows["total"] > 0]
            assert counted["total"].sum() == 4, o.id
            assert counted["met"].sum() == 3, o.id
            assert counted["breached"].sum() == 1, o.id


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "florist"}, "unknown template 'florist'"),
        ({"name": "cloud", "type": "partner"}, "unknown type 'partner'"),
        ({"name": "cloud", "lang": "fr"}, "unknown language 'fr'"),
    ],
)
def test_unknown_template_type_or_language_is_an_error(kwargs, message):
    with pytest.raises(AgreementError, match=message):
        render_template(effective_from=START, **kwargs)
