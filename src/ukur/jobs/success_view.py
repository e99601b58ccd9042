"""The success page's figures, computed once per agreement, viewer scope and language, then cached.

:func:`ukur.store.feedback.success_for` (one SLA evaluation per customer and two bootstraps) takes
seconds on the demo; the page and ``/api/v1/agreements/{id}/success`` read its result from
:mod:`ukur.store.evaluation_cache` instead.  The cache key holds the viewer's organisation *scope*
(``provider``, or ``org:N`` for a customer, whose figures come from its own feedback only), the data
revision (the agreement's version and parents, its streams, claims and the feedback answers that scope
may see: count and newest id) and the variant (page or API, language, seed), so a customer's cached
figures are never served to another customer or to the provider's staff.

What is cached is the *view*: plain JSON (the page's charts as SVG text, its tables as rows, the written
results in the page's language; the API's document).  The ``success.view`` job computes it in the
background with progress (the page polls through ``data-job``, see ``static/ukur.js``); small streams
are computed inline by the page.
"""

from __future__ import annotations

import math
from datetime import datetime
from html import escape
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ukur.jobs.base import JobRegistry, Progress
from ukur.jobs.evaluation_refresh import viewer_of
from ukur.report.sla_chart import compliance_svg
from ukur.report.sla_messages import sla_text
from ukur.report.sla_report import ChartSeries
from ukur.report.success_written import QUESTION, written
from ukur.store import evaluation_cache
from ukur.store import feedback as feedback_store
from ukur.store.access import Viewer
from ukur.store.agreements import get_agreement
from ukur.store.engine import SessionFactory, transaction
from ukur.store.models_cache import CachedResult
from ukur.store.models_sla import Record, RecordStream
from ukur.success import ComplaintTargets, Success, nps_score

__all__ = [
    "KIND",
    "MONTHS",
    "OPTIONS",
    "SAMPLES",
    "SUCCESS",
    "SuccessPlan",
    "api_document",
    "build_view",
    "compliance_series",
    "compute_and_store",
    "plain",
    "register_success_view",
    "satisfaction_trend",
    "success_plan",
    "trend_svg",
]

KIND = "success.view"
SUCCESS = "success"
"""The cache kind of success views."""
COMPLAINTS_STREAM = "complaints"
"""The owner's stream of complaints, which the success analysis also reads."""
SAMPLES = 500
"""Bootstrap resamples on the page and in the API (the CLI's default is 2000; 500 keeps a page quick)."""
MONTHS = 12
_W, _H, _L, _R, _T, _B = 680, 200, 58, 12, 22, 26


def compliance_series(s: Success) -> list[ChartSeries]:
    """Per objective, compliance of the last :data:`MONTHS` windows with every customer's records pooled:
    ``Σ met / Σ (met + breached)`` per window (None where nothing was decided)."""
    frames = [c.compliance.windows for c in s.evaluated if len(c.compliance.windows)]
    if not frames:
        return []
    windows = pd.concat(frames, ignore_index=True)
    pooled = windows.groupby(["objective", "window"], sort=False).agg(
        start=("start", "min"), met=("met", "sum"), breached=("breached", "sum")
    )
    pooled = pooled.reset_index().sort_values("start", kind="stable")
    decided = (pooled["met"] + pooled["breached"]).to_numpy(dtype=float)
    share = np.divide(
        pooled["met"].to_numpy(dtype=float), decided, out=np.full(len(pooled), np.nan), where=decided > 0
    )
    pooled["compliance"] = share
    out = []
    for objective in s.agreements[0].objectives:
        rows = pooled[pooled["objective"] == objective.id].tail(MONTHS)
        if len(rows):
            values = tuple(None if not math.isfinite(v) else float(v) for v in rows["compliance"])
            labels = tuple(str(w) for w in rows["window"])
            out.append(ChartSeries(objective.id, objective.id, labels, values, objective.goal))
    return out


def satisfaction_trend(s: Success) -> pd.DataFrame:
    """Per month of submission: answers, mean CSAT and NPS (``100 · (share 9–10 − share 0–6)``)."""
    fb = s.feedback[s.feedback["submitted_at"].notna()]
    if fb.empty:
        return pd.DataFrame(columns=["month", "answers", "csat", "nps"])
    month = pd.to_datetime(fb["submitted_at"]).dt.to_period("M").astype(str)
    grouped = fb.assign(month=month).groupby("month", sort=True)
    trend = pd.DataFrame(
        {
            "answers": grouped.size(),
            "csat": grouped["csat"].mean(),
            "nps": grouped["nps"].agg(nps_score),
        }
    ).reset_index()
    return trend.tail(MONTHS).reset_index(drop=True)


