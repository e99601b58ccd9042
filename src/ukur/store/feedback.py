"""Customer feedback: one-answer links, the public submission, answers and the success analysis on them.

Access rules (as everywhere, through :func:`~ukur.store.access.org_filter`): the provider's staff make
links and see every answer; a customer's users see only the answers of their own organisation (an answer
belongs to the customer organisation of its link, else of its agreement); anything else is a 404.  The
public form reaches a link only by its token, whose SHA-256 is all that is stored; the token is good for
one answer (a second submission is a :class:`~ukur.store.errors.ConflictError`, also when two race,
because ``feedback_answers.link_id`` is UNIQUE).

:func:`success_for` runs :func:`ukur.success.analyze` on a visible agreement's stored records, status
histories, claims and the answers the viewer may see, so a customer's success figures are computed from
its own feedback only.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ukur.errors import DataError, UkurError
from ukur.sla import Agreement as SlaAgreement
from ukur.store import audit
from ukur.store.access import Viewer, ensure_can_edit_sla, not_found, org_filter
from ukur.store.agreements import get_agreement, validate_agreement
from ukur.store.compliance import claims_frame, status_frames, stream_frames
from ukur.store.errors import ConflictError, NotFoundError
from ukur.store.models import Organisation
from ukur.store.models_feedback import FeedbackAnswer, FeedbackLink
from ukur.store.models_sla import Agreement, Record, RecordStream
from ukur.store.models_survey import Survey
from ukur.store.surveys import questionnaire_of
from ukur.store.timestamps import zone
from ukur.store.types import utcnow
from ukur.success import AtRiskRule, ComplaintTargets, Success, analyze, feedback_answer
from ukur.success.feedback import ANSWERS, FEEDBACK_COLUMNS, RANGES, validate_feedback
from ukur.survey import Questionnaire

__all__ = [
    "COMPLAINTS_STREAM",
    "answer_dict",
    "check_answer_map",
    "complaint_targets",
    "create_link",
    "feedback_frame",
    "import_answers",
    "link_by_token",
    "link_questionnaire",
    "list_answers",
    "list_links",
    "submit_answer",
    "submit_survey_answer",
    "success_for",
]

TOKEN_PREFIX = "fb_"
COMPLAINTS_STREAM = "complaints"
"""The record stream of complaints (``id, received_at, acknowledged_at, resolved_at`` and optional
``customer``, ``record_id``), uploaded like any record stream into the agreement's owner's streams."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_link(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    *,
    record_id: str | None = None,
    customer_org_id: int | None = None,
    survey_id: int | None = None,
    answer_map: Mapping[str, str] | None = None,
) -> tuple[FeedbackLink, str]:
    """A new one-answer link (provider roles only) and its token, which is shown once and never stored.

    ``record_id`` (a stored record of the agreement's streams) makes it a per-record link; without it the
    link is a periodic survey of the customer organisation (``customer_org_id``, default: the agreement's
    customer organisation).  ``survey_id`` names a stored questionnaire of the survey module to ask
    instead of the built-in one; ``answer_map`` (see :func:`check_answer_map`) says which of its items
    give CSAT, effort and NPS, by default the items coded ``csat``, ``effort`` and ``nps`` if it has them.
    """
    ensure_can_edit_sla(viewer)
    agreement = get_agreement(session, viewer, agreement_id)
    mapping: dict[str, str] = {}
    if survey_id is not None:
        survey = session.get(Survey, survey_id)
        if survey is None:
            raise not_found("survey", survey_id)
        mapping = check_answer_map(questionnaire_of(survey), answer_map)
    elif answer_map:
        raise DataError("an answer map needs a questionnaire (survey_id)", field="answer_map")
    org_id = customer_org_id if customer_org_id is not None else agreement.customer_org_id
    if org_id is not None:
        org = session.get(Organisation, org_id)
        if org is None or org.kind != "customer":
            raise not_found("organisation", org_id)
    record = (record_id or "").strip() or None
    if record is not None:
        loaded = validate_agreement(session, agreement.versions[-1].yaml_text, f"{agreement.slug}.yaml")
        owner = agreement.customer_org_id or agreement.provider_org_id
        found = session.scalar(
            select(Record.id)
            .join(RecordStream, RecordStream.id == Record.stream_id)
            .where(
                RecordStream.organisation_id == owner,
                RecordStream.name.in_(list(loaded.streams)),
                Record.record_id == record,
            )
        )
        if found is None:
            raise UkurError(f"agreement {agreement.slug} has no record {record!r}", field="record_id")
        taken = session.scalar(
            select(FeedbackLink.id).where(
                FeedbackLink.agreement_id == agreement.id, FeedbackLink.record_id == record
            )
        )
        if taken is not None:
            raise ConflictError(f"record {record!r} already has a feedback link", field="record_id")
    token = TOKEN_PREFIX + secrets.token_urlsafe(24)
    link = FeedbackLink(
        agreement_id=agreement.id,
        customer_org_id=org_id,
        record_id=record,
        token_hash=_hash(token),
        hint=token[:10],
        created_by=viewer.user_id,
        survey_id=survey_id,
        answer_map=mapping,
    )
    session.add(link)
    session.flush()
    audit.log(
        session,
        viewer,
        "create",
        "feedback_link",
        link.id,
        agreement=agreement.slug,
        record=record,
        survey=survey_id,
    )
    return link, token


