"""Cirrus's tests: an app that mounts Cirrus alone (``stores.app_of`` says why)."""

from __future__ import annotations

import pytest
from stores import app_of


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    return app_of(tmp_path_factory, "cirrus")
