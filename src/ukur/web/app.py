"""The app factory: ``create_app(settings)`` builds the FastAPI application and everything it owns.

It opens the database, refuses an un-migrated one (:class:`~ukur.store.errors.NotMigratedError` with the
command that fixes it), starts the in-process job queue with the app and stops it with the app, and wires
middleware (upload limit, security headers, signed session cookie, request log), static files, templates,
the HTML routes, the JSON API under ``/api/v1`` (OpenAPI docs at ``/api/docs``) and ``/healthz``.

Adding pages: write a module in :mod:`ukur.web.routes` with an ``APIRouter`` and list it in :data:`ROUTERS`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text

from ukur import __version__
from ukur.config import Settings
from ukur.jobs.backends import make_queue
from ukur.jobs.base import JobQueue, registry
from ukur.jobs.evaluation_refresh import register_evaluation_refresh
from ukur.jobs.local import ThreadJobQueue
from ukur.jobs.pls_run import register_pls_run
from ukur.jobs.report_render import register_report_render
from ukur.jobs.success_view import register_success_view
from ukur.reminders import register_reminders
from ukur.store import make_engine, make_session_factory, migrate
from ukur.web.deps import UkurState
from ukur.web.errors import install_error_handlers
from ukur.web.middleware import (
    RequestLogMiddleware,
    SecurityHeadersMiddleware,
    UploadLimitMiddleware,
    human_size,
)
from ukur.web.routes import (
    admin,
    agreements,
    api,
    auth,
    changes,
    feedback,
    new_agreement,
    pages,
    pls,
    pls_editor,
    reports,
    respond,
    success,
    survey,
)
from ukur.web.security import SignInLimitMiddleware
from ukur.web.session import SessionMiddleware

__all__ = ["ROUTERS", "create_app"]

log = logging.getLogger("ukur.web")
HERE = Path(__file__).parent
ROUTERS = (
    auth.router,
    pages.router,
    agreements.router,
    changes.router,
    changes.api_router,
    new_agreement.router,
    admin.router,
    pls.router,
    pls_editor.router,
    survey.router,
    respond.router,
    reports.pls_router,
    reports.sla_router,
    feedback.router,
    feedback.api_router,
    success.router,
    success.api_router,
    api.router,
)


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["version"] = __version__
    templates.env.filters["when"] = lambda dt: dt.strftime("%Y-%m-%d %H:%M UTC") if dt else ""
    return templates


def create_app(settings: Settings, *, queue: JobQueue | None = None) -> FastAPI:
    """The ukur web application for ``settings`` (the database must already be migrated)."""
    engine = make_engine(settings.database_url)
    migrate.check(engine)
    sessions = make_session_factory(engine)
    own_queue = queue is None
    if queue is None:
        kinds = registry.copy()  # kinds bound to this app's database stay with this app
        register_pls_run(kinds, sessions)
        register_reminders(kinds, sessions, settings)
        register_report_render(kinds, sessions, reports.render_report_file)
        register_evaluation_refresh(kinds, sessions)
        register_success_view(kinds, sessions)
        queue = make_queue(  # UKUR_QUEUE_URL: Redis and `ukur worker`; else threads of this process
            sessions,
            kinds,
            workers=settings.job_workers,
            lease_seconds=settings.job_lease_seconds,
            url=settings.queue_url,
        )
    job_queue: JobQueue = queue

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if own_queue and isinstance(job_queue, ThreadJobQueue):
            job_queue.start()
        try:
            yield
        finally:
            if own_queue and isinstance(job_queue, ThreadJobQueue):
                job_queue.shutdown(wait=False)
            engine.dispose()

    app = FastAPI(
        title="ukur",
        version=__version__,
        description="Service level agreements and PLS-SEM projects. Authenticate with a personal API "
        "token: `Authorization: Bearer ukur_...` (create one on the 'My account' page).",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.ukur = UkurState(settings=settings, sessions=sessions, queue=job_queue, templates=_templates())
    app.add_middleware(SignInLimitMiddleware)
    app.add_middleware(RequestLogMiddleware)
    app.add_middleware(
        SessionMiddleware,
        secret=settings.signing_key,
        max_age=settings.session_max_age,
        secure=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        UploadLimitMiddleware,
        limit=settings.max_upload_bytes,
        message=f"the upload is too large: the limit is {human_size(settings.max_upload_bytes)}",
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        """Liveness and database reachability."""
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "version": __version__})

    build_every_route(app)
    return app


def build_every_route(app: FastAPI) -> None:
    """Build the models of every route now, in the thread that makes the app, not in a request's.

    FastAPI (0.137 and later) builds an included router's routes lazily, on the first request that reaches
    them, and silences pydantic's (2.12 and later) warning "The 'alias' attribute ... was provided to the
    `Field()` function", which it provokes itself for every parameter, with ``warnings.catch_warnings()``.
    That swaps the process-wide warning filters and is not thread-safe before Python 3.14: when another
    thread enters or leaves ``catch_warnings`` meanwhile, the warning escapes from a server thread (an
    exception, so a 500, where warnings are errors, as in the tests).

    Making the OpenAPI schema builds model fields too (of every body model, each time), so it is made now
    as well; FastAPI keeps it for ``/api/openapi.json`` (about 0.1 s of start-up).
    """
    for _ in iter_route_contexts(app.router.routes):
        pass
    app.openapi()
