"""When a failed delivery is tried again, on the tenant's clock.

Up to ``MAX_ATTEMPTS`` attempts in all; the n-th retry (n = 1 for the second attempt) is
due ``round((n-1)**4 + 15 + r*n)`` seconds after the previous attempt, with r an integer
uniform in 0..29. r is drawn from the tenant's seed, the delivery's id and n (a hash, not
a random generator's state), so the same seed gives the same schedule on every run.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

MAX_ATTEMPTS = 10
JITTER_VALUES = 30  # r in 0..29


def jitter(seed: int, delivery_id: int, n: int) -> int:
    """r for the n-th retry of delivery ``delivery_id`` of a tenant seeded ``seed``."""
    digest = hashlib.sha256(f"webhook-retry\x1f{seed}\x1f{delivery_id}\x1f{n}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % JITTER_VALUES


def retry_delay(seed: int, delivery_id: int, n: int) -> int:
    """Seconds from the previous attempt to the n-th retry (n >= 1)."""
    if not 1 <= n < MAX_ATTEMPTS:
        raise ValueError(f"retry {n}: there are {MAX_ATTEMPTS - 1} retries at most")
    return round((n - 1) ** 4 + 15 + jitter(seed, delivery_id, n) * n)


def next_due(previous: datetime, seed: int, delivery_id: int, n: int) -> datetime:
    """When the n-th retry is due, ``previous`` being the tenant-clock time of the attempt
    before it."""
    return previous + timedelta(seconds=retry_delay(seed, delivery_id, n))
