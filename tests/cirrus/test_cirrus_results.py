"""GET /results: by CandidateExtId (and ScheduleExtId) or by AttemptExtId (RES-1..RES-4),
published attempts only, and the daily limit per token (RES-5: 429 with Retry-After, the
seconds until the next 13:30 UTC on the tenant's clock).

Implemented choice (models/results.py): a call is counted in its own transaction, so a
call refused with 400 is rolled back and not counted; a call past the limit is 429
whatever its parameters."""

from __future__ import annotations

import pytest
from csupport import (
    IN_WINDOW,
    NOW,
    PUBLISHED,
    RESULTS,
    SCHEDULE_NOT_FOUND,
    assessment,
    candidate,
    content_error,
    made,
    publish,
    results,
    sat,
    schedule_body,
)

LIMIT = "The daily limit of {} calls to results has been reached"


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    made(
        tenant,
        schedule_body(
            candidates=[
                candidate("CAN-1"),
                candidate("CAN-2", FirstName="Grace", LastName="Hopper", UserName="gh"),
            ]
        ),
    )
    tenant.freeze(IN_WINDOW)
    return tenant


def ok(response) -> dict:
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/json"
    return response.json


def test_results_by_candidate_shape(t):
    attempt = sat(t, score=72.5)["AttemptExtId"]
    title = assessment(t)["Title"]
    assert ok(results(t, CandidateExtId="CAN-1")) == {
        "CandidateExtId": "CAN-1",
        "CandidateInfo": {
            "ExternalId": "CAN-1",
            "FirstName": "Ada",
            "LastName": "Lovelace",
            "UserName": "CAN-1",
            "Email": "can-1@example.com",
        },
        "Attempts": [
            {
                "AttemptExtId": attempt,
                "ScheduleExtId": "SCH-1",
                "AssessmentExtId": PUBLISHED,
                "AssessmentTitle": title,
                "Score": 72.5,
                "MaxScore": 100.0,
                "ScorePercentage": 72.5,
                "Outcome": "SATISFACTORY",
                "SubmittedDateTime": "2030-01-10T09:30:00Z",
                "PublishedDateTime": "2030-01-10T09:30:00Z",
            }
        ],
    }


def test_results_start_as_the_notes_document_them(t):
    sat(t)
    answer = results(t, CandidateExtId="CAN-1")
    assert list(answer.json)[:2] == ["CandidateExtId", "CandidateInfo"]
    assert answer.get_data(as_text=True).startswith('{"CandidateExtId":"CAN-1","CandidateInfo"')


def test_results_by_attempt(t):
    attempt = sat(t, "SCH-1", "CAN-2", score=40)["AttemptExtId"]
    sat(t, "SCH-1", "CAN-1", score=90)
    found = ok(results(t, AttemptExtId=attempt))
    assert found["CandidateExtId"] == "CAN-2"
    assert found["CandidateInfo"]["UserName"] == "gh"
    assert [(a["AttemptExtId"], a["Score"], a["Outcome"]) for a in found["Attempts"]] == [
        (attempt, 40.0, "UNSATISFACTORY")
    ]
    # With its own candidate too.
    same = ok(results(t, AttemptExtId=attempt, CandidateExtId="CAN-2"))
    assert same == found


def test_results_candidate_and_schedule(t):
    made(
        t,
        schedule_body(
            {"ScheduleExtId": "SCH-2", "StartDateTime": "2030-01-10T09:15:00Z"},
            [candidate("CAN-1")],
        ),
    )
    first = sat(t, "SCH-1", "CAN-1", score=60)["AttemptExtId"]
    second = sat(t, "SCH-2", "CAN-1", score=70)["AttemptExtId"]
    every = ok(results(t, CandidateExtId="CAN-1"))
    assert [a["AttemptExtId"] for a in every["Attempts"]] == [first, second]
    on_two = ok(results(t, CandidateExtId="CAN-1", ScheduleExtId="SCH-2"))
    assert [(a["AttemptExtId"], a["ScheduleExtId"]) for a in on_two["Attempts"]] == [
        (second, "SCH-2")
    ]


