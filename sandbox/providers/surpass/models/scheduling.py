"""POST TestSchedule: the rules that need the database, the site settings or the clock.

The body has passed its schema (TS-1..TS-8, TS-21..TS-24). The rules below run in the
order of their ids and the first failure ends the request. Nothing is written until every
rule has passed, so a refused request leaves no candidate, association or session behind.

The checks read without the writers' lock (``scope.sql`` on the request's read
transaction). Once they pass, ``scope.write()`` takes the lock and the rules whose rows
another request can change meanwhile are checked again against the latest data: the
centre's subjects (TS-16), the candidate and its links (TS-17, TS-18) and its open
schedules (TS-26). Of two identical schedules sent at once, the second to take the lock
sees the first's session and is refused (TS-26), as if they had come one after the
other. Keycode, PIN and ids are chosen under the lock. All SQL is precompiled
(``schedule_sql.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from exam_sandbox.core.errors import NotFound
from exam_sandbox.core.ids import add_to_tally, next_id, tally
from exam_sandbox.core.lookups import MAX_ID
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.sql import SqlRunner, first_by_ref

from ..auth import Principal, user_covers
from ..errors import forbidden, invalid, not_found, rule
from ..keys import keycode_for, pin_for
from ..tables import Candidate, TestSession
from . import schedule_sql as q
from .schedule_sql import CandidateRow, CentreRow, FormRow, TestRow

SCHEDULED = 1  # ScheduledButNotCreated: every new session starts here
CLOSED_STATES = q.CLOSED_STATES
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


@dataclass(frozen=True, slots=True)
class Created:
    """What the answer names: the new session and its candidate."""

    id: int
    keycode: str
    pin: str
    candidate: CandidateRef


@dataclass(frozen=True, slots=True)
class CandidateRef:
    id: int
    reference: str


@dataclass
class CandidatePlan:
    """The candidate to schedule, and what registering it needs written."""

    existing: CandidateRow | None
    create: dict | None = None  # column values of a quick-registered new candidate
    update: dict = field(default_factory=dict)
    link_centre: bool = False
    link_subject: bool = False


def schedule_test(scope: RequestScope, body: dict, *, auto_sync: bool, quick_register: bool):
    """Check every rule, then write. Returns the ``Created`` session."""
    sql, settings = scope.sql, scope.settings
    # TS-9: with multi-day scheduling off, the window is one day (startDate == endDate).
    if not settings["multiDayScheduling"] and body["startDate"] != body["endDate"]:
        raise invalid("TS-9")
    # TS-10: the purchase order, when the site requires one.
    if settings["purchaseOrderRequired"] and not (body.get("purchaseOrder") or "").strip():
        raise invalid("TS-10")
    # TS-11: enforceTimes must be sent when the site setting requires it.
    if settings["enforceTimesRequired"] and body.get("enforceTimes") is None:
        raise invalid("TS-11")
    test = _test(sql, body["test"], body.get("subject"))
    forms = _forms(sql, test, settings)
    form = _named_form(sql, forms, body.get("testForm"))
    # TS-15: the centre exists.
    centre = _centre(sql, body["centre"])
    if centre is None:
        raise NotFound(rule("TS-15"))
    _check_centre_offers(sql, centre, test)
    plan = _candidate(sql, body["candidate"], quick_register, centre, test, auto_sync)
    _user_covers(scope.user, centre, test)
    # TS-20: an invigilated test cannot be scheduled without invigilation.
    if test.requires_invigilation and body.get("requiresInvigilation") is False:
        raise invalid("TS-20")
    staff = {role: _staff(sql, test, role, body.get(role)) for role in ("marker", "moderator")}
    _check_open_sessions(sql, body, plan, test, settings)
    enforce = bool(body.get("enforceTimes"))
    window = _window(body, enforce, settings["enforceTimesBufferHours"])
    # TS-27: a window that has already ended cannot be sat.
    if window[1] < scope.now:
        raise invalid("TS-27")

    scope.write()
    # Under the lock: what another request may have changed since the reads above.
    _check_centre_offers(sql, centre, test)
    plan = _candidate(sql, body["candidate"], quick_register, centre, test, auto_sync)
    _check_open_sessions(sql, body, plan, test, settings)
    candidate = _register(sql, plan, centre, test)
    form = form or _choose_form(sql, forms, test, centre)
    return _create_session(scope, body, test, form, centre, candidate, window, enforce, staff)


# --- checks ---------------------------------------------------------------------------


def _test(sql: SqlRunner, ref: dict, subject_ref: dict | None) -> TestRow:
    """TS-12: the test, by id or reference, within ``subject`` when one is named."""
    subject_pk = None
    if subject_ref:
        found = first_by_ref(sql, q.SUBJECT_PK, subject_ref)
        if found is None:
            raise not_found("Subject")
        subject_pk = found[0]
    if ref.get("id") is not None:
        test = first_by_ref(sql, {"id": q.TEST_BY_ID}, {"id": ref["id"]})
        matches = [test] if test is not None else []
    else:
        matches = sql.all(q.TESTS_BY_REFERENCE, value=ref["reference"])
        if subject_pk is None and len(matches) > 1:
            # TS-28: test references need only be unique within a subject (SEED-S).
            raise invalid("TS-28", reference=ref["reference"])
    if subject_pk is not None:
        matches = [t for t in matches if t.subject_pk == subject_pk]
    if not matches:
        raise NotFound(rule("TS-12"))
    return matches[0]


def _forms(sql: SqlRunner, test: TestRow, settings: dict) -> list[FormRow]:
    # TS-13: the test can be scheduled: it has a form and (by default) is Live.
    forms = sql.all(q.FORMS_OF_TEST, value=test.pk)
    if not forms:
        raise invalid("TS-13", problem="Test has no available test forms")
    if settings["requireLiveTest"] and test.status != "Live":
        raise invalid("TS-13", problem="Test is not live")
    return forms


def _named_form(sql: SqlRunner, forms: list[FormRow], ref: dict | None) -> FormRow | None:
    if not ref:
        return None  # chosen once the centre is known
    # TS-14: a named form exists and belongs to the test.
    by_id = ref.get("id") is not None
    for form in forms:
        if (by_id and form.id == ref["id"]) or (
            not by_id and form.reference == ref.get("reference")
        ):
            return form
    value = ref["id"] if by_id else ref.get("reference")
    elsewhere = None
    if value is not None and (not by_id or 0 < value <= MAX_ID):
        elsewhere = sql.first(q.FORM_ANYWHERE["id" if by_id else "reference"], value=value)
    if elsewhere is None:
        raise invalid("TS-14", problem="Test form not found")
    raise invalid("TS-14", problem="Test form does not belong to the test")


def _centre(sql: SqlRunner, ref: dict) -> CentreRow | None:
    return first_by_ref(sql, q.CENTRE_BY, ref)


def _check_centre_offers(sql: SqlRunner, centre: CentreRow, test: TestRow) -> None:
    # TS-16: the centre offers the test's subject; autoSyncCentreSubject never creates this.
    if sql.first(q.CENTRE_OFFERS, centre_pk=centre.pk, subject_pk=test.subject_pk) is None:
        raise invalid("TS-16")


def _candidate(sql: SqlRunner, ref: dict, quick_register: bool, centre: CentreRow,
               test: TestRow, auto_sync: bool) -> CandidatePlan:
    """TS-17 (find, or quick-register) and TS-18 (associations, or autoSyncCentreSubject)."""
    links = {"centre_pk": centre.pk, "subject_pk": test.subject_pk}
    if ref.get("id") is not None:
        found = None
        if 0 < ref["id"] <= MAX_ID:
            found = sql.first(q.CANDIDATE_BY["id"], value=ref["id"], **links)
    else:
        found = sql.first(q.CANDIDATE_BY["reference"], value=ref["reference"], **links)
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
    plan.link_centre = not found.at_centre
    plan.link_subject = not found.in_subject
    if not auto_sync:
        if plan.link_centre:
            raise invalid("TS-18", what="centre")
        if plan.link_subject:
            raise invalid("TS-18", what="subject")
    return plan


def _user_covers(user: Principal, centre: CentreRow, test: TestRow) -> None:
    """TS-19: the API user is associated with the centre and the subject. Reported with
    ErrorCode 403 (AUTH-3), as the wire format fixes for every association failure."""
    if not user_covers(user, centre_pk=centre.pk):
        raise forbidden("AUTH-3", what="centre")
    if not user_covers(user, subject_pk=test.subject_pk):
        raise forbidden("AUTH-3", what="subject")


def _staff(sql: SqlRunner, test: TestRow, role: str, ref: dict | None) -> int | None:
    """TS-25: a marker or moderator only for a test that enables user associations."""
    if not ref:
        return None
    if not test.enable_user_associations:
        raise invalid("TS-25", role=role)
    user = first_by_ref(sql, q.USER_ID_BY, ref)
    if user is None:
        raise not_found(role.capitalize())
    return user[0]


def _check_open_sessions(sql: SqlRunner, body: dict, plan: CandidatePlan, test: TestRow,
                         settings: dict) -> None:
    # TS-26: one open schedule per candidate (and test, by default) unless allowed.
    if body.get("allowMultipleOpenSessions") or plan.existing is None:
        return
    scope_setting = settings["openSessionScope"]
    found = sql.first(q.OPEN_SESSION[scope_setting], candidate_pk=plan.existing.pk,
                      **({"test_pk": test.pk} if scope_setting == "test" else {}))
    if found is not None:
        raise invalid("TS-26", scope=" for this test" if scope_setting == "test" else "")


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


# --- writes (under the writers' lock) ------------------------------------------------


def _register(sql: SqlRunner, plan: CandidatePlan, centre: CentreRow,
              test: TestRow) -> CandidateRow:
    candidate = plan.existing
    if candidate is None:
        values = {column: plan.create.get(column) for column in q.CANDIDATE_COLUMNS}
        values["gender"] = values["gender"] or "Unspecified"  # the column's default
        candidate_id = next_id(sql, Candidate.__table__)
        pk = sql.scalar(q.INSERT_CANDIDATE, id=candidate_id,
                        reference=plan.create["reference"], **values)
        candidate = CandidateRow(pk, candidate_id, plan.create["reference"], False, False)
    elif plan.update:
        sql.run(q.update_candidate(frozenset(plan.update)), candidate_pk=candidate.pk,
                **plan.update)
    if plan.link_centre:
        sql.run(q.LINK_CENTRE, candidate_pk=candidate.pk, centre_pk=centre.pk)
    if plan.link_subject:
        sql.run(q.LINK_SUBJECT, candidate_pk=candidate.pk, subject_pk=test.subject_pk)
    return candidate


def _choose_form(sql: SqlRunner, forms: list[FormRow], test: TestRow,
                 centre: CentreRow) -> FormRow:
    """Automatic selection: a centre that randomises forms gets the least used one (ties to
    the lowest id), a deterministic stand-in for chance; otherwise the first form. Each
    form's use is a tally (counted once, then kept), not a count of the test's sessions
    per schedule: that count grew with the tenant, under the writers' lock."""
    if not centre.randomise_test_forms:
        return forms[0]

    def use(form: FormRow) -> int:
        return tally(sql, q.form_use(form.pk),
                     lambda: sql.scalar(q.FORM_SESSIONS, form_pk=form.pk))

    return min(forms, key=lambda f: (use(f), f.id))


