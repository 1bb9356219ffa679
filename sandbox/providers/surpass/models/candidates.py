"""Candidate rules that need the database: CA-2 (unique reference), CA-5 (centres and
subjects resolve) and CA-6 (a reference never changes); plus the shared helpers every
Surpass resource with references uses: resolving ``{id|reference}`` lists and
generating ``Auto...`` references deterministically from the tenant's seed.
"""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from exam_sandbox.core.db import next_id
from exam_sandbox.core.errors import ValidationFailed
from exam_sandbox.core.keys import derived_reference
from exam_sandbox.core.lookups import by_id, by_ref, by_reference
from exam_sandbox.core.scope import RequestScope

from ..errors import invalid, not_found, rule
from ..tables import Candidate, Centre, Subject, candidate_centre, candidate_subject

# Ids are 32-bit on the real server; a larger one names nothing (and would overflow SQLite).
MAX_ID = 2**31 - 1
# Members a PUT or POST copies straight onto the row (schema attribute = column name).
PLAIN_FIELDS = (
    "first_name", "middle_name", "last_name", "date_of_birth", "email", "tel", "uln",
    "reasonable_adjustments", "is_external", "expiry_date", "extended_demographics",
)
DEFAULTS = {"gender": "Unspecified", "reasonable_adjustments": False, "is_external": False}


def auto_reference(scope: RequestScope, model, kind: str, new_id: int, hex_digits: int) -> str:
    """``Auto`` + hex, as the Surpass UI generates: derived from the tenant's seed and the
    new id, so the same seed and the same calls give the same references."""
    return derived_reference(scope, model, kind, new_id, prefix="Auto", hex_digits=hex_digits)


def find_ref(session: Session, model, ref: dict | None):
    """The row named by ``{id|reference}``, or None; an out-of-range id names nothing."""
    if ref and ref.get("id") is not None and not 1 <= ref["id"] <= MAX_ID:
        return None
    return by_ref(session, model, ref)


def ref_text(ref: dict) -> object:
    return ref["id"] if ref.get("id") is not None else ref.get("reference")


def resolve_all(session: Session, model, refs: list[dict], what: str, rule_id: str) -> list:
    """Every row ``refs`` names, once each in order; one ``rule_id`` error per ref that
    names nothing, all reported together."""
    rows, missing = [], []
    for ref in refs:
        row = find_ref(session, model, ref)
        if row is None:
            missing.append(rule(rule_id, what=what, ref=ref_text(ref)))
        elif row not in rows:
            rows.append(row)
    if missing:
        raise ValidationFailed(*missing)
    return rows


def find_candidate(session: Session, *, candidate_id: int | None = None,
                   reference: str | None = None) -> Candidate:
    if candidate_id is not None:
        found = by_id(session, Candidate, candidate_id) if candidate_id <= MAX_ID else None
    else:
        found = by_reference(session, Candidate, reference)
    if found is None:
        raise not_found("Candidate")
    return found


def _links(session: Session, data: dict) -> dict[str, list]:
    """CA-5: the centres and subjects the body names, for the members it gives."""
    found, errors = {}, []
    for key, model, what in (("centres", Centre, "Centre"), ("subjects", Subject, "Subject")):
        if data.get(key) is None:
            continue
        try:
            found[key] = resolve_all(session, model, data[key], what, "CA-5")
        except ValidationFailed as exc:
            errors += exc.details
    if errors:
        raise ValidationFailed(*errors)
    return found


def _replace_links(session: Session, candidate: Candidate, links: dict[str, list]) -> None:
    # The link tables carry tenant_id, which the ORM relationship would not fill in.
    for key, table, column in (
        ("centres", candidate_centre, "centre_pk"),
        ("subjects", candidate_subject, "subject_pk"),
    ):
        if key not in links:
            continue
        session.execute(delete(table).where(table.c.candidate_pk == candidate.pk))
        if links[key]:
            session.execute(insert(table), [
                {"tenant_id": candidate.tenant_id, "candidate_pk": candidate.pk, column: row.pk}
                for row in links[key]
            ])
        session.expire(candidate, [key])


def create_candidate(scope: RequestScope, data: dict) -> Candidate:
    session = scope.session
    reference = data.get("reference") or None
    if reference is not None and by_reference(session, Candidate, reference) is not None:
        raise invalid("CA-2")
    links = _links(session, data)
    tid = scope.tenant_id
    new_id = next_id(session, Candidate, tid)
    candidate = Candidate(
        tenant_id=tid,
        id=new_id,
        reference=reference or auto_reference(scope, Candidate, "candidate", new_id, 32),
        gender=data.get("gender") or DEFAULTS["gender"],
        retired=False,
        **{name: data.get(name, DEFAULTS.get(name)) for name in PLAIN_FIELDS},
    )
    session.add(candidate)
    session.flush()
    _replace_links(session, candidate, {"centres": [], "subjects": [], **links})
    return candidate


def update_candidate(scope: RequestScope, candidate: Candidate, data: dict) -> Candidate:
    """A PUT changes the members it gives and keeps the rest."""
    session = scope.session
    reference = data.get("reference")
    if reference and reference != candidate.reference:
        raise invalid("CA-6")
    links = _links(session, data)
    for name in (*PLAIN_FIELDS, "retired"):
        if name in data:
            setattr(candidate, name, data[name])
    if "gender" in data:
        candidate.gender = data["gender"] or DEFAULTS["gender"]
    session.flush()
    _replace_links(session, candidate, links)
    return candidate
