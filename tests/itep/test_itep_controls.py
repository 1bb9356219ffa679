"""iTEP's controls under ``/_sandbox/tenants/<id>/itep``, each with its status and body:
inventory (201, count 1..10000, a known product), the AVAILABLE TESTS export (JSON, CSV,
XLSX; ``product_code``), the outbox, a test read back (404 for an ID the tenant does not
hold), status moves (every status of both lists, ``scores`` and ``duration`` checked, the
``statusLabels`` setting), tracking codes and API keys. Errors are the controls' own
plain JSON; an unknown tenant is 404 on each."""

from __future__ import annotations

import csv
import io

import pytest
from isupport import (
    CANDIDATE,
    HOOK,
    OTHER_STATUSES,
    SEEDED_AVAILABLE,
    TEST_ID,
    assigned,
    available,
    control_error,
    every_test_id,
    invalid_control,
    move,
    moved,
    outbox,
    read_test,
    tracking_code,
)
from openpyxl import load_workbook

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Test ID", "Product Code", "Status", "Assigned To"]
DESCRIPTIVE = {
    "Ready": "Ready",
    "Incomplete": "Started",
    "Finished": "Finished",
    "Review": "Review",
    "Problem": "Technical Difficulty",
    "Invalidated": "Invalidated",
    "Complete": "Completed",
    "Disabled": "Disabled",
}
MARKDOWN = list(DESCRIPTIVE)


def add(t, product: str = "AP", count: int = 1):
    return t.admin("POST", "/itep/inventory", json={"product_code": product, "count": count})


def fresh(test_id: str, product: str = "AP") -> dict:
    """A test as the controls show it before any call: Ready and unassigned."""
    return {
        "test_id": test_id,
        "product_code": product,
        "status": "Ready",
        "available": True,
        "assigned_to": None,
        "oid": None,
        "tracking_code": None,
        "emailed_to": None,
        "source": "inventory",
        "levels": None,
        "duration": None,
    }


# --- an unknown tenant -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/inventory", {"product_code": "AP", "count": 1}),
        ("GET", "/available-tests", None),
        ("GET", "/available-tests?format=csv", None),
        ("GET", "/outbox", None),
        ("GET", "/tests/ABCDEFGHAP", None),
        ("POST", "/tests/ABCDEFGHAP/status", {"status": "Ready"}),
        ("PUT", "/tracking-codes/C", {"url": "http://hooks.example.com/c"}),
        ("PUT", "/api-keys/AP", {"revoked": True}),
    ],
)
def test_an_unknown_tenant_is_404_on_every_control(http, method, path, body):
    response = http.open(f"/_sandbox/tenants/t-nope/itep{path}", method=method, json=body)
    control_error(response, 404, "No tenant 't-nope'")


def test_a_deleted_tenant_is_404(http):
    created = http.post("/_sandbox/tenants", json={"seed": 7}).json["tenant"]
    assert http.delete(f"/_sandbox/tenants/{created}").status_code in (200, 204)
    response = http.get(f"/_sandbox/tenants/{created}/itep/available-tests")
    control_error(response, 404, f"No tenant '{created}'")


# --- inventory ---------------------------------------------------------------------------


@pytest.mark.parametrize("product", ["AP", "BP"])
def test_inventory_adds_available_ids_at_once(tenant, product):
    before = available(tenant, product)
    other = available(tenant, "BP" if product == "AP" else "AP")
    response = add(tenant, product, 3)
    assert response.status_code == 201, response.json
    assert set(response.json) == {"test_ids"}
    made = response.json["test_ids"]
    assert len(made) == len(set(made)) == 3
    assert all(TEST_ID.fullmatch(i) and i.endswith(product) for i in made)
    assert not set(made) & set(every_test_id(tenant)) - set(made)
    assert available(tenant, product) == before + made  # after the seeded ones
    assert available(tenant, "BP" if product == "AP" else "AP") == other
    for test_id in made:
        assert read_test(tenant, test_id) == fresh(test_id, product)


