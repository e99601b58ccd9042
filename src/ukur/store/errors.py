"""Errors the store raises for people; the web edge maps them to HTTP status codes.

::

    UkurError
    ├── NotFoundError       the thing does not exist *or the viewer may not see it* (HTTP 404)
    ├── PermissionDenied    the viewer sees it but may not do this (HTTP 403)
    ├── AuthenticationError wrong e-mail/password, unknown or revoked token (HTTP 401)
    ├── ConflictError       a unique thing already exists, or the state forbids the change (HTTP 409)
    └── NotMigratedError    the database schema is not at the code's revision

A customer asking for another organisation's agreement gets :class:`NotFoundError`, exactly as for an id
that does not exist, so ids of other organisations cannot be probed.
"""

from __future__ import annotations

from ukur.errors import UkurError

__all__ = ["AuthenticationError", "ConflictError", "NotFoundError", "NotMigratedError", "PermissionDenied"]


class NotFoundError(UkurError):
    """The object does not exist or is not visible to the viewer."""


class PermissionDenied(UkurError):
    """The viewer may see the object but not make this change."""


class AuthenticationError(UkurError):
    """Credentials are wrong, unknown or revoked."""


class ConflictError(UkurError):
    """The change conflicts with stored data (a duplicate name, a signed version, ...)."""


class NotMigratedError(UkurError):
    """The database is empty or at an older schema revision than this version of ukur."""
