"""POST /schedule refusals, rules S1-S19 (and ``?type=json``, which behaves the same):
each refused with 400 ``{"Message": "Bad request | <message>"}``, writing nothing; a body
breaking several rules reports the earliest in the notes' order."""

from __future__ import annotations

import pytest
from csupport import (
    DROP,
    EXT_ID_TEXT,
    NOW,
    PUBLISHED,
    SCHEDULE,
    SCHEDULER_UNSET,
    UNPUBLISHED,
    absent,
    bad_request,
    candidate,
    counts,
    made,
    schedule_body,
)

S1 = "'Schedule' should not be empty."
S2 = "'Assessment External Id' should not be empty."
S3 = "'Schedule.AssessmentExtId' is not a valid external id: " + EXT_ID_TEXT.format(64)
S4 = "Assessment hasn't been found by external id"
S5 = "Assessment must be published"
S8 = (
    "'Schedule.EndDateTime' must be more than {} minutes (MaxTimePerAttempt + ExtraTime) "
    "after 'StartDateTime'"
)
S10 = "'Schedule.ScheduleExtId' is not a valid external id: " + EXT_ID_TEXT.format(64)
S11 = "Schedule with external id [{}] already exists"
S14 = "'Workflow' must be one of DEFAULT, EXTERNAL_ATTEMPTS"
S15 = "'Candidates' should not be empty."
S17 = "'Candidates[{}].ReasonableAdjustmentPercentage' is only allowed when 'SpecialNeeds' is true"
S18 = "'Candidates[{}].AttemptExtId' should not be empty when 'Workflow' is EXTERNAL_ATTEMPTS"


def empty(field: str) -> str:
    return f"'{field}' should not be empty."


@pytest.fixture()
def path() -> str:
    """Every rule's variants go to POST /schedule; ``?type=json`` gets one body per rule
    (``test_type_json_refuses_as_plain``)."""
    return SCHEDULE


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def refused(t, path: str, body, message: str, **kwargs) -> None:
    """``body`` is refused with ``message`` and nothing is written."""
    before = counts(t)
    bad_request(t.cirrus("POST", path, json=body, **kwargs), message)
    assert counts(t) == before
    absent(t, "SCH-1")


# --- S1 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"Candidates": [candidate()]},
        {"Schedule": None, "Candidates": [candidate()]},
        {"Schedule": {}, "Candidates": [candidate()]},
        {"Schedule": "", "Candidates": [candidate()]},
        {},
        [],
        [schedule_body()],
        "text",
        42,
    ],
    ids=[
        "missing",
        "null",
        "empty",
        "empty-string",
        "empty-body",
        "array",
        "array-of-body",
        "string",
        "number",
    ],
)
def test_s1_schedule_missing(t, path, body):
    refused(t, path, body, S1)


def test_s1_body_is_json_null(t, path):
    before = counts(t)
    answer = t.cirrus("POST", path, data="null", content_type="application/json")
    bad_request(answer, S1)
    assert counts(t) == before


@pytest.mark.parametrize("value", [[schedule_body()["Schedule"]], "SCH", 7, True])
def test_s1_schedule_not_an_object(t, path, value):
    refused(
        t,
        path,
        {"Schedule": value, "Candidates": [candidate()]},
        "'Schedule' is not valid: a JSON object is expected",
    )


# --- S2-S5: the assessment ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [DROP, None, "", "   "], ids=["missing", "null", "empty", "blank"]
)
def test_s2_assessment_ext_id_empty(t, path, value):
    refused(t, path, schedule_body({"AssessmentExtId": value}), S2)


