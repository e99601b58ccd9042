"""The SLA report's content: sections in order, numbers equal to ``Compliance.to_dict()``, review dates.

The courier example (``examples/sla``: kilat-gold, a signed customer SLA inheriting kilat-corporate, and
helpdesk-internal, signed by one party only) is evaluated for February 2026 at the generator's "now";
every number the report shows must be the same float as the results JSON (exact equality: the report
copies values and never recomputes them).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ukur.io import read_table
from ukur.report.sla_messages import MESSAGES, sla_text
from ukur.report.sla_report import SECTIONS, SLAReport, build_sla_report, history_period, next_review
from ukur.sla import Agreement, AgreementRegistry, Compliance, evaluate, parse_period

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sla"
AS_OF = "2026-03-31T18:00"
PERIOD = "2026-02"


@cache
def agreement(name: str) -> Agreement:
    registry = AgreementRegistry(
        lambda i: ((EXAMPLES / f"{i}.yaml").read_text(encoding="utf-8"), f"{i}.yaml")
    )
    return registry.get(name)


@cache
def evaluated(name: str = "kilat-gold", period: str = PERIOD, *, history: bool = False) -> Compliance:
    """``name`` evaluated for ``period`` (or over its last 12 windows with ``history``)."""
    a = agreement(name)
    streams = {s: read_table(EXAMPLES / f"{s}.csv") for s in a.streams}
    span = parse_period(period, timezone=a.timezone)
    return evaluate(
        a,
        streams,
        status_history={"tickets": read_table(EXAMPLES / "ticket_history.csv")},
        claims=read_table(EXAMPLES / "claims.csv") if a.claims else None,
        period=history_period(a, span) if history else span,
        as_of=AS_OF,
    )


@cache
def courier_report(lang: str = "en", name: str = "kilat-gold") -> SLAReport:
    return build_sla_report(evaluated(name), history=evaluated(name, history=True), lang=lang)


def column(report: SLAReport, table: str, key: str) -> list[Any]:
    for section in report.sections:
        for t in section.tables:
            if t.key == table:
                i = [c.key for c in t.columns].index(key)
                return [row[i] for row in t.rows]
    raise KeyError(table)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_sections_in_order_with_their_tables(lang):
    report = courier_report(lang)
    assert tuple(s.key for s in report.sections) == SECTIONS
    tables = [t.key for s in report.sections for t in s.tables]
    invalid = any(r["status"] == "invalid" for r in evaluated().to_dict()["records"])
    assert tables == ["summary", "services", "signatures", "compliance", "record_counts", "breaches",
                      *(["invalid"] if invalid else []), "exclusions", "credits", "claims_windows", "claims",
                      "review"]  # fmt: skip
    assert [c.objective for c in report.section("compliance").charts] == [
        o.id for o in agreement("kilat-gold").objectives
    ]


def test_compliance_numbers_are_the_results_json():
    report = courier_report()
    windows = evaluated().to_dict()["windows"]
    assert windows, "the example has windows in February"
    for key in ("objective", "window", "compliance", "goal", "ok", "budget_remaining", "credit"):
        assert column(report, "compliance", key) == [w[key] for w in windows], key
    for key in ("total", "met", "breached", "at_risk", "open", "excluded", "invalid"):
        assert column(report, "record_counts", key) == [w[key] for w in windows], key


def test_credits_claims_and_breaches_are_the_results_json():
    report = courier_report()
    result = evaluated().to_dict()
    for key in ("objective", "window", "compliance", "credit_percent", "fee", "amount", "records"):
        assert column(report, "credits", key) == [c[key] for c in result["credits"]], key
    assert report.total_owed == pytest.approx(sum(c["amount"] for c in result["credits"]), rel=1e-12)
    assert result["credits"] and {c["kind"] for c in result["credits"]} == {"tier", "per_record"}
    for key in ("id", "record_id", "amount", "filed_in_time"):
        assert column(report, "claims", key) == [c[key] for c in result["claims"]], key
    for key in ("window", "total", "on_time", "late", "compliance"):
        assert column(report, "claims_windows", key) == [c[key] for c in result["claims_windows"]], key
    breached = [r for r in result["records"] if r["status"] == "breached"]
    assert column(report, "breaches", "id") == [r["id"] for r in breached]
    assert column(report, "breaches", "counted_seconds") == [r["counted_seconds"] for r in breached]
    stops = [
        None if s is None else s.strftime("%Y-%m-%dT%H:%M:%SZ") for s in column(report, "breaches", "stop")
    ]
    assert stops == [r["stop"] for r in breached]


def test_tier_and_exclusions_say_what_applied():
    report = courier_report()
    result = evaluated().to_dict()
    tier = next(c for c in result["credits"] if c["kind"] == "tier")
    assert tier["tier_below"] == 0.95 and tier["tier_credit"] == 0.05
    assert column(report, "credits", "tier")[0] == "below 95 % → 5 %"
    excluded = {(r["stream"], r["id"]) for r in result["records"]
                if r["status"] == "excluded" and r["exclusion"] == "force-majeure"}  # fmt: skip
    ids = column(report, "exclusions", "exclusion")
    assert column(report, "exclusions", "records_excluded")[ids.index("force-majeure")] == len(excluded) > 0


def test_chart_ends_with_the_period_and_matches_the_history_run():
    report = courier_report()
    history = evaluated(history=True).windows
    current = evaluated().windows.set_index("objective")["compliance"]
    for chart in report.section("compliance").charts:
        assert 1 <= len(chart.labels) <= 12 and list(chart.labels) == sorted(chart.labels)
        assert chart.labels[-1] == PERIOD and chart.current == frozenset({PERIOD})
        assert chart.values[-1] == current[chart.objective]
        rows = history[history["objective"] == chart.objective]
        assert list(chart.labels) == rows["window"].tolist()[-len(chart.labels) :]


def test_draft_exactly_when_unsigned():
    signed = courier_report("en", "kilat-gold")
    draft = courier_report("en", "helpdesk-internal")
    assert not signed.draft and agreement("kilat-gold").signed
    assert draft.draft and not agreement("helpdesk-internal").signed
    assert column(signed, "summary", "value")[-1] == "signed"
    assert column(draft, "summary", "value")[-1].startswith("DRAFT")


@pytest.mark.parametrize(
    ("every", "start", "end", "after", "expected", "at_end"),
    [
        ("quarter", date(2026, 1, 1), date(2026, 12, 31), date(2026, 3, 1), date(2026, 4, 1), False),
        ("quarter", date(2026, 1, 1), date(2026, 12, 31), date(2026, 4, 1), date(2026, 4, 1), False),
        ("quarter", date(2026, 1, 1), date(2026, 12, 31), date(2026, 4, 2), date(2026, 7, 1), False),
        ("quarter", date(2026, 1, 1), date(2026, 12, 31), date(2026, 11, 1), date(2026, 12, 31), True),
        ("month", date(2026, 1, 31), None, date(2026, 3, 1), date(2026, 3, 31), False),
        ("half-year", date(2025, 7, 15), None, date(2026, 2, 1), date(2026, 7, 15), False),
        ("year", date(2024, 2, 29), None, date(2026, 1, 1), date(2026, 2, 28), False),
    ],
)  # fmt: skip
def test_next_review(every, start, end, after, expected, at_end):
    a = dataclasses.replace(
        agreement("kilat-gold"), review_every=every, effective_from=start, effective_to=end
    )
    review = next_review(a, after)
    assert (review.next, review.at_end) == (expected, at_end)
    assert review.next >= after or at_end


def test_no_review_cycle_gives_no_date():
    a = dataclasses.replace(agreement("kilat-gold"), review_every=None)
    assert next_review(a, date(2026, 3, 1)).next is None


def test_history_period_spans_twelve_of_the_longest_windows():
    a = agreement("kilat-gold")
    span = history_period(a, parse_period("2026-10", timezone=a.timezone))
    local = span.start.tz_localize("UTC").tz_convert(a.timezone)
    assert (local.year, local.month, local.day, local.hour) == (2025, 11, 1, 0)
    weekly = agreement("helpdesk-internal")  # a weekly and a monthly objective: the months reach further
    span = history_period(weekly, parse_period("2026-10", timezone=weekly.timezone))
    assert span.start.tz_localize("UTC").tz_convert(weekly.timezone).month == 11


def test_both_languages_have_the_same_labels():
    assert MESSAGES["en"].keys() == MESSAGES["id"].keys()


def test_indonesian_and_english_numbers():
    ind, eng = sla_text("id"), sla_text("en")
    assert (
        ind.money(10_000_000, "IDR") == "Rp 10.000.000" and eng.money(10_000_000, "IDR") == "IDR 10,000,000"
    )
    assert ind.pct(0.952) == "95,2 %" and eng.pct(0.952) == "95.2 %"
    assert ind.goal(0.995) == "99,5 %" and eng.goal(0.95) == "95 %"
    assert ind.num(1234567.891, 2) == "1.234.567,89"
    assert ind.duration(124_800) == "1 hari 10 jam 40 mnt" and eng.duration(3600) == "1 h"
    assert ind.day(date(2027, 1, 1)) == "1 Januari 2027"
    assert (
        sla_text("en", timezone="Asia/Jakarta").time(pd.Timestamp("2026-02-04 02:31")) == "2026-02-04 09:31"
    )


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_indonesian_numbers_read_back(value, digits):
    text = sla_text("id").num(value, digits)
    back = float(text.replace(".", "").replace(",", "."))
    assert back == pytest.approx(round(value, digits), abs=10**-digits)
    assert text.count(",") == (1 if digits else 0)


def test_a_period_without_records_says_so_and_still_charts_the_past():
    report = build_sla_report(
        evaluated("kilat-gold", "2026-06"), history=evaluated("kilat-gold", "2026-06", history=True)
    )
    section = report.section("compliance")
    assert section.paragraphs == (MESSAGES["en"]["none_windows"],)
    assert column(report, "record_counts", "total") == [0, 0, 0, 0]
    assert column(report, "compliance", "compliance") == [None] * 4
    for chart in section.charts:  # the past (up to as_of, the end of March) is drawn; June is a gap
        assert chart.labels[:3] == ("2026-01", "2026-02", "2026-03") and chart.labels[-1] == "2026-06"
        assert chart.current == frozenset({"2026-06"}) and set(chart.values[3:]) == {None}
        assert None not in chart.values[:3]
    assert report.section("credits").paragraphs == (MESSAGES["en"]["none_credits"],)
    assert report.review.next == date(2026, 7, 1)


def test_a_capped_tier_says_so():
    gold = agreement("kilat-gold")
    penalties = tuple(
        dataclasses.replace(p, cap=0.03) if p.objective == "on-time" else p for p in gold.penalties
    )
    capped = dataclasses.replace(gold, penalties=penalties)
    streams = {s: read_table(EXAMPLES / f"{s}.csv") for s in capped.streams}
    result = evaluate(capped, streams, period=PERIOD, as_of=AS_OF)
    row = next(c for c in result.to_dict()["credits"] if c["kind"] == "tier")
    assert row["capped"] is True and row["credit_percent"] == 0.03
    report = build_sla_report(result, lang="id")
    assert column(report, "credits", "tier")[0] == "di bawah 95 % → 5 %, dibatasi 3 %"
    assert column(report, "credits", "credit_percent")[0] == 0.03
