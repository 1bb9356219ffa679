"""Tenant isolation by construction: the one place the tenant's criterion is added.

A session bound to a tenant (``bind_session``) gets ``tenant_id = <its tenant>`` added to
every ORM SELECT, UPDATE and DELETE that touches a ``TenantScoped`` table, aliases,
joins and subqueries included, by SQLAlchemy's ``with_loader_criteria`` in a
``do_orm_execute`` hook. So a statement written without any tenant filter still reads
only the bound tenant's rows, and the relationship loads of those rows inherit it.

What it does not cover, and why that is safe or handled elsewhere:
- an unbound session (authentication, which finds the tenant from a credential; the
  ``/_sandbox`` controls over all tenants; seeding): those filter by hand.
- Core statements on plain ``Table`` objects (the many-to-many link tables): they are
  only written or deleted by the pk of a row already read through the criterion.
- INSERTs: the row's ``tenant_id`` is set from the request scope.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from .db import TenantScoped

TENANT_KEY = "exam_sandbox.tenant_id"


def bind_session(session: Session, tenant_id: str) -> None:
    """From now on ``session`` reads and changes only ``tenant_id``'s rows."""
    session.info[TENANT_KEY] = tenant_id


def bound_tenant(session: Session) -> str | None:
    return session.info.get(TENANT_KEY)


def require_bound_tenant(session: Session) -> str:
    """The tenant ``session`` is bound to; a tenant-scoped lookup in an unbound session
    would search every tenant, so it is refused rather than run."""
    tenant_id = session.info.get(TENANT_KEY)
    if tenant_id is None:
        raise RuntimeError("a tenant-scoped lookup needs a session bound to a tenant")
    return tenant_id


@event.listens_for(Session, "do_orm_execute")
def _only_the_bound_tenants_rows(state: ORMExecuteState) -> None:
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None:
        return
    # Lazy and eager loads of rows read here already carry the criterion (the option
    # propagates to loaders), so adding it again would only cost time.
    if state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    # The lambda is cached by SQLAlchemy (its code, with tenant_id as a bound parameter),
    # so the statement's compiled form is reused across tenants and requests.
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
        )
    )
