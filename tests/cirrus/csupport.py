"""Helpers for the Cirrus tests (importable as ``csupport`` from this folder): request
bodies, the two error envelopes, and proofs that a refused request wrote nothing."""

from __future__ import annotations

from support import db_rows

SCHEDULE = "/api/v1/integrations/schedule"
ADD_CANDIDATES = "/api/v1/integrations/schedule/add-candidates"
EXTERNAL = "/api/v1/integrations/external/schedule"
ASSESSMENT = "/api/v1/integrations/assessment"
RESULTS = "/api/v1/integrations/results"

NOW = "2030-01-01T08:00:00Z"
START = "2030-01-10T09:00:00Z"
IN_WINDOW = "2030-01-10T09:30:00Z"
# Seeded for every tenant (fixtures.py): published ones, and two that are not.
PUBLISHED = "MATH-101"
UNPUBLISHED = "DRAFT-1"
NOT_ALLOWED = "Not allowed to use external API"
SCHEDULE_NOT_FOUND = "Schedule hasn't been found by external id"
SCHEDULER_UNSET = "Scheduler hasn't been set in External API settings"
EXT_ID_TEXT = "letters, digits, '-' and '_' only, at most {} characters"
LAUNCH_PATH = "/delivery/external-login"
TABLES = ("cirrus_schedule", "cirrus_candidate", "cirrus_sitting", "cirrus_attempt")
DROP = object()  # a member left out of a body


def _without_dropped(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not DROP}


def candidate(ext_id: str = "CAN-1", **changes) -> dict:
    data = {
        "CandidateExtId": ext_id,
        "FirstName": "Ada",
        "LastName": "Lovelace",
        "Email": f"{ext_id.lower()}@example.com",
    }
    data.update(changes)
    return _without_dropped(data)


def schedule_body(schedule: dict | None = None, candidates=DROP, **top) -> dict:
    """A valid POST /schedule body; ``schedule`` changes members of ``Schedule``
    (``DROP`` leaves one out), ``top`` the top-level members."""
    inner = {
        "AssessmentExtId": PUBLISHED,
        "ScheduleExtId": "SCH-1",
        "StartDateTime": START,
        "GroupExtId": "GRP-1",
        "GroupName": "Group one",
    }
    inner.update(schedule or {})
    body = {
        "Schedule": _without_dropped(inner),
        "Candidates": [candidate("CAN-1")] if candidates is DROP else candidates,
    }
    body.update(top)
    return _without_dropped(body)


def add_body(ext_id: str = "SCH-1", candidates=DROP, **schedule) -> dict:
    inner = {"ScheduleExtId": ext_id, "GroupExtId": "GRP-1", "GroupName": "Group one"}
    inner.update(schedule)
    return {
        "Schedule": _without_dropped(inner),
        "Candidates": [candidate("CAN-2")] if candidates is DROP else candidates,
    }


def external_body(**changes) -> dict:
    data = {
        "AssessmentExternalId": PUBLISHED,
        "ScheduleExternalId": "EXT-1",
        "StartDateTime": START,
    }
    data.update(changes)
    return _without_dropped(data)


def bad_request(response, message: str) -> None:
    """A 400 in the ASP.NET shape of /schedule and /schedule/add-candidates."""
    assert response.status_code == 400, response.json
    assert response.json == {"Message": f"Bad request | {message}"}


def message_error(response, status: int, message: str) -> None:
    """Another status in the ASP.NET shape (no "Bad request |" prefix)."""
    assert response.status_code == status, response.json
    assert response.json == {"Message": message}


def content_error(response, status: int, message: str) -> None:
    """An error in the Content envelope."""
    assert response.status_code == status, response.json
    assert response.json == {"Content": None, "Success": False, "Errors": [message]}


def content(response, value) -> None:
    assert response.status_code == 200, response.json
    assert response.json == {"Content": value, "Success": True, "Errors": None}


def schedule(t, body: dict, **kwargs):
    return t.cirrus("POST", SCHEDULE, json=body, **kwargs)


def made(t, body: dict | None = None) -> dict:
    """POST /schedule that must succeed; its answer."""
    response = schedule(t, schedule_body() if body is None else body)
    assert response.status_code == 200, response.json
    return response.json


def info(t, ext_id: str):
    return t.cirrus("GET", f"{EXTERNAL}/{ext_id}")


def absent(t, ext_id: str) -> None:
    """No schedule ``ext_id`` in the tenant (GET /external/schedule says so)."""
    content_error(info(t, ext_id), 400, SCHEDULE_NOT_FOUND)


def assessment(t, ext_id: str = PUBLISHED) -> dict:
    response = t.cirrus("GET", f"{ASSESSMENT}/{ext_id}")
    assert response.status_code == 200, response.json
    return response.json["Content"]


def counts(t, tables=TABLES) -> dict[str, int]:
    """The tenant's rows of ``tables`` (Cirrus's schedule tables), read from the database
    file."""
    url = t.http.application.extensions["exam_sandbox"].config.database_url
    sql = "SELECT count(*) FROM {} WHERE tenant_id = ?"
    return {table: db_rows(url, sql.format(table), t.id)[0][0] for table in tables}


def writes_nothing(t, send) -> object:
    """``send()``'s answer, after asserting it changed none of the tenant's rows."""
    before = counts(t)
    response = send()
    assert counts(t) == before
    return response


def complete(t, schedule_ext_id: str, candidate_ext_id: str, **body):
    return t.admin(
        "POST",
        f"/cirrus/schedules/{schedule_ext_id}/candidates/{candidate_ext_id}/complete",
        json=body,
    )


def publish(t, schedule_ext_id: str, candidate_ext_id: str):
    return t.admin(
        "POST",
        f"/cirrus/schedules/{schedule_ext_id}/candidates/{candidate_ext_id}/publish",
        json={},
    )


def sat(t, schedule_ext_id: str = "SCH-1", candidate_ext_id: str = "CAN-1", **body) -> dict:
    """The complete control, which must succeed; its answer."""
    response = complete(t, schedule_ext_id, candidate_ext_id, **body)
    assert response.status_code == 200, response.json
    return response.json


def results(t, **params):
    return t.cirrus("GET", RESULTS, query_string=params)