@pytest.mark.parametrize(
    "value",
    [
        "MATH 101",
        " MATH-101",
        "MATH-101\t",
        "MATH/101",
        "MATH.101",
        "MÄTH-101",
        "A" * 65,
        101,
        ["MATH-101"],
        {"id": "MATH-101"},
    ],
    ids=[
        "space",
        "leading-space",
        "tab",
        "slash",
        "dot",
        "non-ascii",
        "65-chars",
        "number",
        "array",
        "object",
    ],
)
def test_s3_assessment_ext_id_not_an_external_id(t, path, value):
    refused(t, path, schedule_body({"AssessmentExtId": value}), S3)


@pytest.mark.parametrize("value", ["NOPE-1", "A" * 64, "MATH-1010", "Ext_unknown"])
def test_s4_assessment_not_found(t, path, value):
    # 64 characters is a valid id (S3 passes): it is only unknown.
    refused(t, path, schedule_body({"AssessmentExtId": value}), S4)


@pytest.mark.parametrize("value", [UNPUBLISHED, "LAW-900"])
def test_s5_assessment_not_published(t, path, value):
    refused(t, path, schedule_body({"AssessmentExtId": value}), S5)


# --- S6: the window's instants ------------------------------------------------------------


@pytest.mark.parametrize("value", [DROP, None, "", "  "], ids=["missing", "null", "empty", "blank"])
def test_s6_start_date_time_empty(t, path, value):
    refused(t, path, schedule_body({"StartDateTime": value}), empty("Schedule.StartDateTime"))


@pytest.mark.parametrize(
    "value",
    [
        "2030-01-10",
        "tomorrow",
        "2030-13-10T09:00:00Z",
        "2030-01-32T09:00:00Z",
        "2030-01-10T25:00:00Z",
        "10/01/2030 09:00",
        "2030-01-10T09:00:00+25:00",
        1893574800,
        ["2030-01-10T09:00:00Z"],
        "0001-01-01T00:00:00Z",
    ],
    ids=[
        "date-only",
        "word",
        "month-13",
        "day-32",
        "hour-25",
        "dmy",
        "bad-offset",
        "number",
        "array",
        "out-of-range",
    ],
)
def test_s6_start_date_time_not_rfc3339(t, path, value):
    refused(
        t,
        path,
        schedule_body({"StartDateTime": value}),
        "'Schedule.StartDateTime' is not a valid RFC 3339 date and time",
    )


@pytest.mark.parametrize("value", ["soon", "2030-01-10", 5])
def test_s6_end_date_time_not_rfc3339(t, path, value):
    refused(
        t,
        path,
        schedule_body({"EndDateTime": value}),
        "'Schedule.EndDateTime' is not a valid RFC 3339 date and time",
    )


# --- S8 (S7 and S8's boundary: test_cirrus_schedule.py) -----------------------------------


@pytest.mark.parametrize(
    "end",
    ["2030-01-10T09:00:00Z", "2030-01-10T08:00:00Z", "2030-01-10T09:01:00Z"],
    ids=["equal-to-start", "before-start", "one-minute"],
)
def test_s8_end_too_soon(t, path, end):
    seeded = t.cirrus("GET", f"/api/v1/integrations/assessment/{PUBLISHED}").json["Content"]
    minutes = (seeded["MaxTimePerAttempt"] or 0) + (seeded["ExtraTime"] or 0)
    refused(t, path, schedule_body({"EndDateTime": end}), S8.format(minutes))


# --- S9: the group ------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["GroupExtId", "GroupName"])
@pytest.mark.parametrize("value", [DROP, None, "", " "], ids=["missing", "null", "empty", "blank"])
def test_s9_group_empty(t, path, field, value):
    refused(t, path, schedule_body({field: value}), empty(f"Schedule.{field}"))