def trend_svg(
    labels: list[str], values: list[float], low: float, high: float, title: str, digits: int
) -> str:
    """A line chart of ``values`` on a fixed ``[low, high]`` axis as an ``<svg>`` (gaps for NaN)."""
    n = max(len(labels), 1)
    slot = (_W - _L - _R) / n

    def x(i: int) -> float:
        return _L + (i + 0.5) * slot

    def y(v: float) -> float:
        return _T + (high - v) / (high - low) * (_H - _T - _B)

    parts = [
        f'<svg class="trend" viewBox="0 0 {_W} {_H}" role="img" aria-label="{escape(title)}">',
        f'<text x="{_L}" y="14" font-size="12">{escape(title)}</text>',
    ]
    for tick in np.linspace(low, high, 5):
        parts.append(
            f'<line x1="{_L}" x2="{_W - _R}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#d9d9d9"/>'
            f'<text x="{_L - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end">{tick:.{digits}f}</text>'
        )
    segment: list[str] = []
    for i, v in enumerate(values):
        if math.isfinite(v):
            segment.append(f"{x(i):.1f},{y(v):.1f}")
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="#2c5d8f"/>')
        elif segment:
            parts.append(
                f'<polyline fill="none" stroke="#2c5d8f" stroke-width="2" points="{" ".join(segment)}"/>'
            )
            segment = []
    if segment:
        parts.append(
            f'<polyline fill="none" stroke="#2c5d8f" stroke-width="2" points="{" ".join(segment)}"/>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{_H - 8}" font-size="10" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def plain(value: Any) -> Any:
    """``value`` as strict JSON: NumPy scalars → Python, NaN/inf/NA → ``None``, instants → ISO text."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, pd.Timestamp | datetime):
        return None if pd.isna(value) else value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [plain({str(k): v for k, v in row.items()}) for row in frame.to_dict("records")]


def build_view(s: Success, lang: str) -> dict[str, Any]:
    """Everything ``success.html`` shows of the analysis, as plain JSON (charts as SVG text)."""
    text = sla_text(lang, timezone=s.agreements[0].timezone)
    trend = satisfaction_trend(s)
    labels = trend["month"].tolist()
    risky = s.at_risk.customers[s.at_risk.customers["at_risk"]]
    return {
        "question": QUESTION[lang],
        "paragraphs": written(s, lang)[1:],
        "charts": [compliance_svg(series, text) for series in compliance_series(s)],
        "csat_chart": trend_svg(labels, trend["csat"].astype(float).tolist(), 1, 5, "CSAT (1–5)", 0),
        "nps_chart": trend_svg(labels, trend["nps"].astype(float).tolist(), -100, 100, "NPS (−100…100)", 0),
        "trend": _rows(trend),
        "groups": _rows(s.split.groups),
        "difference": _rows(s.split.difference),
        "confidence": plain(s.split.confidence),
        "complaints": _rows(s.complaints.summary) if s.complaints is not None else [],
        "retention": _rows(s.retention.periods.tail(MONTHS)),
        "risky": _rows(risky),
        "customers": _rows(s.experience.reset_index()),
        "notes": list(s.notes),
        "complaints_calendar": plain(getattr(s.complaints, "calendar", None)),
        "at_risk_rule": s.at_risk.rule.describe(lang),
        "at_risk_recent": plain(list(s.at_risk.recent)),
        "at_risk_before": plain(list(s.at_risk.before)),
    }


def api_document(s: Success, lang: str) -> dict[str, Any]:
    """The API's success JSON: ``ukur sla success --format json`` plus the question and written results."""
    return plain({"question": QUESTION[lang], **s.to_dict(), "written": written(s, lang)})


OPTIONS: dict[str, Any] = {
    "view": "page",
    "lang": "en",
    "seed": 0,
    "acknowledge_within": "",
    "resolve_within": "",
}
"""What a success view is computed for: the page or the API, language, seed, complaint targets."""


class SuccessPlan:
    """The cache key of one viewer scope's success view (``options``: see :data:`OPTIONS`)."""

    def __init__(self, session: Session, viewer: Viewer, agreement_id: int, options: dict[str, Any]) -> None:
        self.options = {k: options.get(k) or default for k, default in OPTIONS.items()}
        variant = ":".join(str(self.options[k]) for k in OPTIONS)
        self.agreement = get_agreement(session, viewer, agreement_id)
        version = evaluation_cache.loaded_version(session, self.agreement)
        owner = self.agreement.customer_org_id or self.agreement.provider_org_id
        self.owner_org_id = owner
        self.streams = list(version.agreement.streams)
        self.scope = evaluation_cache.scope_of(viewer)
        self.variant = variant
        self.key = evaluation_cache.cache_key(
            {
                "kind": SUCCESS,
                "agreement": self.agreement.id,
                "version": version.version_key,
                "streams": evaluation_cache.streams_revision(
                    session, owner, [*version.agreement.streams, COMPLAINTS_STREAM]
                ),
                "claims": evaluation_cache.claims_revision(session, self.agreement.id),
                "feedback": evaluation_cache.feedback_revision(session, viewer, self.agreement.id),
                "scope": self.scope,
                "variant": variant,
                "samples": SAMPLES,
            }
        )

    def record_count(self, session: Session) -> int:
        """How many records the agreement's streams hold (decides inline or background computation)."""
        return (
            session.scalar(
                select(func.count(Record.id))
                .join(RecordStream, RecordStream.id == Record.stream_id)
                .where(RecordStream.organisation_id == self.owner_org_id, RecordStream.name.in_(self.streams))
            )
            or 0
        )

    def older(self, session: Session) -> CachedResult | None:
        """The newest cached view of this agreement, scope and variant, whatever its key (maybe stale)."""
        return evaluation_cache.latest(session, self.agreement.id, SUCCESS, self.scope, self.variant)

    def fresh(self, session: Session, max_age: float) -> CachedResult | None:
        """The cached view under this key, if computed less than ``max_age`` seconds ago."""
        row = evaluation_cache.lookup(session, self.key)
        return row if row is not None and evaluation_cache.is_fresh(row, max_age) else None


def success_plan(session: Session, viewer: Viewer, agreement_id: int, **options: Any) -> SuccessPlan:
    """The plan (and visibility check) of one view: ``view`` (``page`` or ``api``), ``lang``, ``seed``,
    ``acknowledge_within``, ``resolve_within``."""
    return SuccessPlan(session, viewer, agreement_id, options)


def compute_and_store(
    session: Session, viewer: Viewer, plan: SuccessPlan, *, progress: Progress | None = None
) -> tuple[dict[str, Any], datetime]:
    """Run the success analysis for ``viewer`` now, build the plan's view and cache it."""
    options = plan.options
    extra: dict[str, Any] = {}
    if options["acknowledge_within"] or options["resolve_within"]:
        extra["targets"] = ComplaintTargets(
            "", options["acknowledge_within"] or None, options["resolve_within"] or None
        )
    if progress is not None:
        progress(0.1, "evaluating every customer")
    s = feedback_store.success_for(
        session, viewer, plan.agreement.id, samples=SAMPLES, seed=int(options["seed"]), **extra
    )
    if progress is not None:
        progress(0.9, "writing the results")
    lang = str(options["lang"])
    view = build_view(s, lang) if options["view"] == "page" else api_document(s, lang)
    stored = evaluation_cache.store(
        session,
        agreement_id=plan.agreement.id,
        kind=SUCCESS,
        scope=plan.scope,
        variant=plan.variant,
        key=plan.key,
        result=view,
    )
    return view, stored


def register_success_view(registry: JobRegistry, sessions: SessionFactory) -> None:
    """Register the ``success.view`` job (payload ``{"agreement_id", "user_id"}`` and the plan's options)."""

    def run(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
        with transaction(sessions) as session:
            viewer = viewer_of(session, payload.get("user_id"))
            options = {k: payload.get(k) for k in OPTIONS}
            plan = success_plan(session, viewer, int(payload["agreement_id"]), **options)
            _, stored = compute_and_store(session, viewer, plan, progress=progress)
        progress(1.0, "done")
        return {"agreement_id": plan.agreement.id, "computed_at": stored.isoformat()}

    registry.register(KIND, run)
