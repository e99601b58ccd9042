"""Feedback links may name a survey questionnaire and which of its items give CSAT, effort and NPS.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("survey_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("answer_map", sa.JSON(), server_default="{}", nullable=False))
        batch_op.create_index(batch_op.f("ix_feedback_links_survey_id"), ["survey_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_feedback_links_survey_id_surveys"),
            "surveys",
            ["survey_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_links", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_feedback_links_survey_id_surveys"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_feedback_links_survey_id"))
        batch_op.drop_column("answer_map")
        batch_op.drop_column("survey_id")
