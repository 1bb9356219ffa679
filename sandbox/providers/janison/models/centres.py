"""Centres: JCE-1's database half (``tests`` and ``centreAdminUser`` resolve, JC-2), a
unique reference (DUP-1), DELETE retires (JCE-1) and a retired centre cannot be changed
(RET-1). A centre POSTed without a reference gets one derived from the tenant's seed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exam_sandbox.core.db import next_id
from exam_sandbox.core.keys import derived_reference
from exam_sandbox.core.scope import RequestScope

from ..tables import JCentre, JTest, JUser, centre_test
from .common import (
    apply_fields,
    refuse_retired,
    replace_links,
    resolve,
    resolve_links,
    retire,
    unique_reference,
)

LINKS = {"tests": (JTest, "Test")}
TABLES = {"tests": (centre_test, "test_pk")}
FIELDS = (
    "name",
    "address_line1",
    "address_line2",
    "town",
    "county",
    "country",
    "post_code",
)


def _admin_user(session: Session, data: dict) -> JUser | None:
    ref = data.get("centre_admin_user")
    return None if ref is None else resolve(session, JUser, ref, "User", "centreAdminUser")


def create_centre(scope: RequestScope, data: dict) -> JCentre:
    session = scope.session
    if data.get("reference"):
        unique_reference(session, JCentre, "centre", data["reference"])
    links = resolve_links(session, data, LINKS)
    admin = _admin_user(session, data)
    tid = scope.tenant_id
    new_id = next_id(session, JCentre, tid)
    reference = data.get("reference") or derived_reference(
        scope, JCentre, "centre", new_id, prefix="CTR-", hex_digits=8
    )
    centre = JCentre(
        tenant_id=tid, id=new_id, reference=reference, retired=False, admin_user_pk=admin.pk
    )
    apply_fields(centre, data, FIELDS)
    session.add(centre)
    session.flush()
    replace_links(session, centre, "centre_pk", links, TABLES)
    return centre


def update_centre(scope: RequestScope, centre: JCentre, data: dict) -> JCentre:
    session = scope.session
    refuse_retired(centre, "Centre")
    if data.get("reference"):
        unique_reference(session, JCentre, "centre", data["reference"], centre)
    links = resolve_links(session, data, LINKS)
    admin = _admin_user(session, data)
    apply_fields(centre, data, FIELDS)
    if data.get("reference"):
        centre.reference = data["reference"]
    if admin is not None:
        centre.admin_user_pk = admin.pk
        session.expire(centre, ["admin_user"])
    if data.get("retired"):
        centre.retired = True
    session.flush()
    replace_links(session, centre, "centre_pk", links, TABLES)
    return centre


def retire_centre(scope: RequestScope, centre: JCentre) -> JCentre:
    """JCE-1: DELETE sets ``retired``; GET still returns the centre."""
    retire(scope, centre, "Centre")
    return centre
