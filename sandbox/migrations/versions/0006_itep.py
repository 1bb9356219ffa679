"""iTEP's tables (issue 11): the Local Administrator, product codes with their API keys,
the test ID inventory, the outbox and the tracking codes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _scoped() -> list:
    return [
        sa.Column("pk", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "itep_administrator",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_itep_administrator_id"),
    )
    op.create_table(
        "itep_product",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("api_key", sa.String(length=64), nullable=False),
        sa.Column("key_revoked", sa.Boolean(), nullable=False),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_itep_product_id"),
        sa.UniqueConstraint("tenant_id", "code", name="uq_itep_product_code"),
    )
    op.create_index("ix_itep_product_api_key", "itep_product", ["api_key"], unique=True)
    op.create_table(
        "itep_test",
        sa.Column("test_id", sa.String(length=10), nullable=False),
        sa.Column(
            "product_pk",
            sa.Integer(),
            sa.ForeignKey("itep_product.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("assigned_to", sa.JSON(), nullable=True),
        sa.Column("oid", sa.String(length=100), nullable=True),
        sa.Column("tracking_code", sa.String(length=100), nullable=True),
        sa.Column("emailed_to", sa.String(length=320), nullable=True),
        sa.Column("assigned_at", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(), nullable=True),
        sa.Column("levels", sa.JSON(), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_itep_test_id"),
        sa.UniqueConstraint("tenant_id", "test_id", name="uq_itep_test_test_id"),
    )
    op.create_index(
        "ix_itep_test_available", "itep_test", ["tenant_id", "product_pk", "available", "id"]
    )
    op.create_table(
        "itep_message",
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("test_id", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=4000), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_itep_message_id"),
    )
    op.create_table(
        "itep_tracking_code",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("on_finished", sa.Boolean(), nullable=False),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_itep_tracking_code_id"),
        sa.UniqueConstraint("tenant_id", "code", name="uq_itep_tracking_code_code"),
    )


def downgrade() -> None:
    for table in (
        "itep_tracking_code",
        "itep_message",
        "itep_test",
        "itep_product",
        "itep_administrator",
    ):
        op.drop_table(table)
