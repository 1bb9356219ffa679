"""Auth as the research notes propose (B1, assumed): Azure API Management in front of an
Azure AD-protected API. Every request carries ``Ocp-Apim-Subscription-Key`` (which names
the tenant) and ``Authorization: Bearer <token>`` (which must be that tenant's: its
static token, or one ``POST /oauth2/token`` issued and the tenant's clock has not yet
expired). Failures are APIM's 401s (``errors.ApimError``).

A request whose (subscription key, token) authenticated before is answered from the
app's ``CredentialCache`` (core/auth_cache.py): one precompiled read of the tenant's row,
which also gives the request its fresh clock and settings; the token's expiry is checked
against that clock on every request. Authentication reads in the read session, so a POST
does not take the writers' lock to authenticate.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from exam_sandbox.core.auth_cache import CredentialCache, TenantRow
from exam_sandbox.core.db import next_id
from exam_sandbox.core.request_scope import RequestDatabase
from exam_sandbox.core.sql import SqlRunner
from exam_sandbox.core.tenants import DEMO_TENANT_ID, Tenant

from .demo import DEMO_CREDENTIALS
from .errors import (
    APIM_BAD_TOKEN,
    APIM_INVALID_KEY,
    APIM_MISSING_KEY,
    OAuthError,
    apim_error,
)
from .tables import JCredential, JToken

KEY_HEADER = "Ocp-Apim-Subscription-Key"
GRANT = "client_credentials"


def _mac(tenant: Tenant, purpose: str) -> str:
    """A value only the tenant's secret gives; the tenant id keeps two tenants apart even
    if their secrets were alike."""
    message = f"{purpose}\x1f{tenant.id}".encode()
    return hmac.new(tenant.secret.encode(), message, hashlib.sha256).hexdigest()


def credentials_for(tenant: Tenant) -> dict:
    """The demo tenant's are fixed (the README shows them); others derive from the
    tenant's secret, so a reset or a restart gives the same ones."""
    if tenant.id == DEMO_TENANT_ID:
        return dict(DEMO_CREDENTIALS)
    return {
        "subscriptionKey": _mac(tenant, "janison-subscription-key")[:32],
        "token": "jt-" + _mac(tenant, "janison-token")[:40],
        # Prefixed, so no tenant id can take the demo tenant's client id.
        "clientId": f"janison-{tenant.id}",
        "clientSecret": _mac(tenant, "janison-client-secret")[:32],
    }


def credential_row(tenant: Tenant) -> dict:
    c = credentials_for(tenant)
    return {
        "subscription_key": c["subscriptionKey"],
        "token": c["token"],
        "client_id": c["clientId"],
        "client_secret": c["clientSecret"],
    }


def _bearer() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@dataclass(frozen=True, slots=True)
class Bearer:
    """What the cache keeps of a (subscription key, token) that authenticated: when the
    token expires, ``None`` for the tenant's static token, which never does."""

    expires_at: datetime | None

    def valid_at(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


def authenticate(access: RequestDatabase, cache: CredentialCache) -> Tenant | TenantRow:
    """The tenant the subscription key and bearer token name, or APIM's 401.

    A cached pair still needs its tenant's version (auth_cache) and an unexpired token
    on the tenant's clock now; an expired one is forgotten and checked in the database
    again, so it is refused after the same work as a made-up token. Refusals are never
    cached."""
    key = request.headers.get(KEY_HEADER, "").strip()
    if not key:
        raise apim_error(APIM_MISSING_KEY)
    token = _bearer()
    if token is not None:
        hit = cache.lookup(SqlRunner(None, access.connection), (key, token))
        if hit is not None:
            tenant, bearer = hit
            if bearer.valid_at(tenant.clock.now()):
                return tenant
            cache.forget((key, token))
    tenant, bearer = _from_database(access.read_session(), key, token)
    cache.remember((key, token), tenant, bearer)
    return tenant


def _from_database(session: Session, key: str, token: str | None) -> tuple[Tenant, Bearer]:
    found = session.execute(
        select(JCredential.token, Tenant)
        .join(Tenant, Tenant.id == JCredential.tenant_id)
        .where(JCredential.subscription_key == key)
    ).first()
    if found is None:
        # APIM's own body already says the key is unknown, so this path may cost less.
        raise apim_error(APIM_INVALID_KEY)
    static_token, tenant = found
    if token is None:
        raise apim_error(APIM_BAD_TOKEN, bearer=True)
    if hmac.compare_digest(token.encode(), static_token.encode()):
        return tenant, Bearer(None)
    expires = session.execute(
        select(JToken.expires_at).where(JToken.tenant_id == tenant.id, JToken.token == token)
    ).scalar()
    bearer = Bearer(expires)
    if expires is None or not bearer.valid_at(tenant.clock.now()):
        raise apim_error(APIM_BAD_TOKEN, bearer=True)
    return tenant, bearer


# Compared when no client has the id, so an unknown client id costs what a wrong secret
# does: the same query, one comparison, the same invalid_client (issue 7, defect 6).
_NO_SUCH_CLIENT = hashlib.sha256(b"no such client").hexdigest()


def _client_tenant(session: Session, client_id: str, secret: str) -> Tenant:
    """The tenant whose client id and secret these are, or ``invalid_client``.

    Only the stored secret is read until it matches; the tenant is loaded after."""
    found = session.execute(
        select(JCredential.tenant_id, JCredential.client_secret).where(
            JCredential.client_id == client_id
        )
    ).first()
    tenant_id, stored = found if found is not None else (None, _NO_SUCH_CLIENT)
    if not hmac.compare_digest(secret.encode(), stored.encode()) or tenant_id is None:
        raise OAuthError("invalid_client", "The client id or client secret is invalid.")
    return session.get(Tenant, tenant_id)


def issue_token(session: Session, form: dict, lifetime_of) -> tuple[Tenant, str, int]:
    """OAuth2 client credentials: ``(tenant, access token, lifetime in seconds)``.

    ``lifetime_of(tenant)`` reads the tenant's ``tokenLifetimeSeconds`` setting."""
    grant = form.get("grant_type")
    if not grant:
        raise OAuthError("invalid_request", "The request body must contain 'grant_type'.")
    if grant != GRANT:
        raise OAuthError("unsupported_grant_type", f"The grant type '{grant}' is not supported.")
    client_id, secret = form.get("client_id"), form.get("client_secret")
    if not client_id or not secret:
        raise OAuthError(
            "invalid_client", "The request body must contain 'client_id' and 'client_secret'."
        )
    tenant = _client_tenant(session, client_id, secret)
    lifetime = lifetime_of(tenant)
    token_id = next_id(session, JToken, tenant.id)
    token = "jat-" + _mac(tenant, f"janison-issued-token\x1f{token_id}")[:40]
    session.add(
        JToken(
            tenant_id=tenant.id,
            id=token_id,
            token=token,
            expires_at=tenant.clock.now() + timedelta(seconds=lifetime),
        )
    )
    return tenant, token, lifetime
