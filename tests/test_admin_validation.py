"""What the /_sandbox controls answer to input their schemas refuse: a 400 in the
controls' error shape, with marshmallow's messages per field as ``details`` and prose
(never a Python repr) as the message."""

from __future__ import annotations

JSON = {"Content-Type": "application/json"}


def invalid(response, details: dict, where: str = "request body") -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json == {
        "error": {"status": 400, "message": f"Invalid {where}", "details": details}
    }


def test_a_tenant_body_names_each_refused_field(http):
    response = http.post("/_sandbox/tenants", json={"seed": "x", "colour": "red"})
    invalid(response, {"seed": ["Not a valid integer."], "colour": ["Unknown field."]})


def test_a_body_that_is_not_an_object_is_refused_as_a_whole(http):
    invalid(http.post("/_sandbox/tenants", json=[1, 2]), {"_schema": ["Invalid input type."]})


def test_the_journal_query_string_is_validated(tenant):
    response = tenant.admin("GET", "/journal?colour=red")
    invalid(response, {"colour": ["Unknown field."]}, where="query string")


def test_reset_takes_no_options(tenant):
    invalid(tenant.admin("POST", "/reset", json={"hard": True}), {"hard": ["Unknown field."]})
    assert tenant.admin("POST", "/reset", data="", headers=JSON).status_code == 200


def test_the_clock_asks_for_one_change(tenant):
    response = tenant.admin("PUT", "/clock", json={})
    invalid(response, {"_schema": ["Give 'now', 'advance_seconds' or 'frozen'."]})


def test_a_settings_patch_is_validated_by_its_own_vendor(tenant):
    # Janison's setting is no Surpass setting, and the other way round.
    invalid(
        tenant.admin("PATCH", "/settings/surpass", json={"retireTwice": "ok"}),
        {"retireTwice": ["Unknown field."]},
    )
    invalid(
        tenant.admin("PATCH", "/settings/janison", json={"pinLength": 8}),
        {"pinLength": ["Unknown field."]},
    )
    assert tenant.settings("janison", retireTwice="ok")["retireTwice"] == "ok"


def test_a_settings_patch_changes_only_what_it_sends(tenant):
    tenant.settings("janison", tokenLifetimeSeconds=600)
    after = tenant.settings("janison", retireTwice="ok")
    assert after == {
        "topOverLimit": "reject",
        "allowPastTestPackageDate": False,
        "retireTwice": "ok",
        "tokenLifetimeSeconds": 600,
    }


def test_janisons_complete_names_the_fields_not_a_repr(tenant):
    response = tenant.admin(
        "POST",
        "/janison/testschedule/1/complete",
        json={"scores": {"ENG-GEN-4S-W": 101}, "candidates": "all"},
    )
    invalid(
        response,
        {
            "scores": {
                "ENG-GEN-4S-W": {
                    "value": ["Must be greater than or equal to 0 and less than or equal to 100."]
                }
            },
            "candidates": ["Not a valid list."],
        },
    )


def test_janisons_complete_takes_an_empty_body(tenant):
    response = tenant.admin("POST", "/janison/testschedule/1/complete", data="", headers=JSON)
    assert response.status_code == 200
    assert response.json["testSchedule"] == 1
    assert [r["candidate"]["reference"] for r in response.json["results"]] == [
        "CAN0001", "CAN0005", "CAN0009", "CAN0013",
    ]  # fmt: skip


def test_janisons_complete_of_an_unknown_tenant_is_404(http):
    response = http.post(
        "/_sandbox/tenants/t-000000000000/janison/testschedule/1/complete", json={}
    )
    assert response.status_code == 404
    assert response.json == {"error": {"status": 404, "message": "No tenant 't-000000000000'"}}


def test_surpass_users_name_records_by_id_reference_or_object(tenant):
    response = tenant.admin(
        "POST",
        "/surpass/users",
        json={
            "username": "u",
            "password": "p",
            "centres": [{"id": "CEN001"}, True, {"id": 1, "reference": "CEN001"}, ""],
        },
    )
    invalid(
        response,
        {
            "centres": {
                "0": ["'id' must be an integer."],
                "1": ["Give a positive id, a non-empty reference, or an object of one."],
                "2": ["An object names a record by 'id' or 'reference' alone."],
                "3": ["Give a positive id, a non-empty reference, or an object of one."],
            }
        },
    )
    unknown = tenant.admin(
        "POST", "/surpass/users", json={"username": "u", "password": "p", "subjects": [999]}
    )
    assert unknown.status_code == 400
    assert unknown.json == {
        "error": {"status": 400, "message": "No subject with id 999 in this tenant"}
    }
    named = tenant.admin(
        "POST",
        "/surpass/users",
        json={"username": "v", "password": "p", "centres": [{"reference": "CEN002"}, 1]},
    )
    assert named.status_code == 201
    assert named.json["centres"] == ["CEN001", "CEN002"]