def test_results_candidate_without_attempts(t):
    found = ok(results(t, CandidateExtId="CAN-2"))
    assert found["CandidateExtId"] == "CAN-2" and found["Attempts"] == []
    assert ok(results(t, CandidateExtId="CAN-2", ScheduleExtId="SCH-1"))["Attempts"] == []


def test_results_external_attempt_ids(t):
    made(
        t,
        schedule_body(
            {"ScheduleExtId": "SCH-X"},
            [candidate("CAN-3", AttemptExtId="MY-ATTEMPT-3")],
            Workflow="EXTERNAL_ATTEMPTS",
        ),
    )
    assert sat(t, "SCH-X", "CAN-3", score=55)["AttemptExtId"] == "MY-ATTEMPT-3"
    found = ok(results(t, AttemptExtId="MY-ATTEMPT-3"))
    assert [a["AttemptExtId"] for a in found["Attempts"]] == ["MY-ATTEMPT-3"]


# --- Only published results ---------------------------------------------------------------


def test_held_result_is_invisible_until_published(t):
    held = sat(t, score=88, publish=False)
    assert held["published"] is False
    attempt = held["AttemptExtId"]
    assert ok(results(t, CandidateExtId="CAN-1"))["Attempts"] == []
    by_attempt = ok(results(t, AttemptExtId=attempt))
    assert by_attempt["CandidateExtId"] == "CAN-1" and by_attempt["Attempts"] == []
    t.freeze("2030-01-11T12:00:00Z")  # published the next day
    published = publish(t, "SCH-1", "CAN-1")
    assert published.status_code == 200
    assert published.json == {
        "AttemptExtId": attempt,
        "published": True,
        "score": 88.0,
        "outcome": "SATISFACTORY",
    }
    found = ok(results(t, CandidateExtId="CAN-1"))["Attempts"]
    assert [(a["AttemptExtId"], a["Score"]) for a in found] == [(attempt, 88.0)]
    assert found[0]["SubmittedDateTime"] == "2030-01-10T09:30:00Z"
    assert found[0]["PublishedDateTime"] == "2030-01-11T12:00:00Z"
    assert ok(results(t, AttemptExtId=attempt))["Attempts"] == found


def test_rescore_held_hides_the_published_result_until_published_again(t):
    attempt = sat(t, score=30)["AttemptExtId"]
    assert ok(results(t, CandidateExtId="CAN-1"))["Attempts"][0]["Score"] == 30.0
    again = sat(t, score=65, publish=False)
    assert again["AttemptExtId"] == attempt  # a rescore of the same attempt
    assert ok(results(t, CandidateExtId="CAN-1"))["Attempts"] == []
    assert publish(t, "SCH-1", "CAN-1").status_code == 200
    found = ok(results(t, CandidateExtId="CAN-1"))["Attempts"]
    assert [(a["Score"], a["Outcome"]) for a in found] == [(65.0, "SATISFACTORY")]


# --- RES-1..RES-4 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, {"ScheduleExtId": "SCH-1"}, {"CandidateExtId": ""}, {"AttemptExtId": ""}],
    ids=["none", "schedule-only", "empty-candidate", "empty-attempt"],
)
def test_res_1_candidate_ext_id_missing(t, params):
    content_error(results(t, **params), 400, "'CandidateExtId' should not be empty.")


@pytest.mark.parametrize("ext_id", ["NOPE", "can-1"])
def test_res_2_unknown_candidate(t, ext_id):
    content_error(
        results(t, CandidateExtId=ext_id), 400, "Candidate hasn't been found by external id"
    )


def test_res_3_unknown_attempt(t):
    attempt = sat(t)["AttemptExtId"]
    content_error(results(t, AttemptExtId="NOPE"), 400, "Attempt hasn't been found by external id")
    # An attempt of another candidate than the one named.
    content_error(
        results(t, AttemptExtId=attempt, CandidateExtId="CAN-2"),
        400,
        "Attempt hasn't been found by external id",
    )


