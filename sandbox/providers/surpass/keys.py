"""Keycodes and PINs: derived from the tenant's seed so they are the same on every run.

A keycode is 8 characters of ``[A-Z0-9]`` (research notes A2); a PIN is numeric, shared by
every session at one centre, for one test, on one day (confirmed behaviour).
"""

from __future__ import annotations

import hashlib
from datetime import date

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _digest(*parts) -> int:
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big")


def keycode_for(seed: int, session_id: int, attempt: int = 0) -> str:
    value = _digest("keycode", seed, session_id, attempt)
    chars = []
    for _ in range(8):
        value, index = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def pin_for(seed: int, centre_id: int, test_id: int, day: date, length: int) -> str:
    return str(_digest("pin", seed, centre_id, test_id, day.isoformat()) % 10**length).zfill(length)
