"""CirrusClient against a real local HTTP server answering as Cirrus does: what goes on
the wire (paths, auth, bodies, instants) and what comes back (types, errors by kind)."""

from __future__ import annotations

import datetime as dt

import pytest
from cirrus_samples import (
    API,
    HOST,
    TOKEN,
    bad_request,
    candidate_link,
    failed,
    ok,
    schedule_created,
)

import exam_sandbox.client as neutral
from exam_sandbox.client.cirrus import (
    Candidate,
    CirrusClient,
    CirrusError,
    DuplicateError,
    ExternalIdNotFoundError,
    NotAllowedError,
    Purpose,
    ServerError,
    ValidationError,
    Workflow,
)

START = dt.datetime(2030, 5, 1, 9, 0, tzinfo=dt.UTC)
ADA = Candidate("C-1", "Ada", "Lovelace", "ada@example.org")


def schedule(cirrus: CirrusClient, **overrides):
    args = dict(
        assessment_ext_id="MATHS-1",
        start=START,
        group_ext_id="CLASS-7",
        group_name="Class 7",
        candidates=[ADA],
    )
    return cirrus.schedule_test(**{**args, **overrides})


# ------------------------------------------------------------------ auth


def test_the_token_goes_as_eapi_space_token_by_default(vendor, cirrus):
    vendor.reply(200, ok({"ExternalId": "MATHS-1"}))
    cirrus.get_assessment("MATHS-1")
    request = vendor.last
    assert request.header("Authorization") == f"EAPI {TOKEN}"
    assert request.header("Accept") == "application/json"
    assert request.header("User-Agent").startswith("exam-sandbox-cirrus-client/")


def test_the_no_space_form_is_an_option(vendor):
    vendor.reply(200, ok({"ExternalId": "MATHS-1"}))
    with CirrusClient(vendor.url, TOKEN, auth_style="nospace") as cirrus:
        cirrus.get_assessment("MATHS-1")
    assert vendor.last.header("Authorization") == f"EAPI{TOKEN}"


def test_a_token_pasted_with_its_scheme_is_sent_once(vendor):
    vendor.reply(200, ok({}))
    with CirrusClient(vendor.url, f"  EAPI {TOKEN} ") as cirrus:
        cirrus.get_assessment("A")
    assert vendor.last.header("Authorization") == f"EAPI {TOKEN}"


def test_bad_arguments_are_refused_before_any_request():
    with pytest.raises(ValueError, match="auth_style"):
        CirrusClient("http://127.0.0.1:9", TOKEN, auth_style="bearer")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        CirrusClient("http://127.0.0.1:9", " ")
    with pytest.raises(ValueError, match="whitespace"):
        CirrusClient("http://127.0.0.1:9", "ab cd")
    with pytest.raises(ValueError, match="http"):
        CirrusClient("api.cirrusplatform.com", TOKEN)
    client = CirrusClient("http://127.0.0.1:9/x/", TOKEN)
    assert TOKEN not in repr(client) and client.base_url == "http://127.0.0.1:9/x"
    with pytest.raises(ValueError, match="candidate_ext_id= or attempt_ext_id="):
        client.get_results(schedule_ext_id="S-1")


def test_403_not_allowed_is_catchable_as_either_auth_kind(vendor, cirrus):
    vendor.reply(403, failed("Not allowed to use external API"))
    with pytest.raises(NotAllowedError) as info:
        cirrus.get_schedule("S-1")
    assert isinstance(info.value, neutral.AuthenticationError)
    assert isinstance(info.value, neutral.PermissionDeniedError)
    assert info.value.status == 403 and info.value.messages == ["Not allowed to use external API"]
    assert len(vendor.requests) == 1  # not retried


def test_a_plain_text_403_still_carries_its_message(vendor, cirrus):
    vendor.reply(403, "Not allowed to use external API")
    with pytest.raises(NotAllowedError) as info:
        cirrus.delete_schedule("S-1")
    assert info.value.messages == ["Not allowed to use external API"]


# ------------------------------------------------------------------ POST /schedule


