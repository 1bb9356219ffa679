"""tenant.generation: the number each worker's authentication cache is checked against.

Any change to what authentication derives from a tenant (users, permissions,
associations, settings, a reset) bumps it, so a cached credential is used only while the
generation it was read at is still the tenant's (issue 9, item 4).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 07:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite rebuilds the table; a server default fills the existing rows.
    with op.batch_alter_table("tenant") as batch:
        batch.add_column(
            sa.Column("generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("tenant") as batch:
        batch.drop_column("generation")