def _answer_range(q: Questionnaire, code: str) -> tuple[float, float] | None:
    """The range of a questionnaire's numeric question ``code`` (an item or a number question), else None."""
    if code in q.item_codes:
        return float(q.scale.minimum), float(q.scale.maximum)
    for p in q.profile:
        if p.code == code and p.kind == "number":
            low = p.minimum if p.minimum is not None else -math.inf
            high = p.maximum if p.maximum is not None else math.inf
            return float(low), float(high)
    return None


def check_answer_map(q: Questionnaire, answer_map: Mapping[str, str] | None) -> dict[str, str]:
    """Which items of questionnaire ``q`` give the built-in answers: ``{"csat": code, "nps": code, …}``.

    Without a map, the items coded ``csat``, ``effort`` and ``nps`` are used where ``q`` has them.  Each
    named item must be a construct item or a number question of ``q`` whose answers fit the answer's range
    (CSAT and effort 1–5, NPS 0–10; a 7-point item cannot stand for CSAT), and no item may give two
    answers.  Raises :class:`~ukur.errors.DataError` (field ``answer_map``).
    """
    if answer_map is None:
        found = {name: name for name in ANSWERS if _answer_range(q, name) is not None}
    else:
        found = {str(k).strip(): str(v).strip() for k, v in answer_map.items() if str(v or "").strip()}
    for name, code in found.items():
        if name not in ANSWERS:
            raise DataError(f"answer map: {name!r} is not one of {', '.join(ANSWERS)}", field="answer_map")
        span = _answer_range(q, code)
        if span is None:
            raise DataError(
                f"answer map: the questionnaire has no item or number question {code!r}", field="answer_map"
            )
        low, high = RANGES[name]
        if span[0] < low or span[1] > high:
            raise DataError(
                f"answer map: {code!r} is answered from {span[0]:g} to {span[1]:g}, but {name} needs "
                f"{low}–{high}",
                field="answer_map",
            )
    if len(set(found.values())) < len(found):
        raise DataError("answer map: one item cannot give two answers", field="answer_map")
    return found


def link_questionnaire(session: Session, link: FeedbackLink) -> Questionnaire | None:
    """The questionnaire a link asks (``None``: the built-in short feedback questionnaire)."""
    if link.survey_id is None:
        return None
    survey = session.get(Survey, link.survey_id)
    if survey is None:
        raise NotFoundError("this feedback link does not exist", field="token")
    return questionnaire_of(survey)


