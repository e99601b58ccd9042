"""Evaluation cache: a revision per record stream and a table of cached results (JSON) by key.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record_streams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "evaluation_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_evaluation_cache_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_cache")),
        sa.UniqueConstraint("key", name=op.f("uq_evaluation_cache_key")),
    )
    with op.batch_alter_table("evaluation_cache", schema=None) as batch_op:
        batch_op.create_index(
            "ix_evaluation_cache_lookup", ["agreement_id", "kind", "scope", "variant"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("evaluation_cache", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_cache_lookup")
    op.drop_table("evaluation_cache")
    with op.batch_alter_table("record_streams", schema=None) as batch_op:
        batch_op.drop_column("revision")