def _keycode(scope: RequestScope, session_id: int) -> str:
    """The seed's keycode for this id; on a clash in the tenant, or an all-digit keycode
    (a path segment of digits names an id), the next attempt."""
    for attempt in range(MAX_KEYCODE_ATTEMPTS):
        keycode = keycode_for(scope.seed, session_id, attempt)
        if keycode.isdigit():
            continue
        if scope.sql.first(q.KEYCODE_TAKEN, value=keycode) is None:
            return keycode
    raise RuntimeError("no free keycode")  # 36**8 codes: not reachable in practice


def _pin(scope: RequestScope, centre: CentreRow, test: TestRow, day: date) -> str:
    """One PIN per centre, test and (start) day: an existing session's, else the seed's."""
    existing = scope.sql.scalar(q.PIN_OF_THE_DAY, centre_pk=centre.pk, test_pk=test.pk,
                                start_date=day)
    if existing is not None:
        return existing
    return pin_for(scope.seed, centre.id, test.id, day, scope.settings["pinLength"])


def _create_session(scope, body, test, form, centre, candidate, window, enforce,
                    staff) -> Created:
    session_id = next_id(scope.sql, TestSession.__table__)
    options = {name: body[name] for name in OPTIONS if body.get(name) is not None}
    options.update({role: {"id": user_id} for role, user_id in staff.items() if user_id})
    invigilate = body.get("requiresInvigilation")
    keycode = _keycode(scope, session_id)
    pin = _pin(scope, centre, test, body["startDate"])
    scope.sql.run(
        q.INSERT_SESSION,
        id=session_id,
        keycode=keycode,
        pin=pin,
        state=SCHEDULED,
        candidate_pk=candidate.pk,
        centre_pk=centre.pk,
        test_pk=test.pk,
        test_form_pk=form.pk,
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
    # Every session counts toward its form's use, chosen or named (its tally started).
    add_to_tally(scope.sql, q.form_use(form.pk), 1)
    return Created(session_id, keycode, pin, CandidateRef(candidate.id, candidate.reference))
