"""Worked example of explaining one record's clock.

Ticket created Thursday 2026-03-19 16:00 WIB, answered Monday 2026-03-23 11:00, waiting for the customer
Monday 08:30–09:00. Office hours Mon–Fri 08–12, 13–17; Friday 2026-03-20 is a closed day. Counted:
Thursday 16:00–17:00 (1 h) + Monday 08:00–08:30 and 09:00–11:00 (2.5 h) = 3.5 h ≤ 4 h → met.
"""

from __future__ import annotations

import pytest

from tests.sla.sla_helpers import frame, make
from tests.sla.test_evaluate import TICKETS
from ukur.errors import DataError
from ukur.sla import explain_record

TICKET = frame(
    [
        {
            "id": "T1",
            "created_at": "2026-03-19 16:00",
            "first_response_at": "2026-03-23 11:00",
            "priority": "P2",
        }
    ]
)
HISTORY = frame([
    {"record_id": "T1", "status": "waiting_customer", "at": "2026-03-23 08:30"},
    {"record_id": "T1", "status": "open", "at": "2026-03-23 09:00"},
    {"record_id": "T2", "status": "open", "at": "2026-03-23 09:00"},
])  # fmt: skip


def test_the_timeline_names_closed_days_pauses_and_adds_up():
    (found,) = explain_record(
        make(TICKETS), {"tickets": TICKET}, "T1", status_history={"tickets": HISTORY}, as_of="2026-03-31"
    )
    assert found.status == "met"
    assert found.measurement["counted_seconds"].iloc[0] == pytest.approx(3.5 * 3600)
    assert found.measurement["paused_seconds"].iloc[0] == pytest.approx(1800)
    timeline = found.timeline
    assert timeline["counted_seconds"].sum() == pytest.approx(3.5 * 3600)
    assert list(zip(timeline["kind"], timeline["reason"], strict=True)) == [
        ("open", "open"), ("closed", "outside hours"), ("closed", "closed day"), ("closed", "weekend"),
        ("closed", "outside hours"), ("open", "open"), ("paused", "waiting_customer"), ("open", "open"),
    ]  # fmt: skip
    data = found.to_dict()
    assert data["measurement"]["status"] == "met" and data["timeline"][0]["kind"]


def test_unknown_records_and_objectives_are_data_errors():
    with pytest.raises(DataError, match="record 'T9'"):
        explain_record(make(TICKETS), {"tickets": TICKET}, "T9")
    with pytest.raises(DataError, match="unknown objective"):
        explain_record(make(TICKETS), {"tickets": TICKET}, "T1", objective="nope")
