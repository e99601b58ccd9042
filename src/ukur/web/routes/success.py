"""Did the SLA work? The success page per agreement and its JSON (``/api/v1/agreements/{id}/success``).

The page shows, from :func:`ukur.store.feedback.success_for` (the success analysis on the stored records,
claims and the feedback the viewer may see): the compliance trend of each objective (all customers of
the agreement pooled per window, drawn by :func:`ukur.report.sla_chart.compliance_svg`) beside the monthly
CSAT and NPS trend, satisfaction after met against breached records with the difference and its
intervals, complaints handled in time, retention, customers at risk, the newest answers and the written
results of :func:`ukur.report.success_written.written`.  The provider's staff see every customer of the
agreement; a customer sees only agreements of its own organisation and only its own feedback (anything
else is a 404, in the page and the API alike).
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

import numpy as np
import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ukur.errors import UkurError
from ukur.report.sla_chart import compliance_svg
from ukur.report.sla_messages import sla_text
from ukur.report.sla_report import ChartSeries
from ukur.report.success_written import QUESTION, written
from ukur.store import agreements
from ukur.store import feedback as store
from ukur.success import Success, nps_score
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, language, render
from ukur.web.routes.api import ERRORS

__all__ = ["api_router", "router", "trend_svg"]

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])
api_router = APIRouter(prefix="/api/v1", dependencies=[CsrfProtected], responses=ERRORS, tags=["success"])

SAMPLES = 500
"""Bootstrap resamples on the page and in the API (the CLI's default is 2000; 500 keeps a page quick)."""
MONTHS = 12
RECENT_ANSWERS = 20
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


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


@router.get("/success")
def success_list(request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
    """The agreements whose success page the viewer may open."""
    return render(request, "success_list.html", agreements=agreements.list_agreements(db, viewer))


@router.get("/agreements/{agreement_id}/success")
def success_page(request: Request, agreement_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    lang = language(request)
    answers = store.list_answers(db, viewer, agreement_id)
    recent = list(reversed(answers[-RECENT_ANSWERS:]))
    try:
        s = store.success_for(db, viewer, agreement_id, samples=SAMPLES)
    except UkurError as exc:
        return render(request, "success.html", agreement=agreement, error=exc.message, recent=recent, s=None)
    text = sla_text(lang, timezone=s.agreements[0].timezone)
    charts = [compliance_svg(series, text) for series in compliance_series(s)]
    trend = satisfaction_trend(s)
    labels = trend["month"].tolist()
    csat_chart = trend_svg(labels, trend["csat"].astype(float).tolist(), 1, 5, "CSAT (1–5)", 0)
    nps_chart = trend_svg(labels, trend["nps"].astype(float).tolist(), -100, 100, "NPS (−100…100)", 0)
    risky = s.at_risk.customers[s.at_risk.customers["at_risk"]]
    return render(
        request,
        "success.html",
        agreement=agreement,
        error=None,
        s=s,
        question=QUESTION[lang],
        paragraphs=written(s, lang)[1:],
        charts=charts,
        csat_chart=csat_chart,
        nps_chart=nps_chart,
        trend=_records(trend),
        groups=_records(s.split.groups),
        difference=_records(s.split.difference),
        confidence=s.split.confidence,
        complaints=_records(s.complaints.summary) if s.complaints is not None else [],
        retention=_records(s.retention.periods.tail(MONTHS)),
        risky=_records(risky),
        customers=_records(s.experience.reset_index()),
        recent=recent,
        fmt=_fmt,
    )


def _fmt(value: Any, digits: int = 2) -> str:
    """A number for a table cell (blank for missing)."""
    if value is None:
        return ""
    if isinstance(value, float | np.floating):
        return "" if not math.isfinite(value) else f"{value:.{digits}f}"
    return str(value)


@api_router.get("/agreements/{agreement_id}/success")
def api_success(
    agreement_id: int,
    db: SessionDep,
    viewer: ViewerDep,
    lang: str = Query("en", pattern="^(en|id)$"),
    seed: int = Query(0, ge=0, description="seed of the bootstrap resampling (numpy takes no negative seed)"),
) -> dict[str, Any]:
    """The success figures: the JSON of ``ukur sla success --format json`` on the stored data and the
    feedback the caller may see (``question``, ``written`` in ``lang``)."""
    s = store.success_for(db, viewer, agreement_id, samples=SAMPLES, seed=seed)
    return {"question": QUESTION[lang], **s.to_dict(), "written": written(s, lang)}
