"""The monthly SLA report as format-neutral content: sections of tables and charts built from a Compliance.

:func:`build_sla_report` turns an evaluated agreement (:class:`~ukur.sla.Compliance` for the report's
period, and optionally a second evaluation over a longer span for the charts) into an :class:`SLAReport`
that HTML, XLSX and PDF render alike. Nothing is computed here beyond selecting rows, counting excluded
records and the next review date: every number in a table is a value of the Compliance frames, kept raw
(fractions, seconds, amounts, naive UTC instants); each column says how to write it (:data:`KINDS`), and
the renderers format it per language with :class:`~ukur.report.sla_messages.SLAText`.

Sections, in order (``SLAReport.sections``): ``agreement``, ``compliance`` (with one chart per objective
of its last 12 windows), ``breaches``, ``exclusions``, ``credits``, ``claims``, ``review``, ``notes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ukur.report.sla_messages import SLAText, sla_text
from ukur.sla import Agreement, Compliance, Objective, ObjectiveKind, Party, Period

__all__ = [
    "KINDS",
    "SECTIONS",
    "ChartSeries",
    "Column",
    "ReportTable",
    "Review",
    "SLAReport",
    "Section",
    "build_sla_report",
    "cell_text",
    "history_period",
    "next_review",
]

KINDS = ("text", "int", "pct", "goal", "money", "time", "date", "duration", "bool")
"""How a column is written: plain text, a count, a fraction as percent, a goal, an amount in the
agreement's currency, an instant (local time), a date, seconds as a duration, yes/no."""

