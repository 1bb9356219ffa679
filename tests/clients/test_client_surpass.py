"""SurpassClient against a scripted stand-in for the vendor (JSON on the wire)."""

from __future__ import annotations

import base64
import builtins
import datetime as dt
import email.utils
import socket
import time

import pytest
import requests

from exam_sandbox.client.core import errors
from exam_sandbox.client.surpass import (
    ApiConnectionError,
    ApiTimeoutError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    SurpassClient,
    SurpassError,
    ValidationError,
)
from exam_sandbox.client.surpass.models import (
    Candidate,
    ExamState,
    ReasonableAdjustments,
    Ref,
    ScheduleResult,
    TestSession,
    UnlockOverride,
    VoidReason,
    WriteResult,
)
from exam_sandbox.client.surpass.query import F

CANDIDATE = {
    "id": 5, "reference": "CAND0005", "href": "http://h/surpass/api/v2/Candidate/5",
    "firstName": "Ann", "middleName": None, "lastName": "Smith",
    "dateOfBirth": "1990-01-31T00:00:00", "gender": "Female", "email": "ann@example.com",
    "tel": None, "uln": None, "reasonableAdjustments": False, "retired": False,
    "expiryDate": None, "isExternal": False,
    "centres": [{"id": 1, "reference": "C1", "href": "http://h/surpass/api/v2/Centre/1"}],
    "subjects": [], "extendedDemographics": None,
}


# ----------------------------------------------------------------- requests on the wire


def test_basic_auth_accept_and_user_agent(server, surpass, env):
    server.reply(200, env.page([CANDIDATE]))
    candidate = surpass.get_candidate(5)
    req = server.requests[0]
    assert (req.method, req.path) == ("GET", "/surpass/api/v2/Candidate/5")
    token = base64.b64encode(b"alice:s3cret").decode()
    assert req.header("Authorization") == f"Basic {token}"
    assert req.header("Accept") == "application/json"
    assert req.header("User-Agent").startswith("exam-sandbox-surpass-client/")
    assert candidate.first_name == "Ann"
    assert candidate.date_of_birth == dt.date(1990, 1, 31)
    assert candidate.centres == [Ref(id=1, reference="C1", href="http://h/surpass/api/v2/Centre/1")]


def test_get_by_reference_uses_the_query_string(server, surpass, env):
    server.reply(200, env.page([CANDIDATE]))
    surpass.get_candidate("CAND 0005")
    req = server.requests[0]
    assert req.path == "/surpass/api/v2/Candidate"
    assert req.query == {"reference": "CAND 0005"}


def test_get_by_id_that_comes_back_empty_is_not_found(server, surpass, env):
    server.reply(200, env.page([]))
    with pytest.raises(NotFoundError):
        surpass.get_centre(99)


def test_base_url_may_include_api_v2_and_trailing_slash(server, make_client, env):
    client = make_client(base_url=server.url + "/surpass/api/v2/")
    server.reply(200, env.page([{"id": 1, "name": "England", "code": "GB"}]))
    assert client.get_country(1).name == "England"
    assert server.requests[0].path == "/surpass/api/v2/Country/1"


# ----------------------------------------------------------------- error kinds


@pytest.mark.parametrize(
    ("status", "kind", "neutral"),
    [
        (400, ValidationError, errors.ValidationError),
        (401, AuthenticationError, errors.AuthenticationError),
        (403, PermissionDeniedError, errors.PermissionDeniedError),
        (404, NotFoundError, errors.NotFoundError),
        (409, ConflictError, errors.ConflictError),  # the kind Janison had alone
        (429, RateLimitedError, errors.RateLimitedError),
        (500, ServerError, errors.ServerError),
        (503, ServerError, errors.ServerError),
    ],
)
def test_status_maps_to_error_kind(server, make_client, env, status, kind, neutral):
    client = make_client(retries=0)
    headers = {"WWW-Authenticate": 'Basic realm="Surpass"'} if status == 401 else {}
    body = env.error((status, f"failed with {status}"), write=False)
    server.reply(status, body, headers=headers)
    with pytest.raises(kind) as info:
        client.get_candidate(1)
    err = info.value
    assert isinstance(err, SurpassError) and isinstance(err, errors.ApiError)
    assert isinstance(err, neutral)
    assert err.status == status
    assert err.errors == [(status, f"failed with {status}")]
    assert err.response is not None and err.response.status_code == status
    assert f"failed with {status}" in str(err)


