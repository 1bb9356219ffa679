"""GET /assessment/{externalId} (AS-10 unknown) and POST /assessment (the documented 400
list, AS-1..AS-9, verbatim), and the publish control: a new assessment is unpublished,
so scheduling it is S5 until it is published."""

from __future__ import annotations

import re

import pytest
from csupport import (
    ASSESSMENT,
    DROP,
    NOW,
    PUBLISHED,
    SCHEDULE,
    assessment,
    bad_request,
    content,
    content_error,
    counts,
    made,
    schedule_body,
)

NOT_VALID = "Assessment info is not valid"
NOT_FOUND = "Assessment hasn't been found by external id"
SEEDED = {
    # ExternalId: (Title, Purpose, IsPublished, AllowedNumberOfAttempts)
    "MATH-101": ("Mathematics 101 final exam", 1, True, 1),
    "ENG-201": ("English B2 reading and writing", 1, True, 2),
    "SAFETY-1": ("Workplace safety induction", 2, True, None),
    "NURS-310": ("Nursing pharmacology", 3, True, 1),
    "DRAFT-1": ("Chemistry mock (draft)", 2, False, None),
    "LAW-900": ("Contract law (unpublished)", 1, False, 1),
}


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def new(**changes) -> dict:
    data = {"ExternalId": "NEW-1", "Title": "New exam", "Purpose": 2, "Code": "NEW-1"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not DROP}


def post(t, body):
    return t.cirrus("POST", ASSESSMENT, json=body)


def assessments(t) -> int:
    return counts(t, ("cirrus_assessment",))["cirrus_assessment"]


def refused(t, body, message: str) -> None:
    before = assessments(t)
    content_error(post(t, body), 400, message)
    assert assessments(t) == before


# --- GET ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ext_id", list(SEEDED))
def test_get_seeded_assessment(t, ext_id):
    title, purpose, published, attempts = SEEDED[ext_id]
    answer = t.cirrus("GET", f"{ASSESSMENT}/{ext_id}")
    assert answer.status_code == 200
    assert answer.json["Success"] is True and answer.json["Errors"] is None
    inner = answer.json["Content"]
    assert isinstance(inner["MaxTimePerAttempt"], int) and inner["MaxTimePerAttempt"] > 0
    assert isinstance(inner["ExtraTime"], int) and inner["ExtraTime"] >= 0
    assert inner == {
        "Title": title,
        "ExternalId": ext_id,
        "Revision": 1,
        "Purpose": purpose,
        "Code": ext_id,
        "Status": 2 if published else 1,
        "IsPublished": published,
        "Availability": 0,
        "AvailabilityStartDate": None,
        "AvailabilityEndDate": None,
        "Type": 1,
        "AssignmentConnections": [],
        "AllowedNumberOfAttempts": attempts,
        "WhichAttemptCounts": 0,
        "ReasonableAdjustmentType": "PERCENTAGE",
        "MaxTimePerAttempt": inner["MaxTimePerAttempt"],
        "ExtraTime": inner["ExtraTime"],
    }


@pytest.mark.parametrize("ext_id", ["NOPE", "math-101", "MATH-1010"])
def test_as_10_get_unknown_assessment(t, ext_id):
    content_error(t.cirrus("GET", f"{ASSESSMENT}/{ext_id}"), 400, NOT_FOUND)


# --- POST: success ------------------------------------------------------------------------


def test_create_answers_the_id_and_is_unpublished(t):
    before = assessments(t)
    content(post(t, new(MaxTimePerAttempt=50, ExtraTime=5, Owner="sandbox-author")), "NEW-1")
    assert assessments(t) == before + 1
    got = assessment(t, "NEW-1")
    assert got["Title"] == "New exam" and got["Code"] == "NEW-1" and got["Purpose"] == 2
    assert got["IsPublished"] is False and got["Status"] == 1 and got["Revision"] == 1
    assert got["MaxTimePerAttempt"] == 50 and got["ExtraTime"] == 5


@pytest.mark.parametrize("purpose", [1, 2, 3])
def test_create_every_purpose(t, purpose):
    content(post(t, new(ExternalId=f"P-{purpose}", Purpose=purpose)), f"P-{purpose}")
    assert assessment(t, f"P-{purpose}")["Purpose"] == purpose


