"""The webhook controls (``/_sandbox/tenants/<id>/webhooks``), tenant isolation, what a
reset or a deletion does to deliveries, and enqueueing inside a write that fails: the
delivery rolls back with it, through the admin's session and a vendor request's alike."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from flask import Flask
from support import db_rows
from webhook_support import SHOWN, HookTenant, fixtures

from exam_sandbox.core import request_scope, webhooks
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import get_tenant

QUIET = 0.3


class Refused(RuntimeError):
    """The failure a test's write ends in."""


app, tenant, receiver = fixtures("webhook-controls", seed=11)


def test_the_list_shows_every_delivery_newest_last(tenant, receiver):
    assert tenant.listed() == []
    cirrus = {"CandidateExtId": "C-1", "AttemptExtId": "A-1"}
    first = tenant.enqueue(receiver.url, cirrus, event="exam.results")
    # An iTEP-like form body: one field, data, holding JSON; the list shows the object.
    itep = {"OID": "o-1", "TestID": "ABCD1234AP", "Status": "Complete"}
    form = urlencode({"data": json.dumps(itep)}).encode()
    second = tenant.enqueue(
        receiver.url,
        itep,
        vendor="itep",
        event="test.status",
        body=form,
        content_type="application/x-www-form-urlencoded",
    )
    third = tenant.enqueue(receiver.url, {"n": 3})
    assert (first, second, third) == (1, 2, 3)  # counted per tenant
    receiver.wait_for(3, timeout=3)
    for delivery_id in (first, second, third):
        tenant.in_state(delivery_id, "delivered")

    listed = tenant.listed()
    assert [d["id"] for d in listed] == [1, 2, 3]
    assert all(set(d) == SHOWN for d in listed)
    assert listed[0] | {"attempts": None} == {
        "id": 1,
        "vendor": "cirrus",
        "url": receiver.url,
        "event": "exam.results",
        "payload": cirrus,
        "attempts": None,
        "state": "delivered",
    }
    assert listed[1]["vendor"] == "itep" and listed[1]["payload"] == itep
    (at,) = [a["at"] for a in listed[1]["attempts"]]
    assert at.endswith("Z")
    form_request = next(r for r in receiver.requests if r.form is not None)
    assert form_request.body == form
    assert json.loads(form_request.form["data"]) == itep


def test_unknown_tenant_and_delivery_are_404s_in_the_admin_shape(tenant):
    http = tenant.http
    for response in (
        http.get("/_sandbox/tenants/t-nobody/webhooks"),
        http.post("/_sandbox/tenants/t-nobody/webhooks/1/redeliver", json={}),
    ):
        assert response.status_code == 404
        assert response.json == {"error": {"status": 404, "message": "No tenant 't-nobody'"}}
    for delivery_id in (1, 99, 2**70):
        response = tenant.admin("POST", f"/webhooks/{delivery_id}/redeliver", json={})
        assert response.status_code == 404
        assert response.json == {
            "error": {
                "status": 404,
                "message": f"No webhook delivery {delivery_id} of tenant '{tenant.id}'",
            }
        }
    response = tenant.admin("POST", "/webhooks/first/redeliver", json={})
    assert response.status_code == 404 and response.json["error"]["status"] == 404


def test_another_tenant_sees_none_of_them(app, tenant, receiver):
    ours = tenant.enqueue(receiver.url, {"whose": "ours"})
    tenant.in_state(ours, "delivered")
    other = HookTenant.create(app, seed=11)
    try:
        assert other.listed() == []
        # The same per-tenant id names nothing of theirs...
        response = other.admin("POST", f"/webhooks/{ours}/redeliver", json={})
        assert response.status_code == 404
        # ... and once they have one of their own, it is theirs that is sent again.
        theirs = other.enqueue(receiver.url, {"whose": "theirs"})
        assert theirs == ours == 1
        other.in_state(theirs, "delivered")
        response = other.admin("POST", f"/webhooks/{theirs}/redeliver", json={})
        assert response.json["payload"] == {"whose": "theirs"}
        receiver.wait_for(3, timeout=3)
        assert [d["payload"] for d in other.listed()] == [{"whose": "theirs"}]
        assert [d["payload"] for d in tenant.listed()] == [{"whose": "ours"}]
        assert len(tenant.shown(ours)["attempts"]) == 1
    finally:
        other.delete()


def test_a_reset_and_a_deletion_remove_the_tenants_deliveries(app, receiver):
    tenant = HookTenant.create(app)
    url = app.extensions["exam_sandbox"].db.url
    tenant.enqueue(receiver.url)
    assert len(tenant.listed()) == 1
    assert tenant.admin("POST", "/reset", json={}).status_code == 200
    assert tenant.listed() == []
    again = tenant.enqueue(receiver.url)
    assert again == 1  # the reset also restarts the ids, as it does a vendor's
    tenant.delete()
    rows = db_rows(url, "SELECT count(*) FROM webhook_delivery WHERE tenant_id = ?", tenant.id)
    assert rows == [(0,)]


def test_a_write_that_fails_leaves_no_delivery(tenant, receiver):
    with pytest.raises(Refused), tenant.db.session(write=True) as session:
        scope = RequestScope.for_tenant(session, get_tenant(session, tenant.id), {})
        webhooks.enqueue(
            scope, vendor="cirrus", url=receiver.url, event="e", payload={}, body=b"{}"
        )
        raise Refused("the rule refused after enqueueing")
    time.sleep(QUIET)
    assert tenant.listed() == []
    assert receiver.requests == []


@pytest.fixture()
def vendor_app(app):
    """A vendor-like app on the same context: its request scope is the real one, so the
    delivery commits with the request, or rolls back with a refusal (status >= 400)."""
    made = Flask("webhook-vendor-under-test")
    request_scope.install(made, app.extensions["exam_sandbox"], "webhook-vendor")

    @made.post("/<tenant_id>/publish")
    def publish(tenant_id: str):
        from flask import request

        tenant = get_tenant(request_scope.reader().read_session(), tenant_id)
        scope = request_scope.open_scope(tenant, {})
        scope.write()
        body = request.get_data()
        delivery_id = webhooks.enqueue(
            scope,
            vendor="webhook-vendor",
            url=request.args["to"],
            event="published",
            payload=json.loads(body),
            body=body,
        )
        if request.args.get("refuse"):
            return {"refused": True}, 409
        return {"delivery": delivery_id}

    return made.test_client()


def test_a_refused_request_rolls_its_delivery_back(tenant, receiver, vendor_app):
    refused = vendor_app.post(f"/{tenant.id}/publish?to={receiver.url}&refuse=1", data=b'{"n": 1}')
    assert refused.status_code == 409
    time.sleep(QUIET)
    assert tenant.listed() == [] and receiver.requests == []

    kept = vendor_app.post(f"/{tenant.id}/publish?to={receiver.url}", data=b'{"n": 2}')
    assert kept.status_code == 200
    (received,) = receiver.wait_for(1, timeout=3)  # woken when the request committed
    assert received.body == b'{"n": 2}'
    assert tenant.in_state(kept.json["delivery"], "delivered")["payload"] == {"n": 2}
