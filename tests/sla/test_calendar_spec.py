"""The calendars: syntax — opening hours, holidays, closed days — and its error messages."""

from __future__ import annotations

from datetime import date

import pytest

from ukur.errors import AgreementError
from ukur.sla.calendar import BusinessCalendar

OFFICE = {
    "hours": {"mon-fri": "08:00-12:00,13:00-17:00", "sat": "08:00-12:00"},
    "holidays": {"country": "ID", "categories": ["public", "government"]},
    "closed": ["2026-03-20"],
}


def test_office_hours_per_weekday() -> None:
    cal = BusinessCalendar.from_spec("office", OFFICE, timezone="Asia/Jakarta")
    office = ((8 * 3600, 12 * 3600), (13 * 3600, 17 * 3600))
    assert cal.hours == (office,) * 5 + (((8 * 3600, 12 * 3600),), ())
    assert cal.to_dict()["hours"] == {
        "mon": "08:00-12:00,13:00-17:00",
        "tue": "08:00-12:00,13:00-17:00",
        "wed": "08:00-12:00,13:00-17:00",
        "thu": "08:00-12:00,13:00-17:00",
        "fri": "08:00-12:00,13:00-17:00",
        "sat": "08:00-12:00",
        "sun": "closed",
    }


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ({"sat,sun": "24h"}, [(), (), (), (), (), ((0, 86400),), ((0, 86400),)]),
        (
            {"fri-mon": "00:00-24:00"},
            [((0, 86400),), (), (), (), ((0, 86400),), ((0, 86400),), ((0, 86400),)],
        ),
        ({"senin-jumat": ["08:00-12:00", "12:00-16:00"]}, [((28800, 57600),)] * 5 + [(), ()]),
        ({"monday": "9:30-17:45", "tue": "closed"}, [((34200, 63900),)] + [()] * 6),
    ],
)
def test_day_keys_and_values(hours: dict[str, object], expected: list[tuple[tuple[int, int], ...]]) -> None:
    assert BusinessCalendar.from_spec("c", {"hours": hours}, timezone="UTC").hours == tuple(expected)


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        ({"hours": {"mon-fir": "08:00-17:00"}}, "calendars.c.hours.mon-fir", "unknown day"),
        ({"hours": {"mon": "8-17"}}, "calendars.c.hours.mon", "expected hours"),
        ({"hours": {"mon": "17:00-08:00"}}, "calendars.c.hours.mon", "ends before it starts"),
        ({"hours": {"mon": "08:00-25:00"}}, "calendars.c.hours.mon", "not a time of day"),
        ({"hours": {"mon": "08:00-12:00,11:00-13:00"}}, "calendars.c.hours.mon", "overlap"),
        ({"hours": {"mon-fri": "08:00-17:00", "fri": "08:00-12:00"}}, "calendars.c.hours.fri", "twice"),
        ({"hours": {"mon": 480}}, "calendars.c.hours.mon", "in quotes"),
        ({"hours": {"mon": "closed"}}, "calendars.c.hours", "never open"),
        ({}, "calendars.c.hours", "missing 'hours'"),
        ({"hours": {"mon": "24h"}, "holiday": "ID"}, "calendars.c.holiday", "unknown key"),
        (
            {"hours": {"mon": "24h"}, "holidays": {"country": "XX"}},
            "calendars.c.holidays.country",
            "unknown country",
        ),
        (
            {"hours": {"mon": "24h"}, "holidays": {"country": "ID", "categories": ["optional"]}},
            "calendars.c.holidays.categories",
            "government, public",
        ),
        (
            {"hours": {"mon": "24h"}, "holidays": {"country": "ID", "subdiv": "ZZ"}},
            "calendars.c.holidays.subdiv",
            "no subdivision",
        ),
        (
            {"hours": {"mon": "24h"}, "holidays": {"country": "ID", "language": "xx"}},
            "calendars.c.holidays.language",
            "not 'xx'",
        ),
        ({"hours": {"mon": "24h"}, "closed": ["2026-02-30"]}, "calendars.c.closed[0]", "expected a date"),
        ({"hours": {"mon": "24h"}, "closed": "2026-02-03"}, "calendars.c.closed", "list of dates"),
    ],
)
def test_errors_name_the_field(spec: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(AgreementError) as info:
        BusinessCalendar.from_spec("c", spec, timezone="UTC")
    assert info.value.field == field
    assert words in info.value.message
    assert field in info.value.message


def test_unknown_timezone() -> None:
    with pytest.raises(AgreementError, match="unknown timezone") as info:
        BusinessCalendar.from_spec("c", OFFICE, timezone="Asia/Jakata")
    assert info.value.field == "timezone"


def test_closed_days_dates_names_and_ranges() -> None:
    spec = {
        "hours": {"mon-fri": "08:00-17:00"},
        "closed": [date(2026, 3, 20), {"date": "2026-12-31", "name": "Company day"}, {"from": "2026-04-06", "to": "2026-04-08", "name": "Cuti"}],
    }  # fmt: skip
    cal = BusinessCalendar.from_spec("c", spec, timezone="Asia/Jakarta")
    assert [d.isoformat() for d, _ in cal.closed] == [
        "2026-03-20", "2026-04-06", "2026-04-07", "2026-04-08", "2026-12-31"
    ]  # fmt: skip
    assert cal.closed_reason(date(2026, 12, 31)) == "closed day: Company day"
    assert cal.closed_reason(date(2026, 3, 20)) == "closed day"
    assert cal.closed_reason(date(2026, 3, 21)) == "weekend"
    assert cal.closed_reason(date(2026, 3, 19)) is None


def test_indonesian_holidays_include_cuti_bersama() -> None:
    cal = BusinessCalendar.from_spec("office", OFFICE, timezone="Asia/Jakarta")
    table = cal.holidays_between(date(2026, 3, 17), date(2026, 3, 24))
    holidays = table[table["kind"] == "holiday"]
    # holidays 0.109 for ID 2026: Nyepi 19 March with cuti bersama 18 March; Idul Fitri 21-22 March with
    # cuti bersama 20, 23 and 24 March (government category).
    assert [d.isoformat() for d in holidays["date"]] == [
        "2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24"
    ]  # fmt: skip
    assert "Hari Raya Idul Fitri" in set(holidays["name"])
    assert list(table[table["kind"] == "closed"]["date"]) == [date(2026, 3, 20)]
    public_only = BusinessCalendar.from_spec(
        "p", {**OFFICE, "holidays": {"country": "ID", "categories": ["public"]}}, timezone="Asia/Jakarta"
    )
    assert date(2026, 3, 23) not in set(
        public_only.holidays_between(date(2026, 3, 1), date(2026, 3, 31))["date"]
    )


def test_always_open() -> None:
    cal = BusinessCalendar.always_open("Asia/Jakarta")
    assert cal.name == "24x7" and cal.always and cal.hours == (((0, 86400),),) * 7


def test_builtin_calendars() -> None:
    from ukur.sla.calendar import builtin_calendar

    office = builtin_calendar("office-id")
    assert office.timezone == "Asia/Jakarta" and office.holiday_categories == ("government", "public")
    assert office.to_dict()["hours"]["sat"] == "08:00-12:00"  # type: ignore[index]
    assert builtin_calendar("office-id", timezone="Asia/Makassar").timezone == "Asia/Makassar"
    assert builtin_calendar("24x7").always
    with pytest.raises(AgreementError, match="expected 24x7, office-id or a YAML file"):
        builtin_calendar("office")


def test_to_dict_round_trips_through_from_spec() -> None:
    cal = BusinessCalendar.from_spec("office", OFFICE, timezone="Asia/Jakarta")
    data = cal.to_dict()
    spec = {
        "hours": data["hours"],
        "holidays": {k: v for k, v in data["holidays"].items() if v is not None},  # type: ignore[union-attr]
        "closed": [{"date": c["date"], "name": c["name"]} for c in data["closed"]],  # type: ignore[union-attr]
    }
    assert BusinessCalendar.from_spec("office", spec, timezone="Asia/Jakarta") == cal
