"""Auth (assumed, research notes B1): APIM subscription key plus bearer token, the
OAuth2 token endpoint, and each failure's APIM or OAuth2 body."""

from __future__ import annotations

import pytest
from jsupport import BASE

MISSING_KEY = {
    "statusCode": 401,
    "message": "Access denied due to missing subscription key. Make sure to include "
    "subscription key when making requests to an API.",
}
INVALID_KEY = {
    "statusCode": 401,
    "message": "Access denied due to invalid subscription key. Make sure to provide a valid "
    "key for an active subscription.",
}
INVALID_CLIENT = "The client id or client secret is invalid."
BAD_TOKEN = {"statusCode": 401, "message": "Unauthorized. Access token is missing or invalid."}


def key_only(tenant) -> dict:
    return {"Ocp-Apim-Subscription-Key": tenant.credentials["janison"]["subscriptionKey"]}


def with_token(tenant, token: str) -> dict:
    return {**key_only(tenant), "Authorization": f"Bearer {token}"}


def token_request(http, **form):
    return http.post("/janison/oauth2/token", data=form)


def client_form(tenant, **changes) -> dict:
    c = tenant.credentials["janison"]
    form = {
        "grant_type": "client_credentials",
        "client_id": c["clientId"],
        "client_secret": c["clientSecret"],
    }
    return {k: v for k, v in {**form, **changes}.items() if v is not None}


def test_tenant_credentials_have_the_janison_shape(tenant):
    c = tenant.credentials["janison"]
    assert set(c) == {"subscriptionKey", "token", "clientId", "clientSecret"}
    assert len(c["subscriptionKey"]) == 32 and c["token"].startswith("jt-")
    assert c["clientId"] == f"janison-{tenant.id}"
    assert tenant.janison("GET", "/api/test").status_code == 200


def test_demo_tenant_has_the_readme_credentials(http):
    creds = http.get("/_sandbox/tenants/demo").json["credentials"]["janison"]
    assert creds == {
        "subscriptionKey": "demo-subscription-key",
        "token": "demo-token",
        "clientId": "demo-client",
        "clientSecret": "demo-client-secret",
    }
    headers = {
        "Ocp-Apim-Subscription-Key": "demo-subscription-key",
        "Authorization": "Bearer demo-token",
    }
    assert http.get("/janison/api/candidate?$top=1", headers=headers).status_code == 200


def test_credentials_survive_a_reset(tenant):
    before = tenant.credentials["janison"]
    after = tenant.admin("POST", "/reset", json={}).json["credentials"]["janison"]
    assert after == before
    assert tenant.janison("GET", "/api/test").status_code == 200


def test_missing_subscription_key(tenant):
    c = tenant.credentials["janison"]
    r = tenant.janison("GET", "/api/test", auth={"Authorization": f"Bearer {c['token']}"})
    assert r.status_code == 401 and r.json == MISSING_KEY
    assert "WWW-Authenticate" not in r.headers


def test_unknown_subscription_key(tenant):
    r = tenant.janison("GET", "/api/test", auth={"Ocp-Apim-Subscription-Key": "nope"})
    assert r.status_code == 401 and r.json == INVALID_KEY


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer ", "Basic ZGVtbzpkZW1v", "Token abc"]
)
def test_missing_or_malformed_token(tenant, authorization):
    headers = key_only(tenant)
    if authorization is not None:
        headers["Authorization"] = authorization
    r = tenant.janison("GET", "/api/test", auth=headers)
    assert r.status_code == 401 and r.json == BAD_TOKEN
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_wrong_token(tenant):
    r = tenant.janison("POST", "/api/user", auth=with_token(tenant, "jt-not-it"), json={})
    assert r.status_code == 401 and r.json == BAD_TOKEN


def test_another_tenants_token_is_refused(tenant, http):
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    try:
        theirs = other["credentials"]["janison"]["token"]
        r = tenant.janison("GET", "/api/candidate", auth=with_token(tenant, theirs))
        assert r.status_code == 401 and r.json == BAD_TOKEN
        # Their key with my token: still the wrong tenant's token.
        mixed = {
            "Ocp-Apim-Subscription-Key": other["credentials"]["janison"]["subscriptionKey"],
            "Authorization": tenant.janison_auth["Authorization"],
        }
        assert tenant.janison("GET", "/api/candidate", auth=mixed).status_code == 401
    finally:
        http.delete(f"/_sandbox/tenants/{other['tenant']}")


def test_auth_comes_before_routing(tenant):
    assert tenant.janison("GET", "/api/nowhere", auth={}).json == MISSING_KEY
    assert tenant.janison("PATCH", "/api/candidate/1", auth={}).status_code == 401


