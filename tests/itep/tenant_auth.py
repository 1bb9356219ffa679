"""How tests authenticate a tenant on iTEP: its AP product's key as ``X-API-Key``."""


def auth_headers(credentials: dict) -> dict:
    return {"X-API-Key": credentials["api_key"]}
