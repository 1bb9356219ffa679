"""The iTEP client's tests run against a local stand-in for iTEP (tests/stand_in.py)
answering canned vendor responses: ``vendor`` and a client of it.
"""

from __future__ import annotations

import pytest
from itep_samples import API, KEY
from stand_in import Vendor, serving

from exam_sandbox.client.itep import ItepClient


@pytest.fixture
def vendor():
    yield from serving(Vendor(API))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def itep(vendor: Vendor, sleeps: list[float]):
    """A client of the stand-in (header key), sleeping into ``sleeps`` instead of waiting."""
    with ItepClient(vendor.url, KEY, sleep=sleeps.append) as client:
        yield client
