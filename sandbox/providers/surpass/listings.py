"""The Surpass lists served on precompiled SQL (core/listing_sql.py), with the
relationships their items show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from exam_sandbox.core.listing_sql import OWNERS, Listing, Related, RelatedOne
from exam_sandbox.core.sql import tenant_check, tenant_is

from .tables import (
    Candidate,
    Centre,
    Subject,
    Test,
    TestForm,
    TestSession,
    candidate_centre,
    candidate_subject,
)


@dataclass(frozen=True, slots=True)
class Ref:
    """A resource named in an item (``RefOut`` reads id and reference)."""

    id: int
    reference: str


@dataclass(frozen=True, slots=True)
class NamedRef:
    id: int
    reference: str
    name: str


@dataclass(frozen=True, slots=True)
class TestRef:
    """A session's test, which also names the test's subject."""

    id: int
    reference: str
    name: str
    subject: NamedRef


def _by_pk(target, *columns: str, join=None, extra=()):
    """``build`` of a ``RelatedOne``: ``target``'s pk and ``columns`` (then ``extra``
    columns of the ``join``ed table) for the pks a page's rows point at."""

    def build():
        query = select(target.c.pk, *(target.c[c] for c in columns), *extra)
        # By primary key: tenant_check, so the database cannot prefer a tenant index.
        criteria = [tenant_check(target), target.c.pk.in_(bindparam(OWNERS, expanding=True))]
        if join is not None:
            table, on = join
            query = query.join(table, on)
            criteria.append(tenant_is(table))
        return query.where(*criteria)

    return build


def _test_ref(test_id, reference, name, subject_id, subject_reference, subject_name):
    return TestRef(test_id, reference, name, NamedRef(subject_id, subject_reference,
                                                      subject_name))


def session_listing(query_model) -> Listing:
    candidates, centres = Candidate.__table__, Centre.__table__
    tests, forms, subjects = Test.__table__, TestForm.__table__, Subject.__table__
    return Listing(
        TestSession.__table__,
        query_model,
        related=(
            RelatedOne("candidate", "candidate_pk", _by_pk(candidates, "id", "reference"),
                       Ref),
            RelatedOne("centre", "centre_pk", _by_pk(centres, "id", "reference"), Ref),
            RelatedOne(
                "test", "test_pk",
                _by_pk(tests, "id", "reference", "name",
                       join=(subjects, subjects.c.pk == tests.c.subject_pk),
                       extra=(subjects.c.id, subjects.c.reference, subjects.c.name)),
                _test_ref,
            ),
            RelatedOne("test_form", "test_form_pk",
                       _by_pk(forms, "id", "reference", "name"), NamedRef),
        ),
    )


def linked(link, owner: str, target, key: str, *columns: str):
    """``build`` of a ``Related``: the owner pk and ``columns`` of the ``target`` rows
    that ``link`` ties to each owner of the page, in the target's id order."""

    def build():
        return (
            select(link.c[owner], *(target.c[c] for c in columns))
            .join(target, target.c.pk == link.c[key])
            .where(
                tenant_is(link),
                # Joined by pk from the link rows: tenant_check, so the plan starts from
                # the page's links rather than from every row of the tenant's target.
                tenant_check(target),
                link.c[owner].in_(bindparam(OWNERS, expanding=True)),
            )
            .order_by(link.c[owner], target.c.id)
        )

    return build


def candidate_listing(query_model) -> Listing:
    centres, subjects = Centre.__table__, Subject.__table__
    return Listing(
        Candidate.__table__,
        query_model,
        related=(
            Related("centres", linked(candidate_centre, "candidate_pk", centres, "centre_pk",
                                      "id", "reference"), Ref),
            Related("subjects", linked(candidate_subject, "candidate_pk", subjects,
                                       "subject_pk", "id", "reference", "name"), NamedRef),
        ),
    )