def test_inventory_ids_are_assignable_at_once(tenant):
    # Every seeded one taken: the added ones come next, in their order.
    for _ in range(SEEDED_AVAILABLE):
        assigned(tenant)
    made = add(tenant, "AP", 2).json["test_ids"]
    assert [assigned(tenant)["test_id"] for _ in range(2)] == made


def test_inventory_count_limits(tenant):
    assert len(add(tenant, "AP", 1).json["test_ids"]) == 1
    response = add(tenant, "BP", 10_000)
    assert response.status_code == 201
    assert len(set(response.json["test_ids"])) == 10_000
    assert len(available(tenant, "BP")) == SEEDED_AVAILABLE + 10_000
    message = ["Must be greater than or equal to 1 and less than or equal to 10000."]
    for count in (0, -1, 10_001):
        invalid_control(add(tenant, "AP", count), {"count": message})
    invalid_control(add(tenant, "AP", "3"), {"count": ["Not a valid integer."]})
    invalid_control(add(tenant, "AP", 2.5), {"count": ["Not a valid integer."]})
    assert len(available(tenant, "AP")) == SEEDED_AVAILABLE + 1


def test_inventory_body_is_checked(tenant):
    product = ["Must be one of: AP, BP."]
    invalid_control(add(tenant, "XX", 1), {"product_code": product})
    invalid_control(add(tenant, "ap", 1), {"product_code": product})
    missing = ["Missing data for required field."]
    response = tenant.admin("POST", "/itep/inventory", json={"product_code": "AP"})
    invalid_control(response, {"count": missing})
    response = tenant.admin("POST", "/itep/inventory", json={"count": 1})
    invalid_control(response, {"product_code": missing})
    response = tenant.admin(
        "POST", "/itep/inventory", json={"product_code": "AP", "count": 1, "status": "Ready"}
    )
    invalid_control(response, {"status": ["Unknown field."]})
    assert len(available(tenant)) == 2 * SEEDED_AVAILABLE


# --- the AVAILABLE TESTS export ---------------------------------------------------------------


def test_available_tests_as_json(tenant):
    response = tenant.admin("GET", "/itep/available-tests")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    rows = response.json["test_ids"]
    assert set(response.json) == {"test_ids"}
    assert len(rows) == 2 * SEEDED_AVAILABLE
    assert rows == [fresh(r["test_id"], r["test_id"][-2:]) for r in rows]
    assert [r["product_code"] for r in rows] == ["AP"] * 20 + ["BP"] * 20
    for product in ("AP", "BP"):
        only = tenant.admin("GET", f"/itep/available-tests?product_code={product}").json
        assert only["test_ids"] == [r for r in rows if r["product_code"] == product]


def test_available_tests_are_exactly_the_ready_unassigned_ones(tenant):
    every = every_test_id(tenant)
    listed = set(available(tenant))
    for test_id in every:
        shown = read_test(tenant, test_id)
        expected = shown["status"] == "Ready" and shown["assigned_to"] is None
        assert (test_id in listed) == expected == shown["available"], shown
    # Moves in and out: not Ready leaves the list, Ready again comes back.
    test_id = available(tenant, "AP")[0]
    moved(tenant, test_id, "Disabled")
    assert test_id not in available(tenant)
    moved(tenant, test_id, "Ready")
    assert test_id in available(tenant)


