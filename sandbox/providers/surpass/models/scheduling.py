"""POST TestSchedule: the rules that need the database, the site settings or the clock.

The body has passed its schema (TS-1..TS-8, TS-21..TS-24). The rules below run in the
order of their ids and the first failure ends the request. Nothing is written until every
rule has passed, so a refused request leaves no candidate, association or session behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from exam_sandbox.core.db import next_id
from exam_sandbox.core.errors import NotFound
from exam_sandbox.core.lookups import by_id, by_ref
from exam_sandbox.core.scope import RequestScope

from ..auth import Principal, user_covers
from ..errors import forbidden, invalid, not_found, rule
from ..keys import keycode_for, pin_for
from ..tables import (
    Candidate,
    Centre,
    CentreSubjectAssociation,
    Subject,
    Test,
    TestForm,
    TestSession,
    User,
    candidate_centre,
    candidate_subject,
)

SCHEDULED = 1  # ScheduledButNotCreated: every new session starts here
# TS-26: states in which a session no longer counts as an open schedule.
CLOSED_STATES = (9, 10, 11, 12, 13)  # Finished, Voided, Marked, ScriptVerified, Archived
CANDIDATE_FIELDS = {
    "firstName": "first_name", "middleName": "middle_name", "lastName": "last_name",
    "dateOfBirth": "date_of_birth", "gender": "gender", "email": "email", "tel": "tel",
    "uln": "uln",
}
# Body members kept on the session as sent (TestSession.options).
OPTIONS = (
    "reasonableAdjustments", "breakReasonableAdjustments", "unscheduledBreak",
    "allowMultipleOpenSessions", "uploadResponses", "externalReference", "qualityReview",
    "unlockOverride", "forceRequireExamVersionDate", "selectedSections", "requiresCheckIn",
    "isWholeScriptMarkingOn",
)
MAX_KEYCODE_ATTEMPTS = 64


@dataclass
class CandidatePlan:
    """The candidate to schedule, and what registering it needs written."""

    existing: Candidate | None
    create: dict | None = None  # column values of a quick-registered new candidate
    update: dict = field(default_factory=dict)
    link_centre: bool = False
    link_subject: bool = False


def schedule_test(scope: RequestScope, body: dict, *, auto_sync: bool, quick_register: bool):
    """Check every rule, then write. Returns ``(session, candidate)``."""
    db, settings = scope.session, scope.settings
    # TS-9: with multi-day scheduling off, the window is one day (startDate == endDate).
    if not settings["multiDayScheduling"] and body["startDate"] != body["endDate"]:
        raise invalid("TS-9")
    # TS-10: the purchase order, when the site requires one.
    if settings["purchaseOrderRequired"] and not (body.get("purchaseOrder") or "").strip():
        raise invalid("TS-10")
    # TS-11: enforceTimes must be sent when the site setting requires it.
    if settings["enforceTimesRequired"] and body.get("enforceTimes") is None:
        raise invalid("TS-11")
    test = _test(db, body["test"], body.get("subject"))
    form = _test_form(db, test, body.get("testForm"), settings)
    # TS-15: the centre exists.
    centre = by_ref(db, Centre, body["centre"])
    if centre is None:
        raise NotFound(rule("TS-15"))
    # TS-16: the centre offers the test's subject; autoSyncCentreSubject never creates this.
    if not _centre_offers(db, centre, test.subject_pk):
        raise invalid("TS-16")
    plan = _candidate(db, body["candidate"], quick_register, centre, test, auto_sync)
    _user_covers(scope.user, centre, test)
    # TS-20: an invigilated test cannot be scheduled without invigilation.
    if test.requires_invigilation and body.get("requiresInvigilation") is False:
        raise invalid("TS-20")
    staff = {role: _staff(db, test, role, body.get(role)) for role in ("marker", "moderator")}
    # TS-26: one open schedule per candidate (and test, by default) unless allowed.
    open_check = not body.get("allowMultipleOpenSessions") and plan.existing is not None
    if open_check and _has_open_session(db, plan.existing, test, settings["openSessionScope"]):
        same_test = settings["openSessionScope"] == "test"
        raise invalid("TS-26", scope=" for this test" if same_test else "")
    enforce = bool(body.get("enforceTimes"))
    window = _window(body, enforce, settings["enforceTimesBufferHours"])
    # TS-27: a window that has already ended cannot be sat.
    if window[1] < scope.now:
        raise invalid("TS-27")
    candidate = _register(scope, plan, centre, test)
    session = _create_session(scope, body, test, form, centre, candidate, window, enforce, staff)
    return session, candidate


# --- checks ---------------------------------------------------------------------------


def _test(db: Session, ref: dict, subject_ref: dict | None) -> Test:
    """TS-12: the test, by id or reference, within ``subject`` when one is named."""
    subject = None
    if subject_ref:
        subject = by_ref(db, Subject, subject_ref)
        if subject is None:
            raise not_found("Subject")
    if ref.get("id") is not None:
        test = by_id(db, Test, ref["id"])
        matches = [test] if test is not None else []
    else:
        query = select(Test).where(Test.reference == ref["reference"])
        matches = list(db.execute(query.order_by(Test.id)).unique().scalars())
        if subject is None and len(matches) > 1:
            # TS-28: test references need only be unique within a subject (SEED-S).
            raise invalid("TS-28", reference=ref["reference"])
    if subject is not None:
        matches = [t for t in matches if t.subject_pk == subject.pk]
    if not matches:
        raise NotFound(rule("TS-12"))
    return matches[0]


def _test_form(db: Session, test: Test, ref: dict | None, settings: dict) -> TestForm | None:
    # TS-13: the test can be scheduled: it has a form and (by default) is Live.
    if not test.forms:
        raise invalid("TS-13", problem="Test has no available test forms")
    if settings["requireLiveTest"] and test.status != "Live":
        raise invalid("TS-13", problem="Test is not live")
    if not ref:
        return None  # chosen once the centre is known
    # TS-14: a named form exists and belongs to the test.
    for form in test.forms:
        if (ref.get("id") is not None and form.id == ref["id"]) or (
            ref.get("id") is None and form.reference == ref.get("reference")
        ):
            return form
    column = TestForm.id if ref.get("id") is not None else TestForm.reference
    value = ref["id"] if ref.get("id") is not None else ref.get("reference")
    elsewhere = db.execute(
        select(TestForm.pk).where(column == value).limit(1)
    ).first()
    if elsewhere is None:
        raise invalid("TS-14", problem="Test form not found")
    raise invalid("TS-14", problem="Test form does not belong to the test")


def _centre_offers(db: Session, centre: Centre, subject_pk: int) -> bool:
    found = db.execute(
        select(CentreSubjectAssociation.pk).where(
            CentreSubjectAssociation.centre_pk == centre.pk,
            CentreSubjectAssociation.subject_pk == subject_pk,
        )
    ).first()
    return found is not None


def _candidate(db, ref: dict, quick_register: bool, centre, test, auto_sync) -> CandidatePlan:
    """TS-17 (find, or quick-register) and TS-18 (associations, or autoSyncCentreSubject)."""
    if ref.get("id") is not None:
        found = by_id(db, Candidate, ref["id"])
    else:
        found = by_ref(db, Candidate, {"reference": ref["reference"]})
    if found is None and (not quick_register or ref.get("id") is not None):
        # TS-17: only a reference can name a candidate that quick registration creates.
        raise NotFound(rule("TS-17", problem="Candidate not found"))
    given = {
        column: ref[name].strip() if isinstance(ref[name], str) else ref[name]
        for name, column in CANDIDATE_FIELDS.items()
        if ref.get(name) is not None and not (isinstance(ref[name], str) and not ref[name].strip())
    }
    if found is None:
        missing = [
            f"candidate.{n}" for n in ("firstName", "lastName", "dateOfBirth")
            if CANDIDATE_FIELDS[n] not in given
        ]
        if missing:
            # TS-17: creating a candidate needs reference, firstName, lastName, dateOfBirth.
            verb = "is" if len(missing) == 1 else "are"
            problem = f"{' and '.join(missing)} {verb} required to register a new candidate"
            raise invalid("TS-17", problem=problem)
        # A candidate registered for this schedule is registered at its centre and subject.
        return CandidatePlan(None, create={"reference": ref["reference"], **given},
                             link_centre=True, link_subject=True)
    plan = CandidatePlan(found, update=given if quick_register else {})
    # TS-18: the candidate is associated with the centre and with the test's subject.
    plan.link_centre = centre.pk not in {c.pk for c in found.centres}
    plan.link_subject = test.subject_pk not in {s.pk for s in found.subjects}
    if not auto_sync:
        if plan.link_centre:
            raise invalid("TS-18", what="centre")
        if plan.link_subject:
            raise invalid("TS-18", what="subject")
    return plan


def _user_covers(user: Principal, centre: Centre, test: Test) -> None:
    """TS-19: the API user is associated with the centre and the subject. Reported with
    ErrorCode 403 (AUTH-3), as the wire format fixes for every association failure."""
    if not user_covers(user, centre_pk=centre.pk):
        raise forbidden("AUTH-3", what="centre")
    if not user_covers(user, subject_pk=test.subject_pk):
        raise forbidden("AUTH-3", what="subject")


def _staff(db: Session, test: Test, role: str, ref: dict | None) -> int | None:
    """TS-25: a marker or moderator only for a test that enables user associations."""
    if not ref:
        return None
    if not test.enable_user_associations:
        raise invalid("TS-25", role=role)
    user = by_ref(db, User, ref)
    if user is None:
        raise not_found(role.capitalize())
    return user.id


def _has_open_session(db: Session, candidate: Candidate, test: Test, scope: str) -> bool:
    query = select(TestSession.pk).where(
        TestSession.candidate_pk == candidate.pk, TestSession.state.not_in(CLOSED_STATES)
    )
    if scope == "test":
        query = query.where(TestSession.test_pk == test.pk)
    return db.execute(query.limit(1)).first() is not None


def _window(body: dict, enforce: bool, buffer_hours: int) -> tuple[datetime, datetime]:
    """The span the session can be sat in. With ``enforceTimes`` the daily times give way to
    whole days widened by the buffer (12 hours by default) at both ends."""
    start, end = body["startDate"], body["endDate"]
    if enforce:
        buffer = timedelta(hours=buffer_hours)
        return (_shifted(datetime.combine(start, time(0, 0)), -buffer),
                _shifted(datetime.combine(end, time(23, 59)), buffer))
    return _at(start, body["startTime"]), _at(end, body["endTime"])


def _shifted(moment: datetime, delta: timedelta) -> datetime:
    """``moment + delta``, held at the ends of the calendar: the buffer around 31/12/9999
    (or 01/01/0001) cannot reach past it."""
    try:
        return moment + delta
    except OverflowError:
        return datetime.max.replace(microsecond=0) if delta > timedelta(0) else datetime.min


def _at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time(int(hhmm[:2]), int(hhmm[2:])))


# --- writes -------------------------------------------------------------------------


def _register(scope: RequestScope, plan: CandidatePlan, centre: Centre, test: Test) -> Candidate:
    db, tid = scope.session, scope.tenant_id
    candidate = plan.existing
    if candidate is None:
        candidate = Candidate(tenant_id=tid, id=next_id(db, Candidate, tid), **plan.create)
        db.add(candidate)
        db.flush()
    for column, value in plan.update.items():
        setattr(candidate, column, value)
    # The link tables carry tenant_id, so rows go in directly rather than via relationships.
    if plan.link_centre:
        db.execute(insert(candidate_centre).values(
            tenant_id=tid, candidate_pk=candidate.pk, centre_pk=centre.pk))
    if plan.link_subject:
        db.execute(insert(candidate_subject).values(
            tenant_id=tid, candidate_pk=candidate.pk, subject_pk=test.subject_pk))
    if plan.link_centre or plan.link_subject:
        db.expire(candidate, ["centres", "subjects"])
    return candidate


def _choose_form(db: Session, test: Test, centre: Centre) -> TestForm:
    """Automatic selection: a centre that randomises forms gets the least used one (ties to
    the lowest id), a deterministic stand-in for chance; otherwise the first form."""
    if not centre.randomise_test_forms:
        return test.forms[0]
    used = dict(db.execute(
        select(TestSession.test_form_pk, func.count()).where(TestSession.test_pk == test.pk)
        .group_by(TestSession.test_form_pk)
    ).all())
    return min(test.forms, key=lambda f: (used.get(f.pk, 0), f.id))


def _keycode(scope: RequestScope, session_id: int) -> str:
    """The seed's keycode for this id; on a clash in the tenant, or an all-digit keycode
    (a path segment of digits names an id), the next attempt."""
    for attempt in range(MAX_KEYCODE_ATTEMPTS):
        keycode = keycode_for(scope.seed, session_id, attempt)
        if keycode.isdigit():
            continue
        taken = scope.session.execute(
            select(TestSession.pk).where(TestSession.keycode == keycode)).first()
        if taken is None:
            return keycode
    raise RuntimeError("no free keycode")  # 36**8 codes: not reachable in practice


def _pin(scope: RequestScope, centre: Centre, test: Test, day: date) -> str:
    """One PIN per centre, test and (start) day: an existing session's, else the seed's."""
    existing = scope.session.execute(select(TestSession.pin).where(
        TestSession.centre_pk == centre.pk,
        TestSession.test_pk == test.pk, TestSession.start_date == day,
    ).order_by(TestSession.id).limit(1)).scalar()
    if existing is not None:
        return existing
    return pin_for(scope.seed, centre.id, test.id, day, scope.settings["pinLength"])


def _create_session(scope, body, test, form, centre, candidate, window, enforce, staff):
    db, tid = scope.session, scope.tenant_id
    session_id = next_id(db, TestSession, tid)
    options = {name: body[name] for name in OPTIONS if body.get(name) is not None}
    options.update({role: {"id": user_id} for role, user_id in staff.items() if user_id})
    invigilate = body.get("requiresInvigilation")
    row = TestSession(
        tenant_id=tid,
        id=session_id,
        keycode=_keycode(scope, session_id),
        pin=_pin(scope, centre, test, body["startDate"]),
        state=SCHEDULED,
        candidate_pk=candidate.pk,
        centre_pk=centre.pk,
        test_pk=test.pk,
        test_form_pk=(form or _choose_form(db, test, centre)).pk,
        start_date=body["startDate"],
        end_date=body["endDate"],
        start_time=body["startTime"],
        end_time=body["endTime"],
        scheduled_from=window[0],
        scheduled_to=window[1],
        enforce_times=enforce,
        requires_invigilation=test.requires_invigilation if invigilate is None else invigilate,
        marked_externally=bool(body.get("markedExternally")),
        purchase_order=body.get("purchaseOrder"),
        language=body.get("language"),
        test_tags=list(body.get("testTags") or []),
        options=options,
        created_at=scope.now,
    )
    db.add(row)
    db.flush()
    return row
