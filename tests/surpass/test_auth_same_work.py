"""AUTH-1 (issue 7, defect 6): a 401 must not tell an unknown username from a known one
with a wrong password. Both paths run the same SQL and compare one hash per candidate
row (a fixed dummy when none), so neither the body nor the work differs."""

from __future__ import annotations

from sql_statements import counted
from support import basic, errors_of

AUTH_1 = [(401, "Authorization has been denied for this request.")]


def _refused(tenant, app, monkeypatch, username: str) -> tuple[dict, object]:
    with counted(app, monkeypatch) as tally:
        r = tenant.surpass("GET", "/api/v2/Candidate?$top=1", auth=basic(username, "wrong"))
    return tally, r


def test_AUTH_1_unknown_user_and_wrong_password_do_the_same_work(tenant, app, monkeypatch):
    tenant.surpass_user("timing-alice", "right-password", permissions=["ViewCandidates"])
    known, known_r = _refused(tenant, app, monkeypatch, "timing-alice")
    unknown, unknown_r = _refused(tenant, app, monkeypatch, "timing-nobody")
    assert known_r.status_code == unknown_r.status_code == 401
    assert errors_of(known_r) == AUTH_1 and known_r.json == unknown_r.json
    assert known_r.headers["WWW-Authenticate"] == unknown_r.headers["WWW-Authenticate"]
    assert known == unknown
    assert known["comparisons"] == 1


def test_AUTH_1_the_right_password_still_signs_in(tenant, app, monkeypatch):
    auth = tenant.surpass_user("timing-bob", "right-password", permissions=["ViewCandidates"])
    r = tenant.surpass("GET", "/api/v2/Candidate?$top=1", auth=auth)
    assert r.status_code == 200, r.json
