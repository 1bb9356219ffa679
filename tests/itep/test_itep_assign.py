"""Handing out test IDs: I7 (the answer, exactly; the test stays Ready, now assigned, and
leaves the AVAILABLE TESTS export), the email call (``emailed_to`` and one message in the
outbox; none for the plain call), I5 (every available AP ID taken: 409
``no_available_test_ids``, BP unaffected; ``saleAtFulfillment`` mints a new ID instead) and
I6 (a Ready ID whose Assigned-to is filled in is never handed out)."""

from __future__ import annotations

from isupport import (
    CANDIDATE,
    NOW,
    NOW_SHOWN,
    SEEDED_ASSIGNED,
    SEEDED_AVAILABLE,
    TEST_ID,
    assign,
    assigned,
    available,
    every_test_id,
    exhaust,
    moved,
    outbox,
    read_test,
    refused,
    tracking_code,
    writes_nothing,
)

# --- I7 ---------------------------------------------------------------------------------


def test_i7_the_answer_exactly(tenant):
    tracking_code(tenant, "ACME-HR")
    first = available(tenant, "AP")[0]
    response = assign(tenant, {"assigned_to": CANDIDATE, "oid": "HR-1", "tracking_code": "ACME-HR"})
    assert response.status_code == 200, response.json
    assert response.content_type == "application/json"
    assert response.json == {
        "test_id": first,
        "status": "Ready",
        "product_code": "AP",
        "assigned_to": CANDIDATE,
        "oid": "HR-1",
        "tracking_code": "ACME-HR",
        "source": "inventory",
    }
    # The wire's order of members.
    assert list(response.json) == [
        "test_id",
        "status",
        "product_code",
        "assigned_to",
        "oid",
        "tracking_code",
        "source",
    ]


def test_i7_the_test_stays_ready_is_assigned_and_leaves_the_export(tenant):
    before = available(tenant, "AP")
    tracking_code(tenant, "T1")
    got = assigned(tenant, {"assigned_to": CANDIDATE, "oid": "O-1", "tracking_code": "T1"})
    assert read_test(tenant, got["test_id"]) == {
        "test_id": got["test_id"],
        "product_code": "AP",
        "status": "Ready",
        "available": False,
        "assigned_to": CANDIDATE,
        "oid": "O-1",
        "tracking_code": "T1",
        "emailed_to": None,
        "source": "inventory",
        "levels": None,
        "duration": None,
    }
    assert available(tenant, "AP") == before[1:]
    assert got["test_id"] not in tenant.admin("GET", "/itep/available-tests?format=csv").get_data(
        as_text=True
    )


def test_i7_ids_are_handed_out_in_the_exports_order(tenant):
    before = available(tenant, "AP")
    handed = [assigned(tenant)["test_id"] for _ in range(5)]
    assert handed == before[:5]
    assert available(tenant, "AP") == before[5:]


def test_i7_the_plain_call_sends_no_email(tenant):
    got = assigned(tenant)
    assert "emailed_to" not in got
    assert read_test(tenant, got["test_id"])["emailed_to"] is None
    assert outbox(tenant) == []


# --- the email call ------------------------------------------------------------------------


def test_the_email_call_answers_emailed_to_and_fills_the_outbox(tenant):
    tenant.freeze(NOW)
    first = available(tenant, "AP")[0]
    got = assigned(tenant, {"assigned_to": CANDIDATE, "oid": "HR-1"}, email=True)
    assert got == {
        "test_id": first,
        "status": "Ready",
        "product_code": "AP",
        "assigned_to": CANDIDATE,
        "oid": "HR-1",
        "tracking_code": None,
        "source": "inventory",
        "emailed_to": "ada@example.com",
    }
    assert list(got)[-1] == "emailed_to"
    assert outbox(tenant) == [
        {
            "id": 1,
            "to": "ada@example.com",
            "test_id": first,
            "subject": f"Your iTEP test ID: {first}",
            "body": f"Dear Ada Lovelace,\n\nYour iTEP test ID is {first}. Use it to sign in "
            "at iteponline.com and take your test.\n",
            "sent_at": NOW_SHOWN,
        }
    ]
    shown = read_test(tenant, first)
    assert (shown["emailed_to"], shown["assigned_to"], shown["status"]) == (
        "ada@example.com",
        CANDIDATE,
        "Ready",
    )
    assert first not in available(tenant, "AP")


