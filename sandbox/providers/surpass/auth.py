"""HTTP Basic auth against the tenant's Surpass users, and their permissions.

The username names a user; the password picks which tenant's user it is, which lets two
tenants each have an ``alice``. Passwords are stored as salted SHA-256: a sandbox needs
no slow hash, and a fast check keeps auth off the profile.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

from flask import request
from sqlalchemy import select

from exam_sandbox.core import request_scope
from exam_sandbox.core.auth_cache import CredentialCache
from exam_sandbox.core.request_scope import RequestDatabase
from exam_sandbox.core.sql import SqlRunner
from exam_sandbox.core.tenants import Tenant

from .errors import forbidden, unauthenticated
from .tables import User

PERMISSIONS = (
    "ScheduleTest",
    "ViewCandidates",
    "EditCandidates",
    "ViewCentres",
    "EditCentres",
    "ViewSubjects",
    "EditSubjects",
    "ViewTests",
    "ViewTestSessions",
    "EditTestSessions",
)
# What each permission lets a user do, as the 403 message words it.
ACTIONS = {
    "ScheduleTest": "schedule tests",
    "ViewCandidates": "view candidates",
    "EditCandidates": "edit candidates",
    "ViewCentres": "view centres",
    "EditCentres": "edit centres",
    "ViewSubjects": "view subjects",
    "EditSubjects": "edit subjects",
    "ViewTests": "view tests",
    "ViewTestSessions": "view test sessions",
    "EditTestSessions": "edit test sessions",
}


def hash_password(username: str, password: str) -> str:
    return hashlib.sha256(f"{username}\x00{password}".encode()).hexdigest()


def _credentials() -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep and username else None


# Compared when no user has the username, so an unknown name costs what a wrong password
# does (AUTH-1): the same query, one hash comparison per candidate, the same 401.
_NO_SUCH_USER = hash_password("\x00no such user", "")


@dataclass(frozen=True, slots=True)
class Principal:
    """What the rules read about the API user, as a plain snapshot: cached per worker
    (core/auth_cache.py), so a request with known credentials loads no user."""

    pk: int
    id: int
    username: str
    permissions: frozenset[str]
    all_associations: bool
    centre_pks: frozenset[int]
    subject_pks: frozenset[int]


def principal_of(user: User) -> Principal:
    return Principal(
        pk=user.pk,
        id=user.id,
        username=user.username,
        permissions=frozenset(user.permissions or ()),
        all_associations=bool(user.all_associations),
        centre_pks=frozenset(c.pk for c in user.centres),
        subject_pks=frozenset(s.pk for s in user.subjects),
    )


def authenticate(access: RequestDatabase, cache: CredentialCache) -> tuple[Principal, object]:
    """AUTH-1: the user and tenant the Basic credentials name, or a 401.

    Known credentials are answered from ``cache`` while their tenant's version holds.
    Otherwise only the hashes are read until one matches; the full user (and its centres
    and subjects) is loaded after, so a refusal does the same work whether or not the
    username exists and the timing tells no usernames apart. Refusals are never cached."""
    credentials = _credentials()
    if credentials is None:
        raise unauthenticated()
    username, password = credentials
    wanted = hash_password(username, password)
    key = (username, wanted)
    hit = cache.lookup(SqlRunner(None, access.connection), key)
    if hit is not None:
        tenant, principal = hit
        return principal, tenant
    session = access.read_session()
    rows = session.execute(
        select(User.pk, User.password_hash).where(User.username == username)
    ).all() or [(None, _NO_SUCH_USER)]
    matched = None
    for pk, stored in rows:  # no early exit: every candidate costs one comparison
        if hmac.compare_digest(stored, wanted) and pk is not None:
            matched = pk
    if matched is None:
        raise unauthenticated()
    user, tenant = session.execute(
        select(User, Tenant).join(Tenant, Tenant.id == User.tenant_id).where(User.pk == matched)
    ).one()
    principal = principal_of(user)
    cache.remember(key, tenant, principal)
    return principal, tenant


def current_user() -> Principal:
    """The request's API user (for routes; rule functions read ``scope.user``)."""
    return request_scope.scope().user


def require_permission(permission: str) -> None:
    """AUTH-2: the user holds ``permission``, or the request ends in a 403."""
    if permission not in current_user().permissions:
        raise forbidden("AUTH-2", action=ACTIONS[permission])


def user_covers(
    user: Principal, *, centre_pk: int | None = None, subject_pk: int | None = None
) -> bool:
    if user.all_associations:
        return True
    if centre_pk is not None and centre_pk not in user.centre_pks:
        return False
    return subject_pk is None or subject_pk in user.subject_pks
