"""Properties of evaluation, checked against a brute-force minute count.

Reference: for each record, count the minutes ``m`` of ``[start, stop)`` (``stop`` = as_of while open)
that are open on the calendar (local Mon–Fri 08–12, 13–17 in Asia/Jakarta except the closed 2026-03-20, or
every minute on 24x7), are not inside a pause (a ``waiting_customer`` stretch of the status history) and
not inside the maintenance window. All times are whole minutes, so the count is exact; the engine's
counted seconds must equal 60 × that count (tolerance 1e-6 s, floating-point only). Window invariants:
every record in a window has exactly one status, compliance lies in [0, 1], burn rate ≥ 0 and
budget used = burn rate × elapsed fraction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sla.sla_helpers import frame, make
from ukur.sla import evaluate

BASE = pd.Timestamp("2026-03-18 00:00")  # Wednesday, Jakarta time; the span covers the closed Friday 20th
SPAN_MIN = 6 * 24 * 60
MAINTENANCE = (pd.Timestamp("2026-03-19 10:30"), pd.Timestamp("2026-03-19 14:00"))


def body(calendar: str) -> str:
    return f"""\
objectives:
  - id: response
    service: helpdesk
    kind: duration
    records: tickets
    start: created_at
    stop: answered_at
    pause_when: {{status: [waiting_customer]}}
    calendar: {calendar}
    target: {{by: priority, P1: 2h, default: 6h}}
    warn_at: 50%
    goal: 80%
    window: day
exclusions:
  - {{id: maintenance, windows: [{{from: "2026-03-19T10:30", to: "2026-03-19T14:00"}}]}}
"""


def is_open(minute: pd.Timestamp, calendar: str) -> bool:
    if calendar == "24x7":
        return True
    if minute.weekday() >= 5 or minute.date() == pd.Timestamp("2026-03-20").date():
        return False
    clock = minute.hour * 60 + minute.minute
    return 480 <= clock < 720 or 780 <= clock < 1020


@st.composite
def tickets(draw: st.DrawFn) -> tuple[list[dict[str, object]], list[dict[str, object]], int]:
    n = draw(st.integers(1, 8))
    as_of = draw(st.integers(SPAN_MIN // 2, SPAN_MIN))
    rows, history = [], []
    for i in range(n):
        start = draw(st.integers(0, as_of))
        stop = draw(st.one_of(st.none(), st.integers(start, SPAN_MIN)))
        if stop is not None and stop > as_of:
            stop = None
        rows.append({"id": f"T{i}", "created_at": _text(start), "answered_at": "" if stop is None else _text(stop),
                     "priority": draw(st.sampled_from(["P1", "P2"]))})  # fmt: skip
        changes = sorted(draw(st.lists(st.integers(0, SPAN_MIN), max_size=4)))
        for change in changes:
            status = draw(st.sampled_from(["open", "waiting_customer"]))
            history.append({"record_id": f"T{i}", "status": status, "at": _text(change)})
    return rows, history, as_of


def _text(minute: int) -> str:
    return (BASE + pd.Timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M")


def reference(row: dict[str, object], history: list[dict[str, object]], as_of: int, calendar: str) -> int:
    start = int((pd.Timestamp(str(row["created_at"])) - BASE) / pd.Timedelta(minutes=1))
    stop = (
        as_of
        if row["answered_at"] == ""
        else int((pd.Timestamp(str(row["answered_at"])) - BASE) / pd.Timedelta(minutes=1))
    )
    changes = sorted(
        (int((pd.Timestamp(str(h["at"])) - BASE) / pd.Timedelta(minutes=1)), k, str(h["status"]))
        for k, h in enumerate(history)
        if h["record_id"] == row["id"]
    )
    count = 0
    for m in range(start, stop):
        t = BASE + pd.Timedelta(minutes=m)
        if not is_open(t, calendar) or MAINTENANCE[0] <= t < MAINTENANCE[1]:
            continue
        current = [s for at, _, s in changes if at <= m]
        if current and current[-1] == "waiting_customer":
            continue
        count += 1
    return count


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tickets(), st.sampled_from(["24x7", "office"]))
def test_counted_time_equals_a_minute_by_minute_count(data, calendar):
    rows, history, as_of = data
    agreement = make(body(calendar))
    result = evaluate(
        agreement,
        {"tickets": frame(rows)},
        status_history={"tickets": frame(history, columns=["record_id", "status", "at"])},
        as_of=_text(as_of),
    )
    measured = result.records.set_index("id")
    for row in rows:
        got = measured.loc[str(row["id"])]
        expected = reference(row, history, as_of, calendar) * 60
        assert abs(got["counted_seconds"] - expected) < 1e-6, (row, got.to_dict(), expected)
        assert got["paused_seconds"] >= -1e-9 and got["excluded_seconds"] >= -1e-9
        assert got["counted_seconds"] <= got["elapsed_seconds"] + 1e-6
        met = got["counted_seconds"] <= got["target_seconds"] + 1e-6
        if got["status"] == "excluded":  # every counted minute fell in the maintenance window
            assert got["exclusion"] == "maintenance"
            assert got["counted_seconds"] < 1e-6 < got["excluded_seconds"]
        elif row["answered_at"] != "":
            assert got["status"] == ("met" if met else "breached")
        else:
            assert got["status"] in (("open", "at_risk") if met else ("breached",))
    check_windows(result.windows)


def check_windows(windows: pd.DataFrame) -> None:
    statuses = ["met", "breached", "at_risk", "open", "excluded", "invalid"]
    assert (windows[statuses].sum(axis=1) == windows["total"]).all()
    compliance = windows["compliance"].dropna()
    assert ((compliance >= 0) & (compliance <= 1)).all()
    decided = windows["met"] + windows["breached"]
    assert (windows["compliance"].isna() == (decided == 0)).all()
    burn = windows["burn_rate"].dropna()
    assert (burn >= 0).all()
    used = windows["budget_used"].to_numpy()
    expected = (windows["burn_rate"] * windows["elapsed_fraction"]).to_numpy()
    assert np.allclose(used, expected, equal_nan=True)
    assert np.allclose(windows["budget_remaining"], 1 - windows["budget_used"], equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 60 * 24 * 40), st.integers(0, 600), st.booleans()), min_size=0, max_size=40
    )
)
def test_window_counts_add_up_for_any_records(items):
    agreement = make(
        """\
