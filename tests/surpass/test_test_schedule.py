"""POST and DELETE TestSchedule in JSON: rules TS-1..TS-28 and TD-1..TD-3, the success
path, headers, settings, permissions and determinism. XML is in test_test_schedule_xml.py.

The tenant's clock is frozen at NOW; schedules are for the next day unless a test says.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from support import errors_of

from exam_sandbox.providers.surpass.tables import (
    Candidate,
    Centre,
    Subject,
    User,
    candidate_centre,
    user_centre,
    user_subject,
)
from exam_sandbox.providers.surpass.tables import Test as ExamTest  # aliased: not a test class
from exam_sandbox.providers.surpass.tables import TestSession as SessionRow

NOW = "2026-03-01T08:00:00Z"
BASE = "http://localhost/surpass/api/v2"
TZ = "GMT Standard Time"
DROP = object()


def body(**changes) -> dict:
    """A valid schedule: CAND00001 sits MATHS-PRAC (Live, two forms) at CEN001."""
    data = {
        "test": {"reference": "MATHS-PRAC"},
        "centre": {"reference": "CEN001"},
        "candidate": {"reference": "CAND00001"},
        "startDate": "02/03/2026",
        "endDate": "02/03/2026",
        "startTime": "0900",
        "endTime": "1700",
        **changes,
    }
    return {k: v for k, v in data.items() if v is not DROP}


def schedule(tenant, data: dict | None = None, *, headers: dict | None = None, auth=None):
    return tenant.surpass("POST", "/api/v2/TestSchedule", json=body() if data is None else data,
                          headers=headers or {}, auth=auth)


def session_of(tenant, key) -> dict:
    r = tenant.surpass("GET", f"/api/v2/TestSession/{key}")
    assert r.status_code == 200, r.json
    return r.json["response"][0]


def db_scalar(tenant, statement):
    context = tenant.http.application.extensions["exam_sandbox"]
    with context.db.session(write=False) as db:
        return db.execute(statement).scalar()


def restricted_user(tenant, name: str, permissions: list, centres=(), subjects=()) -> dict:
    """A Surpass user associated with only these centres and subjects (by reference). The
    association rows are written directly, independent of the admin endpoint."""
    auth = tenant.surpass_user(name, permissions=permissions)
    context = tenant.http.application.extensions["exam_sandbox"]
    with context.db.session(write=True) as db:
        user_pk = db.execute(select(User.pk).where(
            User.tenant_id == tenant.id, User.username == name)).scalar_one()
        for table, model, column, refs in ((user_centre, Centre, "centre_pk", centres),
                                           (user_subject, Subject, "subject_pk", subjects)):
            for ref in refs:
                pk = db.execute(select(model.pk).where(
                    model.tenant_id == tenant.id, model.reference == ref)).scalar_one()
                db.execute(table.insert().values(tenant_id=tenant.id, user_pk=user_pk,
                                                 **{column: pk}))
    return auth


def candidates_named(tenant, reference: str) -> int:
    return db_scalar(tenant, select(func.count()).select_from(Candidate).where(
        Candidate.tenant_id == tenant.id, Candidate.reference == reference))


def session_count(tenant) -> int:
    return tenant.surpass("GET", "/api/v2/TestSession?$top=1").json["count"]


def refuse(r, status: int, *errors: tuple[int, str]) -> None:
    assert r.status_code == status, r.json
    assert errors_of(r) == list(errors)
    assert r.json["id"] is None and r.json["href"] is None


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


# --- success -------------------------------------------------------------------------


def test_schedule_success_envelope_and_session(t):
    r = schedule(t, body(testTags=["morning"], purchaseOrder="PO-1", language="EN"))
    assert r.status_code == 200, r.json
    j = r.json
    assert list(j) == ["id", "reference", "href", "errors", "serverTimeZone", "keycode", "pin",
                       "candidate"]
    assert j["id"] == 11  # after the ten seeded sessions
    assert re.fullmatch(r"[A-Z0-9]{8}", j["keycode"]) and not j["keycode"].isdigit()
    assert j["reference"] == j["keycode"]
    assert j["href"] == f"{BASE}/TestSession/11"
    assert re.fullmatch(r"[0-9]{6}", j["pin"])
    assert j["candidate"] == {"id": 1, "reference": "CAND00001"}
    assert j["errors"] == [] and j["serverTimeZone"] == TZ
    s = session_of(t, j["keycode"].lower())
    assert s["state"] == 1 and s["stateName"] == "ScheduledButNotCreated"
    assert (s["test"]["reference"], s["centre"]["reference"]) == ("MATHS-PRAC", "CEN001")
    assert s["subject"]["reference"] == "MATHS"
    assert s["testForm"]["reference"] == "MATHS-PRAC-F1"
    assert (s["startDate"], s["endDate"], s["startTime"], s["endTime"]) == (
        "02/03/2026", "02/03/2026", "0900", "1700")
    assert (s["scheduledFrom"], s["scheduledTo"]) == ("2026-03-02T09:00:00", "2026-03-02T17:00:00")
    assert s["requiresInvigilation"] is False and s["markedExternally"] is False
    assert (s["purchaseOrder"], s["testTags"], s["language"]) == ("PO-1", ["morning"], "en")


def test_forms_auto_selected_least_used_then_lowest_id(t):
    new = {"quickRegisterCandidate": "true"}
    first = schedule(t)
    second = schedule(t, body(candidate={"reference": "NEW1", "firstName": "A", "lastName": "B",
                                         "dateOfBirth": "2000-01-01"}), headers=new)
    forms = [session_of(t, r.json["id"])["testForm"]["reference"] for r in (first, second)]
    assert forms == ["MATHS-PRAC-F1", "MATHS-PRAC-F2"]
    named = schedule(t, body(candidate={"reference": "NEW1"}, testForm={"id": 4},
                             allowMultipleOpenSessions=True))
    assert session_of(t, named.json["id"])["testForm"]["id"] == 4


def test_forms_auto_selected_by_use_count_a_deleted_schedule_frees(t):
    # The use of each form is kept as a tally (models/scheduling.py): deleting a schedule
    # must give its form back, or selection would drift from "least used".
    new = {"quickRegisterCandidate": "true"}

    def person(n):
        return {"reference": f"USE{n}", "firstName": "A", "lastName": "B",
                "dateOfBirth": "2000-01-01"}

    first = schedule(t, body(candidate=person(1)), headers=new)
    second = schedule(t, body(candidate=person(2)), headers=new)
    forms = [session_of(t, r.json["id"])["testForm"]["reference"] for r in (first, second)]
    assert forms == ["MATHS-PRAC-F1", "MATHS-PRAC-F2"]
    deleted = t.surpass("DELETE", f"/api/v2/TestSchedule/{first.json['id']}")
    assert deleted.status_code == 200, deleted.json
    third = schedule(t, body(candidate=person(3)), headers=new)
    assert session_of(t, third.json["id"])["testForm"]["reference"] == "MATHS-PRAC-F1"
    fourth = schedule(t, body(candidate=person(4)), headers=new)
    fifth = schedule(t, body(candidate=person(5)), headers=new)
    assert [session_of(t, r.json["id"])["testForm"]["reference"] for r in (fourth, fifth)] == [
        "MATHS-PRAC-F1", "MATHS-PRAC-F2"]


def test_pin_shared_by_centre_test_and_day(t):
    new = {"quickRegisterCandidate": "true"}
    other = {"reference": "NEW2", "firstName": "B", "lastName": "C", "dateOfBirth": "2001-02-03"}
    a = schedule(t)
    b = schedule(t, body(candidate=other), headers=new)
    c = schedule(t, body(candidate={"reference": "NEW2"}, startDate="03/03/2026",
                         endDate="03/03/2026", allowMultipleOpenSessions=True))
    assert a.json["pin"] == b.json["pin"]
    assert a.json["keycode"] != b.json["keycode"]
    assert c.json["pin"] != a.json["pin"]


def test_same_seed_same_keycode_and_pin(t, http):
    made = http.post("/_sandbox/tenants", json={"seed": 7}).json
    try:
        other = type(t)(made["tenant"], made["credentials"], http)
        other.freeze(NOW)
        assert schedule(t).json == schedule(other).json
    finally:
        http.delete(f"/_sandbox/tenants/{made['tenant']}")


def test_pin_length_setting(t):
    t.settings(pinLength=8)
    assert re.fullmatch(r"[0-9]{8}", schedule(t).json["pin"])


def test_enforce_times_widens_window_by_buffer(t):
    r = schedule(t, body(enforceTimes=True))
    s = session_of(t, r.json["id"])
    assert (s["scheduledFrom"], s["scheduledTo"]) == ("2026-03-01T12:00:00", "2026-03-03T11:59:00")
    t.settings(enforceTimesBufferHours=0)
    r = schedule(t, body(enforceTimes=True, allowMultipleOpenSessions=True))
    s = session_of(t, r.json["id"])
    assert (s["scheduledFrom"], s["scheduledTo"]) == ("2026-03-02T00:00:00", "2026-03-02T23:59:00")


# --- schema rules, all reported at once ----------------------------------------------


def test_TS_1_to_TS_4_required_fields_all_reported(t):
    refuse(schedule(t, {}), 400, (2001, "Test is required"), (2002, "Centre is required"),
           (2003, "Candidate is required"), (2004, "startDate is required"),
           (2004, "endDate is required"), (2004, "startTime is required"),
           (2004, "endTime is required"))


def test_TS_1_test_without_id_or_reference(t):
    refuse(schedule(t, body(test={"name": "x"})), 400, (2001, "Test is required"))
    refuse(schedule(t, body(test=None)), 400, (2001, "Test is required"))


def test_TS_2_centre_without_id_or_reference(t):
    refuse(schedule(t, body(centre={"reference": " "})), 400, (2002, "Centre is required"))


def test_TS_3_candidate_missing(t):
    refuse(schedule(t, body(candidate=DROP)), 400, (2003, "Candidate is required"))


def test_TS_4_one_missing_field(t):
    refuse(schedule(t, body(endTime=DROP)), 400, (2004, "endTime is required"))


@pytest.mark.parametrize("value", ["2026-03-02", "2/3/2026", "02/03/26", "٠٢/٠٣/٢٠٢٦", 20260302])
def test_TS_5_dates_strictly_dd_mm_yyyy(t, value):
    refuse(schedule(t, body(startDate=value)), 400,
           (2005, "startDate must be in the format DD/MM/YYYY"))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/2030", "February 2030 has 28 days"),
        ("29/02/2030", "February 2030 has 28 days"),
        ("30/02/2028", "February 2028 has 29 days"),
        ("31/04/2030", "April 2030 has 30 days"),
        ("00/01/2030", "there is no day 00"),
        ("01/13/2030", "there is no month 13"),
        ("01/00/2030", "there is no month 00"),
        ("01/01/0000", "there is no year 0000"),
    ],
)
def test_TS_5a_a_well_written_date_that_does_not_exist(t, value, reason):
    # The format is right, so the message says the day does not exist (same ErrorCode).
    refuse(schedule(t, body(startDate=value, endDate="02/03/2026")), 400,
           (2005, f"startDate '{value}' is not a date that exists: {reason}"))


def test_TS_5a_29_february_of_a_leap_year_exists(t):
    t.freeze("2028-02-01T08:00:00Z")
    ok = schedule(t, body(startDate="29/02/2028", endDate="29/02/2028"))
    assert ok.status_code == 200, ok.json
    assert session_of(t, ok.json["id"])["startDate"] == "29/02/2028"


@pytest.mark.parametrize("value", ["2400", "0960", "900", "09:00", "９００", 900])
def test_TS_6_times_hhmm_24h(t, value):
    refuse(schedule(t, body(endTime=value)), 400, (2006, "endTime must be in the format HHMM"))


def test_TS_7_start_after_end(t):
    refuse(schedule(t, body(startDate="03/03/2026")), 400,
           (2007, "startDate must be before or equal to endDate"))


def test_TS_8_start_time_not_before_end_time(t):
    refuse(schedule(t, body(startTime="1700")), 400, (2008, "startTime must be before endTime"))


def test_TS_21_extra_time_over_999_and_min_wins(t):
    refuse(schedule(t, body(reasonableAdjustments={"extraTimeMin": 1000},
                            breakReasonableAdjustments={"extraTimeMin": 1000})), 400,
           (2021, "reasonableAdjustments.extraTimeMin must not be greater than 999"),
           (2021, "breakReasonableAdjustments.extraTimeMin must not be greater than 999"))
    ok = schedule(t, body(reasonableAdjustments={"extraTimeMin": 999, "extraTimePercentage": 25}))
    assert ok.status_code == 200, ok.json
    context = t.http.application.extensions["exam_sandbox"]
    with context.db.session(write=False) as db:
        row = db.execute(select(SessionRow).where(SessionRow.tenant_id == t.id,
                                                   SessionRow.id == ok.json["id"])).scalar_one()
        assert row.options["reasonableAdjustments"] == {"extraTimeMin": 999}


def test_TS_22_tag_longer_than_250(t):
    refuse(schedule(t, body(testTags=["ok", "x" * 251])), 400,
           (2022, "Test tags must not be longer than 250 characters"))
    assert schedule(t, body(testTags=["x" * 250])).status_code == 200


def test_TS_23_external_reference_and_unlock_override_limits(t):
    refuse(schedule(t, body(externalReference="x" * 31,
                            unlockOverride={"daysInAdvanceToUnlock": 101, "daysAfterToLock": 101})),
           400, (2023, "externalReference must not be longer than 30 characters"),
           (2023, "unlockOverride.daysInAdvanceToUnlock must not be greater than 100"),
           (2023, "unlockOverride.daysAfterToLock must not be greater than 100"))


def test_TS_24_unknown_language(t):
    refuse(schedule(t, body(language="xx")), 400,
           (2024, "language 'xx' is not a supported language code"))


def test_format_errors_come_ordered_by_rule_id(t):
    r = schedule(t, body(language="xx", testTags=["x" * 251], startTime="2500", test=DROP))
    assert [code for code, _ in errors_of(r)] == [2001, 2006, 2022, 2024]


def test_wrong_types_are_400_never_500(t):
    for bad in ({"test": "MATHS-PRAC"}, {"test": {"id": 10**30}}, {"candidate": []},
                {"markedExternally": "perhaps"}, {"testTags": "a"}, {"selectedSections": [1]}):
        r = schedule(t, body(**bad))
        assert r.status_code == 400, (bad, r.json)


# --- settings rules -------------------------------------------------------------------


def test_TS_9_multi_day_refused_when_setting_off(t):
    assert schedule(t, body(endDate="04/03/2026")).status_code == 200
    t.settings(multiDayScheduling=False)
    refuse(schedule(t, body(endDate="04/03/2026", allowMultipleOpenSessions=True)), 400,
           (2009, "Test scheduling over multiple days is disabled"))
    assert schedule(t, body(allowMultipleOpenSessions=True)).status_code == 200


def test_TS_10_purchase_order_required(t):
    t.settings(purchaseOrderRequired=True)
    refuse(schedule(t), 400, (2010, "purchaseOrder is required"))
    refuse(schedule(t, body(purchaseOrder="  ")), 400, (2010, "purchaseOrder is required"))
    assert schedule(t, body(purchaseOrder="PO-9")).status_code == 200


def test_TS_11_enforce_times_required(t):
    t.settings(enforceTimesRequired=True)
    refuse(schedule(t), 400, (2011, "enforceTimes is required"))
    assert schedule(t, body(enforceTimes=False)).status_code == 200


# --- entity rules ---------------------------------------------------------------------


def test_TS_12_test_not_found(t):
    refuse(schedule(t, body(test={"id": 999})), 404, (2012, "Test not found"))
    refuse(schedule(t, body(subject={"reference": "ENGLANG"})), 404, (2012, "Test not found"))
    refuse(schedule(t, body(subject={"reference": "NOPE"})), 404, (404, "Subject not found"))
    assert schedule(t, body(subject={"reference": "MATHS"})).status_code == 200


def test_TS_13_test_without_forms_or_not_live(t):
    refuse(schedule(t, body(test={"reference": "HSAFETY-REFR"})), 400,
           (2013, "Test has no available test forms"))
    refuse(schedule(t, body(test={"reference": "COMPSCI-NETW"})), 400, (2013, "Test is not live"))
    t.settings(requireLiveTest=False)
    draft = schedule(t, body(test={"reference": "COMPSCI-NETW"}, centre={"reference": "CEN003"},
                             candidate={"reference": "CAND00003"}))
    assert draft.status_code == 200, draft.json


def test_TS_14_test_form_unknown_or_of_another_test(t):
    refuse(schedule(t, body(testForm={"reference": "NOPE"})), 400, (2014, "Test form not found"))
    refuse(schedule(t, body(testForm={"reference": "MATHS-FND-F1"})), 400,
           (2014, "Test form does not belong to the test"))


def test_TS_15_centre_not_found(t):
    refuse(schedule(t, body(centre={"id": 99})), 404, (2015, "Centre not found"))


def test_TS_16_centre_not_associated_with_subject(t):
    r = schedule(t, body(test={"reference": "COMPSCI-PROG"}, centre={"reference": "CEN005"}),
                 headers={"autoSyncCentreSubject": "true"})
    refuse(r, 400, (2016, "Centre is not associated with the subject"))


def test_TS_17_candidate_not_found_without_quick_register(t):
    refuse(schedule(t, body(candidate={"reference": "NEW1"})), 404, (2017, "Candidate not found"))
    refuse(schedule(t, body(candidate={"id": 999}), headers={"quickRegisterCandidate": "true"}),
           404, (2017, "Candidate not found"))


def test_TS_17_quick_register_needs_names_and_date_of_birth(t):
    r = schedule(t, body(candidate={"reference": "NEW1", "firstName": "A"}),
                 headers={"quickRegisterCandidate": "true"})
    refuse(r, 400, (2017, "candidate.lastName and candidate.dateOfBirth are required to "
                          "register a new candidate"))
    assert candidates_named(t, "NEW1") == 0


def test_TS_17_quick_register_creates_and_associates(t):
    new = {"reference": "NEW1", "firstName": "Ada", "lastName": "Lovelace",
           "dateOfBirth": "1990-01-31T00:00:00", "gender": "female"}
    r = schedule(t, body(candidate=new), headers={"quickRegisterCandidate": "TRUE"})
    assert r.status_code == 200, r.json
    assert r.json["candidate"] == {"id": 121, "reference": "NEW1"}
    # registered at the centre and the test's subject: a later schedule needs no header
    again = schedule(t, body(candidate={"reference": "NEW1"}, test={"reference": "MATHS-FND"}))
    assert again.status_code == 200, again.json


def test_TS_17_quick_register_updates_existing(t):
    r = schedule(t, body(candidate={"reference": "CAND00001", "firstName": "Renamed"}),
                 headers={"quickRegisterCandidate": "true"})
    assert r.status_code == 200, r.json
    assert db_scalar(t, select(Candidate.first_name).where(
        Candidate.tenant_id == t.id, Candidate.id == 1)) == "Renamed"


def test_TS_18_candidate_not_associated_unless_auto_sync(t):
    at_cen002 = body(centre={"reference": "CEN002"})
    refuse(schedule(t, at_cen002), 400, (2018, "Candidate is not associated with the centre"))
    computing = body(test={"reference": "COMPSCI-PROG"})
    refuse(schedule(t, computing), 400, (2018, "Candidate is not associated with the subject"))
    before = db_scalar(t, select(func.count()).select_from(candidate_centre))
    r = schedule(t, at_cen002, headers={"autoSyncCentreSubject": "True"})
    assert r.status_code == 200, r.json
    assert db_scalar(t, select(func.count()).select_from(candidate_centre)) == before + 1
    assert schedule(t, computing, headers={"autoSyncCentreSubject": "true"}).status_code == 200


def test_header_values_must_be_true_or_false(t):
    refuse(schedule(t, headers={"autoSyncCentreSubject": "yes"}), 400,
           (1000, "autoSyncCentreSubject: must be true or false"))
    assert schedule(t, headers={"quickRegisterCandidate": "False"}).status_code == 200


def test_TS_19_user_not_associated_with_centre_or_subject(t):
    elsewhere = restricted_user(t, "far", ["ScheduleTest"], ["CEN002"], ["MATHS"])
    refuse(schedule(t, auth=elsewhere), 403, (403, "User is not associated with the centre"))
    other_subject = restricted_user(t, "near", ["ScheduleTest"], ["CEN001"], ["ENGLANG"])
    refuse(schedule(t, auth=other_subject), 403, (403, "User is not associated with the subject"))
    covered = restricted_user(t, "ok", ["ScheduleTest"], ["CEN001"], ["MATHS"])
    assert schedule(t, auth=covered).status_code == 200


def test_AUTH_2_schedule_needs_permission_before_validation(t):
    viewer = t.surpass_user("viewer", permissions=["ViewTestSessions"])
    refuse(schedule(t, {}, auth=viewer), 403,
           (403, "User does not have permission to schedule tests"))


def test_TS_20_invigilated_test_cannot_drop_invigilation(t):
    fnd = {"test": {"reference": "MATHS-FND"}, "allowMultipleOpenSessions": True}
    refuse(schedule(t, body(requiresInvigilation=False, **fnd)), 400,
           (2020, "requiresInvigilation cannot be false for this test"))
    r = schedule(t, body(**fnd))
    assert session_of(t, r.json["id"])["requiresInvigilation"] is True
    r = schedule(t, body(requiresInvigilation=True))
    assert session_of(t, r.json["id"])["requiresInvigilation"] is True


def test_TS_25_marker_needs_user_associations(t):
    refuse(schedule(t, body(marker={"id": 1})), 400,
           (2025, "marker cannot be assigned because the test does not enable user associations"))
    writing = body(test={"reference": "ENGLANG-WRIT"})
    refuse(schedule(t, {**writing, "moderator": {"reference": "nobody"}}), 404,
           (404, "Moderator not found"))
    assert schedule(t, {**writing, "marker": {"id": 1}, "moderator": {"id": 1}}).status_code == 200


def test_TS_26_open_session_and_allow_multiple(t):
    assert schedule(t).status_code == 200
    refuse(schedule(t), 400, (2026, "Candidate already has an open test schedule for this test"))
    assert schedule(t, body(allowMultipleOpenSessions=True)).status_code == 200
    # seeded: CAND00001 has MATHS-FND in state 1, an open session for another test
    assert schedule(t, body(test={"reference": "ENGLANG-WRIT"})).status_code == 200
    t.settings(openSessionScope="any")
    refuse(schedule(t, body(test={"reference": "ENGLANG-READ"})), 400,
           (2026, "Candidate already has an open test schedule"))


def test_TS_26_closed_sessions_do_not_count(t):
    # seeded session 8 is Voided: CAND00050 sat ENGLANG-READ at CEN005
    seeded = session_of(t, 8)
    assert seeded["state"] == 10
    r = schedule(t, body(test={"id": seeded["test"]["id"]}, centre={"id": seeded["centre"]["id"]},
                         candidate={"id": seeded["candidate"]["id"]}))
    assert r.status_code == 200, r.json


def test_TS_27_window_already_ended(t):
    past = body(startDate="28/02/2026", endDate="28/02/2026")
    refuse(schedule(t, past), 400, (2027, "The test schedule window has already ended"))
    earlier_today = body(startDate="01/03/2026", endDate="01/03/2026", startTime="0600",
                         endTime="0759")
    refuse(schedule(t, earlier_today), 400, (2027, "The test schedule window has already ended"))
    # the enforceTimes buffer keeps yesterday's window open until 11:59 today
    assert schedule(t, {**past, "enforceTimes": True}).status_code == 200


def test_TS_28_ambiguous_test_reference_needs_subject(t):
    context = t.http.application.extensions["exam_sandbox"]
    with context.db.session(write=True) as db:
        tests = {row.id: row for row in db.execute(
            select(ExamTest).where(ExamTest.tenant_id == t.id)).scalars()}
        db.add(ExamTest(tenant_id=t.id, id=10, reference=tests[2].reference, name="Copy",
                       subject_pk=tests[4].subject_pk))
    refuse(schedule(t), 400, (2028, "Test reference 'MATHS-PRAC' is not unique; give the subject"))
    assert schedule(t, body(subject={"reference": "MATHS"})).status_code == 200


def test_no_half_written_candidate_when_a_later_rule_fails(t):
    new = {"reference": "GHOST", "firstName": "G", "lastName": "H", "dateOfBirth": "2000-01-01"}
    quick = {"quickRegisterCandidate": "true", "autoSyncCentreSubject": "true"}
    before = session_count(t)
    refuse(schedule(t, body(candidate=new, startDate="01/01/2026", endDate="01/01/2026"),
                    headers=quick), 400, (2027, "The test schedule window has already ended"))
    narrow = restricted_user(t, "narrow", ["ScheduleTest"], ["CEN002"], ["MATHS"])
    refuse(schedule(t, body(candidate=new), headers=quick, auth=narrow), 403,
           (403, "User is not associated with the centre"))
    assert candidates_named(t, "GHOST") == 0
    assert session_count(t) == before



def test_ids_and_keycodes_are_never_reused_after_a_delete(t):
    first = schedule(t)
    assert first.status_code == 200, first.json
    assert t.surpass("DELETE", f"/api/v2/TestSchedule/{first.json['keycode']}").status_code == 200
    second = schedule(t)
    assert second.status_code == 200, second.json
    assert second.json["id"] == first.json["id"] + 1
    assert second.json["keycode"] != first.json["keycode"]


def test_seeded_sessions_respect_centre_subject_associations(t):
    """TS-16 holds for the seed data too: every seeded session's centre offers its subject."""
    sessions = t.surpass("GET", "/api/v2/TestSession?$top=40").json["response"]
    pairs = {
        (a["centre"]["id"], a["subject"]["id"])
        for a in t.surpass("GET", "/api/v2/CentreSubjectAssociation?$top=40").json["response"]
    }
    assert sessions
    for s in sessions:
        assert (s["centre"]["id"], s["subject"]["id"]) in pairs, s["id"]
