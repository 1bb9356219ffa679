"""Centre, Subject and CentreSubjectAssociation on the wire.

Body rules checked here: CE-1/CE-2 (centre name and lengths), SU-1 (subject name) and
SU-2 when ``primaryCentre`` is missing. The database rules (CE-3, CE-4, SU-2 not found,
SU-3, SU-4, CSA-1, CSA-2) live in ``models/centres.py``.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from exam_sandbox.core.fields import StrictBoolean

from ..errors import rule
from .candidates import max_length, not_blank
from .common import RefIn, RefOut, ref_out

CENTRE_STATUSES = ("Active", "Retired")
SUBJECT_STATUSES = ("Active", "Archived", "ActiveRegistrationClosed")
DELIVERY_TYPES = ("OnScreen", "OnPaper")


class IdIn(Schema):
    """A lookup named by id only: ``county`` and ``country`` have no reference."""

    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True, validate=validate.Range(min=1))


def _centre_text(name: str, attribute: str, limit: int) -> fields.String:
    return fields.String(
        data_key=name,
        attribute=attribute,
        allow_none=True,
        validate=max_length("CE-2", name, limit),
    )


class CentreCreateSchema(Schema):
    """POST ``/Centre``. Defaults for members left out are applied by the model."""

    class Meta:
        unknown = EXCLUDE

    reference = fields.String(allow_none=True, validate=max_length("CE-2", "reference", 30))
    name = fields.String(
        required=True,
        validate=[not_blank(rule("CE-1")), max_length("CE-2", "name", 80)],
        error_messages={"required": rule("CE-1"), "null": rule("CE-1")},
    )
    randomise_test_forms = StrictBoolean(data_key="randomiseTestForms")
    hide_subjects_in_groups = StrictBoolean(data_key="hideSubjectsIncludedInSubjectGroups")
    exclude_item_statistics = StrictBoolean(data_key="excludeItemStatistics")
    address_line1 = _centre_text("addressLine1", "address_line1", 100)
    address_line2 = _centre_text("addressLine2", "address_line2", 100)
    town = _centre_text("town", "town", 100)
    post_code = _centre_text("postCode", "post_code", 20)
    county = fields.Nested(IdIn, allow_none=True)
    country = fields.Nested(IdIn, allow_none=True)


class CentreUpdateSchema(CentreCreateSchema):
    """PUT ``/Centre/{id}`` or ``?reference=``, loaded with ``partial=True``. ``status``
    lets a retired centre be made Active again."""

    status = fields.String(validate=validate.OneOf(CENTRE_STATUSES))


class CentreSchema(RefOut):
    resource = "Centre"
    name = fields.String()
    status = fields.String(metadata={"enum": list(CENTRE_STATUSES)})
    randomiseTestForms = StrictBoolean(attribute="randomise_test_forms")
    hideSubjectsIncludedInSubjectGroups = StrictBoolean(attribute="hide_subjects_in_groups")
    excludeItemStatistics = StrictBoolean(attribute="exclude_item_statistics")
    addressLine1 = fields.String(attribute="address_line1", allow_none=True)
    addressLine2 = fields.String(attribute="address_line2", allow_none=True)
    town = fields.String(allow_none=True)
    postCode = fields.String(attribute="post_code", allow_none=True)
    county = fields.Nested(ref_out("County", with_name=True), allow_none=True)
    country = fields.Nested(ref_out("Country", with_name=True), allow_none=True)


class PrimaryCentreIn(RefIn):
    """A subject's ``primaryCentre``: with neither id nor reference it is missing (SU-2)."""

    @validates_schema
    def _id_or_reference(self, data, **_):
        if data.get("id") is None and not data.get("reference"):
            raise ValidationError([rule("SU-2", problem="is required")])


class SubjectCreateSchema(Schema):
    """POST ``/Subject``."""

    class Meta:
        unknown = EXCLUDE

    reference = fields.String(allow_none=True, validate=validate.Length(max=50))
    name = fields.String(
        required=True,
        validate=[not_blank(rule("SU-1")), validate.Length(max=100)],
        error_messages={"required": rule("SU-1"), "null": rule("SU-1")},
    )
    primary_centre = fields.Nested(
        PrimaryCentreIn,
        data_key="primaryCentre",
        required=True,
        error_messages={
            "required": rule("SU-2", problem="is required"),
            "null": rule("SU-2", problem="is required"),
        },
    )
    status = fields.String(validate=validate.OneOf(SUBJECT_STATUSES))
    delivery_type = fields.String(data_key="deliveryType", validate=validate.OneOf(DELIVERY_TYPES))
    html_only = StrictBoolean(data_key="htmlOnly")
    subject_master_list = StrictBoolean(data_key="subjectMasterList")
    enable_checkboxes = StrictBoolean(data_key="enableCheckboxesInItemAuthoring")


class SubjectUpdateSchema(SubjectCreateSchema):
    """PUT ``/Subject/{id}`` or ``?reference=``, loaded with ``partial=True``."""


class SubjectSchema(RefOut):
    resource = "Subject"
    name = fields.String()
    status = fields.String(metadata={"enum": list(SUBJECT_STATUSES)})
    primaryCentre = fields.Nested(ref_out("Centre"), attribute="primary_centre", allow_none=True)
    deliveryType = fields.String(attribute="delivery_type", metadata={"enum": list(DELIVERY_TYPES)})
    htmlOnly = StrictBoolean(attribute="html_only")
    subjectMasterList = StrictBoolean(attribute="subject_master_list")
    enableCheckboxesInItemAuthoring = StrictBoolean(attribute="enable_checkboxes")


class CentreSubjectAssociationCreateSchema(Schema):
    """POST ``/CentreSubjectAssociation``."""

    class Meta:
        unknown = EXCLUDE

    centre = fields.Nested(RefIn, required=True)
    subject = fields.Nested(RefIn, required=True)
    primary = StrictBoolean()


class CentreSubjectAssociationUpdateSchema(CentreSubjectAssociationCreateSchema):
    """PUT ``/CentreSubjectAssociation/{id}``, loaded with ``partial=True``."""


class CentreSubjectAssociationSchema(RefOut):
    """An association has no reference of its own."""

    resource = "CentreSubjectAssociation"
    centre = fields.Nested(ref_out("Centre"))
    subject = fields.Nested(ref_out("Subject", with_name=True))
    primary = StrictBoolean()

    class Meta:
        fields = ("id", "href", "centre", "subject", "primary")
