"""The ``contract:`` part of an agreement: parsing, language codes, maintenance exclusions, inheritance,
the Indonesian-text warning and the rights to terminate."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukur.errors import AgreementError
from ukur.sla import evaluate, load_agreement
from ukur.sla.contract import Text
from ukur.sla.contract_load import language_warnings, termination_status
from ukur.sla.dump import dump_agreement

BASE = """\
ukur: sla/v1
id: awan-basic
title: Awan Cloud Basic
type: customer
version: 1
provider: {name: PT Awan Data, legal_name: PT Awan Data Nusantara, address: "Jl. Sudirman 1, Jakarta",
           representative: {name: Dewi Lestari, role: Direktur}, country: ID, contact: sla@awan.example}
customer: {name: CV Maju Jaya, country: ID}
effective: {from: 2026-01-01, to: 2026-12-31}
timezone: Asia/Jakarta
services: [{id: hosting, description: Virtual servers}]
objectives:
  - {id: uptime, service: hosting, kind: availability, records: outages, start: started_at, stop: ended_at,
     goal: 99.5%, window: month}
contract:
  overview: {id: Perjanjian ini mengatur layanan server., en: This agreement covers the server service.}
  definitions:
    - {term: {id: Gangguan, en: Outage}, meaning: {id: Server tidak dapat diakses., en: The server cannot be reached.}}
  maintenance: {rule: "FREQ=WEEKLY;BYDAY=SU;BYHOUR=1", duration: 2h, notice: 3d, objectives: [uptime]}
  disaster_recovery: {procedure: {id: Pemulihan dari cadangan., en: Restore from backup.}, rto: 4h, rpo: 1h}
  disputes:
    steps:
      - {text: {id: Ajukan klaim tertulis., en: File a written claim.}, within: 7d}
      - {text: {id: Mediasi., en: Mediation.}, within: 30d}
    escalation: [{name: Dewi Lestari, role: Direktur, contact: dewi@awan.example}]
    venue: {id: BANI Jakarta, en: BANI arbitration in Jakarta}
  termination:
    notice: 30d
    for_cause: {id: Pelanggaran berat., en: Material breach.}
    rights: [{objective: uptime, breached: 2, of: 3}]
  change: {procedure: {id: Usulan tertulis., en: Written proposal.}, notice: 30d}
"""


def load(text: str = BASE, **parents):
    return load_agreement(text, parents=parents or None)


def test_contract_parts_are_read_with_their_values():
    a = load()
    c = a.contract
    assert c is not None
    assert c.provider.legal_name == "PT Awan Data Nusantara"
    assert c.provider.representative is not None and c.provider.representative.role == "Direktur"
    assert c.overview == Text((("id", "Perjanjian ini mengatur layanan server."),
                               ("en", "This agreement covers the server service.")))  # fmt: skip
    assert c.disaster_recovery is not None and c.disaster_recovery.rto is not None
    assert c.disaster_recovery.rto.seconds == 4 * 3600
    assert c.disputes is not None and [s.within.text for s in c.disputes.steps if s.within] == ["7d", "30d"]
    assert c.termination is not None and c.termination.rights[0].breached == 2
    assert c.change_notice is not None and c.change_notice.business_days == 30


def test_maintenance_rule_becomes_an_exclusion_of_every_sunday_01_to_03_jakarta_time():
    a = load()
    ex = {e.id: e for e in a.exclusions}["planned-maintenance"]
    assert ex.objectives == ("uptime",)
    # 2026 has 52 Sundays; 01:00 WIB is 18:00 UTC on the Saturday before.
    assert len(ex.windows) == 52
    assert ex.windows[0].start == datetime(2026, 1, 3, 18, 0)
    assert ex.windows[0].stop == datetime(2026, 1, 3, 20, 0)
    assert all(w.start.weekday() == 5 and w.start.hour == 18 for w in ex.windows)


def test_outage_during_maintenance_does_not_count():
    a = load()
    outages = pd.DataFrame(
        {"id": ["o1", "o2"], "started_at": ["2026-01-04 01:00", "2026-01-06 10:00"],
         "ended_at": ["2026-01-04 03:00", "2026-01-06 10:30"]}
    )  # fmt: skip
    result = evaluate(a, {"outages": outages}, period="2026-01", as_of="2026-02-01")
    window = result.windows.iloc[0]
    assert window["downtime_seconds"] == pytest.approx(30 * 60)


@pytest.mark.parametrize(
    ("old", "new"),
    [("{id: Perjanjian", "{in: Perjanjian"), ("en: Outage}", "eng: Outage}")],
)
def test_a_clause_in_an_unknown_language_code_is_an_error_at_its_line(old, new):
    text = BASE.replace(old, new, 1)
    with pytest.raises(AgreementError, match="unknown language code") as info:
        load(text)
    assert info.value.line == text[: text.index(new)].count("\n") + 1


def test_termination_right_must_name_an_objective_and_fit_in_its_windows():
    with pytest.raises(AgreementError, match="no objective 'speed'"):
        load(BASE.replace("rights: [{objective: uptime", "rights: [{objective: speed"))
    with pytest.raises(AgreementError, match="cannot exceed"):
        load(BASE.replace("breached: 2, of: 3", "breached: 4, of: 3"))


def test_maintenance_needs_an_effective_start_and_runs_two_years_without_an_end():
    with pytest.raises(AgreementError, match="needs the agreement's effective dates"):
        load(BASE.replace("effective: {from: 2026-01-01, to: 2026-12-31}\n", ""))
    open_ended = load(
        BASE.replace("effective: {from: 2026-01-01, to: 2026-12-31}", "effective: {from: 2026-01-01}")
    )
    windows = {e.id: e for e in open_ended.exclusions}["planned-maintenance"].windows
    assert len(windows) == 52 + 52 and windows[-1].start == datetime(2027, 12, 25, 18, 0)


def test_bad_recurrence_rule_is_an_error():
    with pytest.raises(AgreementError, match="BYDAY"):
        load(BASE.replace("FREQ=WEEKLY;BYDAY=SU", "FREQ=WEEKLY;BYDAY=XX"))


def test_existing_files_without_contract_parts_have_none():
    text = BASE.split("contract:")[0]
    plain = text.replace(
        text[text.index("provider:") : text.index("effective:")],
        "provider: {name: PT Awan Data}\ncustomer: {name: CV Maju Jaya}\n",
    )
    assert load(plain).contract is None
    assert load(text).contract is not None


def test_indonesian_party_without_indonesian_text_is_warned_once_bilingual_is_not():
    assert language_warnings(load()) == ()
    english = BASE.replace("overview: {id: Perjanjian ini mengatur layanan server., en:", "overview: {en:")
    warnings = language_warnings(load(english))
    assert len(warnings) == 1 and "UU 24/2009" in warnings[0] and "contract.overview" in warnings[0]
    foreign = english.replace("country: ID", "country: NL").replace("PT Awan", "Awan").replace(
        "CV Maju", "Maju").replace("Asia/Jakarta", "Europe/Amsterdam")  # fmt: skip
    assert language_warnings(load(foreign)) == ()


def test_child_inherits_the_contract_and_replaces_only_what_it_writes():
    parent = load()
    child_text = """\
