"""Helpers every Janison model uses: finding rows by path id, resolving ``{id|reference}``
members (JC-2), replacing link rows, and the retire-twice choice (RET-1)."""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from exam_sandbox.core.errors import ValidationFailed
from exam_sandbox.core.lookups import by_id, by_ref, by_reference
from exam_sandbox.core.scope import RequestScope

from ..errors import conflict, invalid, not_found, rule


def find(session: Session, model, resource: str, item_id: int):
    """The row with path id ``item_id``, or NF-1 (404)."""
    found = by_id(session, model, item_id)
    if found is None:
        raise not_found(resource, item_id)
    return found


def ref_text(ref: dict) -> object:
    return ref["id"] if ref.get("id") is not None else ref.get("reference")


def resolve(session: Session, model, ref: dict, what: str, field: str):
    """JC-2: the row ``ref`` names, or a 400 naming it."""
    found = by_ref(session, model, ref)
    if found is None:
        raise invalid("JC-2", what=what, ref=ref_text(ref), field=field)
    return found


def resolve_all(session: Session, model, refs: list[dict], what: str, field: str) -> list:
    """JC-2 for a list: every row, once each in order; every ref naming nothing is
    reported, together."""
    rows, missing = [], []
    for ref in refs:
        row = by_ref(session, model, ref)
        if row is None:
            missing.append(rule("JC-2", what=what, ref=ref_text(ref), field=field))
        elif row not in rows:
            rows.append(row)
    if missing:
        raise ValidationFailed(*missing)
    return rows


def resolve_links(session: Session, data: dict, members: dict) -> dict[str, list]:
    """JC-2 for each list member of ``data`` that ``members`` maps to ``(model, what)``;
    the errors of every member are reported together."""
    found, errors = {}, []
    for key, (model, what) in members.items():
        if data.get(key) is None:
            continue
        try:
            found[key] = resolve_all(session, model, data[key], what, key)
        except ValidationFailed as exc:
            errors += exc.details
    if errors:
        raise ValidationFailed(*errors)
    return found


def replace_links(session: Session, owner, owner_column: str, links: dict, tables: dict) -> None:
    """Replace ``owner``'s link rows for each key of ``links``; ``tables`` maps the key to
    ``(link table, column of the linked row)``. The link tables carry ``tenant_id``, which
    the ORM's many-to-many bookkeeping would not fill in."""
    for key, rows in links.items():
        table, column = tables[key]
        session.execute(delete(table).where(table.c[owner_column] == owner.pk))
        if rows:
            session.execute(
                insert(table),
                [
                    {"tenant_id": owner.tenant_id, owner_column: owner.pk, column: row.pk}
                    for row in rows
                ],
            )
        session.expire(owner, [key])


def unique_reference(session: Session, model, resource: str, reference: str, current=None):
    """DUP-1: no other row of ``model`` in the tenant has ``reference``."""
    clash = by_reference(session, model, reference)
    if clash is not None and clash is not current:
        raise conflict("DUP-1", resource=resource, value=reference, field="reference")


def refuse_retired(item, resource: str) -> None:
    """RET-1: a retired record cannot be changed."""
    if item.retired:
        raise conflict("RET-1", resource=resource, id=item.id)


def retire(scope: RequestScope, item, resource: str) -> None:
    """DELETE retires (JC-3, JCE-1, JTS-4): the record stays, marked retired. Retiring it
    again is RET-1 (409), or a second 200 with ``retireTwice: ok``."""
    if item.retired and scope.settings["retireTwice"] == "conflict":
        raise conflict("RET-1", resource=resource, id=item.id)
    item.retired = True


def apply_fields(item, data: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if name in data:
            setattr(item, name, data[name])
