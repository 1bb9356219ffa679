"""The demo tenant's Janison credentials: fixed, so the README and the docs can show them.

Plain constants, importable without Flask or the database.
"""

DEMO_CREDENTIALS = {
    "subscriptionKey": "demo-subscription-key",
    "token": "demo-token",
    "clientId": "demo-client",
    "clientSecret": "demo-client-secret",
}
