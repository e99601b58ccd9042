"""Reminder e-mails: every user hears about the agreements they see that are due for review or expiring.

:func:`ukur.store.reminders.due_reminders` finds what is due; here each active admin and staff user gets
every reminder and each active customer user the reminders of its own organisation, one e-mail per person,
sent through the SMTP server of the settings (``UKUR_SMTP_HOST``/``PORT``/``USER``/``PASSWORD``/``FROM``).
Port 465 speaks TLS from the start; on other ports STARTTLS is used when the server offers it, and a login
happens only when a user name is set.  ``ukur reminders send`` and the ``reminders.send`` job call
:func:`send_reminders`.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ukur.config import Settings
from ukur.errors import UkurError
from ukur.jobs.base import JobRegistry, Progress
from ukur.store import audit
from ukur.store.access import SYSTEM
from ukur.store.engine import SessionFactory, transaction
from ukur.store.models import User
from ukur.store.reminders import Reminder, due_reminders
from ukur.store.types import utcnow

__all__ = ["KIND", "Outgoing", "compose", "plan", "register_reminders", "send_reminders"]

KIND = "reminders.send"
WORDS = {
    "en": {"review": "review due", "expiry": "expires", "subject": "ukur: {n} agreement(s) need attention"},
    "id": {
        "review": "peninjauan jatuh tempo",
        "expiry": "berakhir",
        "subject": "ukur: {n} perjanjian perlu perhatian",
    },
}


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One e-mail to write: the recipient and the reminders they may see."""

    email: str
    name: str
    language: str
    reminders: tuple[Reminder, ...]


def plan(session: Session, *, today: date, within_days: int = 30) -> list[Outgoing]:
    """Who gets which reminders: provider roles all of them, customer users their organisation's."""
    due = due_reminders(session, SYSTEM, today=today, within_days=within_days)
    if not due:
        return []
    users = session.scalars(
        select(User)
        .where(User.active.is_(True), User.role.in_(("admin", "staff", "customer")))
        .order_by(User.id)
    )
    out = []
    for user in users:
        mine = tuple(
            r
            for r in due
            if user.role != "customer"
            or (r.customer_org_id is not None and r.customer_org_id == user.organisation_id)
        )
        if mine:
            out.append(Outgoing(user.email, user.name, user.language or "en", mine))
    return out


def compose(item: Outgoing, *, sender: str, base_url: str = "") -> EmailMessage:
    """The plain-text e-mail for ``item`` in the recipient's language."""
    words = WORDS.get(item.language, WORDS["en"])
    message = EmailMessage()
    message["From"] = sender
    message["To"] = item.email
    message["Subject"] = words["subject"].format(n=len({r.agreement_id for r in item.reminders}))
    lines = [f"{item.name or item.email},", ""]
    for r in item.reminders:
        link = f" {base_url.rstrip('/')}/agreements/{r.agreement_id}" if base_url else ""
        lines.append(f"- {r.title} ({r.slug}): {words[r.kind]} {r.due.isoformat()}{link}")
    message.set_content("\n".join(lines) + "\n")
    return message


def _connect(settings: Settings) -> smtplib.SMTP:
    if not settings.smtp_host:
        raise UkurError("set UKUR_SMTP_HOST to send reminder e-mails", field="smtp_host")
    try:
        if settings.smtp_port == 465:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=30, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
    except (OSError, smtplib.SMTPException) as exc:
        raise UkurError(
            f"cannot reach the SMTP server {settings.smtp_host}:{settings.smtp_port}: {exc}",
            field="smtp_host",
        ) from None
    return smtp


def send_reminders(
    session: Session,
    settings: Settings,
    *,
    today: date | None = None,
    within_days: int = 30,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Send each recipient its reminders; returns ``{"today", "reminders", "sent": [emails]}``.

    With ``dry_run`` nothing is sent (and no SMTP server is needed).  The sending is audit-logged.
    """
    day = today or utcnow().date()
    outgoing = plan(session, today=day, within_days=within_days)
    due = due_reminders(session, SYSTEM, today=day, within_days=within_days)
    sent: list[str] = []
    if outgoing and not dry_run:
        smtp = _connect(settings)
        try:
            for item in outgoing:
                try:
                    smtp.send_message(compose(item, sender=settings.smtp_from))
                except smtplib.SMTPException as exc:
                    raise UkurError(f"the SMTP server refused the e-mail to {item.email}: {exc}") from None
                sent.append(item.email)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        audit.log(session, SYSTEM, "send", "reminders", day.isoformat(), recipients=len(sent), due=len(due))
    return {"today": day.isoformat(), "reminders": [r.to_dict() for r in due], "sent": sent}


def register_reminders(kinds: JobRegistry, sessions: SessionFactory, settings: Settings) -> None:
    """Register the ``reminders.send`` job kind (payload: optional ``today`` and ``within_days``)."""

    def run(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
        progress(0.1, "finding agreements due")
        today = date.fromisoformat(payload["today"]) if payload.get("today") else None
        with transaction(sessions) as session:
            result = send_reminders(
                session, settings, today=today, within_days=int(payload.get("within_days", 30))
            )
        progress(1.0, f"{len(result['sent'])} e-mail(s) sent")
        return result

    kinds.register(KIND, run)
