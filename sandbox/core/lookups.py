"""Finding a tenant's rows by id, reference or keycode, for any vendor.

The session must be bound to the tenant (``tenant_criterion``): its criterion, not a
filter written here, keeps the lookup inside the tenant; an unbound session is refused.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .sql import MAX_ID
from .tenant_criterion import require_bound_tenant

__all__ = ["MAX_ID", "by_id", "by_id_or_keycode", "by_ref", "by_reference"]


def by_id(session: Session, model, item_id: int):
    require_bound_tenant(session)
    if not 0 < item_id <= MAX_ID:  # SQLite cannot even bind a larger integer
        return None
    return session.execute(select(model).where(model.id == item_id)).unique().scalar_one_or_none()


def by_reference(session: Session, model, reference: str):
    require_bound_tenant(session)
    return (
        session.execute(select(model).where(model.reference == reference))
        .unique()
        .scalar_one_or_none()
    )


def by_ref(session: Session, model, ref: dict | None):
    """A row named by ``{"id": ...}`` or ``{"reference": ...}``; the id wins if both."""
    if not ref:
        return None
    if ref.get("id") is not None:
        return by_id(session, model, ref["id"])
    if ref.get("reference"):
        return by_reference(session, model, ref["reference"])
    return None


def by_id_or_keycode(session: Session, model, key: str):
    """An all-digits path segment is an id; anything else is a keycode."""
    if key.isascii() and key.isdigit():  # str.isdigit alone takes '²' too
        return by_id(session, model, int(key))
    require_bound_tenant(session)
    return (
        session.execute(select(model).where(model.keycode == key.upper()))
        .unique()
        .scalar_one_or_none()
    )