def test_validation_error_carries_every_error(server, surpass, env):
    server.reply(400, env.error((1001, "startDate must be in the format DD/MM/YYYY"),
                                (1002, "startTime must be in the format HHMM")))
    with pytest.raises(ValidationError) as info:
        surpass.create_centre(name="x")
    assert info.value.errors == [
        (1001, "startDate must be in the format DD/MM/YYYY"),
        (1002, "startTime must be in the format HHMM"),
    ]
    assert info.value.errors[1].code == 1002
    assert "DD/MM/YYYY" in str(info.value) and "HHMM" in str(info.value)


def test_other_statuses_are_plain_surpass_errors(server, surpass, env):
    server.reply(405, env.error((405, "The requested resource does not support DELETE")))
    with pytest.raises(SurpassError) as info:
        surpass.request("DELETE", "Candidate/1")
    assert type(info.value) is SurpassError
    assert info.value.status == 405


def test_error_without_a_surpass_body_still_maps(server, make_client):
    client = make_client(retries=0)
    server.reply(502, "<html>Bad gateway</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(ServerError) as info:
        client.get_test(1)
    assert info.value.errors == []
    assert info.value.status == 502


def test_200_with_errors_is_an_error(server, surpass, env):
    body = env.write(5, "CAND0005")
    body["errors"] = [{"ErrorCode": 17, "Message": "Candidate reference already exists"}]
    server.reply(200, body)
    with pytest.raises(ValidationError) as info:
        surpass.create_candidate(first_name="A", last_name="B", date_of_birth=dt.date(2000, 1, 1))
    assert info.value.status == 200
    assert info.value.errors == [(17, "Candidate reference already exists")]


def test_200_with_a_404_error_code_is_not_found(server, surpass, env):
    server.reply(200, env.error((404, "Candidate not found"), write=False))
    with pytest.raises(NotFoundError):
        surpass.get_candidate(1)


def test_200_with_a_body_that_is_no_envelope(server, surpass):
    server.reply(200, "<html><body>Login</body>", headers={"Content-Type": "text/html"})
    with pytest.raises(SurpassError, match="not a Surpass envelope"):
        surpass.get_candidate(1)


# ----------------------------------------------------------------- retries


def test_get_is_retried_on_503_then_succeeds(server, surpass, env, sleeps):
    server.reply(503, env.error((503, "busy"), write=False))
    server.reply(503, env.error((503, "busy"), write=False))
    server.reply(200, env.page([CANDIDATE]))
    assert surpass.get_candidate(5).id == 5
    assert len(server.requests) == 3
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0  # 0.5 * 2**n, equal jitter


def test_post_is_never_retried(server, surpass, env, sleeps):
    server.reply(503, env.error((503, "busy")))
    with pytest.raises(ServerError):
        surpass.schedule_test(test=1, centre=1, candidate=1, start_date=dt.date(2025, 1, 1),
                              start_time=dt.time(9), end_time=dt.time(17))
    assert len(server.requests) == 1
    assert sleeps == []


def test_put_and_delete_are_retried(server, surpass, env):
    server.reply(502)
    server.reply(200, env.write(3, "C3"))
    server.reply(500)
    server.reply(200, env.write())
    assert surpass.update_centre(3, town="Leeds").id == 3
    assert surpass.delete_centre(3) == WriteResult(server_time_zone=env.tz)
    assert [r.method for r in server.requests] == ["PUT", "PUT", "DELETE", "DELETE"]


def test_retries_are_bounded(server, make_client, env, sleeps):
    client = make_client(retries=2)
    for _ in range(3):
        server.reply(503, env.error((503, "busy"), write=False))
    with pytest.raises(ServerError):
        client.get_subject(1)
    assert len(server.requests) == 3
    assert len(sleeps) == 2


def test_429_retry_after_seconds_is_honoured(server, surpass, env, sleeps):
    server.reply(429, env.error((429, "slow down"), write=False), headers={"Retry-After": "7"})
    server.reply(200, env.page([CANDIDATE]))
    assert surpass.get_candidate(5).id == 5
    assert sleeps == [7.0]


def test_429_retry_after_http_date_is_honoured(server, surpass, env, sleeps):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.reply(429, env.error((429, "slow down"), write=False), headers={"Retry-After": when})
    server.reply(200, env.page([CANDIDATE]))
    surpass.get_candidate(5)
    assert len(sleeps) == 1 and 25 <= sleeps[0] <= 31


def test_retry_after_beyond_the_cap_gives_up_at_once(server, surpass, env, sleeps):
    server.reply(429, env.error((429, "come back tomorrow"), write=False),
                 headers={"Retry-After": "86400"})
    with pytest.raises(RateLimitedError) as info:
        surpass.get_candidate(5)
    assert info.value.retry_after == 86400
    assert sleeps == [] and len(server.requests) == 1


def test_connection_refused_is_retried_then_raised(make_client, sleeps):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}/surpass", retries=2)
    with pytest.raises(ApiConnectionError) as info:
        client.get_candidate(1)
    assert isinstance(info.value, builtins.ConnectionError)
    assert isinstance(info.value.__cause__, requests.ConnectionError)
    assert info.value.status is None
    assert len(sleeps) == 2


