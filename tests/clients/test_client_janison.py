"""JanisonClient against a scripted stand-in for the vendor: requests, bodies, errors, paging.

Every body asserted here is the wire doc's (docs/providers/janison-wire.md) exactly.
"""

from __future__ import annotations

import builtins
import datetime as dt
import socket
import time

import pytest

from exam_sandbox.client.core import errors
from exam_sandbox.client.core.odata import F
from exam_sandbox.client.janison import (
    ApiConnectionError,
    ApiTimeoutError,
    AuthenticationError,
    Candidate,
    ConflictError,
    EnrolmentComponent,
    Gender,
    JanisonError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    Ref,
    ScheduleResult,
    ServerError,
    ValidationError,
    WriteResult,
)

H = "http://h/janison/api"
CANDIDATE = {
    "id": 5, "reference": "CAND0005", "href": f"{H}/candidate/5",
    "firstName": "Ann", "middleName": None, "lastName": "Smith", "dateOfBirth": "1990-01-31",
    "uln": None, "gender": "Female", "expiry": None, "addressLine1": "1 High St",
    "addressLine2": None, "town": "York", "countyID": "N Yorks", "countryID": "GB",
    "postCode": "YO1 1AA", "email": "ann@example.com", "phone": None, "retired": False,
    "centres": [{"id": 1, "reference": "C1", "href": f"{H}/centre/1"}],
    "tests": [{"id": 2, "reference": "T1", "href": f"{H}/test/2"}],
}
SCHEDULED = {
    "id": 9, "reference": "SCH9", "href": f"{H}/testschedule/9", "errors": [],
    "enrolments": [
        {"candidate": {"id": 5, "reference": "CAND0005", "href": f"{H}/candidate/5"},
         "testSessionId": 100,
         "components": [
             {"component": {"id": 4, "reference": "LIS", "href": f"{H}/component/4"},
              "version": 2, "keycode": "AB12CD34"},
             {"component": {"id": 6, "reference": "SPK", "href": f"{H}/component/6"},
              "version": 1, "keycode": "EF56GH78"}]},
        {"candidate": {"id": 7, "reference": "CAND2", "href": f"{H}/candidate/7"},
         "testSessionId": 101, "components": []},
    ],
}


# ----------------------------------------------------------------- requests on the wire


def test_auth_headers_accept_and_user_agent(server, janison, jenv):
    server.reply(200, jenv.page([CANDIDATE]))
    candidate = janison.get_candidate(5)
    req = server.requests[0]
    assert (req.method, req.path, req.raw_query) == ("GET", "/janison/api/candidate/5", "")
    assert req.header("Ocp-Apim-Subscription-Key") == jenv.key
    assert req.header("Authorization") == f"Bearer {jenv.token}"
    assert req.header("Accept") == "application/json"
    assert req.header("User-Agent").startswith("exam-sandbox-janison-client/")
    assert req.body == b""
    assert isinstance(candidate, Candidate)
    assert (candidate.first_name, candidate.gender) == ("Ann", Gender.FEMALE)
    assert candidate.date_of_birth == dt.date(1990, 1, 31)
    assert (candidate.county_id, candidate.country_id) == ("N Yorks", "GB")
    assert candidate.centres == [Ref(id=1, reference="C1", href=f"{H}/centre/1")]


def test_get_by_reference_filters_the_list(server, janison, jenv):
    server.reply(200, jenv.page([CANDIDATE], count=1, top=1, skip=0))
    assert janison.get_candidate("O'Neil 1").id == 5
    req = server.requests[0]
    assert req.path == "/janison/api/candidate"
    assert req.query == {"$top": "1", "$filter": "reference eq 'O''Neil 1'"}


@pytest.mark.parametrize("key", [Ref(reference="CAND0005"), {"reference": "CAND0005"}])
def test_a_ref_without_id_is_looked_up_by_reference(server, janison, jenv, key):
    server.reply(200, jenv.page([CANDIDATE]))
    janison.get_candidate(key)
    assert server.requests[0].query["$filter"] == "reference eq 'CAND0005'"


def test_get_that_comes_back_empty_is_not_found(server, janison, jenv):
    server.reply(200, jenv.page([]))
    server.reply(200, jenv.page([]))
    with pytest.raises(NotFoundError):
        janison.get_centre(99)
    with pytest.raises(NotFoundError):
        janison.get_centre("NOPE")


