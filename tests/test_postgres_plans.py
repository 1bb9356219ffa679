"""The folded last-name index serves ``startswith`` on PostgreSQL (revision 0007).

The OData compiler turns ``startswith(lastName,'Ham')`` into a range on
``lower(last_name)`` compared in the "C" collation (core/odata/prefix.py); an index in
another collation could not serve it, and a 100k tenant's type-ahead read every row
(588 ms a page in the first PostgreSQL bench). Sequential scans are switched off for the
question, so the answer is whether the index *can* serve the range, whatever the
planner's statistics of the moment; test_query_plans asks SQLite the same.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql

from exam_sandbox.core.odata import Field, QueryModel, compile_filter
from exam_sandbox.providers.surpass.tables import Candidate

pytestmark = pytest.mark.postgresql_only
NAMES = QueryModel(fields={"lastName": Field(Candidate.last_name)})


def test_candidate_startswith_searches_the_folded_index(app):
    condition = compile_filter("startswith(lastName,'Ham')", NAMES)
    query = select(func.count(Candidate.pk)).where(Candidate.tenant_id == "demo", condition)
    compiled = query.compile(dialect=postgresql.dialect())
    assert 'COLLATE "C"' in compiled.string
    db = app.extensions["exam_sandbox"].db
    with db.reader.connect() as connection:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = connection.exec_driver_sql(
            f"EXPLAIN {compiled.string}", compiled.params
        ).scalars().all()
    assert any("ix_surpass_candidate_last_name_folded" in line for line in plan), plan
