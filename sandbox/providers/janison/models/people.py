"""Users and candidates: the rules that need the database.

JU-1b: a new user's ``userName`` and ``reference`` are not taken (409; SEED-J: POST
"creates a new user that does not already exist"). JC-2: every ``centres``/``tests``
entry resolves. DUP-1: a candidate reference is not taken. JC-3: DELETE retires; a
retired candidate cannot be changed (RET-1). Nothing is written before every check passed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exam_sandbox.core.db import next_id
from exam_sandbox.core.scope import RequestScope

from ..errors import conflict
from ..tables import (
    JCandidate,
    JCentre,
    JTest,
    JUser,
    candidate_centre,
    candidate_test,
    user_centre,
    user_test,
)
from .common import (
    apply_fields,
    refuse_retired,
    replace_links,
    resolve_links,
    retire,
    unique_reference,
)

LINKS = {"centres": (JCentre, "Centre"), "tests": (JTest, "Test")}
USER_LINKS = {"centres": (user_centre, "centre_pk"), "tests": (user_test, "test_pk")}
CANDIDATE_LINKS = {"centres": (candidate_centre, "centre_pk"), "tests": (candidate_test, "test_pk")}
USER_FIELDS = (
    "user_name",
    "reference",
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "gender",
    "expiry",
    "address_line1",
    "address_line2",
    "town",
    "county",
    "country",
    "post_code",
    "email",
    "phone",
)
CANDIDATE_FIELDS = (
    "reference",
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "uln",
    "gender",
    "expiry",
    "address_line1",
    "address_line2",
    "town",
    "county_id",
    "country_id",
    "post_code",
    "email",
    "phone",
)


def _user_unique(session: Session, data: dict, current: JUser | None = None) -> None:
    """JU-1b: userName, then reference, belong to no other user of the tenant."""
    for name, column in (("userName", JUser.user_name), ("reference", JUser.reference)):
        value = data.get("user_name" if name == "userName" else "reference")
        if value is None:
            continue
        clash = (
            session.execute(select(JUser).where(column == value))
            .unique()
            .scalar_one_or_none()
        )
        if clash is not None and clash is not current:
            raise conflict("JU-1b", field=name, value=value)


def create_user(scope: RequestScope, data: dict) -> JUser:
    session = scope.session
    _user_unique(session, data)
    links = resolve_links(session, data, LINKS)
    tid = scope.tenant_id
    user = JUser(tenant_id=tid, id=next_id(session, JUser, tid))
    apply_fields(user, data, USER_FIELDS)
    session.add(user)
    session.flush()
    replace_links(session, user, "user_pk", {"centres": [], "tests": [], **links}, USER_LINKS)
    return user


def update_user(scope: RequestScope, user: JUser, data: dict) -> JUser:
    session = scope.session
    _user_unique(session, data, user)
    links = resolve_links(session, data, LINKS)
    apply_fields(user, data, USER_FIELDS)
    session.flush()
    replace_links(session, user, "user_pk", links, USER_LINKS)
    return user


def create_candidate(scope: RequestScope, data: dict) -> JCandidate:
    session = scope.session
    unique_reference(session, JCandidate, "candidate", data["reference"])
    links = resolve_links(session, data, LINKS)
    tid = scope.tenant_id
    candidate = JCandidate(tenant_id=tid, id=next_id(session, JCandidate, tid), retired=False)
    apply_fields(candidate, data, CANDIDATE_FIELDS)
    session.add(candidate)
    session.flush()
    replace_links(session, candidate, "candidate_pk", links, CANDIDATE_LINKS)
    return candidate


def update_candidate(scope: RequestScope, candidate: JCandidate, data: dict) -> JCandidate:
    """A PUT changes the members it gives and keeps the rest; ``retired: true`` retires."""
    session = scope.session
    refuse_retired(candidate, "Candidate")
    if data.get("reference") is not None:
        unique_reference(session, JCandidate, "candidate", data["reference"], candidate)
    links = resolve_links(session, data, LINKS)
    apply_fields(candidate, data, CANDIDATE_FIELDS)
    if data.get("retired"):
        candidate.retired = True
    session.flush()
    replace_links(session, candidate, "candidate_pk", links, CANDIDATE_LINKS)
    return candidate


def retire_candidate(scope: RequestScope, candidate: JCandidate) -> JCandidate:
    """JC-3: DELETE sets ``retired``; GET still returns the candidate."""
    retire(scope, candidate, "Candidate")
    return candidate
