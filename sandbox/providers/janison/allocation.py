"""Versions, keycodes and raw scores, derived from the tenant's seed (never ``random``):
the same seed and the same calls give the same values on every run.

Each sitting of a component (an enrolment's component at an ``attempt``: 0 when booked,
one more per resit) gets a version of the component, "randomly selected" as Janison's
page says, and an 8-character keycode. A resit always gets a version other than the one
just sat, when the component has more than one.
"""

from __future__ import annotations

from exam_sandbox.core.keys import code_from, digest

KEYCODE_LENGTH = 8
# Raw scores the sandbox makes up when a completion names none: 35..95.
DERIVED_RAW_LOW = 35
DERIVED_RAW_SPAN = 61


def version_for(
    seed: int,
    session_id: int,
    component_id: int,
    attempt: int,
    versions: int,
    previous: int | None = None,
) -> int:
    """A version 1..``versions``; different from ``previous`` whenever that is possible."""
    value = digest("version", seed, session_id, component_id, attempt)
    if previous is None or versions < 2:
        return value % versions + 1
    others = [v for v in range(1, versions + 1) if v != previous]
    return others[value % len(others)]


def keycode_for(seed: int, session_id: int, component_id: int, attempt: int) -> str:
    return code_from(digest("keycode", seed, session_id, component_id, attempt), KEYCODE_LENGTH)


def derived_raw_score(seed: int, session_id: int, component_id: int, attempt: int) -> int:
    value = digest("raw", seed, session_id, component_id, attempt)
    return DERIVED_RAW_LOW + value % DERIVED_RAW_SPAN
