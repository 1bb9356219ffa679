"""POST /schedule/add-candidates: the schedule by ``Schedule.ScheduleExtId`` (SCH-4 empty,
SCH-1 unknown), then S9 and the candidate rules S15-S18 as on /schedule, then S19; each
refusal a 400 ``{"Message": "Bad request | <message>"}`` that writes nothing. Candidates
already on the schedule keep their links."""

from __future__ import annotations

import pytest
from csupport import (
    ADD_CANDIDATES,
    DROP,
    EXT_ID_TEXT,
    EXTERNAL,
    NOW,
    SCHEDULE_NOT_FOUND,
    SCHEDULER_UNSET,
    add_body,
    bad_request,
    candidate,
    counts,
    external_body,
    info,
    made,
    schedule_body,
)


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    made(tenant)  # SCH-1 with CAN-1
    return tenant


def add(t, body):
    return t.cirrus("POST", ADD_CANDIDATES, json=body)


def refused(t, body, message: str) -> None:
    before = counts(t)
    bad_request(add(t, body), message)
    assert counts(t) == before
    assert [c["ExternalId"] for c in info(t, "SCH-1").json["Content"]["Candidates"]] == ["CAN-1"]


def empty(field: str) -> str:
    return f"'{field}' should not be empty."


# --- Success ------------------------------------------------------------------------------


def test_add_candidates_success_shape(t):
    answer = add(
        t,
        add_body(
            "SCH-1", [candidate("CAN-2"), candidate("CAN-3", FirstName="Grace", Password="pw")]
        ),
    )
    assert answer.status_code == 200, answer.json
    links = answer.json["Candidates"]
    base = f"http://localhost/cirrus/t/{t.id}"
    assert answer.json == {
        "Result": "Schedule[SCH-1] updated successfully",
        "Candidates": [
            {
                "CandidateExtId": "CAN-2",
                "StartupLink": links[0]["StartupLink"],
                "LaunchUrl": base + links[0]["StartupLink"],
                "FirstName": "Ada",
                "LastName": "Lovelace",
                "Email": "can-2@example.com",
                "Password": None,
                "AttemptExtId": None,
            },
            {
                "CandidateExtId": "CAN-3",
                "StartupLink": links[1]["StartupLink"],
                "LaunchUrl": base + links[1]["StartupLink"],
                "FirstName": "Grace",
                "LastName": "Lovelace",
                "Email": "can-3@example.com",
                "Password": None,
                "AttemptExtId": None,
            },
        ],
    }
    for linked in links:
        assert linked["StartupLink"].startswith("/delivery/external-login?session=")
        assert len(linked["StartupLink"].split("=")[1]) == 64
    got = info(t, "SCH-1").json["Content"]
    assert [c["ExternalId"] for c in got["Candidates"]] == ["CAN-1", "CAN-2", "CAN-3"]
    page = t.http.get(links[1]["LaunchUrl"].removeprefix("http://localhost"))
    assert page.status_code == 200 and "Grace" in page.get_data(as_text=True)


def test_add_candidates_existing_candidate_keeps_its_link(t):
    original = made(t, schedule_body({"ScheduleExtId": "SCH-2"}))["Candidates"][0]
    answer = add(t, add_body("SCH-2", [candidate("CAN-1", LastName="Byron"), candidate("CAN-2")]))
    assert answer.status_code == 200, answer.json
    again = answer.json["Candidates"][0]
    assert again["CandidateExtId"] == "CAN-1"
    assert again["StartupLink"] == original["StartupLink"]
    assert again["LaunchUrl"] == original["LaunchUrl"]
    assert again["LastName"] == "Byron"
    assert answer.json["Candidates"][1]["StartupLink"] != original["StartupLink"]
    assert counts(t)["cirrus_sitting"] == 3  # CAN-1 on SCH-1 and SCH-2, CAN-2 on SCH-2


def test_add_candidates_to_a_schedule_from_external_schedule(t):
    created = t.cirrus("POST", EXTERNAL, json=external_body())
    assert created.status_code == 200, created.json
    answer = add(t, add_body("EXT-1"))
    assert answer.status_code == 200, answer.json
    assert answer.json["Result"] == "Schedule[EXT-1] updated successfully"
    got = info(t, "EXT-1").json["Content"]
    assert got["IsActivated"] is False
    assert [c["ExternalId"] for c in got["Candidates"]] == ["CAN-2"]


def test_add_candidates_external_attempts_schedule_needs_attempt_ids(t):
    made(
        t,
        schedule_body(
            {"ScheduleExtId": "SCH-X"},
            [candidate("CAN-1", AttemptExtId="A-1")],
            Workflow="EXTERNAL_ATTEMPTS",
        ),
    )
    before = counts(t)
    bad_request(
        add(t, add_body("SCH-X", [candidate("CAN-2")])),
        "'Candidates[0].AttemptExtId' should not be empty when 'Workflow' is EXTERNAL_ATTEMPTS",
    )
    bad_request(
        add(t, add_body("SCH-X", [candidate("CAN-2", AttemptExtId="A-1")])),
        "'Candidates[0].AttemptExtId': attempt [A-1] already exists",
    )
    assert counts(t) == before
    answer = add(
        t,
        add_body(
            "SCH-X",
            [candidate("CAN-2", AttemptExtId="A-2"), candidate("CAN-1", AttemptExtId="A-1")],
        ),
    )
    assert answer.status_code == 200, answer.json
    assert [c["AttemptExtId"] for c in answer.json["Candidates"]] == ["A-2", "A-1"]


