"""Helpers for the iTEP tests (importable as ``isupport`` from this folder): the paths, the
error catalogue as the wire shows it (written out here, not imported, so a changed
message is a failing test), the controls, and proofs that a refused call used no test ID
and sent no e-mail."""

from __future__ import annotations

import re

from support import db_rows

ASSIGN = "/api/v1/test-ids/assign"
ASSIGN_EMAIL = "/api/v1/test-ids/assign-and-email"
CALLS = (ASSIGN, ASSIGN_EMAIL)
PRODUCTS = ("AP", "BP")
SECTIONS = ("Grammar", "Listening", "Reading", "Writing", "Speaking")
TEST_ID = re.compile(r"[A-Z0-9]{8}(AP|BP)")
# Seeded for every tenant (fixtures.py): per product, 20 available, 5 Ready but assigned,
# and one in each other status.
SEEDED_AVAILABLE = 20
SEEDED_ASSIGNED = 5
OTHER_STATUSES = ("Incomplete", "Finished", "Review", "Problem", "Invalidated", "Complete")
NOW = "2027-03-07T10:00:00Z"
NOW_SHOWN = "2027-03-07T10:00:00.000Z"
# Nothing listens on port 9 (discard): deliveries are enqueued, their attempts fail.
HOOK = "http://127.0.0.1:9/itep-results"
CANDIDATE = {"name": "Ada Lovelace", "email": "ada@example.com", "reference": "HR-1"}
TABLES = ("itep_test", "itep_message", "itep_tracking_code", "webhook_delivery")

# rule id -> (status, wire code, message; {placeholders} filled by ``refused``)
ERRORS = {
    "I1": (
        401,
        "missing_api_key",
        "An API key is required: send it as X-API-Key or the api_key parameter",
    ),
    "I2": (401, "invalid_api_key", "The API key is not valid"),
    "I3": (
        400,
        "assigned_to_must_be_json",
        "assigned_to must be a non-empty JSON object (or the JSON text of one)",
    ),
    "I4": (400, "assigned_to_incomplete", "assigned_to must name the candidate: {missing} missing"),
    "OID-1": (400, "invalid_oid", "oid must be a string of 1 to 100 characters"),
    "TRK-1": (
        400,
        "invalid_tracking_code",
        "tracking_code must be a string of 1 to 100 characters",
    ),
    "TRK-2": (400, "unknown_tracking_code", "The tracking code '{code}' does not exist"),
    "I8": (
        400,
        "candidate_email_required",
        "assigned_to.email must be the candidate's e-mail address",
    ),
    "I5": (
        409,
        "no_available_test_ids",
        "No test ID of product {product} is available (Ready and unassigned)",
    ),
}


def refused(response, rule_id: str, **values) -> None:
    """``response`` is rule ``rule_id``'s error, status and body exactly."""
    status, code, message = ERRORS[rule_id]
    wire_error(response, status, code, message.format(**values))


def wire_error(response, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.json == {"error": code, "message": message}


def control_error(response, status: int, message: str) -> None:
    """A control's plain JSON error without field details."""
    assert response.status_code == status, response.json
    assert response.json == {"error": {"message": message, "status": status}}


def invalid_control(response, details: dict, where: str = "request body") -> None:
    """A control's 400 for a body (or query) its schema refuses."""
    assert response.status_code == 400, response.json
    assert response.json == {
        "error": {"details": details, "message": f"Invalid {where}", "status": 400}
    }


def assign(t, body, *, email: bool = False, **kwargs):
    return t.itep("POST", ASSIGN_EMAIL if email else ASSIGN, json=body, **kwargs)


def assigned(t, body: dict | None = None, *, email: bool = False, **kwargs) -> dict:
    """An assign (or assign-and-email) call that must succeed; its answer."""
    response = assign(
        t, {"assigned_to": CANDIDATE} if body is None else body, email=email, **kwargs
    )
    assert response.status_code == 200, response.json
    return response.json


def available(t, product: str | None = None) -> list[str]:
    """The available test IDs (the AVAILABLE TESTS export as JSON), in its order."""
    query = {} if product is None else {"product_code": product}
    response = t.admin("GET", "/itep/available-tests", query_string=query)
    assert response.status_code == 200, response.json
    return [row["test_id"] for row in response.json["test_ids"]]


def outbox(t) -> list[dict]:
    response = t.admin("GET", "/itep/outbox")
    assert response.status_code == 200, response.json
    return response.json


def read_test(t, test_id: str) -> dict:
    response = t.admin("GET", f"/itep/tests/{test_id}")
    assert response.status_code == 200, response.json
    return response.json


def move(t, test_id: str, status: str, **body):
    return t.admin("POST", f"/itep/tests/{test_id}/status", json={"status": status, **body})


def moved(t, test_id: str, status: str, **body) -> dict:
    response = move(t, test_id, status, **body)
    assert response.status_code == 200, response.json
    return response.json


def tracking_code(t, code: str, url: str = HOOK, on_finished: bool = False) -> dict:
    response = t.admin(
        "PUT", f"/itep/tracking-codes/{code}", json={"url": url, "on_finished": on_finished}
    )
    assert response.status_code == 200, response.json
    return response.json


def deliveries(t) -> list[dict]:
    response = t.admin("GET", "/webhooks")
    assert response.status_code == 200, response.json
    return response.json


def every_test_id(t) -> list[str]:
    """Every test ID the tenant holds, read from the database file (no control lists
    them all: the AVAILABLE TESTS export shows the available ones only)."""
    sql = "SELECT test_id FROM itep_test WHERE tenant_id = ? ORDER BY id"
    return [row[0] for row in db_rows(_url(t), sql, t.id)]


def counts(t) -> dict[str, int]:
    sql = "SELECT count(*) FROM {} WHERE tenant_id = ?"
    return {table: db_rows(_url(t), sql.format(table), t.id)[0][0] for table in TABLES}


def snapshot(t) -> tuple:
    """What a refused call must leave as it was: the available IDs of both products,
    the outbox, the deliveries and the rows of every iTEP table."""
    sent = [(d["id"], d["url"], d["payload"]) for d in deliveries(t)]  # not their attempts
    return (available(t, "AP"), available(t, "BP"), outbox(t), sent, counts(t))


def writes_nothing(t, send):
    """``send()``'s answer, after asserting it used no test ID and sent no e-mail."""
    before = snapshot(t)
    response = send()
    assert snapshot(t) == before
    return response


def exhaust(t, product: str = "AP") -> list[str]:
    """Assign every available test ID of ``product``; the IDs handed out."""
    auth = None if product == "AP" else {"X-API-Key": t.credentials["itep"]["api_key_bp"]}
    handed = []
    for n in range(len(available(t, product))):
        body = {"assigned_to": {**CANDIDATE, "reference": f"X-{n}"}}
        handed.append(assigned(t, body, auth=auth)["test_id"])
    assert available(t, product) == []
    return handed


def _url(t) -> str:
    return t.http.application.extensions["exam_sandbox"].config.database_url
