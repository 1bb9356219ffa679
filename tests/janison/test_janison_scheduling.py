"""POST/DELETE testschedule and POST testschedulecomponent: rules JTS-1..JTS-4, JTSC-1,
ENR-1..ENR-5, RET-1/RET-2, DUP-1; enrolments, versions and keycodes field by field and
deterministic per seed. The tenant's clock is frozen at NOW."""

from __future__ import annotations

import re

import pytest
from jsupport import BASE, SEED, ref, write_error

from exam_sandbox.providers.janison.allocation import keycode_for, version_for
from exam_sandbox.providers.janison.fixtures import COMPONENTS

NOW = "2030-01-01T08:00:00Z"
FIRST_SESSION = 14  # the seed has 13 enrolments
FOUR_SKILLS = [(1, "ENG-GEN-4S-L"), (2, "ENG-GEN-4S-R"), (3, "ENG-GEN-4S-W"), (4, "ENG-GEN-4S-S")]
DROP = object()


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def body(**changes) -> dict:
    data = {
        "testPackage": {"reference": "ENG-GEN-4S"},
        "centre": {"reference": "CTR001"},
        "candidates": [{"reference": "CAN0001"}, {"id": 5}],
        "testPackageDate": "2030-01-10",
        "roomReference": "Hall A",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not DROP}


def allocation(
    session_id: int,
    component_id: int,
    reference: str,
    attempt: int = 0,
    previous: int | None = None,
) -> dict:
    versions = COMPONENTS[component_id - 1][4]
    return {
        "component": ref("component", component_id, reference),
        "version": version_for(SEED, session_id, component_id, attempt, versions, previous),
        "keycode": keycode_for(SEED, session_id, component_id, attempt),
    }


def schedule(t, **changes):
    return t.janison("POST", "/api/testschedule", json=body(**changes))


# --- JTS-3: success --------------------------------------------------------------------


def test_jts_3_one_enrolment_per_candidate_with_its_own_session(t):
    r = schedule(t, reference="SCHED-1")
    assert r.status_code == 200
    assert r.json == {
        "id": 5,
        "reference": "SCHED-1",
        "href": f"{BASE}/testschedule/5",
        "errors": [],
        "enrolments": [
            {
                "candidate": ref("candidate", 1, "CAN0001"),
                "testSessionId": FIRST_SESSION,
                "components": [allocation(FIRST_SESSION, c, r) for c, r in FOUR_SKILLS],
            },
            {
                "candidate": ref("candidate", 5, "CAN0005"),
                "testSessionId": FIRST_SESSION + 1,
                "components": [allocation(FIRST_SESSION + 1, c, r) for c, r in FOUR_SKILLS],
            },
        ],
    }
    keycodes = [c["keycode"] for e in r.json["enrolments"] for c in e["components"]]
    assert all(re.fullmatch(r"[A-Z0-9]{8}", k) for k in keycodes)
    assert len(set(keycodes)) == 8


def test_jts_3_a_single_candidate_and_a_package_id(t):
    r = schedule(
        t, candidates=DROP, testPackage=DROP, testPackageId=2, candidate={"reference": "CAN0002"}
    )
    assert r.status_code == 200
    [enrolment] = r.json["enrolments"]
    assert enrolment["candidate"] == ref("candidate", 2, "CAN0002")
    assert [c["component"]["reference"] for c in enrolment["components"]] == [
        "ENG-GEN-LR-L", "ENG-GEN-LR-R", "ENG-GEN-LR-PL"
    ]  # fmt: skip
    assert r.json["reference"].startswith("TS-") and len(r.json["reference"]) == 11


def test_jts_3_candidate_is_added_to_candidates(t):
    r = schedule(t, candidate={"id": 9})
    assert [e["candidate"]["id"] for e in r.json["enrolments"]] == [1, 5, 9]


def test_jts_3_same_seed_same_answer_other_seed_other_keycodes(t, http):
    mine = schedule(t).json
    twin = http.post("/_sandbox/tenants", json={"seed": SEED}).json
    other = http.post("/_sandbox/tenants", json={"seed": SEED + 1}).json
    try:
        answers = []
        for created in (twin, other):
            c = created["credentials"]["janison"]
            auth = {
                "Ocp-Apim-Subscription-Key": c["subscriptionKey"],
                "Authorization": f"Bearer {c['token']}",
            }
            http.put(f"/_sandbox/tenants/{created['tenant']}/clock", json={"now": NOW})
            answers.append(http.post("/janison/api/testschedule", json=body(), headers=auth).json)
        assert answers[0]["enrolments"] == mine["enrolments"]
        assert answers[0]["reference"] == mine["reference"]
        codes = lambda a: [c["keycode"] for e in a["enrolments"] for c in e["components"]]  # noqa: E731
        assert codes(answers[1]) != codes(mine)
    finally:
        for created in (twin, other):
            http.delete(f"/_sandbox/tenants/{created['tenant']}")


