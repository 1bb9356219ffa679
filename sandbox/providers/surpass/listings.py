"""The Surpass lists served on precompiled SQL (core/listing_sql.py), with the
relationships their items show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from exam_sandbox.core.listing_sql import OWNERS, Listing, Related
from exam_sandbox.core.sql import tenant_is

from .tables import Candidate, Centre, Subject, candidate_centre, candidate_subject


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


def linked(link, owner: str, target, key: str, *columns: str):
    """``build`` of a ``Related``: the owner pk and ``columns`` of the ``target`` rows
    that ``link`` ties to each owner of the page, in the target's id order."""

    def build():
        return (
            select(link.c[owner], *(target.c[c] for c in columns))
            .join(target, target.c.pk == link.c[key])
            .where(
                tenant_is(link),
                tenant_is(target),
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