def list_links(session: Session, viewer: Viewer, agreement_id: int) -> list[FeedbackLink]:
    """The links of a visible agreement that ``viewer`` may see (a customer: its organisation's)."""
    get_agreement(session, viewer, agreement_id)
    query = (
        select(FeedbackLink)
        .where(FeedbackLink.agreement_id == agreement_id, org_filter(viewer, FeedbackLink.customer_org_id))
        .order_by(FeedbackLink.id)
    )
    return list(session.scalars(query))


def link_by_token(session: Session, token: str) -> tuple[FeedbackLink, Agreement]:
    """The link a public token opens, with its agreement; unknown tokens are a 404 (field ``token``)."""
    link = session.scalar(select(FeedbackLink).where(FeedbackLink.token_hash == _hash(token or "")))
    if link is None:
        raise NotFoundError("this feedback link does not exist", field="token")
    agreement = session.get(Agreement, link.agreement_id)
    if agreement is None:
        raise NotFoundError("this feedback link does not exist", field="token")
    return link, agreement


def submit_answer(
    session: Session, token: str, form: Mapping[str, object], *, language: str = ""
) -> FeedbackAnswer:
    """Store the one answer a token allows, checked by :func:`ukur.success.feedback_answer`.

    A used token is a :class:`ConflictError` (field ``token``); a wrong answer a
    :class:`~ukur.errors.DataError` naming the field.  Links to a survey questionnaire take
    :func:`submit_survey_answer` instead.
    """
    link, agreement = link_by_token(session, token)
    if link.used_at is not None:
        raise ConflictError("this feedback link has already been answered", field="token")
    row = feedback_answer(form, agreement=agreement.slug, record_id=link.record_id)
    return _store_answer(session, link, agreement, row, {}, language)


def submit_survey_answer(
    session: Session,
    token: str,
    answers: Mapping[str, Any],
    *,
    comment: str = "",
    language: str = "",
) -> FeedbackAnswer:
    """Store the one answer a survey-questionnaire link allows.

    ``answers`` are the questionnaire's answers by code, already checked against it (the public form
    does that with :func:`ukur.web.routes.respond.read_answers`).  The items of the link's
    ``answer_map`` fill CSAT, effort and NPS (checked for range by :func:`ukur.success.feedback_answer`);
    every other numeric answer is kept as a further item under its code, reverse-coded items already
    recoded (``min + max − answer``) so that all items of a construct point the same way, as the PLS
    analysis of the survey module does; choice answers are kept as text.  Attention checks are not kept.
    """
    link, agreement = link_by_token(session, token)
    if link.used_at is not None:
        raise ConflictError("this feedback link has already been answered", field="token")
    q = link_questionnaire(session, link)
    if q is None:
        raise UkurError("this link asks the built-in questionnaire", field="token")
    mapping = dict(link.answer_map or {})
    form: dict[str, object] = {name: answers.get(code) for name, code in mapping.items()}
    form["comment"] = comment
    row = feedback_answer(form, agreement=agreement.slug, record_id=link.record_id)
    checks = {a.code for a in q.attention_checks}
    used = set(mapping.values())
    reversed_codes = set(q.reversed_codes)
    items: dict[str, Any] = {}
    for code, value in answers.items():
        if code in used or code in checks or value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            items[code] = str(value)[:200]
        else:
            items[code] = float(q.scale.reverse(value) if code in reversed_codes else value)
    return _store_answer(session, link, agreement, row, items, language)


