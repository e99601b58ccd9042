"""Worked examples of record evaluation; every expected number is worked out by hand in the comments.

Calendar ``office`` (tests/sla/sla_helpers.py): Mon–Fri 08–12 and 13–17 Asia/Jakarta (UTC+7), closed on
Friday 2026-03-20. Monday 2026-03-02 is an ordinary working day.
"""

from __future__ import annotations

import json

import pytest

from tests.sla.sla_helpers import frame, make, utc
from ukur.errors import DataError
from ukur.sla import evaluate

TICKETS = """\
objectives:
  - id: first-response
    service: helpdesk
    kind: duration
    records: tickets
    start: created_at
    stop: first_response_at
    pause_when: {status: [waiting_customer]}
    calendar: office
    target: {by: priority, P1: 1h, P2: 4h}
    warn_at: 75%
    goal: 90%
    window: month
"""

SHIPMENTS = """\
objectives:
  - {id: on-time, service: delivery, kind: duration, records: shipments, start: picked_up_at,
     stop: delivered_at, target: 2h, goal: 90%, window: month}
  - {id: damage-free, service: delivery, kind: ratio, records: shipments, good_when: {damaged: false},
     goal: 99%, window: month}
exclusions:
  - {id: maintenance, windows: [{from: "2026-03-02T10:00", to: "2026-03-02T11:00"}]}
  - {id: force-majeure, when: {cause: [flood, earthquake]}}
"""


def row(result, record_id, objective=None):
    rows = result.record(record_id)
    if objective is not None:
        rows = rows[rows["objective"] == objective]
    assert len(rows) == 1
    return rows.iloc[0]


def test_pauses_count_only_open_time_and_push_the_deadline():
    # Open 09:00–15:00 = 09–12 + 13–15 = 5 h. Waiting for the customer 10:00–13:30 = 10–12 + 13–13:30
    # = 2.5 h of open time (the lunch hour is closed anyway). Counted 2.5 h ≤ 4 h → met.
    # Deadline: 4 h + 2.5 h paused = 6.5 h of open time after 09:00 → 09–12 (3 h) + 13–16:30 → 16:30 WIB.
    agreement = make(TICKETS)
    tickets = frame([{"id": "T1", "created_at": "2026-03-02 09:00", "first_response_at": "2026-03-02 15:00",
                      "priority": "P2"}])  # fmt: skip
    history = frame([
        {"record_id": "T1", "status": "new", "at": "2026-03-02 09:00"},
        {"record_id": "T1", "status": "waiting_customer", "at": "2026-03-02 10:00"},
        {"record_id": "T1", "status": "open", "at": "2026-03-02 13:30"},
    ])  # fmt: skip
    result = evaluate(
        agreement, {"tickets": tickets}, status_history={"tickets": history}, as_of="2026-03-31"
    )
    r = row(result, "T1")
    assert r["status"] == "met"
    assert r["elapsed_seconds"] == pytest.approx(5 * 3600)
    assert r["paused_seconds"] == pytest.approx(2.5 * 3600)
    assert r["counted_seconds"] == pytest.approx(2.5 * 3600)
    assert r["target_seconds"] == pytest.approx(4 * 3600)
    assert r["deadline"] == utc("2026-03-02 16:30")
    assert r["key"] == "P2"


def test_a_pause_that_never_ends_stops_the_clock_until_the_record_stops():
    # Waiting from 09:30 with no later change: only 09:00–09:30 counts; response at 16:00 → met.
    agreement = make(TICKETS)
    tickets = frame([{"id": "T1", "created_at": "2026-03-02 09:00", "first_response_at": "2026-03-02 16:00",
                      "priority": "P1"}])  # fmt: skip
    history = frame([{"record_id": "T1", "status": "waiting_customer", "at": "2026-03-02 09:30"}])
    r = row(
        evaluate(agreement, {"tickets": tickets}, status_history={"tickets": history}, as_of="2026-03-31"),
        "T1",
    )
    assert r["counted_seconds"] == pytest.approx(1800)
    assert r["status"] == "met"


