"""I9, never the same test ID twice, proved on a real server (granian, 2 workers, several
threads each): 500 assigns sent at once, over as many connections, for fewer available IDs.
Every answer is 200 or I5's 409; the 200s hand out distinct IDs, exactly as many as were
available; afterwards none is available, and each ID holds the Assigned-to (and oid) of
the one request that got it. The ID is taken under the writers' lock by an UPDATE that
requires it to be still available (models/assign.py); this is what proves it."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import requests
from stores import serve_args
from test_serve import serve

ATTEMPTS = 500
THREADS = 100  # ATTEMPTS is a multiple: every round fills the barrier
ADDED = 300
PATH = "/itep/api/v1/test-ids/assign"
I5 = {
    "error": "no_available_test_ids",
    "message": "No test ID of product AP is available (Ready and unassigned)",
}


def _body(n: int) -> dict:
    person = {"name": f"Racer {n}", "email": f"racer{n}@example.com", "reference": f"RACE-{n}"}
    return {"assigned_to": person, "oid": f"OID-{n}"}


def _send_at_once(base: str, key: str) -> list[requests.Response]:
    barrier = Barrier(THREADS)

    def one(n: int) -> requests.Response:
        with requests.Session() as fresh:  # a connection each: spread over the workers
            barrier.wait()
            return fresh.post(base + PATH, json=_body(n), headers={"X-API-Key": key}, timeout=60)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(one, range(ATTEMPTS)))


def _available(served, tenant: str, product: str) -> list[str]:
    answer = served.request(
        "GET", f"/_sandbox/tenants/{tenant}/itep/available-tests", params={"product_code": product}
    )
    assert answer.status_code == 200, answer.text
    return [row["test_id"] for row in answer.json()["test_ids"]]


def test_500_assigns_at_once_never_hand_out_an_id_twice(tmp_path):
    served = serve(tmp_path, *serve_args(tmp_path), "--workers", "2", "--threads", "8")
    try:
        created = served.request("POST", "/_sandbox/tenants", json={"seed": 1})
        assert created.status_code == 201, created.text
        tenant = created.json()["tenant"]
        key = created.json()["credentials"]["itep"]["api_key"]
        added = served.request(
            "POST",
            f"/_sandbox/tenants/{tenant}/itep/inventory",
            json={"product_code": "AP", "count": ADDED},
        )
        assert added.status_code == 201, added.text
        before = _available(served, tenant, "AP")
        bp_before = _available(served, tenant, "BP")
        assert len(before) == 20 + ADDED < ATTEMPTS

        started = time.monotonic()
        answers = _send_at_once(served.base, key)
        elapsed = time.monotonic() - started

        got = {}  # request number -> test ID
        for n, answer in enumerate(answers):
            if answer.status_code == 200:
                body = answer.json()
                assert body == {
                    "test_id": body["test_id"],
                    "status": "Ready",
                    "product_code": "AP",
                    "assigned_to": _body(n)["assigned_to"],
                    "oid": f"OID-{n}",
                    "tracking_code": None,
                    "source": "inventory",
                }, body
                got[n] = body["test_id"]
            else:
                assert answer.status_code == 409, answer.text
                assert answer.json() == I5
        assert len(set(got.values())) == len(got) == len(before), elapsed
        assert set(got.values()) == set(before)
        assert all(re.fullmatch(r"[A-Z0-9]{8}AP", i) for i in got.values())
        assert _available(served, tenant, "AP") == []
        assert _available(served, tenant, "BP") == bp_before

        # Each ID holds the Assigned-to of exactly the request that got it.
        with requests.Session() as session:
            for n, test_id in got.items():
                shown = session.get(
                    f"{served.base}/_sandbox/tenants/{tenant}/itep/tests/{test_id}", timeout=10
                )
                assert shown.status_code == 200, shown.text
                shown = shown.json()
                assert shown["assigned_to"] == _body(n)["assigned_to"], (n, shown)
                assert (shown["oid"], shown["status"], shown["available"]) == (
                    f"OID-{n}",
                    "Ready",
                    False,
                )
    finally:
        served.kill()
