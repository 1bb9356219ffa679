"""The OData query options through the HTTP API, on the 120 seeded candidates.

Every expected answer is computed from the seed data itself (``fixtures.dataset``), so
the tests check the sandbox's SQL against a plain-Python reading of the same rows.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import errors_of

from exam_sandbox.providers.surpass.fixtures import SUBJECTS, dataset

SEED = 7
PATH = "/api/v2/Candidate"
DATA = dataset(SEED)
CANDIDATES = [{"id": i + 1, **row} for i, row in enumerate(DATA.candidates)]
CENTRES_OF = {
    i + 1: {DATA.centres[e]["reference"] for c, e in DATA.candidate_centres if c == i}
    for i in range(len(CANDIDATES))
}
SUBJECTS_OF = {
    i + 1: {SUBJECTS[s][0] for c, s in DATA.candidate_subjects if c == i}
    for i in range(len(CANDIDATES))
}
FIRST = CANDIDATES[0]
INVALID = "The query specified in the URI is not valid. "


def _get(tenant, query: str):
    return tenant.surpass("GET", f"{PATH}?{query}")


def _all_ids(tenant, query: str = "") -> list[int]:
    """Every id the query matches, following nextPageLink to the end."""
    r = _get(tenant, query)
    ids = []
    while True:
        assert r.status_code == 200, r.json
        ids += [c["id"] for c in r.json["response"]]
        link = r.json["nextPageLink"]
        if link is None:
            return ids
        r = tenant.http.get(link, headers=tenant.surpass_auth)


def _where(predicate) -> list[int]:
    return [c["id"] for c in CANDIDATES if predicate(c)]


def _filter(tenant, text: str) -> list[int]:
    return _all_ids(tenant, "$filter=" + quote(text))


# --- comparisons, logic, functions ---------------------------------------------------


@pytest.mark.parametrize(
    "text, predicate",
    [
        (f"lastName eq '{FIRST['last_name']}'", lambda c: c["last_name"] == FIRST["last_name"]),
        ("gender ne 'Male'", lambda c: c["gender"] != "Male"),
        ("id gt 100", lambda c: c["id"] > 100),
        ("id ge 100", lambda c: c["id"] >= 100),
        ("id lt 5", lambda c: c["id"] < 5),
        ("id le 5", lambda c: c["id"] <= 5),
        ("5 ge id", lambda c: c["id"] <= 5),
        ("reasonableAdjustments eq true", lambda c: c["reasonable_adjustments"]),
        ("reasonableAdjustments", lambda c: c["reasonable_adjustments"]),
        ("retired eq false", lambda c: True),
        ("middleName eq null", lambda c: c["middle_name"] is None),
        ("middleName ne null", lambda c: c["middle_name"] is not None),
        ("reference eq 'CAND00042'", lambda c: c["id"] == 42),
        (f"email eq '{FIRST['email']}'", lambda c: c["id"] == 1),
        (f"tel eq '{FIRST['tel']}'", lambda c: c["tel"] == FIRST["tel"]),
    ],
)
def test_comparison_operators(tenant, text, predicate):
    want = _where(predicate)
    assert want, "the case must match something"
    assert _filter(tenant, text) == want


def test_string_eq_is_case_sensitive(tenant):
    assert _filter(tenant, f"lastName eq '{FIRST['last_name'].lower()}'") == []


@pytest.mark.parametrize(
    "text, predicate",
    [
        ("gender eq 'Female' and id le 60", lambda c: c["gender"] == "Female" and c["id"] <= 60),
        ("id lt 3 or id gt 118", lambda c: c["id"] < 3 or c["id"] > 118),
        ("not (gender eq 'Male')", lambda c: c["gender"] != "Male"),
        ("not gender eq 'Male'", lambda c: c["gender"] != "Male"),
        (
            "(id lt 10 or id gt 110) and not reasonableAdjustments",
            lambda c: (c["id"] < 10 or c["id"] > 110) and not c["reasonable_adjustments"],
        ),
        (
            "id lt 10 or id gt 110 and gender eq 'Male'",  # and binds tighter than or
            lambda c: c["id"] < 10 or (c["id"] > 110 and c["gender"] == "Male"),
        ),
    ],
)
def test_and_or_not(tenant, text, predicate):
    assert _filter(tenant, text) == _where(predicate)


@pytest.mark.parametrize(
    "text, predicate",
    [
        ("contains(lastName, 'an')", lambda c: "an" in c["last_name"].lower()),
        ("startswith(lastName, 'B')", lambda c: c["last_name"].lower().startswith("b")),
        ("endswith(firstName, 'e')", lambda c: c["first_name"].lower().endswith("e")),
        ("contains(email, '@example.com')", lambda c: True),
        ("contains(lastName, 'an') eq false", lambda c: "an" not in c["last_name"].lower()),
        ("not startswith(reference, 'CAND000')", lambda c: c["id"] >= 100),
        ("contains(middleName, 'a')", lambda c: "a" in (c["middle_name"] or "").lower()),
        ("contains(lastName, '%')", lambda c: False),  # a literal %, not a wildcard
    ],
)
def test_string_functions(tenant, text, predicate):
    assert _filter(tenant, text) == _where(predicate)


# --- dates ---------------------------------------------------------------------------


def test_dates_MM_DD_YYYY_and_iso(tenant):
    born = FIRST["date_of_birth"]
    us, iso = born.strftime("%m/%d/%Y"), born.isoformat()
    same_day = _where(lambda c: c["date_of_birth"] == born)
    assert _filter(tenant, f"dateOfBirth eq {us}") == same_day
    assert _filter(tenant, f"dateOfBirth eq '{us}'") == same_day
    assert _filter(tenant, f"dateOfBirth eq {iso}") == same_day
    assert _filter(tenant, f"dateOfBirth eq {iso}T00:00:00Z") == same_day
    cut = date(2000, 1, 1)
    assert _filter(tenant, "dateOfBirth ge 01/01/2000") == _where(
        lambda c: c["date_of_birth"] >= cut
    )
    assert _filter(tenant, "dateOfBirth lt 01/01/2000 and dateOfBirth gt 12/31/1979") == _where(
        lambda c: date(1979, 12, 31) < c["date_of_birth"] < cut
    )


@pytest.mark.parametrize(
    "text, detail",
    [
        ("dateOfBirth eq 13/45/2000", "Invalid literal 13/45/2000 at position 15"),
        ("dateOfBirth eq 'yesterday'", "'yesterday' is not a valid date at position 15"),
        (
            "dateOfBirth eq 2000-01-01T10:30:00",
            "Date value 2000-01-01T10:30:00 has a time of day at position 15",
        ),
        (
            "dateOfBirth eq 1",
            "Cannot compare date property 'dateOfBirth' with int literal 1 at position 15",
        ),
    ],
)
def test_FILTER_1_bad_dates(tenant, text, detail):
    r = _get(tenant, "$filter=" + quote(text))
    assert r.status_code == 400
    assert errors_of(r) == [(1012, INVALID + detail)]


# --- navigation: centres/any(...) ----------------------------------------------------


@pytest.mark.parametrize(
    "text, predicate",
    [
        ("centres/any(c: c/reference eq 'CEN002')", lambda c: "CEN002" in CENTRES_OF[c["id"]]),
        ("centres/any(c/reference eq 'CEN002')", lambda c: "CEN002" in CENTRES_OF[c["id"]]),
        (
            "centres/any(x: x/id eq 1 or x/id eq 3)",
            lambda c: CENTRES_OF[c["id"]] & {"CEN001", "CEN003"},
        ),
        ("centres/all(c: c/reference eq 'CEN001')", lambda c: CENTRES_OF[c["id"]] == {"CEN001"}),
        ("centres/any()", lambda c: CENTRES_OF[c["id"]]),
        (
            "not centres/any(c: c/reference eq 'CEN001')",
            lambda c: "CEN001" not in CENTRES_OF[c["id"]],
        ),
        (
            "subjects/any(s: s/reference eq 'MATHS') and centres/any(c: c/id eq 2)",
            lambda c: "MATHS" in SUBJECTS_OF[c["id"]] and "CEN002" in CENTRES_OF[c["id"]],
        ),
        (
            "subjects/any(s: contains(s/name, 'Safety'))",
            lambda c: "HSAFETY" in SUBJECTS_OF[c["id"]],
        ),
    ],
)
def test_collection_any_all(tenant, text, predicate):
    want = _where(predicate)
    assert want
    assert _filter(tenant, text) == want


def test_property_names_are_case_insensitive(tenant):
    assert _filter(tenant, f"LASTNAME eq '{FIRST['last_name']}'") == _filter(
        tenant, f"lastName eq '{FIRST['last_name']}'"
    )
    assert _filter(tenant, "Centres/Any(c: c/Reference eq 'CEN002')") == _where(
        lambda c: "CEN002" in CENTRES_OF[c["id"]]
    )
    assert _all_ids(tenant, "$orderBy=LastName desc, ID") == _all_ids(
        tenant, "$orderBy=lastName desc,id asc"
    )


# --- $orderBy ------------------------------------------------------------------------


def _ordered(key, reverse=False) -> list[int]:
    rows = sorted(CANDIDATES, key=lambda c: c["id"])  # ties keep id order
    return [c["id"] for c in sorted(rows, key=key, reverse=reverse)]


def test_orderby_asc_desc_and_multi_key(tenant):
    assert _all_ids(tenant, "$orderBy=lastName") == _ordered(lambda c: c["last_name"])
    assert _all_ids(tenant, "$orderBy=lastName asc") == _ordered(lambda c: c["last_name"])
    # sorted(reverse=True) keeps equal keys in id order, as the default "id asc" tiebreak.
    assert _all_ids(tenant, "$orderBy=lastName desc") == _ordered(
        lambda c: c["last_name"], reverse=True
    )
    assert _all_ids(tenant, "$orderBy=id desc") == list(range(120, 0, -1))
    multi = sorted(CANDIDATES, key=lambda c: -c["id"])
    multi.sort(key=lambda c: c["gender"])
    assert _all_ids(tenant, "$orderBy=gender, id desc") == [c["id"] for c in multi]


def test_orderby_with_filter_and_paging(tenant):
    ids = _all_ids(tenant, "$filter=gender eq 'Female'&$orderBy=firstName desc&$top=7")
    female = _ordered(lambda c: c["first_name"], reverse=True)
    assert ids == [i for i in female if CANDIDATES[i - 1]["gender"] == "Female"]


@pytest.mark.parametrize("option", ["$orderby", "$ORDERBY", "$orderBy"])
def test_orderby_option_name_is_case_insensitive(tenant, option):
    assert _all_ids(tenant, f"{option}=id desc") == list(range(120, 0, -1))


@pytest.mark.parametrize(
    "text, detail",
    [
        ("email", "Property 'email' is not sortable at position 0"),
        ("dateOfBirth desc", "Property 'dateOfBirth' is not sortable at position 0"),
        ("href", "Unknown property 'href' at position 0"),
        ("uln", "Unknown property 'uln' at position 0"),
        ("lastName sideways", "Expected end of input, found 'sideways' at position 9"),
        ("lastName,", "Expected a property name, found end of input at position 9"),
        (",id", "Expected a property name, found ',' at position 0"),
        ("id, id desc", "Property 'id' is ordered by twice at position 4"),
        ("centres", "'centres' is a collection: use any() or all() at position 0"),
        ("lastName eq 'x'", "Expected end of input, found 'eq' at position 9"),
    ],
)
def test_ORDER_1_malformed_or_unsortable(tenant, text, detail):
    r = _get(tenant, "$orderBy=" + quote(text))
    assert r.status_code == 400
    assert r.json["response"] is None
    assert errors_of(r) == [(1013, INVALID + detail)]


# --- paging --------------------------------------------------------------------------


def _query_of(link: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def test_paging_follows_next_links_through_all_120(tenant):
    r = _get(tenant, "$top=40")
    body = r.json
    assert (body["count"], body["top"], body["skip"], body["pageCount"]) == (120, 40, 0, 3)
    assert body["prevPageLink"] is None
    assert body["nextPageLink"].startswith("http://localhost/surpass/api/v2/Candidate?")
    assert _query_of(body["nextPageLink"]) == {"$top": "40", "$skip": "40"}
    page2 = tenant.http.get(body["nextPageLink"], headers=tenant.surpass_auth).json
    assert page2["skip"] == 40 and [c["id"] for c in page2["response"]] == list(range(41, 81))
    assert _query_of(page2["prevPageLink"]) == {"$top": "40", "$skip": "0"}
    page3 = tenant.http.get(page2["nextPageLink"], headers=tenant.surpass_auth).json
    assert page3["nextPageLink"] is None and len(page3["response"]) == 40
    assert _all_ids(tenant) == list(range(1, 121))  # default $top is 40


def test_paging_small_pages_keep_the_query(tenant):
    r = _get(tenant, "$top=7&$filter=" + quote("id gt 100"))
    assert (r.json["count"], r.json["pageCount"]) == (20, 3)
    assert _query_of(r.json["nextPageLink"]) == {"$filter": "id gt 100", "$top": "7", "$skip": "7"}
    assert _all_ids(tenant, "$top=7") == list(range(1, 121))
    assert _all_ids(tenant, "$top=7&$filter=" + quote("id gt 100")) == list(range(101, 121))
    last = _get(tenant, "$top=40&$skip=119").json
    assert [c["id"] for c in last["response"]] == [120] and last["nextPageLink"] is None
    beyond = _get(tenant, "$skip=500").json
    assert beyond["response"] == [] and beyond["count"] == 120


@pytest.mark.parametrize(
    "query, code, message",
    [
        ("$top=0", 1010, "$top must be between 1 and 40"),
        ("$top=41", 1010, "$top must be between 1 and 40"),
        ("$top=ten", 1010, "$top must be between 1 and 40"),
        ("$skip=-1", 1011, "$skip must be a non-negative integer"),
        ("$skip=x", 1011, "$skip must be a non-negative integer"),
    ],
)
def test_PAGE_rules(tenant, query, code, message):
    r = _get(tenant, query)
    assert r.status_code == 400
    assert errors_of(r) == [(code, message)]


# --- malformed filters: always FILTER-1, never a 500 ---------------------------------


@pytest.mark.parametrize(
    "text, detail",
    [
        (
            "lastName eq",
            "Expected a property, literal or function, found end of input at position 11",
        ),
        ("lastName EQ 'x'", "Operators are lowercase: write 'eq' at position 9"),
        ("nope eq 1", "Unknown property 'nope' at position 0"),
        ("uln eq '1'", "Unknown property 'uln' at position 0"),
        ("centres eq 1", "'centres' is a collection: use any() or all() at position 0"),
        ("centres/any(c: c/nope eq 1)", "Unknown property 'c/nope' at position 15"),
        ("lastName eq 'open", "Unterminated string literal at position 12"),
        ("id eq 'x'", "Cannot compare int property 'id' with string literal 'x' at position 6"),
        (
            "id eq 99999999999999999999",
            "Integer literal 99999999999999999999 is out of range at position 6",
        ),
        ("contains(lastName)", "contains() takes a property and a string at position 0"),
        (
            "contains(id, '1')",
            "Operator 'contains' cannot be used on int property 'id' at position 0",
        ),
        ("lower(lastName) eq 'x'", "Unknown function 'lower' at position 0"),
        ("(id eq 1", "Expected ')', found end of input at position 8"),
        ("id eq 1)", "Expected end of input, found ')' at position 7"),
        ("gender gt null", "Operator 'gt' cannot compare with null at position 10"),
        ("id eq 1 ; drop table", "Unexpected character ';' at position 8"),
        ("'x' eq 'y'", "Comparisons need a property on one side at position 4"),
        ("gender", "Property 'gender' is not a condition at position 0"),
        (
            "(" * 60 + "id eq 1" + ")" * 60,
            "Expression is nested deeper than 50 levels at position 50",
        ),
        ("id eq 1 or " * 200 + "id eq 2", "The filter is longer than 2000 characters"),
    ],
)
def test_FILTER_1_malformed(tenant, text, detail):
    r = _get(tenant, "$filter=" + quote(text))
    assert r.status_code == 400
    assert r.json["response"] is None and r.json["count"] is None
    assert errors_of(r) == [(1012, INVALID + detail)]


FUZZ_TOKENS = [
    *"()/:,' $%01239xc",
    "lastName",
    "centres",
    "any",
    "all",
    " eq ",
    " and ",
    "not ",
    " or ",
    "'a'",
    "''",
    "12/31/1999",
    "2020-01-01",
    "contains",
    "c/id",
    "null",
    "true",
    "dateOfBirth",
    " desc",
    "id",
    "-1",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.lists(st.sampled_from(FUZZ_TOKENS), min_size=1, max_size=14).map("".join))
def test_arbitrary_filters_never_500(tenant, text):
    r = _get(tenant, "$filter=" + quote(text) + "&$orderBy=" + quote(text))
    assert r.status_code in (200, 400), (text, r.json)
    if r.status_code == 400:
        assert r.json["errors"][0]["ErrorCode"] in (1012, 1013)


@pytest.mark.parametrize(
    "path, status, error",
    [
        (
            "/api/v2/Candidate?$skip=99999999999999999999",
            400,
            (1011, "$skip must be a non-negative integer"),
        ),
        (
            "/api/v2/Candidate?$top=99999999999999999999",
            400,
            (1010, "$top must be between 1 and 40"),
        ),
        ("/api/v2/Candidate?$top=0", 400, (1010, "$top must be between 1 and 40")),
        ("/api/v2/Test/99999999999999999999", 404, (404, "Test not found")),
    ],
)
def test_numbers_beyond_64_bits_are_refused_not_a_crash(tenant, path, status, error):
    response = tenant.surpass("GET", path)
    assert response.status_code == status
    assert [(e["ErrorCode"], e["Message"]) for e in response.json["errors"]] == [error]
