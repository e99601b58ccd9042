"""Report downloads: a PLS run's report (HTML, XLSX, DOCX) and an agreement's monthly SLA report (HTML, XLSX, PDF).

Both are made while the request waits (the direct downloads) because neither repeats slow work; the
slowest formats can also be made by a background job (see "In the background" below):

* **PLS** — the run's model is estimated again on the run's own data set (one PLS estimation: 0.05 s for
  the demo study) and must reproduce the stored results JSON (within 1e-9), else the download is refused
  (409: the run was computed by another ukur version; run it again).  The bootstrap is *not* drawn again:
  its stored tables (``results["bootstrap"]``, exactly :meth:`BootstrapResult.to_dict`) are read back
  into a :class:`~ukur.pls.bootstrap.BootstrapResult` by :func:`bootstrap_from_dict`.  So every number in
  the report is the number of the run's JSON, and a 5000-sample report costs no more than a plain one.
  Measured on the demo study: HTML 0.5 s, XLSX 1.8 s, DOCX 4.6 s (rasterising the diagrams to PNG).
* **SLA** — the agreement's newest version is evaluated on the stored records for the period and, for the
  charts, over the last 12 windows (the same two evaluations as ``ukur sla report``), reading the
  records once.  Measured on the demo (three months, 1 028 shipments, 626 tickets): HTML 0.6 s, XLSX
  1.1 s, PDF 3.4 s (WeasyPrint's layout).

``?lang=id`` writes Bahasa Indonesia, default the page's language.  What the caller may not see answers
404 (another researcher's run, another organisation's agreement), exactly as the pages do.

**In the background.**  The heavy formats (DOCX, PDF: seconds of layout) can instead be made by a
``report.render`` job (:mod:`ukur.jobs.report_render`): ``POST`` the same URL with ``/job`` appended (form
fields ``lang``, ``profile`` or ``period``, ``as_of``; CSRF token as for every form).  The same checks
answer at once (404, 400), then the browser goes to ``/reports/jobs/{id}``, which shows the job's progress
and, when it is done, a link to ``/reports/jobs/{id}/download``.  The job renders with
:func:`render_report_file` — the functions the inline downloads use — under its owner's access rights, on
a thread of the server or on ``ukur worker``, and keeps the file in the job's result.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ukur.errors import ConvergenceWarning, DataError, UkurError
from ukur.io import parse_table
from ukur.jobs.base import JobStatus, Progress
from ukur.jobs.report_render import KIND as REPORT_JOB
from ukur.jobs.report_render import ReportFile, stored_file
from ukur.pls import Model, PLSResult, estimate
from ukur.pls.bootstrap import BootstrapOptions, BootstrapResult
from ukur.report.pls_render import MEDIA_TYPES as PLS_MEDIA_TYPES
from ukur.report.pls_render import render as render_pls
from ukur.report.pls_tables import build_report
from ukur.report.sla_html import render_html as render_sla_html
from ukur.report.sla_pdf import render_pdf as render_sla_pdf
from ukur.report.sla_report import SLAReport, build_sla_report, history_period
from ukur.report.sla_xlsx import render_xlsx as render_sla_xlsx
from ukur.sla import Compliance, evaluate, parse_period
from ukur.store import agreements, compliance, pls
from ukur.store import jobs as job_rows
from ukur.store.access import Viewer
from ukur.store.errors import ConflictError, NotFoundError
from ukur.store.models_pls import PlsRun
from ukur.survey.sample_size import inverse_square_root
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, language, render, require_roles, state
from ukur.web.i18n import LANGUAGES
from ukur.web.middleware import human_size

__all__ = [
    "SLA_MEDIA_TYPES",
    "bootstrap_from_dict",
    "pls_report_bytes",
    "pls_router",
    "render_report_file",
    "sla_report",
    "sla_router",
]

pls_router = APIRouter(
    include_in_schema=False, dependencies=[CsrfProtected, require_roles("researcher", "admin")]
)
sla_router = APIRouter(include_in_schema=False, dependencies=[CsrfProtected])

SLA_MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_SLA_RENDERERS: dict[str, Callable[[SLAReport], bytes]] = {
    "html": lambda report: render_sla_html(report).encode("utf-8"),
    "xlsx": render_sla_xlsx,
    "pdf": render_sla_pdf,
}
_INDEX = {
    "paths": ["from", "to"],
    "total_effects": ["from", "to"],
    "total_indirect": ["from", "to"],
    "f2": ["from", "to"],
    "htmt": ["from", "to"],
    "r2": ["construct"],
}
_STATS = ("original", "mean", "std", "t", "p", "ci_low", "ci_high", "bias")
_TOLERANCE = 1e-9
"""Largest difference between the re-estimate and the stored JSON that still counts as the same run."""


def _lang(request: Request, lang: str | None) -> str:
    if lang is None:
        return language(request)
    if lang not in LANGUAGES:
        raise UkurError(f"lang must be one of {', '.join(LANGUAGES)}", field="lang")
    return lang


def _download(payload: bytes, media_type: str, filename: str) -> Response:
    return Response(
        payload,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _stats_frame(rows: Sequence[Mapping[str, Any]], keys: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({s: [_number(r.get(s)) for r in rows] for s in _STATS})
    if len(keys) == 1:
        frame.index = pd.Index([str(r[keys[0]]) for r in rows], name=keys[0])
    else:
        frame.index = pd.MultiIndex.from_arrays([[str(r[k]) for r in rows] for k in keys], names=keys)
    return frame


def bootstrap_from_dict(model: Model, doc: Mapping[str, Any]) -> BootstrapResult:
    """A :class:`BootstrapResult` holding the summary tables of its ``to_dict()`` JSON ``doc``.

    The draws themselves are not in the JSON, so ``draws``/``original`` are empty: enough for the report,
    which reads only the summary tables (original, mean, SD, t, p, interval) and the options.
    """
    options = BootstrapOptions(
        samples=int(doc["samples"]),
        seed=int(doc["seed"]),
        ci=str(doc.get("ci", "percentile")),
        alpha=float(doc.get("alpha", 0.05)),
        tails=int(doc.get("tails", 2)),
        sd=str(doc.get("sd", "n-1")),
        t_statistic=str(doc.get("t_statistic", "original")),
        p_value=str(doc.get("p_value", "t")),
        sign_change=str(doc.get("sign_change", "none")),
    )
    tables = {group: _stats_frame(doc.get(group) or [], keys) for group, keys in _INDEX.items()}
    outer = doc.get("outer") or []
    for part in ("loading", "weight"):
        rows = [{"construct": o["construct"], "indicator": o["indicator"], **o[part]} for o in outer]
        tables[f"{part}s"] = _stats_frame(rows, ["construct", "indicator"])
    indirect = doc.get("indirect") or []
    chains = [tuple(str(n) for n in i["path"]) for i in indirect]
    frame = pd.DataFrame({s: [_number(i.get(s)) for i in indirect] for s in _STATS})
    frame.index = pd.Index([" -> ".join(c) for c in chains], name="effect")
    frame.insert(0, "chain", pd.Series(chains, index=frame.index, dtype=object))
    return BootstrapResult(
        model=model,
        options=options,
        seed=int(doc["seed"]),
        failed=int(doc.get("failed", 0)),
        indirect=frame,
        draws=pd.DataFrame(),
        original=pd.Series(dtype=float),
        **tables,
    )


def _same_numbers(stored: Any, fresh: Any) -> bool:
    """Whether two JSON documents agree: same structure, numbers within :data:`_TOLERANCE`."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        return stored.keys() == fresh.keys() and all(_same_numbers(stored[k], fresh[k]) for k in stored)
    if isinstance(stored, list) and isinstance(fresh, list):
        return len(stored) == len(fresh) and all(
            _same_numbers(a, b) for a, b in zip(stored, fresh, strict=True)
        )
    if isinstance(stored, (int, float)) and isinstance(fresh, (int, float)) and not isinstance(stored, bool):
        return math.isclose(stored, fresh, rel_tol=0, abs_tol=_TOLERANCE)
    return bool(stored == fresh)


