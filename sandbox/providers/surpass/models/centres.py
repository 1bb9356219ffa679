"""Centre, Subject and CentreSubjectAssociation rules that need the database.

Centre: CE-3 (unique reference), CE-4 (county and country resolve), DELETE retires.
Subject: SU-2 (primaryCentre resolves), SU-3 (delete only Archived with no items),
SU-4 (unique reference). Association: CSA-1 (one per centre+subject), CSA-2 (both
resolve). Defaults for members a POST leaves out are the notes' confirmed ones.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from exam_sandbox.core.db import next_id
from exam_sandbox.core.errors import ValidationFailed
from exam_sandbox.core.lookups import by_id, by_reference
from exam_sandbox.core.scope import RequestScope

from ..errors import invalid, not_found, rule
from ..tables import Centre, CentreSubjectAssociation, Country, County, Subject
from .candidates import MAX_ID, auto_reference, find_ref, ref_text

CENTRE_FIELDS = (
    "name", "randomise_test_forms", "hide_subjects_in_groups", "exclude_item_statistics",
    "address_line1", "address_line2", "town", "post_code",
)
CENTRE_DEFAULTS = {
    "randomise_test_forms": True,
    "hide_subjects_in_groups": False,
    "exclude_item_statistics": False,
}
SUBJECT_FIELDS = (
    "name", "status", "delivery_type", "html_only", "subject_master_list", "enable_checkboxes",
)
SUBJECT_DEFAULTS = {
    "status": "Active",
    "delivery_type": "OnScreen",
    "html_only": False,
    "subject_master_list": False,
    "enable_checkboxes": False,
}


def find(session: Session, model, resource: str, *, item_id: int | None = None,
         reference: str | None = None):
    """The row with ``item_id`` (or else ``reference``), or a 404 naming ``resource``."""
    if item_id is not None:
        found = by_id(session, model, item_id) if item_id <= MAX_ID else None
    else:
        found = by_reference(session, model, reference)
    if found is None:
        raise not_found(resource)
    return found


def _new_reference(data: dict) -> str | None:
    return data.get("reference") or None


def _changed_reference(row, data: dict) -> str | None:
    """The new reference a PUT asks for, or None when it keeps the current one."""
    reference = data.get("reference")
    return reference if reference and reference != row.reference else None


# --- Centre ---------------------------------------------------------------------------


def _place(session: Session, data: dict) -> dict:
    """CE-4: the county and country the body names, for the members it gives."""
    found, errors = {}, []
    for key, model, what in (("county", County, "County"), ("country", Country, "Country")):
        if key not in data:
            continue
        ref = data[key]
        row = None if ref is None else find_ref(session, model, ref)
        if ref is not None and row is None:
            errors.append(rule("CE-4", what=what, ref=ref_text(ref)))
        found[key] = row
    if errors:
        raise ValidationFailed(*errors)
    return found


def create_centre(scope: RequestScope, data: dict) -> Centre:
    session = scope.session
    reference = _new_reference(data)
    if reference is not None and by_reference(session, Centre, reference) is not None:
        raise invalid("CE-3")
    place = _place(session, data)
    tid = scope.tenant_id
    new_id = next_id(session, Centre, tid)
    centre = Centre(
        tenant_id=tid,
        id=new_id,
        reference=reference or auto_reference(scope, Centre, "centre", new_id, 26),
        status="Active",
        **{name: data.get(name, CENTRE_DEFAULTS.get(name)) for name in CENTRE_FIELDS},
        **place,
    )
    session.add(centre)
    session.flush()
    return centre


def update_centre(scope: RequestScope, centre: Centre, data: dict) -> Centre:
    """A PUT changes the members it gives; a new reference must be free (CE-3)."""
    session = scope.session
    reference = _changed_reference(centre, data)
    if reference is not None and by_reference(session, Centre, reference) is not None:
        raise invalid("CE-3")
    place = _place(session, data)
    if reference is not None:
        centre.reference = reference
    for name in (*CENTRE_FIELDS, "status"):
        if name in data:
            setattr(centre, name, data[name])
    for key, row in place.items():
        setattr(centre, key, row)
    session.flush()
    return centre


def retire_centre(scope: RequestScope, centre: Centre) -> None:
    """DELETE on a centre keeps the row (sessions and candidates refer to it): Retired."""
    session = scope.session
    centre.status = "Retired"
    session.flush()


# --- Subject --------------------------------------------------------------------------


def _primary_centre(session: Session, data: dict) -> Centre | None:
    """SU-2: the primaryCentre named must exist (a missing one is refused by the schema)."""
    ref = data.get("primary_centre")
    if ref is None:
        return None
    centre = find_ref(session, Centre, ref)
    if centre is None:
        raise invalid("SU-2", problem=f"'{ref_text(ref)}' could not be found")
    return centre


def create_subject(scope: RequestScope, data: dict) -> Subject:
    session = scope.session
    reference = _new_reference(data)
    if reference is not None and by_reference(session, Subject, reference) is not None:
        raise invalid("SU-4")
    centre = _primary_centre(session, data)
    tid = scope.tenant_id
    new_id = next_id(session, Subject, tid)
    subject = Subject(
        tenant_id=tid,
        id=new_id,
        reference=reference or auto_reference(scope, Subject, "subject", new_id, 32),
        primary_centre=centre,
        item_count=0,
        **{name: data.get(name, SUBJECT_DEFAULTS.get(name)) for name in SUBJECT_FIELDS},
    )
    session.add(subject)
    session.flush()
    return subject


def update_subject(scope: RequestScope, subject: Subject, data: dict) -> Subject:
    session = scope.session
    reference = _changed_reference(subject, data)
    if reference is not None and by_reference(session, Subject, reference) is not None:
        raise invalid("SU-4")
    centre = _primary_centre(session, data)
    if reference is not None:
        subject.reference = reference
    if centre is not None:
        subject.primary_centre = centre
    for name in SUBJECT_FIELDS:
        if name in data:
            setattr(subject, name, data[name])
    session.flush()
    return subject


def delete_subject(scope: RequestScope, subject: Subject) -> None:
    """SU-3: only an Archived subject without items can go; its tests, associations and
    candidate links go with it (the tables cascade)."""
    session = scope.session
    if subject.status != "Archived" or subject.item_count:
        raise invalid("SU-3")
    session.execute(delete(Subject).where(Subject.pk == subject.pk))
    session.expunge(subject)


# --- CentreSubjectAssociation ---------------------------------------------------------


def _pair(session: Session, data: dict, current: CentreSubjectAssociation | None):
    """CSA-2: the centre and subject named (or kept from ``current``) must both exist."""
    rows, errors = {}, []
    for key, model, what in (("centre", Centre, "Centre"), ("subject", Subject, "Subject")):
        if key not in data:
            rows[key] = getattr(current, key)
            continue
        rows[key] = find_ref(session, model, data[key])
        if rows[key] is None:
            errors.append(rule("CSA-2", what=what, ref=ref_text(data[key])))
    if errors:
        raise ValidationFailed(*errors)
    return rows["centre"], rows["subject"]


def _check_unique_pair(session: Session, centre: Centre, subject: Subject, own_pk=None) -> None:
    query = select(CentreSubjectAssociation.pk).where(
        CentreSubjectAssociation.centre_pk == centre.pk,
        CentreSubjectAssociation.subject_pk == subject.pk,
    )
    if own_pk is not None:
        query = query.where(CentreSubjectAssociation.pk != own_pk)
    clash = session.execute(query).first()
    if clash is not None:
        raise invalid("CSA-1")


def create_association(scope: RequestScope, data: dict) -> CentreSubjectAssociation:
    session = scope.session
    centre, subject = _pair(session, data, None)
    _check_unique_pair(session, centre, subject)
    tid = scope.tenant_id
    association = CentreSubjectAssociation(
        tenant_id=tid,
        id=next_id(session, CentreSubjectAssociation, tid),
        centre=centre,
        subject=subject,
        primary=data.get("primary", False),
    )
    session.add(association)
    session.flush()
    return association


def update_association(
    scope: RequestScope, association: CentreSubjectAssociation, data: dict
) -> CentreSubjectAssociation:
    session = scope.session
    centre, subject = _pair(session, data, association)
    _check_unique_pair(session, centre, subject, own_pk=association.pk)
    association.centre = centre
    association.subject = subject
    if "primary" in data:
        association.primary = data["primary"]
    session.flush()
    return association


def delete_association(scope: RequestScope, association: CentreSubjectAssociation) -> None:
    session = scope.session
    session.delete(association)
    session.flush()
