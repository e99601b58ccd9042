"""Reading ISO 8601 timestamps for storage as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ukur.errors import UkurError

__all__ = ["parse_utc", "zone"]


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``Asia/Jakarta``), or a :class:`UkurError` naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UkurError(
            f"unknown time zone {name!r} (use an IANA name such as Asia/Jakarta)", field="timezone"
        ) from None


def parse_utc(text: str, timezone: ZoneInfo | None = None) -> datetime:
    """An ISO 8601 date-time as aware UTC; a time without offset is local time in ``timezone`` (default UTC).

    ``2026-01-05 08:00`` in Asia/Jakarta is 2026-01-05 01:00 UTC.  Raises :class:`ValueError` for text
    that is not ISO 8601.
    """
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone or UTC)
    return value.astimezone(UTC)