def _reestimate(db: Session, viewer: Viewer, run: PlsRun) -> tuple[PLSResult, pd.DataFrame]:
    """The run's estimation again, on its own data set, checked against the stored results JSON."""
    if run.dataset_id is None or run.results is None:
        raise NotFoundError(f"results of run {run.id} not found", field="run")
    dataset = pls.get_dataset(db, viewer, run.dataset_id)
    data = parse_table(dataset.content, name=dataset.filename)
    model = Model.from_syntax(run.model_text, source="model")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the stored run already lists them
        result = estimate(model, data, source=dataset.filename)
    fresh = result.to_dict()
    stored = {k: v for k, v in run.results.items() if k not in ("bootstrap", "warnings")}
    if not _same_numbers(stored, {k: fresh.get(k) for k in stored}):
        raise ConflictError(
            "this run's stored results differ from what this version of ukur computes; run it again "
            "for a report",
            field="run",
        )
    return result, data


def _min_sample(result: PLSResult) -> int | None:
    """Inverse square root minimum sample (Kock & Hadaya 2018) for the smallest |path| in [0.01, 1)."""
    usable = [abs(p) for p in result.paths["estimate"].tolist() if 0.01 <= abs(p) < 1]
    return inverse_square_root(min(usable)) if usable else None


def pls_report_bytes(
    db: Session, viewer: Viewer, run: PlsRun, fmt: str, *, lang: str = "en", profile: Sequence[str] = ()
) -> bytes:
    """The report of a finished run in ``fmt`` (``html``, ``xlsx``, ``docx``), its numbers the run's JSON."""
    result, data = _reestimate(db, viewer, run)
    for column in profile:
        if column not in data.columns:
            raise DataError(f"profile column '{column}' is not in the data", field=column)
    boot_doc = (run.results or {}).get("bootstrap")
    boot = bootstrap_from_dict(result.model, boot_doc) if boot_doc else None
    report = build_report(
        result,
        boot=boot,
        profile=data if profile else None,
        profile_columns=tuple(profile),
        lang=lang,
        min_sample=_min_sample(result),
        title=run.project.name,
    )
    return render_pls(report, fmt)


