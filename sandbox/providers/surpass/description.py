"""Surpass API v2 as the sandbox lists it (pure data: see core/description.py)."""

from exam_sandbox.core.demo import DEMO_SECRET, DEMO_TENANT_ID
from exam_sandbox.core.description import ProviderDescription

DESCRIPTION = ProviderDescription(
    name="surpass",
    title="Surpass API v2",
    summary="Test scheduling, candidates, centres, subjects and test sessions; HTTP Basic.",
    client_base_path="/surpass",
    api_path="/surpass/api/v2",
    demo_credentials={"username": DEMO_TENANT_ID, "password": DEMO_SECRET},
    client="exam_sandbox.client.surpass:SurpassClient",
    client_fixture="surpass_client",
    client_credentials={"username": "username", "password": "password"},
)
