"""How tests authenticate a tenant on Cirrus: ``Authorization: EAPI <token>``."""


def auth_headers(credentials: dict) -> dict:
    return {"Authorization": f"EAPI {credentials['token']}"}
