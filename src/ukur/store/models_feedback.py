"""SQLAlchemy models of customer feedback: one-answer links and the answers themselves.

A :class:`FeedbackLink` invites one answer to the built-in short questionnaire
(:func:`ukur.success.feedback_questionnaire`: CSAT, effort, NPS, comment) about an agreement, either about
one record (a shipment or ticket: ``record_id`` set) or as a periodic survey of the customer organisation
(``record_id`` empty).  Only the SHA-256 of the link's token is stored (the token is shown once, when the
link is made).  A link may instead name a stored questionnaire of the survey module (``survey_id``): its
form then shows that questionnaire, and ``answer_map`` says which of its items give CSAT, effort and NPS
(e.g. ``{"csat": "sat1", "nps": "rec"}``); its other numeric answers are kept as further items.  A
:class:`FeedbackAnswer` keeps the answers with the agreement, the record id and the
customer organisation, so satisfaction can be split by whether that record met its SLA; its ``link_id``
is UNIQUE, so two submissions with one token cannot both be stored, even when they race.  Answers
imported from a feedback file (the demo) have no link.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ukur.store.models import Base
from ukur.store.types import utcnow

__all__ = ["FeedbackAnswer", "FeedbackLink"]


class FeedbackLink(Base):
    """An invitation to answer once: agreement, optional record, the customer organisation, token hash,
    and optionally the questionnaire (``survey_id``) with the items that give CSAT/effort/NPS."""

    __tablename__ = "feedback_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    customer_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    record_id: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="RESTRICT"), index=True)
    answer_map: Mapped[dict[str, Any]] = mapped_column(default=dict)


class FeedbackAnswer(Base):
    """One answer: CSAT 1–5, effort 1–5, NPS 0–10 (each optional), comment, further items, when."""

    __tablename__ = "feedback_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_links.id", ondelete="SET NULL"), unique=True
    )
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    customer_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    record_id: Mapped[str | None] = mapped_column(String(200))
    customer: Mapped[str | None] = mapped_column(String(200))
    respondent: Mapped[str | None] = mapped_column(String(200))
    csat: Mapped[float | None] = mapped_column(Float)
    effort: Mapped[float | None] = mapped_column(Float)
    nps: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(5), default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
