"""Results: the seeded ones field by field, the scoring scale, and the flow from booking
to result through the sandbox's /complete control (with a resit in between)."""

from __future__ import annotations

import pytest
from jsupport import BASE, SEED, ids, one, ref

from exam_sandbox.providers.janison import scoring
from exam_sandbox.providers.janison.allocation import derived_raw_score, keycode_for
from exam_sandbox.providers.janison.fixtures import templates

NOW = "2030-01-01T08:00:00Z"


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def book(t, *candidates: int, package: str = "ENG-GEN-4S") -> dict:
    r = t.janison("POST", "/api/testschedule", json={
        "testPackage": {"reference": package},
        "centre": {"reference": "CTR001"},
        "candidates": [{"id": c} for c in candidates],
        "testPackageDate": "2030-01-10",
    })  # fmt: skip
    assert r.status_code == 200, r.json
    return r.json


def complete(t, schedule_id: int, **body):
    return t.admin("POST", f"/janison/testschedule/{schedule_id}/complete", json=body)


# --- scoring ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "scale", "grade"),
    [
        (0, 80, "Below A1"), (13, 100, "A1"), (26, 119, "A1"), (27, 121, "A2"),
        (40, 140, "B1"), (53, 160, "B2"), (66, 179, "B2"), (67, 181, "C1"),
        (80, 200, "C2"), (100, 230, "C2"),
    ],
)  # fmt: skip
def test_scale_scores_and_cefr_bands(raw, scale, grade):
    assert scoring.scale_score(raw) == scale
    assert scoring.cefr_grade(scale) == grade


def test_overall_is_the_rounded_mean_of_included_components():
    assert scoring.overall([160, 161]) == 161  # 160.5 rounds up
    assert scoring.overall([150, 160, 171]) == 160
    assert scoring.overall([]) is None
    with pytest.raises(ValueError):
        scoring.scale_score(101)


# --- seeded results ----------------------------------------------------------------------


