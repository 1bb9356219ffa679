"""Keycodes and PINs: derived from the tenant's seed so they are the same on every run.

A keycode is 8 characters of ``[A-Z0-9]`` (research notes A2); a PIN is numeric, shared by
every session at one centre, for one test, on one day (confirmed behaviour).
"""

from __future__ import annotations

from datetime import date

from exam_sandbox.core.keys import code_from, digest


def keycode_for(seed: int, session_id: int, attempt: int = 0) -> str:
    return code_from(digest("keycode", seed, session_id, attempt), 8)


def pin_for(seed: int, centre_id: int, test_id: int, day: date, length: int) -> str:
    return str(digest("pin", seed, centre_id, test_id, day.isoformat()) % 10**length).zfill(length)
