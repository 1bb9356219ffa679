"""The demo tenant's iTEP keys: fixed, so the README and the docs can show them. Plain
constants, importable without Flask."""

DEMO_KEYS = {"AP": "demo-itep-ap-key", "BP": "demo-itep-bp-key"}
DEMO_ADMINISTRATOR = "Sandbox Language Centre"
DEMO_CREDENTIALS = {
    "api_key": DEMO_KEYS["AP"],
    "product_code": "AP",
    "local_administrator": DEMO_ADMINISTRATOR,
    "api_key_bp": DEMO_KEYS["BP"],
}