def test_s9_white_space_is_the_contracts(t, path):
    """ "Empty" is white space as the contract's ``pattern`` (ECMA-262 ``\\s``) means it:
    U+00A0 and U+FEFF are white space; U+001D, which Python's str.strip() would also
    take, is not, so a name of it is not empty."""
    refused(t, path, schedule_body({"GroupName": "\u00a0\ufeff "}), empty("Schedule.GroupName"))
    response = t.cirrus("POST", path, json=schedule_body({"GroupName": "\u001d"}))
    assert response.status_code == 200, response.json


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("GroupExtId", "G" * 65, "at most 64 characters"),
        ("GroupName", "N" * 501, "at most 500 characters"),
        ("GroupExtId", 12, "a string is expected"),
    ],
)
def test_s9_group_not_valid(t, path, field, value, problem):
    refused(t, path, schedule_body({field: value}), f"'Schedule.{field}' is not valid: {problem}")


# --- S10, S11: the schedule's external id -------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["SCH 1", "SCH/1", "SCH#1", "", "S" * 65, 12, ["SCH-1"]],
    ids=["space", "slash", "hash", "empty", "65-chars", "number", "array"],
)
def test_s10_schedule_ext_id_not_an_external_id(t, path, value):
    refused(t, path, schedule_body({"ScheduleExtId": value}), S10)


def test_s10_schedule_ext_id_of_64_characters_is_taken(t, path):
    done = made(t, schedule_body({"ScheduleExtId": "S" * 64}))
    assert done["Schedule"]["ScheduleExtId"] == "S" * 64


@pytest.mark.parametrize(
    "upsert", [DROP, False, None, "false"], ids=["missing", "false", "null", "false-string"]
)
def test_s11_duplicate_schedule_ext_id_without_upsert(t, path, upsert):
    made(t)
    before = counts(t)
    body = schedule_body({"Title": "Changed"}, [candidate("CAN-9")], Upsert=upsert)
    bad_request(t.cirrus("POST", path, json=body), S11.format("SCH-1"))
    assert counts(t) == before
    kept = t.cirrus("GET", "/api/v1/integrations/external/schedule/SCH-1").json["Content"]
    assert kept["Title"] != "Changed"
    assert [c["ExternalId"] for c in kept["Candidates"]] == ["CAN-1"]


def test_s11_duplicate_of_a_schedule_from_external_schedule(t, path):
    created = t.cirrus(
        "POST",
        "/api/v1/integrations/external/schedule",
        json={
            "AssessmentExternalId": PUBLISHED,
            "ScheduleExternalId": "EXT-1",
            "StartDateTime": "2030-01-10T09:00:00Z",
        },
    )
    assert created.status_code == 200, created.json
    before = counts(t)
    bad_request(
        t.cirrus("POST", path, json=schedule_body({"ScheduleExtId": "EXT-1"})), S11.format("EXT-1")
    )
    assert counts(t) == before


def test_s11_ids_differing_in_case_are_two_schedules(t, path):
    # Assumed: external ids compare exactly (the notes say nothing of case).
    made(t)
    again = t.cirrus("POST", path, json=schedule_body({"ScheduleExtId": "sch-1"}))
    assert again.status_code == 200, again.json
    assert counts(t)["cirrus_schedule"] == 2


# --- S14: Workflow ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["SOMETIMES", "", 1, True, ["DEFAULT"]])
def test_s14_unknown_workflow(t, path, value):
    refused(t, path, schedule_body(Workflow=value), S14)


# --- S15: Candidates ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [DROP, None, []], ids=["missing", "null", "empty"])
def test_s15_candidates_empty(t, path, value):
    body = schedule_body()
    if value is DROP:
        del body["Candidates"]
    else:
        body["Candidates"] = value
    refused(t, path, body, S15)


@pytest.mark.parametrize("value", [{}, "CAN-1", {"CandidateExtId": "CAN-1"}])
def test_s15_candidates_not_an_array(t, path, value):
    refused(
        t,
        path,
        schedule_body(candidates=value),
        "'Candidates' is not valid: a JSON array is expected",
    )


def test_s15_candidate_not_an_object(t, path):
    refused(
        t,
        path,
        schedule_body(candidates=[candidate(), "CAN-2"]),
        "'Candidates[1]' is not valid: a JSON object is expected",
    )