ukur: sla/v1
id: awan-gold
parent: awan-basic
customer: {name: Toko Sari, legal_name: PT Toko Sari, country: ID}
objectives: [{id: uptime, goal: 99.9%}]
contract:
  termination: {notice: 14d, rights: [{objective: uptime, breached: 1, of: 3}]}
"""
    child = load_agreement(child_text, parents={parent.id: parent})
    assert child.contract is not None and parent.contract is not None
    assert child.contract.overview == parent.contract.overview
    assert child.contract.provider == parent.contract.provider
    assert child.contract.customer.legal_name == "PT Toko Sari"
    assert child.contract.termination is not None and child.contract.termination.rights[0].breached == 1
    again = load_agreement(dump_agreement(child, parent=parent), parents={parent.id: parent})
    assert dataclasses.replace(again, source=None) == dataclasses.replace(child, source=None)


def test_round_trip_with_contract():
    a = load()
    b = load(dump_agreement(a))
    assert dataclasses.replace(a, source=None) == dataclasses.replace(b, source=None)


def _windows(ok: list[bool], final: list[bool] | None = None) -> pd.DataFrame:
    n = len(ok)
    return pd.DataFrame(
        {"objective": ["uptime"] * n, "window": [f"2026-{m:02d}" for m in range(1, n + 1)],
         "start": pd.date_range("2026-01-01", periods=n, freq="MS"), "ok": ok,
         "final": final if final is not None else [True] * n}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("ok", "final"),
    [
        ([True, False, True, False], None),
        ([False, True, False, True], None),
        ([True, False, False, True, True], None),
        ([True, True, False, False, False], [True, True, True, True, False]),
        ([False, False], None),
    ],
)
def test_termination_right_counts_missed_goals_among_the_last_final_windows(ok, final):
    kept = [o for o, f in zip(ok, final or [True] * len(ok), strict=True) if f][-3:]
    expected = sum(not o for o in kept)
    status = termination_status(load(), _windows(ok, final))
    assert status.loc[0, "windows"] == len(kept)
    assert status.loc[0, "missed"] == expected
    assert bool(status.loc[0, "triggered"]) is (expected >= 2)


def test_termination_right_is_triggered_from_an_evaluation():
    a = load()
    outages = pd.DataFrame(
        {"id": ["o1", "o2"], "started_at": ["2026-01-06 10:00", "2026-02-10 10:00"],
         "ended_at": ["2026-01-06 20:00", "2026-02-10 20:00"]}
    )  # fmt: skip
    result = evaluate(a, {"outages": outages}, period="2026-Q1", as_of="2026-04-01")
    status = termination_status(a, result.windows)
    assert status.loc[0, "windows"] == 3
    assert status.loc[0, "missed_windows"] == ["2026-01", "2026-02"]
    assert bool(status.loc[0, "triggered"])


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "en", "jv", "su"]),
        st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40).filter(
            lambda s: s.strip() == s and s != ""
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_clause_text_round_trips_through_dump(texts):
    a = load()
    assert a.contract is not None
    changed = dataclasses.replace(
        a, contract=dataclasses.replace(a.contract, purpose=Text(tuple(texts.items())))
    )
    again = load(dump_agreement(changed))
    assert again.contract is not None and again.contract.purpose == Text(tuple(texts.items()))
