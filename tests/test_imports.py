"""The distribution's packages resolve to themselves inside the test run.

A test folder named like a package (``tests/client`` once) becomes a namespace package on
pytest's ``pythonpath`` and hides the real one; this guards against that coming back.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_client_package_is_the_real_one():
    assert client.__file__ is not None
    assert Path(client.__file__).resolve() == ROOT / "client" / "__init__.py"
    assert hasattr(client, "SurpassClient") and hasattr(client, "JanisonClient")


def test_sandbox_package_is_the_real_one():
    assert Path(sandbox.__file__).resolve() == ROOT / "sandbox" / "__init__.py"