def test_available_tests_as_csv(tenant):
    taken = assigned(tenant)["test_id"]
    response = tenant.admin("GET", "/itep/available-tests?format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CSV_TYPE
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="available-tests-all.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == HEADER
    assert rows[1:] == [[i, i[-2:], "Ready", ""] for i in available(tenant)]
    assert taken not in {r[0] for r in rows}
    assert len(rows) == 1 + 2 * SEEDED_AVAILABLE - 1
    only = tenant.admin("GET", "/itep/available-tests?format=csv&product_code=BP")
    assert only.headers["Content-Disposition"] == 'attachment; filename="available-tests-BP.csv"'
    rows = list(csv.reader(io.StringIO(only.get_data(as_text=True))))
    assert rows == [HEADER] + [[i, "BP", "Ready", ""] for i in available(tenant, "BP")]


def test_available_tests_as_xlsx(tenant):
    taken = assigned(tenant)["test_id"]
    added = add(tenant, "AP", 2).json["test_ids"]
    for product, name in ((None, "all"), ("AP", "AP")):
        query = {"format": "xlsx", **({"product_code": product} if product else {})}
        response = tenant.admin("GET", "/itep/available-tests", query_string=query)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == XLSX_TYPE
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="available-tests-{name}.xlsx"'
        )
        assert response.data[:2] == b"PK"  # a zip: a real workbook
        book = load_workbook(io.BytesIO(response.data), read_only=True)
        sheet = book.active
        assert sheet.title == "Available tests"
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
        assert rows[0] == HEADER
        assert rows[1:] == [[i, i[-2:], "Ready", None] for i in available(tenant, product)]
        assert taken not in {r[0] for r in rows}
        assert set(added) <= {r[0] for r in rows}


def test_available_tests_query_is_checked(tenant):
    product = ["Must be one of: AP, BP."]
    response = tenant.admin("GET", "/itep/available-tests?product_code=XX")
    invalid_control(response, {"product_code": product}, "query string")
    response = tenant.admin("GET", "/itep/available-tests?format=xls")
    invalid_control(response, {"format": ["Must be one of: json, csv, xlsx."]}, "query string")
    response = tenant.admin("GET", "/itep/available-tests?status=Ready")
    invalid_control(response, {"status": ["Unknown field."]}, "query string")


def test_available_tests_empty(tenant):
    for _ in range(SEEDED_AVAILABLE):
        assigned(tenant)
    assert available(tenant, "AP") == []
    response = tenant.admin("GET", "/itep/available-tests?format=csv&product_code=AP")
    assert response.get_data(as_text=True).splitlines() == [",".join(HEADER)]
    response = tenant.admin("GET", "/itep/available-tests?format=xlsx&product_code=AP")
    book = load_workbook(io.BytesIO(response.data))
    assert [list(r) for r in book.active.iter_rows(values_only=True)] == [HEADER]


# --- the outbox ---------------------------------------------------------------------------


def test_the_outbox_starts_empty_and_lists_each_message(tenant):
    response = tenant.admin("GET", "/itep/outbox")
    assert response.status_code == 200 and response.json == []
    got = assigned(tenant, email=True)
    (message,) = outbox(tenant)
    assert set(message) == {"id", "to", "test_id", "subject", "body", "sent_at"}
    assert (message["to"], message["test_id"]) == (CANDIDATE["email"], got["test_id"])


# --- a test read back ---------------------------------------------------------------------------


def test_a_test_reads_back(tenant):
    first = available(tenant, "AP")[0]
    assert read_test(tenant, first) == fresh(first)


def test_an_id_the_tenant_does_not_hold_is_404(http, tenant):
    for test_id in ("NOPE", "ABCDEFGHAP", available(tenant, "AP")[0].lower()):
        response = tenant.admin("GET", f"/itep/tests/{test_id}")
        control_error(response, 404, f"No test ID '{test_id}' in this tenant")
    created = http.post("/_sandbox/tenants", json={"seed": 8})
    other = created.json["tenant"]
    try:
        theirs = http.get(f"/_sandbox/tenants/{other}/itep/available-tests").json["test_ids"]
        for test_id in (theirs[0]["test_id"], theirs[-1]["test_id"]):
            assert http.get(f"/_sandbox/tenants/{other}/itep/tests/{test_id}").status_code == 200
            response = tenant.admin("GET", f"/itep/tests/{test_id}")
            control_error(response, 404, f"No test ID '{test_id}' in this tenant")
            response = move(tenant, test_id, "Complete")
            control_error(response, 404, f"No test ID '{test_id}' in this tenant")
    finally:
        http.delete(f"/_sandbox/tenants/{other}")