def test_the_email_call_trims_the_address_and_greets_without_a_name(tenant):
    got = assigned(tenant, {"assigned_to": {"email": "  bo@example.org "}}, email=True)
    assert got["emailed_to"] == "bo@example.org"
    assert got["assigned_to"] == {"email": "  bo@example.org "}  # stored as sent
    (message,) = outbox(tenant)
    assert message["to"] == "bo@example.org"
    assert message["test_id"] == got["test_id"]
    assert message["body"].startswith("Hello,\n\n")
    assert got["test_id"] in message["subject"] and got["test_id"] in message["body"]


def test_each_email_call_is_one_message_in_order(tenant):
    sent = []
    for n in range(3):
        person = {"name": f"C{n}", "email": f"c{n}@example.com", "reference": f"R{n}"}
        sent.append(assigned(tenant, {"assigned_to": person}, email=True)["test_id"])
        assigned(tenant, {"assigned_to": person})  # a plain call between: no message
    messages = outbox(tenant)
    assert [(m["id"], m["to"], m["test_id"]) for m in messages] == [
        (n + 1, f"c{n}@example.com", sent[n]) for n in range(3)
    ]
    assert [m["body"].splitlines()[0] for m in messages] == ["Dear C0,", "Dear C1,", "Dear C2,"]


# --- I5 ---------------------------------------------------------------------------------


def test_i5_every_available_id_taken_is_409_and_bp_is_unaffected(tenant):
    bp_before = available(tenant, "BP")
    handed = exhaust(tenant, "AP")
    assert len(handed) == len(set(handed)) == SEEDED_AVAILABLE
    for email in (False, True):
        response = writes_nothing(
            tenant, lambda e=email: assign(tenant, {"assigned_to": CANDIDATE}, email=e)
        )
        refused(response, "I5", product="AP")
    assert available(tenant, "BP") == bp_before
    bp = assigned(tenant, auth={"X-API-Key": tenant.credentials["itep"]["api_key_bp"]})
    assert bp["test_id"] == bp_before[0] and bp["product_code"] == "BP"
    # And the other way round: BP exhausted, AP (with an added ID) unaffected.
    exhaust(tenant, "BP")
    refused(
        assign(
            tenant,
            {"assigned_to": CANDIDATE},
            auth={"X-API-Key": tenant.credentials["itep"]["api_key_bp"]},
        ),
        "I5",
        product="BP",
    )
    added = tenant.admin("POST", "/itep/inventory", json={"product_code": "AP", "count": 1})
    assert assigned(tenant)["test_id"] == added.json["test_ids"][0]


def test_i5_a_reset_of_an_unassigned_test_makes_it_available_again(tenant):
    exhaust(tenant, "AP")
    added = tenant.admin("POST", "/itep/inventory", json={"product_code": "AP", "count": 1})
    (test_id,) = added.json["test_ids"]
    moved(tenant, test_id, "Disabled")
    refused(assign(tenant, {"assigned_to": CANDIDATE}), "I5", product="AP")
    moved(tenant, test_id, "Ready")
    assert assigned(tenant)["test_id"] == test_id


def test_i5_sale_at_fulfillment_mints_a_new_id(tenant):
    tenant.freeze(NOW)
    seeded = set(every_test_id(tenant))
    exhaust(tenant, "AP")
    changed = tenant.settings("itep", saleAtFulfillment={"AP": True})
    assert changed["saleAtFulfillment"] == {"AP": True}
    sold = assigned(tenant, {"assigned_to": CANDIDATE, "oid": "S-1"})
    assert TEST_ID.fullmatch(sold["test_id"]) and sold["test_id"].endswith("AP")
    assert sold["test_id"] not in seeded
    assert sold == {
        "test_id": sold["test_id"],
        "status": "Ready",
        "product_code": "AP",
        "assigned_to": CANDIDATE,
        "oid": "S-1",
        "tracking_code": None,
        "source": "sale",
    }
    shown = read_test(tenant, sold["test_id"])
    assert (shown["source"], shown["status"], shown["available"], shown["assigned_to"]) == (
        "sale",
        "Ready",
        False,
        CANDIDATE,
    )
    assert available(tenant, "AP") == []  # sold, not put in the inventory
    # The email call sells one too, and mails it.
    emailed = assigned(tenant, email=True)
    assert emailed["source"] == "sale" and emailed["emailed_to"] == CANDIDATE["email"]
    assert outbox(tenant)[-1]["test_id"] == emailed["test_id"]
    more = {assigned(tenant)["test_id"] for _ in range(5)}
    ids = every_test_id(tenant)
    assert len(ids) == len(set(ids)) == len(seeded) + 7
    assert {sold["test_id"], emailed["test_id"], *more} == set(ids) - seeded
    # BP does not sell: its setting is off (left out of the object).
    exhaust(tenant, "BP")
    bp_auth = {"X-API-Key": tenant.credentials["itep"]["api_key_bp"]}
    refused(assign(tenant, {"assigned_to": CANDIDATE}, auth=bp_auth), "I5", product="BP")


