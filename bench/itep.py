"""iTEP's part of the bench: a tenant whose AP inventory will not run out, and its key.

The tenant is made over HTTP like any user's, given 40,000 more AP test IDs with the
inventory control (a 10 s slice assigns about 10,000), and allowed a sale at fulfillment
in case a run outlasts them, so every assign is a 200. Each request assigns the next
available ID, as an integration's does.
"""

from __future__ import annotations

from .servers import request

ASSIGN_PATH = "/itep/api/v1/test-ids/assign"
INVENTORY = 40_000
BATCH = 10_000  # the inventory control's largest count


def prepare(port: int, tenant: str) -> dict:
    status, answer = request("POST", port, "/_sandbox/tenants", {"tenant": tenant, "seed": 1})
    if status != 201:
        raise RuntimeError(f"itep: could not create tenant {tenant}: {status} {answer}")
    admin = f"/_sandbox/tenants/{tenant}"
    for _ in range(INVENTORY // BATCH):
        status, added = request("POST", port, f"{admin}/itep/inventory",
                                {"product_code": "AP", "count": BATCH})
        if status != 201:
            raise RuntimeError(f"itep: could not add inventory: {status} {added}")
    status, changed = request("PATCH", port, f"{admin}/settings/itep",
                              {"saleAtFulfillment": {"AP": True, "BP": False}})
    if status != 200:
        raise RuntimeError(f"itep: could not allow sales: {status} {changed}")
    return {"X-API-Key": answer["credentials"]["itep"]["api_key"]}