def test_every_read_only_resource_path(server, janison, jenv):
    server.route = lambda rec: jenv.page([{"id": 1, "name": rec.path}])
    assert janison.get_user(1).id == 1
    assert janison.get_test(1).name == "/janison/api/test/1"
    assert janison.get_test_package(1).name == "/janison/api/testpackage/1"
    assert janison.get_component(1).name == "/janison/api/component/1"
    assert janison.get_result(1).id == 1
    for page in (janison.users_page(), janison.tests_page(), janison.test_packages_page(),
                 janison.components_page(), janison.centres_page(), janison.results_page(),
                 janison.candidates_page()):
        assert len(page) == 1
    assert [r.path.rsplit("/", 1)[-1] for r in server.requests[5:]] == [
        "user", "test", "testpackage", "component", "centre", "result", "candidate"]


def test_base_url_trailing_slash_and_repr_hides_secrets(server, make_janison, jenv):
    client = make_janison(base_url=server.url + "/janison/api/")
    server.reply(200, jenv.page([{"id": 3}]))
    client.get_test(3)
    assert server.requests[0].path == "/janison/api/test/3"
    assert jenv.token not in repr(client) and jenv.key not in repr(client)
    assert repr(client) == f"JanisonClient(base_url='{server.url}/janison/api', auth='token')"


# ----------------------------------------------------------------- request bodies


def test_create_user_body(server, janison, jenv):
    server.reply(200, jenv.write(11, "U11", f"{H}/user/11"))
    result = janison.create_user(
        user_name="admin1", reference="U11", first_name="Ada", date_of_birth="1980-02-03",
        gender="female", expiry=dt.date(2030, 1, 1), county="Kent", country="UK",
        centres=[1, "C2"], tests=Ref(id=2))
    req = server.requests[0]
    assert (req.method, req.path) == ("POST", "/janison/api/user")
    assert req.header("Content-Type") == "application/json"
    assert req.json() == {
        "reference": "U11", "userName": "admin1", "firstName": "Ada",
        "dateOfBirth": "1980-02-03", "gender": "Female", "expiry": "2030-01-01",
        "county": "Kent", "country": "UK",
        "centres": [{"id": 1}, {"reference": "C2"}], "tests": [{"id": 2}]}
    assert result == WriteResult(id=11, reference="U11", href=f"{H}/user/11")


def test_update_user_sends_only_what_is_given(server, janison, jenv):
    server.reply(200, jenv.write(11, "U11"))
    janison.update_user(11, email="ada@example.com", centres=[])
    req = server.requests[0]
    assert (req.method, req.path) == ("PUT", "/janison/api/user/11")
    assert req.json() == {"email": "ada@example.com", "centres": []}


def test_create_candidate_body(server, janison, jenv):
    server.reply(200, jenv.write(5, "CAND0005", f"{H}/candidate/5"))
    centre = Candidate.from_wire({"id": 1})  # any fetched object counts by its id
    janison.create_candidate(
        reference="CAND0005", first_name="Ann", last_name="Smith",
        date_of_birth=dt.date(1990, 1, 31), gender=Gender.FEMALE, centres=[centre, "C2"],
        tests="T1", uln="1234567890", county_id="N Yorks", country_id="GB",
        expiry=dt.datetime(2030, 1, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2))))
    assert server.requests[0].json() == {
        "reference": "CAND0005", "firstName": "Ann", "lastName": "Smith",
        "dateOfBirth": "1990-01-31", "gender": "Female", "expiry": "2030-01-02",
        "centres": [{"id": 1}, {"reference": "C2"}], "tests": [{"reference": "T1"}],
        "uln": "1234567890", "countyID": "N Yorks", "countryID": "GB"}


def test_bad_dates_are_refused_before_sending(server, janison):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        janison.update_candidate(5, date_of_birth="31/01/1990")
    with pytest.raises(TypeError):
        janison.update_candidate(5, date_of_birth=19900131)  # type: ignore[arg-type]
    assert server.requests == []


