"""Did the SLA work? The success page per agreement and its JSON (``/api/v1/agreements/{id}/success``).

The page shows, from :func:`ukur.store.feedback.success_for` (the success analysis on the stored records,
claims and the feedback the viewer may see): the compliance trend of each objective (all customers of
the agreement pooled per window, drawn by :func:`ukur.report.sla_chart.compliance_svg`) beside the monthly
CSAT and NPS trend, satisfaction after met against breached records with the difference and its
intervals, complaints handled in time, retention, customers at risk, the newest answers and the written
results of :func:`ukur.report.success_written.written`.  The provider's staff see every customer of the
agreement; a customer sees only agreements of its own organisation and only its own feedback (anything
else is a 404, in the page and the API alike).

The figures come from :mod:`ukur.jobs.success_view`: cached per agreement, viewer scope and language
(``UKUR_EVALUATION_MAX_AGE``); when none is fresh, agreements with at most :data:`INLINE_RECORDS` records
are computed in the request, larger ones by the ``success.view`` job while the page shows the last
figures (or a progress note) and reloads when the job ends (``data-job``, ``static/ukur.js``).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ukur.errors import UkurError
from ukur.jobs.evaluation_refresh import recent_failure, start_once
from ukur.jobs.success_view import KIND, SAMPLES, compute_and_store, success_plan, trend_svg
from ukur.store import agreements, feedback
from ukur.store.models_feedback import FeedbackAnswer
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, language, render, state
from ukur.web.routes.api import ERRORS

__all__ = ["INLINE_RECORDS", "SAMPLES", "api_router", "router", "trend_svg"]

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])
api_router = APIRouter(prefix="/api/v1", dependencies=[CsrfProtected], responses=ERRORS, tags=["success"])

RECENT_ANSWERS = 20
INLINE_RECORDS = 2_000
"""Agreements with more records than this get their success figures from a background job."""


@router.get("/success")
def success_list(request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
    """The agreements whose success page the viewer may open."""
    return render(request, "success_list.html", agreements=agreements.list_agreements(db, viewer))


@router.get("/agreements/{agreement_id}/success")
def success_page(request: Request, agreement_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    lang = language(request)
    recent = recent_answers(db, viewer, agreement_id)
    settings = state(request).settings
    context: dict[str, Any] = {"agreement": agreement, "recent": recent, "fmt": _fmt, "job_id": None}
    targets = {
        k: request.query_params.get(k, "").strip()[:50] for k in ("acknowledge_within", "resolve_within")
    }
    view: dict[str, Any] | None
    computed_at: datetime | None
    try:
        plan = success_plan(db, viewer, agreement_id, view="page", lang=lang, **targets)
        row = plan.fresh(db, settings.evaluation_max_age)
        if row is not None:
            view, computed_at = row.result, row.computed_at
        elif plan.record_count(db) <= INLINE_RECORDS:
            view, computed_at = compute_and_store(db, viewer, plan)
        else:
            # the key: a failure is shown until the data, version or options change, then retried
            match = {"agreement_id": agreement_id, "user_id": viewer.user_id, "key": plan.key, **plan.options}
            failed = recent_failure(db, KIND, match, settings.evaluation_max_age)
            if failed is not None:
                raise UkurError(str(failed.get("message") or "the computation failed"))
            context["job_id"] = start_once(state(request).queue, db, KIND, match, match, viewer.user_id)
            older = plan.older(db)
            view, computed_at = (older.result, older.computed_at) if older is not None else (None, None)
    except UkurError as exc:
        db.rollback()
        return render(request, "success.html", error=exc.message, s=None, computed_at=None, **context)
    return render(
        request, "success.html", error=None, s=view, computed_at=computed_at, **(view or {}), **context
    )


def recent_answers(db: SessionDep, viewer: ViewerDep, agreement_id: int) -> list[FeedbackAnswer]:
    """The newest :data:`RECENT_ANSWERS` answers the viewer may see about the (visible) agreement, newest
    first, without loading every answer (the demo's 5,369 took most of a cached page view)."""
    return feedback.list_answers(db, viewer, agreement_id, newest=RECENT_ANSWERS)


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
    request: Request,
    response: Response,
    db: SessionDep,
    viewer: ViewerDep,
    lang: str = Query("en", pattern="^(en|id)$"),
    seed: int = Query(0, ge=0, description="seed of the bootstrap resampling (numpy takes no negative seed)"),
    acknowledge_within: str = Query("", max_length=50, description="complaint target, e.g. 4h"),
    resolve_within: str = Query("", max_length=50, description="complaint target, e.g. 2 business days"),
) -> dict[str, Any]:
    """The success figures: the JSON of ``ukur sla success --format json`` on the stored data and the
    feedback the caller may see (``question``, ``written`` in ``lang``); cached per caller's organisation
    scope (header ``X-Ukur-Computed-At`` says when they were computed)."""
    plan = success_plan(
        db,
        viewer,
        agreement_id,
        view="api",
        lang=lang,
        seed=seed,
        acknowledge_within=acknowledge_within.strip(),
        resolve_within=resolve_within.strip(),
    )
    row = plan.fresh(db, state(request).settings.evaluation_max_age)
    if row is not None:
        document, computed_at = row.result, row.computed_at
    else:
        document, computed_at = compute_and_store(db, viewer, plan)
    response.headers["X-Ukur-Computed-At"] = computed_at.isoformat()
    return document
