"""Dependencies every route uses: the database session, the signed-in user, the viewer, roles, CSRF, pages.

How a route looks::

    router = APIRouter(dependencies=[CsrfProtected])

    @router.get("/things/{thing_id}")
    def thing_page(thing_id: int, request: Request, db: SessionDep, viewer: ViewerDep) -> Response:
        thing = things.get_thing(db, viewer, thing_id)         # NotFoundError -> 404 page / JSON
        return render(request, "thing.html", thing=thing)

``SessionDep`` is one transaction per request: committed when the route returns, rolled back when it
raises (the signed-in user is looked up in a short read-only transaction before it, so no connection is
held while the route waits for a thread; on SQLite, unsafe requests also wait for a writer place first,
see :func:`_writer_slot`).  A route that catches a :class:`~ukur.errors.UkurError` to show it next to a form calls
``db.rollback()`` first.  ``ViewerDep`` is the access-control subject handed to every repository call;
repositories apply the organisation filter, so routes never filter by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from anyio import Semaphore
from anyio.lowlevel import RunVar
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from ukur.config import Settings
from ukur.jobs.base import JobQueue
from ukur.store import accounts
from ukur.store.access import Viewer
from ukur.store.engine import SessionFactory
from ukur.store.errors import PermissionDenied
from ukur.store.models import User
from ukur.web.i18n import LANGUAGES, negotiate, translator
from ukur.web.session import csrf_token, valid_csrf

__all__ = [
    "CsrfProtected",
    "CurrentUser",
    "OptionalUser",
    "SessionDep",
    "SignInRequired",
    "UkurState",
    "ViewerDep",
    "flash",
    "language",
    "render",
    "require_roles",
    "state",
]


@dataclass(frozen=True, slots=True)
class UkurState:
    """What the app factory builds once and every request reads: settings, sessions, jobs, templates."""

    settings: Settings
    sessions: SessionFactory
    queue: JobQueue
    templates: Jinja2Templates


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A snapshot of the signed-in user for templates and error pages (valid after the session closed)."""

    id: int
    email: str
    name: str
    role: str
    organisation_id: int | None
    language: str | None

    @classmethod
    def of(cls, user: User) -> UserInfo:
        return cls(user.id, user.email, user.name, user.role, user.organisation_id, user.language)


class SignInRequired(Exception):
    """No signed-in user: HTML pages redirect to the sign-in page, the API answers 401."""


class CsrfError(Exception):
    """An unsafe request authenticated by the session cookie came without the session's CSRF token."""


def state(request: Request) -> UkurState:
    ukur_state: UkurState = request.app.state.ukur
    return ukur_state


WRITING_REQUESTS = 4
"""On SQLite, how many requests with an unsafe method (POST, PUT, PATCH, DELETE) run at once per process."""
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_writer_slots: RunVar[dict[int, Semaphore]] = RunVar("ukur_writer_slots")


async def _writer_slot(request: Request) -> AsyncIterator[None]:
    """On SQLite, admit at most :data:`WRITING_REQUESTS` unsafe requests at once; wait here, not in a thread.

    Synchronous routes run on a pool of 40 threads, and a request that has written still needs a thread
    (to serialise its response) before its transaction commits.  Writers waiting for SQLite's one write
    lock each hold a thread; with 100 concurrent writers they held all 40, the writer holding the lock
    could not finish, and everything stalled until the busy timeout.  Waiting here costs no thread.
    Entered before :func:`_db`, so it is left after the request's commit.
    """
    bind = state(request).sessions.kw.get("bind")
    if request.method in _SAFE_METHODS or getattr(getattr(bind, "dialect", None), "name", "") != "sqlite":
        yield
        return
    try:
        per_app = _writer_slots.get()
    except LookupError:
        per_app = {}
        _writer_slots.set(per_app)  # per event loop: a semaphore belongs to the loop it was made in
    slots = per_app.setdefault(id(request.app), Semaphore(WRITING_REQUESTS))
    async with slots:
        yield


def _db(
    request: Request, _slot: Annotated[None, Depends(_writer_slot, scope="function")]
) -> Iterator[Session]:
    session = state(request).sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(_db, scope="function")]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _optional_user(request: Request, db: SessionDep) -> User | None:
    """The user of the bearer token or of the session cookie, or None.

    Ends the session's (read-only) transaction before returning, so the request holds no database
    connection while it waits for a free thread to run its route: requests that held one there while
    others held every thread waiting for a connection deadlocked until the pool's timeout (100 concurrent
    API clients).  The user stays readable (``expire_on_commit=False``); the route's writes are still one
    transaction, committed by :data:`SessionDep`.
    """
    token = _bearer(request)
    user: User | None
    if token is not None:
        user = accounts.user_by_token(db, token)
        request.state.auth = "token"
    else:
        uid = request.session.get("uid")
        found = db.get(User, uid) if isinstance(uid, int) else None
        current = found is not None and found.active and request.session.get("pw") == password_stamp(found)
        user = found if current else None
        if user is None and uid is not None:
            request.session.pop("uid", None)
        request.state.auth = "session"
    request.state.user = UserInfo.of(user) if user is not None else None
    db.commit()  # hand the connection back before the route waits for a thread (see _optional_user's doc)
    return user


OptionalUser = Annotated[User | None, Depends(_optional_user)]


def _current_user(user: OptionalUser) -> User:
    if user is None:
        raise SignInRequired
    return user


CurrentUser = Annotated[User, Depends(_current_user)]


def _viewer(user: CurrentUser) -> Viewer:
    return Viewer.of(user)


ViewerDep = Annotated[Viewer, Depends(_viewer)]


def require_roles(*roles: str) -> Any:
    """A dependency refusing (403) users whose role is not one of ``roles``."""

    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise PermissionDenied("your role may not open this page")
        return user

    return Depends(check)


async def _csrf(request: Request) -> None:
    if request.method in {"GET", "HEAD", "OPTIONS"} or _bearer(request) is not None:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not valid_csrf(request.session, sent):
        raise CsrfError


CsrfProtected = Depends(_csrf)


def language(request: Request) -> str:
    """The request's language: chosen in the session, the user's preference, the browser's, the default."""
    chosen = request.session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    user = getattr(request.state, "user", None)
    if user is not None and user.language in LANGUAGES:
        return str(user.language)
    return negotiate(request.headers.get("accept-language"), state(request).settings.default_language)


def flash(request: Request, key: str, **values: Any) -> None:
    """A message shown once on the next page (a catalogue key and its values)."""
    request.session.setdefault("flash", []).append([key, values])


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the common context: user, language, ``_`` (translate), CSRF token, flashes."""
    lang = language(request)
    messages = request.session.pop("flash", [])
    context.update(
        request=request,
        user=getattr(request.state, "user", None),
        lang=lang,
        languages=LANGUAGES,
        _=translator(lang),
        csrf_token=csrf_token(request.session),
        flashes=messages,
        here=quote(request.url.path),
    )
    return state(request).templates.TemplateResponse(request, template, context, status_code=status_code)


def password_stamp(user: User) -> str:
    """A short digest of the password hash: a new password ends every session signed in with the old one."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def signed_in(request: Request, user: User) -> None:
    """Start a fresh session for ``user`` (new CSRF token: no fixation), keeping the chosen language."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session["uid"] = user.id
    request.session["pw"] = password_stamp(user)
    if lang in LANGUAGES:
        request.session["lang"] = lang
    csrf_token(request.session)


def signed_out(request: Request) -> None:
    lang = request.session.get("lang")
    request.session.clear()
    if lang in LANGUAGES:
        request.session["lang"] = lang
