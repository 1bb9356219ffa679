"""Deterministic seed data: the tenant's assessments (published and unpublished ones,
interface page) and its EAPI token row. A handful of rows, written directly: a
template copy (core/tenant_template.py) would cost more than it saves here.

The seed chooses the assessments' times, so tenants of another seed differ; the ids and
titles are the same for every seed, so the README and tests can name them.
"""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from exam_sandbox.core.db import bulk_insert

from .tables import CAssessment, CCredential

# Users that may own an assessment (AS-9), beside the site's ``owner`` setting.
KNOWN_OWNERS = ("sandbox-scheduler", "sandbox-author")

# (ExternalId, Title, Purpose, published, allowed attempts)
ASSESSMENTS = (
    ("MATH-101", "Mathematics 101 final exam", 1, True, 1),
    ("ENG-201", "English B2 reading and writing", 1, True, 2),
    ("SAFETY-1", "Workplace safety induction", 2, True, None),
    ("NURS-310", "Nursing pharmacology", 3, True, 1),
    ("DRAFT-1", "Chemistry mock (draft)", 2, False, None),
    ("LAW-900", "Contract law (unpublished)", 1, False, 1),
)


def seed_tenant(session: Session, tenant_id: str, seed: int, token: str) -> None:
    rng = random.Random(f"cirrus\x1f{seed}")
    rows = []
    for number, (external_id, title, purpose, published, attempts) in enumerate(ASSESSMENTS, 1):
        rows.append(
            {
                "tenant_id": tenant_id,
                "id": number,
                "external_id": external_id,
                "title": title,
                "code": external_id,  # the seed's best practice: Code = External ID
                "purpose": purpose,
                "owner": KNOWN_OWNERS[1],
                "revision": 1,
                "is_published": published,
                "max_time_per_attempt": rng.choice((30, 45, 60, 90, 120)),
                "extra_time": rng.choice((0, 0, 10, 15)),
                "allowed_attempts": attempts,
                "pass_mark": 50.0,
            }
        )
    bulk_insert(session, CAssessment, rows)
    bulk_insert(session, CCredential, [{"token": token, "tenant_id": tenant_id}])
