"""Janison's part of the bench: a tenant with a page of results to read, and its headers.

The tenant is made over HTTP like any user's (``POST /_sandbox/tenants``) and keeps its
seed data (40 candidates, 10 results). Two schedules of 20 candidates each, completed with
the ``/complete`` control, add 40 results, so ``GET /api/result?$top=40`` is a full page
of 40, as the Surpass Candidate pages are.
"""

from __future__ import annotations

from .servers import request

CANDIDATES = 40  # in a seeded tenant, ids 1..40
RESULT_PAGE = "/janison/api/result?$top=40"
SCHEDULE_PATH = "/janison/api/testschedule"
SCHEDULE_TABLE = "janison_testschedule"


def headers(credentials: dict) -> dict:
    """API Management's subscription key and Azure AD's bearer token, per tenant."""
    return {"Ocp-Apim-Subscription-Key": credentials["subscriptionKey"],
            "Authorization": f"Bearer {credentials['token']}"}


def prepare(port: int, tenant: str) -> dict:
    """Create the tenant, give it 40 more results; the headers its API calls need."""
    status, answer = request("POST", port, "/_sandbox/tenants", {"tenant": tenant, "seed": 1})
    if status != 201:
        raise RuntimeError(f"could not create tenant {tenant}: {status} {answer}")
    sent = headers(answer["credentials"]["janison"])
    for first in (1, 21):
        body = {"testPackage": {"reference": "ENG-GEN-4S"}, "centre": {"reference": "CTR001"},
                "candidates": [{"id": n} for n in range(first, first + 20)],
                "testPackageDate": "2030-07-01"}
        status, booked = request("POST", port, SCHEDULE_PATH, body, headers=sent)
        if status != 200:
            raise RuntimeError(f"janison: could not book: {status} {booked}")
        path = f"/_sandbox/tenants/{tenant}/janison/testschedule/{booked['id']}/complete"
        status, done = request("POST", port, path, {})
        if status != 200:
            raise RuntimeError(f"janison: could not complete {booked['id']}: {status} {done}")
    status, page = request("GET", port, RESULT_PAGE, headers=sent)
    if status != 200 or len(page["response"]) != 40:
        raise RuntimeError(f"janison: expected a page of 40 results: {status} {page}")
    return sent
