"""The folded last-name index in the "C" collation on PostgreSQL (issue 12).

``startswith(lastName,'Ham')`` is a range on ``lower(last_name)`` compared by code point
(core/odata/prefix.py): on PostgreSQL in the "C" collation, which an index in the
database's default collation cannot serve, so a 100k tenant's type-ahead read every row.
The index is made again with the collation the comparison uses. SQLite compares by code
point already: its index is the same text before and after, and nothing runs there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "ix_surpass_candidate_last_name_folded"
TABLE = "surpass_candidate"


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _on_postgresql():
        op.drop_index(INDEX, table_name=TABLE)
        op.create_index(INDEX, TABLE, ["tenant_id", sa.text('(lower(last_name) COLLATE "C")')])


def downgrade() -> None:
    if _on_postgresql():
        op.drop_index(INDEX, table_name=TABLE)
        op.create_index(INDEX, TABLE, ["tenant_id", sa.text("lower(last_name)")])
