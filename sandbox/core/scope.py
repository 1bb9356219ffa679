"""The request scope: all a vendor's rule functions may know of the request they serve.

Built once at the request boundary (after authentication) from values already in hand,
so it costs no query; the admin controls, seeding, benchmarks and tests build one the
same way (``RequestScope.for_tenant``) and call the very same rule functions, no Flask
needed. Building it binds the session to the tenant (``tenant_criterion``), so every
statement the rules run reads only that tenant's rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from .tenant_criterion import bind_session


@dataclass(frozen=True, slots=True)
class RequestScope:
    session: Session
    tenant_id: str
    seed: int  # the tenant's seed: keycodes, PINs and references derive from it
    settings: Mapping[str, Any]  # the vendor's settings for this tenant, defaults merged
    now: datetime  # the tenant clock's time when the request arrived
    user: Any = None  # the authenticated API user, for vendors that have one

    @classmethod
    def for_tenant(
        cls,
        session: Session,
        tenant,
        settings: Mapping[str, Any],
        *,
        user: Any = None,
        now: datetime | None = None,
    ) -> RequestScope:
        """The scope of ``tenant`` (a ``Tenant`` row) in ``session``, bound to it."""
        bind_session(session, tenant.id)
        return cls(
            session=session,
            tenant_id=tenant.id,
            seed=tenant.seed,
            settings=settings,
            now=tenant.clock.now() if now is None else now,
            user=user,
        )
