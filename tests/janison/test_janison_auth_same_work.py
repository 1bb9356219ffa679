"""OAuth2 client credentials (B1, issue 7 defect 6): an unknown client id and a known one
with a wrong secret get the same ``invalid_client`` body after the same work (the same
SQL, one secret comparison each, against a fixed dummy when no client matches)."""

from __future__ import annotations

from sql_statements import counted

INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": "The client id or client secret is invalid.",
}


def _refused(tenant, app, monkeypatch, client_id: str):
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": "x"}
    with counted(app, monkeypatch) as tally:
        r = tenant.http.post("/janison/oauth2/token", data=form)
    return tally, r


def test_unknown_client_and_wrong_secret_do_the_same_work(tenant, app, monkeypatch):
    known, known_r = _refused(tenant, app, monkeypatch, tenant.credentials["janison"]["clientId"])
    unknown, unknown_r = _refused(tenant, app, monkeypatch, "janison-nobody")
    assert known_r.status_code == unknown_r.status_code == 400
    assert known_r.json == unknown_r.json == INVALID_CLIENT
    assert known == unknown
    assert known["comparisons"] == 1


def test_wrong_bearer_token_and_expired_token_do_the_same_work(tenant, app, monkeypatch):
    """With a valid key, a made-up token and a real one past its expiry look alike."""
    tenant.freeze("2030-01-01T08:00:00Z")
    form = {"grant_type": "client_credentials", **{
        k: tenant.credentials["janison"][v]
        for k, v in (("client_id", "clientId"), ("client_secret", "clientSecret"))
    }}
    issued = tenant.http.post("/janison/oauth2/token", data=form).json["access_token"]
    tenant.admin("PUT", "/clock", json={"advance_seconds": 7200})
    key = {"Ocp-Apim-Subscription-Key": tenant.credentials["janison"]["subscriptionKey"]}
    tallies, bodies = [], []
    for token in (issued, "jat-" + "0" * 40):
        with counted(app, monkeypatch) as tally:
            r = tenant.janison("GET", "/api/test", auth={**key, "Authorization": f"Bearer {token}"})
        assert r.status_code == 401
        tallies.append(tally)
        bodies.append(r.json)
    assert bodies[0] == bodies[1] == {
        "statusCode": 401, "message": "Unauthorized. Access token is missing or invalid.",
    }
    assert tallies[0] == tallies[1]