def test_read_timeout(server, make_client, env, sleeps):
    client = make_client(timeout=0.2, retries=1)
    server.reply(200, env.page([CANDIDATE]), delay=0.6)
    server.reply(200, env.page([CANDIDATE]), delay=0.6)
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError) as info:
        client.get_candidate(5)
    assert time.monotonic() - started < 1.0
    assert isinstance(info.value, builtins.TimeoutError)
    assert len(sleeps) == 1


def test_per_call_timeout_override(server, make_client, env):
    client = make_client(timeout=30, retries=0)
    server.reply(200, env.page([CANDIDATE]), delay=0.5)
    with pytest.raises(ApiTimeoutError):
        client.get_candidate(5, timeout=0.1)


# ----------------------------------------------------------------- paging


def _three_pages(server, env, total=100):
    rows = [dict(CANDIDATE, id=i, reference=f"CAND{i:04d}") for i in range(1, total + 1)]

    def route(req):
        top, skip = int(req.query.get("$top", 40)), int(req.query.get("$skip", 0))
        base = f"{server.url}/surpass/api/v2/Candidate?$top={top}"
        nxt = f"{base}&$skip={skip + top}" if skip + top < total else None
        prev = f"{base}&$skip={max(skip - top, 0)}" if skip else None
        return env.page(rows[skip:skip + top], count=total, top=top, skip=skip,
                        next_link=nxt, prev_link=prev)

    server.route = route


def test_iterator_is_lazy_and_follows_next_page_link(server, surpass, env):
    _three_pages(server, env)
    it = surpass.iter_candidates()
    assert server.requests == []
    first = next(it)
    assert first.id == 1 and len(server.requests) == 1
    assert it.count == 100
    rest = [next(it) for _ in range(39)]
    assert rest[-1].id == 40 and len(server.requests) == 1
    assert next(it).id == 41 and len(server.requests) == 2
    assert [c.id for c in it] == list(range(42, 101))
    assert [r.query.get("$skip") for r in server.requests] == [None, "40", "80"]
    assert all(r.query["$top"] == "40" for r in server.requests)


def test_limit_stops_fetching(server, surpass, env):
    _three_pages(server, env)
    assert len(list(surpass.iter_candidates(limit=45))) == 45
    assert len(server.requests) == 2


def test_pages_and_page_metadata(server, surpass, env):
    _three_pages(server, env)
    page = surpass.candidates_page(top=10, skip=20)
    assert server.requests[0].query == {"$top": "10", "$skip": "20"}
    assert [c.id for c in page] == list(range(21, 31))
    assert (page.count, page.top, page.skip, page.page_count) == (100, 10, 20, 10)
    assert page.has_next and page.prev_page_link.endswith("$skip=10")
    pages = list(surpass.iter_candidates().pages())
    assert [len(p) for p in pages] == [40, 40, 20]


