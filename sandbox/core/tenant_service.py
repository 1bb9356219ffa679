"""Creating, resetting and deleting tenants across every vendor.

Tenant creation is on the path of every test that takes a fresh tenant, so it does one
write transaction, and each vendor's seeding is a handful of bulk inserts.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from .errors import Conflict, ErrorDetail, NotFound
from .provider import Provider
from .tenants import (
    DEFAULT_SEED,
    DEMO_SECRET,
    DEMO_TENANT_ID,
    Tenant,
    delete_tenant_rows,
    get_tenant,
    new_secret,
    new_tenant_id,
)


class TenantService:
    def __init__(self, providers: Sequence[Provider]) -> None:
        self.providers = list(providers)

    def create(
        self,
        session: Session,
        *,
        seed: int | None = None,
        tenant_id: str | None = None,
        secret: str | None = None,
    ) -> Tenant:
        tenant_id = tenant_id or new_tenant_id()
        if get_tenant(session, tenant_id) is not None:
            raise Conflict(ErrorDetail(409, f"Tenant '{tenant_id}' already exists"))
        tenant = Tenant(
            id=tenant_id,
            seed=DEFAULT_SEED if seed is None else seed,
            secret=secret or new_secret(),
            clock_offset_seconds=0.0,
            settings={},
        )
        session.add(tenant)
        session.flush()
        for provider in self.providers:
            provider.seed_tenant(session, tenant)
        return tenant

    def ensure_demo(self, session: Session, seed: int = DEFAULT_SEED) -> Tenant:
        existing = get_tenant(session, DEMO_TENANT_ID)
        if existing is not None:
            return existing
        return self.create(session, seed=seed, tenant_id=DEMO_TENANT_ID, secret=DEMO_SECRET)

    def require(self, session: Session, tenant_id: str) -> Tenant:
        tenant = get_tenant(session, tenant_id)
        if tenant is None:
            raise NotFound(ErrorDetail(404, f"No tenant '{tenant_id}'"))
        return tenant

    def reset(self, session: Session, tenant_id: str) -> Tenant:
        """Back to the seeded state: data and settings; the clock and journal stay."""
        tenant = self.require(session, tenant_id)
        delete_tenant_rows(session, tenant_id, keep_controls=True)
        tenant.settings = {}
        # Its users are new rows: every worker's cached credentials of it must go.
        tenant.generation = (tenant.generation or 0) + 1
        session.flush()
        for provider in self.providers:
            provider.seed_tenant(session, tenant)
        return tenant

    def delete(self, session: Session, tenant_id: str) -> None:
        tenant = self.require(session, tenant_id)
        delete_tenant_rows(session, tenant_id)
        session.delete(tenant)

    def credentials(self, tenant: Tenant) -> dict:
        return {p.name: p.credentials(tenant) for p in self.providers}
