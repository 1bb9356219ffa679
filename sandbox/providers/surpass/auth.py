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

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from exam_sandbox.core import request_scope
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


def authenticate(session: Session) -> tuple[User, Tenant]:
    """AUTH-1: the user and tenant the Basic credentials name, or a 401.

    Only the hashes are read until one matches; the full user (and its centres and
    subjects) is loaded after, so a refusal does the same work whether or not the
    username exists and the timing tells no usernames apart."""
    credentials = _credentials()
    if credentials is None:
        raise unauthenticated()
    username, password = credentials
    wanted = hash_password(username, password)
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
    return user, tenant


def current_user() -> User:
    """The request's API user (for routes; rule functions read ``scope.user``)."""
    return request_scope.scope().user


def require_permission(permission: str) -> None:
    """AUTH-2: the user holds ``permission``, or the request ends in a 403."""
    if permission not in (current_user().permissions or []):
        raise forbidden("AUTH-2", action=ACTIONS[permission])


def user_covers(user: User, *, centre_pk: int | None = None, subject_pk: int | None = None) -> bool:
    if user.all_associations:
        return True
    if centre_pk is not None and centre_pk not in {c.pk for c in user.centres}:
        return False
    return subject_pk is None or subject_pk in {s.pk for s in user.subjects}
