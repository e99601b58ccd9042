"""Accounts: argon2 passwords, roles, organisations, API tokens (hashed, revocable) and the audit log."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import select

from ukur.errors import UkurError
from ukur.store import SYSTEM, AuthenticationError, ConflictError, PermissionDenied, Viewer, accounts, audit
from ukur.store.engine import transaction
from ukur.store.models import ApiToken, AuditEntry


def _setup(sessions):
    with transaction(sessions) as s:
        org = accounts.create_organisation(s, SYSTEM, "Toko Batik Sari", "customer")
        admin = accounts.create_user(
            s, SYSTEM, email="Admin@Example.com", password="correct horse 1", role="admin"
        )
        cust = accounts.create_user(
            s,
            SYSTEM,
            email="sari@batik.id",
            password="batik sari 12",
            role="customer",
            organisation_id=org.id,
        )
        return org.id, admin.id, cust.id


def test_passwords_are_argon2_and_authenticate(sessions):
    _, admin_id, _ = _setup(sessions)
    with transaction(sessions) as s:
        user = accounts.authenticate(s, "  admin@example.COM ", "correct horse 1")
        assert user.id == admin_id
        assert user.password_hash.startswith("$argon2id$")
        assert user.last_login_at is not None and user.last_login_at.tzinfo == UTC
    with transaction(sessions) as s, pytest.raises(AuthenticationError, match="wrong e-mail or password"):
        accounts.authenticate(s, "admin@example.com", "wrong password")
    with transaction(sessions) as s, pytest.raises(AuthenticationError, match="wrong e-mail or password"):
        accounts.authenticate(s, "nobody@example.com", "correct horse 1")


def test_user_rules(sessions):
    _, admin_id, _ = _setup(sessions)
    with transaction(sessions) as s, pytest.raises(ConflictError, match="already exists"):
        accounts.create_user(s, SYSTEM, email="admin@example.com", password="another pass 1", role="staff")
    with transaction(sessions) as s, pytest.raises(UkurError, match="customer organisation"):
        accounts.create_user(s, SYSTEM, email="c@x.id", password="another pass 1", role="customer")
    with transaction(sessions) as s, pytest.raises(UkurError, match="at least 10"):
        accounts.create_user(s, SYSTEM, email="d@x.id", password="short", role="staff")
    staff = Viewer(user_id=admin_id + 100, role="staff")
    with transaction(sessions) as s, pytest.raises(PermissionDenied):
        accounts.create_user(s, staff, email="e@x.id", password="another pass 1", role="staff")
    with transaction(sessions) as s, pytest.raises(PermissionDenied):
        accounts.list_users(s, staff)


def test_tokens_are_hashed_and_revocable(sessions):
    _, admin_id, cust_id = _setup(sessions)
    viewer = Viewer(user_id=cust_id, role="customer")
    with transaction(sessions) as s:
        row, token = accounts.create_token(s, viewer, "laptop")
        token_id = row.id
    with transaction(sessions) as s:
        stored = s.scalar(select(ApiToken).where(ApiToken.id == token_id))
        assert token not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
        assert accounts.user_by_token(s, token).id == cust_id
    other = Viewer(user_id=admin_id + 100, role="staff")
    with transaction(sessions) as s, pytest.raises(UkurError, match="not found"):
        accounts.revoke_token(s, other, token_id)
    with transaction(sessions) as s:
        accounts.revoke_token(s, viewer, token_id)
    with transaction(sessions) as s, pytest.raises(AuthenticationError):
        accounts.user_by_token(s, token)


def test_every_change_is_audited_without_secrets(sessions):
    _setup(sessions)
    with transaction(sessions) as s:
        entries = audit.recent(s)
        assert {(e.action, e.entity) for e in entries} >= {("create", "user"), ("create", "organisation")}
        dumped = repr([e.details for e in s.scalars(select(AuditEntry))])
        assert "correct horse" not in dumped and "argon2" not in dumped
