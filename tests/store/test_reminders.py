"""Reminders: what is due (review cadence, stated next review, end date), who is told, and real SMTP delivery.

The SMTP server is a tiny RFC 5321 receiver written here on the standard library's ``socketserver``
(EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT), listening on a free loopback port,
so the test exercises ``smtplib`` end to end without any outside service.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes

import pytest

from tests.conftest import sla_yaml
from ukur.cli.main import run
from ukur.config import Settings
from ukur.errors import UkurError
from ukur.jobs.base import JobRegistry
from ukur.reminders import KIND, register_reminders, send_reminders
from ukur.store import SYSTEM, Viewer, accounts, agreements, make_engine, make_session_factory, migrate
from ukur.store.engine import transaction
from ukur.store.models import AuditEntry
from ukur.store.reminders import add_months, due_reminders, next_review

TODAY = date(2026, 3, 20)


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        box: list[dict[str, object]] = self.server.mailbox  # type: ignore[attr-defined]
        self.wfile.write(b"220 test ESMTP\r\n")
        envelope: dict[str, object] = {"rcpt": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
            elif verb in ("HELO", "NOOP", "RSET"):
                envelope = {"rcpt": []} if verb == "RSET" else envelope
                self.wfile.write(b"250 ok\r\n")
            elif verb == "MAIL":
                envelope["from"] = line.decode().split(":", 1)[1].strip()
                self.wfile.write(b"250 ok\r\n")
            elif verb == "RCPT":
                envelope["rcpt"].append(line.decode().split(":", 1)[1].strip())  # type: ignore[attr-defined]
                self.wfile.write(b"250 ok\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go on\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                box.append({**envelope, "data": b"".join(data)})
                envelope = {"rcpt": []}
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 not implemented\r\n")


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[dict[str, object]]]]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.mailbox = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], server.mailbox  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_add_months_clamps_and_next_review_steps_by_cadence():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert next_review(date(2026, 1, 1), "quarter", TODAY) == date(2026, 4, 1)
    assert next_review(date(2026, 1, 1), "quarter", date(2026, 4, 1)) == date(2026, 4, 1)
    assert next_review(date(2025, 6, 30), "year", TODAY) == date(2026, 6, 30)
    assert next_review(date(2026, 3, 25), "month", TODAY) == date(2026, 4, 25)  # not before one cadence


def _seed(url: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as s:
        accounts.create_organisation(s, SYSTEM, "PT Kilat", "provider")
        a = accounts.create_organisation(s, SYSTEM, "Toko A", "customer")
        b = accounts.create_organisation(s, SYSTEM, "Toko B", "customer")
        accounts.create_user(
            s, SYSTEM, email="staff@example.com", password="x" * 12, role="staff", name="Staff"
        )
        accounts.create_user(
            s,
            SYSTEM,
            email="a@example.com",
            password="x" * 12,
            role="customer",
            name="Ani",
            organisation_id=a.id,
        )
        bob = accounts.create_user(
            s, SYSTEM, email="b@example.com", password="x" * 12, role="customer", name="Bob", organisation_id=b.id
        )  # fmt: skip
        bob.language = "id"
        # review every quarter from 1 Jan: next 1 Apr, 12 days after TODAY -> due
        agreements.upload_agreement(
            s,
            SYSTEM,
            sla_yaml("a-review", "Toko A", extra="effective: {from: 2026-01-01}\nreview: {every: quarter}\n"),
        )
        # ends 10 Apr -> expiring; stated review.next far away -> not a review reminder
        agreements.upload_agreement(
            s, SYSTEM,
            sla_yaml("b-expiry", "Toko B", extra="effective: {from: 2025-04-11, to: 2026-04-10}\nreview: {next: 2026-09-01}\n"),
        )  # fmt: skip
        # nothing due: yearly review from 1 Jan, ends in December
        agreements.upload_agreement(
            s, SYSTEM,
            sla_yaml("a-quiet", "Toko A", extra="effective: {from: 2026-01-01, to: 2026-12-31}\nreview: {every: year}\n"),
        )  # fmt: skip
        # a stated review date already passed is overdue and listed
        agreements.upload_agreement(
            s, SYSTEM, sla_yaml("a-overdue", "Toko A", extra="review: {next: 2026-03-01}\n")
        )
    engine.dispose()


def test_due_reminders_by_kind_and_visibility(database_url):
    _seed(database_url)
    engine = make_engine(database_url)
    with transaction(make_session_factory(engine)) as s:
        everything = due_reminders(s, SYSTEM, today=TODAY)
        assert [(r.slug, r.kind, r.due.isoformat(), r.days) for r in everything] == [
            ("a-overdue", "review", "2026-03-01", -19),
            ("a-review", "review", "2026-04-01", 12),
            ("b-expiry", "expiry", "2026-04-10", 21),
        ]
        org_a = next(r.customer_org_id for r in everything if r.slug == "a-review")
        seen_by_a = due_reminders(
            s, Viewer(user_id=None, role="customer", organisation_id=org_a), today=TODAY
        )
        assert {r.slug for r in seen_by_a} == {"a-review", "a-overdue"}
        assert [r.slug for r in due_reminders(s, SYSTEM, today=TODAY, within_days=5)] == ["a-overdue"]
    engine.dispose()


def test_reminders_are_mailed_through_a_local_smtp_server(database_url, smtp_server):
    port, mailbox = smtp_server
    _seed(database_url)
    settings = Settings(
        database_url=database_url, smtp_host="127.0.0.1", smtp_port=port, smtp_from="sla@kilat.example"
    )
    engine = make_engine(database_url)
    with transaction(make_session_factory(engine)) as s:
        result = send_reminders(s, settings, today=TODAY)
    assert sorted(result["sent"]) == ["a@example.com", "b@example.com", "staff@example.com"]
    by_rcpt = {m["rcpt"][0]: message_from_bytes(m["data"]) for m in mailbox}  # type: ignore[index, arg-type]
    assert set(by_rcpt) == {"<a@example.com>", "<b@example.com>", "<staff@example.com>"}
    staff = by_rcpt["<staff@example.com>"].get_payload()
    assert "a-review" in staff and "b-expiry" in staff and "a-overdue" in staff and "2026-04-10" in staff
    customer_a = by_rcpt["<a@example.com>"]
    assert customer_a["From"] == "sla@kilat.example" and "b-expiry" not in customer_a.get_payload()
    customer_b = by_rcpt["<b@example.com>"]
    assert "berakhir 2026-04-10" in customer_b.get_payload() and "a-review" not in customer_b.get_payload()
    with transaction(make_session_factory(engine)) as s:
        assert s.query(AuditEntry).filter(AuditEntry.entity == "reminders").count() == 1
    engine.dispose()


def test_cli_sends_and_dry_run_needs_no_server(database_url, smtp_server, monkeypatch, capsys):
    port, mailbox = smtp_server
    _seed(database_url)
    assert (
        run(["reminders", "send", "--database-url", database_url, "--today", "2026-03-20", "--dry-run"]) == 0
    )
    assert '"slug": "b-expiry"' in capsys.readouterr().out and mailbox == []
    monkeypatch.delenv("UKUR_SMTP_HOST", raising=False)
    assert run(["reminders", "send", "--database-url", database_url, "--today", "2026-03-20"]) == 2
    assert "UKUR_SMTP_HOST" in capsys.readouterr().err
    monkeypatch.setenv("UKUR_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("UKUR_SMTP_PORT", str(port))
    assert run(["reminders", "send", "--database-url", database_url, "--today", "2026-03-20"]) == 0
    assert len(mailbox) == 3
    assert run(["reminders", "send", "--database-url", database_url, "--today", "March"]) == 2


def test_unreachable_smtp_server_is_a_clear_error(database_url):
    _seed(database_url)
    settings = Settings(database_url=database_url, smtp_host="127.0.0.1", smtp_port=1)
    engine = make_engine(database_url)
    with (
        transaction(make_session_factory(engine)) as s,
        pytest.raises(UkurError, match="cannot reach the SMTP"),
    ):
        send_reminders(s, settings, today=TODAY)
    engine.dispose()


def test_the_reminders_job_kind_sends_through_the_app_settings(database_url, smtp_server):
    port, mailbox = smtp_server
    _seed(database_url)
    settings = Settings(database_url=database_url, smtp_host="127.0.0.1", smtp_port=port)
    engine = make_engine(database_url)
    kinds = JobRegistry()
    register_reminders(kinds, make_session_factory(engine), settings)
    steps: list[float] = []
    result = kinds.get(KIND)({"today": "2026-03-20"}, lambda fraction, message="": steps.append(fraction))
    assert len(result["sent"]) == 3 and len(mailbox) == 3 and steps[-1] == 1.0
    engine.dispose()
