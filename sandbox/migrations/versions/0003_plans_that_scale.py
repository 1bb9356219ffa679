"""Plans that scale (issue 9, item 6): indexes for the lookups and lists that walked a
tenant's rows, and none that only cost a write.

Added: each one serves a statement that a POST or a list page runs (tests/test_query_plans.py
checks each plan), e.g. the test and the package by reference, a test's forms, a package's
components, a result's components, sessions by centre and state, and ``lower(last_name)``
for ``startswith`` (core/odata/prefix.py). ``ix_janison_candidate_last_name`` gains ``id``
so a filtered page needs no sort.

Dropped: the single-column ``tenant_id`` index of every tenant-scoped table; each table's
unique (tenant_id, id) leads with tenant_id and serves the same lookups.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Tables whose tenant_id index (ix_<table>_tenant_id) goes.
TENANT_SCOPED = (
    "janison_candidate", "janison_centre", "janison_component", "janison_enrolment",
    "janison_enrolment_component", "janison_result", "janison_result_component",
    "janison_test", "janison_testpackage", "janison_testschedule", "janison_token",
    "janison_user", "surpass_candidate", "surpass_centre", "surpass_centre_subject",
    "surpass_country", "surpass_county", "surpass_subject", "surpass_test",
    "surpass_test_form", "surpass_test_session", "surpass_user",
)

# (name, table, columns): created by upgrade, dropped by downgrade.
ADDED = (
    ("ix_janison_component_package", "janison_component", ["package_pk", "id"]),
    ("ix_janison_enrolment_component_enrolment", "janison_enrolment_component",
     ["enrolment_pk", "id"]),
    ("ix_janison_result_component_result", "janison_result_component", ["result_pk", "id"]),
    ("ix_janison_testpackage_reference", "janison_testpackage", ["tenant_id", "reference"]),
    ("ix_janison_testpackage_test", "janison_testpackage", ["test_pk", "id"]),
    ("ix_surpass_test_reference", "surpass_test", ["tenant_id", "reference", "id"]),
    ("ix_surpass_test_form_test", "surpass_test_form", ["test_pk", "id"]),
    ("ix_surpass_session_centre_state", "surpass_test_session",
     ["tenant_id", "centre_pk", "state", "id"]),
)


def upgrade() -> None:
    for table in TENANT_SCOPED:
        op.drop_index(f"ix_{table}_tenant_id", table_name=table)
    for name, table, columns in ADDED:
        op.create_index(name, table, columns, unique=False)
    op.drop_index("ix_janison_candidate_last_name", table_name="janison_candidate")
    op.create_index(
        "ix_janison_candidate_last_name", "janison_candidate", ["tenant_id", "last_name", "id"]
    )
    # An expression index: the same text on SQLite and PostgreSQL.
    op.create_index(
        "ix_surpass_candidate_last_name_folded",
        "surpass_candidate",
        ["tenant_id", sa.text("lower(last_name)")],
    )


def downgrade() -> None:
    op.drop_index("ix_surpass_candidate_last_name_folded", table_name="surpass_candidate")
    op.drop_index("ix_janison_candidate_last_name", table_name="janison_candidate")
    op.create_index(
        "ix_janison_candidate_last_name", "janison_candidate", ["tenant_id", "last_name"]
    )
    for name, table, _columns in ADDED:
        op.drop_index(name, table_name=table)
    for table in TENANT_SCOPED:
        op.create_index(f"ix_{table}_tenant_id", table, ["tenant_id"])