def test_res_4_unknown_schedule(t):
    content_error(results(t, CandidateExtId="CAN-1", ScheduleExtId="NOPE"), 400, SCHEDULE_NOT_FOUND)


def test_res_order_candidate_before_schedule(t):
    content_error(
        results(t, CandidateExtId="NOPE", ScheduleExtId="NOPE"),
        400,
        "Candidate hasn't been found by external id",
    )


# --- RES-5: the daily limit ---------------------------------------------------------------


def exhaust(t, limit: int = 2) -> None:
    t.settings("cirrus", resultsDailyLimit=limit)
    for _ in range(limit):
        ok(results(t, CandidateExtId="CAN-1"))


def limited(response, limit: int, retry_after: int) -> None:
    content_error(response, 429, LIMIT.format(limit))
    assert response.headers["Retry-After"] == str(retry_after)


@pytest.mark.parametrize(
    ("now", "retry_after"),
    [
        ("2030-01-10T09:30:00Z", 4 * 3600),  # before 13:30: today's 13:30
        ("2030-01-10T13:29:59Z", 1),
        ("2030-01-10T13:30:00Z", 24 * 3600),  # at 13:30 a day starts: tomorrow's 13:30
        ("2030-01-10T14:00:00Z", 23 * 3600 + 1800),  # after 13:30: tomorrow's 13:30
        ("2030-01-10T23:59:59Z", 13 * 3600 + 1800 + 1),
        ("2030-01-11T00:00:00Z", 13 * 3600 + 1800),
    ],
)
def test_res_5_third_call_is_429_with_retry_after(t, now, retry_after):
    t.freeze(now)
    exhaust(t)
    limited(results(t, CandidateExtId="CAN-1"), 2, retry_after)
    limited(results(t, CandidateExtId="CAN-1"), 2, retry_after)  # and every later one


def test_res_5_a_new_day_at_13_30_resets(t):
    t.freeze("2030-01-10T13:00:00Z")
    exhaust(t)
    limited(results(t, CandidateExtId="CAN-1"), 2, 1800)
    t.freeze("2030-01-10T13:29:59Z")
    limited(results(t, CandidateExtId="CAN-1"), 2, 1)
    t.freeze("2030-01-10T13:30:00Z")  # a new Cirrus day
    ok(results(t, CandidateExtId="CAN-1"))
    ok(results(t, CandidateExtId="CAN-1"))
    limited(results(t, CandidateExtId="CAN-1"), 2, 24 * 3600)
    assert t.admin("PUT", "/clock", json={"advance_seconds": 24 * 3600}).status_code == 200
    ok(results(t, CandidateExtId="CAN-1"))


def test_res_5_midnight_is_not_a_new_day(t):
    t.freeze("2030-01-10T23:00:00Z")
    exhaust(t)
    t.freeze("2030-01-11T01:00:00Z")
    limited(results(t, CandidateExtId="CAN-1"), 2, 12 * 3600 + 1800)


def test_res_5_calls_refused_with_400_are_not_counted(t):
    t.settings("cirrus", resultsDailyLimit=2)
    for params in (
        {},
        {"CandidateExtId": "NOPE"},
        {"AttemptExtId": "NOPE"},
        {"CandidateExtId": "CAN-1", "ScheduleExtId": "NOPE"},
    ):
        for _ in range(2):
            assert results(t, **params).status_code == 400
    ok(results(t, CandidateExtId="CAN-1"))
    ok(results(t, AttemptExtId=sat(t)["AttemptExtId"]))
    limited(results(t, CandidateExtId="CAN-1"), 2, 4 * 3600)


def test_res_5_past_the_limit_even_a_bad_call_is_429(t):
    exhaust(t)
    limited(results(t), 2, 4 * 3600)
    limited(results(t, CandidateExtId="NOPE"), 2, 4 * 3600)