def test_create_autogenerates_an_external_id(t):
    first = post(t, new(ExternalId=DROP))
    second = post(t, new(ExternalId=DROP))
    ids = [first.json["Content"], second.json["Content"]]
    assert first.status_code == second.status_code == 200
    for ext_id in ids:
        assert re.fullmatch(r"Ext_[A-Za-z]{8}", ext_id), ext_id
        assert assessment(t, ext_id)["IsPublished"] is False
    assert ids[0] != ids[1]


def test_new_assessment_is_s5_until_published(t):
    content(post(t, new(MaxTimePerAttempt=30, ExtraTime=0)), "NEW-1")
    before = counts(t)
    bad_request(
        t.cirrus("POST", SCHEDULE, json=schedule_body({"AssessmentExtId": "NEW-1"})),
        "Assessment must be published",
    )
    assert counts(t) == before
    published = t.admin("POST", "/cirrus/assessments/NEW-1/publish", json={})
    assert published.status_code == 200
    assert published.json == {"ExternalId": "NEW-1", "IsPublished": True}
    got = assessment(t, "NEW-1")
    assert got["IsPublished"] is True and got["Status"] == 2
    done = made(t, schedule_body({"AssessmentExtId": "NEW-1"}))
    assert done["Schedule"]["AssessmentExtId"] == "NEW-1"
    assert done["Schedule"]["EndDateTime"] == "2030-01-10T10:30:00Z"  # S7: 30 + 60 minutes


def test_publish_control_seeded_unpublished_and_again(t):
    for _ in range(2):  # publishing a published assessment changes nothing
        answer = t.admin("POST", "/cirrus/assessments/DRAFT-1/publish", json={})
        assert answer.status_code == 200
        assert answer.json == {"ExternalId": "DRAFT-1", "IsPublished": True}
    assert made(t, schedule_body({"AssessmentExtId": "DRAFT-1"}))["Schedule"]["ScheduleExtId"]


def test_publish_control_unknown_assessment_or_tenant(t):
    answer = t.admin("POST", "/cirrus/assessments/NOPE/publish", json={})
    assert answer.status_code == 404
    assert answer.json["error"]["message"] == "No assessment [NOPE]"
    other = t.http.post(
        "/_sandbox/tenants/no-such-tenant/cirrus/assessments/DRAFT-1/publish", json={}
    )
    assert other.status_code == 404
    assert assessment(t, "DRAFT-1")["IsPublished"] is False


def test_publish_control_refuses_options(t):
    answer = t.admin("POST", "/cirrus/assessments/DRAFT-1/publish", json={"now": True})
    assert answer.status_code == 400
    assert assessment(t, "DRAFT-1")["IsPublished"] is False


# --- POST: the documented 400 list --------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        [],
        "exam",
        new(Title="T" * 101),
        new(Title=5),
        new(Code="C" * 101),
        new(Code=["NEW-1"]),
        new(ExternalId="NEW 1"),
        new(ExternalId="N" * 65),
        new(ExternalId=12),
        new(MaxTimePerAttempt=-1),
        new(MaxTimePerAttempt="30"),
        new(MaxTimePerAttempt=30.5),
        new(ExtraTime=True),
        new(MaxTimePerAttempt=525_601),
        new(ExtraTime=2**63),
        new(Owner="O" * 65),
        new(Owner=3),
    ],
    ids=[
        "array",
        "string",
        "title-101",
        "title-number",
        "code-101",
        "code-array",
        "id-space",
        "id-65",
        "id-number",
        "max-negative",
        "max-string",
        "max-fraction",
        "extra-bool",
        "max-over-a-year",
        "extra-beyond-64-bits",
        "owner-65",
        "owner-number",
    ],
)
def test_as_1_assessment_info_not_valid(t, body):
    refused(t, body, NOT_VALID)


