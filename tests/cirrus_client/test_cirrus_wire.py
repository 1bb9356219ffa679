"""The Cirrus wire format without a network: envelopes, error bodies, ids, instants, models."""

from __future__ import annotations

import datetime as dt

import pytest
from cirrus_samples import HOST, bad_request, failed, ok, schedule_created

from exam_sandbox.client import ConflictError as AnyConflict
from exam_sandbox.client import NotFoundError as AnyNotFound
from exam_sandbox.client import ValidationError as AnyValidation
from exam_sandbox.client.cirrus import (
    ArchiveState,
    Assessment,
    AssessmentStatus,
    Candidate,
    CandidateResults,
    DuplicateError,
    ExternalIdNotFoundError,
    NotAllowedError,
    Purpose,
    ReasonableAdjustmentType,
    ScheduleInfo,
    ScheduleResult,
)
from exam_sandbox.client.cirrus import errors as cirrus_errors
from exam_sandbox.client.cirrus.errors import ERRORS, error_class, existing_id
from exam_sandbox.client.cirrus.wire import (
    content_of,
    errors_of,
    failure_of,
    format_instant,
    parse_instant,
)
from exam_sandbox.client.core.errors import ErrorDetail

# ------------------------------------------------------------------ success envelopes


def test_a_bare_schedule_success_and_its_content_envelope_read_the_same():
    bare = schedule_created("oaOXkn", "C-1", "C-2")
    wrapped = ok(bare)
    assert failure_of(bare) is None and failure_of(wrapped) is None
    assert content_of(bare) is bare and content_of(wrapped) is bare
    one, other = (
        ScheduleResult.from_wire(content_of(bare)),
        ScheduleResult.from_wire(content_of(wrapped)),
    )
    assert one == other
    assert one.result == "Schedule[oaOXkn] created successfully"
    assert one.schedule_ext_id == "oaOXkn"
    assert one.schedule.start == dt.datetime(2030, 5, 1, 9, tzinfo=dt.UTC)
    assert one.schedule.owner == "sandbox-scheduler" and one.schedule.pin is None
    assert [c.candidate_ext_id for c in one.candidates] == ["C-1", "C-2"]
    link = one.candidate("C-2")
    assert link.launch_url == HOST + link.startup_link
    assert link.startup_link == f"/delivery/external-login?session={2:064X}"
    assert one.launch_urls == {c.candidate_ext_id: c.launch_url for c in one.candidates}
    with pytest.raises(KeyError):
        one.candidate("C-9")


def test_the_schedule_id_is_read_from_the_result_text_when_schedule_is_absent():
    answer = ScheduleResult.from_wire({"Result": "Schedule[888991] created successfully"})
    assert answer.schedule is None and answer.schedule_ext_id == "888991"
    assert ScheduleResult.from_wire({"Candidates": []}).schedule_ext_id is None


def test_member_names_match_ignoring_case_and_unknown_ones_stay_in_raw():
    answer = ScheduleResult.from_wire(
        {"result": "ok", "candidates": [{"candidateextid": "C", "launchurl": "u", "New": 1}]}
    )
    assert answer.candidates[0].candidate_ext_id == "C" and answer.candidates[0].launch_url == "u"
    assert answer.candidates[0].raw["New"] == 1


def test_content_of_leaves_a_bare_body_that_happens_to_have_no_envelope():
    assert content_of({"CandidateExtId": "C"}) == {"CandidateExtId": "C"}
    assert content_of(ok("Ext_a_2")) == "Ext_a_2"
    assert content_of({"Success": True, "Errors": None}) == {"Success": True, "Errors": None}
    assert content_of("text") == "text"


# ------------------------------------------------------------------ error bodies


def test_both_error_bodies_give_the_same_message():
    message = "Assessment must be published"
    assert errors_of(bad_request(message)) == [(None, message)]
    assert errors_of(failed(message)) == [(None, message)]


def test_a_message_without_the_bad_request_prefix_is_kept_whole():
    assert errors_of({"Message": "Bad request"}) == [(None, "Bad request")]
    assert errors_of({"Message": "Not allowed to use external API"}) == [
        (None, "Not allowed to use external API")
    ]


def test_errors_as_objects_numeric_codes_and_asp_net_model_state():
    assert errors_of(failed("1103: Review session not found")) == [
        (1103, "1103: Review session not found")
    ]
    body = {"Success": False, "Errors": [{"Code": "7", "Message": "bad", "Field": "Title"}]}
    (detail,) = errors_of(body)
    assert detail == (7, "bad") and detail.field == "Title"
    state = {"Message": "The request is invalid.", "ModelState": {"x.Email": ["bad email"]}}
    (detail,) = errors_of(state)
    assert detail == (None, "bad email") and detail.field == "x.Email"