def test_res_5_the_count_is_per_token(http, t):
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    other_auth = {"Authorization": f"EAPI {other['credentials']['cirrus']['token']}"}
    try:
        http.put(f"/_sandbox/tenants/{other['tenant']}/clock", json={"now": IN_WINDOW})
        http.patch(
            f"/_sandbox/tenants/{other['tenant']}/settings/cirrus", json={"resultsDailyLimit": 2}
        )
        exhaust(t)
        limited(results(t, CandidateExtId="CAN-1"), 2, 4 * 3600)
        # The other tenant's token has its own count (its calls are 400: no candidate).
        for _ in range(2):
            content_error(
                t.cirrus("GET", RESULTS, auth=other_auth, query_string={"CandidateExtId": "CAN-1"}),
                400,
                "Candidate hasn't been found by external id",
            )
        # Both header forms carry one token: one count.
        token = t.credentials["cirrus"]["token"]
        limited(
            t.cirrus(
                "GET",
                RESULTS,
                auth={"Authorization": f"EAPI{token}"},
                query_string={"CandidateExtId": "CAN-1"},
            ),
            2,
            4 * 3600,
        )
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")


def test_res_5_the_other_tenants_successes_count_only_for_it(http, t):
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    other_auth = {"Authorization": f"EAPI {other['credentials']['cirrus']['token']}"}
    try:
        tid = other["tenant"]
        http.put(f"/_sandbox/tenants/{tid}/clock", json={"now": NOW})
        http.patch(f"/_sandbox/tenants/{tid}/settings/cirrus", json={"resultsDailyLimit": 1})
        made_there = t.cirrus(
            "POST", "/api/v1/integrations/schedule", auth=other_auth, json=schedule_body()
        )
        assert made_there.status_code == 200
        there = t.cirrus("GET", RESULTS, auth=other_auth, query_string={"CandidateExtId": "CAN-1"})
        assert there.status_code == 200
        content_error(
            t.cirrus("GET", RESULTS, auth=other_auth, query_string={"CandidateExtId": "CAN-1"}),
            429,
            LIMIT.format(1),
        )
        exhaust(t, 3)  # this tenant's three calls are untouched by the other's
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")


def test_res_5_head_is_answered_and_counted_as_get(t):
    t.settings("cirrus", resultsDailyLimit=2)
    head = t.cirrus("HEAD", RESULTS, query_string={"CandidateExtId": "CAN-1"})
    assert head.status_code == 200 and head.data == b""
    assert t.cirrus("HEAD", RESULTS).status_code == 400  # not counted
    ok(results(t, CandidateExtId="CAN-1"))
    head = t.cirrus("HEAD", RESULTS, query_string={"CandidateExtId": "CAN-1"})
    assert head.status_code == 429 and head.headers["Retry-After"] == str(4 * 3600)


def test_res_5_limit_changes_apply_at_once(t):
    exhaust(t)
    limited(results(t, CandidateExtId="CAN-1"), 2, 4 * 3600)
    t.settings("cirrus", resultsDailyLimit=3)
    ok(results(t, CandidateExtId="CAN-1"))
    limited(results(t, CandidateExtId="CAN-1"), 3, 4 * 3600)


def test_res_5_limit_zero_refuses_every_call(t):
    t.settings("cirrus", resultsDailyLimit=0)
    limited(results(t, CandidateExtId="CAN-1"), 0, 4 * 3600)


def test_res_5_limit_setting_is_validated(t):
    answer = t.admin("PATCH", "/settings/cirrus", json={"resultsDailyLimit": -1})
    assert answer.status_code == 400
    assert t.admin("GET", "/settings/cirrus").json["resultsDailyLimit"] == 3000


def test_res_5_default_limit_is_3000(t):
    assert t.admin("GET", "/settings/cirrus").json["resultsDailyLimit"] == 3000
    for _ in range(5):
        ok(results(t, CandidateExtId="CAN-1"))
