"""The /_sandbox controls: tenants, clock, settings, journal, reset."""

from __future__ import annotations

import re

import pytest
from support import basic


def test_demo_tenant_exists_with_readme_credentials(http):
    response = http.get("/_sandbox/tenants/demo")
    assert response.status_code == 200
    assert response.json["credentials"]["surpass"] == {
        "username": "demo",
        "password": "demo-password",
    }
    assert (
        http.get("/surpass/api/v2/Test", headers=basic("demo", "demo-password")).status_code == 200
    )


def test_create_tenant_answers_201_with_its_credentials(http):
    response = http.post("/_sandbox/tenants", json={"seed": 42})
    assert response.status_code == 201
    body = response.json
    assert re.fullmatch(r"t-[0-9a-f]{12}", body["tenant"])
    assert body["seed"] == 42
    creds = body["credentials"]["surpass"]
    assert creds["username"] == body["tenant"] and len(creds["password"]) >= 20
    assert http.get("/surpass/api/v2/Test", headers=basic(**creds)).status_code == 200


def test_create_tenant_without_body_uses_default_seed(http):
    response = http.post("/_sandbox/tenants", json={})
    assert response.status_code == 201
    assert response.json["seed"] == 1


@pytest.mark.parametrize(
    "body",
    [{"seed": "x"}, {"seed": -1}, {"unknown": 1}, {"tenant": "Bad Name!"}],
)
def test_create_tenant_rejects_bad_input(http, body):
    response = http.post("/_sandbox/tenants", json=body)
    assert response.status_code == 400
    assert response.json["error"]["status"] == 400