def test_next_page_link_on_another_origin_stays_on_ours(server, surpass, env):
    foreign = "https://internal.example:9443/surpass/api/v2/Candidate?$top=40&$skip=40"
    server.reply(200, env.page([CANDIDATE], count=41, top=40, skip=0, next_link=foreign))
    server.reply(200, env.page([CANDIDATE], count=41, top=40, skip=40))
    assert len(list(surpass.iter_candidates())) == 2
    second = server.requests[1]
    assert second.path == "/surpass/api/v2/Candidate"
    assert second.query == {"$top": "40", "$skip": "40"}
    assert second.header("Authorization") is not None


def test_a_next_page_link_loop_is_detected(server, surpass, env):
    link = f"{server.url}/surpass/api/v2/Candidate?$top=40&$skip=40"
    server.route = lambda req: env.page([CANDIDATE], count=999, next_link=link)
    with pytest.raises(SurpassError, match="repeats"):
        list(surpass.iter_candidates())


def test_filters_and_ordering_reach_the_query(server, surpass, env):
    server.reply(200, env.page([]))
    list(surpass.iter_candidates(where={"lastName": "O'Neil", "retired": False},
                                 contains={"firstName": "an"}, order_by=["lastName", "-id"]))
    req = server.requests[0]
    assert req.query == {
        "$top": "40",
        "$filter": "lastName eq 'O''Neil' and retired eq false and contains(firstName,'an')",
        "$orderBy": "lastName,id desc",
    }
    assert req.raw_query.startswith("$top=40&$filter=lastName%20eq%20'O''Neil'")


def test_filter_builder_and_extra_params(server, surpass, env):
    server.reply(200, env.page([]))
    flt = (F("centre") / "reference" == "C1") & (F("state") == ExamState.SCHEDULED_BUT_NOT_CREATED)
    surpass.test_sessions_page(filter=flt, params={"showTestForm": True})
    assert server.requests[0].query == {
        "$top": "40", "$filter": "centre/reference eq 'C1' and state eq 1", "showTestForm": "true"}


# ----------------------------------------------------------------- TestSchedule


def test_schedule_test_json_body_matches_the_wire_doc(server, surpass, env):
    server.reply(200, env.write(
        812, "H76RBD8P", f"{server.url}/surpass/api/v2/TestSession/812",
        keycode="H76RBD8P", pin="123456", candidate={"id": 5, "reference": "CAND0005"}))
    result = surpass.schedule_test(
        test=3, centre="C1", candidate=Ref(reference="CAND0005"),
        start_date=dt.date(2025, 3, 7), end_date=dt.date(2025, 3, 9),
        start_time=dt.time(9, 0), end_time=dt.time(17, 30),
        test_form=Ref(id=9), subject="MATHS", requires_invigilation=True,
        allow_multiple_open_sessions=False, test_tags=["mock", "spring"],
        reasonable_adjustments=ReasonableAdjustments(extra_time_min=15, reason="RA"),
        unlock_override=UnlockOverride(unlock_for_whole_day=True, days_after_to_lock=2),
        language="en", auto_sync_centre_subject=True,
    )
    req = server.requests[0]
    assert (req.method, req.path) == ("POST", "/surpass/api/v2/TestSchedule")
    assert req.header("Content-Type") == "application/json"
    assert req.header("autoSyncCentreSubject") == "true"
    assert req.header("quickRegisterCandidate") is None
    assert req.json() == {
        "test": {"id": 3},
        "centre": {"reference": "C1"},
        "candidate": {"reference": "CAND0005"},
        "startDate": "07/03/2025",
        "endDate": "09/03/2025",
        "startTime": "0900",
        "endTime": "1730",
        "reasonableAdjustments": {"extraTimeMin": 15, "reason": "RA"},
        "allowMultipleOpenSessions": False,
        "requiresInvigilation": True,
        "testTags": ["mock", "spring"],
        "testForm": {"id": 9},
        "subject": {"reference": "MATHS"},
        "language": "en",
        "unlockOverride": {"unlockForWholeDay": True, "daysAfterToLock": 2},
    }
    assert list(req.json())[:7] == ["test", "centre", "candidate", "startDate", "endDate",
                                    "startTime", "endTime"]
    assert result == ScheduleResult(
        id=812, keycode="H76RBD8P", pin="123456", candidate=Ref(id=5, reference="CAND0005"),
        href=f"{server.url}/surpass/api/v2/TestSession/812", reference="H76RBD8P",
        server_time_zone=env.tz)


