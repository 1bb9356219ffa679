"""The Cirrus controls under ``/_sandbox/tenants/<id>/cirrus``: ``complete`` (sit or
rescore a candidate's attempt: CTL-1 not on the schedule, CTL-2 outside the window, a bad
body), ``publish`` (CTL-3 nothing sat). Errors are the controls' own plain JSON."""

from __future__ import annotations

import re

import pytest
from csupport import (
    IN_WINDOW,
    NOW,
    assessment,
    candidate,
    complete,
    counts,
    made,
    publish,
    results,
    sat,
    schedule_body,
)


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    made(tenant, schedule_body(candidates=[candidate("CAN-1"), candidate("CAN-2")]))
    tenant.freeze(IN_WINDOW)
    return tenant


def control_error(response, status: int, message: str) -> None:
    assert response.status_code == status, response.json
    assert response.json == {"error": {"message": message, "status": status}}


def window_end(t) -> str:
    seeded = assessment(t)
    minutes = seeded["MaxTimePerAttempt"] + 60
    return f"2030-01-10T{9 + minutes // 60:02d}:{minutes % 60:02d}:00Z"


# --- complete -----------------------------------------------------------------------------


def test_complete_with_score_and_outcome(t):
    done = sat(t, score=42, outcome="SATISFACTORY")
    assert re.fullmatch(r"ATT-[A-Za-z]{10}", done["AttemptExtId"])
    assert done == {
        "AttemptExtId": done["AttemptExtId"],
        "published": True,
        "score": 42.0,
        "outcome": "SATISFACTORY",
    }
    assert counts(t)["cirrus_attempt"] == 1


@pytest.mark.parametrize(
    ("score", "outcome"),
    [
        (50, "SATISFACTORY"),
        (100, "SATISFACTORY"),
        (49.99, "UNSATISFACTORY"),
        (0, "UNSATISFACTORY"),
    ],
)
def test_complete_derives_the_outcome_from_the_pass_mark(t, score, outcome):
    assert sat(t, score=score)["outcome"] == outcome


def test_complete_derives_a_score_from_the_seed(http, t):
    first = sat(t, "SCH-1", "CAN-1")
    second = sat(t, "SCH-1", "CAN-2")
    for done in (first, second):
        assert 35 <= done["score"] <= 95 and done["score"] == int(done["score"])
        assert done["outcome"] == ("SATISFACTORY" if done["score"] >= 50 else "UNSATISFACTORY")
    # The same seed, schedule and candidate: the same score in another tenant.
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    try:
        tid = other["tenant"]
        auth = {"Authorization": f"EAPI {other['credentials']['cirrus']['token']}"}
        http.put(f"/_sandbox/tenants/{tid}/clock", json={"now": NOW})
        assert (
            t.cirrus(
                "POST", "/api/v1/integrations/schedule", auth=auth, json=schedule_body()
            ).status_code
            == 200
        )
        http.put(f"/_sandbox/tenants/{tid}/clock", json={"now": IN_WINDOW})
        there = http.post(
            f"/_sandbox/tenants/{tid}/cirrus/schedules/SCH-1/candidates/CAN-1/complete", json={}
        )
        assert there.status_code == 200 and there.json["score"] == first["score"]
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")


def test_complete_outcome_given_wins_over_the_score(t):
    assert sat(t, score=95, outcome="UNSATISFACTORY")["outcome"] == "UNSATISFACTORY"
    assert sat(t, "SCH-1", "CAN-2", score=5, outcome="SATISFACTORY")["outcome"] == "SATISFACTORY"


def test_complete_held_and_published_later(t):
    held = sat(t, score=70, publish=False)
    assert held["published"] is False
    answer = publish(t, "SCH-1", "CAN-1")
    assert answer.status_code == 200
    assert answer.json == {**held, "published": True}
    again = publish(t, "SCH-1", "CAN-1")  # publishing a published result changes nothing
    assert again.status_code == 200 and again.json == answer.json


def test_complete_at_the_window_edges(t):
    t.freeze("2030-01-10T09:00:00Z")  # the start
    assert sat(t, "SCH-1", "CAN-1")["published"] is True
    t.freeze(window_end(t))  # the end
    assert sat(t, "SCH-1", "CAN-2")["published"] is True


@pytest.mark.parametrize("now", ["2030-01-10T08:59:59Z", "2030-01-01T08:00:00Z", "after"])
def test_complete_outside_the_window_is_409(t, now):
    if now == "after":
        end = window_end(t)
        now = end[:-3] + "01Z"  # one second past the end
    t.freeze(now)
    before = counts(t)
    control_error(
        complete(t, "SCH-1", "CAN-1"),
        409,
        f"The tenant clock ({now}) is outside the schedule's window",
    )
    assert counts(t) == before
    assert results(t, CandidateExtId="CAN-1").json["Attempts"] == []