@pytest.mark.parametrize(
    ("as_of", "status", "counted"),
    [
        ("2026-03-02 09:30", "open", 1800),  # 30 min of a 1 h target: below warn_at (45 min)
        ("2026-03-02 09:50", "at_risk", 3000),  # 50 min ≥ 75 % of 1 h
        ("2026-03-02 10:30", "breached", 5400),  # still open but already late
        ("2026-03-02 12:30", "breached", 3 * 3600),  # the lunch hour does not count
    ],
)
def test_open_records_are_judged_at_as_of(as_of, status, counted):
    agreement = make(TICKETS)
    tickets = frame(
        [{"id": "T1", "created_at": "2026-03-02 09:00", "first_response_at": "", "priority": "P1"}]
    )
    result = evaluate(agreement, {"tickets": tickets}, as_of=as_of)
    r = row(result, "T1")
    assert r["status"] == status
    assert r["counted_seconds"] == pytest.approx(counted)
    assert result.as_of == utc(as_of)


def test_exclusion_windows_remove_time_and_when_exclusions_remove_records():
    # S1: 09:00–11:30 = 2.5 h, of which the 10:00–11:00 maintenance is excluded → 1.5 h ≤ 2 h → met.
    # S2: same times without the window (another day) → 2.5 h > 2 h → breached.
    # S3: late but caused by a flood → excluded (force-majeure), for both objectives.
    agreement = make(SHIPMENTS)
    shipments = frame([
        {"id": "S1", "picked_up_at": "2026-03-02 09:00", "delivered_at": "2026-03-02 11:30", "damaged": "false", "cause": ""},
        {"id": "S2", "picked_up_at": "2026-03-03 09:00", "delivered_at": "2026-03-03 11:30", "damaged": "FALSE", "cause": ""},
        {"id": "S3", "picked_up_at": "2026-03-04 09:00", "delivered_at": "2026-03-05 11:30", "damaged": "true", "cause": "Flood"},
        {"id": "S4", "picked_up_at": "2026-03-04 09:00", "delivered_at": "2026-03-04 10:00", "damaged": "yes", "cause": ""},
        {"id": "S5", "picked_up_at": "2026-03-02 10:15", "delivered_at": "2026-03-02 10:45", "damaged": "no", "cause": ""},
    ])  # fmt: skip
    result = evaluate(agreement, {"shipments": shipments}, as_of="2026-03-31")
    s1 = row(result, "S1", "on-time")
    assert s1["status"] == "met"
    assert s1["excluded_seconds"] == pytest.approx(3600)
    assert s1["counted_seconds"] == pytest.approx(5400)
    assert row(result, "S2", "on-time")["status"] == "breached"
    s5 = row(result, "S5", "on-time")  # 10:15–10:45, all inside the maintenance hour
    assert (s5["status"], s5["exclusion"], s5["counted_seconds"]) == ("excluded", "maintenance", 0)
    for objective in ("on-time", "damage-free"):
        s3 = row(result, "S3", objective)
        assert (s3["status"], s3["exclusion"]) == ("excluded", "force-majeure")
    assert row(result, "S4", "damage-free")["status"] == "breached"
    assert row(result, "S2", "damage-free")["status"] == "met"
    window = result.windows.set_index("objective").loc["on-time"]
    assert (window["total"], window["met"], window["breached"], window["excluded"]) == (5, 2, 1, 2)
    assert window["compliance"] == pytest.approx(2 / 3)


def test_invalid_records_are_reported_with_reasons_and_never_stop_the_run():
    agreement = make(TICKETS)
    tickets = frame([
        {"id": "ok", "created_at": "2026-03-02 09:00", "first_response_at": "2026-03-02 09:20", "priority": "P1"},
        {"id": "back", "created_at": "2026-03-02 09:00", "first_response_at": "2026-03-02 08:00", "priority": "P1"},
        {"id": "nostart", "created_at": "", "first_response_at": "2026-03-02 08:00", "priority": "P1"},
        {"id": "garbled", "created_at": "2026-03-02 09:00", "first_response_at": "kemarin sore", "priority": "P1"},
        {"id": "garbled2", "created_at": "yesterday", "first_response_at": "2026-03-02 10:00", "priority": "P1"},
        {"id": "p9", "created_at": "2026-03-02 09:00", "first_response_at": "2026-03-02 10:00", "priority": "P9"},
        {"id": "ok", "created_at": "2026-03-03 09:00", "first_response_at": "2026-03-03 09:20", "priority": "P1"},
        {"id": "future", "created_at": "2026-04-02 09:00", "first_response_at": "", "priority": "P1"},
    ])  # fmt: skip
    result = evaluate(agreement, {"tickets": tickets}, as_of="2026-03-31")
    reasons = dict(
        zip(
            result.records["id"] + "/" + result.records.index.astype(str),
            result.records["reason"],
            strict=True,
        )
    )
    statuses = result.records["status"].tolist()
    assert statuses.count("met") == 1
    assert reasons["back/1"] == "first_response_at before created_at"
    assert reasons["nostart/2"] == "missing created_at"
    assert reasons["garbled/3"] == "unreadable first_response_at"
    assert reasons["garbled2/4"] == "unreadable created_at"
    assert reasons["p9/5"] == "no target for this priority"
    assert reasons["ok/6"] == "duplicate id"
    assert reasons["future/7"] == "created_at after the as-of time"
    window = result.windows.iloc[0]
    # "nostart" and "garbled2" have no time, "future" lies after as_of: none of them is in a window.
    assert window["invalid"] == 4 and window["met"] == 1 and window["total"] == 5
    assert window["compliance"] == pytest.approx(1.0)


