"""/external/schedule: POST (a schedule that is not activated: S2-S5 on
AssessmentExternalId, S6-S8, S10, S11 and S19), GET, PATCH (SCH-4 StartDateTime, SCH-3 and
SCH-5 PIN, renames, S8) and DELETE (SCH-1, SCH-2, S19), all in the Content envelope. One
schedule namespace per tenant: schedules made by POST /schedule are here too."""

from __future__ import annotations

import re

import pytest
from csupport import (
    DROP,
    EXT_ID_TEXT,
    EXTERNAL,
    IN_WINDOW,
    NOW,
    PUBLISHED,
    SCHEDULE_NOT_FOUND,
    SCHEDULER_UNSET,
    UNPUBLISHED,
    absent,
    assessment,
    candidate,
    content,
    content_error,
    counts,
    external_body,
    info,
    made,
    sat,
    schedule_body,
)

S11 = "Schedule with external id [{}] already exists"


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def create(t, body):
    return t.cirrus("POST", EXTERNAL, json=body)


def patch(t, ext_id: str, body):
    return t.cirrus("PATCH", f"{EXTERNAL}/{ext_id}", json=body)


def refused_create(t, body, message: str) -> None:
    before = counts(t)
    content_error(create(t, body), 400, message)
    assert counts(t) == before
    absent(t, "EXT-1")


def window_minutes(t) -> int:
    seeded = assessment(t)
    return seeded["MaxTimePerAttempt"] + seeded["ExtraTime"]


# --- POST ---------------------------------------------------------------------------------


def test_create_answers_the_id_and_is_not_activated(t):
    content(create(t, external_body()), "EXT-1")
    seeded = assessment(t)
    got = info(t, "EXT-1")
    end_hour = 9 + (seeded["MaxTimePerAttempt"] + 60) // 60
    end_minute = (seeded["MaxTimePerAttempt"] + 60) % 60
    content(
        got,
        {
            "ExternalId": "EXT-1",
            "Title": f"{seeded['Title']} 2030-01-10 09:00",
            "StartDateTime": "2030-01-10T09:00:00Z",
            "EndDateTime": f"2030-01-10T{end_hour:02d}:{end_minute:02d}:00Z",  # S7
            "Hierarchy": {"ExternalId": "root", "FullPath": "Root"},
            "ArchiveState": 1,
            "IsActivated": False,
            "Candidates": [],
            "Invigilators": [],
            "SharingInformation": [],
        },
    )
    assert list(got.json["Content"]) == [
        "ExternalId",
        "Title",
        "StartDateTime",
        "EndDateTime",
        "Hierarchy",
        "ArchiveState",
        "IsActivated",
        "Candidates",
        "Invigilators",
        "SharingInformation",
    ]
    assert counts(t)["cirrus_schedule"] == 1 and counts(t)["cirrus_sitting"] == 0


def test_create_with_every_member(t):
    body = external_body(
        Title="Mock exam",
        EndDateTime="2030-01-10T17:00:00Z",
        HierarchyExternalId="H-1",
        PIN="1234",
        UseProctorIo=True,
        ProctorioTemplateExternalId="TPL-1",
        Owner="sandbox-author",
    )
    content(create(t, body), "EXT-1")
    got = info(t, "EXT-1").json["Content"]
    assert got["Title"] == "Mock exam"
    assert got["EndDateTime"] == "2030-01-10T17:00:00Z"
    assert got["Hierarchy"] == {"ExternalId": "H-1", "FullPath": "Root/H-1"}


def test_create_without_an_id_generates_one(t):
    answer = create(t, external_body(ScheduleExternalId=DROP))
    assert answer.status_code == 200, answer.json
    ext_id = answer.json["Content"]
    assert re.fullmatch(r"[A-Za-z]{6}", ext_id)
    assert info(t, ext_id).json["Content"]["ExternalId"] == ext_id


@pytest.mark.parametrize("value", [DROP, None, "", " "], ids=["missing", "null", "empty", "blank"])
def test_s2_assessment_external_id_empty(t, value):
    refused_create(
        t,
        external_body(AssessmentExternalId=value),
        "'Assessment External Id' should not be empty.",
    )


@pytest.mark.parametrize("value", ["MATH 101", "A" * 65, 7])
def test_s3_assessment_external_id_not_an_external_id(t, value):
    refused_create(
        t,
        external_body(AssessmentExternalId=value),
        "'AssessmentExternalId' is not a valid external id: " + EXT_ID_TEXT.format(64),
    )


def test_s3_the_schedule_bodys_field_name_is_not_read(t):
    # /external/schedule names it AssessmentExternalId; AssessmentExtId is not it.
    refused_create(
        t,
        external_body(AssessmentExternalId=DROP, AssessmentExtId=PUBLISHED),
        "'Assessment External Id' should not be empty.",
    )


