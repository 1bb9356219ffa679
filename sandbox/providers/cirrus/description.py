"""Cirrus Assessment as the sandbox lists it (pure data: see core/description.py)."""

from exam_sandbox.core.description import ProviderDescription

from .demo import DEMO_CREDENTIALS

DESCRIPTION = ProviderDescription(
    name="cirrus",
    title="Cirrus Assessment",
    summary="Assessments by external id, schedules with launch links, published results "
    "(3,000 a day) and the results webhook; Authorization: EAPI <token>.",
    client_base_path="/cirrus/api/v1/integrations",
    api_path="/cirrus/api/v1/integrations",
    demo_credentials=dict(DEMO_CREDENTIALS),
    client="exam_sandbox.client.cirrus:CirrusClient",
    client_fixture="cirrus_client",
    client_credentials={"token": "token"},
)
