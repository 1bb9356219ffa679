"""Auth, rules I1-I2: an API key per product code (made on the PRODUCT CODE screen), sent
as ``X-API-Key`` or the ``api_key`` query parameter (the header wins when both are).
Missing: 401 ``missing_api_key``; unknown or revoked: 401 ``invalid_api_key``.

A key that authenticated before is answered from the app's ``CredentialCache``
(core/auth_cache.py): one precompiled read of the tenant's row. Revoking a key bumps the
tenant's generation, so no worker keeps answering for it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import request
from sqlalchemy import select

from exam_sandbox.core.auth_cache import CredentialCache, TenantRow
from exam_sandbox.core.errors import Unauthenticated
from exam_sandbox.core.request_scope import RequestDatabase
from exam_sandbox.core.sql import SqlRunner
from exam_sandbox.core.tenants import DEMO_TENANT_ID, Tenant

from .demo import DEMO_ADMINISTRATOR, DEMO_KEYS
from .errors import RULES
from .tables import IProduct

KEY_HEADER = "X-API-Key"
KEY_PARAMETER = "api_key"


@dataclass(frozen=True, slots=True)
class ProductKey:
    """What a key names: its product code (and so the IDs it hands out)."""

    product_pk: int
    code: str


def key_for(tenant: Tenant, code: str) -> str:
    if tenant.id == DEMO_TENANT_ID:
        return DEMO_KEYS[code]
    message = f"itep-api-key\x1f{code}\x1f{tenant.id}".encode()
    return "itep_" + hmac.new(tenant.secret.encode(), message, hashlib.sha256).hexdigest()[:40]


def administrator_for(tenant: Tenant) -> str:
    return DEMO_ADMINISTRATOR if tenant.id == DEMO_TENANT_ID else f"Language Centre {tenant.id}"


def credentials_for(tenant: Tenant) -> dict:
    """The AP key (the interface's ``credentials.itep``), and the BP product's."""
    return {
        "api_key": key_for(tenant, "AP"),
        "product_code": "AP",
        "local_administrator": administrator_for(tenant),
        "api_key_bp": key_for(tenant, "BP"),
    }


def presented_key() -> str | None:
    key = request.headers.get(KEY_HEADER, "").strip() or request.args.get(KEY_PARAMETER, "")
    return key.strip() or None


def authenticate(
    access: RequestDatabase, cache: CredentialCache
) -> tuple[Tenant | TenantRow, ProductKey]:
    key = presented_key()
    if key is None:
        raise RULES.error(Unauthenticated, "I1")
    hit = cache.lookup(SqlRunner(None, access.connection), key)
    if hit is not None:
        return hit
    found = (
        access.read_session()
        .execute(
            select(Tenant, IProduct.pk, IProduct.code)
            .join(IProduct, IProduct.tenant_id == Tenant.id)
            .where(IProduct.api_key == key, IProduct.key_revoked.is_(False))
        )
        .first()
    )
    if found is None:
        raise RULES.error(Unauthenticated, "I2")
    tenant, product_pk, code = found
    principal = ProductKey(product_pk, code)
    cache.remember(key, tenant, principal)
    return tenant, principal