def test_update_and_delete_candidate_by_reference_look_the_id_up(server, janison, jenv):
    server.reply(200, jenv.page([CANDIDATE]))
    server.reply(200, jenv.write(5, "CAND0005"))
    server.reply(200, jenv.page([CANDIDATE]))
    server.reply(200, jenv.write(5, "CAND0005", f"{H}/candidate/5"))
    janison.update_candidate("CAND0005", last_name="Jones", gender="Unspecified", retired=False)
    retired = janison.delete_candidate(Ref(reference="CAND0005"))
    get, put, get2, delete = server.requests
    assert get.query == {"$top": "1", "$filter": "reference eq 'CAND0005'"}
    assert (put.method, put.path) == ("PUT", "/janison/api/candidate/5")
    assert put.json() == {"lastName": "Jones", "gender": "Unspecified", "retired": False}
    assert get2.path == "/janison/api/candidate"
    assert (delete.method, delete.path, delete.body) == ("DELETE", "/janison/api/candidate/5", b"")
    assert retired.id == 5 and retired.href == f"{H}/candidate/5"


def test_centre_bodies(server, janison, jenv):
    server.route = lambda rec: jenv.write(8, "CEN8")
    janison.create_centre(name="North", address_line1="1 Road", town="York", county="Yorks",
                          country="UK", tests=[2, 3], centre_admin_user="U11", post_code="Y1")
    janison.update_centre(8, name="North 2", centre_admin_user=Ref(id=11))
    janison.delete_centre(8)
    post, put, delete = server.requests
    assert (post.method, post.path) == ("POST", "/janison/api/centre")
    assert post.json() == {
        "name": "North", "addressLine1": "1 Road", "town": "York", "county": "Yorks",
        "country": "UK", "postCode": "Y1", "tests": [{"id": 2}, {"id": 3}],
        "centreAdminUser": {"reference": "U11"}}
    assert (put.method, put.path) == ("PUT", "/janison/api/centre/8")
    assert put.json() == {"name": "North 2", "centreAdminUser": {"id": 11}}
    assert (delete.method, delete.path) == ("DELETE", "/janison/api/centre/8")


def test_schedule_body_and_enrolments(server, janison, jenv):
    server.reply(200, SCHEDULED)
    booked = janison.schedule_test(test_package=3, centre="C1", candidates=[5, "CAND2"],
                                   date=dt.date(2026, 5, 1),
                                   extend_validity_period=True, room_reference="R1")
    req = server.requests[0]
    assert (req.method, req.path) == ("POST", "/janison/api/testschedule")
    assert req.json() == {
        "testPackage": {"id": 3}, "centre": {"reference": "C1"},
        "candidates": [{"id": 5}, {"reference": "CAND2"}], "testPackageDate": "2026-05-01",
        "extendValidityPeriod": True, "roomReference": "R1"}
    assert isinstance(booked, ScheduleResult)
    assert (booked.id, booked.reference) == (9, "SCH9")
    first = booked.enrolments[0]
    assert (first.candidate.id, first.test_session_id) == (5, 100)
    assert first.keycodes == ["AB12CD34", "EF56GH78"]
    assert first.components[1].component == Ref(id=6, reference="SPK", href=f"{H}/component/6")
    assert first.components[1].version == 1
    assert booked.enrolment_for("CAND2").test_session_id == 101
    assert booked.enrolment_for(Ref(id=5)) is first
    with pytest.raises(KeyError):
        booked.enrolment_for(99)


def test_schedule_one_candidate_and_optional_fields_left_out(server, janison):
    server.reply(200, SCHEDULED)
    janison.schedule_test(test_package=Ref(reference="TP1"), centre=1, candidates="CAND0005",
                          date="2026-05-01")
    assert server.requests[0].json() == {
        "testPackage": {"reference": "TP1"}, "centre": {"id": 1},
        "candidates": [{"reference": "CAND0005"}], "testPackageDate": "2026-05-01"}
    with pytest.raises(ValueError):
        janison.schedule_test(test_package=3, centre=1, candidates=[], date="2026-05-01")
    with pytest.raises(ValueError):
        janison.schedule_test(test_package=3, centre=1, candidates=[5], date="2026-13-01")
    assert len(server.requests) == 1