def test_schedule_test_sends_the_documented_body_and_surfaces_launch_urls(vendor, cirrus):
    vendor.reply(200, schedule_created("oaOXkn", "C-1", "C-2"))
    bob = {
        "candidate_ext_id": "C-2",
        "first_name": "Bob",
        "last_name": "B",
        "email": "b@example.org",
        "attempt_ext_id": "T-2",
    }
    paris = dt.timezone(dt.timedelta(hours=2))
    booked = schedule(
        cirrus,
        candidates=[ADA, bob],
        start=dt.datetime(2030, 5, 1, 11, 0, tzinfo=paris),
        end="2030-05-01T11:00:00Z",
        title="Maths",
        lock_exam_on_connection_loss=True,
        workflow="external attempts",
        upsert=False,
    )
    request = vendor.last
    assert (request.method, request.path, request.query) == ("POST", f"{API}/schedule", {})
    assert request.header("Content-Type") == "application/json"
    assert request.json() == {
        "Workflow": "EXTERNAL_ATTEMPTS",
        "Upsert": False,
        "Schedule": {
            "AssessmentExtId": "MATHS-1",
            "Title": "Maths",
            "StartDateTime": "2030-05-01T09:00:00.000Z",
            "EndDateTime": "2030-05-01T11:00:00.000Z",
            "GroupExtId": "CLASS-7",
            "GroupName": "Class 7",
            "LockExamOnConnectionLoss": True,
        },
        "Candidates": [
            {
                "CandidateExtId": "C-1",
                "FirstName": "Ada",
                "LastName": "Lovelace",
                "Email": "ada@example.org",
            },
            {
                "CandidateExtId": "C-2",
                "FirstName": "Bob",
                "LastName": "B",
                "Email": "b@example.org",
                "AttemptExtId": "T-2",
            },
        ],
    }
    assert booked.schedule_ext_id == "oaOXkn"
    assert booked.launch_urls == {
        "C-1": f"{HOST}/delivery/external-login?session={1:064X}",
        "C-2": f"{HOST}/delivery/external-login?session={2:064X}",
    }


def test_schedule_test_reads_the_content_envelope_and_can_post_with_type_json(vendor, cirrus):
    vendor.reply(200, ok(schedule_created("S-9")))
    booked = schedule(cirrus, schedule_ext_id="S-9", type_json=True, workflow=Workflow.DEFAULT)
    assert vendor.last.query == {"type": ["json"]}
    assert vendor.last.json()["Workflow"] == "DEFAULT"
    assert booked.schedule_ext_id == "S-9" and booked.candidate("C-1").launch_url.startswith(HOST)


def test_a_wire_shaped_candidate_mapping_is_sent_as_given(vendor, cirrus):
    vendor.reply(200, schedule_created())
    wire = {
        "CandidateExtId": "C-1",
        "FirstName": "A",
        "LastName": "B",
        "Email": "e@x.org",
        "Photo": None,
        "Extra": "x",
    }
    schedule(cirrus, candidates=wire)
    assert vendor.last.json()["Candidates"] == [
        {
            "CandidateExtId": "C-1",
            "FirstName": "A",
            "LastName": "B",
            "Email": "e@x.org",
            "Extra": "x",
        }
    ]


@pytest.mark.parametrize("status", [400, 200])
def test_a_duplicate_schedule_is_a_duplicate_error_with_the_existing_id(vendor, cirrus, status):
    vendor.reply(status, bad_request("Schedule with external id [S-1] already exists"))
    with pytest.raises(DuplicateError) as info:
        schedule(cirrus, schedule_ext_id="S-1")
    error = info.value
    assert error.existing_id == "S-1" and error.status == status
    assert error.messages == ["Schedule with external id [S-1] already exists"]
    assert isinstance(error, neutral.ConflictError) and isinstance(error, ValidationError)
    assert len(vendor.requests) == 1


def test_a_refusal_in_either_envelope_is_a_validation_error_with_the_message(vendor, cirrus):
    vendor.reply(400, bad_request("Assessment must be published"))
    vendor.reply(400, failed("Assessment must be published"))
    vendor.reply(200, failed("Assessment must be published"))  # the Content site setting
    for _ in range(3):
        with pytest.raises(ValidationError) as info:
            schedule(cirrus)
        assert info.value.messages == ["Assessment must be published"]
        assert not isinstance(info.value, DuplicateError | ExternalIdNotFoundError)
    assert [r.method for r in vendor.requests] == ["POST"] * 3  # a 400 is not retried


def test_add_candidates_posts_the_schedule_and_returns_their_links(vendor, cirrus):
    vendor.reply(200, {"Candidates": [candidate_link("C-3")]})
    added = cirrus.add_candidates(
        "S-1",
        group_ext_id="CLASS-7",
        group_name="Class 7",
        candidates=Candidate("C-3", "Cy", "D", "c@example.org"),
    )
    assert vendor.last.path == f"{API}/schedule/add-candidates"
    assert vendor.last.json() == {
        "Schedule": {"ScheduleExtId": "S-1", "GroupExtId": "CLASS-7", "GroupName": "Class 7"},
        "Candidates": [
            {"CandidateExtId": "C-3", "FirstName": "Cy", "LastName": "D", "Email": "c@example.org"}
        ],
    }
    assert added.schedule is None and added.candidate("C-3").launch_url.startswith(HOST)


