"""A database-backed cache of computed results (SLA evaluations, success views), keyed by their inputs.

Evaluating an agreement reads every record of its streams; the pages and the API used to do it on every
view.  Here a result is stored as JSON (table ``evaluation_cache``, never pickle) under a key that is the
SHA-256 of everything it depends on:

* the agreement's newest version (its content hash) and the newest versions of the parents it names
  (:func:`loaded_version`, which also memoises the validated agreement in-process);
* the *data revision*: ``revision`` of each of the owner organisation's streams the agreement reads
  (bumped by every record or status import) and the agreement's claims (count and newest change);
* the variant asked (period, language, ...) and, for results that depend on who asks (the success
  figures: a customer's come from its own feedback only), the viewer's organisation scope.

A result older than ``max_age`` seconds is stale (open records' clocks run, the current window moves),
so it is recomputed; the newest stale one may still be shown while that happens (:func:`latest`).
Storing is an upsert on the key, so two processes computing the same key at once both succeed.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ukur.errors import AgreementError, UkurError
from ukur.sla import Agreement as SlaAgreement
from ukur.sla import AgreementRegistry
from ukur.store.access import Viewer, org_filter
from ukur.store.models_cache import CachedResult
from ukur.store.models_feedback import FeedbackAnswer
from ukur.store.models_sla import Agreement, AgreementVersion, Claim, ClaimEvent, RecordStream
from ukur.store.types import utcnow

__all__ = [
    "MEMO_SIZE",
    "LoadedVersion",
    "cache_key",
    "claims_revision",
    "feedback_revision",
    "is_fresh",
    "latest",
    "loaded_version",
    "lookup",
    "scope_of",
    "store",
    "streams_revision",
]

MEMO_SIZE = 256
"""Validated agreements kept in-process (least recently used first out)."""


@dataclass(frozen=True, slots=True)
class LoadedVersion:
    """An agreement's newest version validated by the SLA engine, and the hashes it was built from."""

    agreement: SlaAgreement
    version_key: str


@dataclass(frozen=True, slots=True)
class _Memo:
    depends: tuple[tuple[str, str], ...]  # (slug, content hash) of every parent read
    loaded: SlaAgreement


_memo: OrderedDict[str, _Memo] = OrderedDict()
_memo_lock = threading.Lock()


