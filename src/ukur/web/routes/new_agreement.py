"""The guided "new agreement" form on the ``ukur sla new`` templates, with targets suggested by history.

``GET /new-agreement?template=courier&type=customer&lang=id&customer_org_id=2`` shows the chosen template
(:func:`ukur.sla.template.render_template`) as a form: id and title, the parties, each service's
description, and each objective's goal and target(s).  Beside every duration target stands what the
history of its record stream (the chosen customer organisation's stored records) would suggest:
:func:`ukur.sla.suggest.suggest_target` on the records' elapsed (business) seconds at the objective's goal,
per key for targets by a field such as the service class; "no history" when there are no completed
records.  ``POST /new-agreement`` writes the values into the template's data and stores it through
:func:`ukur.store.agreements.upload_agreement` (validated by the SLA loader) as version 1, a draft.
Errors come back on the form and nothing is stored.  Provider staff only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import yaml
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ukur.errors import DataError, UkurError
from ukur.sla import Agreement as SlaAgreement
from ukur.sla.duration import parse_timestamps
from ukur.sla.load import load_agreement
from ukur.sla.suggest import suggest_target
from ukur.sla.template import LANGS, TEMPLATES, TYPES, render_template
from ukur.store import accounts, agreements
from ukur.store.access import ensure_can_edit_sla
from ukur.store.compliance import stream_frames
from ukur.store.errors import NotFoundError, PermissionDenied
from ukur.store.types import utcnow
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, flash, render

__all__ = ["router", "suggestions"]

router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])


def _template(name: str, kind: str, lang: str, today: date) -> tuple[str, dict[str, Any], SlaAgreement]:
    text = render_template(name, type=kind, lang=lang, effective_from=today)
    return text, yaml.safe_load(text), load_agreement(text, source=f"{name}.yaml")


def _targets(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per objective with a goal: its target(s) as written (``key`` None for a single target)."""
    rows = []
    for o in data.get("objectives") or []:
        target = o.get("target")
        keys: list[tuple[str | None, str]] = []
        if isinstance(target, dict):
            keys = [(str(k), str(v)) for k, v in target.items() if k != "by"]
        elif target is not None:
            keys = [(None, str(target))]
        rows.append({"id": o["id"], "records": o.get("records", ""), "goal": str(o.get("goal", "")), "entries": keys,
                     "by": target.get("by") if isinstance(target, dict) else None})  # fmt: skip
    return rows


def suggestions(
    agreement: SlaAgreement, frames: dict[str, pd.DataFrame]
) -> dict[tuple[str, str | None], dict[str, Any] | None]:
    """``(objective, key) -> suggestion`` (``None``: no history) for every duration target of ``agreement``.

    The elapsed time of each completed record is its open seconds from ``start`` to ``stop`` on the
    objective's calendar; records of a keyed target are split by the ``by`` field (``default``: the rest).
    """
    out: dict[tuple[str, str | None], dict[str, Any] | None] = {}
    for o in agreement.objectives:
        if o.target is None or o.start is None or o.stop is None:
            continue
        frame = frames.get(o.records)
        cal = agreement.calendar(o.calendar)
        elapsed = np.array([], dtype=float)
        by_values = None
        if frame is not None and o.start in frame.columns and o.stop in frame.columns:
            try:
                begin = parse_timestamps(frame[o.start], timezone=cal.timezone, field=o.start)
                end = parse_timestamps(frame[o.stop], timezone=cal.timezone, field=o.stop)
                elapsed = np.where(end < begin, np.nan, cal.open_seconds(begin, end))
            except DataError:
                elapsed = np.array([], dtype=float)
            if o.target.by is not None and o.target.by in frame.columns:
                by_values = frame[o.target.by].astype(str).to_numpy()
        named = [k for k, _ in o.target.values]
        for key, _duration in o.target.items():
            if by_values is None or len(elapsed) == 0:
                chosen = elapsed if key is None or o.target.by is None else np.array([], dtype=float)
            elif key is None:
                chosen = elapsed[~np.isin(by_values, named)]
            else:
                chosen = elapsed[by_values == key]
            out[(o.id, "default" if key is None and o.target.by else key)] = _suggest(
                chosen, o.goal, not cal.always
            )
    return out