def test_schedule_test_quick_register_sends_the_candidate(server, surpass, env):
    server.reply(200, env.write(1, "KEYCODE1", keycode="KEYCODE1", pin="1",
                                candidate={"id": 77, "reference": "NEW1"}))
    new = Candidate(reference="NEW1", first_name="Bo", last_name="Li",
                    date_of_birth=dt.date(2001, 2, 3), centres=[Ref(reference="C1")])
    result = surpass.schedule_test(test="T1", centre="C1", candidate=new,
                                   start_date="01/04/2025", start_time="09:00", end_time="1000",
                                   quick_register_candidate=True)
    req = server.requests[0]
    assert req.header("quickRegisterCandidate") == "true"
    assert req.header("autoSyncCentreSubject") is None
    body = req.json()
    assert body["candidate"] == {"reference": "NEW1", "firstName": "Bo", "lastName": "Li",
                                 "dateOfBirth": "2001-02-03T00:00:00",
                                 "centres": [{"reference": "C1"}]}
    assert (body["startDate"], body["endDate"]) == ("01/04/2025", "01/04/2025")
    assert (body["startTime"], body["endTime"]) == ("0900", "1000")
    assert result.candidate.id == 77


def test_delete_schedule_by_keycode_and_by_id(server, surpass, env):
    server.reply(200, env.write())
    server.reply(200, env.write())
    assert surpass.delete_schedule("H76RBD8P") == WriteResult(server_time_zone=env.tz)
    surpass.delete_schedule(812)
    assert [(r.method, r.path) for r in server.requests] == [
        ("DELETE", "/surpass/api/v2/TestSchedule/H76RBD8P"),
        ("DELETE", "/surpass/api/v2/TestSchedule/812"),
    ]
    assert server.requests[0].body == b""


# ----------------------------------------------------------------- TestSession


def test_test_session_parsing(server, surpass, env):
    server.reply(200, env.page([{
        "id": 812, "reference": "H76RBD8P", "href": "x", "keycode": "H76RBD8P", "pin": "123456",
        "state": 1, "stateName": "ScheduledButNotCreated",
        "candidate": {"id": 5, "reference": "CAND0005", "href": "y"},
        "test": {"id": 3, "reference": "T3", "href": "z", "name": "Maths"},
        "startDate": "07/03/2025", "endDate": "09/03/2025", "startTime": "0900",
        "endTime": "1730", "scheduledFrom": "2025-03-07T09:00:00",
        "scheduledTo": "2025-03-09T17:30:00", "testTags": ["mock"], "voidReason": None,
        "somethingNew": {"a": 1},
    }]))
    session = surpass.get_test_session("H76RBD8P")
    assert server.requests[0].path == "/surpass/api/v2/TestSession/H76RBD8P"
    assert isinstance(session, TestSession)
    assert session.state is ExamState.SCHEDULED_BUT_NOT_CREATED
    assert (session.start_date, session.end_date) == (dt.date(2025, 3, 7), dt.date(2025, 3, 9))
    assert (session.start_time, session.end_time) == (dt.time(9, 0), dt.time(17, 30))
    assert session.scheduled_to == dt.datetime(2025, 3, 9, 17, 30)
    assert session.test.name == "Maths"
    assert session.test_tags == ["mock"]
    assert session.centre is None and session.void_reason is None
    assert session.raw["somethingNew"] == {"a": 1}


def test_test_session_state_changes(server, surpass, env):
    for _ in range(4):
        server.reply(200, env.write(812, "H76RBD8P"))
    surpass.pause_test_session("H76RBD8P")
    surpass.resume_test_session(812)
    surpass.void_test_session("H76RBD8P", reason="Other", message="Fire alarm")
    surpass.set_test_session_state(812, state="Voided", void_reason=VoidReason.ABSENT)
    reqs = server.requests
    assert [(r.method, r.path) for r in reqs[:2]] == [
        ("PUT", "/surpass/api/v2/TestSession/H76RBD8P"), ("PUT", "/surpass/api/v2/TestSession/812")]
    assert [r.json() for r in reqs] == [
        {"testState": 7},
        {"testState": 6},
        {"testState": 10, "voidReason": 4, "voidMessage": "Fire alarm"},
        {"testState": 10, "voidReason": 1},
    ]
    with pytest.raises(ValueError):
        surpass.set_test_session_state(1, state="Daydreaming")


