"""Organisations, users, passwords (argon2id) and personal API tokens (SHA-256 at rest).

Passwords are hashed with argon2id (``argon2-cffi`` defaults, RFC 9106's second recommended profile) and
re-hashed on sign-in when the parameters change.  API tokens are 256-bit random strings; only their
SHA-256 is stored, which is enough for secrets of that entropy, so a stolen database yields no token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.store import audit
from ukur.store.access import Viewer, ensure_can_manage_users, not_found
from ukur.store.errors import AuthenticationError, ConflictError, PermissionDenied
from ukur.store.models import ORGANISATION_KINDS, ROLES, ApiToken, Organisation, User
from ukur.store.types import utcnow

__all__ = [
    "authenticate",
    "count_users",
    "create_organisation",
    "create_token",
    "create_user",
    "generate_password",
    "get_user",
    "hash_password",
    "list_organisations",
    "list_tokens",
    "list_users",
    "revoke_token",
    "set_hasher",
    "set_password",
    "update_user",
    "user_by_token",
    "verify_password",
]

_HASHER = PasswordHasher()
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
TOKEN_PREFIX = "ukur_"
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
_DUMMY_HASH = _HASHER.hash("not a real password, used to keep timing equal")


def set_hasher(hasher: PasswordHasher) -> None:
    """Replace the argon2 parameters (the test suite uses argon2's cheapest profile to stay fast)."""
    global _HASHER, _DUMMY_HASH
    _HASHER = hasher
    _DUMMY_HASH = hasher.hash("not a real password, used to keep timing equal")


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (refusing passwords shorter than 10 characters)."""
    if len(password) < MIN_PASSWORD:
        raise UkurError(f"the password must have at least {MIN_PASSWORD} characters", field="password")
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; never raises for a wrong or malformed hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random 20-character password for accounts created without one (printed once)."""
    return secrets.token_urlsafe(15)


def _normal_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise UkurError(f"not an e-mail address: {email!r}", field="email")
    return email


def create_organisation(session: Session, viewer: Viewer, name: str, kind: str) -> Organisation:
    """Add an organisation (``kind`` provider or customer); names are unique."""
    ensure_can_manage_users(viewer)
    name = name.strip()
    if not name:
        raise UkurError("the organisation needs a name", field="name")
    if kind not in ORGANISATION_KINDS:
        raise UkurError(f"kind must be one of {', '.join(ORGANISATION_KINDS)}", field="kind")
    if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
        raise ConflictError(f"an organisation named {name!r} already exists", field="name")
    org = Organisation(name=name, kind=kind)
    session.add(org)
    session.flush()
    audit.log(session, viewer, "create", "organisation", org.id, name=name, kind=kind)
    return org


def list_organisations(session: Session, kind: str | None = None) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.name)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    return list(session.scalars(query))


def create_user(
    session: Session,
    viewer: Viewer,
    *,
    email: str,
    password: str,
    role: str,
    name: str = "",
    organisation_id: int | None = None,
) -> User:
    """Add an account.  Customers must belong to a customer organisation."""
    ensure_can_manage_users(viewer)
    email = _normal_email(email)
    if role not in ROLES:
        raise UkurError(f"role must be one of {', '.join(ROLES)}", field="role")
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise not_found("organisation", organisation_id)
    if role == "customer":
        org = session.get(Organisation, organisation_id) if organisation_id is not None else None
        if org is None or org.kind != "customer":
            raise UkurError("a customer account must belong to a customer organisation", field="organisation")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ConflictError(f"a user with e-mail {email} already exists", field="email")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        organisation_id=organisation_id,
    )
    session.add(user)
    session.flush()
    audit.log(
        session, viewer, "create", "user", user.id, email=email, role=role, organisation_id=organisation_id
    )
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise not_found("user", user_id)
    return user


def list_users(session: Session, viewer: Viewer) -> list[User]:
    ensure_can_manage_users(viewer)
    return list(session.scalars(select(User).order_by(User.email)))


def update_user(
    session: Session,
    viewer: Viewer,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    language: str | None = None,
) -> User:
    """Change a user's role or active flag (admins) or language (the user too)."""
    user = get_user(session, user_id)
    if role is not None or active is not None or viewer.user_id != user_id:
        ensure_can_manage_users(viewer)
    if role is not None:
        if role not in ROLES:
            raise UkurError(f"role must be one of {', '.join(ROLES)}", field="role")
        user.role = role
    if active is not None:
        if not active and user_id == viewer.user_id:
            raise ConflictError("you cannot deactivate your own account", field="active")
        user.active = active
    if language is not None:
        user.language = language
    audit.log(session, viewer, "update", "user", user.id, role=role, active=active, language=language)
    return user


def set_password(session: Session, viewer: Viewer, user_id: int, password: str) -> None:
    """Set a new password (the user themself or an admin)."""
    if viewer.user_id != user_id:
        ensure_can_manage_users(viewer)
    user = get_user(session, user_id)
    user.password_hash = hash_password(password)
    audit.log(session, viewer, "set_password", "user", user_id)


def authenticate(session: Session, email: str, password: str) -> User:
    """The active user with this e-mail and password, or :class:`AuthenticationError` (one message for all)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise AuthenticationError("wrong e-mail or password")
    if not user.active or not verify_password(user.password_hash, password):
        raise AuthenticationError("wrong e-mail or password")
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    user.last_login_at = utcnow()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, viewer: Viewer, name: str) -> tuple[ApiToken, str]:
    """A new personal token for the viewer; returns the row and the token text (shown once, never stored)."""
    if viewer.user_id is None:
        raise PermissionDenied("only a signed-in user can create a personal token")
    name = name.strip() or "token"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=viewer.user_id, name=name[:100], token_hash=_digest(token), prefix=token[:12])
    session.add(row)
    session.flush()
    audit.log(session, viewer, "create", "api_token", row.id, name=name)
    return row, token


def list_tokens(session: Session, viewer: Viewer) -> list[ApiToken]:
    """The viewer's own tokens, newest first (revoked ones included, marked)."""
    query = select(ApiToken).where(ApiToken.user_id == viewer.user_id).order_by(ApiToken.id.desc())
    return list(session.scalars(query))


def revoke_token(session: Session, viewer: Viewer, token_id: int) -> ApiToken:
    """Revoke one of the viewer's tokens (admins may revoke anyone's)."""
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != viewer.user_id and not viewer.is_admin):
        raise not_found("token", token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.log(session, viewer, "revoke", "api_token", row.id)
    return row


def user_by_token(session: Session, token: str) -> User:
    """The active user owning an unrevoked ``token``; marks the token as used (to the minute).

    ``last_used_at`` is written at most once a minute per token: writing it on every request made every
    API call, even a read, a write transaction, and on SQLite writers queue for one lock.
    """
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token.strip())))
    if row is None or row.revoked_at is not None or not row.user.active:
        raise AuthenticationError("unknown or revoked API token")
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_RESOLUTION:
        row.last_used_at = now
    return row.user


def count_users(session: Session) -> int:
    """How many accounts exist (``ukur serve --demo`` loads the demo only into an empty database)."""
    return session.scalar(select(func.count(User.id))) or 0