# --- S16: each candidate's mandatory members ----------------------------------------------


@pytest.mark.parametrize("field", ["CandidateExtId", "FirstName", "LastName", "Email"])
@pytest.mark.parametrize("value", [DROP, None, "", "  "], ids=["missing", "null", "empty", "blank"])
def test_s16_candidate_member_empty(t, path, field, value):
    body = schedule_body(candidates=[candidate("CAN-1"), candidate("CAN-2", **{field: value})])
    refused(t, path, body, empty(f"Candidates[1].{field}"))


@pytest.mark.parametrize(
    "email",
    [
        "ada",
        "ada@",
        "@example.com",
        "ada example@x.com",
        "ada@@example.com",
        "a" * 490 + "@example.com",
        5,
    ],
)
def test_s16_candidate_email_not_valid(t, path, email):
    refused(
        t,
        path,
        schedule_body(candidates=[candidate(Email=email)]),
        "'Candidates[0].Email' is not a valid email address",
    )


@pytest.mark.parametrize("value", ["CAN 1", "CAN/1", "C" * 501, 7])
def test_s16_candidate_ext_id_not_an_external_id(t, path, value):
    refused(
        t,
        path,
        schedule_body(candidates=[candidate(CandidateExtId=value)]),
        "'Candidates[0].CandidateExtId' is not a valid external id: " + EXT_ID_TEXT.format(500),
    )


def test_s16_candidate_listed_twice(t, path):
    body = schedule_body(
        candidates=[candidate("CAN-1"), candidate("CAN-2"), candidate("CAN-1", FirstName="Other")]
    )
    refused(
        t, path, body, "'Candidates[2].CandidateExtId': candidate [CAN-1] is listed more than once"
    )


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("FirstName", "F" * 501, "at most 500 characters"),
        ("LastName", 3, "a string is expected"),
        ("UserName", "U" * 501, "at most 500 characters"),
        ("Password", "P" * 501, "at most 500 characters"),
        ("SpecialNeeds", "maybe", "true or false is expected"),
    ],
)
def test_s16_candidate_member_not_valid(t, path, field, value, problem):
    refused(
        t,
        path,
        schedule_body(candidates=[candidate(**{field: value})]),
        f"'Candidates[0].{field}' is not valid: {problem}",
    )


# --- S17: adjustments only with special needs ---------------------------------------------


@pytest.mark.parametrize(
    "special", [DROP, False, "false", None], ids=["missing", "false", "false-string", "null"]
)
def test_s17_adjustment_without_special_needs(t, path, special):
    body = schedule_body(
        candidates=[
            candidate("CAN-1"),
            candidate("CAN-2", SpecialNeeds=special, ReasonableAdjustmentPercentage=20),
        ]
    )
    refused(t, path, body, S17.format(1))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (101, "between 0 and 100"),
        (-1, "between 0 and 100"),
        (12.5, "a whole number is expected"),
        ("20", "a whole number is expected"),
        (True, "a whole number is expected"),
    ],
)
def test_s17_adjustment_not_a_percentage(t, path, value, problem):
    body = schedule_body(
        candidates=[
            candidate(SpecialNeeds=True, ReasonableAdjustmentPercentage=value),
        ]
    )
    refused(
        t, path, body, f"'Candidates[0].ReasonableAdjustmentPercentage' is not valid: {problem}"
    )


@pytest.mark.parametrize("special", [True, "true", "True"])
def test_s17_adjustment_with_special_needs_is_taken(t, path, special):
    body = schedule_body(
        candidates=[
            candidate(SpecialNeeds=special, ReasonableAdjustmentPercentage=20),
        ]
    )
    assert made(t, body)["Candidates"][0]["CandidateExtId"] == "CAN-1"


# --- S18: EXTERNAL_ATTEMPTS ---------------------------------------------------------------