def test_as_1_times_up_to_a_year_and_null_are_taken(t):
    """The contract's range (0..525600 minutes); null is unlimited, as left out."""
    response = t.cirrus(
        "POST",
        "/api/v1/integrations/assessment",
        json=new(ExternalId="YEAR-1", MaxTimePerAttempt=525_600, ExtraTime=None),
    )
    assert response.status_code == 200, response.json
    assert response.json == {"Content": "YEAR-1", "Success": True, "Errors": None}


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("Title", "'Title' should not be empty."),
        ("Purpose", "'Purpose' should not be empty."),
        ("Code", "'Code' should not be empty."),
    ],
)
@pytest.mark.parametrize("value", [DROP, None, "", "  "], ids=["missing", "null", "empty", "blank"])
def test_as_2_to_4_mandatory_fields(t, field, message, value):
    refused(t, new(**{field: value}), message)


@pytest.mark.parametrize("value", [None, "", " "], ids=["null", "empty", "blank"])
def test_as_5_external_id_empty(t, value):
    refused(t, new(ExternalId=value), "'External Id' should not be empty.")


@pytest.mark.parametrize("purpose", [0, 4, -1, "1", 1.5, True, [1]])
def test_as_6_purpose_condition(t, purpose):
    refused(t, new(Purpose=purpose), 'The specified condition was not met for "Purpose"')


@pytest.mark.parametrize("ext_id", [PUBLISHED, "DRAFT-1"])
def test_as_7_external_id_in_use(t, ext_id):
    refused(t, new(ExternalId=ext_id), f"External id [{ext_id}] is already in use")
    assert assessment(t, ext_id)["Code"] == ext_id  # the seeded one is unchanged


def test_as_7_an_id_created_before(t):
    content(post(t, new()), "NEW-1")
    refused(t, new(Title="Again"), "External id [NEW-1] is already in use")
    assert assessment(t, "NEW-1")["Title"] == "New exam"


@pytest.mark.parametrize("owner", [None, ""])
def test_as_8_no_owner_in_settings_nor_body(t, owner):
    t.settings("cirrus", owner=owner)
    refused(t, new(), "Assessment creator hasn't been set in External API settings")
    # An Owner in the body is enough.
    content(post(t, new(Owner="sandbox-author")), "NEW-1")


@pytest.mark.parametrize("owner", ["nobody", "SANDBOX-AUTHOR", "sandbox-scheduler2"])
def test_as_9_owner_unknown(t, owner):
    refused(t, new(Owner=owner), "Assessment owner does not exist in the system")


@pytest.mark.parametrize("owner", ["sandbox-author", "sandbox-scheduler"])
def test_as_9_known_owners(t, owner):
    content(post(t, new(Owner=owner)), "NEW-1")


def test_as_9_the_settings_owner_is_known(t):
    t.settings("cirrus", owner="exams-office")
    content(post(t, new(Owner="exams-office")), "NEW-1")
    content(post(t, new(ExternalId="NEW-2")), "NEW-2")  # no Owner: the setting's


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], NOT_VALID),
        (new(Title=DROP, Purpose=DROP, Code=DROP), "'Title' should not be empty."),
        (new(Purpose=DROP, Code=DROP), "'Purpose' should not be empty."),
        (new(Code=DROP, ExternalId=""), "'Code' should not be empty."),
        (new(ExternalId="", Purpose=9), "'External Id' should not be empty."),
        (new(Title="T" * 101, Purpose=9), NOT_VALID),
        (new(Purpose=9, ExternalId="bad id"), 'The specified condition was not met for "Purpose"'),
        (new(ExternalId="bad id", Owner="nobody"), NOT_VALID),
        (new(ExternalId=PUBLISHED, Owner="nobody"), f"External id [{PUBLISHED}] is already in use"),
    ],
    ids=[
        "AS-1 body first",
        "AS-2 beats AS-3 and AS-4",
        "AS-3 beats AS-4",
        "AS-4 beats AS-5",
        "AS-5 beats AS-6",
        "AS-1 types beat AS-6",
        "AS-6 beats AS-1 id",
        "AS-1 id beats AS-9",
        "AS-7 beats AS-9",
    ],
)
def test_order(t, body, message):
    refused(t, body, message)


def test_order_as_7_beats_as_8(t):
    t.settings("cirrus", owner=None)
    refused(t, new(ExternalId=PUBLISHED), f"External id [{PUBLISHED}] is already in use")
