"""Janison Insights as the sandbox lists it (pure data: see core/description.py)."""

from exam_sandbox.core.description import ProviderDescription

from .demo import DEMO_CREDENTIALS

DESCRIPTION = ProviderDescription(
    name="janison",
    title="Janison Insights",
    summary="Candidates, centres, test schedules with resits, and results; APIM key + "
    "bearer token (or OAuth2 client credentials).",
    client_base_path="/janison/api",
    api_path="/janison/api",
    demo_credentials=dict(DEMO_CREDENTIALS),
    client="exam_sandbox.client.janison:JanisonClient",
    client_fixture="janison_client",
    client_credentials={"subscription_key": "subscriptionKey", "token": "token"},
)