def test_create_tenant_rejects_a_body_that_is_not_json(http):
    response = http.post("/_sandbox/tenants", data="seed=4", content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["message"] == "Body must be a JSON object"


def test_named_tenant_conflicts_when_taken(http):
    assert http.post("/_sandbox/tenants", json={"tenant": "acme-ci"}).status_code == 201
    again = http.post("/_sandbox/tenants", json={"tenant": "acme-ci"})
    assert again.status_code == 409
    assert again.json["error"]["message"] == "Tenant 'acme-ci' already exists"


def test_delete_tenant_removes_it_and_its_credentials(http):
    created = http.post("/_sandbox/tenants", json={}).json
    auth = basic(**created["credentials"]["surpass"])
    assert http.delete(f"/_sandbox/tenants/{created['tenant']}").status_code == 204
    assert http.get(f"/_sandbox/tenants/{created['tenant']}").status_code == 404
    assert http.get("/surpass/api/v2/Test", headers=auth).status_code == 401
    assert http.delete(f"/_sandbox/tenants/{created['tenant']}").status_code == 404


def test_same_seed_gives_same_data(http):
    def snapshot(seed):
        creds = http.post("/_sandbox/tenants", json={"seed": seed}).json["credentials"]["surpass"]
        auth = basic(**creds)
        pages = [
            http.get(f"/surpass/api/v2/{resource}?$top=40", headers=auth).json["response"]
            for resource in ("Candidate", "Centre", "Test", "TestSession")
        ]
        # hrefs differ only by nothing; ids, references, names and keycodes must match
        return pages

    first, second, other = snapshot(99), snapshot(99), snapshot(100)
    assert first == second
    assert first != other


def test_tenants_are_isolated(http, tenant):
    other = http.post("/_sandbox/tenants", json={"seed": 7}).json
    other_auth = basic(**other["credentials"]["surpass"])
    # Change the first tenant; the second, same seed, must not see it.
    tenant.settings(purchaseOrderRequired=True)
    assert (
        http.get(f"/_sandbox/tenants/{other['tenant']}/settings/surpass").json[
            "purchaseOrderRequired"
        ]
        is False
    )
    mine = tenant.surpass("GET", "/api/v2/TestSession?$top=40").json["response"]
    theirs = http.get("/surpass/api/v2/TestSession?$top=40", headers=other_auth).json["response"]
    assert [s["keycode"] for s in mine] == [s["keycode"] for s in theirs]  # same seed
    # A credential is one tenant's: the other tenant's journal never shows my calls.
    tenant.surpass("GET", "/api/v2/Country")
    journal = http.get(f"/_sandbox/tenants/{other['tenant']}/journal").json
    assert all(e["path"] != "/surpass/api/v2/Country" for e in journal["entries"])


def test_clock_freeze_advance_and_run(tenant):
    frozen = tenant.admin("PUT", "/clock", json={"now": "2030-05-01T08:30:00Z"})
    assert frozen.status_code == 200
    assert frozen.json == {"now": "2030-05-01T08:30:00.000Z", "frozen": True}
    assert tenant.admin("GET", "/clock").json == frozen.json
    moved = tenant.admin("PUT", "/clock", json={"advance_seconds": 90})
    assert moved.json == {"now": "2030-05-01T08:31:30.000Z", "frozen": True}
    running = tenant.admin("PUT", "/clock", json={"frozen": False}).json
    assert running["frozen"] is False
    assert running["now"].startswith("2030-05-01T08:31")
    offset_kept = tenant.admin("PUT", "/clock", json={"advance_seconds": 3600}).json
    assert offset_kept["now"].startswith("2030-05-01T09:3")


def test_clock_accepts_offsets_and_rejects_nonsense(tenant):
    ok = tenant.admin("PUT", "/clock", json={"now": "2030-05-01T10:00:00+02:00"})
    assert ok.json["now"] == "2030-05-01T08:00:00.000Z"
    for body in ({"now": "yesterday"}, {}, {"advance_seconds": "x"}, {"frozen": "maybe"}):
        bad = tenant.admin("PUT", "/clock", json=body)
        assert bad.status_code == 400, body
        assert bad.json["error"]["status"] == 400


def test_clock_of_unknown_tenant_is_404(http):
    response = http.get("/_sandbox/tenants/t-000000000000/clock")
    assert response.status_code == 404
    assert response.json == {"error": {"status": 404, "message": "No tenant 't-000000000000'"}}


def test_settings_defaults_and_patch(tenant):
    defaults = tenant.admin("GET", "/settings/surpass").json
    assert defaults["multiDayScheduling"] is True
    assert defaults["purchaseOrderRequired"] is False
    assert defaults["enforceTimesRequired"] is False
    changed = tenant.settings(multiDayScheduling=False, pinLength=8)
    assert changed["multiDayScheduling"] is False and changed["pinLength"] == 8
    # A second patch keeps the first one's values.
    assert tenant.settings(purchaseOrderRequired=True)["multiDayScheduling"] is False


@pytest.mark.parametrize(
    "body", [{"multiDayScheduling": "perhaps"}, {"nonsense": True}, {"pinLength": 99}]
)
def test_settings_patch_rejects_bad_values(tenant, body):
    response = tenant.admin("PATCH", "/settings/surpass", json=body)
    assert response.status_code == 400
    assert response.json["error"]["message"] == "Invalid request body"


def test_settings_of_unknown_provider_is_404(tenant):
    response = tenant.admin("GET", "/settings/nowhere")
    assert response.status_code == 404
    assert response.json["error"]["message"] == "No provider 'nowhere'"


def test_journal_records_requests_and_filters(tenant):
    tenant.surpass("GET", "/api/v2/Country?$top=2")
    tenant.surpass("GET", "/api/v2/Test/999")
    entries = tenant.admin("GET", "/journal").json["entries"]
    assert [(e["method"], e["path"], e["response"]["status"]) for e in entries] == [
        ("GET", "/surpass/api/v2/Country", 200),
        ("GET", "/surpass/api/v2/Test/999", 404),
    ]
    assert entries[0]["query"] == "$top=2"
    assert entries[0]["request"]["headers"]["Authorization"] == "***"
    assert (
        '"count": 6' in entries[0]["response"]["body"]
        or '"count":6' in entries[0]["response"]["body"]
    )
    only_tests = tenant.admin("GET", "/journal?path=Test").json
    assert only_tests["count"] == 1 and only_tests["entries"][0]["path"].endswith("/Test/999")
    assert tenant.admin("GET", "/journal?method=post").json["count"] == 0
    assert tenant.admin("GET", "/journal?provider=surpass").json["count"] == 2
    assert tenant.admin("DELETE", "/journal").json == {"removed": 2}
    assert tenant.admin("GET", "/journal").json["count"] == 0


def test_a_body_over_the_size_limit_is_journaled_without_it(app, tenant):
    """A 413's body was never read: the entry says so instead of being lost."""
    limit = app.extensions["exam_sandbox"].config.max_body_bytes
    body = b"{" + b" " * limit + b"}"
    answer = tenant.itep(
        "POST", "/api/v1/test-ids/assign", data=body, content_type="application/json"
    )
    assert answer.status_code == 413
    [entry] = tenant.admin("GET", "/journal").json["entries"]
    assert (entry["method"], entry["path"], entry["response"]["status"]) == (
        "POST", "/itep/api/v1/test-ids/assign", 413,
    )
    assert entry["request"]["body"] == "(not kept: the body was over the size limit)"


def test_journal_is_bounded(app, tenant):
    limit = app.extensions["exam_sandbox"].config.journal_limit
    for _ in range(limit + 60):
        tenant.surpass("GET", "/api/v2/Country/1")
    journal = tenant.admin("GET", "/journal").json
    assert journal["count"] == limit
    assert journal["entries"][-1]["seq"] == limit + 60


def test_unauthenticated_requests_are_not_journaled(tenant, http):
    http.get("/surpass/api/v2/Country")
    assert tenant.admin("GET", "/journal").json["count"] == 0


def test_reset_restores_seeded_data_and_settings(tenant):
    before = tenant.surpass("GET", "/api/v2/Centre?$top=40").json["response"]
    tenant.settings(purchaseOrderRequired=True)
    created = tenant.surpass("POST", "/api/v2/Centre", json={"name": "Temporary Centre"})
    assert created.status_code == 200, created.json
    tenant.freeze("2031-01-01T00:00:00Z")
    reset = tenant.admin("POST", "/reset", json={})
    assert reset.status_code == 200
    assert tenant.surpass("GET", "/api/v2/Centre?$top=40").json["response"] == before
    assert tenant.admin("GET", "/settings/surpass").json["purchaseOrderRequired"] is False
    # The clock is a control, not data: a reset keeps it.
    assert tenant.admin("GET", "/clock").json["now"] == "2031-01-01T00:00:00.000Z"
    # The credentials still work after a reset.
    assert tenant.surpass("GET", "/api/v2/Test").status_code == 200


def test_surpass_users_admin_validates(tenant):
    bad = tenant.admin(
        "POST", "/surpass/users", json={"username": "u", "password": "p", "permissions": ["Fly"]}
    )
    assert bad.status_code == 400
    assert "permissions" in bad.json["error"]["details"]
    unknown_centre = tenant.admin(
        "POST", "/surpass/users", json={"username": "u", "password": "p", "centres": ["NOPE"]}
    )
    assert unknown_centre.status_code == 400
    assert unknown_centre.json["error"]["message"] == "No centre 'NOPE' in this tenant"
    tenant.surpass_user("dup")
    clash = tenant.admin("POST", "/surpass/users", json={"username": "dup", "password": "x"})
    assert clash.status_code == 409
    assert clash.json["error"]["message"] == "User 'dup' already exists"


def test_same_username_in_two_tenants_is_two_users(http, tenant):
    other = http.post("/_sandbox/tenants", json={}).json["tenant"]
    mine = tenant.surpass_user("alice", "pw-one", permissions=["ViewTests"])
    created = http.post(
        f"/_sandbox/tenants/{other}/surpass/users", json={"username": "alice", "password": "pw-two"}
    )
    assert created.status_code == 201
    assert http.get("/surpass/api/v2/Test", headers=mine).status_code == 200
    # Same name and same password would make the credential ambiguous: refused.
    ambiguous = http.post(
        f"/_sandbox/tenants/{other}/surpass/users", json={"username": "alice", "password": "pw-one"}
    )
    assert ambiguous.status_code == 409


def test_health(http):
    response = http.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert "surpass" in response.json["providers"]


def test_surpass_user_with_centre_and_subject_associations(tenant):
    created = tenant.admin(
        "POST",
        "/surpass/users",
        json={
            "username": "scoped",
            "password": "pw",
            "centres": ["CEN001", {"id": 2}],
            "subjects": ["MATHS"],
            "permissions": ["ViewTests"],
        },
    )
    assert created.status_code == 201
    assert created.json["centres"] == ["CEN001", "CEN002"]
    assert created.json["subjects"] == ["MATHS"]
    # Deleting the tenant removes the user and its links (no orphan rows block it).
    assert tenant.admin("DELETE").status_code == 204
