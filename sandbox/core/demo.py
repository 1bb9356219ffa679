"""The demo tenant every fresh sandbox has: its id (also its Surpass username) and secret.

Plain constants, importable without the database (provider descriptions, the plugin).
"""

DEMO_TENANT_ID = "demo"
DEMO_SECRET = "demo-password"