# ----------------------------------------------------------------- other resources


def test_resource_writes(server, surpass, env):
    for _ in range(7):
        server.reply(200, env.write(1, "R1", "h"))
    surpass.create_candidate(first_name="Ann", last_name="Smith",
                             date_of_birth=dt.date(1990, 1, 31), centres=[1, "C2"])
    surpass.update_candidate("CAND0005", email="a@b.c", retired=True)
    surpass.create_centre(name="North", county=4, country=Ref(id=1))
    surpass.update_subject(7, status="Archived")
    surpass.delete_subject("MATHS")
    surpass.create_centre_subject_association(centre="C1", subject=7, primary=True)
    surpass.delete_centre_subject_association(12)
    got = [(r.method, r.target.removeprefix("/surpass/api/v2/"), r.body and r.json())
           for r in server.requests]
    assert got == [
        ("POST", "Candidate", {"firstName": "Ann", "lastName": "Smith",
                               "dateOfBirth": "1990-01-31T00:00:00",
                               "centres": [{"id": 1}, {"reference": "C2"}]}),
        ("PUT", "Candidate?reference=CAND0005", {"email": "a@b.c", "retired": True}),
        ("POST", "Centre", {"name": "North", "county": {"id": 4}, "country": {"id": 1}}),
        ("PUT", "Subject/7", {"status": "Archived"}),
        ("DELETE", "Subject?reference=MATHS", b""),
        ("POST", "CentreSubjectAssociation",
         {"centre": {"reference": "C1"}, "subject": {"id": 7}, "primary": True}),
        ("DELETE", "CentreSubjectAssociation/12", b""),
    ]


def test_a_fetched_object_can_be_used_as_a_key(server, surpass, env):
    server.reply(200, env.page([CANDIDATE]))
    server.reply(200, env.write(5, "CAND0005"))
    cand = surpass.get_candidate(5)
    surpass.update_candidate(cand, tel="0113")
    assert server.requests[1].path == "/surpass/api/v2/Candidate/5"


def test_read_only_lists(server, surpass, env):
    server.reply(200, env.page([{"id": 3, "reference": "T3", "name": "Maths", "status": "Live",
                                 "subject": {"id": 7, "reference": "MATHS", "name": "Maths"},
                                 "testForms": [{"id": 9, "reference": "F9", "name": "A"}]}]))
    server.reply(200, env.page([{"id": 2, "name": "Yorkshire", "country": {"id": 1}}]))
    test = next(surpass.iter_tests(where={"subject/reference": "MATHS"}))
    county = surpass.counties_page(contains={"name": "York"}).items[0]
    assert test.test_forms[0].reference == "F9" and test.subject.name == "Maths"
    assert county.country == Ref(id=1)
    assert server.requests[0].query["$filter"] == "subject/reference eq 'MATHS'"
    assert server.requests[1].path == "/surpass/api/v2/County"


# ----------------------------------------------------------------- ergonomics


def test_repr_hides_the_password(surpass):
    assert "s3cret" not in repr(surpass)
    assert "alice" in repr(surpass)


def test_context_manager_closes_only_its_own_session(server):
    closed = []

    class Session(requests.Session):
        def close(self):
            closed.append(True)
            super().close()

    mine = Session()
    with SurpassClient(server.url, "u", "p", session=mine):
        pass
    assert closed == []
    with SurpassClient(server.url, "u", "p") as client:
        client._http.session = Session()
        client._http._owns_session = True
    assert closed == [True]
    mine.close()


def test_constructor_validation():
    with pytest.raises(ValueError):
        SurpassClient("ftp://x", "u", "p")
    with pytest.raises(ValueError):
        SurpassClient("http://x", "u", "p", format="yaml")
    with pytest.raises(ValueError):
        SurpassClient("http://x", "u", "p", timeout=0)