objectives:
  - {id: on-time, service: delivery, kind: duration, records: shipments, start: picked_up_at,
     stop: delivered_at, target: 3h, goal: 90%, window: week}
  - {id: intact, service: delivery, kind: ratio, records: shipments, good_when: {damaged: false},
     goal: 99%, window: month}
"""
    )
    start = pd.Timestamp("2026-02-20")
    rows = [
        {"id": f"S{i}", "picked_up_at": (start + pd.Timedelta(minutes=a)).strftime("%Y-%m-%d %H:%M"),
         "delivered_at": (start + pd.Timedelta(minutes=a + d)).strftime("%Y-%m-%d %H:%M"),
         "damaged": "true" if bad else "false"}
        for i, (a, d, bad) in enumerate(items)
    ]  # fmt: skip
    columns = ["id", "picked_up_at", "delivered_at", "damaged"]
    result = evaluate(agreement, {"shipments": frame(rows, columns=columns)}, as_of="2026-04-15")
    check_windows(result.windows)
    assert len(result.records) == 2 * len(rows)
    in_windows = result.windows.groupby("objective")["total"].sum()
    for objective in in_windows.index:
        assert in_windows[objective] == len(rows)


CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", "2026-03-02 09:00", "2026-03-02T09:00:00+07:00", "2026-03-02T02:00Z", "2026-02-30 10:00",
                     "kemarin", "P1", "P3", "true", "FALSE", "0", "flood", "  ", "2026-03-02"]),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
)  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries({k: CELLS for k in ("id", "created_at", "answered_at", "priority", "cause")}),
        max_size=12,
    )
)
def test_messy_records_never_crash_the_evaluation(rows):
    agreement = make(body("office") + "  - {id: flood, when: {cause: [flood]}}\n")
    columns = ["id", "created_at", "answered_at", "priority", "cause"]
    history = frame([{"record_id": r["id"], "status": "waiting_customer", "at": r["created_at"]} for r in rows],
                    columns=["record_id", "status", "at"])  # fmt: skip
    result = evaluate(agreement, {"tickets": frame(rows, columns=columns)}, status_history={"tickets": history},
                      as_of="2026-03-05 12:00")  # fmt: skip
    assert len(result.records) == len(rows)
    assert set(result.records["status"]) <= {"met", "breached", "at_risk", "open", "excluded", "invalid"}
    assert result.records.loc[result.records["status"] == "invalid", "reason"].notna().all()
    check_windows(result.windows)
    assert result.to_dict()["records"] is not None