@pls_router.get("/pls/{project_id}/runs/{run_id}/report.{fmt}")
def pls_report(
    request: Request,
    project_id: int,
    run_id: int,
    fmt: str,
    db: SessionDep,
    viewer: ViewerDep,
    lang: str | None = None,
    profile: str = "",
) -> Response:
    """Download the run's PLS report (HTML, XLSX or DOCX); ``profile`` names categorical columns, comma-separated."""
    run = pls.get_run(db, viewer, run_id)
    if run.project_id != project_id or run.results is None or fmt not in PLS_MEDIA_TYPES:
        raise NotFoundError(f"report of run {run_id} not found", field="run")
    columns = [c.strip() for c in profile.split(",") if c.strip()]
    payload = pls_report_bytes(db, viewer, run, fmt, lang=_lang(request, lang), profile=columns)
    return _download(payload, PLS_MEDIA_TYPES[fmt], f"ukur-pls-run-{run_id}.{fmt}")


def sla_report(
    db: Session, viewer: Viewer, agreement_id: int, period: str, *, lang: str = "en", as_of: str | None = None
) -> SLAReport:
    """The SLA report of a visible agreement's newest version for ``period`` on the stored records.

    The same two evaluations as ``ukur sla report``: the period (every table) and the last 12 windows
    ending with it (the charts, sharing the first run's "now", without claims).
    """
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    if not agreement.versions:
        raise UkurError(f"agreement {agreement.slug} has no version", field="agreement")
    loaded = agreements.validate_agreement(db, agreement.versions[-1].yaml_text, f"{agreement.slug}.yaml")
    owner = agreement.customer_org_id or agreement.provider_org_id
    frames = compliance.stream_frames(db, owner, list(loaded.streams))
    histories = compliance.status_frames(db, owner, list(frames)) or None
    stored_claims = compliance.claims_frame(db, agreement_id) if loaded.claims is not None else None
    span = parse_period(period.strip(), timezone=loaded.timezone)
    current: Compliance = evaluate(
        loaded, frames, status_history=histories, claims=stored_claims, period=span, as_of=as_of or None
    )
    history = evaluate(
        loaded,
        frames,
        status_history=histories,
        period=history_period(loaded, span),
        as_of=current.as_of.tz_localize("UTC"),
    )
    return build_sla_report(current, history=history, lang=lang)


