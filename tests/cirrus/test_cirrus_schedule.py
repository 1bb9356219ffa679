"""POST /schedule successes: the answer's shape, S7 (the default end), S8's boundary, S12
(Upsert), S13 (a generated ScheduleExtId), the settings that shape an answer
(``errorEnvelope``, ``tenantHost``, ``defaultTimeZone``, ``candidatesRequired``), and the
launch page a LaunchUrl leads to."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from csupport import (
    ADD_CANDIDATES,
    ASSESSMENT,
    DROP,
    EXTERNAL,
    LAUNCH_PATH,
    NOW,
    PUBLISHED,
    SCHEDULE,
    START,
    add_body,
    assessment,
    bad_request,
    candidate,
    content_error,
    counts,
    info,
    made,
    message_error,
    schedule,
    schedule_body,
)

SESSION = re.compile(r"[0-9A-F]{64}")
STARTUP = re.compile(rf"{LAUNCH_PATH}\?session=([0-9A-F]{{64}})")


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def origin(t) -> str:
    return f"http://localhost/cirrus/t/{t.id}"


def session_of(linked: dict) -> str:
    found = STARTUP.fullmatch(linked["StartupLink"])
    assert found, linked["StartupLink"]
    return found.group(1)


# --- Success ------------------------------------------------------------------------------


def test_success_shape(t):
    seeded = assessment(t)
    end = at(START) + timedelta(minutes=seeded["MaxTimePerAttempt"] + 60)
    body = schedule_body(
        {"ScheduleGroupExtId": "SG-1", "ScheduleGroupName": "Sittings", "Title": "Finals"},
        [
            candidate("CAN-1"),
            candidate(
                "CAN-2", FirstName="Grace", LastName="Hopper", Password="secret", UserName="ghopper"
            ),
        ],
    )
    answer = schedule(t, body)
    assert answer.status_code == 200, answer.json
    assert answer.mimetype == "application/json"
    links = answer.json["Candidates"]
    assert answer.json == {
        "Result": "Schedule[SCH-1] created successfully",
        "Schedule": {
            "Title": "Finals",
            "AssessmentExtId": PUBLISHED,
            "ScheduleExtId": "SCH-1",
            "StartDateTime": START,
            "EndDateTime": iso(end),
            "GroupExtId": "GRP-1",
            "GroupName": "Group one",
            "ScheduleGroupExtId": "SG-1",
            "ScheduleGroupName": "Sittings",
            "PIN": None,
            "ExtraTime": None,
            "Owner": "sandbox-scheduler",
        },
        "Candidates": [
            {
                "CandidateExtId": "CAN-1",
                "StartupLink": links[0]["StartupLink"],
                "LaunchUrl": origin(t) + links[0]["StartupLink"],
                "FirstName": "Ada",
                "LastName": "Lovelace",
                "Email": "can-1@example.com",
                "Password": None,
                "AttemptExtId": None,
            },
            {
                "CandidateExtId": "CAN-2",
                "StartupLink": links[1]["StartupLink"],
                "LaunchUrl": origin(t) + links[1]["StartupLink"],
                "FirstName": "Grace",
                "LastName": "Hopper",
                "Email": "can-2@example.com",
                "Password": None,  # never echoed
                "AttemptExtId": None,
            },
        ],
    }
    sessions = [session_of(linked) for linked in links]
    assert len(set(sessions)) == 2
    assert list(answer.json) == ["Result", "Schedule", "Candidates"]  # the documented order
    assert counts(t) == {
        "cirrus_schedule": 1,
        "cirrus_candidate": 2,
        "cirrus_sitting": 2,
        "cirrus_attempt": 0,
    }


def test_success_generated_title_and_owner_setting(t):
    t.settings("cirrus", owner="exams-office")
    done = made(t)
    title = assessment(t)["Title"]
    assert done["Schedule"]["Title"] == f"{title} 2030-01-10 09:00"
    assert done["Schedule"]["Owner"] == "exams-office"


def test_success_type_json_is_the_same_operation(t):
    plain = made(t)
    typed = t.cirrus(
        "POST",
        f"{SCHEDULE}?type=json",
        json=schedule_body({"ScheduleExtId": "SCH-2"}, [candidate("CAN-1")]),
    )
    assert typed.status_code == 200, typed.json
    assert typed.json["Result"] == "Schedule[SCH-2] created successfully"
    assert {k: v for k, v in typed.json["Schedule"].items() if k != "ScheduleExtId"} == {
        k: v for k, v in plain["Schedule"].items() if k != "ScheduleExtId"
    }
    # The same candidate, on another schedule: another session.
    assert typed.json["Candidates"][0]["StartupLink"] != plain["Candidates"][0]["StartupLink"]


def test_success_schedule_is_activated_and_listed(t):
    made(t, schedule_body(candidates=[candidate("CAN-1"), candidate("CAN-2", UserName="u2")]))
    got = info(t, "SCH-1").json["Content"]
    assert got["IsActivated"] is True
    assert got["Candidates"] == [
        {"ExternalId": "CAN-1", "FirstName": "Ada", "LastName": "Lovelace", "UserName": "CAN-1"},
        {"ExternalId": "CAN-2", "FirstName": "Ada", "LastName": "Lovelace", "UserName": "u2"},
    ]


def test_success_paths_ignore_case(t):
    # ASP.NET routes ignore case.
    answer = t.cirrus("POST", "/API/V1/Integrations/Schedule", json=schedule_body())
    assert answer.status_code == 200, answer.json
    assert info(t, "SCH-1").status_code == 200


def test_success_candidate_known_from_another_schedule_is_updated(t):
    made(t)
    made(t, schedule_body({"ScheduleExtId": "SCH-2"}, [candidate("CAN-1", LastName="Byron")]))
    assert counts(t)["cirrus_candidate"] == 1
    names = [c["LastName"] for c in info(t, "SCH-1").json["Content"]["Candidates"]]
    assert names == ["Byron"]  # one user in Cirrus, its latest name


# --- S7: the default end ------------------------------------------------------------------


def test_s7_default_end_is_start_plus_max_time_plus_an_hour(t):
    for ext_id in ("MATH-101", "ENG-201", "SAFETY-1", "NURS-310"):
        seeded = assessment(t, ext_id)
        done = made(t, schedule_body({"AssessmentExtId": ext_id, "ScheduleExtId": ext_id}))
        expected = at(START) + timedelta(minutes=seeded["MaxTimePerAttempt"] + 60)
        assert done["Schedule"]["EndDateTime"] == iso(expected), (ext_id, seeded)
        assert info(t, ext_id).json["Content"]["EndDateTime"] == iso(expected)


def test_s7_unlimited_max_time_gives_start_plus_an_hour(t):
    created = t.cirrus(
        "POST",
        ASSESSMENT,
        json={
            "ExternalId": "OPEN-1",
            "Title": "Open",
            "Purpose": 2,
            "Code": "OPEN-1",
        },
    )
    assert created.status_code == 200, created.json
    assert assessment(t, "OPEN-1")["MaxTimePerAttempt"] is None
    assert t.admin("POST", "/cirrus/assessments/OPEN-1/publish", json={}).status_code == 200
    done = made(t, schedule_body({"AssessmentExtId": "OPEN-1"}))
    assert done["Schedule"]["EndDateTime"] == "2030-01-10T10:00:00Z"


# --- S8's boundary ------------------------------------------------------------------------


def test_s8_end_exactly_max_time_plus_extra_time_is_refused_one_minute_more_accepted(t):
    seeded = assessment(t)
    minutes = seeded["MaxTimePerAttempt"] + seeded["ExtraTime"]
    assert seeded["ExtraTime"] > 0  # seed 7: the boundary counts the extra time
    message = (
        f"'Schedule.EndDateTime' must be more than {minutes} minutes "
        "(MaxTimePerAttempt + ExtraTime) after 'StartDateTime'"
    )
    exactly = at(START) + timedelta(minutes=minutes)
    for end in (
        exactly,
        exactly - timedelta(minutes=1),
        at(START) + timedelta(minutes=seeded["MaxTimePerAttempt"]),
    ):
        bad_request(schedule(t, schedule_body({"EndDateTime": iso(end)})), message)
    assert counts(t)["cirrus_schedule"] == 0
    later = exactly + timedelta(minutes=1)
    done = made(t, schedule_body({"EndDateTime": iso(later)}))
    assert done["Schedule"]["EndDateTime"] == iso(later)


def test_s8_one_second_more_is_accepted(t):
    seeded = assessment(t)
    end = at(START) + timedelta(
        minutes=seeded["MaxTimePerAttempt"] + seeded["ExtraTime"], seconds=1
    )
    assert made(t, schedule_body({"EndDateTime": iso(end)}))["Schedule"]["EndDateTime"] == iso(end)


def test_s8_counts_an_assessments_own_times(t):
    created = t.cirrus(
        "POST",
        ASSESSMENT,
        json={
            "ExternalId": "TIMED-1",
            "Title": "Timed",
            "Purpose": 1,
            "Code": "TIMED-1",
            "MaxTimePerAttempt": 100,
            "ExtraTime": 20,
        },
    )
    assert created.status_code == 200
    t.admin("POST", "/cirrus/assessments/TIMED-1/publish", json={})
    bad_request(
        schedule(
            t, schedule_body({"AssessmentExtId": "TIMED-1", "EndDateTime": "2030-01-10T11:00:00Z"})
        ),
        "'Schedule.EndDateTime' must be more than 120 minutes (MaxTimePerAttempt + ExtraTime) "
        "after 'StartDateTime'",
    )
    done = made(
        t, schedule_body({"AssessmentExtId": "TIMED-1", "EndDateTime": "2030-01-10T11:01:00Z"})
    )
    assert done["Schedule"]["EndDateTime"] == "2030-01-10T11:01:00Z"


# --- S12: Upsert --------------------------------------------------------------------------


def test_s12_upsert_updates_the_schedule_and_merges_candidates(t):
    first = made(t, schedule_body(candidates=[candidate("CAN-1"), candidate("CAN-2")]))
    kept = {c["CandidateExtId"]: c["StartupLink"] for c in first["Candidates"]}
    body = schedule_body(
        {
            "Title": "Resit",
            "StartDateTime": "2030-02-01T09:00:00Z",
            "EndDateTime": "2030-02-01T17:00:00Z",
            "GroupName": "Group two",
        },
        [candidate("CAN-2", FirstName="Bea"), candidate("CAN-3")],
        Upsert=True,
    )
    answer = schedule(t, body)
    assert answer.status_code == 200, answer.json
    assert answer.json["Result"] == "Schedule[SCH-1] updated successfully"
    assert answer.json["Schedule"]["Title"] == "Resit"
    assert answer.json["Schedule"]["StartDateTime"] == "2030-02-01T09:00:00Z"
    assert answer.json["Schedule"]["EndDateTime"] == "2030-02-01T17:00:00Z"
    assert answer.json["Schedule"]["GroupName"] == "Group two"
    linked = {c["CandidateExtId"]: c for c in answer.json["Candidates"]}
    assert list(linked) == ["CAN-2", "CAN-3"]  # the candidates this request sent
    assert linked["CAN-2"]["StartupLink"] == kept["CAN-2"]  # its session is kept
    assert linked["CAN-2"]["FirstName"] == "Bea"
    assert linked["CAN-3"]["StartupLink"] not in kept.values()
    got = info(t, "SCH-1").json["Content"]
    assert got["Title"] == "Resit"
    assert got["StartDateTime"] == "2030-02-01T09:00:00Z"
    # Merged, not replaced: CAN-1 stays on the schedule.
    assert [c["ExternalId"] for c in got["Candidates"]] == ["CAN-1", "CAN-2", "CAN-3"]
    assert counts(t)["cirrus_schedule"] == 1 and counts(t)["cirrus_sitting"] == 3


@pytest.mark.parametrize("upsert", [True, "true"])
def test_s12_upsert_of_an_unknown_schedule_creates_it(t, upsert):
    answer = schedule(t, schedule_body(Upsert=upsert))
    assert answer.status_code == 200, answer.json
    assert answer.json["Result"] == "Schedule[SCH-1] created successfully"
    assert info(t, "SCH-1").status_code == 200


def test_s12_upsert_runs_every_other_rule(t):
    made(t)
    before = counts(t)
    bad_request(
        schedule(t, schedule_body({"GroupName": DROP}, Upsert=True)),
        "'Schedule.GroupName' should not be empty.",
    )
    bad_request(
        schedule(t, schedule_body({"AssessmentExtId": "DRAFT-1"}, Upsert=True)),
        "Assessment must be published",
    )
    assert counts(t) == before
    got = info(t, "SCH-1").json["Content"]
    assert got["Title"] == f"{assessment(t)['Title']} 2030-01-10 09:00"
    assert got["Hierarchy"] == {"ExternalId": "GRP-1", "FullPath": "Root/Group one"}


def test_s12_upsert_may_resend_a_candidates_own_attempt_ext_id(t):
    body = schedule_body(
        candidates=[candidate("CAN-1", AttemptExtId="ATT-1")], Workflow="EXTERNAL_ATTEMPTS"
    )
    made(t, body)
    again = schedule(t, {**body, "Upsert": True})
    assert again.status_code == 200, again.json
    assert again.json["Candidates"][0]["AttemptExtId"] == "ATT-1"


def test_s12_upsert_without_upsert_flag_is_s11(t):
    made(t)
    bad_request(
        schedule(t, schedule_body({"Title": "X"})),
        "Schedule with external id [SCH-1] already exists",
    )


# --- S13: a generated ScheduleExtId -------------------------------------------------------


def test_s13_generated_id_is_six_letters_unique_per_tenant(t):
    generated = []
    for i in range(25):
        done = made(t, schedule_body({"ScheduleExtId": DROP}, [candidate(f"CAN-{i}")]))
        ext_id = done["Schedule"]["ScheduleExtId"]
        assert re.fullmatch(r"[A-Za-z]{6}", ext_id), ext_id
        assert done["Result"] == f"Schedule[{ext_id}] created successfully"
        generated.append(ext_id)
    assert len(set(generated)) == len(generated)
    for ext_id in generated[:3]:
        assert info(t, ext_id).json["Content"]["ExternalId"] == ext_id


@pytest.mark.parametrize("value", [None], ids=["null"])
def test_s13_null_schedule_ext_id_is_generated_too(t, value):
    done = made(t, schedule_body({"ScheduleExtId": value}))
    assert re.fullmatch(r"[A-Za-z]{6}", done["Schedule"]["ScheduleExtId"])


def test_s13_generated_id_skips_one_in_use(http, t):
    # Generated ids follow the seed and the schedule's number: a tenant of the same seed
    # would generate the same ones, so one of them is taken here first.
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    auth = {"Authorization": f"EAPI {other['credentials']['cirrus']['token']}"}
    try:
        seen = []
        for i in range(2):
            answer = t.cirrus(
                "POST",
                SCHEDULE,
                auth=auth,
                json=schedule_body({"ScheduleExtId": DROP}, [candidate(f"C{i}")]),
            )
            assert answer.status_code == 200, answer.json
            seen.append(answer.json["Schedule"]["ScheduleExtId"])
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")
    made(t, schedule_body({"ScheduleExtId": seen[1]}))  # schedule 1, named as schedule 2 would be
    second = made(t, schedule_body({"ScheduleExtId": DROP}, [candidate("CAN-2")]))
    ext_id = second["Schedule"]["ScheduleExtId"]
    assert re.fullmatch(r"[A-Za-z]{6}", ext_id) and ext_id != seen[1]
    assert counts(t)["cirrus_schedule"] == 2


# --- Settings: errorEnvelope --------------------------------------------------------------


def test_error_envelope_content_switches_success_and_errors(t):
    t.settings("cirrus", errorEnvelope="content")
    answer = schedule(t, schedule_body())
    assert answer.status_code == 200, answer.json
    assert list(answer.json) == ["Content", "Success", "Errors"]
    assert answer.json["Success"] is True and answer.json["Errors"] is None
    assert answer.json["Content"]["Result"] == "Schedule[SCH-1] created successfully"
    assert answer.json["Content"]["Schedule"]["ScheduleExtId"] == "SCH-1"
    assert answer.json["Content"]["Candidates"][0]["CandidateExtId"] == "CAN-1"
    content_error(
        schedule(t, schedule_body()), 400, "Schedule with external id [SCH-1] already exists"
    )
    content_error(
        schedule(t, schedule_body({"ScheduleExtId": "SCH-2", "GroupExtId": DROP})),
        400,
        "'Schedule.GroupExtId' should not be empty.",
    )
    added = t.cirrus("POST", ADD_CANDIDATES, json=add_body())
    assert added.status_code == 200, added.json
    assert added.json["Success"] is True and added.json["Errors"] is None
    assert added.json["Content"]["Candidates"][0]["CandidateExtId"] == "CAN-2"
    content_error(
        t.cirrus("POST", ADD_CANDIDATES, json=add_body("NOPE")),
        400,
        "Schedule hasn't been found by external id",
    )
    content_error(
        t.cirrus("POST", SCHEDULE, data="{", content_type="application/json"),
        400,
        "The request body is not valid JSON",
    )
    # Back to the default: the ASP.NET shapes again.
    t.settings("cirrus", errorEnvelope="message")
    bad_request(schedule(t, schedule_body()), "Schedule with external id [SCH-1] already exists")
    assert "Result" in made(t, schedule_body({"ScheduleExtId": "SCH-3"}))


def test_error_envelope_content_leaves_a1_in_the_default_shape(t):
    # A refused token names no tenant, so no tenant's setting applies.
    t.settings("cirrus", errorEnvelope="content")
    message_error(
        t.cirrus("POST", SCHEDULE, json=schedule_body(), auth={}),
        403,
        "Not allowed to use external API",
    )


def test_error_envelope_setting_is_validated(t):
    answer = t.admin("PATCH", "/settings/cirrus", json={"errorEnvelope": "xml"})
    assert answer.status_code == 400, answer.json
    assert t.admin("GET", "/settings/cirrus").json["errorEnvelope"] == "message"


# --- Settings: tenantHost -----------------------------------------------------------------


def test_tenant_host_changes_launch_urls_of_schedules_made_afterwards(t):
    before = made(t)
    assert before["Candidates"][0]["LaunchUrl"].startswith(origin(t) + LAUNCH_PATH)
    host = "https://test-demo.cirrusplatform.com"
    t.settings("cirrus", tenantHost=host + "/")
    after = made(t, schedule_body({"ScheduleExtId": "SCH-2"}))
    linked = after["Candidates"][0]
    assert linked["LaunchUrl"] == host + linked["StartupLink"]
    # The earlier schedule keeps its origin: for candidates added to it, and on an Upsert.
    added = t.cirrus("POST", ADD_CANDIDATES, json=add_body("SCH-1"))
    assert added.status_code == 200, added.json
    assert added.json["Candidates"][0]["LaunchUrl"].startswith(origin(t) + LAUNCH_PATH)
    upserted = schedule(t, schedule_body(candidates=[candidate("CAN-5")], Upsert=True))
    assert upserted.json["Candidates"][0]["LaunchUrl"].startswith(origin(t) + LAUNCH_PATH)
    # ... and the schedule made with the host keeps it after the setting is cleared.
    t.settings("cirrus", tenantHost=None)
    again = t.cirrus("POST", ADD_CANDIDATES, json=add_body("SCH-2", [candidate("CAN-6")]))
    assert again.json["Candidates"][0]["LaunchUrl"].startswith(host + LAUNCH_PATH)
    fresh = made(t, schedule_body({"ScheduleExtId": "SCH-3"}))
    assert fresh["Candidates"][0]["LaunchUrl"].startswith(origin(t) + LAUNCH_PATH)


def test_tenant_host_must_be_a_url(t):
    answer = t.admin("PATCH", "/settings/cirrus", json={"tenantHost": "not a url"})
    assert answer.status_code == 400, answer.json
    assert t.admin("GET", "/settings/cirrus").json["tenantHost"] is None


# --- Settings: defaultTimeZone ------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        ("Europe/Paris", "2030-01-10T10:00:00", "2030-01-10T09:00:00Z"),  # winter, +01:00
        ("Europe/Paris", "2030-07-10T10:00:00", "2030-07-10T08:00:00Z"),  # summer, +02:00
        ("America/New_York", "2030-01-10T04:00:00", "2030-01-10T09:00:00Z"),
        ("UTC", "2030-01-10T09:00:00", "2030-01-10T09:00:00Z"),
    ],
)
def test_default_time_zone_reads_naive_instants(t, zone, local, utc):
    t.settings("cirrus", defaultTimeZone=zone)
    end_local = (datetime.fromisoformat(local) + timedelta(hours=8)).isoformat()
    done = made(t, schedule_body({"StartDateTime": local, "EndDateTime": end_local}))
    assert done["Schedule"]["StartDateTime"] == utc
    assert done["Schedule"]["EndDateTime"] == iso(at(utc) + timedelta(hours=8))


def test_default_time_zone_leaves_instants_with_an_offset_alone(t):
    t.settings("cirrus", defaultTimeZone="Asia/Tokyo")
    done = made(
        t,
        schedule_body(
            {"StartDateTime": "2030-01-10T09:00:00Z", "EndDateTime": "2030-01-10T19:00:00+02:00"}
        ),
    )
    assert done["Schedule"]["StartDateTime"] == "2030-01-10T09:00:00Z"
    assert done["Schedule"]["EndDateTime"] == "2030-01-10T17:00:00Z"


def test_default_time_zone_is_utc_by_default(t):
    done = made(t, schedule_body({"StartDateTime": "2030-01-10T09:00:00.000"}))
    assert done["Schedule"]["StartDateTime"] == "2030-01-10T09:00:00Z"


@pytest.mark.parametrize("zone", ["Nowhere/Land", "", "utc", "../../etc/passwd", "Europe/", 5])
def test_default_time_zone_setting_is_validated(t, zone):
    answer = t.admin("PATCH", "/settings/cirrus", json={"defaultTimeZone": zone})
    assert answer.status_code == 400, answer.json
    assert t.admin("GET", "/settings/cirrus").json["defaultTimeZone"] == "UTC"


# --- Settings: candidatesRequired ---------------------------------------------------------


@pytest.mark.parametrize("candidates", [DROP, []], ids=["missing", "empty"])
def test_candidates_required_false_makes_an_empty_schedule(t, candidates):
    t.settings("cirrus", candidatesRequired=False)
    body = schedule_body()
    if candidates is DROP:
        del body["Candidates"]
    else:
        body["Candidates"] = candidates
    answer = schedule(t, body)
    assert answer.status_code == 200, answer.json
    assert answer.json["Candidates"] == []
    assert info(t, "SCH-1").json["Content"]["Candidates"] == []
    # Candidates that are sent are still checked.
    bad_request(
        schedule(t, schedule_body({"ScheduleExtId": "SCH-2"}, [candidate(Email="nope")])),
        "'Candidates[0].Email' is not a valid email address",
    )


# --- The launch page ----------------------------------------------------------------------


def _launch_path(launch_url: str) -> str:
    parts = urlsplit(launch_url)
    return f"{parts.path}?{parts.query}"


def test_launch_page_names_the_candidate_and_the_assessment(t):
    done = made(
        t,
        schedule_body(
            candidates=[
                candidate("CAN-1"),
                candidate("CAN-2", FirstName="Grace", LastName="Hopper"),
            ]
        ),
    )
    title = assessment(t)["Title"]
    for linked, (first, last) in zip(
        done["Candidates"], [("Ada", "Lovelace"), ("Grace", "Hopper")], strict=True
    ):
        page = t.http.get(_launch_path(linked["LaunchUrl"]))  # no Authorization: public
        assert page.status_code == 200
        assert page.mimetype == "text/html"
        text = page.get_data(as_text=True)
        assert first in text and last in text and title in text


def test_launch_page_escapes_what_the_integration_sent(t):
    done = made(t, schedule_body(candidates=[candidate(FirstName="<script>x</script>")]))
    page = t.http.get(_launch_path(done["Candidates"][0]["LaunchUrl"]))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<script>x</script>" not in text and "&lt;script&gt;x&lt;/script&gt;" in text


def test_launch_page_unknown_session_is_404(t):
    done = made(t)
    session = session_of(done["Candidates"][0])
    base = f"/cirrus/t/{t.id}{LAUNCH_PATH}"
    for query in (f"?session={'0' * 64}", "", "?session=", f"?session={session.lower()}"):
        page = t.http.get(base + query)
        assert page.status_code == 404, query
        assert page.mimetype == "text/html"
        assert "Session not found" in page.get_data(as_text=True)


def test_launch_page_under_another_tenants_path_is_404(http, t):
    done = made(t)
    session = session_of(done["Candidates"][0])
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json["tenant"]
    try:
        page = http.get(f"/cirrus/t/{other}{LAUNCH_PATH}?session={session}")
        assert page.status_code == 404
        assert (
            http.get(f"/cirrus/t/no-such-tenant{LAUNCH_PATH}?session={session}").status_code == 404
        )
    finally:
        http.delete(f"/_sandbox/tenants/{other}")


def test_launch_page_of_a_deleted_schedule_is_404(t):
    done = made(t)
    path = _launch_path(done["Candidates"][0]["LaunchUrl"])
    assert t.http.get(path).status_code == 200
    assert t.cirrus("DELETE", f"{EXTERNAL}/SCH-1").status_code == 200
    assert t.http.get(path).status_code == 404


def test_s6_lower_case_t_and_z_are_rfc3339(t):
    """RFC 3339 (5.6, NOTE) allows "t" and "z" in lower case: read as their upper case."""
    answer = made(t, schedule_body({"StartDateTime": "2030-01-10t09:00:00z"}))
    assert answer["Schedule"]["StartDateTime"] == "2030-01-10T09:00:00Z"