def test_a_2xx_fails_on_success_false_on_errors_and_on_already_exists():
    assert failure_of(failed("nope")) == [(None, "nope")]
    assert failure_of({"Success": False}) == [(None, "Success: false, with no error message")]
    assert failure_of({"Errors": ["x"]}) == [(None, "x")]
    duplicate = bad_request("Schedule with external id [S-1] already exists")
    assert failure_of(duplicate) == [(None, "Schedule with external id [S-1] already exists")]
    assert failure_of({"Message": "fine"}) is None
    assert failure_of({"Success": True, "Errors": []}) is None
    assert failure_of([1, 2]) is None


# ------------------------------------------------------------------ kinds and duplicates


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Bad request | Schedule with external id [S-1] already exists", "S-1"),
        ("Bad request | Schedule[x] | Schedule with external id [abc-9] already exists", "abc-9"),
        ("Schedule [ spaced ] already exists", "spaced"),
        ("External id [Ext_a_2] is already in use", "Ext_a_2"),
        ("Bad request | [first] | already exists", None),  # not in the last segment
        ("Schedule already exists", None),
    ],
)
def test_existing_id_is_the_bracketed_text_of_the_last_segment(message, expected):
    assert existing_id(message) == expected


@pytest.mark.parametrize("status", [400, 200])
def test_already_exists_on_a_400_or_a_200_is_a_duplicate_with_the_existing_id(status):
    details = errors_of(bad_request("Schedule with external id [S-1] already exists"))
    cls = error_class(status, details)
    assert cls is DuplicateError
    error = cls("dup", status=status, errors=details)
    assert error.existing_id == "S-1"
    assert isinstance(error, AnyConflict) and isinstance(error, AnyValidation)
    assert isinstance(error, cirrus_errors.CirrusError)


def test_an_assessment_id_already_in_use_is_a_duplicate_too():
    details = errors_of(failed("External id [Ext_a_2] is already in use"))
    error = error_class(400, details)("dup", status=400, errors=details)
    assert isinstance(error, DuplicateError) and error.existing_id == "Ext_a_2"


def test_not_found_by_external_id_is_a_not_found_kind_that_is_still_a_400():
    details = errors_of(failed("Schedule hasn't been found by external id"))
    assert error_class(400, details) is ExternalIdNotFoundError
    assert issubclass(ExternalIdNotFoundError, AnyNotFound)
    assert issubclass(ExternalIdNotFoundError, AnyValidation)
    scheduler = errors_of(failed("Scheduler hasn't been set in External API settings"))
    assert error_class(400, scheduler) is ERRORS.validation


def test_403_is_both_auth_kinds_and_the_other_statuses_keep_the_family_mapping():
    assert error_class(403, [ErrorDetail(None, "Not allowed to use external API")]) is (
        NotAllowedError
    )
    assert issubclass(NotAllowedError, ERRORS.authentication)
    assert issubclass(NotAllowedError, ERRORS.permission_denied)
    assert error_class(400, [ErrorDetail(None, "'Title' should not be empty.")]) is (
        ERRORS.validation
    )
    assert error_class(200, [ErrorDetail(None, "x")]) is ERRORS.validation
    assert error_class(404, []) is ERRORS.not_found
    assert error_class(429, []) is ERRORS.rate_limited
    assert error_class(503, []) is ERRORS.server
    assert error_class(500, [ErrorDetail(None, "x already exists")]) is ERRORS.server


# ------------------------------------------------------------------ instants


def test_instants_go_out_in_utc_with_z_to_the_millisecond():
    paris = dt.timezone(dt.timedelta(hours=2))
    assert format_instant(dt.datetime(2021, 4, 21, 9, 30, tzinfo=paris)) == (
        "2021-04-21T07:30:00.000Z"
    )
    assert format_instant(dt.datetime(2021, 4, 21, 7, 30, 5, 123999, tzinfo=dt.UTC)) == (
        "2021-04-21T07:30:05.123Z"
    )
    assert format_instant("2021-04-21T10:30:00+03:00") == "2021-04-21T07:30:00.000Z"
    assert format_instant("2021-04-21T07:30:00Z") == "2021-04-21T07:30:00.000Z"


def test_naive_instants_are_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="no time zone"):
        format_instant(dt.datetime(2021, 4, 21, 7, 30))
    with pytest.raises(ValueError, match="no time zone"):
        format_instant("2021-04-21T07:30:00")
    with pytest.raises(ValueError, match="RFC 3339"):
        format_instant("tomorrow")
    with pytest.raises(TypeError):
        format_instant(dt.date(2021, 4, 21))  # type: ignore[arg-type]


def test_instants_come_back_aware_in_utc():
    assert parse_instant("2018-05-21T10:00:00Z") == dt.datetime(2018, 5, 21, 10, tzinfo=dt.UTC)
    assert parse_instant("2018-05-21T12:00:00.0000000+02:00") == dt.datetime(
        2018, 5, 21, 10, tzinfo=dt.UTC
    )
    naive = parse_instant("2018-05-21T10:00:00")  # the update-schedule sample's form
    assert naive.tzinfo is dt.UTC
    assert parse_instant("soon") == "soon" and parse_instant("") is None


