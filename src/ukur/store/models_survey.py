"""SQLAlchemy models of the survey side: questionnaires, their YAML versions, invitations, responses.

A questionnaire (:class:`Survey`) is owned by a researcher and keeps every version of its YAML text; the
public form always shows the newest.  The public link carries a random ``public_key``; invitation tokens
are stored only as SHA-256 hashes (a token is shown once, when it is made) and a response holds the id of
the token it used under a UNIQUE constraint, so two submissions with one token cannot both be stored,
even when they race.  A response keeps the answers as ticked (``{code: value}``) with the times the
respondent started (agreed to the consent text) and submitted, which the too-fast check needs.  An
exclusion records which response a researcher left out of the analysis, by which checks and why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ukur.store.models import Base
from ukur.store.types import utcnow

__all__ = ["Survey", "SurveyExclusion", "SurveyResponse", "SurveyToken", "SurveyVersion"]


class Survey(Base):
    """A questionnaire: owner, public link key, whether it accepts answers and whether it needs a token."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    is_open: Mapped[bool] = mapped_column(default=True)
    tokens_required: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveyVersion.number"
    )

    @property
    def current(self) -> SurveyVersion:
        """The newest version (every survey is created with one)."""
        return self.versions[-1]


class SurveyVersion(Base):
    """One version of the questionnaire's YAML text, numbered from 1."""

    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")


class SurveyToken(Base):
    """An invitation: the SHA-256 of the token, its first characters (to tell tokens apart), when used."""

    __tablename__ = "survey_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyResponse(Base):
    """One submitted form: answers as ticked, the version answered, start and submission times."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("survey_versions.id", ondelete="SET NULL"))
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_tokens.id", ondelete="SET NULL"), unique=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(5), default="")
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    exclusion: Mapped[SurveyExclusion | None] = relationship(
        back_populates="response", cascade="all, delete-orphan", uselist=False
    )


class SurveyExclusion(Base):
    """A response left out of the cleaned data: the checks that flagged it and the researcher's reason."""

    __tablename__ = "survey_exclusions"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), unique=True
    )
    checks: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[SurveyResponse] = relationship(back_populates="exclusion")