@pytest.mark.parametrize("value", [DROP, None], ids=["missing", "null"])
def test_s18_external_attempts_without_attempt_ext_id(t, path, value):
    body = schedule_body(
        candidates=[
            candidate("CAN-1", AttemptExtId="ATT-1"),
            candidate("CAN-2", AttemptExtId=value),
        ],
        Workflow="EXTERNAL_ATTEMPTS",
    )
    refused(t, path, body, S18.format(1))


def test_s18_attempt_ext_id_not_an_external_id(t, path):
    body = schedule_body(candidates=[candidate(AttemptExtId="ATT 1")], Workflow="EXTERNAL_ATTEMPTS")
    refused(
        t,
        path,
        body,
        "'Candidates[0].AttemptExtId' is not a valid external id: " + EXT_ID_TEXT.format(500),
    )


def test_s18_external_attempts_with_attempt_ext_ids(t, path):
    body = schedule_body(
        candidates=[
            candidate("CAN-1", AttemptExtId="ATT-1"),
            candidate("CAN-2", AttemptExtId="ATT-2"),
        ],
        Workflow="EXTERNAL_ATTEMPTS",
    )
    done = made(t, body)
    assert [c["AttemptExtId"] for c in done["Candidates"]] == ["ATT-1", "ATT-2"]


def test_s18_attempt_ext_id_already_used_by_another_schedule(t, path):
    made(
        t, schedule_body(candidates=[candidate(AttemptExtId="ATT-1")], Workflow="EXTERNAL_ATTEMPTS")
    )
    before = counts(t)
    body = schedule_body(
        {"ScheduleExtId": "SCH-2"},
        [candidate("CAN-2", AttemptExtId="ATT-1")],
        Workflow="EXTERNAL_ATTEMPTS",
    )
    bad_request(
        t.cirrus("POST", path, json=body),
        "'Candidates[0].AttemptExtId': attempt [ATT-1] already exists",
    )
    assert counts(t) == before
    absent(t, "SCH-2")


def test_s18_attempt_ext_id_of_a_sat_attempt_is_taken(t, path):
    made(t)
    t.freeze("2030-01-10T09:30:00Z")
    attempt = t.admin("POST", "/cirrus/schedules/SCH-1/candidates/CAN-1/complete", json={})
    assert attempt.status_code == 200, attempt.json
    taken = attempt.json["AttemptExtId"]
    before = counts(t)
    body = schedule_body(
        {"ScheduleExtId": "SCH-2"},
        [candidate("CAN-2", AttemptExtId=taken)],
        Workflow="EXTERNAL_ATTEMPTS",
    )
    bad_request(
        t.cirrus("POST", path, json=body),
        f"'Candidates[0].AttemptExtId': attempt [{taken}] already exists",
    )
    assert counts(t) == before


def test_s18_one_attempt_ext_id_for_two_candidates_of_a_request(t, path):
    body = schedule_body(
        candidates=[
            candidate("CAN-1", AttemptExtId="ATT-1"),
            candidate("CAN-2", AttemptExtId="ATT-1"),
        ],
        Workflow="EXTERNAL_ATTEMPTS",
    )
    refused(t, path, body, "'Candidates[1].AttemptExtId': attempt [ATT-1] already exists")


def test_s18_upsert_giving_another_candidate_an_attempt_ext_id_of_the_schedule(t, path):
    made(
        t,
        schedule_body(
            candidates=[candidate("CAN-1", AttemptExtId="ATT-1")], Workflow="EXTERNAL_ATTEMPTS"
        ),
    )
    before = counts(t)
    body = schedule_body(
        candidates=[candidate("CAN-2", AttemptExtId="ATT-1")],
        Workflow="EXTERNAL_ATTEMPTS",
        Upsert=True,
    )
    bad_request(
        t.cirrus("POST", path, json=body),
        "'Candidates[0].AttemptExtId': attempt [ATT-1] already exists",
    )
    assert counts(t) == before
    # Every attempt id left names one sitting: each can be sat.
    t.freeze("2030-01-10T09:30:00Z")
    sat_ = t.admin("POST", "/cirrus/schedules/SCH-1/candidates/CAN-1/complete", json={})
    assert sat_.status_code == 200 and sat_.json["AttemptExtId"] == "ATT-1"


