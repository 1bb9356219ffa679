"""One rule for every list (issue 7, defect 11; LIST-1 and LIST-2 in the fidelity table,
assumed): an empty or blank ``$filter`` or ``$orderBy`` is refused as ASP.NET OData
refuses it, and ``$skip`` and ``$top`` are Int32s, 0..2147483647, on every list."""

from __future__ import annotations

import pytest
from support import errors_of

LISTS = ["Candidate", "Centre", "TestSession", "Subject", "Test", "Country"]
INT32_MAX = 2**31 - 1
INVALID = "The query specified in the URI is not valid. "


def _get(tenant, resource: str, query: str):
    return tenant.surpass("GET", f"/api/v2/{resource}?{query}")


def _refused(r, code: int, message: str) -> None:
    assert r.status_code == 400, r.json
    assert r.json["response"] is None and r.json["count"] is None
    assert errors_of(r) == [(code, message)]


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("value", ["", "%20", "%20%09"], ids=["empty", "blank", "blanks"])
def test_LIST_1_empty_or_blank_filter_is_refused(tenant, resource, value):
    _refused(_get(tenant, resource, f"$filter={value}"), 1012,
             INVALID + "The value for OData query '$filter' cannot be empty.")


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("value", ["", "%20"], ids=["empty", "blank"])
def test_LIST_1_empty_or_blank_orderby_is_refused(tenant, resource, value):
    _refused(_get(tenant, resource, f"$orderBy={value}"), 1013,
             INVALID + "The value for OData query '$orderBy' cannot be empty.")


@pytest.mark.parametrize("resource", LISTS)
def test_LIST_2_skip_is_an_int32(tenant, resource):
    last = _get(tenant, resource, f"$skip={INT32_MAX}")
    assert last.status_code == 200, last.json
    assert last.json["response"] == [] and last.json["skip"] == INT32_MAX
    for skip in (INT32_MAX + 1, 2**63 - 1, 2**63):
        _refused(_get(tenant, resource, f"$skip={skip}"), 1011,
                 "$skip must be a non-negative integer")


@pytest.mark.parametrize("resource", ["Candidate", "Centre", "TestSession"])
def test_LIST_2_top_is_an_int32_even_when_capped(tenant, resource):
    tenant.settings(topOverLimit="cap")
    capped = _get(tenant, resource, f"$top={INT32_MAX}")
    assert capped.status_code == 200, capped.json
    most = 100 if resource == "TestSession" else 40
    assert capped.json["top"] == most
    _refused(_get(tenant, resource, f"$top={INT32_MAX + 1}"), 1010,
             f"$top must be between 1 and {most}")
