"""Journal entries of reads are queued, not written under the writers' lock
(core/journal_queue.py): a read is answered while a writer holds the lock, its entry
appears once the lock is free, in answer order with the writes, and an entry of a
tenant deleted meanwhile is dropped."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait
from datetime import datetime

from sqlalchemy import func, select

from exam_sandbox.core.journal import JournalEntry, make_entry

PAGE = "/api/v2/Candidate?$top=5"


def _context(app):
    return app.extensions["exam_sandbox"]


def test_a_read_is_answered_while_a_writer_holds_the_lock(app, tenant):
    context = _context(app)
    leave = context.db.writers.hold()
    try:
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(tenant.surpass, "GET", PAGE).result(timeout=20)
        assert answer.status_code == 200, answer.json
    finally:
        leave()
    entries = tenant.admin("GET", "/journal").json["entries"]
    assert [(e["method"], e["path"], e["response"]["status"]) for e in entries] == [
        ("GET", "/surpass/api/v2/Candidate", 200)
    ]


def test_reads_and_writes_are_journaled_in_the_order_they_were_answered(tenant):
    calls = [
        ("GET", PAGE, None),
        ("POST", "/api/v2/Candidate", {"reference": "ORDER-1", "firstName": "O",
                                       "lastName": "Rder", "dateOfBirth": "2000-01-01"}),
        ("GET", "/api/v2/Candidate/999999", None),  # a refused read: 404
        ("POST", "/api/v2/Candidate", {"firstName": "no last name"}),  # a refused write
        ("GET", PAGE, None),
    ]
    statuses = []
    for method, path, body in calls:
        statuses.append(tenant.surpass(method, path, json=body).status_code)
    assert statuses == [200, 200, 404, 400, 200]
    entries = tenant.admin("GET", "/journal").json["entries"]
    assert [(e["method"], e["response"]["status"]) for e in entries] == [
        ("GET", 200), ("POST", 200), ("GET", 404), ("POST", 400), ("GET", 200)
    ]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)


def test_clearing_the_journal_also_clears_what_was_queued(tenant):
    assert tenant.surpass("GET", PAGE).status_code == 200
    assert tenant.admin("DELETE", "/journal").status_code == 200
    assert tenant.admin("GET", "/journal").json["entries"] == []


def test_an_entry_of_a_tenant_that_no_longer_exists_is_dropped(app):
    context = _context(app)
    context.journal.put(make_entry(
        tenant_id="gone-tenant", at=datetime(2030, 1, 1), provider="surpass", method="GET",
        path="/surpass/api/v2/Candidate", query="", request_headers={}, request_body=b"",
        status=200, response_body=b"{}", duration_ms=1.0,
    ))
    context.journal.flush()
    with context.db.session(write=False) as session:
        kept = session.execute(
            select(func.count()).where(JournalEntry.tenant_id == "gone-tenant")
        ).scalar_one()
    assert kept == 0


def test_a_journal_read_waits_for_journal_writes_already_queued(app, tenant):
    # Another worker's journal thread holding the writers' queue is stood in for by a
    # holder here: the read must wait for it, not read around it.
    context = _context(app)
    with ThreadPoolExecutor(1) as pool:
        leave = context.db.writers.hold()
        try:
            reading = pool.submit(tenant.admin, "GET", "/journal")
            done, _ = wait([reading], timeout=0.5)
        finally:
            leave()
        assert not done  # it waited for the holder
        assert reading.result(timeout=20).status_code == 200