@pytest.mark.parametrize(
    ("schedule_ext_id", "candidate_ext_id"),
    [
        ("SCH-1", "NOPE"),
        ("NOPE", "CAN-1"),
        ("sch-1", "CAN-1"),
        ("SCH-2", "CAN-1"),
    ],
)
def test_complete_candidate_not_on_the_schedule_is_404(t, schedule_ext_id, candidate_ext_id):
    made(
        t,
        schedule_body(
            {"ScheduleExtId": "SCH-2", "StartDateTime": "2030-01-10T09:10:00Z"},
            [candidate("CAN-3")],
        ),
    )
    before = counts(t)
    control_error(
        complete(t, schedule_ext_id, candidate_ext_id),
        404,
        f"Candidate [{candidate_ext_id}] is not on schedule [{schedule_ext_id}]",
    )
    assert counts(t) == before


def test_complete_unknown_tenant_is_404(t):
    answer = t.http.post(
        "/_sandbox/tenants/no-such/cirrus/schedules/SCH-1/candidates/CAN-1/complete", json={}
    )
    assert answer.status_code == 404
    assert answer.json["error"]["message"] == "No tenant 'no-such'"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 101}, "score"),
        ({"score": -0.5}, "score"),
        ({"score": "high"}, "score"),
        ({"outcome": "PASS"}, "outcome"),
        ({"outcome": "satisfactory"}, "outcome"),
        ({"publish": "maybe"}, "publish"),
        ({"grade": "A"}, "grade"),
    ],
)
def test_complete_bad_body_is_400(t, body, field):
    before = counts(t)
    answer = complete(t, "SCH-1", "CAN-1", **body)
    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["message"] == "Invalid request body"
    assert list(answer.json["error"]["details"]) == [field]
    assert counts(t) == before


def test_complete_body_not_an_object_is_400(t):
    answer = t.admin(
        "POST",
        "/cirrus/schedules/SCH-1/candidates/CAN-1/complete",
        data="[1]",
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert counts(t)["cirrus_attempt"] == 0


# --- rescore ------------------------------------------------------------------------------


def test_rescore_keeps_the_attempt_and_changes_its_result(t):
    first = sat(t, score=30)
    t.freeze("2030-01-10T09:45:00Z")
    second = sat(t, score=80)
    assert second["AttemptExtId"] == first["AttemptExtId"]
    assert (second["score"], second["outcome"]) == (80.0, "SATISFACTORY")
    assert counts(t)["cirrus_attempt"] == 1
    (found,) = results(t, CandidateExtId="CAN-1").json["Attempts"]
    assert found["Score"] == 80.0 and found["SubmittedDateTime"] == "2030-01-10T09:45:00Z"


# --- publish ------------------------------------------------------------------------------


def test_publish_with_nothing_sat_is_409(t):
    control_error(
        publish(t, "SCH-1", "CAN-1"), 409, "Candidate [CAN-1] has no result on schedule [SCH-1]"
    )
    assert counts(t)["cirrus_attempt"] == 0


def test_publish_candidate_not_on_the_schedule_is_404(t):
    control_error(publish(t, "SCH-1", "NOPE"), 404, "Candidate [NOPE] is not on schedule [SCH-1]")
    control_error(publish(t, "NOPE", "CAN-1"), 404, "Candidate [CAN-1] is not on schedule [NOPE]")


def test_publish_is_not_bound_to_the_window(t):
    sat(t, publish=False)
    t.freeze("2031-01-01T00:00:00Z")
    assert publish(t, "SCH-1", "CAN-1").status_code == 200
    assert len(results(t, CandidateExtId="CAN-1").json["Attempts"]) == 1


def test_publish_refuses_options(t):
    sat(t, publish=False)
    answer = t.admin("POST", "/cirrus/schedules/SCH-1/candidates/CAN-1/publish", json={"score": 5})
    assert answer.status_code == 400
    assert results(t, CandidateExtId="CAN-1").json["Attempts"] == []


# --- The tenant's reset, as Cirrus sees it ------------------------------------------------


def test_reset_clears_cirrus_data_keeps_the_token_and_reseeds(t):
    sat(t, score=80)
    created = t.cirrus(
        "POST",
        "/api/v1/integrations/assessment",
        json={"ExternalId": "OWN-1", "Title": "Own", "Purpose": 1, "Code": "O"},
    )
    assert created.status_code == 200
    t.settings("cirrus", resultsDailyLimit=2)
    assert results(t, CandidateExtId="CAN-1").status_code == 200
    assert t.admin("POST", "/reset", json={}).status_code == 200
    assert counts(t) == {
        "cirrus_schedule": 0,
        "cirrus_candidate": 0,
        "cirrus_sitting": 0,
        "cirrus_attempt": 0,
    }
    # The same token; the seeded assessments are back, the created one is gone.
    assert assessment(t)["IsPublished"] is True
    assert assessment(t, "DRAFT-1")["IsPublished"] is False
    gone = t.cirrus("GET", "/api/v1/integrations/assessment/OWN-1")
    assert gone.status_code == 400
    # The day's count starts over with the data (each call here is a counted 200).
    t.settings("cirrus", resultsDailyLimit=2)
    made(t)
    assert results(t, CandidateExtId="CAN-1").status_code == 200
    assert results(t, CandidateExtId="CAN-1").status_code == 200
    assert results(t, CandidateExtId="CAN-1").status_code == 429