def test_a_missing_column_is_a_data_error_naming_the_file_and_column():
    agreement = make(TICKETS)
    tickets = frame([{"id": "T1", "created_at": "2026-03-02 09:00", "priority": "P1"}], source="tickets.csv")
    with pytest.raises(DataError, match="first_response_at") as caught:
        evaluate(agreement, {"tickets": tickets}, as_of="2026-03-31")
    assert caught.value.source == "tickets.csv" and caught.value.field == "first_response_at"


def test_windows_are_cut_at_local_midnight_in_jakarta():
    # 2026-01-31 23:30 WIB is 16:30 UTC on the 31st: January. 2026-02-01 00:30 WIB is 17:30 UTC on
    # 31 January, but it is February in Jakarta. Offsets in the data are honoured: 17:30Z is the same instant.
    agreement = make(SHIPMENTS)
    shipments = frame([
        {"id": "jan", "picked_up_at": "2026-01-31 23:30", "delivered_at": "2026-02-01 00:30", "damaged": "false", "cause": ""},
        {"id": "feb", "picked_up_at": "2026-02-01 00:30", "delivered_at": "2026-02-01 04:30", "damaged": "false", "cause": ""},
        {"id": "feb-z", "picked_up_at": "2026-01-31T17:30:00Z", "delivered_at": "2026-01-31T18:30:00Z", "damaged": "false", "cause": ""},
        {"id": "mar", "picked_up_at": "2026-03-01T00:00:00+07:00", "delivered_at": "2026-03-01T01:00:00+07:00", "damaged": "false", "cause": ""},
    ])  # fmt: skip
    result = evaluate(agreement, {"shipments": shipments}, as_of="2026-03-31")
    on_time = result.records[result.records["objective"] == "on-time"].set_index("id")
    assert on_time.loc["jan", "window"] == "2026-01"
    assert on_time.loc["feb", "window"] == "2026-02"
    assert on_time.loc["feb-z", "window"] == "2026-02"
    assert on_time.loc["mar", "window"] == "2026-03"
    assert on_time.loc["feb", "status"] == "breached" and on_time.loc["feb-z", "status"] == "met"
    windows = result.windows[result.windows["objective"] == "on-time"].set_index("window")
    assert windows["total"].to_dict() == {"2026-01": 1, "2026-02": 2, "2026-03": 1}
    assert windows.loc["2026-02", "start"] == utc("2026-02-01 00:00")
    assert windows.loc["2026-02", "end"] == utc("2026-03-01 00:00")


def test_a_period_keeps_only_its_records_and_says_how_many_were_left_out():
    agreement = make(SHIPMENTS)
    shipments = frame([
        {"id": f"S{i}", "picked_up_at": f"2026-0{m}-10 09:00", "delivered_at": f"2026-0{m}-10 10:00",
         "damaged": "false", "cause": ""}
        for i, m in enumerate([1, 2, 2, 3])
    ])  # fmt: skip
    result = evaluate(agreement, {"shipments": shipments}, period="2026-02", as_of="2026-03-31")
    assert set(result.records["window"]) == {"2026-02"}
    assert result.windows["window"].tolist() == ["2026-02", "2026-02"]
    assert any("2 shipments record(s) outside" in n for n in result.notes)
    assert result.period is not None and result.period.start == utc("2026-02-01")


def test_effective_dates_limit_the_records():
    agreement = make(
        SHIPMENTS.replace("objectives:", "effective: {from: 2026-02-01, to: 2026-02-28}\nobjectives:")
    )
    shipments = frame([
        {"id": "before", "picked_up_at": "2026-01-31 23:59", "delivered_at": "2026-02-01 01:00", "damaged": "false", "cause": ""},
        {"id": "in", "picked_up_at": "2026-02-01 00:00", "delivered_at": "2026-02-01 01:00", "damaged": "false", "cause": ""},
        {"id": "after", "picked_up_at": "2026-03-01 00:00", "delivered_at": "2026-03-01 01:00", "damaged": "false", "cause": ""},
    ])  # fmt: skip
    result = evaluate(agreement, {"shipments": shipments}, as_of="2026-03-31")
    assert set(result.records["id"]) == {"in"}