def test_i5_a_sale_only_when_the_inventory_is_empty(tenant):
    tenant.settings("itep", saleAtFulfillment={"AP": True, "BP": True})
    first = available(tenant, "AP")[0]
    got = assigned(tenant)
    assert (got["test_id"], got["source"]) == (first, "inventory")


def test_i5_the_settings_are_off_by_default_and_checked(tenant):
    shown = tenant.admin("GET", "/settings/itep")
    assert shown.status_code == 200
    assert shown.json["saleAtFulfillment"] == {"AP": False, "BP": False}
    assert shown.json["requireCandidateDetails"] is False
    bad = tenant.admin("PATCH", "/settings/itep", json={"saleAtFulfillment": {"XX": True}})
    assert bad.status_code == 400


# --- I6 ---------------------------------------------------------------------------------


def _seeded_assigned(t, product: str) -> list[str]:
    """The tenant's Ready IDs with an Assigned-to before any call: every ID it holds that
    the export does not list, read through the tests/<TestID> control."""
    listed = set(available(t, product))
    found = []
    for test_id in every_test_id(t):
        if test_id.endswith(product) and test_id not in listed:
            shown = read_test(t, test_id)
            if shown["status"] == "Ready":
                assert shown["assigned_to"] and shown["available"] is False
                found.append(test_id)
    return found


def test_i6_seeded_ready_but_assigned_ids_are_never_handed_out(tenant):
    seeded = {p: _seeded_assigned(tenant, p) for p in ("AP", "BP")}
    assert [len(seeded[p]) for p in ("AP", "BP")] == [SEEDED_ASSIGNED] * 2
    before = {test_id: read_test(tenant, test_id) for ids in seeded.values() for test_id in ids}
    handed = exhaust(tenant, "AP") + exhaust(tenant, "BP")
    tenant.settings("itep", saleAtFulfillment={"AP": True, "BP": True})
    handed += [assigned(tenant)["test_id"] for _ in range(3)]
    assert len(handed) == len(set(handed)) == 2 * SEEDED_AVAILABLE + 3
    assert not set(handed) & set(before)
    # They are as they were.
    assert {test_id: read_test(tenant, test_id) for test_id in before} == before


def test_i6_an_empty_assigned_to_is_refused_so_no_assigned_id_looks_available(tenant):
    # Empty is what makes a Ready ID available: an assignment of {} would leave one
    # that a status move (even to the status it has) made available again.
    for value in ({}, "{}"):
        body = {"assigned_to": value}
        refused(writes_nothing(tenant, lambda b=body: assign(tenant, b)), "I3")
    got = assigned(tenant, {"assigned_to": {"x": 1}})  # the least an Assigned-to can be
    for status in ("Ready", "Incomplete", "Ready"):
        shown = moved(tenant, got["test_id"], status)
        assert shown["available"] is False and shown["assigned_to"] == {"x": 1}
    assert got["test_id"] not in available(tenant, "AP")
    assert got["test_id"] not in exhaust(tenant, "AP")


def test_i6_a_reset_of_an_assigned_test_keeps_it_assigned(tenant):
    got = assigned(tenant)
    moved(tenant, got["test_id"], "Complete")
    shown = moved(tenant, got["test_id"], "Ready")
    assert (shown["status"], shown["available"], shown["assigned_to"]) == (
        "Ready",
        False,
        CANDIDATE,
    )
    assert got["test_id"] not in available(tenant, "AP")
    assert got["test_id"] not in exhaust(tenant, "AP")
