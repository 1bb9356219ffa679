"""The vendors the sandbox emulates; ``app.py`` mounts each at ``/<name>``."""

from __future__ import annotations


def all_providers() -> list:
    from .janison.provider import JanisonProvider
    from .surpass.provider import SurpassProvider

    return [SurpassProvider(), JanisonProvider()]