def test_s4_assessment_not_found(t):
    refused_create(
        t,
        external_body(AssessmentExternalId="NOPE-1"),
        "Assessment hasn't been found by external id",
    )


def test_s5_assessment_not_published(t):
    refused_create(
        t, external_body(AssessmentExternalId=UNPUBLISHED), "Assessment must be published"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"StartDateTime": DROP}, "'StartDateTime' should not be empty."),
        ({"StartDateTime": "soon"}, "'StartDateTime' is not a valid RFC 3339 date and time"),
        ({"EndDateTime": "2030-01-10"}, "'EndDateTime' is not a valid RFC 3339 date and time"),
    ],
)
def test_s6_window_instants(t, changes, message):
    refused_create(t, external_body(**changes), message)


def test_s8_end_too_soon(t):
    minutes = window_minutes(t)
    refused_create(
        t,
        external_body(EndDateTime="2030-01-10T09:00:00Z"),
        f"'EndDateTime' must be more than {minutes} minutes (MaxTimePerAttempt + ExtraTime) "
        "after 'StartDateTime'",
    )


@pytest.mark.parametrize("value", ["EXT 1", "", "E" * 65])
def test_s10_schedule_external_id_not_an_external_id(t, value):
    refused_create(
        t,
        external_body(ScheduleExternalId=value),
        "'ScheduleExternalId' is not a valid external id: " + EXT_ID_TEXT.format(64),
    )


def test_s11_duplicate_schedule_external_id(t):
    content(create(t, external_body()), "EXT-1")
    made(t)
    before = counts(t)
    content_error(create(t, external_body(Title="Other")), 400, S11.format("EXT-1"))
    content_error(create(t, external_body(ScheduleExternalId="SCH-1")), 400, S11.format("SCH-1"))
    assert counts(t) == before
    assert info(t, "EXT-1").json["Content"]["Title"] != "Other"


def test_s19_scheduler_not_set(t):
    t.settings("cirrus", schedulerSet=False)
    refused_create(t, external_body(), SCHEDULER_UNSET)


def test_create_body_not_an_object(t):
    refused_create(t, [external_body()], "'request' is not valid: a JSON object is expected")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Title": "T" * 101}, "'Title' is not valid: at most 100 characters"),
        ({"PIN": "1" * 65}, "'PIN' is not valid: at most 64 characters"),
        ({"UseProctorIo": "sometimes"}, "'UseProctorIo' is not valid: true or false is expected"),
        (
            {"HierarchyExternalId": "H 1"},
            "'HierarchyExternalId' is not a valid external id: " + EXT_ID_TEXT.format(64),
        ),
    ],
)
def test_create_members_not_valid(t, changes, message):
    refused_create(t, external_body(**changes), message)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            external_body(AssessmentExternalId="NOPE", StartDateTime=DROP),
            "Assessment hasn't been found by external id",
        ),
        (
            external_body(AssessmentExternalId=UNPUBLISHED, ScheduleExternalId="bad id"),
            "Assessment must be published",
        ),
        (
            external_body(StartDateTime=DROP, ScheduleExternalId="bad id"),
            "'StartDateTime' should not be empty.",
        ),
        (
            external_body(ScheduleExternalId="bad id"),
            "'ScheduleExternalId' is not a valid external id: " + EXT_ID_TEXT.format(64),
        ),
    ],
    ids=["S4 beats S6", "S5 beats S10", "S6 beats S10", "S10 beats S19"],
)
def test_create_order(t, body, message):
    t.settings("cirrus", schedulerSet=False)
    refused_create(t, body, message)


def test_create_order_s11_beats_s19(t):
    content(create(t, external_body()), "EXT-1")
    t.settings("cirrus", schedulerSet=False)
    content_error(create(t, external_body()), 400, S11.format("EXT-1"))


# --- GET ----------------------------------------------------------------------------------


def test_get_a_schedule_made_by_post_schedule(t):
    made(
        t,
        schedule_body(
            candidates=[candidate("CAN-1"), candidate("CAN-2", FirstName="Grace", UserName="gh")]
        ),
    )
    got = info(t, "SCH-1")
    assert got.status_code == 200
    assert got.json["Success"] is True and got.json["Errors"] is None
    inner = got.json["Content"]
    assert inner["IsActivated"] is True
    assert inner["Hierarchy"] == {"ExternalId": "GRP-1", "FullPath": "Root/Group one"}
    assert inner["Candidates"] == [
        {"ExternalId": "CAN-1", "FirstName": "Ada", "LastName": "Lovelace", "UserName": "CAN-1"},
        {"ExternalId": "CAN-2", "FirstName": "Grace", "LastName": "Lovelace", "UserName": "gh"},
    ]