# ------------------------------------------------------------------ models


def test_assessment_info_is_typed():
    a = Assessment.from_wire(
        {
            "Title": "Maths",
            "ExternalId": "MATHS-1",
            "Revision": 3,
            "Purpose": 1,
            "Code": "M1",
            "Status": 2,
            "IsPublished": True,
            "Availability": 0,
            "AvailabilityStartDate": None,
            "Type": 2,
            "AssignmentConnections": [{"Title": "All", "Type": "hierarchy"}],
            "AllowedNumberOfAttempts": None,
            "WhichAttemptCounts": 1,
            "ReasonableAdjustmentType": "PERCENTAGE",
            "MaxTimePerAttempt": 60,
            "ExtraTime": 15,
            "Future": "kept",
        }
    )
    assert a.purpose is Purpose.SUMMATIVE and a.status is AssessmentStatus.LIVE
    assert a.is_published is True and a.max_time_per_attempt == 60 and a.extra_time == 15
    assert a.assessment_type.name == "BLUEPRINT" and a.which_attempt_counts.name == "BEST"
    assert a.reasonable_adjustment_type is ReasonableAdjustmentType.PERCENTAGE
    assert a.assignment_connections[0].type == "hierarchy"
    assert a.raw["Future"] == "kept"
    assert Assessment.from_wire({"Purpose": 9}).purpose == 9  # unknown: kept as it came


def test_schedule_info_is_typed():
    info = ScheduleInfo.from_wire(
        {
            "ExternalId": "EXT_sch_1",
            "Title": "Maths",
            "StartDateTime": "2018-05-21T10:00:00Z",
            "EndDateTime": "2018-05-21T12:00:00Z",
            "Hierarchy": {"ExternalId": "H1", "FullPath": "Root/H1"},
            "ArchiveState": 1,
            "IsActivated": True,
            "Candidates": [{"ExternalId": "C-1", "FirstName": "Ada", "UserName": "ada"}],
            "Invigilators": [{"FirstName": "I", "LastName": "V", "UserName": "iv"}],
            "SharingInformation": [{"ExternalId": "U1", "Email": "u@example.org"}],
        }
    )
    assert info.archive_state is ArchiveState.ACTIVE and info.is_activated is True
    assert info.hierarchy.full_path == "Root/H1" and info.candidate_ext_ids == ["C-1"]
    assert info.invigilators[0].user_name == "iv"
    assert info.sharing_information[0].email == "u@example.org"
    assert info.end - info.start == dt.timedelta(hours=2)


def test_results_find_the_published_attempts_wherever_they_are_nested():
    body = {
        "CandidateExtId": "C-1",
        "CandidateInfo": {"ExternalId": "C-1", "FirstName": "Ada", "LastName": "Lovelace"},
        "Schedules": [
            {
                "ScheduleExtId": "S-1",
                "AssessmentExtId": "MATHS-1",
                "Attempts": [
                    {"AttemptExtId": "T-1", "MaxScore": 100, "TotalScore": "72.5"},
                    {"AttemptExtId": "T-2", "AssessmentExtId": "OTHER", "Score": 40},
                ],
            }
        ],
    }
    results = CandidateResults.from_wire(body)
    assert results.candidate_ext_id == "C-1" and results.candidate_info.last_name == "Lovelace"
    first, second = results.attempts
    assert first.attempt_ext_id == "T-1" and first.score == 72.5  # MaxScore ranks last
    assert first.scores == {"MaxScore": 100, "TotalScore": 72.5}
    assert (first.schedule_ext_id, first.assessment_ext_id, first.candidate_ext_id) == (
        "S-1",
        "MATHS-1",
        "C-1",
    )
    assert second.assessment_ext_id == "OTHER" and second.score == 40
    assert results.attempt("T-2") is second and second.raw["Score"] == 40
    assert results.raw["Schedules"][0]["ScheduleExtId"] == "S-1"


def test_results_that_are_one_attempt_or_none():
    one = CandidateResults.from_wire({"CandidateExtId": "C", "AttemptExtId": "T", "Score": 9})
    assert [a.attempt_ext_id for a in one.attempts] == ["T"] and one.attempts[0].score == 9
    none = CandidateResults.from_wire({"CandidateExtId": "C", "CandidateInfo": {}})
    assert none.attempts == [] and none.candidate_info is not None


def test_a_candidate_goes_out_in_the_wire_names_without_empty_members():
    c = Candidate(
        "C-1",
        "Ada",
        "Lovelace",
        "ada@example.org",
        special_needs=True,
        reasonable_adjustment_percentage=20,
        password="pw",
    )
    assert c.to_wire() == {
        "CandidateExtId": "C-1",
        "FirstName": "Ada",
        "LastName": "Lovelace",
        "Email": "ada@example.org",
        "Password": "pw",
        "SpecialNeeds": True,
        "ReasonableAdjustmentPercentage": 20,
    }
    assert "pw" not in repr(c)