# --- status moves ---------------------------------------------------------------------------


def test_every_status_and_back(tenant):
    got = assigned(tenant, {"assigned_to": CANDIDATE, "oid": "O-1"})
    previous = "Ready"
    for status in [*MARKDOWN[1:], "Ready"]:
        response = move(tenant, got["test_id"], status)
        assert response.status_code == 200, response.json
        assert response.json == {
            "test_id": got["test_id"],
            "product_code": "AP",
            "status": status,
            "available": False,
            "assigned_to": CANDIDATE,
            "oid": "O-1",
            "tracking_code": None,
            "emailed_to": None,
            "source": "inventory",
            "levels": None,
            "duration": None,
            "previous_status": previous,
            "webhook": None,
        }
        assert read_test(tenant, got["test_id"])["status"] == status
        previous = status


def test_a_status_move_of_an_unassigned_test(tenant):
    test_id = available(tenant, "AP")[0]
    shown = moved(tenant, test_id, "Incomplete")
    assert (shown["status"], shown["available"], shown["previous_status"]) == (
        "Incomplete",
        False,
        "Ready",
    )
    shown = moved(tenant, test_id, "Ready")
    assert (shown["status"], shown["available"]) == ("Ready", True)


def test_a_status_move_body_is_checked(tenant):
    test_id = assigned(tenant)["test_id"]
    statuses = (
        "Must be one of: Complete, Completed, Disabled, Finished, Incomplete, Invalidated, "
        "Problem, Ready, Review, Started, Technical Difficulty."
    )
    for status in ("Bogus", "complete", "", "Technical difficulty"):
        invalid_control(move(tenant, test_id, status), {"status": [statuses]})
    response = tenant.admin("POST", f"/itep/tests/{test_id}/status", json={})
    invalid_control(response, {"status": ["Missing data for required field."]})
    levels = ["Must be greater than or equal to 0 and less than or equal to 6."]
    for level in (-0.1, 6.1, 7):
        response = move(tenant, test_id, "Complete", scores={"Grammar": level})
        invalid_control(response, {"scores": {"Grammar": {"value": levels}}})
    response = move(tenant, test_id, "Complete", scores={"Grammar": "high"})
    invalid_control(response, {"scores": {"Grammar": {"value": ["Not a valid number."]}}})
    minutes = ["Must be greater than or equal to 0 and less than or equal to 1000."]
    for duration in (-1, 1001):
        response = move(tenant, test_id, "Complete", duration=duration)
        invalid_control(response, {"duration": minutes})
    response = move(tenant, test_id, "Complete", duration=60.5)
    invalid_control(response, {"duration": ["Not a valid integer."]})
    response = move(tenant, test_id, "Complete", note="x")
    invalid_control(response, {"note": ["Unknown field."]})
    # An unknown section, of either product.
    for section in ("Math", "grammar"):
        response = move(tenant, test_id, "Complete", scores={"Grammar": 3.0, section: 2.0})
        control_error(
            response,
            400,
            f"{section}: not a section of AP (Grammar, Listening, Reading, Writing, Speaking)",
        )
    # None of them changed the test.
    shown = read_test(tenant, test_id)
    assert (shown["status"], shown["levels"], shown["duration"]) == ("Ready", None, None)


def test_scores_and_duration_are_kept(tenant):
    test_id = assigned(tenant)["test_id"]
    shown = moved(tenant, test_id, "Finished", scores={"Grammar": 0, "Speaking": 6}, duration=0)
    assert (shown["levels"], shown["duration"]) == ({"Grammar": 0.0, "Speaking": 6.0}, 0)
    # Later scores are merged in; a duration replaces the one before.
    shown = moved(
        tenant, test_id, "Complete", scores={"Speaking": 4.5, "Reading": 3.3}, duration=1000
    )
    assert shown["levels"] == {"Grammar": 0.0, "Speaking": 4.5, "Reading": 3.3}
    assert shown["duration"] == 1000
    shown = moved(tenant, test_id, "Review")
    assert (shown["levels"]["Speaking"], shown["duration"]) == (4.5, 1000)
    assert read_test(tenant, test_id)["levels"] == shown["levels"]


