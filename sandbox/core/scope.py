"""The request scope: all a vendor's rule functions may know of the request they serve.

Built once at the request boundary (after authentication) from values already in hand,
so it costs no query; the admin controls, seeding, benchmarks and tests build one the
same way (``RequestScope.for_tenant``) and call the very same rule functions, no Flask
needed. Everything it reads is the tenant's only: ORM statements through the session's
tenant criterion (``tenant_criterion``), hot-path SQL through ``sql`` (``core/sql.py``).

How it reaches the database is its ``access``: one session for everything (the admin
controls, seeding, tests), or a request's (``request_scope.RequestDatabase``), which
reads without the writers' lock and takes it only when ``write()`` is called.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .sql import SqlRunner
from .tenant_criterion import bind_session


class DatabaseAccess(Protocol):
    def session(self) -> Session:
        """The ORM session for the scope's cold paths."""

    def connection(self) -> Connection:
        """The connection hot-path SQL runs on now (the write one once writing)."""

    def write(self) -> None:
        """From now on, hold the writers' lock: what is read next is the latest."""


class SessionAccess:
    """Everything in one session, already in the transaction its owner ends."""

    __slots__ = ("_session",)

    def __init__(self, session: Session, tenant_id: str) -> None:
        bind_session(session, tenant_id)
        self._session = session

    def session(self) -> Session:
        return self._session

    def connection(self) -> Connection:
        self._session.flush()  # SQL run beside the ORM must see what it has pending
        return self._session.connection()

    def write(self) -> None:
        """The owner opened the session for writing, or will not write."""


class RequestScope:
    __slots__ = ("tenant_id", "seed", "settings", "now", "user", "access", "sql")

    def __init__(
        self,
        *,
        access: DatabaseAccess,
        tenant_id: str,
        seed: int,
        settings: Mapping[str, Any],
        now: datetime,
        user: Any = None,
    ) -> None:
        self.access = access
        self.tenant_id = tenant_id
        self.seed = seed  # the tenant's seed: keycodes, PINs and references derive from it
        self.settings = settings  # the vendor's settings for this tenant, defaults merged
        self.now = now  # the tenant clock's time when the request arrived
        self.user = user  # the authenticated API user, for vendors that have one
        self.sql = SqlRunner(tenant_id, access.connection)

    @property
    def session(self) -> Session:
        """The ORM session, bound to the tenant (for cold paths)."""
        return self.access.session()

    def write(self) -> None:
        """Take the writers' lock before the re-checks and writes of a change: from here on
        ``sql`` and ``session`` see the latest committed state, and nothing changes under
        them until the request ends."""
        self.access.write()

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
        return cls(
            access=SessionAccess(session, tenant.id),
            tenant_id=tenant.id,
            seed=tenant.seed,
            settings=settings,
            now=tenant.clock.now() if now is None else now,
            user=user,
        )