def test_add_candidates_to_an_unknown_schedule_is_not_found(vendor, cirrus):
    vendor.reply(400, bad_request("Schedule hasn't been found by external id"))
    with pytest.raises(neutral.NotFoundError) as info:
        cirrus.add_candidates("NOPE", group_ext_id="G", group_name="G", candidates=[ADA])
    assert isinstance(info.value, ExternalIdNotFoundError) and info.value.status == 400


# ------------------------------------------------------------------ assessments


def test_create_assessment_returns_the_external_id(vendor, cirrus):
    vendor.reply(200, ok("Ext_a_2"))
    made = cirrus.create_assessment(
        title="Maths", purpose="formative", code="M1", max_time_per_attempt=60, extra_time=15
    )
    assert made == "Ext_a_2"
    assert vendor.last.path == f"{API}/assessment"
    assert vendor.last.json() == {
        "Title": "Maths",
        "Purpose": 2,
        "Code": "M1",
        "MaxTimePerAttempt": 60,
        "ExtraTime": 15,
    }


def test_a_create_returns_the_id_in_content_whatever_its_shape(vendor, cirrus):
    vendor.reply(200, ok({"ExternalId": "Ext_a_3"}))
    vendor.reply(200, ok(None))
    assert cirrus.create_assessment(title="T", purpose=1, code="C") == "Ext_a_3"
    made = cirrus.create_schedule(assessment_ext_id="A", start=START, schedule_ext_id="S-4")
    assert made == "S-4"  # no id in the answer: the one sent


def test_create_assessment_with_a_taken_id_is_a_duplicate(vendor, cirrus):
    vendor.reply(400, failed("External id [Ext_a_2] is already in use"))
    with pytest.raises(DuplicateError) as info:
        cirrus.create_assessment(external_id="Ext_a_2", title="T", purpose=Purpose.MIXED, code="C")
    assert info.value.existing_id == "Ext_a_2"
    assert vendor.last.json()["Purpose"] == 3
    with pytest.raises(ValueError, match="purpose"):
        cirrus.create_assessment(title="T", purpose="grand", code="C")


def test_get_assessment_quotes_the_id_and_types_the_answer(vendor, cirrus):
    vendor.reply(200, ok({"ExternalId": "A/1 x", "IsPublished": False, "Purpose": 3}))
    got = cirrus.get_assessment("A/1 x")
    assert vendor.last.target == f"{API}/assessment/A%2F1%20x"
    assert got.external_id == "A/1 x" and got.is_published is False
    assert got.purpose is Purpose.MIXED


# ------------------------------------------------------------------ /external/schedule


def test_create_schedule_uses_the_external_endpoints_own_names(vendor, cirrus):
    vendor.reply(200, ok("EXT_sch_1"))
    made = cirrus.create_schedule(
        assessment_ext_id="MATHS-1",
        start=START,
        schedule_ext_id="EXT_sch_1",
        hierarchy_ext_id="H1",
        pin="1234",
        use_proctorio=False,
        owner="me",
    )
    assert made == "EXT_sch_1" and vendor.last.path == f"{API}/external/schedule"
    assert vendor.last.json() == {
        "AssessmentExternalId": "MATHS-1",
        "StartDateTime": "2030-05-01T09:00:00.000Z",
        "ScheduleExternalId": "EXT_sch_1",
        "HierarchyExternalId": "H1",
        "PIN": "1234",
        "UseProctorIo": False,
        "Owner": "me",
    }


def test_get_update_and_delete_schedule(vendor, cirrus):
    vendor.reply(
        200, ok({"ExternalId": "S-1", "IsActivated": True, "Candidates": [{"ExternalId": "C-1"}]})
    )
    vendor.reply(200, ok(None))
    vendor.reply(200, {"Success": True, "Errors": None})
    info = cirrus.get_schedule("S-1")
    assert info.is_activated is True and info.candidate_ext_ids == ["C-1"]
    updated = cirrus.update_schedule("S-1", start=START, title="New", pin="0000")
    deleted = cirrus.delete_schedule("S-1")
    get, patch, delete = vendor.requests
    assert (get.method, get.path) == ("GET", f"{API}/external/schedule/S-1")
    assert (patch.method, patch.path) == ("PATCH", f"{API}/external/schedule/S-1")
    assert patch.json() == {
        "StartDateTime": "2030-05-01T09:00:00.000Z",
        "Title": "New",
        "PIN": "0000",
    }
    assert (delete.method, delete.path, delete.body) == (
        "DELETE",
        f"{API}/external/schedule/S-1",
        b"",
    )
    assert updated.success is True and deleted.success is True


