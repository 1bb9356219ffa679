"""The committed iTEP contract is the document the sandbox serves.

``contracts/openapi/itep.json`` changes only by a deliberate commit: when the schemas,
routes or links change what ``/itep/openapi.json`` says, this test fails until the
contract is regenerated (and the change reviewed with the rest of the commit)::

    exam-sandbox openapi itep > contracts/openapi/itep.json
"""

from __future__ import annotations

from drift import assert_no_drift


def test_served_document_is_the_committed_contract():
    assert_no_drift("itep", "iTEP")