def test_a_stream_that_was_not_given_is_noted_and_drafts_are_reported():
    result = evaluate(make(TICKETS), {}, as_of="2026-03-31")
    assert result.records.empty and result.windows.empty
    assert any("no records were given for stream 'tickets'" in n for n in result.notes)
    assert result.to_dict()["agreement"]["signed"] is True
    draft = make(TICKETS.replace("objectives:", "objectives:", 1), id="draft")
    unsigned = draft.__class__(
        **{**{f: getattr(draft, f) for f in draft.__dataclass_fields__}, "signatures": ()}
    )
    noted = evaluate(unsigned, {}, as_of="2026-03-31")
    assert noted.draft and noted.to_dict()["agreement"]["draft"] is True
    assert any("draft" in n for n in noted.notes)


def test_to_dict_is_the_json_contract():
    agreement = make(SHIPMENTS)
    shipments = frame(
        [
            {
                "id": "S1",
                "picked_up_at": "2026-03-02 09:00",
                "delivered_at": "",
                "damaged": "false",
                "cause": "",
            }
        ]
    )
    data = evaluate(agreement, {"shipments": shipments}, as_of="2026-03-02 10:00").to_dict()
    assert set(data) >= {"agreement", "records", "windows", "credits", "claims", "errors"}
    assert set(data["agreement"]) >= {"id", "version", "type", "signed"}
    record = data["records"][0]
    assert set(record) >= {"stream", "id", "objective", "status", "elapsed_seconds", "paused_seconds",
                           "target_seconds", "deadline", "reason"}  # fmt: skip
    assert record["status"] == "open" and record["deadline"] == "2026-03-02T04:00:00Z"
    assert record["elapsed_seconds"] == 3600.0 and record["reason"] is None
    window = data["windows"][0]
    assert set(window) >= {"objective", "window", "total", "met", "breached", "excluded", "compliance", "goal",
                           "ok", "budget_remaining", "credit"}  # fmt: skip
    assert window["compliance"] is None and window["ok"] is None
    assert data["as_of"] == "2026-03-02T03:00:00Z"
    assert json.loads(json.dumps(data)) == data


def test_an_objective_built_in_python_without_a_clock_is_an_agreement_error():
    import dataclasses

    from ukur.errors import AgreementError

    agreement = make(SHIPMENTS)
    broken = dataclasses.replace(agreement.objective("on-time"), stop=None)
    edited = dataclasses.replace(agreement, objectives=(broken,))
    rows = frame(
        [
            {
                "id": "S1",
                "picked_up_at": "2026-03-02 09:00",
                "delivered_at": "",
                "damaged": "false",
                "cause": "",
            }
        ]
    )
    with pytest.raises(AgreementError, match="needs start and stop"):
        evaluate(edited, {"shipments": rows}, as_of="2026-03-31")


def test_a_day_target_on_an_office_calendar_is_a_working_day():
    # P3 has "1d": created Thursday 2026-03-19 16:00, the next working day is Monday 23 (Friday 20 is closed),
    # so the deadline is Monday 16:00 and the target is the open time in between: Thursday 16–17 (1 h) +
    # Monday 08–12 and 13–16 (7 h) = 8 h. Answered Monday 15:00: counted 1 h + 6 h = 7 h → met.
    agreement = make(
        TICKETS.replace(
            "target: {by: priority, P1: 1h, P2: 4h}", "target: {by: priority, P1: 1h, default: 1d}"
        )
    )
    tickets = frame([
        {"id": "T1", "created_at": "2026-03-19 16:00", "first_response_at": "2026-03-23 15:00", "priority": "P3"},
        {"id": "T2", "created_at": "2026-03-19 16:00", "first_response_at": "2026-03-23 16:30", "priority": "P3"},
    ])  # fmt: skip
    result = evaluate(agreement, {"tickets": tickets}, as_of="2026-03-31")
    t1, t2 = row(result, "T1"), row(result, "T2")
    assert t1["deadline"] == utc("2026-03-23 16:00")
    assert t1["target_seconds"] == pytest.approx(8 * 3600)
    assert t1["counted_seconds"] == pytest.approx(7 * 3600) and t1["status"] == "met"
    assert t2["status"] == "breached"