def test_a_pin_on_an_activated_schedule_is_refused_and_not_retried(vendor, cirrus, sleeps):
    vendor.reply(400, failed("'PIN' can only be changed on a schedule that is not activated"))
    with pytest.raises(ValidationError):
        cirrus.update_schedule("S-1", start=START, pin="1234")
    assert len(vendor.requests) == 1 and sleeps == []


def test_deleting_an_unknown_schedule_is_not_found(vendor, cirrus):
    vendor.reply(400, failed("Schedule hasn't been found by external id"))
    with pytest.raises(ExternalIdNotFoundError) as info:
        cirrus.delete_schedule("NOPE")
    assert info.value.messages == ["Schedule hasn't been found by external id"]


# ------------------------------------------------------------------ results


def test_get_results_by_candidate_and_schedule(vendor, cirrus):
    vendor.reply(
        200,
        {
            "CandidateExtId": "C-1",
            "CandidateInfo": {"ExternalId": "C-1", "FirstName": "Ada"},
            "Attempts": [{"AttemptExtId": "T-1", "Score": 81}],
        },
    )
    results = cirrus.get_results(candidate_ext_id="C-1", schedule_ext_id="S-1")
    assert vendor.last.path == f"{API}/results"
    assert vendor.last.query == {"CandidateExtId": ["C-1"], "ScheduleExtId": ["S-1"]}
    assert results.candidate_info.first_name == "Ada"
    assert [(a.attempt_ext_id, a.score) for a in results.attempts] == [("T-1", 81)]


def test_get_results_by_attempt_in_the_content_envelope(vendor, cirrus):
    vendor.reply(
        200,
        ok({"CandidateExtId": "C-1", "Results": [{"AttemptExtId": "T-7", "ScorePercent": 64.5}]}),
    )
    results = cirrus.get_results(attempt_ext_id="T-7")
    assert vendor.last.query == {"AttemptExtId": ["T-7"]}
    assert results.attempt("T-7").score == 64.5


def test_get_results_without_a_candidate_or_attempt_is_refused_without_a_call(vendor, cirrus):
    # every call counts against the daily limit: this one would only earn a 400
    with pytest.raises(ValueError, match="candidate_ext_id= or attempt_ext_id="):
        cirrus.get_results(candidate_ext_id="", schedule_ext_id="S-1")
    assert vendor.requests == []


def test_a_missing_parameter_named_by_cirrus_is_a_validation_error(vendor, cirrus):
    vendor.reply(400, failed("'CandidateExtId' should not be empty."))
    with pytest.raises(ValidationError) as info:
        cirrus.request("GET", "results", params={"ScheduleExtId": "S-1"})
    assert info.value.messages == ["'CandidateExtId' should not be empty."]
    assert vendor.last.query == {"ScheduleExtId": ["S-1"]}


# ------------------------------------------------------------------ other failures


def test_a_2xx_body_that_is_not_json_is_the_base_error(vendor, cirrus):
    vendor.reply(200, "<html>maintenance</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(CirrusError, match="not JSON") as info:
        cirrus.get_assessment("A")
    assert type(info.value) is CirrusError and info.value.status == 200


def test_a_5xx_on_post_is_a_server_error_at_once(vendor, cirrus, sleeps):
    vendor.reply(500, {"Message": "An error has occurred."})
    with pytest.raises(ServerError) as info:
        schedule(cirrus)
    assert info.value.messages == ["An error has occurred."]
    assert len(vendor.requests) == 1 and sleeps == []


def test_a_5xx_on_get_is_retried_with_backoff_then_raised(vendor, cirrus, sleeps):
    for _ in range(4):
        vendor.reply(503)
    with pytest.raises(ServerError):
        cirrus.get_schedule("S-1")
    assert len(vendor.requests) == 4 and len(sleeps) == 3  # retries=3 by default
    assert all(0 < s <= 30 for s in sleeps)


def test_every_error_is_a_cirrus_error_and_the_neutral_kind():
    for cls in (DuplicateError, ExternalIdNotFoundError, NotAllowedError, ServerError):
        assert issubclass(cls, CirrusError) and issubclass(cls, neutral.ApiError)