def test_levels_are_kept_to_one_decimal(tenant):
    test_id = assigned(tenant)["test_id"]
    scores = {"Grammar": 3.14159, "Listening": 2.96, "Reading": 4.04, "Writing": 0.05}
    shown = moved(tenant, test_id, "Complete", scores=scores)
    assert shown["levels"] == {"Grammar": 3.1, "Listening": 3.0, "Reading": 4.0, "Writing": 0.1}


def test_descriptive_status_labels_are_shown_and_accepted(tenant):
    changed = tenant.settings("itep", statusLabels="descriptive")
    assert changed["statusLabels"] == "descriptive"
    got = assigned(tenant)
    previous = "Ready"
    for stored, shown in DESCRIPTIVE.items():
        if stored == "Ready":
            continue
        for given in dict.fromkeys((stored, shown)):  # either list's label is accepted
            answer = moved(tenant, got["test_id"], given)
            assert answer["status"] == shown
            assert answer["previous_status"] == previous
            assert read_test(tenant, got["test_id"])["status"] == shown
            previous = shown
    assert moved(tenant, got["test_id"], "Ready")["status"] == "Ready"
    # The export shows the list's label too (Ready is the same in both).
    rows = tenant.admin("GET", "/itep/available-tests?format=csv").get_data(as_text=True)
    assert rows.splitlines()[1].endswith(",AP,Ready,")
    # Back to the Markdown labels: the same stored statuses, the other names.
    tenant.settings("itep", statusLabels="markdown")
    assert moved(tenant, got["test_id"], "Started")["status"] == "Incomplete"
    assert moved(tenant, got["test_id"], "Technical Difficulty")["status"] == "Problem"
    assert moved(tenant, got["test_id"], "Completed")["status"] == "Complete"


def test_seeded_tests_are_in_every_other_status(tenant):
    statuses = sorted(read_test(tenant, i)["status"] for i in every_test_id(tenant)[:32])
    assert statuses == sorted(["Ready"] * 25 + [*OTHER_STATUSES, "Disabled"])


def test_the_status_labels_setting_is_checked(tenant):
    response = tenant.admin("PATCH", "/settings/itep", json={"statusLabels": "html"})
    invalid_control(response, {"statusLabels": ["Must be one of: descriptive, markdown."]})


# --- tracking codes ------------------------------------------------------------------------


def test_a_tracking_code_is_created_and_replaced(tenant):
    response = tenant.admin("PUT", "/itep/tracking-codes/ACME-HR", json={"url": HOOK})
    assert response.status_code == 200, response.json
    assert response.json == {"code": "ACME-HR", "url": HOOK, "on_finished": False}
    assert assigned(tenant, {"assigned_to": CANDIDATE, "tracking_code": "ACME-HR"})
    other = "https://hooks.example.com/itep?x=1"
    response = tenant.admin(
        "PUT", "/itep/tracking-codes/ACME-HR", json={"url": other, "on_finished": True}
    )
    assert response.status_code == 200, response.json
    assert response.json == {"code": "ACME-HR", "url": other, "on_finished": True}
    # Replaced, not added: the next webhook of a test with that code goes to the new URL.
    test_id = assigned(tenant, {"assigned_to": CANDIDATE, "tracking_code": "ACME-HR"})["test_id"]
    moved(tenant, test_id, "Finished")
    (delivery,) = tenant.admin("GET", "/webhooks").json
    assert delivery["url"] == other


