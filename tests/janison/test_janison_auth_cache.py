"""Janison authentication cached per worker (core/auth_cache.py, keyed on the subscription
key and the bearer token): a cached pair never outlives the tenant or the token it was
made for, an issued token's expiry is checked on the tenant's clock on every request, and
what the tenant row holds (settings, clock) is read fresh by every request."""

from __future__ import annotations

import secrets

from exam_sandbox.core.tenant_service import TenantService
from exam_sandbox.providers import all_providers

BAD_TOKEN = {"statusCode": 401, "message": "Unauthorized. Access token is missing or invalid."}
RESULTS = "/api/result"


def _issued(tenant) -> str:
    c = tenant.credentials["janison"]
    form = {"grant_type": "client_credentials", "client_id": c["clientId"],
            "client_secret": c["clientSecret"]}
    response = tenant.http.post("/janison/oauth2/token", data=form)
    assert response.status_code == 200, response.json
    return response.json["access_token"]


def _auth(tenant, token: str) -> dict:
    return {"Ocp-Apim-Subscription-Key": tenant.credentials["janison"]["subscriptionKey"],
            "Authorization": f"Bearer {token}"}


def _cached(tenant, auth: dict) -> None:
    """One successful request, which leaves the pair in the app's cache."""
    response = tenant.janison("GET", RESULTS, auth=auth)
    assert response.status_code == 200, response.json


def test_credentials_cached_before_a_reset_still_work_after_it(tenant):
    # A reset keeps the credentials and the issued tokens (controls); the cache must
    # neither refuse them nor hand out what the reset changed (its settings).
    issued = _issued(tenant)
    _cached(tenant, tenant.janison_auth)
    _cached(tenant, _auth(tenant, issued))
    tenant.settings("janison", topOverLimit="cap")
    assert tenant.admin("POST", "/reset", json={}).status_code == 200
    assert tenant.janison("GET", RESULTS).status_code == 200
    assert tenant.janison("GET", RESULTS, auth=_auth(tenant, issued)).status_code == 200
    refused = tenant.janison("GET", f"{RESULTS}?$top=101")  # the reset's default: reject
    assert refused.status_code == 400, refused.json


def test_a_deleted_tenants_cached_credentials_are_refused(tenant, http):
    _cached(tenant, tenant.janison_auth)
    assert http.delete(f"/_sandbox/tenants/{tenant.id}").status_code == 204
    assert tenant.janison("GET", RESULTS).status_code == 401


def test_a_token_cached_for_a_tenant_deleted_and_created_again_is_refused(app, http):
    # Same id and secret, so the same subscription key, static token and (with the id
    # counter starting over) the same first issued token string: only the tenant's
    # creation time tells the cached pair from one of the new tenant.
    db = app.extensions["exam_sandbox"].db
    tenant_id, secret = f"again-{secrets.token_hex(4)}", secrets.token_urlsafe(18)

    def create():
        with db.session(write=True) as session:
            TenantService(all_providers()).create(session, tenant_id=tenant_id, secret=secret)
        return http.get(f"/_sandbox/tenants/{tenant_id}").json["credentials"]["janison"]

    credentials = create()
    try:
        form = {"grant_type": "client_credentials", "client_id": credentials["clientId"],
                "client_secret": credentials["clientSecret"]}
        token = http.post("/janison/oauth2/token", data=form).json["access_token"]
        auth = {"Ocp-Apim-Subscription-Key": credentials["subscriptionKey"],
                "Authorization": f"Bearer {token}"}
        assert http.get(f"/janison{RESULTS}", headers=auth).status_code == 200
        assert http.delete(f"/_sandbox/tenants/{tenant_id}").status_code == 204
        assert create() == credentials
        refused = http.get(f"/janison{RESULTS}", headers=auth)
        assert refused.status_code == 401 and refused.json == BAD_TOKEN
        # Issued again by the new tenant, the same string is that tenant's token.
        assert http.post("/janison/oauth2/token", data=form).json["access_token"] == token
        assert http.get(f"/janison{RESULTS}", headers=auth).status_code == 200
    finally:
        http.delete(f"/_sandbox/tenants/{tenant_id}")


def test_an_issued_token_expires_after_it_was_cached(tenant):
    tenant.freeze("2030-01-01T08:00:00Z")
    auth = _auth(tenant, _issued(tenant))
    _cached(tenant, auth)
    tenant.admin("PUT", "/clock", json={"advance_seconds": 3599})
    _cached(tenant, auth)
    tenant.admin("PUT", "/clock", json={"advance_seconds": 1})
    refused = tenant.janison("GET", RESULTS, auth=auth)
    assert refused.status_code == 401 and refused.json == BAD_TOKEN
    # The clock set back, the token is valid again, as the database says.
    tenant.freeze("2030-01-01T08:30:00Z")
    _cached(tenant, auth)
    _cached(tenant, tenant.janison_auth)  # the static token never expires


def test_a_wrong_token_is_refused_after_the_right_one_was_cached(tenant):
    _cached(tenant, tenant.janison_auth)
    refused = tenant.janison("GET", RESULTS, auth=_auth(tenant, "jt-" + "0" * 40))
    assert refused.status_code == 401 and refused.json == BAD_TOKEN


def test_another_tenants_token_is_refused_after_both_were_cached(tenant, http):
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    try:
        theirs = other["credentials"]["janison"]
        _cached(tenant, tenant.janison_auth)
        assert http.get(f"/janison{RESULTS}", headers={
            "Ocp-Apim-Subscription-Key": theirs["subscriptionKey"],
            "Authorization": f"Bearer {theirs['token']}"}).status_code == 200
        mixed = _auth(tenant, theirs["token"])
        refused = tenant.janison("GET", RESULTS, auth=mixed)
        assert refused.status_code == 401 and refused.json == BAD_TOKEN
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")


def test_the_clock_and_settings_changed_after_caching_apply_to_the_next_request(tenant):
    _cached(tenant, tenant.janison_auth)
    assert tenant.janison("GET", f"{RESULTS}?$top=101").status_code == 400
    tenant.settings("janison", topOverLimit="cap")
    capped = tenant.janison("GET", f"{RESULTS}?$top=101")
    assert capped.status_code == 200 and capped.json["top"] == 100
    tenant.freeze("2031-06-01T10:00:00Z")
    body = {"testPackage": {"reference": "ENG-GEN-4S"}, "centre": {"reference": "CTR001"},
            "candidates": [{"id": 1}], "testPackageDate": "2031-05-31"}
    past = tenant.janison("POST", "/api/testschedule", json=body)
    assert past.status_code == 400, past.json
    assert past.json["errors"][0]["message"] == (
        "testPackageDate must not be before today (2031-06-01)"
    )
