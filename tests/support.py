"""Helpers shared by the sandbox's own tests (importable as ``support``: pytest puts
``tests/`` on the path, see pyproject's ``pythonpath``)."""

from __future__ import annotations

import base64


def basic(username: str, password: str) -> dict:
    """An HTTP Basic ``Authorization`` header."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def errors_of(response) -> list[tuple[int, str]]:
    """The (ErrorCode, Message) pairs of a Surpass error body."""
    return [(e["ErrorCode"], e["Message"]) for e in response.json["errors"]]
