"""One exception handler for the whole app: JSON for ``/api/``, a friendly page for everything else.

========================== ====== ===================================================
error                      status body
========================== ====== ===================================================
NotFoundError              404    ``UkurError.to_dict()`` / the "does not exist" page
PermissionDenied           403
AuthenticationError        401
ConflictError              409
any other UkurError        400    the message, with its file/line/field
request validation         422    ``{"error": "ValidationError", "field": ...}``
integer beyond 64 bits     422    the same, naming the path or query parameter (a body field: none)
database data exception    422    the same (PostgreSQL: a number beyond 32 bits, a NUL character)
missing CSRF token         403    "the form expired" page
not signed in              401    (HTML: redirect to the sign-in page)
anything else              500    a generic message; the traceback goes to the log only
========================== ====== ===================================================
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ukur.errors import UkurError
from ukur.store.errors import AuthenticationError, ConflictError, NotFoundError, PermissionDenied
from ukur.web.deps import CsrfError, SignInRequired, language, render
from ukur.web.i18n import translator

__all__ = ["install_error_handlers", "status_of"]

log = logging.getLogger("ukur.web")

STATUS: tuple[tuple[type[UkurError], int], ...] = (
    (NotFoundError, 404),
    (PermissionDenied, 403),
    (AuthenticationError, 401),
    (ConflictError, 409),
)


def status_of(exc: UkurError) -> int:
    for kind, status in STATUS:
        if isinstance(exc, kind):
            return status
    return 400


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _body(error: str, message: str, **where: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "error": error,
        "message": message,
        "source": None,
        "line": None,
        "column": None,
        "field": None,
    }
    body.update(where)
    return body


def _beyond(value: object, bits: int) -> bool:
    """True for a request value that is an integer a signed ``bits``-bit database column cannot hold."""
    text = str(value).strip()
    limit = 2 ** (bits - 1)
    return re.fullmatch(r"[+-]?[0-9]+", text) is not None and not -limit <= int(text) < limit


def _unstorable(request: Request, message: str, bits: int) -> Response:
    """422 for a request value the database refuses, naming the first path or query parameter that is an
    integer beyond ``bits`` bits (a body field is not named)."""
    params = {**request.query_params, **request.path_params}
    field = next((name for name, value in params.items() if _beyond(value, bits)), None)
    if _is_api(request):
        return JSONResponse(_body("ValidationError", message, field=field), status_code=422)
    return _page(request, 422, f"{field}: {message}" if field else message)


def _page(request: Request, status: int, message: str) -> Response:
    try:
        return render(request, "error.html", status_code=status, status=status, message=message)
    except Exception:  # the error page itself must never fail into a traceback
        log.exception("error page failed")
        return Response(message, status_code=status, media_type="text/plain")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers described in the module docstring on ``app``."""

    @app.exception_handler(UkurError)
    async def ukur_error(request: Request, exc: UkurError) -> Response:
        status = status_of(exc)
        if _is_api(request):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return JSONResponse(exc.to_dict(), status_code=status, headers=headers)
        message = str(exc)
        if status in (403, 404):
            message = translator(language(request))(f"error.{status}")
        return _page(request, status, message)

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        if _is_api(request):
            return JSONResponse(
                _body("AuthenticationError", "sign in or send an API token (Authorization: Bearer ...)"),
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return RedirectResponse(f"/signin?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(CsrfError)
    async def csrf_error(request: Request, exc: CsrfError) -> Response:
        message = "missing or wrong CSRF token"
        if _is_api(request):
            return JSONResponse(_body("CsrfError", message + " (send X-CSRF-Token)"), status_code=403)
        return _page(request, 403, translator(language(request))("error.csrf"))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "form")]
        message = str(first.get("msg", "invalid request"))
        field = ".".join(loc) or None
        if _is_api(request):
            return JSONResponse(_body("ValidationError", message, field=field), status_code=422)
        return _page(request, 422, f"{field}: {message}" if field else message)

    @app.exception_handler(OverflowError)
    async def number_too_large(request: Request, exc: OverflowError) -> Response:
        # SQLite's driver refuses an integer beyond 64 bits (an id, offset or count from a request) with
        # OverflowError (found by the schemathesis fuzz).  No row can have such a number, so it is bad
        # input, not a crash; the traceback is still logged in case it came from a computation instead.
        log.warning("integer out of range", exc_info=exc, extra={"fields": {"path": request.url.path}})
        return _unstorable(request, f"the number is too large (at most {2**63 - 1})", 64)

    @app.exception_handler(DataError)
    async def value_not_storable(request: Request, exc: DataError) -> Response:
        # PostgreSQL's "data exception" class (SQLSTATE 22...): a number beyond the column's type (ids are
        # 32-bit there), text with a NUL character, ... — a value of the request, not a crash (found by
        # the schemathesis fuzz on PostgreSQL).  The database's own message stays in the log.
        log.warning(
            "value refused by the database", exc_info=exc, extra={"fields": {"path": request.url.path}}
        )
        if getattr(exc.orig, "sqlstate", None) == "22003":
            return _unstorable(request, f"the number is out of range (at most {2**31 - 1})", 32)
        return _unstorable(request, "a value of the request cannot be stored (e.g. a NUL character)", 32)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            name = "NotFound" if exc.status_code == 404 else "HTTPError"
            return JSONResponse(
                _body(name, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
            )
        if exc.status_code in (403, 404):
            return _page(request, exc.status_code, translator(language(request))(f"error.{exc.status_code}"))
        return _page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.error("unhandled error", exc_info=exc, extra={"fields": {"path": request.url.path}})
        if _is_api(request):
            return JSONResponse(_body("InternalError", "internal error; it has been logged"), status_code=500)
        return _page(request, 500, translator(language(request))("error.500"))
