"""The ``calendars:`` syntax of an agreement: opening hours, holidays, closed days.

::

    office:
      hours: {mon-fri: "08:00-12:00,13:00-17:00", sat: "08:00-12:00", sun: closed}
      holidays: {country: ID, categories: [public, government], language: id}
      closed: [2026-03-20, {date: 2026-12-31, name: Company day}, {from: 2026-04-06, to: 2026-04-08}]

Day keys are ``mon``…``sun`` (or full English or Indonesian names), ranges ``mon-fri`` (wrapping ``fri-mon``
allowed) and lists ``sat,sun``; days not named are closed.  Values are comma-separated ``HH:MM-HH:MM`` ranges
(``24:00`` may end a day), ``closed``, or ``24h`` (= ``00:00-24:00``); a list of ranges is accepted too.
Every error is an :class:`~ukur.errors.AgreementError` whose ``field`` (and message) names the offending key
and says what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_package

from ukur.errors import AgreementError

__all__ = [
    "WEEKDAYS",
    "WEEKDAY_NAMES",
    "check_timezone",
    "country_holidays",
    "format_hours",
    "parse_calendar",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ALIASES = {
    **{d: i for i, d in enumerate(WEEKDAYS)},
    **{n.lower(): i for i, n in enumerate(WEEKDAY_NAMES)},
    **{n: i for i, n in enumerate(("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"))},
    "jum'at": 4,
    "ahad": 6,
}
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_KEYS = {"hours", "holidays", "closed"}
_HOLIDAY_KEYS = {"country", "categories", "subdiv", "language"}


def check_timezone(timezone: object, *, field: str) -> str:
    """Return ``timezone`` if it is an IANA zone name, else raise naming ``field``."""
    try:
        if not isinstance(timezone, str) or not timezone:
            raise ValueError
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise AgreementError(
            f"{field}: unknown timezone {timezone!r} (expected an IANA name such as 'Asia/Jakarta' or 'UTC')",
            field=field,
        ) from None
    return timezone


def parse_calendar(name: str, spec: Mapping[str, Any], *, timezone: str) -> dict[str, Any]:
    """Validate one calendar mapping and return the keyword arguments of ``BusinessCalendar``."""
    where = f"calendars.{name}"
    check_timezone(timezone, field="timezone")
    if not isinstance(spec, Mapping):
        raise AgreementError(f"{where}: expected a mapping with hours, holidays and closed", field=where)
    unknown = sorted(set(map(str, spec)) - _KEYS)
    if unknown:
        raise AgreementError(
            f"{where}.{unknown[0]}: unknown key {unknown[0]!r} (expected hours, holidays, closed)",
            field=f"{where}.{unknown[0]}",
        )
    if "hours" not in spec:
        raise AgreementError(
            f"{where}.hours: missing 'hours' (e.g. mon-fri: \"08:00-17:00\")", field=f"{where}.hours"
        )
    hours = _parse_hours(spec["hours"], f"{where}.hours")
    result: dict[str, Any] = {"hours": hours, "closed": _parse_closed(spec.get("closed"), f"{where}.closed")}
    result.update(_parse_holidays(spec.get("holidays"), f"{where}.holidays"))
    return result


def format_hours(spans: tuple[tuple[int, int], ...]) -> str:
    """Inverse of the hour syntax: ``((28800, 43200),)`` → ``"08:00-12:00"``; ``()`` → ``"closed"``."""
    if not spans:
        return "closed"
    return ",".join(f"{_clock(s)}-{_clock(e)}" for s, e in spans)


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _parse_hours(value: object, where: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    if not isinstance(value, Mapping) or not value:
        raise AgreementError(
            f'{where}: expected a mapping of days to hours, e.g. {{mon-fri: "08:00-12:00,13:00-17:00"}}',
            field=where,
        )
    week: list[tuple[tuple[int, int], ...] | None] = [None] * 7
    for key, spans in value.items():
        field = f"{where}.{key}"
        days = _parse_days(key, field)
        parsed = _parse_spans(spans, field)
        for d in days:
            if week[d] is not None:
                raise AgreementError(f"{field}: {WEEKDAY_NAMES[d]} is given hours twice", field=field)
            week[d] = parsed
    if all(not spans for spans in week):
        raise AgreementError(
            f"{where}: the calendar is never open (give at least one day hours)", field=where
        )
    return tuple(spans or () for spans in week)


def _parse_days(key: object, field: str) -> list[int]:
    expected = "expected days such as 'mon', 'mon-fri' or 'sat,sun'"
    if not isinstance(key, str):
        raise AgreementError(f"{field}: {expected}, got {key!r}", field=field)
    days: list[int] = []
    for part in key.lower().replace(" ", "").split(","):
        ends = part.split("-")
        if len(ends) > 2 or any(e not in _DAY_ALIASES for e in ends):
            raise AgreementError(f"{field}: unknown day {part!r}; {expected}", field=field)
        first, last = _DAY_ALIASES[ends[0]], _DAY_ALIASES[ends[-1]]
        days.extend((first + k) % 7 for k in range((last - first) % 7 + 1))
    if len(set(days)) != len(days):
        raise AgreementError(f"{field}: a day is named twice in {key!r}", field=field)
    return days


def _parse_spans(value: object, field: str) -> tuple[tuple[int, int], ...]:
    expected = 'expected hours such as "08:00-12:00,13:00-17:00", "24h" or "closed" (in quotes)'
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    if value is None or value is False:
        return ()
    if not isinstance(value, str):
        raise AgreementError(f"{field}: {expected}, got {value!r}", field=field)
    text = value.strip().lower()
    if text in {"closed", "tutup", "libur", ""}:
        return ()
    if text in {"24h", "24 h", "24 hours", "24 jam"}:
        return ((0, 86400),)
    spans: list[tuple[int, int]] = []
    for part in text.split(","):
        match = _RANGE.match(part.strip())
        if not match:
            raise AgreementError(f"{field}: cannot read {part.strip()!r}; {expected}", field=field)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise AgreementError(f"{field}: {part.strip()!r} is not a time of day (00:00–24:00)", field=field)
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        if end <= start:
            raise AgreementError(
                f"{field}: {part.strip()!r} ends before it starts; write night hours as two ranges on two days "
                '(e.g. "22:00-24:00" and "00:00-06:00")',
                field=field,
            )
        spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            raise AgreementError(f"{field}: the ranges in {value!r} overlap", field=field)
        if merged and start == merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _parse_holidays(value: object, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, str):
        value = {"country": value}
    if not isinstance(value, Mapping):
        raise AgreementError(
            f"{where}: expected {{country: ID, categories: [public, government]}}", field=where
        )
    unknown = sorted(set(map(str, value)) - _HOLIDAY_KEYS)
    if unknown:
        raise AgreementError(
            f"{where}.{unknown[0]}: unknown key {unknown[0]!r} (expected country, categories, subdiv, language)",
            field=f"{where}.{unknown[0]}",
        )
    country = value.get("country")
    supported = holidays_package.list_supported_countries()
    if not isinstance(country, str) or country.upper() not in supported:
        raise AgreementError(
            f"{where}.country: unknown country {country!r} (expected an ISO 3166 code known to the holidays "
            "package, e.g. ID, SG, NL, US)",
            field=f"{where}.country",
        )
    country = country.upper()
    entity = getattr(holidays_package, country)
    categories = value.get("categories", ["public"])
    if isinstance(categories, str):
        categories = [categories]
    allowed = tuple(entity.supported_categories)
    if not isinstance(categories, list | tuple) or not categories:
        raise AgreementError(
            f"{where}.categories: expected a list from {list(allowed)}", field=f"{where}.categories"
        )
    for category in categories:
        if category not in allowed:
            raise AgreementError(
                f"{where}.categories: {country} has no holiday category {category!r} (expected one of "
                f"{', '.join(allowed)})",
                field=f"{where}.categories",
            )
    subdiv = value.get("subdiv")
    subdivisions = tuple(getattr(entity, "subdivisions", ()))
    if subdiv is not None and str(subdiv) not in subdivisions:
        raise AgreementError(
            f"{where}.subdiv: {country} has no subdivision {subdiv!r}"
            + (f" (expected one of {', '.join(subdivisions)})" if subdivisions else " (it has none)"),
            field=f"{where}.subdiv",
        )
    language = value.get("language", getattr(entity, "default_language", None))
    languages = tuple(getattr(entity, "supported_languages", ()))
    if language is not None and str(language) not in languages:
        raise AgreementError(
            f"{where}.language: holiday names for {country} come in {', '.join(languages) or 'no languages'}, "
            f"not {language!r}",
            field=f"{where}.language",
        )
    return {
        "holiday_country": country,
        "holiday_categories": tuple(sorted(set(map(str, categories)))),
        "holiday_subdiv": None if subdiv is None else str(subdiv),
        "holiday_language": None if language is None else str(language),
    }


def country_holidays(
    country: str, year: int, *, categories: tuple[str, ...], subdiv: str | None, language: str | None
) -> dict[date, str]:
    """One year of a country's holidays from the ``holidays`` package (date → name; same-day names joined)."""
    found = holidays_package.country_holidays(
        country, subdiv=subdiv, years=year, categories=categories, language=language
    )
    return {d: str(n) for d, n in sorted(found.items()) if d.year == year}


def _parse_closed(value: object, where: str) -> tuple[tuple[date, str], ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        value = [{"date": k, "name": v} for k, v in value.items()]
    if not isinstance(value, list | tuple):
        raise AgreementError(f"{where}: expected a list of dates such as [2026-03-20]", field=where)
    days: dict[date, str] = {}
    for index, item in enumerate(value):
        field = f"{where}[{index}]"
        if isinstance(item, Mapping):
            name = str(item.get("name") or "")
            if "date" in item:
                days[_date(item["date"], f"{field}.date")] = name
            elif "from" in item and "to" in item:
                first, last = _date(item["from"], f"{field}.from"), _date(item["to"], f"{field}.to")
                if last < first:
                    raise AgreementError(f"{field}: 'to' is before 'from'", field=field)
                for k in range((last - first).days + 1):
                    days[first + timedelta(days=k)] = name
            else:
                raise AgreementError(
                    f"{field}: expected a date, {{date, name}} or {{from, to, name}}", field=field
                )
        else:
            days[_date(item, field)] = ""
    return tuple(sorted(days.items()))


def _date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise AgreementError(
            f"{field}: expected a date such as 2026-03-20, got {value!r}", field=field
        ) from None
