"""Authentication cached per worker (core/auth_cache.py): a cached credential must never
outlive the user, permissions or tenant it was built from, and what the tenant row holds
(settings, clock) is read fresh by every request."""

from __future__ import annotations

from support import basic, errors_of

from exam_sandbox.core.auth_cache import CredentialCache, TenantRow, bump
from exam_sandbox.core.sql import SqlRunner
from exam_sandbox.core.tenants import Tenant

CANDIDATES = "/api/v2/Candidate"


def _cached(tenant, auth: dict) -> None:
    """One successful request, which leaves the credential in the app's cache."""
    response = tenant.surpass("GET", CANDIDATES, auth=auth)
    assert response.status_code == 200, response.json


def test_a_user_removed_by_a_reset_is_refused_at_once(tenant):
    limited = tenant.surpass_user("limited", permissions=["ViewCandidates"])
    _cached(tenant, limited)
    assert tenant.admin("POST", "/reset", json={}).status_code == 200
    refused = tenant.surpass("GET", CANDIDATES, auth=limited)
    assert refused.status_code == 401
    assert refused.json["errors"][0]["ErrorCode"] == 401


def test_a_tenant_deleted_and_created_again_under_its_id_does_not_inherit_cached_users(
    tenant, http
):
    # Its generation starts again at 0: only the creation time tells the two apart.
    limited = tenant.surpass_user("again", permissions=["ViewCandidates"])
    _cached(tenant, limited)
    assert http.delete(f"/_sandbox/tenants/{tenant.id}").status_code == 204
    created = http.post("/_sandbox/tenants", json={"seed": 7, "tenant": tenant.id})
    assert created.status_code == 201, created.json
    refused = tenant.surpass("GET", CANDIDATES, auth=limited)
    assert refused.status_code == 401


def test_a_deleted_tenants_cached_credentials_are_refused(tenant, http):
    own = tenant.surpass_auth
    _cached(tenant, own)
    assert http.delete(f"/_sandbox/tenants/{tenant.id}").status_code == 204
    assert tenant.surpass("GET", CANDIDATES, auth=own).status_code == 401


def test_a_wrong_password_is_refused_after_the_right_one_was_cached(tenant):
    right = tenant.surpass_user("pat", "right", permissions=["ViewCandidates"])
    _cached(tenant, right)
    wrong = tenant.surpass_user("pat2", "other", permissions=["ViewCandidates"])
    _cached(tenant, wrong)
    refused = tenant.surpass("GET", CANDIDATES, auth=basic("pat", "other"))
    assert refused.status_code == 401


def test_settings_changed_after_caching_apply_to_the_next_request(tenant):
    _cached(tenant, tenant.surpass_auth)
    refused = tenant.surpass("GET", f"{CANDIDATES}?$top=41")
    assert refused.status_code == 400
    assert refused.json["errors"][0]["ErrorCode"] == 1010  # PAGE-1
    tenant.settings(topOverLimit="cap")
    capped = tenant.surpass("GET", f"{CANDIDATES}?$top=41")
    assert capped.status_code == 200, capped.json
    assert capped.json["top"] == 40


def test_the_clock_set_after_caching_applies_to_the_next_request(tenant):
    _cached(tenant, tenant.surpass_auth)
    tenant.freeze("2031-06-01T10:00:00")
    body = {
        "test": {"id": 1}, "centre": {"id": 1}, "candidate": {"id": 1},
        "startDate": "01/06/2031", "endDate": "01/06/2031",
        "startTime": "0800", "endTime": "0900", "allowMultipleOpenSessions": True,
    }
    ended = tenant.surpass("POST", "/api/v2/TestSchedule", json=body,
                           headers={"autoSyncCentreSubject": "true"})
    assert ended.status_code == 400, ended.json
    assert errors_of(ended) == [(2027, "The test schedule window has already ended")]


# --- the cache on its own -------------------------------------------------------------


def test_an_entry_holds_until_its_tenants_generation_is_bumped(app, tenant):
    db = app.extensions["exam_sandbox"].db
    cache = CredentialCache()
    with db.session(write=False) as session:
        row = session.get(Tenant, tenant.id)
        cache.remember("key", row, "principal")
        sql = SqlRunner(None, session.connection)
        found = cache.lookup(sql, "key")
        assert found is not None
        assert isinstance(found[0], TenantRow) and found[0].id == tenant.id
        assert found[1] == "principal"
    with db.session(write=True) as session:
        bump(session, tenant.id)
    with db.session(write=False) as session:
        assert cache.lookup(SqlRunner(None, session.connection), "key") is None
        assert len(cache) == 0  # a stale entry is dropped, not kept to be checked again


def test_the_least_recently_used_entry_goes_first(app, tenant):
    db = app.extensions["exam_sandbox"].db
    cache = CredentialCache(capacity=2)
    with db.session(write=False) as session:
        row = session.get(Tenant, tenant.id)
        sql = SqlRunner(None, session.connection)
        cache.remember("a", row, 1)
        cache.remember("b", row, 2)
        assert cache.lookup(sql, "a") is not None  # "a" is now the most recent
        cache.remember("c", row, 3)
        assert cache.lookup(sql, "b") is None
        assert cache.lookup(sql, "a")[1] == 1
        assert cache.lookup(sql, "c")[1] == 3


def test_an_entry_does_not_hold_for_a_tenant_created_again_under_its_id(app, http):
    # Through the API a cached user is always newer than generation 0 (creating one
    # bumps it); here the entry is made at generation 0 to show the creation time, not
    # the generation alone, tells a new tenant of the same id from the one cached.
    db = app.extensions["exam_sandbox"].db
    assert http.post("/_sandbox/tenants", json={"tenant": "twice"}).status_code == 201
    cache = CredentialCache()
    with db.session(write=False) as session:
        cache.remember("key", session.get(Tenant, "twice"), "principal")
    assert http.delete("/_sandbox/tenants/twice").status_code == 204
    assert http.post("/_sandbox/tenants", json={"tenant": "twice"}).status_code == 201
    try:
        with db.session(write=False) as session:
            assert session.get(Tenant, "twice").generation == 0
            assert cache.lookup(SqlRunner(None, session.connection), "key") is None
    finally:
        http.delete("/_sandbox/tenants/twice")