def test_reschedule_components_body_uses_the_seeds_spelling(server, janison):
    server.route = lambda rec: SCHEDULED
    booked = ScheduleResult.from_wire(SCHEDULED)
    again = janison.reschedule_components(booked, components=[4, "SPK"], candidate=5)
    janison.reschedule_components(9, components=booked.enrolments[0].components[1])
    janison.reschedule_components(Ref(id=9), components="LIS", candidate="CAND2")
    first, second, third = (r.json() for r in server.requests)
    assert all(r.path == "/janison/api/testschedulecomponent" for r in server.requests)
    assert first == {"testScehdule": {"id": 9}, "components": [{"id": 4}, {"reference": "SPK"}],
                     "candidate": {"id": 5}}
    assert second == {"testScehdule": {"id": 9}, "components": [{"id": 6}]}
    assert third == {"testScehdule": {"id": 9}, "components": [{"reference": "LIS"}],
                     "candidate": {"reference": "CAND2"}}
    assert "testSchedule" not in first
    assert again.enrolments[0].components[0].keycode == "AB12CD34"
    assert isinstance(again.enrolments[0].components[0], EnrolmentComponent)


def test_delete_schedule_by_id_only(server, janison, jenv):
    server.reply(200, jenv.write(9, "SCH9", f"{H}/testschedule/9"))
    result = janison.delete_schedule(ScheduleResult.from_wire(SCHEDULED))
    assert (server.requests[0].method, server.requests[0].path) == (
        "DELETE", "/janison/api/testschedule/9")
    assert result.id == 9
    with pytest.raises(TypeError):
        janison.delete_schedule("SCH9")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        janison.reschedule_components(True, components=[1])  # type: ignore[arg-type]
    assert len(server.requests) == 1


# ----------------------------------------------------------------- error kinds


@pytest.mark.parametrize(
    ("status", "kind", "neutral"),
    [
        (400, ValidationError, errors.ValidationError),
        (403, PermissionDeniedError, errors.PermissionDeniedError),
        (404, NotFoundError, errors.NotFoundError),
        (409, ConflictError, errors.ConflictError),
        (429, RateLimitedError, errors.RateLimitedError),
        (500, ServerError, errors.ServerError),
        (503, ServerError, errors.ServerError),
    ],
)
def test_janison_envelope_status_maps_to_error_kind(server, make_janison, jenv, status, kind,
                                                     neutral):
    client = make_janison(retries=0)
    server.reply(status, jenv.error((status * 10, f"failed with {status}", "name"), write=False))
    with pytest.raises(kind) as info:
        client.get_candidate(1)
    err = info.value
    assert isinstance(err, JanisonError) and isinstance(err, neutral)
    assert err.status == status
    assert err.errors == [(status * 10, f"failed with {status}")]
    assert err.errors[0].field == "name"
    assert err.response is not None and err.response.status_code == status
    assert f"failed with {status}" in str(err)


def test_validation_error_carries_every_code_message_and_field(server, janison, jenv):
    server.reply(400, jenv.error((1001, "firstName is required", "firstName"),
                                 (1002, "dateOfBirth must be YYYY-MM-DD", "dateOfBirth"),
                                 (1003, "the body is invalid", None)))
    with pytest.raises(ValidationError) as info:
        janison.create_candidate(reference="X", first_name="", last_name="S",
                                 date_of_birth="1990-01-01", gender="Male", centres=1, tests=2)
    errors = info.value.errors
    assert [(e.code, e.message, e.field) for e in errors] == [
        (1001, "firstName is required", "firstName"),
        (1002, "dateOfBirth must be YYYY-MM-DD", "dateOfBirth"),
        (1003, "the body is invalid", None)]
    assert info.value.messages[0] == "firstName is required"
    assert len(server.requests) == 1  # a POST is never retried


def test_duplicate_user_is_a_conflict(server, janison, jenv):
    server.reply(409, jenv.error((2001, "user already exists", "userName")))
    with pytest.raises(ConflictError) as info:
        janison.create_user(user_name="admin1", reference="U1")
    assert info.value.errors[0].field == "userName"


@pytest.mark.parametrize("message", [
    "Access denied due to missing subscription key. Make sure to include subscription key "
    "when making requests to an API.",
    "Access denied due to invalid subscription key. Make sure to provide a valid key for an "
    "active subscription.",
    "Unauthorized. Access token is missing or invalid.",
])
def test_apim_401_body_is_an_authentication_error(server, janison, jenv, message):
    server.reply(401, jenv.apim(401, message), headers={"WWW-Authenticate": "Bearer"})
    with pytest.raises(AuthenticationError) as info:
        janison.get_candidate(1)
    err = info.value
    assert isinstance(err, errors.AuthenticationError) and err.status == 401
    assert err.errors == [(401, message)] and err.errors[0].field is None
    assert message in str(err)
    assert len(server.requests) == 1  # a static token is not renewed