_PERIOD = re.compile(r"^[0-9A-Za-z:\-]{4,40}$")


@sla_router.get("/agreements/{agreement_id}/report.{fmt}")
def sla_report_download(
    request: Request,
    agreement_id: int,
    fmt: str,
    db: SessionDep,
    viewer: ViewerDep,
    period: str,
    lang: str | None = None,
    as_of: str | None = None,
) -> Response:
    """Download the agreement's SLA report for ``period`` (``2026-01``, ``2026-Q1``, …) as HTML, XLSX or PDF."""
    agreement = agreements.get_agreement(db, viewer, agreement_id)  # 404 first, whatever else is wrong
    if fmt not in SLA_MEDIA_TYPES:
        raise NotFoundError(f"report format {fmt!r} not found", field="format")
    if not _PERIOD.match(period.strip()):
        raise UkurError("period looks like 2026-01, 2026-Q1 or 2026-W05", field="period")
    report = sla_report(db, viewer, agreement_id, period, lang=_lang(request, lang), as_of=as_of)
    payload = _SLA_RENDERERS[fmt](report)
    name = f"ukur-sla-{agreement.slug}-{period.strip()}.{fmt}"
    return _download(payload, SLA_MEDIA_TYPES[fmt], re.sub(r"[^A-Za-z0-9._-]", "_", name))


def _pls_run_for_report(db: Session, viewer: Viewer, project_id: int, run_id: int, fmt: str) -> PlsRun:
    run = pls.get_run(db, viewer, run_id)
    if run.project_id != project_id or run.results is None or fmt not in PLS_MEDIA_TYPES:
        raise NotFoundError(f"report of run {run_id} not found", field="run")
    return run


def _check_sla_request(db: Session, viewer: Viewer, agreement_id: int, fmt: str, period: str) -> str:
    """The agreement's slug after the download route's checks: visible (404 first), format, period."""
    agreement = agreements.get_agreement(db, viewer, agreement_id)
    if fmt not in SLA_MEDIA_TYPES:
        raise NotFoundError(f"report format {fmt!r} not found", field="format")
    if not _PERIOD.match(period.strip()):
        raise UkurError("period looks like 2026-01, 2026-Q1 or 2026-W05", field="period")
    parse_period(period.strip(), timezone="UTC")  # its syntax, before a job is queued; the zone comes later
    return agreement.slug


def render_report_file(
    db: Session, viewer: Viewer, payload: Mapping[str, Any], progress: Progress
) -> ReportFile:
    """The file a ``report.render`` job's ``payload`` asks for, as ``viewer`` may see it.

    The same functions and checks as the inline downloads, so a background file equals a direct one.
    """
    fmt = str(payload.get("format", ""))
    lang = str(payload.get("lang") or "en")
    if lang not in LANGUAGES:
        raise UkurError(f"lang must be one of {', '.join(LANGUAGES)}", field="lang")
    try:
        if payload.get("report") == "pls":
            run = _pls_run_for_report(db, viewer, int(payload["project_id"]), int(payload["run_id"]), fmt)
            progress(0.1, "estimating the run again")
            profile = [str(c) for c in payload.get("profile") or []]
            content = pls_report_bytes(db, viewer, run, fmt, lang=lang, profile=profile)
            return ReportFile(content, PLS_MEDIA_TYPES[fmt], f"ukur-pls-run-{run.id}.{fmt}")
        if payload.get("report") == "sla":
            agreement_id, period = int(payload["agreement_id"]), str(payload["period"])
            slug = _check_sla_request(db, viewer, agreement_id, fmt, period)
            progress(0.1, "evaluating the agreement")
            as_of = payload.get("as_of")
            report = sla_report(
                db, viewer, agreement_id, period, lang=lang, as_of=str(as_of) if as_of else None
            )
            progress(0.5, f"writing {fmt.upper()}")
            name = f"ukur-sla-{slug}-{period.strip()}.{fmt}"
            return ReportFile(
                _SLA_RENDERERS[fmt](report), SLA_MEDIA_TYPES[fmt], re.sub(r"[^A-Za-z0-9._-]", "_", name)
            )
    except (KeyError, TypeError, ValueError):
        raise UkurError("the report job's payload is incomplete", field="payload") from None
    raise UkurError("a report job is for a PLS run (pls) or an agreement (sla)", field="report")