def _newest(session: Session, slug: str) -> tuple[str, str] | None:
    row = session.execute(
        select(AgreementVersion.yaml_text, AgreementVersion.content_hash)
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .where(Agreement.slug == slug)
        .order_by(AgreementVersion.number.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def _newest_hash(session: Session, slug: str) -> str | None:
    return session.scalar(
        select(AgreementVersion.content_hash)
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .where(Agreement.slug == slug)
        .order_by(AgreementVersion.number.desc())
        .limit(1)
    )


def loaded_version(session: Session, agreement: Agreement) -> LoadedVersion:
    """The stored agreement's newest version, validated (what ``validate_agreement`` returns).

    Validation runs once per content hash and set of parent hashes in this process: later calls only
    check, with one small query per parent, that no parent has a newer version since.  A version that
    does not validate raises its :class:`~ukur.errors.UkurError` (and is validated again next time).
    """
    if not agreement.versions:
        raise UkurError(f"agreement {agreement.slug} has no version", field="agreement")
    newest = agreement.versions[-1]
    memo_key = f"{agreement.slug}:{newest.content_hash}"
    with _memo_lock:
        found = _memo.get(memo_key)
        if found is not None:
            _memo.move_to_end(memo_key)
    if found is not None and all(_newest_hash(session, slug) == h for slug, h in found.depends):
        return _result(newest.content_hash, found)
    source = f"{agreement.slug}.yaml"
    depends: list[tuple[str, str]] = []

    def read(slug: str) -> tuple[str, str]:
        row = _newest(session, slug)
        if row is None:
            raise AgreementError(
                f"parent agreement {slug!r} is not stored yet: upload it first", source=source, field="parent"
            )
        depends.append((slug, row[1]))
        return row[0], f"{slug}.yaml"

    loaded = AgreementRegistry(read).load(newest.yaml_text, source=source)  # errors are not memoised
    memo = _Memo(tuple(depends), loaded)
    with _memo_lock:
        _memo[memo_key] = memo
        _memo.move_to_end(memo_key)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return _result(newest.content_hash, memo)


def _result(content_hash: str, memo: _Memo) -> LoadedVersion:
    parents = ",".join(f"{slug}={h}" for slug, h in memo.depends)
    return LoadedVersion(memo.loaded, f"{content_hash}|{parents}")


def streams_revision(session: Session, organisation_id: int, names: list[str] | tuple[str, ...]) -> str:
    """``name:id:revision`` of each stored stream of the organisation the agreement reads."""
    rows = session.execute(
        select(RecordStream.name, RecordStream.id, RecordStream.revision)
        .where(RecordStream.organisation_id == organisation_id, RecordStream.name.in_(list(names)))
        .order_by(RecordStream.name)
    ).all()
    return ";".join(f"{name}:{ident}:{revision}" for name, ident, revision in rows)


def claims_revision(session: Session, agreement_id: int) -> str:
    """Count and newest id of the agreement's claims and of their state changes."""
    claims = session.execute(
        select(func.count(Claim.id), func.max(Claim.id)).where(Claim.agreement_id == agreement_id)
    ).one()
    events = session.execute(
        select(func.count(ClaimEvent.id), func.max(ClaimEvent.id))
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .where(Claim.agreement_id == agreement_id)
    ).one()
    return f"{claims[0]}:{claims[1]}:{events[0]}:{events[1]}"


def feedback_revision(session: Session, viewer: Viewer, agreement_id: int) -> str:
    """Count and newest id of the feedback answers about the agreement that ``viewer`` may see."""
    row = session.execute(
        select(func.count(FeedbackAnswer.id), func.max(FeedbackAnswer.id)).where(
            FeedbackAnswer.agreement_id == agreement_id, org_filter(viewer, FeedbackAnswer.customer_org_id)
        )
    ).one()
    return f"{row[0]}:{row[1]}"


def scope_of(viewer: Viewer) -> str:
    """Whose view of the data a result is: ``provider`` (every organisation), ``org:N``, or ``none``."""
    if viewer.is_provider:
        return "provider"
    if viewer.role == "customer" and viewer.organisation_id is not None:
        return f"org:{viewer.organisation_id}"
    return "none"


def cache_key(parts: dict[str, Any]) -> str:
    """The SHA-256 of the key's parts (a JSON object of text and numbers)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def is_fresh(row: CachedResult, max_age: float, now: datetime | None = None) -> bool:
    """The row was computed less than ``max_age`` seconds ago."""
    return (now or utcnow()) - row.computed_at < timedelta(seconds=max_age)


def lookup(session: Session, key: str) -> CachedResult | None:
    """The cached result stored under ``key`` (fresh or not)."""
    return session.scalar(select(CachedResult).where(CachedResult.key == key))


def latest(session: Session, agreement_id: int, kind: str, scope: str, variant: str) -> CachedResult | None:
    """The newest result of this agreement, kind, scope and variant, whatever its key (possibly stale)."""
    return session.scalar(
        select(CachedResult)
        .where(
            CachedResult.agreement_id == agreement_id,
            CachedResult.kind == kind,
            CachedResult.scope == scope,
            CachedResult.variant == variant,
        )
        .order_by(CachedResult.computed_at.desc(), CachedResult.id.desc())
        .limit(1)
    )


def store(
    session: Session,
    *,
    agreement_id: int,
    kind: str,
    scope: str,
    variant: str,
    key: str,
    result: dict[str, Any],
    computed_at: datetime | None = None,
) -> datetime:
    """Store ``result`` under ``key`` (insert, or replace what a concurrent process stored) and drop the
    older results of the same agreement, kind, scope and variant.  Returns the time stored."""
    now = computed_at or utcnow()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {
        "agreement_id": agreement_id,
        "kind": kind,
        "scope": scope,
        "variant": variant[:200],
        "key": key,
        "result": result,
        "computed_at": now,
    }
    statement = insert(CachedResult).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={"result": statement.excluded.result, "computed_at": statement.excluded.computed_at},
    )
    with session.begin_nested():
        session.execute(
            delete(CachedResult)
            .where(
                CachedResult.agreement_id == agreement_id,
                CachedResult.kind == kind,
                CachedResult.scope == scope,
                CachedResult.variant == variant[:200],
                CachedResult.key != key,
            )
            .execution_options(synchronize_session=False)
        )
        session.execute(statement)
    return now