# --- JTS-1, JTS-2 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"testPackage": DROP}, "testPackage"),
        ({"testPackage": None}, "testPackage"),
        ({"centre": DROP}, "centre"),
        ({"centre": None}, "centre"),
        ({"candidates": DROP}, "candidates"),
        ({"candidates": []}, "candidates"),
        ({"testPackageDate": DROP}, "testPackageDate"),
        ({"testPackageDate": None}, "testPackageDate"),
    ],
)
def test_jts_1_required_members(t, changes, field):
    write_error(schedule(t, **changes), 400, (2301, f"{field} is required", field))


def test_jts_1_all_missing_in_the_seed_order(t):
    r = t.janison("POST", "/api/testschedule", json={"roomReference": "x"})
    write_error(
        r, 400,
        (2301, "testPackage is required", "testPackage"),
        (2301, "centre is required", "centre"),
        (2301, "candidates is required", "candidates"),
        (2301, "testPackageDate is required", "testPackageDate"),
    )  # fmt: skip


@pytest.mark.parametrize(
    "value", ["10/01/2030", "2030-13-01", "2030-1-10", "2030-01-10T09:00:00Z", 20300110, "soon"]
)
def test_jts_2_test_package_date_format(t, value):
    r = schedule(t, testPackageDate=value)
    write_error(
        r, 400, (2302, "testPackageDate must be a date in the format YYYY-MM-DD", "testPackageDate")
    )


# --- database rules ----------------------------------------------------------------------


def test_enr_2_package_id_and_package_must_agree(t):
    r = schedule(t, testPackageId=2)
    write_error(
        r, 400, (3102, "testPackageId and testPackage name different test packages", "testPackage")
    )
    assert schedule(t, testPackageId=1).status_code == 200


def test_jc_2_package_centre_and_candidates_must_resolve(t):
    write_error(
        schedule(t, testPackage={"reference": "NOPE"}),
        400,
        (2102, "Test package 'NOPE' could not be found", "testPackage"),
    )
    write_error(
        schedule(t, testPackage=DROP, testPackageId=9),
        400,
        (2102, "Test package '9' could not be found", "testPackageId"),
    )
    write_error(
        schedule(t, centre={"id": 99}), 400, (2102, "Centre '99' could not be found", "centre")
    )
    write_error(
        schedule(t, candidates=[{"id": 1}, {"reference": "X1"}, {"id": 400}]), 400,
        (2102, "Candidate 'X1' could not be found", "candidates"),
        (2102, "Candidate '400' could not be found", "candidates"),
    )  # fmt: skip


def test_ret_2_retired_centre_or_candidate_cannot_be_booked(t):
    t.janison("DELETE", "/api/centre/1")
    write_error(schedule(t), 400, (3003, "Centre 'CTR001' is retired", "centre"))
    t.janison("DELETE", "/api/candidate/5")
    write_error(
        schedule(t, centre={"id": 2}), 400, (3003, "Candidate '5' is retired", "candidates")
    )


def test_enr_1_a_candidate_listed_twice(t):
    r = schedule(t, candidates=[{"id": 1}, {"reference": "CAN0001"}])
    write_error(r, 400, (3101, "Candidate 'CAN0001' is listed more than once", "candidates"))


def test_enr_3_not_before_today_on_the_tenant_clock(t):
    write_error(
        schedule(t, testPackageDate="2029-12-31"),
        400,
        (3103, "testPackageDate must not be before today (2030-01-01)", "testPackageDate"),
    )
    assert schedule(t, testPackageDate="2030-01-01").status_code == 200
    t.settings("janison", allowPastTestPackageDate=True)
    assert schedule(t, testPackageDate="2020-01-01", candidates=[{"id": 2}]).status_code == 200


def test_dup_1_schedule_reference_taken(t):
    write_error(
        schedule(t, reference="TS0001"),
        409,
        (3001, "A test schedule with reference 'TS0001' already exists", "reference"),
    )


def test_a_refused_schedule_writes_nothing_and_uses_no_ids(t):
    assert schedule(t, candidates=[{"id": 1}, {"id": 999}]).status_code == 400
    r = schedule(t)
    assert r.json["id"] == 5 and r.json["enrolments"][0]["testSessionId"] == FIRST_SESSION


# --- JTS-4: DELETE retires ----------------------------------------------------------------


def test_jts_4_delete_retires_the_planned_schedule(t):
    created = schedule(t, reference="TO-RETIRE").json
    r = t.janison("DELETE", f"/api/testschedule/{created['id']}")
    assert r.status_code == 200
    assert r.json == {
        "id": 5,
        "reference": "TO-RETIRE",
        "href": f"{BASE}/testschedule/5",
        "errors": [],
    }
    write_error(
        t.janison("DELETE", "/api/testschedule/5"), 409, (3002, "Test schedule 5 is retired", None)
    )
    # Retired, it takes no resit and cannot be completed.
    resit = {"testScehdule": {"id": 5}, "components": [{"id": 1}]}
    write_error(
        t.janison("POST", "/api/testschedulecomponent", json=resit),
        409,
        (3002, "Test schedule 5 is retired", None),
    )
    done = t.admin("POST", "/janison/testschedule/5/complete", json={})
    assert done.status_code == 409
    assert done.json == {"error": {"status": 409, "message": "Test schedule 5 is retired"}}