def _suggest(elapsed: np.ndarray, goal: float, business: bool) -> dict[str, Any] | None:
    if not np.isfinite(elapsed).any():
        return None
    try:
        s = suggest_target(elapsed, goal=goal, samples=500, seed=0, business=business)
    except DataError:
        return None
    return {
        "target": s.suggested_text or "—",
        "safe": s.safe_text or "—",
        "compliance": f"{(s.suggested_compliance or 0.0):.1%}",
        "records": s.records,
    }


def _page(
    request: Request, db: SessionDep, choice: dict[str, str], *, status_code: int = 200, error: object = None,
    values: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    customers = accounts.list_organisations(db, "customer")
    context: dict[str, Any] = {"choice": choice, "templates": TEMPLATES, "types": TYPES, "langs": LANGS,
                               "customers": customers, "error": error, "values": values or {}, "form": None}  # fmt: skip
    if choice["template"]:
        try:
            _, data, loaded = _template(choice["template"], choice["type"], choice["lang"], utcnow().date())
        except UkurError as exc:
            context["error"] = exc
            return render(request, "new_agreement.html", status_code=400, **context)
        org = int(choice["customer_org_id"]) if choice["customer_org_id"].isdigit() else None
        frames = stream_frames(db, org, list(loaded.streams)) if org is not None else {}
        context["form"] = {
            "id": data.get("id", ""),
            "title": data.get("title", ""),
            "provider": (data.get("provider") or {}).get("name", ""),
            "customer": (data.get("customer") or {}).get("name", ""),
            "services": [(s["id"], s.get("description", "")) for s in data.get("services") or []],
            "targets": _targets(data),
            "suggestions": suggestions(loaded, frames),
        }
    return render(request, "new_agreement.html", status_code=status_code, **context)


def _choice(params: Any) -> dict[str, str]:
    return {
        "template": str(params.get("template", "")).strip(),
        "type": str(params.get("type", "customer")).strip() or "customer",
        "lang": str(params.get("lang", "id")).strip() or "id",
        "customer_org_id": str(params.get("customer_org_id", "")).strip(),
    }


@router.get("/new-agreement")
def new_agreement_form(request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
    ensure_can_edit_sla(viewer)
    return _page(request, db, _choice(request.query_params))


def fill(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The template's data with the form's values written in (only the fields the form shows)."""
    for key in ("id", "title"):
        if form.get(key, "").strip():
            data[key] = form[key].strip()
    for role in ("provider", "customer"):
        value = form.get(role, "").strip()
        if value and isinstance(data.get(role), dict):
            data[role]["name"] = value
    for i, service in enumerate(data.get("services") or []):
        value = form.get(f"service_{i}", "").strip()
        if value:
            service["description"] = value
    for o in data.get("objectives") or []:
        goal = form.get(f"goal_{o['id']}", "").strip()
        if goal:
            o["goal"] = goal
        target = o.get("target")
        if isinstance(target, dict):
            for key in [k for k in target if k != "by"]:
                value = form.get(f"target_{o['id']}_{key}", "").strip()
                if value:
                    target[key] = value
        elif target is not None:
            value = form.get(f"target_{o['id']}", "").strip()
            if value:
                o["target"] = value
    return data


@router.post("/new-agreement")
async def create_agreement(request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
    ensure_can_edit_sla(viewer)
    form = {k: str(v) for k, v in (await request.form()).items()}
    choice = _choice(form)
    try:
        if choice["template"] not in TEMPLATES:
            raise UkurError(
                f"unknown template {choice['template']!r} (choose from {', '.join(TEMPLATES)})",
                field="template",
            )
        _, data, _ = _template(choice["template"], choice["type"], choice["lang"], utcnow().date())
        text = yaml.safe_dump(fill(data, form), sort_keys=False, allow_unicode=True, width=100)
        org = int(choice["customer_org_id"]) if choice["customer_org_id"].isdigit() else None
        if agreements.parse_agreement_text(text).get("id") in {
            a.slug for a in agreements.list_agreements(db, viewer)
        }:
            raise UkurError(
                f"an agreement with id {data['id']!r} exists already: choose another id", field="id"
            )
        version = agreements.upload_agreement(
            db, viewer, text, customer_org_id=org, note=f"new from the {choice['template']} template",
            source=f"{choice['template']}.yaml",
        )  # fmt: skip
    except (NotFoundError, PermissionDenied):
        raise
    except UkurError as exc:
        db.rollback()
        return _page(request, db, choice, status_code=400, error=exc, values=form)
    flash(request, "newagr.created", slug=version.agreement.slug, number=version.number)
    return RedirectResponse(f"/agreements/{version.agreement_id}", status_code=303)