def test_seeded_result_renders_every_field(t):
    seeded = templates(SEED)
    result = seeded["result"][0]
    parts = [rc for rc in seeded["result_component"] if rc["result_pk"].index == 0]
    item = one(t, "/api/result/1")
    assert list(item) == [
        "candidate", "testPackage", "centre", "components", "finalScaleScore",
        "overallCEFRGrade", "testPackageCompletionDate", "completed", "voided", "href", "id",
        "reference",
    ]  # fmt: skip
    assert item["candidate"] == ref("candidate", 1, "CAN0001")
    assert item["testPackage"] == ref("testpackage", 1, "ENG-GEN-4S")
    assert item["centre"] == ref("centre", 1, "CTR001")
    assert item["finalScaleScore"] == result["final_scale_score"]
    assert item["overallCEFRGrade"] == result["overall_cefr_grade"]
    assert item["testPackageCompletionDate"] == "2026-02-02T11:15:00Z"
    assert (item["completed"], item["voided"]) == (True, False)
    assert (item["href"], item["id"], item["reference"]) == (f"{BASE}/result/1", 1, "RES00001")
    names = ["Listening", "Reading", "Writing", "Speaking"]
    assert item["components"] == [
        {
            "scaleScore": part["scale_score"],
            "CEFRGrade": part["cefr_grade"],
            "dateCompleted": part["date_completed"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            "keycode": keycode_for(SEED, 1, n + 1, 0),
            "includedInTotal": True,
            "rawScore": derived_raw_score(SEED, 1, n + 1, 0),
            "completed": True,
            "voided": False,
            "name": names[n],
            "type": names[n],
            "href": f"{BASE}/component/{n + 1}",
            "id": n + 1,
            "reference": f"ENG-GEN-4S-{names[n][0]}",
        }
        for n, part in enumerate(parts)
    ]
    scales = [int(c["scaleScore"]) for c in item["components"]]
    assert item["finalScaleScore"] == str(scoring.overall(scales))


def test_seeded_results_exist_for_the_past_sessions_only(t):
    r = t.janison("GET", "/api/result?$top=100")
    assert r.json["count"] == 10
    # Schedule 2 (ENG-GEN-LR) has a practice component outside the total.
    lr = t.janison("GET", "/api/result?$filter=testPackage/reference eq 'ENG-GEN-LR'").json
    assert ids_of(lr) == [5, 6, 7]
    for item in lr["response"]:
        practice = [c for c in item["components"] if c["reference"] == "ENG-GEN-LR-PL"]
        assert practice[0]["includedInTotal"] is False
        counted = [int(c["scaleScore"]) for c in item["components"] if c["includedInTotal"]]
        assert item["finalScaleScore"] == str(scoring.overall(counted))


def ids_of(body) -> list[int]:
    return [item["id"] for item in body["response"]]


# --- booking to result -------------------------------------------------------------------


def test_enrolment_complete_result_flow(t):
    booked = book(t, 2, 6)
    r = complete(t, booked["id"], scores={"ENG-GEN-4S-L": 80, "ENG-GEN-4S-R": 53})
    assert r.status_code == 200
    sessions = [e["testSessionId"] for e in booked["enrolments"]]
    assert r.json["testSchedule"] == booked["id"]
    assert [x["id"] for x in r.json["results"]] == [11, 12]
    assert [x["testSessionId"] for x in r.json["results"]] == sessions
    assert r.json["results"][0]["candidate"] == {"id": 2, "reference": "CAN0002"}
    result = one(t, "/api/result/11")
    assert result["candidate"] == ref("candidate", 2, "CAN0002")
    assert result["testPackageCompletionDate"] == "2030-01-01T08:00:00Z"
    raws = [
        80,
        53,
        derived_raw_score(SEED, sessions[0], 3, 0),
        derived_raw_score(SEED, sessions[0], 4, 0),
    ]
    assert [c["rawScore"] for c in result["components"]] == raws
    scales = [scoring.scale_score(raw) for raw in raws]
    assert [c["scaleScore"] for c in result["components"]] == [str(s) for s in scales]
    assert [c["CEFRGrade"] for c in result["components"]][:2] == ["C2", "B2"]
    assert result["finalScaleScore"] == str(scoring.overall(scales))
    assert result["overallCEFRGrade"] == scoring.cefr_grade(scoring.overall(scales))
    assert r.json["results"][0]["finalScaleScore"] == result["finalScaleScore"]
    keycodes = [c["keycode"] for c in booked["enrolments"][0]["components"]]
    assert [c["keycode"] for c in result["components"]] == keycodes
    assert all(c["dateCompleted"] == "2030-01-01T08:00:00Z" for c in result["components"])
    # Completed, the schedule is no longer planned.
    assert t.janison("DELETE", f"/api/testschedule/{booked['id']}").status_code == 409


def test_complete_some_candidates_then_the_rest(t):
    booked = book(t, 2, 6, 10)
    first = complete(t, booked["id"], candidates=[6])
    assert [x["candidate"]["id"] for x in first.json["results"]] == [6]
    rest = complete(t, booked["id"])
    # Completing again leaves the done one as it was and completes the others.
    assert [x["candidate"]["id"] for x in rest.json["results"]] == [2, 6, 10]
    assert rest.json["results"][1] == first.json["results"][0]
    query = "/api/result?$filter=candidate/id eq 6 and testPackage/id eq 1"
    assert t.janison("GET", query).json["count"] == 1


def test_a_resit_then_complete_rewrites_the_result(t):
    booked = book(t, 2)
    done = complete(t, booked["id"], scores={"ENG-GEN-4S-W": 10}).json["results"][0]
    before = one(t, f"/api/result/{done['id']}")
    resat = t.janison("POST", "/api/testschedulecomponent", json={
        "testScehdule": {"id": booked["id"]}, "components": [{"reference": "ENG-GEN-4S-W"}],
    }).json  # fmt: skip
    new_keycode = resat["enrolments"][0]["components"][0]["keycode"]
    t.admin("PUT", "/clock", json={"advance_seconds": 86400})
    again = complete(t, booked["id"], scores={"ENG-GEN-4S-W": 90}).json["results"][0]
    assert again["id"] == done["id"]  # one result per enrolment
    after = one(t, f"/api/result/{done['id']}")
    writing = [c for c in after["components"] if c["reference"] == "ENG-GEN-4S-W"][0]
    assert writing["rawScore"] == 90 and writing["keycode"] == new_keycode
    assert writing["dateCompleted"] == "2030-01-02T08:00:00Z"
    others = [c for c in after["components"] if c["reference"] != "ENG-GEN-4S-W"]
    assert others == [c for c in before["components"] if c["reference"] != "ENG-GEN-4S-W"]
    assert int(after["finalScaleScore"]) > int(before["finalScaleScore"])
    assert after["testPackageCompletionDate"] == "2030-01-02T08:00:00Z"


def test_derived_scores_are_deterministic_per_seed(t, http):
    booked = book(t, 3)
    mine = complete(t, booked["id"]).json["results"]
    twin = http.post("/_sandbox/tenants", json={"seed": SEED}).json
    try:
        c = twin["credentials"]["janison"]
        auth = {
            "Ocp-Apim-Subscription-Key": c["subscriptionKey"],
            "Authorization": f"Bearer {c['token']}",
        }
        http.put(f"/_sandbox/tenants/{twin['tenant']}/clock", json={"now": NOW})
        theirs = http.post("/janison/api/testschedule", headers=auth, json={
            "testPackage": {"reference": "ENG-GEN-4S"}, "centre": {"reference": "CTR001"},
            "candidates": [{"id": 3}], "testPackageDate": "2030-01-10",
        }).json  # fmt: skip
        done = http.post(
            f"/_sandbox/tenants/{twin['tenant']}/janison/testschedule/{theirs['id']}/complete",
            json={},
        ).json["results"]
        assert done == mine
    finally:
        http.delete(f"/_sandbox/tenants/{twin['tenant']}")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"scores": {"ENG-ACAD-4S-L": 50}}, 400,
         "Not a component of test package 'ENG-GEN-4S': ENG-ACAD-4S-L"),
        ({"candidates": [7]}, 400, "Not enrolled in test schedule 5: 7"),
    ],
)  # fmt: skip
def test_complete_refusals(t, body, status, message):
    booked = book(t, 2)
    r = complete(t, booked["id"], **body)
    assert r.status_code == status
    assert r.json == {"error": {"status": status, "message": message}}
    assert t.janison("GET", "/api/result").json["count"] == 10


@pytest.mark.parametrize(
    "body", [{"scores": {"ENG-GEN-4S-L": 101}}, {"scores": {"ENG-GEN-4S-L": "50"}},
             {"candidates": "all"}, {"other": 1}, [1, 2]],
)  # fmt: skip
def test_complete_bad_bodies_are_400(t, body):
    booked = book(t, 2)
    r = t.admin("POST", f"/janison/testschedule/{booked['id']}/complete", json=body)
    assert r.status_code == 400 and r.json["error"]["status"] == 400


def test_complete_unknown_schedule_or_tenant_is_404(t, http):
    r = complete(t, 99)
    assert r.status_code == 404
    assert r.json == {"error": {"status": 404, "message": "Test schedule 99 was not found"}}
    r = http.post("/_sandbox/tenants/nobody/janison/testschedule/1/complete", json={})
    assert r.status_code == 404


def test_result_list_and_unknown_result(t):
    assert ids(t.janison("GET", "/api/result?$top=3&$orderBy=id desc")) == [10, 9, 8]
    r = t.janison("GET", "/api/result/11")
    assert r.status_code == 404
    assert r.json["errors"] == [{"code": 1020, "message": "Result 11 was not found", "field": None}]