@pytest.mark.parametrize("ext_id", ["NOPE", "sch-1", "SCH-1%20"])
def test_get_unknown_schedule(t, ext_id):
    made(t)
    content_error(info(t, ext_id), 400, SCHEDULE_NOT_FOUND)


# --- PATCH --------------------------------------------------------------------------------


def test_patch_start_date_time_is_required(t):
    made(t)
    before = info(t, "SCH-1").json
    for body in ({}, {"Title": "X"}, {"StartDateTime": ""}, {"StartDateTime": None}):
        content_error(patch(t, "SCH-1", body), 400, "'StartDateTime' should not be empty.")
    assert info(t, "SCH-1").json == before


def test_patch_updates_the_window_and_title(t):
    made(t)
    answer = patch(
        t,
        "SCH-1",
        {
            "StartDateTime": "2030-03-01T08:00:00Z",
            "EndDateTime": "2030-03-01T18:00:00Z",
            "Title": "Moved",
        },
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["Success"] is True and answer.json["Errors"] is None
    assert answer.json["Content"]["StartDateTime"] == "2030-03-01T08:00:00Z"
    assert answer.json["Content"]["EndDateTime"] == "2030-03-01T18:00:00Z"
    assert answer.json["Content"]["Title"] == "Moved"
    assert info(t, "SCH-1").json == answer.json


def test_patch_naive_dates_are_read_in_the_default_time_zone(t):
    # The update-schedule sample sends dates without a Z.
    made(t)
    t.settings("cirrus", defaultTimeZone="Europe/London")
    answer = patch(
        t, "SCH-1", {"StartDateTime": "2030-07-01T10:00:00", "EndDateTime": "2030-07-01T18:00:00"}
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["Content"]["StartDateTime"] == "2030-07-01T09:00:00Z"
    assert answer.json["Content"]["EndDateTime"] == "2030-07-01T17:00:00Z"


def test_patch_s8_end_too_soon(t):
    made(t)
    before = info(t, "SCH-1").json
    minutes = window_minutes(t)
    content_error(
        patch(
            t,
            "SCH-1",
            {"StartDateTime": "2030-03-01T08:00:00Z", "EndDateTime": "2030-03-01T08:00:00Z"},
        ),
        400,
        f"'EndDateTime' must be more than {minutes} minutes (MaxTimePerAttempt + ExtraTime) "
        "after 'StartDateTime'",
    )
    assert info(t, "SCH-1").json == before


def test_patch_pin_of_an_activated_schedule_is_refused(t):
    made(t)
    before = info(t, "SCH-1").json
    content_error(
        patch(t, "SCH-1", {"StartDateTime": "2030-03-01T08:00:00Z", "PIN": "1234"}),
        400,
        "'PIN' can only be changed on a schedule that is not activated",
    )
    assert info(t, "SCH-1").json == before  # the start did not move either


def test_patch_pin_of_a_schedule_not_activated_is_taken(t):
    content(create(t, external_body()), "EXT-1")
    answer = patch(t, "EXT-1", {"StartDateTime": "2030-01-11T09:00:00Z", "PIN": "4321"})
    assert answer.status_code == 200, answer.json
    assert answer.json["Content"]["StartDateTime"] == "2030-01-11T09:00:00Z"
    content_error(
        patch(t, "EXT-1", {"StartDateTime": "2030-01-12T09:00:00Z", "PIN": "12345"}),
        400,
        "'PIN' must be at most 4 characters",
    )
    assert info(t, "EXT-1").json["Content"]["StartDateTime"] == "2030-01-11T09:00:00Z"


@pytest.mark.parametrize("key", ["ScheduleExtId", "ScheduleExternalId"])
def test_patch_renames_the_schedule(t, key):
    done = made(t)
    answer = patch(t, "SCH-1", {"StartDateTime": "2030-01-10T09:00:00Z", key: "SCH-NEW"})
    assert answer.status_code == 200, answer.json
    assert answer.json["Content"]["ExternalId"] == "SCH-NEW"
    absent(t, "SCH-1")
    got = info(t, "SCH-NEW").json["Content"]
    assert [c["ExternalId"] for c in got["Candidates"]] == ["CAN-1"]
    # The candidate's link still leads to its page, and the old id is free again.
    link = done["Candidates"][0]["LaunchUrl"].removeprefix("http://localhost")
    assert t.http.get(link).status_code == 200
    assert made(t)["Schedule"]["ScheduleExtId"] == "SCH-1"


def test_patch_rename_to_a_taken_id_is_s11(t):
    made(t)
    content(create(t, external_body()), "EXT-1")
    before = info(t, "SCH-1").json
    content_error(
        patch(t, "SCH-1", {"StartDateTime": "2030-02-01T09:00:00Z", "ScheduleExtId": "EXT-1"}),
        400,
        S11.format("EXT-1"),
    )
    assert info(t, "SCH-1").json == before
    # Its own id is no clash.
    same = patch(t, "SCH-1", {"StartDateTime": "2030-02-01T09:00:00Z", "ScheduleExtId": "SCH-1"})
    assert same.status_code == 200, same.json


def test_patch_rename_to_an_invalid_id_is_s10(t):
    made(t)
    content_error(
        patch(t, "SCH-1", {"StartDateTime": "2030-02-01T09:00:00Z", "ScheduleExtId": "new id"}),
        400,
        "'ScheduleExtId' is not a valid external id: " + EXT_ID_TEXT.format(64),
    )


@pytest.mark.parametrize(
    ("member", "value", "message"),
    [
        ("UseProctorIo", "sometimes", "'UseProctorIo' is not valid: true or false is expected"),
        (
            "ProctorioTemplateExternalId",
            "T 1",
            "'ProctorioTemplateExternalId' is not a valid external id: " + EXT_ID_TEXT.format(64),
        ),
        ("Title", "T" * 101, "'Title' is not valid: at most 100 characters"),
    ],
)
def test_patch_a_refused_member_changes_nothing(t, member, value, message):
    # The last members are read after the others were applied: the rollback undoes them.
    made(t)
    before = info(t, "SCH-1").json
    body = {"StartDateTime": "2030-03-01T08:00:00Z", "ScheduleExtId": "SCH-NEW", member: value}
    content_error(patch(t, "SCH-1", body), 400, message)
    assert info(t, "SCH-1").json == before
    absent(t, "SCH-NEW")


def test_patch_unknown_schedule(t):
    content_error(
        patch(t, "NOPE", {"StartDateTime": "2030-02-01T09:00:00Z"}), 400, SCHEDULE_NOT_FOUND
    )
    # Unknown is reported before a body's problems.
    content_error(patch(t, "NOPE", {}), 400, SCHEDULE_NOT_FOUND)


def test_patch_scheduler_not_set(t):
    made(t)
    before = info(t, "SCH-1").json
    t.settings("cirrus", schedulerSet=False)
    content_error(
        patch(t, "SCH-1", {"StartDateTime": "2030-02-01T09:00:00Z"}), 400, SCHEDULER_UNSET
    )
    assert info(t, "SCH-1").json == before


# --- DELETE -------------------------------------------------------------------------------


def test_delete_answers_success_and_removes_the_schedule(t):
    made(t)
    answer = t.cirrus("DELETE", f"{EXTERNAL}/SCH-1")
    assert answer.status_code == 200
    assert answer.json == {"Success": True, "Errors": None}
    absent(t, "SCH-1")
    # The candidate stays a user of the site; its place on the schedule goes.
    assert counts(t) == {
        "cirrus_schedule": 0,
        "cirrus_candidate": 1,
        "cirrus_sitting": 0,
        "cirrus_attempt": 0,
    }
    # The id is free again.
    assert made(t)["Result"] == "Schedule[SCH-1] created successfully"


def test_delete_a_schedule_not_activated(t):
    content(create(t, external_body()), "EXT-1")
    assert t.cirrus("DELETE", f"{EXTERNAL}/EXT-1").json == {"Success": True, "Errors": None}
    absent(t, "EXT-1")


def test_delete_unknown_schedule(t):
    content_error(t.cirrus("DELETE", f"{EXTERNAL}/NOPE"), 400, SCHEDULE_NOT_FOUND)
    made(t)
    assert t.cirrus("DELETE", f"{EXTERNAL}/SCH-1").status_code == 200
    content_error(t.cirrus("DELETE", f"{EXTERNAL}/SCH-1"), 400, SCHEDULE_NOT_FOUND)


def test_delete_a_schedule_with_attempts_is_refused(t):
    made(t)
    t.freeze(IN_WINDOW)
    sat(t, publish=False)  # an attempt, even unpublished
    before = counts(t)
    content_error(t.cirrus("DELETE", f"{EXTERNAL}/SCH-1"), 400, "Can't delete schedule")
    assert counts(t) == before
    assert info(t, "SCH-1").status_code == 200


def test_delete_scheduler_not_set(t):
    made(t)
    t.settings("cirrus", schedulerSet=False)
    before = counts(t)
    content_error(t.cirrus("DELETE", f"{EXTERNAL}/SCH-1"), 400, SCHEDULER_UNSET)
    assert counts(t) == before
    # The documented list's order: an unknown schedule first.
    content_error(t.cirrus("DELETE", f"{EXTERNAL}/NOPE"), 400, SCHEDULE_NOT_FOUND)


def test_delete_order_attempts_before_scheduler(t):
    made(t)
    t.freeze(IN_WINDOW)
    sat(t)
    t.settings("cirrus", schedulerSet=False)
    content_error(t.cirrus("DELETE", f"{EXTERNAL}/SCH-1"), 400, "Can't delete schedule")
