"""Issue 7, defect 1: no request can leave the writer lock held, whatever raises.

A vendor request's write session holds the writer queue (a thread lock and a file lock)
until it is closed. Each test makes one step of the request scope fail (flush, journal,
commit, the tenant's clock, rollback, close, another after_request) and then proves the
next requests, a write and a read, of this tenant and of another one, are served. They
run in a thread with a deadline, so a lock left held fails the test instead of hanging
the suite.
"""

from __future__ import annotations

import threading

import pytest
from flask import Flask, request
from sqlalchemy.orm import Session
from support import basic, errors_of

from exam_sandbox.app import default_config
from exam_sandbox.core import journal, request_scope
from exam_sandbox.core.clock import TenantClock
from exam_sandbox.core.db import Database, QueuedWriteSession
from exam_sandbox.core.provider import SandboxContext

DEADLINE_SECONDS = 20
NEW = {"firstName": "Ada", "lastName": "Lovelace", "dateOfBirth": "1990-01-31"}
UNEXPECTED = [(1000, "server: An unexpected error occurred")]


class Injected(RuntimeError):
    """The fault a test injects; never raised by the sandbox itself."""


def _raise(*_args, **_kwargs):
    raise Injected("injected fault")


def _within_deadline(work) -> dict:
    """Run ``work()`` in a thread; fail (not hang) if it is not done by the deadline."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as exc:  # reported to the test below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(DEADLINE_SECONDS)
    assert not worker.is_alive(), "the next request hung: the writer lock was left held"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture()
def other(http):
    """A second tenant, created before any fault."""
    response = http.post("/_sandbox/tenants", json={"seed": 7})
    assert response.status_code == 201, response.json
    yield response.json
    http.delete(f"/_sandbox/tenants/{response.json['tenant']}")


def _count(tenant) -> int:
    return tenant.surpass("GET", "/api/v2/Candidate?$top=1").json["count"]


def _assert_next_requests_served(app, tenant, other) -> None:
    """A write and a read of ``tenant``, a read and an admin write of ``other``."""

    def work():
        client = app.test_client()
        auth = other["credentials"]["surpass"]
        theirs = basic(auth["username"], auth["password"])
        return {
            "write": client.post(
                "/surpass/api/v2/Candidate",
                json={**NEW, "reference": "NEXT-1"},
                headers=tenant.surpass_auth,
            ),
            "read": client.get("/surpass/api/v2/Candidate?$top=1", headers=tenant.surpass_auth),
            "other read": client.get("/surpass/api/v2/Test?$top=1", headers=theirs),
            "other admin write": client.put(
                f"/_sandbox/tenants/{other['tenant']}/clock",
                json={"now": "2030-01-01T00:00:00Z"},
            ),
        }

    answers = _within_deadline(work)
    assert answers["write"].status_code == 200, answers["write"].json
    assert answers["write"].json["reference"] == "NEXT-1"
    assert answers["read"].status_code == 200 and answers["read"].json["count"] >= 1
    assert answers["other read"].status_code == 200
    assert answers["other read"].json["response"]
    assert answers["other admin write"].status_code == 200
    assert answers["other admin write"].json == {"now": "2030-01-01T00:00:00.000Z", "frozen": True}


def test_a_failed_flush_answers_500_and_releases_the_lock(app, tenant, other, monkeypatch):
    before = _count(tenant)
    monkeypatch.setattr(Session, "flush", _raise)
    r = tenant.surpass("POST", "/api/v2/Candidate", json={**NEW, "reference": "FLUSH-1"})
    monkeypatch.undo()
    assert r.status_code == 500 and errors_of(r) == UNEXPECTED
    assert _count(tenant) == before
    _assert_next_requests_served(app, tenant, other)


def test_a_failed_commit_turns_the_success_into_a_500(app, tenant, other, monkeypatch):
    before = _count(tenant)
    monkeypatch.setattr(QueuedWriteSession, "commit", _raise)
    r = tenant.surpass("POST", "/api/v2/Candidate", json={**NEW, "reference": "COMMIT-1"})
    monkeypatch.undo()
    # The write was not kept, so the client must not be told it was.
    assert r.status_code == 500 and errors_of(r) == UNEXPECTED
    assert _count(tenant) == before
    _assert_next_requests_served(app, tenant, other)


def test_a_failed_journal_write_keeps_the_answer(app, tenant, other, monkeypatch):
    before = _count(tenant)
    monkeypatch.setattr(journal, "record", _raise)
    r = tenant.surpass("POST", "/api/v2/Candidate", json={**NEW, "reference": "JOURNAL-1"})
    failed = tenant.surpass("POST", "/api/v2/Candidate", json={"firstName": "X"})
    monkeypatch.undo()
    # The journal never turns an answer into a failure, nor a failure into a hang.
    assert r.status_code == 200 and r.json["reference"] == "JOURNAL-1"
    assert failed.status_code == 400 and errors_of(failed)
    assert _count(tenant) == before + 1
    _assert_next_requests_served(app, tenant, other)


def test_a_failed_clock_read_answers_500_and_releases_the_lock(app, tenant, other, monkeypatch):
    monkeypatch.setattr(TenantClock, "now", _raise)
    r = tenant.surpass("POST", "/api/v2/Candidate", json={**NEW, "reference": "CLOCK-1"})
    monkeypatch.undo()
    assert r.status_code == 500 and errors_of(r) == UNEXPECTED
    _assert_next_requests_served(app, tenant, other)


def test_a_failed_rollback_keeps_the_error_and_releases_the_lock(app, tenant, other, monkeypatch):
    monkeypatch.setattr(QueuedWriteSession, "rollback", _raise)
    r = tenant.surpass("PUT", "/api/v2/Candidate/99999", json={"firstName": "X"})
    monkeypatch.undo()
    assert r.status_code == 404 and errors_of(r) == [(404, "Candidate not found")]
    _assert_next_requests_served(app, tenant, other)


def test_a_failed_close_still_releases_the_lock(app, tenant, other, monkeypatch):
    monkeypatch.setattr(Session, "close", _raise)
    r = tenant.surpass("POST", "/api/v2/Candidate", json={**NEW, "reference": "CLOSE-1"})
    monkeypatch.undo()
    # Committed before the close failed: the success is true and stands.
    assert r.status_code == 200 and r.json["reference"] == "CLOSE-1"
    _assert_next_requests_served(app, tenant, other)


def test_a_lone_surrogate_does_not_wedge_the_server(app, tenant, other):
    # The reproduction, with the JSON escape as curl sends it.
    body = '{"firstName":"\\ud800","lastName":"x","dateOfBirth":"2000-01-01"}'
    r = tenant.surpass(
        "POST", "/api/v2/Candidate", data=body, headers={"Content-Type": "application/json"}
    )
    assert not 200 <= r.status_code < 300
    assert errors_of(r)
    _assert_next_requests_served(app, tenant, other)


# --- the scope on its own: another after_request or the teardown fails ----------------


def _scoped_app(tmp_path, *, testing: bool) -> tuple[Flask, Database]:
    db = Database(f"sqlite:///{tmp_path / 'scope.db'}")
    db.create_schema()
    context = SandboxContext(db=db, config=default_config(database_url=db.url))
    app = Flask("scope-under-test")
    app.testing = testing
    request_scope.install(app, context, "scope-under-test")

    @app.post("/write")
    def write():
        return {"written": True}

    @app.after_request
    def _fails_on_demand(response):  # runs before the scope's own after_request
        if request.headers.get("X-Fail"):
            raise Injected("injected after_request fault")
        return response

    return app, db


@pytest.mark.parametrize("testing", [True, False], ids=["propagated", "handled"])
def test_a_failing_after_request_leaves_no_lock_held(tmp_path, testing):
    app, db = _scoped_app(tmp_path, testing=testing)
    try:
        client = app.test_client()
        if testing:
            with pytest.raises(Injected):
                client.post("/write", headers={"X-Fail": "1"})
        else:
            failed = client.post("/write", headers={"X-Fail": "1"})
            assert failed.status_code == 500 and b"Internal Server Error" in failed.data
        r = _within_deadline(lambda: app.test_client().post("/write"))
        assert r.status_code == 200 and r.json == {"written": True}
    finally:
        db.dispose()


def test_a_failing_teardown_rollback_still_releases_the_lock(tmp_path, monkeypatch):
    app, db = _scoped_app(tmp_path, testing=True)
    try:
        monkeypatch.setattr(QueuedWriteSession, "rollback", _raise)
        with pytest.raises(Injected):
            app.test_client().post("/write", headers={"X-Fail": "1"})
        monkeypatch.undo()
        r = _within_deadline(lambda: app.test_client().post("/write"))
        assert r.status_code == 200 and r.json == {"written": True}
    finally:
        db.dispose()


# --- the writer queue and its session ----------------------------------------------------


def test_a_write_session_whose_close_fails_releases_the_queue_once(tmp_path, monkeypatch):
    db = Database(f"sqlite:///{tmp_path / 'queue.db'}")
    try:
        held = db.open_session(write=True)
        monkeypatch.setattr(Session, "close", _raise)
        with pytest.raises(Injected):
            held.close()
        monkeypatch.undo()
        held.close()  # a second close must not release a queue someone else holds
        second = _within_deadline(lambda: db.open_session(write=True))
        # Had the second close released again, this third writer would get in at once.
        third_got_in = threading.Event()

        def third():
            db.open_session(write=True).close()
            third_got_in.set()

        threading.Thread(target=third, daemon=True).start()
        assert not third_got_in.wait(0.3), "the writer queue was released twice"
        second.close()
        assert third_got_in.wait(DEADLINE_SECONDS)
    finally:
        db.dispose()
