"""Auth, rules A1-A3: ``Authorization: EAPI <token>`` (the docs) or ``EAPI<token>`` (a
real client's header, no space) with the tenant's static EAPI token. Anything else (no
header, another scheme, an unknown token) is 403 "Not allowed to use external API":
Cirrus documents no 401.

A token that authenticated before is answered from the app's ``CredentialCache``
(core/auth_cache.py): one precompiled read of the tenant's row, which also gives the
request its fresh clock and settings. Refusals are never cached.
"""

from __future__ import annotations

import hashlib
import hmac
import string

from flask import request
from sqlalchemy import select

from exam_sandbox.core.auth_cache import CredentialCache, TenantRow
from exam_sandbox.core.request_scope import RequestDatabase
from exam_sandbox.core.sql import SqlRunner
from exam_sandbox.core.tenants import DEMO_TENANT_ID, Tenant

from .demo import DEMO_CREDENTIALS
from .errors import not_allowed
from .tables import CCredential

SCHEME = "EAPI"
TOKEN_LENGTH = 48
_ALPHABET = string.digits + string.ascii_letters


def _token_of(tenant: Tenant) -> str:
    """48 letters and digits only the tenant's secret gives; the tenant id keeps two
    tenants of one seed apart."""
    message = f"cirrus-eapi-token\x1f{tenant.id}".encode()
    number = int.from_bytes(hmac.new(tenant.secret.encode(), message, hashlib.sha512).digest())
    digits = []
    while len(digits) < TOKEN_LENGTH:
        number, digit = divmod(number, len(_ALPHABET))
        digits.append(_ALPHABET[digit])
    return "".join(digits)


def credentials_for(tenant: Tenant) -> dict:
    """The demo tenant's token is fixed (the README shows it); others derive from the
    tenant's secret, so a reset or a restart gives the same one."""
    if tenant.id == DEMO_TENANT_ID:
        return dict(DEMO_CREDENTIALS)
    return {"token": _token_of(tenant)}


def presented_token() -> str | None:
    """A2: the token of ``EAPI <token>`` or ``EAPI<token>``; None for anything else."""
    value = request.headers.get("Authorization", "").strip()
    if value[: len(SCHEME)].upper() != SCHEME:
        return None
    token = value[len(SCHEME) :].strip()
    return token or None


def authenticate(access: RequestDatabase, cache: CredentialCache) -> tuple[Tenant | TenantRow, str]:
    """The tenant whose token the request carries, and the token (``/results`` counts
    calls per token); A1/A3 otherwise."""
    token = presented_token()
    if token is None:
        raise not_allowed()
    hit = cache.lookup(SqlRunner(None, access.connection), token)
    if hit is not None:
        return hit[0], token
    found = (
        access.read_session()
        .execute(
            select(Tenant)
            .join(CCredential, CCredential.tenant_id == Tenant.id)
            .where(CCredential.token == token)
        )
        .scalar()
    )
    if found is None:
        raise not_allowed()
    cache.remember(token, found, token)
    return found, token