SECTIONS = ("agreement", "compliance", "breaches", "exclusions", "credits", "claims", "review", "notes")


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its key (the Compliance column it comes from, where there is one), label and kind."""

    key: str
    label: str
    kind: str = "text"


@dataclass(frozen=True)
class ReportTable:
    """A titled table of raw values; ``marks`` holds ``(row, column key)`` cells to highlight."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    marks: frozenset[tuple[int, str]] = frozenset()

    @property
    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame with the column keys as names."""
        return pd.DataFrame(list(self.rows), columns=[c.key for c in self.columns])


@dataclass(frozen=True)
class ChartSeries:
    """Compliance of one objective over its last windows (``None`` where no record was decided)."""

    objective: str
    title: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    goal: float
    current: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Section:
    """A report section: paragraphs, then charts, then tables."""

    key: str
    title: str
    tables: tuple[ReportTable, ...] = ()
    charts: tuple[ChartSeries, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SLAReport:
    """The whole report: heading facts, the DRAFT mark and the sections in :data:`SECTIONS` order."""

    text: SLAText
    agreement: Agreement
    title: str
    subtitle: str
    draft: bool
    currency: str | None
    total_owed: float
    review: Review
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def section(self, key: str) -> Section:
        """The section called ``key``."""
        return next(s for s in self.sections if s.key == key)


def _values(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[tuple[Any, ...], ...]:
    """Rows of plain values: NaN/NA/NaT become ``None``; instants stay ``pandas.Timestamp``."""
    if frame.empty:
        return ()
    parts = []
    for name in columns:
        col = frame[name].astype(object)
        parts.append(col.where(col.notna(), None).tolist())
    return tuple(tuple(_plain(v) for v in row) for row in zip(*parts, strict=True))


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _target_text(objective: Objective) -> str:
    if objective.target is None:
        return "—"
    parts = [f"{key} {d.text}" if key is not None else d.text for key, d in objective.target.items()]
    return ", ".join(parts)


def _condition(text: SLAText, pairs: Sequence[tuple[str, Sequence[object]]], key: str = "cond") -> str:
    """``damaged is not false`` (a failed ``good_when``) or ``cause is flood / earthquake`` (``when``)."""
    return "; ".join(
        text.t(key, field=f, values=" / ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in vs))
        for f, vs in pairs
    )


@dataclass(frozen=True, slots=True)
class Review:
    """The review cycle (``month``/``quarter``/``half-year``/``year``), its anchor date and the next review.

    ``at_end`` means the next cycle date falls after the agreement ends, so ``next`` is its last day.
    """

    every: str | None
    anchor: date | None
    next: date | None
    at_end: bool = False


_CYCLE_MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}


def next_review(agreement: Agreement, after: date) -> Review:
    """The first review date on or after ``after``: the effective start (else the last signature) plus a
    whole number of cycles; the last effective day when that date falls after the agreement ends."""
    every = agreement.review_every
    signed = [s.signed_at for s in agreement.signatures if s.signed_at is not None]
    anchor = agreement.effective_from or (max(signed) if signed else None)
    if every is None or anchor is None:
        return Review(every, anchor, None)
    step = _CYCLE_MONTHS[every]
    months = (after.year - anchor.year) * 12 + after.month - anchor.month
    k = max(1, -(-months // step))
    candidate = (pd.Timestamp(anchor) + pd.DateOffset(months=k * step)).date()
    if candidate < after:
        candidate = (pd.Timestamp(anchor) + pd.DateOffset(months=(k + 1) * step)).date()
    end = agreement.effective_to
    if end is not None and candidate > end:
        return Review(every, anchor, end, at_end=True)
    return Review(every, anchor, candidate)


def history_period(agreement: Agreement, period: Period, windows: int = 12) -> Period:
    """The span of the last ``windows`` windows of every objective, ending where ``period`` ends.

    Calendar windows step back by their unit (12 months, 12 quarters, …) from the local end of the period;
    the earliest start over the objectives wins. A rolling window is one span and adds nothing.
    """
    tz = agreement.timezone
    local_end = period.end.tz_localize("UTC").tz_convert(tz).tz_localize(None)
    steps = {
        "day": pd.DateOffset(days=windows),
        "week": pd.DateOffset(weeks=windows),
        "month": pd.DateOffset(months=windows),
        "quarter": pd.DateOffset(months=3 * windows),
    }
    starts = [local_end - steps[o.window.unit] for o in agreement.objectives if o.window.unit in steps]
    local_start = min([*starts, period.start.tz_localize("UTC").tz_convert(tz).tz_localize(None)])
    start = local_start.tz_localize(tz).tz_convert("UTC").tz_localize(None)
    return Period(label=f"{windows} windows to {period.label}", start=start, end=period.end)


def _party(party: Party) -> str:
    return f"{party.name} ({party.contact})" if party.contact else party.name


def _agreement_section(c: Compliance, text: SLAText) -> Section:
    a = c.agreement
    t = text.t
    effective = f"{text.day(a.effective_from)} – {text.day(a.effective_to)}"
    fee = "—" if a.fee is None else f"{text.money(a.fee.amount, a.fee.currency)} {t('per_' + a.fee.per)}"
    summary = (
        (t("f_id"), a.id),
        (t("f_title"), a.title),
        (t("f_type"), a.type.value),
        (t("f_version"), str(a.version)),
        (t("f_provider"), _party(a.provider)),
        (t("f_customer"), _party(a.customer)),
        (t("f_parents"), " → ".join(a.parents) or "—"),
        (t("f_effective"), effective),
        (t("f_timezone"), a.timezone),
        (t("f_fee"), fee),
        (t("f_status"), t("signed") if a.signed else f"{t('draft')}: {t('unsigned')}"),
    )
    item = (Column("item", t("c_item")), Column("value", t("c_value")))
    services = tuple((s.id, s.description) for s in a.services)
    signatures = tuple((s.party, s.name, s.role, s.signed_at) for s in a.signatures)
    return Section(
        "agreement",
        t("sec_agreement"),
        tables=(
            ReportTable("summary", t("tab_summary"), item, summary),
            ReportTable(
                "services",
                t("tab_services"),
                (Column("id", t("c_service")), Column("description", t("c_description"))),
                services,
            ),
            ReportTable(
                "signatures",
                t("tab_signatures"),
                (
                    Column("party", t("c_party")),
                    Column("name", t("c_name")),
                    Column("role", t("c_role")),
                    Column("signed_at", t("c_signed_at"), "date"),
                ),
                signatures,
            ),
        ),
        paragraphs=(t("draft_note") if a.draft else t("signed_note"),),
    )


def _charts(c: Compliance, history: Compliance | None, text: SLAText, n: int) -> tuple[ChartSeries, ...]:
    """Per objective, the last ``n`` windows: the period's own windows (the values of the tables) after
    the earlier windows of ``history`` (which stops at ``as_of``, so a period still to come adds its own)."""
    columns = ["objective", "window", "start", "compliance"]
    past = (history if history is not None else c).windows[columns]
    if c.period is not None and len(past):
        past = past[past["start"] < c.period.end.to_datetime64()]
    current = c.windows[columns]
    seen = pd.MultiIndex.from_frame(current[["objective", "window"]])
    past = past[~pd.MultiIndex.from_frame(past[["objective", "window"]]).isin(seen)]
    windows = pd.concat([df for df in (past, current) if len(df)]) if len(past) or len(current) else current
    charts = []
    for objective in c.agreement.objectives:
        rows = windows[windows["objective"] == objective.id].sort_values("start", kind="stable").tail(n)
        if not len(rows):
            continue
        values = tuple(None if row[0] is None else float(row[0]) for row in _values(rows, ["compliance"]))
        mine = current.loc[current["objective"] == objective.id, "window"]
        charts.append(
            ChartSeries(
                objective=objective.id,
                title=text.t(
                    "fig_chart", objective=objective.id, n=len(rows), goal=text.goal(objective.goal)
                ),
                labels=tuple(str(w) for w in rows["window"]),
                values=values,
                goal=objective.goal,
                current=frozenset(str(w) for w in mine),
            )
        )
    return tuple(charts)


def _compliance_section(c: Compliance, history: Compliance | None, text: SLAText, n: int) -> Section:
    t = text.t
    w = c.windows
    targets = {o.id: _target_text(o) for o in c.agreement.objectives}
    kinds = {k: t(f"kind_{k}") for k in ("duration", "ratio", "availability")}
    frame = w.assign(target=w["objective"].map(targets), kind_text=w["kind"].map(kinds))
    main_cols = (
        Column("objective", t("c_objective")), Column("kind_text", t("c_kind")), Column("window", t("c_window")),
        Column("target", t("c_target")), Column("compliance", t("c_compliance"), "pct"),
        Column("goal", t("c_goal"), "goal"), Column("ok", t("c_ok"), "bool"),
        Column("budget_remaining", t("c_budget"), "pct"), Column("credit", t("c_credit"), "money"),
    )  # fmt: skip
    rows = _values(frame, [col.key for col in main_cols])
    marks = frozenset((i, "compliance") for i, ok in enumerate(_values(frame, ["ok"])) if ok[0] is False)
    count_cols = (Column("objective", t("c_objective")), Column("window", t("c_window")),
                  *(Column(k, t(f"c_{k}"), "int") for k in ("total", "met", "breached", "at_risk", "open",
                                                             "excluded", "invalid")))  # fmt: skip
    label = c.period.label if c.period is not None else t("period_all")
    return Section(
        "compliance",
        t("sec_compliance"),
        tables=(
            ReportTable("compliance", t("tab_compliance", period=label), main_cols, rows, marks),
            ReportTable(
                "record_counts", t("c_total"), count_cols, _values(w, [col.key for col in count_cols])
            ),
        ),
        charts=_charts(c, history, text, n),
        paragraphs=() if int(w["total"].sum()) else (t("none_windows"),),
    )


def _reason(text: SLAText, objective: Objective, row: dict[str, Any]) -> str:
    if objective.kind is ObjectiveKind.RATIO:
        return text.t("why_ratio", condition=_condition(text, objective.good_when))
    if objective.kind is ObjectiveKind.AVAILABILITY:
        return text.t("why_down", counted=text.duration(row["counted_seconds"]))
    counted, target = row["counted_seconds"], row["target_seconds"]
    if row["stop"] is None:
        return text.t("why_open", deadline=text.time(row["deadline"]), counted=text.duration(counted))
    over = None if counted is None or target is None else counted - target
    return text.t(
        "why_duration", counted=text.duration(counted), target=text.duration(target), over=text.duration(over)
    )


def _breaches_section(c: Compliance, text: SLAText) -> Section:
    t = text.t
    r = c.records
    keys = ["objective", "id", "window", "start", "stop", "counted_seconds", "target_seconds", "deadline",
            "compensation"]  # fmt: skip
    breached = r[r["status"] == "breached"]
    objectives = {o.id: o for o in c.agreement.objectives}
    rows = []
    for values in _values(breached, keys):
        row = dict(zip(keys, values, strict=True))
        reason = _reason(text, objectives[row["objective"]], row)
        rows.append((row["objective"], row["id"], row["window"], row["start"], row["stop"],
                     row["counted_seconds"], reason, row["compensation"]))  # fmt: skip
    cols = (
        Column("objective", t("c_objective")), Column("id", t("c_record")), Column("window", t("c_window")),
        Column("start", t("c_start"), "time"), Column("stop", t("c_stop"), "time"),
        Column("counted_seconds", t("c_counted"), "duration"), Column("reason", t("c_reason")),
        Column("compensation", t("c_compensation"), "money"),
    )  # fmt: skip
    invalid = r[r["status"] == "invalid"]
    inv_cols = (
        Column("objective", t("c_objective")),
        Column("id", t("c_record")),
        Column("reason", t("c_reason")),
    )
    tables = [ReportTable("breaches", t("tab_breaches"), cols, tuple(rows))]
    if len(invalid):
        tables.append(
            ReportTable("invalid", t("tab_invalid"), inv_cols, _values(invalid, [x.key for x in inv_cols]))
        )
    return Section(
        "breaches", t("sec_breaches"), tables=tuple(tables), paragraphs=() if rows else (t("none_breached"),)
    )


def _exclusions_section(c: Compliance, text: SLAText) -> Section:
    t = text.t
    r = c.records
    excluded = r[r["status"] == "excluded"]
    rows = []
    for e in c.agreement.exclusions:
        hit = excluded[excluded["exclusion"] == e.id]
        per = hit.groupby("objective", sort=False).size()
        rules = []
        if e.windows:
            spans = ", ".join(f"{text.time(w.start)} – {text.time(w.stop)}" for w in e.windows)
            rules.append(t("rule_windows", windows=spans))
        if e.when:
            rules.append(t("rule_when", conditions=_condition(text, e.when, "cond_is")))
        affected = ", ".join(f"{o} ({k})" for o, k in per.items()) or "—"
        distinct = int(hit[["stream", "id"]].drop_duplicates().shape[0])
        rows.append((e.id, e.description, "; ".join(rules), ", ".join(e.objectives) or t("all_objectives"),
                     affected, distinct))  # fmt: skip
    cols = (
        Column("exclusion", t("c_exclusion")), Column("description", t("c_description")),
        Column("rule", t("c_rule")), Column("applies_to", t("c_objective")),
        Column("affected", t("c_objectives")), Column("records_excluded", t("c_records_excluded"), "int"),
    )  # fmt: skip
    clipped = r[(r["status"] != "excluded") & (r["excluded_seconds"].fillna(0.0) > 0)]
    paragraphs = []
    if len(clipped):
        seconds = float(clipped["excluded_seconds"].sum())
        paragraphs.append(t("window_time", time=text.duration(seconds), n=len(clipped)))
    if not len(excluded) and not len(clipped):
        paragraphs.append(t("none_excluded"))
    return Section(
        "exclusions", t("sec_exclusions"), tables=(ReportTable("exclusions", t("tab_exclusions"), cols, tuple(rows)),),
        paragraphs=tuple(paragraphs),
    )  # fmt: skip


def _credits_section(c: Compliance, text: SLAText, currency: str | None) -> Section:
    t = text.t
    frame = c.credits
    caps = {p.objective: p.cap for p in c.agreement.penalties if p.credits}
    tiers = []
    for objective, below, credit, capped in _values(
        frame, ["objective", "tier_below", "tier_credit", "capped"]
    ):
        tier = None if below is None else t("tier_text", below=text.goal(below), credit=text.goal(credit))
        if tier is not None and capped:
            tier = t("tier_capped", tier=tier, cap=text.goal(caps.get(objective)))
        tiers.append(tier)
    kinds = [t(f"kind_{k}") for k in frame["kind"]] if len(frame) else []
    frame = frame.assign(
        tier=pd.Series(tiers, index=frame.index, dtype=object),
        kind_text=pd.Series(kinds, index=frame.index, dtype=object),
    )
    cols = (
        Column("objective", t("c_objective")), Column("window", t("c_window")), Column("kind_text", t("c_kind")),
        Column("compliance", t("c_compliance"), "pct"), Column("tier", t("c_tier")),
        Column("credit_percent", t("c_credit_percent"), "goal"), Column("records", t("c_records"), "int"), Column("fee", t("c_fee"), "money"),
        Column("amount", t("c_amount"), "money"), Column("final", t("c_final"), "bool"),
    )  # fmt: skip
    rows = _values(frame, [col.key for col in cols])
    paragraph = t("total_owed", amount=text.money(c.total_credit, currency)) if rows else t("none_credits")
    return Section(
        "credits", t("sec_credits"), tables=(ReportTable("credits", t("tab_credits"), cols, rows),),
        paragraphs=(paragraph,),
    )  # fmt: skip


def _claims_section(c: Compliance, text: SLAText) -> Section:
    t = text.t
    wcols = (Column("window", t("c_window")),
             *(Column(k, t(f"c_{k}"), "int") for k in ("total", "filed_late", "on_time", "late", "open",
                                                        "overdue", "invalid")),
             Column("compliance", t("c_compliance"), "pct"))  # fmt: skip
    claims = c.claims
    responses = [t(f"resp_{r}") for r in claims["response"].astype(str)] if len(claims) else []
    claims = claims.assign(response_text=responses)
    ccols = (
        Column("id", t("c_claim")), Column("record_id", t("c_record")), Column("type", t("c_claim_type")),
        Column("amount", t("c_claim_amount"), "money"), Column("filed_at", t("c_filed_at"), "time"),
        Column("filed_in_time", t("c_filed_in_time"), "bool"),
        Column("respond_deadline", t("c_respond_deadline"), "time"),
        Column("responded_at", t("c_responded_at"), "time"), Column("response_text", t("c_response")),
        Column("reason", t("c_reason")),
    )  # fmt: skip
    rows = _values(claims, [col.key for col in ccols])
    return Section(
        "claims",
        t("sec_claims"),
        tables=(
            ReportTable(
                "claims_windows",
                t("tab_claims_windows"),
                wcols,
                _values(c.claims_windows, [col.key for col in wcols]),
            ),
            ReportTable("claims", t("tab_claims"), ccols, rows),
        ),
        paragraphs=() if rows else (t("none_claims"),),
    )


def _review_section(review: Review, text: SLAText) -> Section:
    t = text.t
    if review.every is None:
        return Section("review", t("sec_review"), paragraphs=(t("review_none"),))
    reason = (
        t("review_reason_end")
        if review.at_end
        else t("review_reason_cycle", every=t(f"every_{review.every}"), start=text.day(review.anchor))
    )
    every = t(f"every_{review.every}")
    rows: tuple[tuple[Any, ...], ...] = (
        (t("review_every"), None, every),
        (t("review_end") if review.at_end else t("review_next"), review.next, reason),
    )
    cols = (
        Column("item", t("c_item")),
        Column("date", t("c_value"), "date"),
        Column("reason", t("c_reason")),
    )
    return Section("review", t("sec_review"), tables=(ReportTable("review", t("tab_review"), cols, rows),))


def _notes_section(c: Compliance, text: SLAText) -> Section:
    lines = [
        f"{text.t('error')}: {e.get('stream') or ''} {e['message']}".replace("  ", " ") for e in c.errors
    ]
    lines += [f"{text.t('note')}: {n}" for n in c.notes]
    return Section("notes", text.t("sec_notes"), paragraphs=tuple(lines))


def build_sla_report(
    compliance: Compliance, *, history: Compliance | None = None, lang: str = "en", chart_windows: int = 12
) -> SLAReport:
    """The report of ``compliance`` (evaluated for one period) in ``lang`` (``en`` or ``id``).

    ``history`` is the same agreement evaluated over a longer span ending with the period (the CLI uses
    :func:`ukur.report.sla_review.history_period`); its last ``chart_windows`` windows per objective are
    charted. Without it the charts show the windows of ``compliance`` itself.
    """
    a = compliance.agreement
    text = sla_text(lang, timezone=a.timezone)
    reference = compliance.period.end if compliance.period is not None else compliance.as_of
    local_end = text.local(reference)
    assert local_end is not None
    review = next_review(a, local_end.date())
    currency = a.fee.currency if a.fee is not None else None
    label = compliance.period.label if compliance.period is not None else text.t("period_all")
    subtitle = " · ".join(
        (
            text.t("period", period=label) if compliance.period is not None else label,
            text.t("as_of", time=text.time(compliance.as_of), tz=a.timezone),
        )
    )
    sections = (
        _agreement_section(compliance, text),
        _compliance_section(compliance, history, text, chart_windows),
        _breaches_section(compliance, text),
        _exclusions_section(compliance, text),
        _credits_section(compliance, text, currency),
        _claims_section(compliance, text),
        _review_section(review, text),
        _notes_section(compliance, text),
    )
    return SLAReport(
        text=text,
        agreement=a,
        title=f"{text.t('title')}: {a.title}",
        subtitle=subtitle,
        draft=a.draft,
        currency=currency,
        total_owed=compliance.total_credit,
        review=review,
        sections=sections,
    )


def cell_text(report: SLAReport, column: Column, value: Any) -> str:
    """One cell as text in the report's language (see :data:`KINDS`)."""
    text = report.text
    if value is None:
        return "—"
    kind = column.kind
    if kind == "int":
        return text.num(value, 0)
    if kind == "pct":
        return text.pct(value, 2)
    if kind == "goal":
        return text.goal(value)
    if kind == "money":
        return text.money(value, report.currency)
    if kind == "time":
        return text.time(value)
    if kind == "date":
        return text.day(value if isinstance(value, date) else pd.Timestamp(value).date())
    if kind == "duration":
        return text.duration(value)
    if kind == "bool":
        return text.yes_no(value)
    return str(value)