def _store_answer(
    session: Session,
    link: FeedbackLink,
    agreement: Agreement,
    row: Mapping[str, object],
    items: dict[str, Any],
    language: str,
) -> FeedbackAnswer:
    """Store a checked answer of ``link`` and mark the link used (one answer: UNIQUE ``link_id``)."""

    def number(name: str) -> float | None:
        value = row.get(name)
        return float(value) if isinstance(value, int | float) and math.isfinite(value) else None

    now = utcnow()
    answer = FeedbackAnswer(
        link_id=link.id,
        agreement_id=agreement.id,
        customer_org_id=link.customer_org_id,
        record_id=link.record_id,
        respondent=(str(row["respondent"])[:200] if row.get("respondent") else None),
        csat=number("csat"),
        effort=number("effort"),
        nps=number("nps"),
        comment=str(row.get("comment") or "")[:2000],
        items=items,
        language=language[:5],
        submitted_at=now,
    )
    link.used_at = now
    try:
        with session.begin_nested():
            session.add(answer)
            session.flush()
    except IntegrityError:
        raise ConflictError("this feedback link has already been answered", field="token") from None
    return answer


def import_answers(
    session: Session, viewer: Viewer, agreement_id: int, frame: pd.DataFrame, *, source: str = "feedback"
) -> int:
    """Store the rows of a feedback file about one agreement (provider roles; all or nothing).

    The rows are checked by :func:`ukur.success.validate_feedback` (times without offset are local to the
    agreement); columns beyond :data:`~ukur.success.feedback.FEEDBACK_COLUMNS` are further items (numbers).
    Imported answers have no link and belong to the agreement's customer organisation.  Returns the count.
    """
    ensure_can_edit_sla(viewer)
    agreement = get_agreement(session, viewer, agreement_id)
    loaded = validate_agreement(session, agreement.versions[-1].yaml_text, f"{agreement.slug}.yaml")
    items = [c for c in frame.columns if c not in FEEDBACK_COLUMNS]
    frame.attrs.setdefault("source", source)
    checked = validate_feedback(frame, agreements=[loaded.id], items=items, timezone=loaded.timezone)
    stamps = pd.to_datetime(checked["submitted_at"]).dt.tz_localize("UTC")
    now = utcnow()
    table = checked.astype(object).where(checked.notna(), None)

    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    rows = [
        {
            "agreement_id": agreement.id,
            "customer_org_id": agreement.customer_org_id,
            "record_id": r["record_id"],
            "customer": r["customer"],
            "respondent": r["respondent"],
            "csat": number(r["csat"]),
            "effort": number(r["effort"]),
            "nps": number(r["nps"]),
            "comment": (r["comment"] or "")[:2000],
            "items": {k: float(r[k]) for k in items if r[k] is not None},
            "language": "",
            "submitted_at": now if pd.isna(at) else at.to_pydatetime(),
        }
        for r, at in zip(table.to_dict("records"), stamps, strict=True)
    ]
    if rows:
        session.execute(insert(FeedbackAnswer), rows)
    audit.log(session, viewer, "import", "feedback", agreement.id, rows=len(rows), source=source)
    return len(rows)


def list_answers(
    session: Session, viewer: Viewer, agreement_id: int, *, newest: int | None = None
) -> list[FeedbackAnswer]:
    """The answers about a visible agreement that ``viewer`` may see, oldest first; with ``newest`` only
    that many of the most recent ones, newest first (a page needs 20, not the thousands stored)."""
    get_agreement(session, viewer, agreement_id)
    query = select(FeedbackAnswer).where(
        FeedbackAnswer.agreement_id == agreement_id,
        org_filter(viewer, FeedbackAnswer.customer_org_id),
    )
    if newest is None:
        return list(session.scalars(query.order_by(FeedbackAnswer.submitted_at, FeedbackAnswer.id)))
    latest = query.order_by(FeedbackAnswer.submitted_at.desc(), FeedbackAnswer.id.desc()).limit(newest)
    return list(session.scalars(latest))


def answer_dict(answer: FeedbackAnswer) -> dict[str, Any]:
    """One answer as the API shows it (no token, no link hash)."""
    return {
        "id": answer.id,
        "agreement_id": answer.agreement_id,
        "customer_org_id": answer.customer_org_id,
        "record_id": answer.record_id,
        "csat": answer.csat,
        "effort": answer.effort,
        "nps": answer.nps,
        "comment": answer.comment,
        "items": answer.items,
        "submitted_at": answer.submitted_at.isoformat(),
    }


