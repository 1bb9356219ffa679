"""Issue 7, defect 4: a tenant clock stays inside the range every vendor's date
arithmetic can handle; a change that would leave it is refused with a 400 in the
``/_sandbox`` error shape, never answered with a 500 (or a hang) later on."""

from __future__ import annotations

import pytest

from exam_sandbox.core.clock import MAX_INSTANT, MIN_INSTANT, format_instant

EARLIEST = "1900-01-01T00:00:00.000Z"
LATEST = "9000-12-31T23:59:59.999Z"
RANGE = f"between {EARLIEST} and {LATEST}"
NEW = {"firstName": "Ada", "lastName": "Lovelace", "dateOfBirth": "1990-01-31"}


def _clock(tenant, **change):
    return tenant.admin("PUT", "/clock", json=change)


def test_the_documented_range_is_the_one_enforced():
    assert (format_instant(MIN_INSTANT), format_instant(MAX_INSTANT)) == (EARLIEST, LATEST)


@pytest.mark.parametrize("now", ["9999-12-31T23:59:59.999Z", "9001-01-01T00:00:00Z",
                                 "0001-01-01T00:00:00Z", "1899-12-31T23:59:59.999Z"])
def test_a_clock_set_outside_the_range_is_refused(tenant, now):
    before = _clock(tenant, now="2030-01-01T00:00:00Z").json
    r = _clock(tenant, now=now)
    assert r.status_code == 400
    assert r.json == {
        "error": {
            "status": 400,
            "message": "Invalid request body",
            "details": {"now": [f"The clock must stay {RANGE}."]},
        }
    }
    assert tenant.admin("GET", "/clock").json == before


@pytest.mark.parametrize("seconds", [1e20, -1e20, 10**9 + 1])
def test_an_advance_beyond_what_a_clock_can_move_is_refused(tenant, seconds):
    r = _clock(tenant, advance_seconds=seconds)
    assert r.status_code == 400
    assert r.json["error"]["status"] == 400
    assert r.json["error"]["message"] == "Invalid request body"
    assert list(r.json["error"]["details"]) == ["advance_seconds"]


@pytest.mark.parametrize(
    ("now", "seconds"), [(LATEST, 0.001), ("1900-01-01T00:00:10Z", -11)]
)
def test_an_advance_that_would_leave_the_range_is_refused(tenant, now, seconds):
    assert _clock(tenant, now=now).status_code == 200
    r = _clock(tenant, advance_seconds=seconds)
    assert r.status_code == 400
    assert r.json == {"error": {"status": 400, "message": f"The clock must stay {RANGE}."}}
    assert tenant.admin("GET", "/clock").json["now"] == format_instant(
        MAX_INSTANT if seconds > 0 else MIN_INSTANT.replace(second=10)
    )


def test_a_running_clock_cannot_be_advanced_out_of_the_range(tenant):
    assert _clock(tenant, now="9000-12-31T00:00:00Z").status_code == 200
    assert _clock(tenant, frozen=False).json["frozen"] is False
    r = _clock(tenant, advance_seconds=86400)
    assert r.status_code == 400
    assert r.json == {"error": {"status": 400, "message": f"The clock must stay {RANGE}."}}


def test_at_the_latest_instant_every_vendor_answers_normally(tenant):
    assert _clock(tenant, now=LATEST).json == {"now": LATEST, "frozen": True}
    running = _clock(tenant, frozen=False)
    assert running.status_code == 200 and running.json["frozen"] is False
    # A Surpass write, on the running clock past the end of the range.
    created = tenant.surpass("POST", "/api/v2/Candidate", json={**NEW, "reference": "END-1"})
    assert created.status_code == 200, created.json
    assert created.json["reference"] == "END-1"
    # A Janison token of the longest lifetime: its expiry is the clock plus a day.
    tenant.settings("janison", tokenLifetimeSeconds=86400)
    c = tenant.credentials["janison"]
    token = tenant.http.post(
        "/janison/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": c["clientId"],
            "client_secret": c["clientSecret"],
        },
    )
    assert token.status_code == 200, token.json
    assert token.json["expires_in"] == 86400
    auth = {
        "Ocp-Apim-Subscription-Key": c["subscriptionKey"],
        "Authorization": f"Bearer {token.json['access_token']}",
    }
    assert tenant.janison("GET", "/api/test", auth=auth).status_code == 200
    # And the clock moves on from there as far as it may.
    moved = _clock(tenant, advance_seconds=-86400)
    assert moved.status_code == 200 and moved.json["now"].startswith("9000-12-3")
