"""One rule for every list (issue 7, defect 11; LIST-1 and LIST-2 in the fidelity table,
assumed): an empty or blank ``$filter`` or ``$orderBy`` is refused, and ``$skip`` and
``$top`` are Int32s, 0..2147483647, on every list; the same rules as Surpass's."""

from __future__ import annotations

import pytest
from jsupport import read_error

LISTS = ["candidate", "centre", "user", "result", "test"]
INT32_MAX = 2**31 - 1
INVALID = "The query specified in the URI is not valid. "


def _get(tenant, resource: str, query: str):
    return tenant.janison("GET", f"/api/{resource}?{query}")


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("value", ["", "%20", "%20%09"], ids=["empty", "blank", "blanks"])
def test_list_1_empty_or_blank_filter_is_refused(tenant, resource, value):
    read_error(_get(tenant, resource, f"$filter={value}"), 400,
               (1012, INVALID + "The value for OData query '$filter' cannot be empty.",
                "$filter"))


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize("value", ["", "%20"], ids=["empty", "blank"])
def test_list_1_empty_or_blank_orderby_is_refused(tenant, resource, value):
    read_error(_get(tenant, resource, f"$orderBy={value}"), 400,
               (1013, INVALID + "The value for OData query '$orderBy' cannot be empty.",
                "$orderBy"))


@pytest.mark.parametrize("resource", LISTS)
def test_list_2_skip_is_an_int32(tenant, resource):
    last = _get(tenant, resource, f"$skip={INT32_MAX}")
    assert last.status_code == 200, last.json
    assert last.json["response"] == [] and last.json["skip"] == INT32_MAX
    for skip in (INT32_MAX + 1, 2**63 - 1, 2**63):
        read_error(_get(tenant, resource, f"$skip={skip}"), 400,
                   (1011, "$skip must be a non-negative integer", "$skip"))


@pytest.mark.parametrize("resource", ["candidate", "result"])
def test_list_2_top_is_an_int32_even_when_capped(tenant, resource):
    tenant.settings("janison", topOverLimit="cap")
    capped = _get(tenant, resource, f"$top={INT32_MAX}")
    assert capped.status_code == 200, capped.json
    assert capped.json["top"] == 100
    read_error(_get(tenant, resource, f"$top={INT32_MAX + 1}"), 400,
               (1010, "$top must be between 1 and 100", "$top"))