@pytest.mark.parametrize("status", [405, 413, 415])
def test_other_client_errors_are_the_base_kind(server, janison, jenv, status):
    server.reply(status, jenv.error((status, "nope", None)))
    with pytest.raises(JanisonError) as info:
        janison.delete_centre(1)
    assert type(info.value) is JanisonError and info.value.status == status


def test_2xx_with_errors_is_still_a_failure(server, janison, jenv):
    server.reply(200, jenv.error((7, "quietly refused", "centre")))
    with pytest.raises(ValidationError) as info:
        janison.delete_centre(1)
    assert info.value.status == 200 and info.value.errors[0].field == "centre"


def test_a_body_that_is_not_json_is_a_janison_error(server, janison):
    server.reply(200, "<html>maintenance</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(JanisonError, match="not a Janison envelope"):
        janison.get_test(1)
    server.reply(502, "<html>bad gateway</html>")
    with pytest.raises(ServerError) as info:
        janison.schedule_test(test_package=1, centre=1, candidates=[1], date="2026-05-01")
    assert info.value.errors == [] and "HTTP 502" in str(info.value)


# ----------------------------------------------------------------- retries and timeouts


def test_get_is_retried_with_backoff(server, make_janison, jenv, sleeps):
    client = make_janison(retries=2)
    server.reply(503, jenv.error((0, "busy", None), write=False))
    server.reply(502)
    server.reply(200, jenv.page([{"id": 1, "name": "Reading"}]))
    assert client.get_component(1).name == "Reading"
    assert len(server.requests) == 3 and len(sleeps) == 2
    assert all(r.header("Authorization") == "Bearer static-token-1" for r in server.requests)


@pytest.mark.parametrize("call", [
    lambda c: c.schedule_test(test_package=1, centre=1, candidates=[1], date="2026-05-01"),
    lambda c: c.reschedule_components(9, components=[1]),
    lambda c: c.create_user(user_name="u", reference="u"),
])
def test_post_is_never_retried(server, janison, jenv, sleeps, call):
    server.reply(503, jenv.error((0, "busy", None)))
    with pytest.raises(ServerError):
        call(janison)
    assert len(server.requests) == 1 and sleeps == []


def test_put_and_delete_are_retried(server, janison, jenv, sleeps):
    server.reply(500)
    server.reply(200, jenv.write(1))
    server.reply(500)
    server.reply(200, jenv.write(1))
    janison.update_centre(1, name="x")
    janison.delete_centre(1)
    assert [r.method for r in server.requests] == ["PUT", "PUT", "DELETE", "DELETE"]
    assert len(sleeps) == 2


def test_retry_after_is_honoured(server, janison, jenv, sleeps):
    server.reply(429, jenv.apim(429, "Rate limit is exceeded. Try again in 7 seconds."),
                 headers={"Retry-After": "7"})
    server.reply(200, jenv.page([]))
    janison.tests_page()
    assert sleeps == [7.0]


def test_rate_limited_after_retries_keeps_retry_after(server, make_janison, jenv, sleeps):
    client = make_janison(retries=1)
    for _ in range(2):
        server.reply(429, jenv.apim(429, "Rate limit is exceeded."), headers={"Retry-After": "3"})
    with pytest.raises(RateLimitedError) as info:
        client.iter_results().__next__()
    assert info.value.retry_after == 3.0 and sleeps == [3.0]
    assert info.value.errors == [(429, "Rate limit is exceeded.")]


def test_timeout_is_a_janison_and_builtin_timeout(server, make_janison, jenv):
    client = make_janison(retries=0, timeout=0.2)
    server.reply(200, jenv.page([]), delay=1.0)
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError) as info:
        client.get_test(1)
    assert time.monotonic() - started < 0.9
    assert isinstance(info.value, JanisonError) and isinstance(info.value, builtins.TimeoutError)
    server.reply(200, jenv.page([{"id": 1}]), delay=0.3)
    assert client.get_test(1, timeout=5).id == 1  # per-call override


