"""GET /api/result without $filter or $orderBy is served by precompiled SQL
(models/result_page.py): the same page, item for item, as core's listing gives (a filter
that keeps every row takes that path), and only the requesting tenant's results."""

from __future__ import annotations

import pytest

RESULTS = "/api/result"
EVERY_ROW = "$filter=id ge 1"  # keeps every result, and goes through core's listing


def _page(tenant, query: str = "", *, auth: dict | None = None) -> dict:
    response = tenant.janison("GET", f"{RESULTS}?{query}", auth=auth)
    assert response.status_code == 200, response.json
    return response.json


def _without_links(body: dict) -> dict:
    # The links repeat the request's own query, so they name the filter on one side.
    return {k: v for k, v in body.items() if k not in ("nextPageLink", "prevPageLink")}


def _sat(tenant, candidates: list[int]) -> None:
    """Book ``candidates`` and complete the schedule: one more result each."""
    booked = tenant.janison("POST", "/api/testschedule", json={
        "testPackage": {"reference": "ENG-GEN-LR"}, "centre": {"reference": "CTR002"},
        "candidates": [{"id": n} for n in candidates], "testPackageDate": "2030-07-01"})
    assert booked.status_code == 200, booked.json
    done = tenant.admin("POST", f"/janison/testschedule/{booked.json['id']}/complete", json={})
    assert done.status_code == 200, done.json


@pytest.mark.parametrize("paging", ["", "$top=4", "$top=4&$skip=4", "$top=4&$skip=8",
                                    "$skip=9", "$skip=50", "$top=100"])
def test_the_default_page_is_the_listings_page(tenant, paging):
    plain = _page(tenant, paging)
    listed = _page(tenant, "&".join(q for q in (paging, EVERY_ROW) if q))
    assert _without_links(plain) == _without_links(listed)
    assert (plain["nextPageLink"] is None) == (listed["nextPageLink"] is None)
    assert (plain["prevPageLink"] is None) == (listed["prevPageLink"] is None)


def test_the_default_pages_links_are_the_listings(tenant):
    body = _page(tenant, "$top=4&$skip=4")
    assert body["nextPageLink"] == "http://localhost/janison/api/result?%24top=4&%24skip=8"
    assert body["prevPageLink"] == "http://localhost/janison/api/result?%24top=4&%24skip=0"


def test_a_page_with_new_results_and_their_components_in_order(tenant):
    tenant.freeze("2030-07-01T08:00:00Z")
    _sat(tenant, [3, 4])
    plain = _page(tenant)
    assert plain["count"] == 12
    assert [r["id"] for r in plain["response"]] == list(range(1, 13))
    assert _without_links(plain) == _without_links(_page(tenant, EVERY_ROW))
    newest = plain["response"][-1]
    assert [c["reference"] for c in newest["components"]] == [
        "ENG-GEN-LR-L", "ENG-GEN-LR-R", "ENG-GEN-LR-PL"]


def test_another_tenants_results_never_appear(tenant, http):
    before = _page(tenant, "$top=100")
    made = http.post("/_sandbox/tenants", json={"seed": 7}).json
    try:
        theirs = {"Ocp-Apim-Subscription-Key": made["credentials"]["janison"]["subscriptionKey"],
                  "Authorization": f"Bearer {made['credentials']['janison']['token']}"}
        other = type(tenant)(made["tenant"], made["credentials"], http)
        other.freeze("2030-07-01T08:00:00Z")
        _sat(other, [1, 2, 3])
        assert _page(tenant, "$top=100", auth=theirs)["count"] == 13
        assert _page(tenant, "$top=100") == before
        assert before["count"] == 10 and len(before["response"]) == 10
    finally:
        http.delete(f"/_sandbox/tenants/{made['tenant']}")


def test_a_page_past_the_last_result_is_empty(tenant):
    body = _page(tenant, "$skip=10")
    assert body["count"] == 10 and body["response"] == []
    assert body["nextPageLink"] is None and body["prevPageLink"] is not None