# --- SCH-1 / SCH-4: the schedule ----------------------------------------------------------


@pytest.mark.parametrize("ext_id", ["NOPE", "sch-1", "SCH-1 ", 5, ["SCH-1"]])
def test_sch_1_unknown_schedule(t, ext_id):
    refused(t, add_body(ext_id), SCHEDULE_NOT_FOUND)


@pytest.mark.parametrize(
    "ext_id", [DROP, None, "", "  "], ids=["missing", "null", "empty", "blank"]
)
def test_sch_4_schedule_ext_id_empty(t, ext_id):
    refused(t, add_body(ext_id), empty("Schedule.ScheduleExtId"))


@pytest.mark.parametrize(
    "body",
    [
        {"Candidates": [candidate("CAN-2")]},
        {"Schedule": None, "Candidates": [candidate("CAN-2")]},
        {"Schedule": {}, "Candidates": [candidate("CAN-2")]},
        {"Schedule": "SCH-1", "Candidates": [candidate("CAN-2")]},
        [],
        {},
    ],
    ids=["missing", "null", "empty", "string", "array", "empty-body"],
)
def test_s1_schedule_missing(t, body):
    refused(t, body, "'Schedule' should not be empty.")


def test_sch_1_a_deleted_schedule_is_unknown(t):
    assert t.cirrus("DELETE", f"{EXTERNAL}/SCH-1").status_code == 200
    before = counts(t)
    bad_request(add(t, add_body("SCH-1")), SCHEDULE_NOT_FOUND)
    assert counts(t) == before


# --- S9, S15-S19 --------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["GroupExtId", "GroupName"])
@pytest.mark.parametrize("value", [DROP, None, ""], ids=["missing", "null", "empty"])
def test_s9_group_empty(t, field, value):
    refused(t, add_body("SCH-1", **{field: value}), empty(f"Schedule.{field}"))


@pytest.mark.parametrize("candidates", [DROP, None, []], ids=["missing", "null", "empty"])
def test_s15_candidates_empty(t, candidates):
    body = add_body()
    if candidates is DROP:
        del body["Candidates"]
    else:
        body["Candidates"] = candidates
    refused(t, body, "'Candidates' should not be empty.")


def test_s15_candidates_required_even_when_the_setting_is_off(t):
    # candidatesRequired shapes /schedule; adding no one to a schedule is always refused.
    t.settings("cirrus", candidatesRequired=False)
    refused(t, add_body(candidates=[]), "'Candidates' should not be empty.")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"FirstName": DROP}, empty("Candidates[1].FirstName")),
        ({"LastName": ""}, empty("Candidates[1].LastName")),
        ({"Email": None}, empty("Candidates[1].Email")),
        ({"CandidateExtId": DROP}, empty("Candidates[1].CandidateExtId")),
        ({"Email": "not-an-email"}, "'Candidates[1].Email' is not a valid email address"),
        (
            {"CandidateExtId": "CAN 3"},
            "'Candidates[1].CandidateExtId' is not a valid external id: " + EXT_ID_TEXT.format(500),
        ),
        (
            {"CandidateExtId": "CAN-2"},
            "'Candidates[1].CandidateExtId': candidate [CAN-2] is listed more than once",
        ),
    ],
)
def test_s16_candidate_members(t, changes, message):
    refused(t, add_body(candidates=[candidate("CAN-2"), candidate("CAN-3", **changes)]), message)


def test_s17_adjustment_without_special_needs(t):
    refused(
        t,
        add_body(candidates=[candidate("CAN-2", ReasonableAdjustmentPercentage=25)]),
        "'Candidates[0].ReasonableAdjustmentPercentage' is only allowed when "
        "'SpecialNeeds' is true",
    )
    answer = add(
        t,
        add_body(
            candidates=[candidate("CAN-2", SpecialNeeds="true", ReasonableAdjustmentPercentage=25)]
        ),
    )
    assert answer.status_code == 200, answer.json


def test_s19_scheduler_not_set(t):
    t.settings("cirrus", schedulerSet=False)
    refused(t, add_body(), SCHEDULER_UNSET)


# --- The order ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (add_body("NOPE", GroupExtId=DROP, candidates=[]), SCHEDULE_NOT_FOUND),
        (add_body("", GroupExtId=DROP), empty("Schedule.ScheduleExtId")),
        (add_body("SCH-1", GroupName=DROP, candidates=[]), empty("Schedule.GroupName")),
        (add_body("SCH-1", GroupExtId="", GroupName=""), empty("Schedule.GroupExtId")),
        (add_body(candidates=[]), "'Candidates' should not be empty."),
        (
            add_body(
                candidates=[
                    candidate("CAN-2", ReasonableAdjustmentPercentage=3),
                    candidate("CAN-3", Email="x"),
                ]
            ),
            "'Candidates[1].Email' is not a valid email address",
        ),
        (
            add_body(candidates=[candidate("CAN-2", ReasonableAdjustmentPercentage=3)]),
            "'Candidates[0].ReasonableAdjustmentPercentage' is only allowed when 'SpecialNeeds' is "
            "true",
        ),
    ],
    ids=[
        "SCH-1 beats S9 and S15",
        "SCH-4 beats S9",
        "S9 beats S15",
        "GroupExtId first",
        "S15 beats S19",
        "S16 beats S17 and S19",
        "S17 beats S19",
    ],
)
def test_order_earlier_rule_is_reported(t, body, message):
    t.settings("cirrus", schedulerSet=False)
    refused(t, body, message)
