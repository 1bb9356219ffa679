"""POST testschedule on precompiled SQL (models/schedule_sql.py): it reads and writes the
requesting tenant's rows only, derives the references the ORM path derived, and, with
its rules checked again under the writers' lock, gives identical schedules sent at once
exactly the outcome the rules define."""

from __future__ import annotations

import threading

import pytest
from jsupport import write_error
from sqlalchemy import func, select

from exam_sandbox.core.keys import derived_reference
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import Tenant
from exam_sandbox.providers.janison.models.scheduling import derived_schedule_reference
from exam_sandbox.providers.janison.tables import JCandidate, JEnrolment, JSchedule

NOW = "2030-01-01T08:00:00Z"
SCHEDULES = "/api/testschedule"


def body(**changes) -> dict:
    return {
        "testPackage": {"reference": "ENG-GEN-4S"},
        "centre": {"reference": "CTR001"},
        "candidates": [{"reference": "CAN0001"}, {"id": 5}],
        "testPackageDate": "2030-01-10",
        **changes,
    }


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


@pytest.fixture()
def other(http):
    """A second tenant of the same seed: the same references and ids as ``t``'s."""
    made = http.post("/_sandbox/tenants", json={"seed": 7}).json
    made["http"] = http
    made["auth"] = {
        "Ocp-Apim-Subscription-Key": made["credentials"]["janison"]["subscriptionKey"],
        "Authorization": f"Bearer {made['credentials']['janison']['token']}",
    }
    assert http.put(f"/_sandbox/tenants/{made['tenant']}/clock",
                    json={"now": NOW}).status_code == 200
    yield made
    http.delete(f"/_sandbox/tenants/{made['tenant']}")


def _as(other, method: str, path: str, **kwargs):
    return other["http"].open(f"/janison{path}", method=method, headers=other["auth"], **kwargs)


def _db(app):
    return app.extensions["exam_sandbox"].db


# --- tenants apart ---------------------------------------------------------------------


def test_a_booking_reads_and_writes_its_own_tenants_rows_only(t, other, app):
    # The other tenant retires its CAN0001 and takes a reference: neither touches t.
    assert _as(other, "DELETE", "/api/candidate/1").status_code == 200
    theirs = _as(other, "POST", SCHEDULES, json=body(candidates=[{"id": 2}], reference="R-1"))
    assert theirs.status_code == 200, theirs.json
    booked = t.janison("POST", SCHEDULES, json=body(reference="R-1"))
    assert booked.status_code == 200, booked.json
    # Same seed, so the same next ids in each tenant: counted per tenant.
    assert booked.json["id"] == theirs.json["id"]
    assert [e["candidate"]["reference"] for e in booked.json["enrolments"]] == [
        "CAN0001", "CAN0005"]
    with _db(app).session(write=False) as session:
        written = session.execute(
            select(JEnrolment.tenant_id, JCandidate.tenant_id)
            .join(JCandidate, JCandidate.pk == JEnrolment.candidate_pk)
            .join(JSchedule, JSchedule.pk == JEnrolment.schedule_pk)
            .where(JSchedule.reference == "R-1")
        ).all()
    assert sorted(written) == sorted(
        [(t.id, t.id), (t.id, t.id), (other["tenant"], other["tenant"])]
    )


def test_a_booking_is_refused_by_its_own_tenants_rows_only(t, other):
    # t retires its CAN0001 and takes R-2; the other tenant's booking is not refused.
    assert t.janison("DELETE", "/api/candidate/1").status_code == 200
    assert t.janison("POST", SCHEDULES, json=body(candidates=[{"id": 2}],
                                                   reference="R-2")).status_code == 200
    assert _as(other, "POST", SCHEDULES, json=body(reference="R-2")).status_code == 200
    write_error(
        t.janison("POST", SCHEDULES, json=body(reference="R-3")),
        400, (3003, "Candidate 'CAN0001' is retired", "candidates"),
    )


# --- the derived reference -------------------------------------------------------------


def test_derived_references_are_the_ones_core_derives_even_past_a_taken_one(t, app):
    first = t.janison("POST", SCHEDULES, json=body()).json
    # Take the reference the id after next would be given first, then book that id.
    with _db(app).session(write=False) as session:
        scope = RequestScope.for_tenant(session, session.get(Tenant, t.id), {})
        taken = derived_reference(scope, JSchedule, "testschedule", first["id"] + 2,
                                  prefix="TS-", hex_digits=8)
    assert t.janison("POST", SCHEDULES, json=body(reference=taken)).status_code == 200
    with _db(app).session(write=False) as session:
        scope = RequestScope.for_tenant(session, session.get(Tenant, t.id), {})
        expected = derived_reference(scope, JSchedule, "testschedule", first["id"] + 2,
                                     prefix="TS-", hex_digits=8)
        assert expected != taken
        for new_id in range(1, 40):  # the hot path's function, beside core's
            assert derived_schedule_reference(scope.sql, scope.seed, new_id) == (
                derived_reference(scope, JSchedule, "testschedule", new_id,
                                  prefix="TS-", hex_digits=8))
    third = t.janison("POST", SCHEDULES, json=body())
    assert third.status_code == 200 and third.json["reference"] == expected


# --- identical schedules sent at once --------------------------------------------------


def _at_once(app, tenant, payload: dict, count: int = 20) -> list:
    """``count`` identical POSTs from as many threads, each with its own client."""
    start = threading.Barrier(count)
    answers: list = [None] * count

    def send(index: int) -> None:
        client = app.test_client()
        start.wait()
        answers[index] = client.post(f"/janison{SCHEDULES}", json=payload,
                                     headers=tenant.janison_auth)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _schedules(app, tenant_id: str, **where) -> int:
    with _db(app).session(write=False) as session:
        query = select(func.count()).select_from(JSchedule).where(
            JSchedule.tenant_id == tenant_id, *(getattr(JSchedule, k) == v
                                                for k, v in where.items()))
        return session.execute(query).scalar_one()


def test_identical_schedules_with_one_reference_sent_at_once_book_it_once(t, app):
    answers = _at_once(app, t, body(reference="AT-ONCE"))
    booked = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code != 200]
    assert len(booked) == 1, [a.status_code for a in answers]
    for answer in refused:
        write_error(answer, 409, (
            3001, "A test schedule with reference 'AT-ONCE' already exists", "reference"))
    assert _schedules(app, t.id, reference="AT-ONCE") == 1


def test_identical_schedules_without_a_reference_sent_at_once_are_all_booked(t, app):
    before = _schedules(app, t.id)
    answers = _at_once(app, t, body())
    assert [a.status_code for a in answers] == [200] * 20, [a.json for a in answers]
    assert len({a.json["id"] for a in answers}) == 20
    assert len({a.json["reference"] for a in answers}) == 20
    sessions = [e["testSessionId"] for a in answers for e in a.json["enrolments"]]
    keycodes = [c["keycode"] for a in answers for e in a.json["enrolments"]
                for c in e["components"]]
    assert len(set(sessions)) == 40 and len(set(keycodes)) == len(keycodes)
    assert _schedules(app, t.id) == before + 20