# --- S19 ----------------------------------------------------------------------------------


def test_s19_scheduler_not_set(t, path):
    t.settings("cirrus", schedulerSet=False)
    refused(t, path, schedule_body(), SCHEDULER_UNSET)
    # Setting it again makes the same body a schedule.
    t.settings("cirrus", schedulerSet=True)
    assert made(t)["Schedule"]["ScheduleExtId"] == "SCH-1"


# --- The order: a body breaking two rules reports the earlier one -------------------------


PAIRS = [
    # (earlier rule's message, the body)
    ("S1 beats S15", S1, {"Schedule": {}, "Candidates": []}),
    ("S2 beats S6", S2, schedule_body({"AssessmentExtId": "", "StartDateTime": DROP})),
    ("S3 beats S6", S3, schedule_body({"AssessmentExtId": "A B", "StartDateTime": DROP})),
    ("S4 beats S6", S4, schedule_body({"AssessmentExtId": "NOPE", "StartDateTime": DROP})),
    ("S4 beats S15", S4, schedule_body({"AssessmentExtId": "NOPE"}, [])),
    ("S5 beats S6", S5, schedule_body({"AssessmentExtId": UNPUBLISHED, "StartDateTime": "x"})),
    ("S5 beats S9", S5, schedule_body({"AssessmentExtId": UNPUBLISHED, "GroupExtId": DROP})),
    (
        "S6 beats S9",
        empty("Schedule.StartDateTime"),
        schedule_body({"StartDateTime": DROP, "GroupName": DROP}),
    ),
    (
        "S6 end beats S9",
        "'Schedule.EndDateTime' is not a valid RFC 3339 date and time",
        schedule_body({"EndDateTime": "later", "GroupName": DROP}),
    ),
    (
        "S9 GroupExtId beats GroupName",
        empty("Schedule.GroupExtId"),
        schedule_body({"GroupExtId": DROP, "GroupName": DROP}),
    ),
    (
        "S9 beats S10",
        empty("Schedule.GroupName"),
        schedule_body({"GroupName": "", "ScheduleExtId": "bad id"}),
    ),
    ("S10 beats S14", S10, schedule_body({"ScheduleExtId": "bad id"}, Workflow="X")),
    ("S14 beats S15", S14, schedule_body(candidates=[], Workflow="X")),
    ("S14 beats S16", S14, schedule_body(candidates=[candidate(Email="x")], Workflow="X")),
    ("S15 beats S19", S15, schedule_body(candidates=[])),
    (
        "S16 beats S17",
        empty("Candidates[1].LastName"),
        schedule_body(
            candidates=[
                candidate("CAN-1", ReasonableAdjustmentPercentage=5),
                candidate("CAN-2", LastName=""),
            ]
        ),
    ),
    (
        "S16 beats S18",
        "'Candidates[1].Email' is not a valid email address",
        schedule_body(
            candidates=[candidate("CAN-1"), candidate("CAN-2", Email="x", AttemptExtId="A-2")],
            Workflow="EXTERNAL_ATTEMPTS",
        ),
    ),
    (
        "S17 beats S18",
        S17.format(1),
        schedule_body(
            candidates=[
                candidate("CAN-1"),
                candidate("CAN-2", ReasonableAdjustmentPercentage=5, AttemptExtId="A-2"),
            ],
            Workflow="EXTERNAL_ATTEMPTS",
        ),
    ),
    (
        "S16 beats S19",
        empty("Candidates[0].FirstName"),
        schedule_body(candidates=[candidate(FirstName=DROP)]),
    ),
    (
        "S18 beats S19",
        S18.format(0),
        schedule_body(candidates=[candidate()], Workflow="EXTERNAL_ATTEMPTS"),
    ),
    ("S8 beats S9", S8, schedule_body({"EndDateTime": "2030-01-10T09:05:00Z", "GroupExtId": DROP})),
]


