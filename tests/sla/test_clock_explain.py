"""explain(): one record's clock as a timeline, on worked examples and against the brute-force reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukur.errors import DataError
from ukur.sla.clock_explain import timeline_to_dict

from .clock_reference import ALL, JAKARTA_OFFICE
from .test_clock import CALENDARS, instant

H = 3600.0


def jkt(text: str) -> np.datetime64:
    """Jakarta wall time (UTC+7, no daylight saving) → UTC instant."""
    return np.datetime64(text, "ns") - np.timedelta64(7, "h")


def test_ticket_opened_friday_afternoon_before_a_holiday_monday() -> None:
    """Opened Fri 13 Feb 2026 16:30, answered Wed 18 Feb 09:30; Mon 16 (cuti bersama) and Tue 17 (Imlek) closed.

    By hand: Fri 16:30-17:00 (0.5 h) + Sat 08:00-12:00 less a 1 h pause (3 h) + Wed 08:00-09:30 (1.5 h) = 5 h.
    """
    cal = CALENDARS["office"][1]
    frame = cal.explain(
        jkt("2026-02-13T16:30"), jkt("2026-02-18T09:30"), [(jkt("2026-02-14T10:00"), jkt("2026-02-14T11:00"), "waiting_customer")]
    )  # fmt: skip
    rows = [(r["from"].strftime("%a %d %H:%M"), r["to"].strftime("%a %d %H:%M"), r["kind"], r["reason"], r["counted_seconds"])
            for r in frame.to_dict(orient="records")]  # fmt: skip
    assert rows == [
        ("Fri 13 16:30", "Fri 13 17:00", "open", "open", 0.5 * H),
        ("Fri 13 17:00", "Sat 14 08:00", "closed", "outside hours", 0.0),
        ("Sat 14 08:00", "Sat 14 10:00", "open", "open", 2 * H),
        ("Sat 14 10:00", "Sat 14 11:00", "paused", "waiting_customer", 0.0),
        ("Sat 14 11:00", "Sat 14 12:00", "open", "open", 1 * H),
        ("Sat 14 12:00", "Sun 15 00:00", "closed", "outside hours", 0.0),
        ("Sun 15 00:00", "Mon 16 00:00", "closed", "weekend", 0.0),
        ("Mon 16 00:00", "Tue 17 00:00", "closed", "holiday: Cuti Bersama Tahun Baru Imlek", 0.0),
        ("Tue 17 00:00", "Wed 18 00:00", "closed", "holiday: Tahun Baru Imlek", 0.0),
        ("Wed 18 00:00", "Wed 18 08:00", "closed", "outside hours", 0.0),
        ("Wed 18 08:00", "Wed 18 09:30", "open", "open", 1.5 * H),
    ]
    assert frame["counted_seconds"].sum() == 5 * H
    assert frame[frame["kind"] == "paused"]["open_seconds"].sum() == 1 * H
    assert str(frame["from"].dt.tz) == "Asia/Jakarta"


def test_pause_over_closed_hours_and_an_exclusion() -> None:
    cal = CALENDARS["office"][1]
    frame = cal.explain(
        jkt("2026-02-13T16:30"),
        jkt("2026-02-18T09:30"),
        pauses=[(jkt("2026-02-14T11:30"), jkt("2026-02-18T08:15"), "waiting_customer")],
        exclusions=[(jkt("2026-02-18T08:00"), jkt("2026-02-18T09:00"), "maintenance")],
    )
    assert list(zip(frame["kind"], frame["reason"], strict=True)) == [
        ("open", "open"),
        ("closed", "outside hours"),
        ("open", "open"),
        ("paused", "waiting_customer"),  # covers the weekend and both holidays: one paused row
        ("excluded", "maintenance"),  # the exclusion wins where it overlaps the pause
        ("open", "open"),
    ]
    assert frame["counted_seconds"].sum() == 0.5 * H + 3.5 * H + 0.5 * H
    assert frame["open_seconds"].tolist() == [0.5 * H, 0.0, 3.5 * H, 0.5 * H, 1 * H, 0.5 * H]


def test_closed_day_and_json_form() -> None:
    cal = CALENDARS["office"][1]
    frame = cal.explain(jkt("2026-07-03T16:00"), jkt("2026-07-07T08:30"))  # Mon 6 July is an extra closed day
    assert "closed day" in set(frame["reason"])
    as_json = timeline_to_dict(frame)
    assert as_json[0] == {
        "from": "2026-07-03T16:00:00+07:00",
        "to": "2026-07-03T17:00:00+07:00",
        "kind": "open",
        "reason": "open",
        "seconds": 3600.0,
        "open_seconds": 3600.0,
        "counted_seconds": 3600.0,
    }


def test_empty_and_missing() -> None:
    cal = CALENDARS["office"][1]
    assert cal.explain(jkt("2026-02-13T16:30"), jkt("2026-02-13T16:30")).empty
    with pytest.raises(DataError, match="without stop"):
        cal.explain(jkt("2026-02-13T16:30"), None)
    assert (
        cal.explain(pd.Timestamp("2026-02-13T09:00Z"), pd.Timestamp("2026-02-13T16:30+07:00"))[
            "counted_seconds"
        ].sum()
        == 0.5 * H
    )


@pytest.mark.parametrize("ref", ALL, ids=lambda r: r.name)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_counted_time_equals_brute_force_with_pauses(ref: object, data: st.DataObject) -> None:
    name = ref.name  # type: ignore[attr-defined]
    reference, cal = CALENDARS[name]
    a = data.draw(instant(name))
    b = a + np.timedelta64(data.draw(st.integers(0, 15 * 86400)), "s")
    cuts = sorted(data.draw(st.lists(st.integers(0, 20 * 86400), min_size=0, max_size=6)))
    pauses = [
        (a + np.timedelta64(cuts[i], "s"), a + np.timedelta64(cuts[i + 1], "s"), "p")
        for i in range(0, len(cuts) - 1, 2)
    ]
    frame = cal.explain(a, b, pauses)
    minutes_a, minutes_b = np.array([a]), np.array([b])
    want = reference.open_ns(minutes_a, minutes_b)[0]
    for s, e, _ in pauses:
        lo, hi = np.array([max(s, a)]), np.array([min(e, b)])
        want -= reference.open_ns(lo, hi)[0]
    assert round(frame["counted_seconds"].sum() * 1e9) == want
    if len(frame):
        starts = frame["from"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        ends = frame["to"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        assert starts[0] == a and ends[-1] == b and (starts[1:] == ends[:-1]).all()
        assert set(frame["kind"]) <= {"open", "closed", "paused"}


def test_reference_office_is_jakarta() -> None:
    assert JAKARTA_OFFICE.timezone == "Asia/Jakarta"