def _number_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def feedback_frame(answers: list[FeedbackAnswer], slug: str, timezone: str) -> pd.DataFrame:
    """Stored answers as the feedback table of :func:`ukur.success.analyze` (times local to ``timezone``).

    Numeric items become item columns (the linking analysis's answer items); text answers (choices of a
    survey questionnaire's profile questions) stay in the store only."""
    items = sorted(
        {
            k
            for a in answers
            for k, v in a.items.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
    )
    rows = [
        {
            "agreement": slug,
            "record_id": a.record_id,
            "customer": a.customer,
            "respondent": a.respondent,
            "submitted_at": a.submitted_at.astimezone(zone(timezone)).replace(tzinfo=None).isoformat(),
            **{name: getattr(a, name) for name in ANSWERS},
            "comment": a.comment or None,
            **{k: _number_or_none(a.items.get(k)) for k in items},
        }
        for a in answers
    ]
    return pd.DataFrame(rows, columns=[*FEEDBACK_COLUMNS, *items])


def complaint_targets(loaded: SlaAgreement, given: ComplaintTargets | None = None) -> ComplaintTargets:
    """The complaint targets of an agreement: the ``given`` ones where set, else the claims policy's
    calendar and its ``respond_within`` as the resolution target (no acknowledgement target: the time to
    acknowledge is then measured without a deadline)."""
    policy = loaded.claims
    calendar = policy.calendar if policy is not None else "24x7"
    resolve = policy.respond_within.text if policy is not None and policy.respond_within is not None else None
    if given is None:
        return ComplaintTargets(calendar, None, resolve)
    return ComplaintTargets(
        given.calendar or calendar,
        given.acknowledge_within or None,
        given.resolve_within or resolve,
    )


def success_for(
    session: Session,
    viewer: Viewer,
    agreement_id: int,
    *,
    samples: int = 500,
    seed: int = 0,
    as_of: datetime | str | None = None,
    targets: ComplaintTargets | None = None,
    rule: AtRiskRule | None = None,
) -> Success:
    """The success analysis of a visible agreement on its stored data and the feedback ``viewer`` may see.

    Complaints come from the owner's :data:`COMPLAINTS_STREAM` stream when it holds records, measured
    with :func:`complaint_targets` (``targets`` overrides them); without it :func:`ukur.success.analyze`
    falls back to the claims of type ``complaint``.  ``rule`` replaces the default at-risk rule.
    """
    agreement = get_agreement(session, viewer, agreement_id)
    if not agreement.versions:
        raise UkurError(f"agreement {agreement.slug} has no version", field="agreement")
    loaded = validate_agreement(session, agreement.versions[-1].yaml_text, f"{agreement.slug}.yaml")
    owner = agreement.customer_org_id or agreement.provider_org_id
    frames = stream_frames(session, owner, list(loaded.streams))
    if not frames:
        raise UkurError(f"agreement {agreement.slug} has no stored records yet", field="records")
    histories = status_frames(session, owner, list(frames))
    stored_claims = claims_frame(session, agreement.id) if loaded.claims is not None else None
    stored_complaints = stream_frames(session, owner, [COMPLAINTS_STREAM]).get(COMPLAINTS_STREAM)
    if stored_complaints is not None:
        stored_complaints.attrs["source"] = f"stream {COMPLAINTS_STREAM}"
    answers = list_answers(session, viewer, agreement.id)
    return analyze(
        [loaded],
        frames,
        feedback_frame(answers, loaded.id, loaded.timezone),
        status_history=histories or None,
        claims=stored_claims,
        complaints=stored_complaints,
        targets=complaint_targets(loaded, targets) if stored_complaints is not None else ComplaintTargets(),
        samples=samples,
        seed=seed,
        as_of=as_of,
        rule=rule or AtRiskRule(),
    )
