"""Cirrus's tables (issue 10): its EAPI tokens, assessments, schedules, candidates, the
candidates' sittings on schedules, attempts with their results, and the calls to
/results counted per token per day.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
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
        "cirrus_credential",
        sa.Column("token", sa.String(length=64), primary_key=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_cirrus_credential_tenant_id", "cirrus_credential", ["tenant_id"])
    op.create_table(
        "cirrus_assessment",
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("max_time_per_attempt", sa.Integer(), nullable=True),
        sa.Column("extra_time", sa.Integer(), nullable=True),
        sa.Column("allowed_attempts", sa.Integer(), nullable=True),
        sa.Column("pass_mark", sa.Float(), nullable=False),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_cirrus_assessment_id"),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_cirrus_assessment_external_id"),
    )
    op.create_table(
        "cirrus_schedule",
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column(
            "assessment_pk",
            sa.Integer(),
            sa.ForeignKey("cirrus_assessment.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("end_at", sa.DateTime(), nullable=False),
        sa.Column("workflow", sa.String(length=32), nullable=False),
        sa.Column("group_ext_id", sa.String(length=64), nullable=True),
        sa.Column("group_name", sa.String(length=500), nullable=True),
        sa.Column("schedule_group_ext_id", sa.String(length=64), nullable=True),
        sa.Column("schedule_group_name", sa.String(length=500), nullable=True),
        sa.Column("hierarchy_ext_id", sa.String(length=64), nullable=True),
        sa.Column("pin", sa.String(length=64), nullable=True),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("is_activated", sa.Boolean(), nullable=False),
        sa.Column("lock_on_connection_loss", sa.Boolean(), nullable=False),
        sa.Column("use_proctorio", sa.Boolean(), nullable=False),
        sa.Column("proctorio_template", sa.String(length=64), nullable=True),
        sa.Column("launch_origin", sa.String(length=500), nullable=False),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_cirrus_schedule_id"),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_cirrus_schedule_external_id"),
    )
    op.create_table(
        "cirrus_candidate",
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("user_name", sa.String(length=500), nullable=False),
        sa.Column("first_name", sa.String(length=500), nullable=False),
        sa.Column("last_name", sa.String(length=500), nullable=False),
        sa.Column("email", sa.String(length=500), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_cirrus_candidate_id"),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_cirrus_candidate_external_id"),
    )
    op.create_table(
        "cirrus_sitting",
        sa.Column(
            "schedule_pk",
            sa.Integer(),
            sa.ForeignKey("cirrus_schedule.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "candidate_pk",
            sa.Integer(),
            sa.ForeignKey("cirrus_candidate.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("session", sa.String(length=64), nullable=False),
        sa.Column("special_needs", sa.Boolean(), nullable=False),
        sa.Column("adjustment_percentage", sa.Integer(), nullable=True),
        sa.Column("attempt_ext_id", sa.String(length=500), nullable=True),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_cirrus_sitting_id"),
        sa.UniqueConstraint("session", name="uq_cirrus_sitting_session"),
    )
    op.create_index(
        "ix_cirrus_sitting_schedule", "cirrus_sitting", ["schedule_pk", "candidate_pk"], unique=True
    )
    op.create_index("ix_cirrus_sitting_candidate", "cirrus_sitting", ["candidate_pk"])
    op.create_table(
        "cirrus_attempt",
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column(
            "sitting_pk",
            sa.Integer(),
            sa.ForeignKey("cirrus_sitting.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        *_scoped(),
        sa.UniqueConstraint("tenant_id", "id", name="uq_cirrus_attempt_id"),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_cirrus_attempt_external_id"),
    )
    op.create_index("ix_cirrus_attempt_sitting", "cirrus_attempt", ["sitting_pk"])
    op.create_table(
        "cirrus_results_usage",
        sa.Column("tenant_id", sa.String(length=64), primary_key=True),
        sa.Column("token", sa.String(length=64), primary_key=True),
        sa.Column("day_start", sa.DateTime(), primary_key=True),
        sa.Column("calls", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "cirrus_results_usage",
        "cirrus_attempt",
        "cirrus_sitting",
        "cirrus_candidate",
        "cirrus_schedule",
        "cirrus_assessment",
        "cirrus_credential",
    ):
        op.drop_table(table)