def test_a_tracking_code_body_is_checked(tenant):
    for url in ("not a url", "ftp://hooks.example.com/x", "hooks.example.com/x", "http://", ""):
        response = tenant.admin("PUT", "/itep/tracking-codes/C", json={"url": url})
        invalid_control(response, {"url": ["Not a valid URL."]})
    response = tenant.admin("PUT", "/itep/tracking-codes/C", json={})
    invalid_control(response, {"url": ["Missing data for required field."]})
    response = tenant.admin(
        "PUT", "/itep/tracking-codes/C", json={"url": HOOK, "on_finished": "sometimes"}
    )
    invalid_control(response, {"on_finished": ["Not a valid boolean."]})
    response = tenant.admin("PUT", "/itep/tracking-codes/C", json={"url": HOOK, "auth": "x"})
    invalid_control(response, {"auth": ["Unknown field."]})
    # None was created.
    response = tenant.itep(
        "POST", "/api/v1/test-ids/assign", json={"assigned_to": CANDIDATE, "tracking_code": "C"}
    )
    assert response.status_code == 400 and response.json["error"] == "unknown_tracking_code"


def test_a_tracking_code_is_one_an_assign_call_can_name(tenant):
    """1 to 100 characters (TRK-1), and a URL of at most 2,048; booleans are JSON ones."""
    response = tenant.admin("PUT", "/itep/tracking-codes/" + "C" * 101, json={"url": HOOK})
    control_error(response, 400, "a tracking code has 1 to 100 characters")
    long_url = "http://hooks.example.com/" + "x" * 2048
    response = tenant.admin("PUT", "/itep/tracking-codes/C", json={"url": long_url})
    invalid_control(response, {"url": ["Longer than maximum length 2048."]})
    response = tenant.admin("PUT", "/itep/tracking-codes/C", json={"url": HOOK, "on_finished": 1})
    invalid_control(response, {"on_finished": ["Not a valid boolean."]})
    response = tenant.admin("PUT", "/itep/tracking-codes/" + "C" * 100, json={"url": HOOK})
    assert response.status_code == 200, response.json


def test_tracking_codes_are_per_tenant(http, tenant):
    tracking_code(tenant, "MINE")
    created = http.post("/_sandbox/tenants", json={"seed": 7})
    other = created.json["tenant"]
    try:
        key = created.json["credentials"]["itep"]["api_key"]
        body = {"assigned_to": CANDIDATE, "tracking_code": "MINE"}
        response = tenant.itep(
            "POST", "/api/v1/test-ids/assign", auth={"X-API-Key": key}, json=body
        )
        assert response.status_code == 400
        assert response.json["error"] == "unknown_tracking_code"
    finally:
        http.delete(f"/_sandbox/tenants/{other}")


# --- API keys -----------------------------------------------------------------------------


def test_api_keys_body_and_product_are_checked(tenant):
    response = tenant.admin("PUT", "/itep/api-keys/XX", json={"revoked": True})
    control_error(response, 404, "No product code 'XX'")
    response = tenant.admin("PUT", "/itep/api-keys/AP", json={})
    invalid_control(response, {"revoked": ["Missing data for required field."]})
    for lenient in ("sometimes", "yes", "true", 1):
        response = tenant.admin("PUT", "/itep/api-keys/AP", json={"revoked": lenient})
        invalid_control(response, {"revoked": ["Not a valid boolean."]})
    # Not revoked by any of them.
    assert assigned(tenant)["product_code"] == "AP"


def test_revoking_bp_leaves_ap(tenant):
    response = tenant.admin("PUT", "/itep/api-keys/BP", json={"revoked": True})
    assert response.status_code == 200
    assert response.json == {"product_code": "BP", "revoked": True}
    bp = {"X-API-Key": tenant.credentials["itep"]["api_key_bp"]}
    answer = tenant.itep(
        "POST", "/api/v1/test-ids/assign", auth=bp, json={"assigned_to": CANDIDATE}
    )
    assert answer.status_code == 401 and answer.json["error"] == "invalid_api_key"
    assert assigned(tenant)["product_code"] == "AP"