def test_enr_5_a_sat_schedule_cannot_be_retired(t):
    write_error(
        t.janison("DELETE", "/api/testschedule/1"),
        409,
        (3105, "Test schedule 1 has completed enrolments and cannot be retired", None),
    )
    # The seeded planned schedule (4) can be.
    assert t.janison("DELETE", "/api/testschedule/4").status_code == 200


def test_schedule_has_no_get_and_unknown_is_404(t):
    r = t.janison("GET", "/api/testschedule/1")
    assert r.status_code == 405 and r.headers["Allow"] == "DELETE, OPTIONS"
    write_error(
        t.janison("DELETE", "/api/testschedule/77"),
        404,
        (1020, "Test schedule 77 was not found", None),
    )


# --- JTSC-1: resits ------------------------------------------------------------------------


def resit(t, **payload):
    return t.janison("POST", "/api/testschedulecomponent", json=payload)


def test_jtsc_1_a_resit_allocates_a_new_version_and_keycode(t):
    created = schedule(t).json
    first = created["enrolments"][0]["components"][2]  # Writing, 3 versions
    r = resit(
        t,
        testScehdule={"id": created["id"]},
        components=[{"reference": "ENG-GEN-4S-W"}],
        candidate={"reference": "CAN0001"},
    )
    assert r.status_code == 200
    again = allocation(FIRST_SESSION, 3, "ENG-GEN-4S-W", 1, previous=first["version"])
    assert r.json == {
        "id": 5,
        "reference": created["reference"],
        "href": f"{BASE}/testschedule/5",
        "errors": [],
        "enrolments": [
            {
                "candidate": ref("candidate", 1, "CAN0001"),
                "testSessionId": FIRST_SESSION,
                "components": [again],
            },
        ],
    }
    assert again["version"] != first["version"] and again["keycode"] != first["keycode"]
    # A second resit: the next attempt, again another version.
    r2 = resit(
        t,
        testSchedule={"reference": created["reference"]},
        components=[{"id": 3}],
        candidate={"id": 1},
    )
    [third] = r2.json["enrolments"][0]["components"]
    assert third == allocation(FIRST_SESSION, 3, "ENG-GEN-4S-W", 2, previous=again["version"])


def test_jtsc_1_without_a_candidate_every_enrolment_resits(t):
    created = schedule(t).json
    r = resit(t, testScehdule={"id": created["id"]}, components=[{"id": 1}, {"id": 4}])
    assert [e["testSessionId"] for e in r.json["enrolments"]] == [FIRST_SESSION, FIRST_SESSION + 1]
    for enrolment in r.json["enrolments"]:
        sid = enrolment["testSessionId"]
        booked = {
            c["component"]["id"]: c["version"]
            for e in created["enrolments"]
            if e["testSessionId"] == sid
            for c in e["components"]
        }
        assert enrolment["components"] == [
            allocation(sid, 1, "ENG-GEN-4S-L", 1, previous=booked[1]),
            allocation(sid, 4, "ENG-GEN-4S-S", 1, previous=booked[4]),
        ]


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"components": [{"id": 1}]}, [(2401, "testScehdule is required", "testScehdule")]),
        ({"testScehdule": {"id": 1}}, [(2401, "components is required", "components")]),
        (
            {"testScehdule": {"id": 1}, "components": []},
            [(2401, "components is required", "components")],
        ),
        (
            {},
            [
                (2401, "testScehdule is required", "testScehdule"),
                (2401, "components is required", "components"),
            ],
        ),
    ],
)
def test_jtsc_1_required_members(t, payload, errors):
    write_error(resit(t, **payload), 400, *errors)


def test_jtsc_1_unknown_schedule(t):
    write_error(
        resit(t, testScehdule={"reference": "NOPE"}, components=[{"id": 1}]),
        400,
        (2402, "Test schedule 'NOPE' could not be found", "testScehdule"),
    )


@pytest.mark.parametrize("component", [{"id": 5}, {"reference": "ENG-ACAD-4S-L"}, {"id": 99}])
def test_jtsc_1_component_not_in_the_package(t, component):
    created = schedule(t).json
    r = resit(t, testScehdule={"id": created["id"]}, components=[{"id": 1}, component])
    name = component.get("reference", component.get("id"))
    write_error(
        r, 400, (2403, f"Component '{name}' is not part of test package 'ENG-GEN-4S'", "components")
    )


def test_enr_4_the_candidate_must_be_enrolled(t):
    created = schedule(t).json
    r = resit(t, testScehdule={"id": created["id"]}, components=[{"id": 1}], candidate={"id": 2})
    write_error(r, 400, (3104, "Candidate '2' is not enrolled in test schedule 5", "candidate"))
    r = resit(t, testScehdule={"id": created["id"]}, components=[{"id": 1}], candidate={"id": 2000})
    write_error(r, 400, (2102, "Candidate '2000' could not be found", "candidate"))
