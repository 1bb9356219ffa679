"""iTEP as the sandbox lists it (pure data: see core/description.py)."""

from exam_sandbox.core.description import ProviderDescription

from .demo import DEMO_CREDENTIALS

DESCRIPTION = ProviderDescription(
    name="itep",
    title="iTEP",
    summary="A Local Administrator's test ID inventory, the two provisioning calls "
    "(assign, assign and e-mail) and the results webhook; an API key per product code.",
    client_base_path="/itep/api/v1",
    api_path="/itep/api/v1",
    demo_credentials=dict(DEMO_CREDENTIALS),
    client="exam_sandbox.client.itep:ItepClient",
    client_fixture="itep_client",
    client_credentials={"api_key": "api_key"},
)
