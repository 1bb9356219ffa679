"""The demo tenant's Cirrus token: fixed, so the README and the docs can show it (48
letters and digits, as a real EAPI token). Plain constants, importable without Flask."""

DEMO_TOKEN = "DemoCirrusEapiToken00000000000000000000000000001"
DEMO_CREDENTIALS = {"token": DEMO_TOKEN}