def _start_report_job(request: Request, viewer: Viewer, payload: dict[str, Any]) -> Response:
    job_id = state(request).queue.submit(REPORT_JOB, payload, owner_id=viewer.user_id)
    return RedirectResponse(f"/reports/jobs/{job_id}", status_code=303)


@pls_router.post("/pls/{project_id}/runs/{run_id}/report.{fmt}/job")
def pls_report_job(
    request: Request,
    project_id: int,
    run_id: int,
    fmt: str,
    db: SessionDep,
    viewer: ViewerDep,
    lang: Annotated[str | None, Form()] = None,
    profile: Annotated[str, Form()] = "",
) -> Response:
    """Make the run's report in the background (a ``report.render`` job); go to the job's page."""
    _pls_run_for_report(db, viewer, project_id, run_id, fmt)
    payload = {
        "report": "pls",
        "project_id": project_id,
        "run_id": run_id,
        "format": fmt,
        "lang": _lang(request, lang or None),
        "profile": [c.strip() for c in profile.split(",") if c.strip()],
        "user_id": viewer.user_id,
    }
    return _start_report_job(request, viewer, payload)


@sla_router.post("/agreements/{agreement_id}/report.{fmt}/job")
def sla_report_job(
    request: Request,
    agreement_id: int,
    fmt: str,
    db: SessionDep,
    viewer: ViewerDep,
    period: Annotated[str, Form()],
    lang: Annotated[str | None, Form()] = None,
    as_of: Annotated[str | None, Form()] = None,
) -> Response:
    """Make the agreement's SLA report for ``period`` in the background; go to the job's page."""
    _check_sla_request(db, viewer, agreement_id, fmt, period)
    payload = {
        "report": "sla",
        "agreement_id": agreement_id,
        "period": period.strip(),
        "format": fmt,
        "lang": _lang(request, lang or None),
        "as_of": as_of or None,
        "user_id": viewer.user_id,
    }
    return _start_report_job(request, viewer, payload)


def _report_job(db: Session, viewer: Viewer, job_id: int) -> tuple[JobStatus, dict[str, Any]]:
    """A report job its owner (or provider staff) may see, and its payload; any other job id answers 404."""
    job = job_rows.get_job(db, viewer, job_id)
    if job.kind != REPORT_JOB:
        raise NotFoundError(f"report job {job_id} not found", field="job")
    return JobStatus.of(job), dict(job.payload)


@sla_router.get("/reports/jobs/{job_id}")
def report_job_page(request: Request, job_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    """The progress of a background report and, once it is done, its download link."""
    status, payload = _report_job(db, viewer, job_id)
    if payload.get("report") == "pls":
        back = f"/pls/{payload.get('project_id')}/runs/{payload.get('run_id')}"
    else:
        back = f"/agreements/{payload.get('agreement_id')}"
    result = status.result or {}
    return render(
        request, "report_job.html", job=status, back=back, size=human_size(int(result.get("size") or 0))
    )


@sla_router.get("/reports/jobs/{job_id}/download")
def report_job_download(job_id: int, db: SessionDep, viewer: ViewerDep) -> Response:
    """The file a finished background report made (409 while it is still being made or if it failed)."""
    status, _ = _report_job(db, viewer, job_id)
    if status.state != "succeeded":
        raise ConflictError(f"report job {job_id} is {status.state}, not finished", field="job")
    made = stored_file(status)
    return _download(made.content, made.media_type, made.filename)
