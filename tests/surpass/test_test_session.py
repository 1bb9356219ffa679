"""TestSession: GET list (paging, $filter, $orderBy), GET and PUT by id or keycode
(TSS-1..TSS-3), permissions and association scoping; and DELETE TestSchedule (TD-1..TD-3),
which acts on the same sessions. The seed gives ten sessions, one in each of the states
1, 2, 4, 5, 6, 7, 9, 10, 11 and 14, on consecutive days from 5 January 2026.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support import errors_of

from exam_sandbox.providers.surpass.tables import Centre, Subject, User, user_centre, user_subject

NOW = "2026-03-01T08:00:00Z"
BASE = "http://localhost/surpass/api/v2"
TZ = "GMT Standard Time"
FIELDS = [
    "id", "reference", "href", "keycode", "pin", "state", "stateName", "candidate", "centre",
    "test", "testForm", "subject", "startDate", "endDate", "startTime", "endTime",
    "scheduledFrom", "scheduledTo", "requiresInvigilation", "markedExternally", "purchaseOrder",
    "testTags", "language", "voidReason", "voidMessage",
]


def refuse(r, status: int, *errors: tuple[int, str]) -> None:
    assert r.status_code == status, r.json
    assert errors_of(r) == list(errors)


def restricted_user(tenant, name: str, permissions: list, centres=(), subjects=()) -> dict:
    """A Surpass user associated with only these centres and subjects (by reference). The
    association rows are written directly, independent of the admin endpoint."""
    auth = tenant.surpass_user(name, permissions=permissions)
    context = tenant.http.application.extensions["exam_sandbox"]
    with context.db.session(write=True) as db:
        user_pk = db.execute(select(User.pk).where(
            User.tenant_id == tenant.id, User.username == name)).scalar_one()
        for table, model, column, refs in ((user_centre, Centre, "centre_pk", centres),
                                           (user_subject, Subject, "subject_pk", subjects)):
            for ref in refs:
                pk = db.execute(select(model.pk).where(
                    model.tenant_id == tenant.id, model.reference == ref)).scalar_one()
                db.execute(table.insert().values(tenant_id=tenant.id, user_pk=user_pk,
                                                 **{column: pk}))
    return auth


@pytest.fixture()
def t(tenant):
    tenant.freeze(NOW)
    return tenant


def get(tenant, path: str = "", auth=None, **query):
    return tenant.surpass("GET", f"/api/v2/TestSession{path}", query_string=query, auth=auth)


def put(tenant, key, body: dict, auth=None):
    return tenant.surpass("PUT", f"/api/v2/TestSession/{key}", json=body, auth=auth)


def in_state(tenant, state: int) -> dict:
    return get(tenant, **{"$filter": f"state eq {state}"}).json["response"][0]


def ids(r) -> list[int]:
    assert r.status_code == 200, r.json
    return [item["id"] for item in r.json["response"]]


# --- GET ------------------------------------------------------------------------------


def test_list_default_page(t):
    r = get(t)
    assert r.status_code == 200
    assert list(r.json) == ["count", "top", "skip", "pageCount", "nextPageLink", "prevPageLink",
                            "response", "errors", "serverTimeZone"]
    assert (r.json["count"], r.json["top"], r.json["skip"], r.json["pageCount"]) == (10, 40, 0, 1)
    assert ids(r) == list(range(1, 11))
    assert [s["state"] for s in r.json["response"]] == [1, 2, 4, 5, 6, 7, 9, 10, 11, 14]
    assert list(r.json["response"][0]) == FIELDS


def test_item_fields(t):
    s = get(t, "/1").json["response"][0]
    assert s["reference"] == s["keycode"] and len(s["keycode"]) == 8
    assert s["href"] == f"{BASE}/TestSession/1"
    assert s["candidate"] == {"id": 1, "reference": "CAND00001", "href": f"{BASE}/Candidate/1"}
    assert s["test"] == {"id": 1, "reference": "MATHS-FND", "href": f"{BASE}/Test/1",
                         "name": "Foundation Paper"}
    assert s["subject"]["reference"] == "MATHS" and s["testForm"]["reference"] == "MATHS-FND-F1"
    assert (s["startDate"], s["scheduledFrom"], s["scheduledTo"]) == (
        "05/01/2026", "2026-01-05T09:00:00", "2026-01-05T17:00:00")
    assert (s["state"], s["stateName"], s["voidReason"], s["voidMessage"]) == (
        1, "ScheduledButNotCreated", None, None)


def test_get_by_id_and_keycode(t):
    first = get(t, "/3").json
    assert (first["count"], first["top"], first["pageCount"]) == (None, None, None)
    keycode = first["response"][0]["keycode"]
    assert get(t, f"/{keycode.lower()}").json["response"][0]["id"] == 3


@pytest.mark.parametrize("key", ["999", "NOSUCHKC", "9" * 30, "%C2%B2"])
def test_get_unknown_is_404(t, key):
    refuse(get(t, f"/{key}"), 404, (404, "TestSession not found"))


def test_paging_links(t):
    r = get(t, **{"$top": "3"})
    assert (r.json["count"], r.json["pageCount"], r.json["prevPageLink"]) == (10, 4, None)
    assert r.json["nextPageLink"] == f"{BASE}/TestSession?%24top=3&%24skip=3"
    last = get(t, **{"$top": "3", "$skip": "9"})
    assert ids(last) == [10] and last.json["nextPageLink"] is None
    assert last.json["prevPageLink"] == f"{BASE}/TestSession?%24top=3&%24skip=6"
    assert get(t, **{"$top": "100"}).status_code == 200


@pytest.mark.parametrize("top", ["0", "101", "-1", "x"])
def test_top_between_1_and_100(t, top):
    refuse(get(t, **{"$top": top}), 400, (1010, "$top must be between 1 and 100"))


@pytest.mark.parametrize("skip", ["-1", "x", "9" * 25])
def test_skip_non_negative(t, skip):
    refuse(get(t, **{"$skip": skip}), 400, (1011, "$skip must be a non-negative integer"))


@pytest.mark.parametrize(("query", "expected"), [
    ("state eq 4", [3]),
    ("state ge 9 and state ne 11", [7, 8, 10]),
    ("id lt 3", [1, 2]),
    ("candidate/id eq 1", [1]),
    ("candidate/reference eq 'CAND00001'", [1]),
    ("centre/reference eq 'CEN001'", [1, 6]),
    ("test/reference eq 'MATHS-FND'", [1, 9]),
    ("test/id eq 5", [2, 7]),
    ("testForm/reference eq 'ENGLANG-READ-F1'", [4, 6, 8, 10]),
    ("subject/reference eq 'COMPSCI'", [2, 7]),
    ("scheduledFrom ge 01/12/2026", [8, 9, 10]),
    ("scheduledTo lt 2026-01-06T17:00:00", [1]),
    ("startDate eq 01/07/2026", [3]),
    ("Centre/Id eq 1 or State eq 14", [1, 6, 10]),
])
def test_filters(t, query, expected):
    assert ids(get(t, **{"$filter": query})) == expected


def test_filter_by_keycode(t):
    keycode = get(t, "/4").json["response"][0]["keycode"]
    assert ids(get(t, **{"$filter": f"keycode eq '{keycode}'"})) == [4]


@pytest.mark.parametrize("query", ["nope eq 1", "state eq 'x'", "state eq", "id eq 1" * 400])
def test_bad_filter_is_400(t, query):
    r = get(t, **{"$filter": query})
    assert r.status_code == 400 and r.json["response"] is None
    assert errors_of(r)[0][0] == 1012


def test_order_by(t):
    assert ids(get(t, **{"$orderBy": "scheduledFrom desc", "$top": "3"})) == [10, 9, 8]
    assert ids(get(t, **{"$orderBy": "test/id desc,id", "$top": "3"})) == [3, 5, 2]


def test_AUTH_2_view_permission(t):
    editor = t.surpass_user("editor", permissions=["EditTestSessions"])
    refuse(get(t, auth=editor), 403, (403, "User does not have permission to view test sessions"))
    refuse(get(t, "/1", auth=editor), 403,
           (403, "User does not have permission to view test sessions"))


def test_user_sees_only_sessions_it_is_associated_with(t):
    user = restricted_user(t, "maths1", ["ViewTestSessions", "EditTestSessions"],
                           ["CEN001"], ["MATHS", "ENGLANG"])
    assert ids(get(t, auth=user)) == [1, 6]  # centre 1: MATHS-FND and ENGLANG-READ
    refuse(get(t, "/2", auth=user), 403, (403, "User is not associated with the centre"))
    refuse(put(t, 2, {"testState": "Voided", "voidReason": 1}, auth=user), 403,
           (403, "User is not associated with the centre"))


# --- PUT ------------------------------------------------------------------------------


def test_pause_and_resume(t):
    running = in_state(t, 6)
    r = put(t, running["keycode"], {"testState": "Paused"})
    assert r.status_code == 200, r.json
    assert r.json == {"id": running["id"], "reference": running["keycode"],
                      "href": f"{BASE}/TestSession/{running['id']}", "errors": [],
                      "serverTimeZone": TZ}
    assert get(t, f"/{running['id']}").json["response"][0]["stateName"] == "Paused"
    assert put(t, running["id"], {"testState": 6}).status_code == 200
    assert get(t, f"/{running['id']}").json["response"][0]["state"] == 6


@pytest.mark.parametrize("state", [4, 5, 6, 7, 14])
def test_void_from_each_allowed_state(t, state):
    session = in_state(t, state)
    r = put(t, session["id"], {"testState": "voided", "voidReason": "Absent"})
    assert r.status_code == 200, r.json
    after = get(t, f"/{session['id']}").json["response"][0]
    assert (after["state"], after["stateName"], after["voidReason"]) == (10, "Voided", 1)


@pytest.mark.parametrize(("state", "target", "names"), [
    (9, "InProgress", ("Finished", "InProgress")),
    (1, "Voided", ("ScheduledButNotCreated", "Voided")),
    (2, 10, ("ScheduledButNotDownloaded", "Voided")),
    (10, "Voided", ("Voided", "Voided")),
    (4, "Paused", ("Ready", "Paused")),
    (6, 9, ("InProgress", "Finished")),
    (7, "Paused", ("Paused", "Paused")),
])
def test_TSS_1_transition_not_allowed(t, state, target, names):
    r = put(t, in_state(t, state)["id"], {"testState": target, "voidReason": 1})
    refuse(r, 400, (2201, f"Cannot change the state of a test session from {names[0]} to "
                          f"{names[1]}"))


def test_TSS_2_void_reason_other_needs_message(t):
    ready = in_state(t, 4)["id"]
    refuse(put(t, ready, {"testState": 10, "voidReason": "Other"}), 400,
           (2202, "voidMessage is required when voidReason is Other"))
    refuse(put(t, ready, {"testState": 10, "voidReason": 4, "voidMessage": "  "}), 400,
           (2202, "voidMessage is required when voidReason is Other"))
    ok = put(t, ready, {"testState": 10, "voidReason": 4, "voidMessage": "Fire alarm"})
    assert ok.status_code == 200
    after = get(t, f"/{ready}").json["response"][0]
    assert (after["voidReason"], after["voidMessage"]) == (4, "Fire alarm")


def test_TSS_3_state_and_reason_values(t):
    ready = in_state(t, 4)["id"]
    refuse(put(t, ready, {}), 400, (2203, "testState is required"))
    refuse(put(t, ready, {"testState": "Flying"}), 400,
           (2203, "testState 'Flying' is not a SurpassApiExamState value or name"))
    refuse(put(t, ready, {"testState": 17}), 400,
           (2203, "testState '17' is not a SurpassApiExamState value or name"))
    refuse(put(t, ready, {"testState": "Voided", "voidReason": 7}), 400,
           (2203, "voidReason '7' is not a SurpassApiVoidReason value or name"))
    refuse(put(t, ready, {"testState": "Voided"}), 400,
           (2203, "voidReason is required when testState is Voided"))
    assert put(t, ready, {"testState": "Voided", "voidReason": "NotYetStarted"}).status_code == 200
    assert get(t, f"/{ready}").json["response"][0]["voidReason"] == -1


def test_put_unknown_session_and_permission(t):
    refuse(put(t, "NOSUCHKC", {"testState": "Paused"}), 404, (404, "TestSession not found"))
    viewer = t.surpass_user("viewer", permissions=["ViewTestSessions"])
    refuse(put(t, 1, {}, auth=viewer), 403,
           (403, "User does not have permission to edit test sessions"))


def test_put_in_xml(t):
    running = in_state(t, 6)["id"]
    r = t.surpass("PUT", f"/api/v2/TestSession/{running}",
                  data=b"<x><testState>Paused</testState></x>",
                  headers={"Content-Type": "application/xml"})
    assert r.status_code == 200 and r.mimetype == "application/xml"
    assert get(t, f"/{running}").json["response"][0]["state"] == 7


# --- DELETE TestSchedule ----------------------------------------------------------------


def delete(tenant, key, auth=None):
    return tenant.surpass("DELETE", f"/api/v2/TestSchedule/{key}", auth=auth)


def test_delete_by_id_and_by_keycode(t):
    by_id = in_state(t, 1)
    r = delete(t, by_id["id"])
    assert r.status_code == 200, r.json
    assert r.json == {"id": None, "href": None, "errors": [], "serverTimeZone": TZ}
    assert get(t, f"/{by_id['id']}").status_code == 404
    by_keycode = in_state(t, 2)
    assert delete(t, by_keycode["keycode"].lower()).status_code == 200
    assert get(t, f"/{by_keycode['keycode']}").status_code == 404
    assert get(t).json["count"] == 8


def test_TD_1_not_found(t):
    refuse(delete(t, 999), 404, (2101, "Test schedule not found"))
    refuse(delete(t, "NOSUCHKC"), 404, (2101, "Test schedule not found"))
    refuse(delete(t, "9" * 30), 404, (2101, "Test schedule not found"))


@pytest.mark.parametrize("state", [4, 5, 6, 7, 9, 10, 11, 14])
def test_TD_2_only_editable_states(t, state):
    refuse(delete(t, in_state(t, state)["id"]), 400,
           (2102, "Only test sessions in an editable state can be deleted"))


def test_TD_3_delete_needs_schedule_permission(t):
    viewer = t.surpass_user("viewer", permissions=["ViewTestSessions"])
    refuse(delete(t, 1, auth=viewer), 403,
           (403, "User does not have permission to delete test schedules"))
    elsewhere = restricted_user(t, "far", ["ScheduleTest"], ["CEN005"], ["MATHS"])
    refuse(delete(t, 1, auth=elsewhere), 403, (403, "User is not associated with the centre"))
    assert get(t).json["count"] == 10
