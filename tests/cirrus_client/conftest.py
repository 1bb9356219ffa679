"""The Cirrus client's tests run against a local stand-in for Cirrus (tests/stand_in.py)
answering canned vendor responses: ``vendor`` and a client of it.
"""

from __future__ import annotations

import pytest
from cirrus_samples import API, TOKEN
from stand_in import Vendor, serving

from exam_sandbox.client.cirrus import CirrusClient


@pytest.fixture
def vendor():
    yield from serving(Vendor(API, "application/json; charset=utf-8"))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def cirrus(vendor: Vendor, sleeps: list[float]):
    """A client of the stand-in, sleeping into ``sleeps`` instead of waiting."""
    with CirrusClient(vendor.url, TOKEN, sleep=sleeps.append) as client:
        yield client
