"""One settings object for the server side of ukur, built on demand from flags and environment variables.

Every setting is declared once in :data:`SETTINGS` (name, environment variable, default, help); the docs
(``docs/web.md``) list them all and a test checks that they do.  Nothing is read at import time: callers build
a :class:`Settings` with :func:`load_settings` (the CLI passes its flags as overrides) and hand it down.

Unsafe combinations are refused with a clear message instead of being "fixed" silently: serving on an address
other than loopback without ``UKUR_SECRET_KEY`` would sign session cookies with a throw-away key that other
processes do not share, so it is an error.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ukur.errors import UkurError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings", "validate_queue_url"]

DEFAULT_DATABASE_URL = "sqlite:///./ukur.db"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True, slots=True)
class Setting:
    """One declared setting: the attribute, its environment variable, its default and what it does."""

    name: str
    env: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        "UKUR_DATABASE_URL",
        DEFAULT_DATABASE_URL,
        "SQLAlchemy URL: sqlite:///path.db (default ./ukur.db) or postgresql+psycopg://user@host/db.",
    ),
    Setting(
        "secret_key",
        "UKUR_SECRET_KEY",
        None,
        "Key that signs session cookies. Required unless the server listens on loopback only.",
    ),
    Setting("host", "UKUR_HOST", "127.0.0.1", "Address `ukur serve` listens on."),
    Setting("port", "UKUR_PORT", 8000, "Port `ukur serve` listens on."),
    Setting(
        "secure_cookies",
        "UKUR_SECURE_COOKIES",
        "auto",
        "auto (Secure flag when the request came over https), true or false.",
    ),
    Setting(
        "max_upload_bytes",
        "UKUR_MAX_UPLOAD_BYTES",
        20 * 1024 * 1024,
        "Largest request body accepted (uploads); larger ones get HTTP 413 with a message.",
    ),
    Setting("session_max_age", "UKUR_SESSION_MAX_AGE", 14 * 24 * 3600, "Seconds a sign-in stays valid."),
    Setting("job_workers", "UKUR_JOB_WORKERS", 2, "Threads that run background jobs in the server process."),
    Setting(
        "job_lease_seconds",
        "UKUR_JOB_LEASE_SECONDS",
        60.0,
        "A running job whose worker has not sent a heartbeat for this long is failed or retried.",
    ),
    Setting(
        "queue_url",
        "UKUR_QUEUE_URL",
        "",
        "Redis URL (redis://host:6379/0): jobs run in `ukur worker` processes; empty: on server threads.",
    ),
    Setting("log_level", "UKUR_LOG_LEVEL", "INFO", "Python logging level of the JSON log lines on stderr."),
    Setting(
        "default_language",
        "UKUR_DEFAULT_LANGUAGE",
        "en",
        "Language when neither the user nor the browser chooses one: en or id.",
    ),
    Setting(
        "smtp_host",
        "UKUR_SMTP_HOST",
        None,
        "SMTP server for reminder e-mails; unset: reminders are not mailed.",
    ),
    Setting(
        "smtp_port",
        "UKUR_SMTP_PORT",
        25,
        "Port of the SMTP server (465: TLS from the start; else STARTTLS if offered).",
    ),
    Setting("smtp_user", "UKUR_SMTP_USER", None, "SMTP user name (no login when unset)."),
    Setting("smtp_password", "UKUR_SMTP_PASSWORD", None, "SMTP password."),
    Setting("smtp_from", "UKUR_SMTP_FROM", "ukur@localhost", "Sender address of reminder e-mails."),
    Setting(
        "evaluation_max_age",
        "UKUR_EVALUATION_MAX_AGE",
        300.0,
        "Seconds a cached evaluation or success view is shown before it is computed again.",
    ),
    Setting(
        "evaluation_inline_records",
        "UKUR_EVALUATION_INLINE_RECORDS",
        200_000,
        "Agreements whose streams hold more records are evaluated by a background job, not in the page.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings; build with :func:`load_settings`, change with :meth:`with_`."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    secure_cookies: str = "auto"
    max_upload_bytes: int = 20 * 1024 * 1024
    session_max_age: int = 14 * 24 * 3600
    job_workers: int = 2
    job_lease_seconds: float = 60.0
    queue_url: str = ""
    log_level: str = "INFO"
    default_language: str = "en"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str = "ukur@localhost"
    evaluation_max_age: float = 300.0
    evaluation_inline_records: int = 200_000
    ephemeral_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)

    def with_(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied and validated again."""
        return _validated(replace(self, **changes))

    @property
    def signing_key(self) -> str:
        """The key that signs cookies: ``secret_key`` or, on loopback only, a per-process random key."""
        return self.secret_key or self.ephemeral_secret

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _coerce(setting: Setting, raw: Any) -> Any:
    """Turn a flag or environment string into the type of the setting's default, naming it on failure."""
    if raw is None:
        return None
    kind = type(setting.default) if setting.default is not None else str
    try:
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        return str(raw)
    except (TypeError, ValueError):
        noun = {int: "whole number", float: "number"}.get(kind, "text")
        raise UkurError(f"{setting.env} must be a {noun}, got {raw!r}", field=setting.name) from None


def validate_queue_url(url: str) -> str:
    """``url`` without surrounding spaces if it is empty or a Redis URL, else a :class:`UkurError`."""
    url = url.strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise UkurError(f"UKUR_QUEUE_URL must be a redis:// URL or empty, got {url!r}", field="queue_url")
    return url


def _validated(settings: Settings) -> Settings:
    queue_url = validate_queue_url(settings.queue_url)
    if queue_url != settings.queue_url:
        settings = replace(settings, queue_url=queue_url)
    if settings.secure_cookies not in {"auto", "true", "false"}:
        raise UkurError("UKUR_SECURE_COOKIES must be auto, true or false", field="secure_cookies")
    if settings.default_language not in {"en", "id"}:
        raise UkurError("UKUR_DEFAULT_LANGUAGE must be en or id", field="default_language")
    if not settings.database_url.startswith(("sqlite", "postgresql")):
        raise UkurError(
            "the database URL must start with sqlite:// or postgresql+psycopg://", field="database_url"
        )
    if settings.max_upload_bytes <= 0 or settings.job_workers <= 0 or settings.job_lease_seconds <= 0:
        raise UkurError("upload limit, job workers and job lease must be positive")
    if settings.secret_key is None and settings.host not in LOOPBACK_HOSTS:
        raise UkurError(
            f"UKUR_SECRET_KEY must be set to serve on {settings.host}: session cookies need a stable "
            "secret (for example `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)",
            field="secret_key",
        )
    if settings.secret_key is not None and len(settings.secret_key) < 16:
        raise UkurError("UKUR_SECRET_KEY must be at least 16 characters", field="secret_key")
    return settings


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from ``environ`` (default ``os.environ``) with non-``None`` ``overrides`` (CLI flags) on top."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    declared = {s.name: s for s in SETTINGS}
    for setting in SETTINGS:
        raw = overrides.get(setting.name)
        if raw is None:
            raw = env.get(setting.env)
        if raw is not None and raw != "":
            values[setting.name] = _coerce(setting, raw)
    unknown = set(overrides) - set(declared)
    if unknown:
        raise UkurError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    known = {f.name for f in fields(Settings)}
    return _validated(Settings(**{k: v for k, v in values.items() if k in known}))