@pytest.mark.parametrize(("message", "body"), [p[1:] for p in PAIRS], ids=[p[0] for p in PAIRS])
def test_order_earlier_rule_is_reported(t, path, message, body):
    t.settings("cirrus", schedulerSet=False)  # S19 broken too, always later
    if message == S8:
        seeded = t.cirrus("GET", f"/api/v1/integrations/assessment/{PUBLISHED}").json["Content"]
        message = S8.format(seeded["MaxTimePerAttempt"] + seeded["ExtraTime"])
    refused(t, path, body, message)


def test_order_s11_beats_s14_s16_and_s19(t, path):
    made(t)
    t.settings("cirrus", schedulerSet=False)
    before = counts(t)
    for body in (
        schedule_body(Workflow="NEVER"),
        schedule_body(candidates=[candidate(Email=DROP)]),
        schedule_body(candidates=[]),
        schedule_body(candidates=[candidate(ReasonableAdjustmentPercentage=5)]),
        schedule_body(),
    ):
        bad_request(t.cirrus("POST", path, json=body), S11.format("SCH-1"))
    assert counts(t) == before


def _chain_a(active: set) -> dict:
    """Breaks S4, S6, S9, S10, S14 and S15, those in ``active``."""
    body = schedule_body()
    inner = body["Schedule"]
    if "S4" in active:
        inner["AssessmentExtId"] = "NOPE-1"
    if "S6" in active:
        del inner["StartDateTime"]
    if "S9" in active:
        inner["GroupExtId"] = ""
    if "S10" in active:
        inner["ScheduleExtId"] = "not valid"
    if "S14" in active:
        body["Workflow"] = "SOMETIMES"
    if "S15" in active:
        body["Candidates"] = []
    return body


def _chain_b(active: set) -> dict:
    """Breaks S5, S8, S9, S11, S16, S17 and S18, those in ``active``."""
    body = schedule_body(
        {"ScheduleExtId": "TAKEN" if "S11" in active else "FREE"},
        [
            candidate("CAN-1", **({} if "S18" in active else {"AttemptExtId": "A-1"})),
            candidate(
                "CAN-2",
                AttemptExtId="A-2",
                **({"ReasonableAdjustmentPercentage": 10} if "S17" in active else {}),
            ),
            candidate("CAN-3", AttemptExtId="A-3", **({"Email": DROP} if "S16" in active else {})),
        ],
        Workflow="EXTERNAL_ATTEMPTS",
    )
    inner = body["Schedule"]
    if "S5" in active:
        inner["AssessmentExtId"] = UNPUBLISHED
    if "S8" in active:
        inner["EndDateTime"] = "2030-01-10T09:01:00Z"
    if "S9" in active:
        del inner["GroupName"]
    return body


