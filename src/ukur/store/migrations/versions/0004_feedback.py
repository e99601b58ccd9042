"""Customer feedback: one-answer links (hashed tokens) and answers with record, agreement and organisation.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("customer_org_id", sa.Integer(), nullable=True),
        sa.Column("record_id", sa.String(length=200), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_feedback_links_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_feedback_links_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["customer_org_id"],
            ["organisations.id"],
            name=op.f("fk_feedback_links_customer_org_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feedback_links_token_hash")),
    )
    with op.batch_alter_table("feedback_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_links_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_feedback_links_customer_org_id"), ["customer_org_id"], unique=False
        )
    op.create_table(
        "feedback_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("customer_org_id", sa.Integer(), nullable=True),
        sa.Column("record_id", sa.String(length=200), nullable=True),
        sa.Column("customer", sa.String(length=200), nullable=True),
        sa.Column("respondent", sa.String(length=200), nullable=True),
        sa.Column("csat", sa.Float(), nullable=True),
        sa.Column("effort", sa.Float(), nullable=True),
        sa.Column("nps", sa.Float(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_feedback_answers_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_org_id"],
            ["organisations.id"],
            name=op.f("fk_feedback_answers_customer_org_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["feedback_links.id"],
            name=op.f("fk_feedback_answers_link_id_feedback_links"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_answers")),
        sa.UniqueConstraint("link_id", name=op.f("uq_feedback_answers_link_id")),
    )
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_answers_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_feedback_answers_customer_org_id"), ["customer_org_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_feedback_answers_submitted_at"), ["submitted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_answers_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_feedback_answers_customer_org_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_answers_agreement_id"))
    op.drop_table("feedback_answers")
    with op.batch_alter_table("feedback_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_links_customer_org_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_links_agreement_id"))
    op.drop_table("feedback_links")
