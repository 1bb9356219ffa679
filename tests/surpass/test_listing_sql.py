"""Lists on precompiled SQL (core/listing_sql.py) through Surpass's Candidate list: the
tenant criterion reaches every table a filter reads, compiled statements are kept per
filter text and bounded, and each item's related rows are its own."""

from __future__ import annotations

from sqlalchemy.dialects import sqlite
from support import basic

from exam_sandbox.core.listing_sql import Listing
from exam_sandbox.providers.surpass.listings import candidate_listing
from exam_sandbox.providers.surpass.paging import LISTING_RULES
from exam_sandbox.providers.surpass.routes.candidates import CANDIDATE_QUERY

CANDIDATES = "/api/v2/Candidate"


def _sql(listing: Listing, filter_text: str) -> str:
    _count, page = listing.statements(filter_text, None, LISTING_RULES)
    return page.form(sqlite.dialect(), {}).sql


def test_a_collection_filter_limits_every_table_it_reads_to_the_tenant():
    sql = _sql(candidate_listing(CANDIDATE_QUERY), "centres/any(c: c/reference eq 'X')")
    for table in ("surpass_candidate", "surpass_candidate_centre", "surpass_centre"):
        assert f"{table}.tenant_id = ?" in sql, sql
    # The filter's value is bound, never written into the SQL.
    assert "'X'" not in sql


def test_statements_are_kept_per_filter_text_and_the_oldest_goes_first():
    listing = Listing(candidate_listing(CANDIDATE_QUERY).table, CANDIDATE_QUERY, capacity=2)
    first = listing.statements("id eq 1", None, LISTING_RULES)
    assert listing.statements("id eq 1", None, LISTING_RULES) is first
    listing.statements("id eq 2", None, LISTING_RULES)
    listing.statements("id eq 3", None, LISTING_RULES)
    assert listing.statements("id eq 1", None, LISTING_RULES) is not first


def test_a_page_never_shows_another_tenants_rows(tenant, http):
    other = http.post("/_sandbox/tenants", json={"seed": 7})
    assert other.status_code == 201, other.json
    try:
        made = tenant.surpass("POST", CANDIDATES, json={
            "reference": "ONLY-HERE", "firstName": "Una", "lastName": "Zzyzx",
            "dateOfBirth": "2000-01-01",
        })
        assert made.status_code == 200, made.json
        mine = tenant.surpass("GET", f"{CANDIDATES}?$filter=lastName eq 'Zzyzx'")
        assert mine.status_code == 200 and mine.json["count"] == 1
        theirs = tenant.surpass(
            "GET", f"{CANDIDATES}?$filter=lastName eq 'Zzyzx'",
            auth=_auth_of(other.json),
        )
        assert theirs.status_code == 200, theirs.json
        assert theirs.json["count"] == 0 and theirs.json["response"] == []
    finally:
        http.delete(f"/_sandbox/tenants/{other.json['tenant']}")


def _auth_of(created: dict) -> dict:
    login = created["credentials"]["surpass"]
    return basic(login["username"], login["password"])


def test_each_item_shows_its_own_centres_and_subjects_in_id_order(tenant):
    page = tenant.surpass("GET", f"{CANDIDATES}?$top=40")
    assert page.status_code == 200, page.json
    for item in page.json["response"]:
        alone = tenant.surpass("GET", f"{CANDIDATES}/{item['id']}")
        assert alone.status_code == 200, alone.json
        single = alone.json["response"][0]
        # The by-id read loads its relationships through the ORM: the same sets.
        assert sorted(c["id"] for c in item["centres"]) == sorted(
            c["id"] for c in single["centres"])
        assert sorted(s["id"] for s in item["subjects"]) == sorted(
            s["id"] for s in single["subjects"])
        assert [c["id"] for c in item["centres"]] == sorted(c["id"] for c in item["centres"])
        assert all(s["name"] for s in item["subjects"])


def test_ordering_by_a_navigation_property_limits_its_subquery_to_the_tenant():
    from exam_sandbox.providers.surpass.routes.sessions import SESSIONS

    _count, page = SESSIONS.statements(None, "candidate/reference desc", LISTING_RULES)
    sql = page.form(sqlite.dialect(), {}).sql
    assert "surpass_candidate.tenant_id = ?" in sql, sql
    assert sql.index("surpass_candidate.tenant_id") > sql.index("ORDER BY"), sql


def test_a_session_page_names_its_candidate_centre_test_subject_and_form(tenant):
    page = tenant.surpass("GET", "/api/v2/TestSession?$top=5")
    assert page.status_code == 200, page.json
    for item in page.json["response"]:
        alone = tenant.surpass("GET", f"/api/v2/TestSession/{item['id']}")
        assert alone.status_code == 200, alone.json
        # The by-id read goes through the ORM: the page's rows must say the same.
        assert item == alone.json["response"][0]