def test_order_chain_every_rule_reported_in_turn(t, path):
    """Breaking S4, S6, S9, S10, S14, S15 and S19 at once, then mending the reported
    rule each time: each is reported in the notes' order."""
    seeded = t.cirrus("GET", f"/api/v1/integrations/assessment/{PUBLISHED}").json["Content"]
    minutes = seeded["MaxTimePerAttempt"] + seeded["ExtraTime"]
    made(t, schedule_body({"ScheduleExtId": "TAKEN"}))
    t.settings("cirrus", schedulerSet=False)
    chains = [
        (
            _chain_a,
            [
                ("S4", S4),
                ("S6", empty("Schedule.StartDateTime")),
                ("S9", empty("Schedule.GroupExtId")),
                ("S10", S10),
                ("S14", S14),
                ("S15", S15),
            ],
        ),
        (
            _chain_b,
            [
                ("S5", S5),
                ("S8", S8.format(minutes)),
                ("S9", empty("Schedule.GroupName")),
                ("S11", S11.format("TAKEN")),
                ("S16", empty("Candidates[2].Email")),
                ("S17", S17.format(1)),
                ("S18", S18.format(0)),
            ],
        ),
    ]
    before = counts(t)
    for build, steps in chains:
        for i, (_rule, message) in enumerate(steps):
            active = {rule_id for rule_id, _ in steps[i:]}
            bad_request(t.cirrus("POST", path, json=build(active)), message)
        bad_request(t.cirrus("POST", path, json=build(set())), SCHEDULER_UNSET)
    assert counts(t) == before
    absent(t, "FREE")
    t.settings("cirrus", schedulerSet=True)
    assert made(t, _chain_b(set()))["Schedule"]["ScheduleExtId"] == "FREE"


# --- ?type=json: the same operation -------------------------------------------------------


def test_type_json_refuses_as_plain(t):
    """One body per rule, sent to both paths: the same status and body, nothing written."""
    seeded = t.cirrus("GET", f"/api/v1/integrations/assessment/{PUBLISHED}").json["Content"]
    minutes = seeded["MaxTimePerAttempt"] + seeded["ExtraTime"]
    made(
        t,
        schedule_body(
            {"ScheduleExtId": "TAKEN"},
            [candidate("CAN-9", AttemptExtId="ATT-9")],
            Workflow="EXTERNAL_ATTEMPTS",
        ),
    )
    cases = [
        (S1, {"Candidates": [candidate()]}),
        (S2, schedule_body({"AssessmentExtId": DROP})),
        (S3, schedule_body({"AssessmentExtId": "MATH 101"})),
        (S4, schedule_body({"AssessmentExtId": "NOPE-1"})),
        (S5, schedule_body({"AssessmentExtId": UNPUBLISHED})),
        (empty("Schedule.StartDateTime"), schedule_body({"StartDateTime": DROP})),
        (
            "'Schedule.StartDateTime' is not a valid RFC 3339 date and time",
            schedule_body({"StartDateTime": "2030-01-10"}),
        ),
        (S8.format(minutes), schedule_body({"EndDateTime": "2030-01-10T09:00:00Z"})),
        (empty("Schedule.GroupExtId"), schedule_body({"GroupExtId": DROP})),
        (S10, schedule_body({"ScheduleExtId": "SCH 1"})),
        (S11.format("TAKEN"), schedule_body({"ScheduleExtId": "TAKEN"})),
        (S14, schedule_body(Workflow="SOMETIMES")),
        (S15, schedule_body(candidates=[])),
        (empty("Candidates[0].Email"), schedule_body(candidates=[candidate(Email=DROP)])),
        (S17.format(0), schedule_body(candidates=[candidate(ReasonableAdjustmentPercentage=5)])),
        (S18.format(0), schedule_body(Workflow="EXTERNAL_ATTEMPTS")),
        (
            "'Candidates[0].AttemptExtId': attempt [ATT-9] already exists",
            schedule_body(
                candidates=[candidate(AttemptExtId="ATT-9")], Workflow="EXTERNAL_ATTEMPTS"
            ),
        ),
    ]
    before = counts(t)
    for message, body in cases:
        for sent_to in (SCHEDULE, f"{SCHEDULE}?type=json"):
            bad_request(t.cirrus("POST", sent_to, json=body), message)
    t.settings("cirrus", schedulerSet=False)
    for sent_to in (SCHEDULE, f"{SCHEDULE}?type=json"):
        bad_request(t.cirrus("POST", sent_to, json=schedule_body()), SCHEDULER_UNSET)
    assert counts(t) == before
    absent(t, "SCH-1")
