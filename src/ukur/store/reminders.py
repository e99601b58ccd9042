"""Agreements that need attention soon: a review that is due, or an end date that is near.

For every agreement the viewer may see, the newest version is read:

* **review due**: ``review.next`` when the file states it, else the first date on or after today of
  ``effective.from`` plus a whole number of ``review.every`` cadences (month, quarter, half-year, year);
  a stated ``review.next`` already in the past is overdue and always listed;
* **expiring**: ``effective.to`` from today on.

Each is listed when it falls within ``within_days`` (30 by default) of today.  Nothing here sends mail:
:mod:`ukur.reminders` turns the list into e-mails.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.store.access import Viewer
from ukur.store.agreements import list_agreements, parse_agreement_text
from ukur.store.evaluation_cache import loaded_version

__all__ = ["CADENCE_MONTHS", "Reminder", "add_months", "due_reminders", "next_review"]

CADENCE_MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
"""Months per ``review.every`` cadence of ``sla/v1``."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """One thing to remind about: ``kind`` is ``review`` or ``expiry``; ``days`` from today (negative: overdue)."""

    agreement_id: int
    slug: str
    title: str
    customer_org_id: int | None
    kind: str
    due: date
    days: int

    def to_dict(self) -> dict[str, object]:
        """JSON form (the CLI's ``--format json`` and the job's result)."""
        return {
            "agreement_id": self.agreement_id,
            "slug": self.slug,
            "title": self.title,
            "kind": self.kind,
            "due": self.due.isoformat(),
            "days": self.days,
        }


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(start: date, every: str, today: date) -> date:
    """The first ``start + k·every`` (k ≥ 1) on or after ``today``."""
    step = CADENCE_MONTHS[every]
    k = 1
    if today > start:
        k = max(1, ((today.year - start.year) * 12 + today.month - start.month) // step)
    while add_months(start, k * step) < today:
        k += 1
    return add_months(start, k * step)


def _stated_next(text: str) -> date | None:
    review = parse_agreement_text(text).get("review")
    value = review.get("next") if isinstance(review, dict) else None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def due_reminders(session: Session, viewer: Viewer, *, today: date, within_days: int = 30) -> list[Reminder]:
    """The visible agreements due for review or expiring within ``within_days`` of ``today``, soonest first."""
    found: list[Reminder] = []
    for agreement in list_agreements(session, viewer):
        if not agreement.versions:
            continue
        text = agreement.versions[-1].yaml_text
        try:
            loaded = loaded_version(session, agreement).agreement  # validated once per content hash
            stated = _stated_next(text)
        except UkurError:
            continue

        review = stated
        if review is None and loaded.review_every in CADENCE_MONTHS and loaded.effective_from is not None:
            review = next_review(loaded.effective_from, loaded.review_every, today)
        end = loaded.effective_to
        for kind, due in (("review", review), ("expiry", end)):
            if due is None or (due - today).days > within_days or (kind == "expiry" and due < today):
                continue
            found.append(
                Reminder(
                    agreement_id=agreement.id,
                    slug=agreement.slug,
                    title=agreement.title,
                    customer_org_id=agreement.customer_org_id,
                    kind=kind,
                    due=due,
                    days=(due - today).days,
                )
            )
    return sorted(found, key=lambda r: (r.due, r.slug, r.kind))
