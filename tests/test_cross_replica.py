"""Two replicas, one database: two ``exam-sandbox serve`` processes (a worker each) on
the suites' store, as a deployment behind a load balancer runs them (docs/deployment.md).
On PostgreSQL they share nothing but the server; on SQLite, one file on one host.

Requests sent at once to both, alternately, give what one after the other would: a
tenant made through one replica answers on the other; identical Surpass schedules and
identical Cirrus schedules give exactly one success and the vendor's refusal for the
rest; iTEP assigns never hand out one test ID twice. The writers' lock that makes this
so is an advisory lock on PostgreSQL and a file lock plus SQLite's own on SQLite
(core/db.py); these tests are what proves it across processes that share no memory.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
import requests
from stores import serve_args, url_of_serve_args
from support import db_rows
from test_serve import serve

ROUNDS = 3
THREADS = 40  # requests released together per round, half to each replica


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    """Started once for the module; each test makes a tenant of its own."""
    tmp_path = tmp_path_factory.mktemp("replicas")
    store = serve_args(tmp_path)
    started = []
    try:
        # Two processes are what the tests need (no memory shared); a worker each keeps
        # the start short. The second prepares a database the first already made.
        for _ in range(2):
            started.append(serve(tmp_path, *store, "--workers", "1", "--threads", "8"))
        yield started, url_of_serve_args(store)
    finally:
        for replica in started:
            replica.kill()


def _at_once(bases: list[str], send) -> list[requests.Response]:
    """``send(base, n)`` for n in 0..ROUNDS*THREADS, each on a connection of its own, in
    rounds released together; request n goes to replica n % 2."""
    barrier = Barrier(THREADS)

    def one(n: int) -> requests.Response:
        with requests.Session() as fresh:
            barrier.wait()
            return send(fresh, bases[n % len(bases)], n)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(ROUNDS * THREADS)))


def _tenant(replica) -> dict:
    created = replica.request("POST", "/_sandbox/tenants", json={"seed": 1})
    assert created.status_code == 201, created.text
    return created.json()


def test_a_tenant_made_on_one_replica_answers_on_the_other(replicas):
    (first, second), _url = replicas
    made = _tenant(first)
    token = made["credentials"]["cirrus"]["token"]
    on_second = second.request(
        "GET", "/cirrus/api/v1/integrations/assessment/MATH-101",
        headers={"Authorization": f"EAPI {token}"},
    )
    assert on_second.status_code == 200, on_second.text
    # A control on one replica is seen by the other at once: the clock lives in the row.
    frozen = second.request(
        "PUT", f"/_sandbox/tenants/{made['tenant']}/clock", json={"now": "2031-05-01T08:00:00Z"}
    )
    assert frozen.status_code == 200, frozen.text
    shown = first.request("GET", f"/_sandbox/tenants/{made['tenant']}")
    assert shown.json()["clock"] == {"frozen": True, "now": "2031-05-01T08:00:00.000Z"}


def test_settings_and_a_revoked_key_hold_on_the_other_replica_at_once(replicas):
    """Settings are read from the tenant's row on every request; each worker caches
    authentication, checked against the tenant's generation in the database on every
    request (core/auth_cache.py). So a change made through one replica holds on the other
    at once."""
    (first, second), _url = replicas
    made = _tenant(first)
    key = {"X-API-Key": made["credentials"]["itep"]["api_key"]}
    body = {"assigned_to": {"name": "Cached", "email": "cached@example.com"}}
    path = "/itep/api/v1/test-ids/assign"
    for _ in range(4):  # the second replica's worker caches the key
        assert second.request("POST", path, json=body, headers=key).status_code == 200
    strict = first.request("PATCH", f"/_sandbox/tenants/{made['tenant']}/settings/itep",
                           json={"requireCandidateDetails": True})
    assert strict.status_code == 200, strict.text
    refused = second.request("POST", path, json=body, headers=key)
    assert refused.status_code == 400, refused.text
    assert refused.json() == {
        "error": "assigned_to_incomplete",
        "message": "assigned_to must name the candidate: reference missing",
    }
    revoked = first.request(
        "PUT", f"/_sandbox/tenants/{made['tenant']}/itep/api-keys/AP", json={"revoked": True}
    )
    assert revoked.status_code == 200, revoked.text
    for _ in range(4):
        refused = second.request("POST", path, json=body, headers=key)
        assert refused.status_code == 401, refused.text


def test_identical_surpass_schedules_at_both_give_exactly_one_success(replicas):
    (first, second), url = replicas
    made = _tenant(first)
    login = made["credentials"]["surpass"]
    auth = (login["username"], login["password"])
    body = {
        "test": {"id": 1}, "centre": {"id": 1},
        "candidate": {"reference": "REPLICA-1", "firstName": "Ada", "lastName": "Race",
                      "dateOfBirth": "2000-01-01"},
        "startDate": "01/01/2031", "endDate": "01/01/2031",
        "startTime": "0900", "endTime": "1700",
    }
    headers = {"quickRegisterCandidate": "true", "autoSyncCentreSubject": "true"}

    def send(session, base, _n):
        return session.post(f"{base}/surpass/api/v2/TestSchedule", json=body, auth=auth,
                            headers=headers, timeout=60)

    answers = _at_once([first.base, second.base], send)
    ok = [a for a in answers if a.status_code == 200]
    assert len(ok) == 1, [a.text for a in ok]
    for answer in answers:
        if answer.status_code != 200:
            assert answer.status_code == 400, answer.text
            assert [(e["ErrorCode"], e["Message"]) for e in answer.json()["errors"]] == [
                (2026, "Candidate already has an open test schedule for this test")
            ]
    sql = "SELECT count(*) FROM surpass_candidate WHERE tenant_id = ? AND reference = ?"
    assert db_rows(url, sql, made["tenant"], "REPLICA-1") == [(1,)]
    sql = (
        "SELECT count(*) FROM surpass_test_session s JOIN surpass_candidate c "
        "ON c.pk = s.candidate_pk WHERE s.tenant_id = ? AND c.reference = ?"
    )
    assert db_rows(url, sql, made["tenant"], "REPLICA-1") == [(1,)]


def test_identical_cirrus_schedules_at_both_give_exactly_one_success(replicas):
    (first, second), url = replicas
    made = _tenant(second)
    headers = {"Authorization": f"EAPI {made['credentials']['cirrus']['token']}"}
    body = {
        "Schedule": {"ScheduleExtId": "REPLICA", "AssessmentExtId": "MATH-101",
                     "StartDateTime": "2030-01-10T09:00:00Z",
                     "GroupExtId": "GRP-1", "GroupName": "Group one"},
        "Candidates": [{"CandidateExtId": "REPLICA-1", "FirstName": "Ada",
                        "LastName": "Race", "Email": "replica-1@example.com"}],
    }

    def send(session, base, _n):
        return session.post(f"{base}/cirrus/api/v1/integrations/schedule", json=body,
                            headers=headers, timeout=60)

    answers = _at_once([first.base, second.base], send)
    ok = [a for a in answers if a.status_code == 200]
    assert len(ok) == 1, [a.text for a in ok]
    assert ok[0].json()["Result"] == "Schedule[REPLICA] created successfully"
    for answer in answers:
        if answer.status_code != 200:
            assert answer.status_code == 400, answer.text
            assert answer.json() == {
                "Message": "Bad request | Schedule with external id [REPLICA] already exists"
            }
    for table in ("cirrus_schedule", "cirrus_candidate", "cirrus_sitting"):
        sql = f"SELECT count(*) FROM {table} WHERE tenant_id = ?"
        assert db_rows(url, sql, made["tenant"]) == [(1,)], table


def test_itep_assigns_at_both_never_hand_out_an_id_twice(replicas):
    (first, second), url = replicas
    made = _tenant(first)
    tenant, key = made["tenant"], made["credentials"]["itep"]["api_key"]
    added = second.request(
        "POST", f"/_sandbox/tenants/{tenant}/itep/inventory",
        json={"product_code": "AP", "count": 80},
    )
    assert added.status_code == 201, added.text
    sql = (
        "SELECT t.test_id FROM itep_test t JOIN itep_product p ON p.pk = t.product_pk "
        "WHERE t.tenant_id = ? AND p.code = ? AND t.available"
    )
    available = {row[0] for row in db_rows(url, sql, tenant, "AP")}
    assert len(available) == 100 < ROUNDS * THREADS

    def send(session, base, n):
        body = {"assigned_to": {"name": f"Racer {n}", "email": f"racer{n}@example.com"},
                "oid": f"OID-{n}"}
        return session.post(f"{base}/itep/api/v1/test-ids/assign", json=body,
                            headers={"X-API-Key": key}, timeout=60)

    answers = _at_once([first.base, second.base], send)
    got = {}
    for n, answer in enumerate(answers):
        if answer.status_code == 200:
            got[n] = answer.json()["test_id"]
        else:
            assert answer.status_code == 409, answer.text
            assert answer.json() == {
                "error": "no_available_test_ids",
                "message": "No test ID of product AP is available (Ready and unassigned)",
            }
    assert len(got) == len(set(got.values())) == len(available)
    assert set(got.values()) == available
    assert db_rows(url, sql, tenant, "AP") == []
    # Each ID holds the oid of exactly the request that got it, whichever replica took it.
    sql = "SELECT test_id, oid FROM itep_test WHERE tenant_id = ?"
    held = dict(db_rows(url, sql, tenant))
    assert all(held[test_id] == f"OID-{n}" for n, test_id in got.items())