def test_connection_refused(make_janison):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = make_janison(base_url=f"http://127.0.0.1:{port}/janison/api", retries=0)
    with pytest.raises(ApiConnectionError) as info:
        client.get_test(1)
    assert isinstance(info.value, JanisonError) and isinstance(info.value, builtins.ConnectionError)


# ----------------------------------------------------------------- paging and filters


def test_iter_follows_next_page_link_across_pages(server, janison, jenv):
    base = server.url + "/janison/api/candidate"
    server.reply(200, jenv.page([{"id": 1}, {"id": 2}], count=5, top=2, skip=0,
                                next_link=f"{base}?$top=2&$skip=2"))
    server.reply(200, jenv.page([{"id": 3}, {"id": 4}], count=5, top=2, skip=2,
                                next_link=f"{base}?$top=2&$skip=4", prev_link=base))
    server.reply(200, jenv.page([{"id": 5}], count=5, top=2, skip=4))
    it = janison.iter_candidates(top=2, where={"dateOfBirth": dt.date(1990, 1, 31)},
                                 order_by=["lastName", "-id"])
    assert server.requests == []  # lazy
    assert [c.id for c in it] == [1, 2, 3, 4, 5]
    assert it.count == 5
    first, second, third = server.requests
    assert first.query == {"$top": "2", "$filter": "dateOfBirth eq 1990-01-31",
                           "$orderBy": "lastName,id desc"}
    assert second.raw_query == "$top=2&$skip=2" and third.raw_query == "$top=2&$skip=4"
    assert all(r.header("Ocp-Apim-Subscription-Key") == jenv.key for r in server.requests)


def test_limit_stops_early_and_shrinks_the_page(server, janison, jenv):
    server.reply(200, jenv.page([{"id": 1}, {"id": 2}], count=9, top=2,
                                next_link=server.url + "/janison/api/test?$top=2&$skip=2"))
    assert [t.id for t in janison.iter_tests(limit=2)] == [1, 2]
    assert len(server.requests) == 1 and server.requests[0].query["$top"] == "2"


def test_next_page_link_on_another_origin_is_followed_on_ours(server, janison, jenv):
    server.reply(200, jenv.page([{"id": 1}],
                                next_link="https://internal:8443/janison/api/user?$skip=1"))
    server.reply(200, jenv.page([{"id": 2}], next_link="/janison/api/user?$skip=2"))
    server.reply(200, jenv.page([{"id": 3}]))
    assert [u.id for u in janison.iter_users()] == [1, 2, 3]
    assert [r.target for r in server.requests[1:]] == [
        "/janison/api/user?$skip=1", "/janison/api/user?$skip=2"]


def test_a_repeating_next_page_link_is_an_error(server, janison, jenv):
    link = server.url + "/janison/api/centre?$skip=1"
    server.route = lambda rec: jenv.page([{"id": 1}], next_link=link)
    with pytest.raises(JanisonError, match="repeats"):
        list(janison.iter_centres())


def test_one_page_with_paging_metadata(server, janison, jenv):
    server.reply(200, jenv.page([{"id": 21}], count=41, top=20, skip=20,
                                next_link=server.url + "/janison/api/result?$skip=40"))
    page = janison.results_page(top=20, skip=20, filter="completed eq true")
    assert (page.count, page.top, page.skip, page.page_count) == (41, 20, 20, 3)
    assert page.has_next and page[0].id == 21
    assert server.requests[0].query == {"$top": "20", "$skip": "20",
                                        "$filter": "completed eq true"}


def test_filters_render_janison_literals(server, janison, jenv):
    server.route = lambda rec: jenv.page([])
    since = dt.datetime(2026, 5, 1, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    janison.results_page(filter=(F("testPackageCompletionDate") >= since)
                         & F("components").any(F("cefrGrade") == "B2"),
                         contains={"candidate/reference": "CA"})
    janison.candidates_page(where={"retired": False, "centres/id": [1, 2]},
                            params={"custom": "x"})
    results, candidates = server.requests
    assert results.query["$filter"] == (
        "testPackageCompletionDate ge 2026-05-01T09:00:00Z and "
        "components/any(c: c/cefrGrade eq 'B2') and contains(candidate/reference,'CA')")
    assert candidates.query == {"$top": "40", "custom": "x",
                                "$filter": "retired eq false and (centres/id eq 1 or "
                                           "centres/id eq 2)"}