def test_failed_auth_writes_nothing(tenant):
    body = {"userName": "ghost", "reference": "GHOST"}
    assert tenant.janison("POST", "/api/user", auth=key_only(tenant), json=body).status_code == 401
    assert tenant.janison("GET", "/api/user?$filter=userName eq 'ghost'").json["count"] == 0


def test_openapi_and_docs_need_no_credentials(http):
    assert http.get("/janison/openapi.json").status_code == 200
    assert http.get("/janison/docs/").status_code == 200


# --- POST /oauth2/token -----------------------------------------------------------------


def test_token_endpoint_issues_a_bearer_token(tenant):
    r = token_request(tenant.http, **client_form(tenant, scope="api://janison/.default"))
    assert r.status_code == 200
    assert list(r.json) == ["token_type", "expires_in", "access_token"]
    assert r.json["token_type"] == "Bearer" and r.json["expires_in"] == 3600
    token = r.json["access_token"]
    assert token.startswith("jat-") and token != tenant.credentials["janison"]["token"]
    assert tenant.janison("GET", "/api/test", auth=with_token(tenant, token)).status_code == 200
    # A second token is another token; both work.
    second = token_request(tenant.http, **client_form(tenant)).json["access_token"]
    assert second != token
    assert tenant.janison("GET", "/api/test", auth=with_token(tenant, second)).status_code == 200


def test_issued_tokens_expire_on_the_tenant_clock(tenant):
    tenant.freeze("2030-01-01T08:00:00Z")
    token = token_request(tenant.http, **client_form(tenant)).json["access_token"]
    auth = with_token(tenant, token)
    tenant.admin("PUT", "/clock", json={"advance_seconds": 3599})
    assert tenant.janison("GET", "/api/test", auth=auth).status_code == 200
    tenant.admin("PUT", "/clock", json={"advance_seconds": 1})
    r = tenant.janison("GET", "/api/test", auth=auth)
    assert r.status_code == 401 and r.json == BAD_TOKEN
    # The static token never expires.
    assert tenant.janison("GET", "/api/test").status_code == 200


def test_token_lifetime_is_a_setting(tenant):
    tenant.settings("janison", tokenLifetimeSeconds=120)
    assert token_request(tenant.http, **client_form(tenant)).json["expires_in"] == 120


def test_issued_tokens_are_deterministic_per_tenant(tenant):
    first = token_request(tenant.http, **client_form(tenant)).json["access_token"]
    tenant.admin("POST", "/reset", json={})
    # A reset keeps issued tokens (they are controls) and counts on: no token is reused.
    assert tenant.janison("GET", "/api/test", auth=with_token(tenant, first)).status_code == 200
    second = token_request(tenant.http, **client_form(tenant)).json["access_token"]
    assert second != first


@pytest.mark.parametrize(
    ("changes", "error", "description"),
    [
        ({"grant_type": None}, "invalid_request", "The request body must contain 'grant_type'."),
        (
            {"grant_type": "password"},
            "unsupported_grant_type",
            "The grant type 'password' is not supported.",
        ),
        (
            {"client_secret": None},
            "invalid_client",
            "The request body must contain 'client_id' and 'client_secret'.",
        ),
        ({"client_secret": "wrong"}, "invalid_client", INVALID_CLIENT),
        ({"client_id": "nobody"}, "invalid_client", INVALID_CLIENT),
    ],
)
def test_token_endpoint_refusals(tenant, changes, error, description):
    r = token_request(tenant.http, **client_form(tenant, **changes))
    assert r.status_code == 400
    assert r.json == {"error": error, "error_description": description}


def test_token_endpoint_takes_a_form_not_json(tenant):
    r = tenant.http.post("/janison/oauth2/token", json=client_form(tenant))
    assert r.status_code == 400 and r.json["error"] == "invalid_request"


def test_another_tenants_client_gets_its_own_token(tenant, http):
    demo = {
        "grant_type": "client_credentials",
        "client_id": "demo-client",
        "client_secret": "demo-client-secret",
    }
    token = token_request(http, **demo).json["access_token"]
    # Good for the demo tenant, not for this one.
    demo_auth = {
        "Ocp-Apim-Subscription-Key": "demo-subscription-key",
        "Authorization": f"Bearer {token}",
    }
    assert http.get("/janison/api/test", headers=demo_auth).status_code == 200
    assert tenant.janison("GET", "/api/test", auth=with_token(tenant, token)).status_code == 401


def test_hrefs_use_the_base_url(tenant):
    item = tenant.janison("GET", "/api/test/1").json["response"][0]
    assert item["href"] == f"{BASE}/test/1"
