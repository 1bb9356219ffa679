"""Candidate on the wire: the detailed resource GET returns and the POST/PUT bodies.

Body rules checked here, before any database work: CA-1 (firstName, lastName and
dateOfBirth present), CA-3 (gender) and CA-4 (lengths). The rules that need the
database (CA-2, CA-5, CA-6) live in ``models/candidates.py``.
"""

from __future__ import annotations

import re
from datetime import date

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from exam_sandbox.core.fields import StrictBoolean

from ..errors import rule
from .common import NOT_BLANK, RefIn, RefOut, calendar_date, ref_out

GENDERS = ("Unspecified", "Male", "Female")
# The date, then optionally a .NET-style time of day and zone, which are dropped.
_TIME_OF_DAY = (
    r"(?:[Tt][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?)?"
)
_WIRE_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})" + _TIME_OF_DAY)


class WireDate(fields.String):
    """A date as Surpass writes it, ``YYYY-MM-DDT00:00:00``; reads that or ``YYYY-MM-DD``
    (a time of day or zone after the date is accepted and dropped)."""

    default_error_messages = {"invalid": "Not a valid date: use YYYY-MM-DD or YYYY-MM-DDT00:00:00."}

    def __init__(self, **kwargs):
        pattern = f"^{calendar_date('YYYY-MM-DD')}{_TIME_OF_DAY}$"
        doc = {"example": "1990-01-31T00:00:00", "pattern": pattern}
        super().__init__(**{**kwargs, "metadata": {**doc, **kwargs.get("metadata", {})}})

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value.isoformat()}T00:00:00"

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        match = _WIRE_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None:
            raise self.make_error("invalid")
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            raise self.make_error("invalid") from None


class Gender(fields.String):
    """CA-3: ``Unspecified``, ``Male`` or ``Female``, matched without regard to case as
    .NET's enum converter does; the stored value is the canonical spelling."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"enum": list(GENDERS)}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return value

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, str):
            for name in GENDERS:
                if value.strip().casefold() == name.casefold():
                    return name
        raise ValidationError([rule("CA-3")])


class max_length:  # noqa: N801 - used as a function, like marshmallow's validators
    """A validator raising ``rule_id`` (a "{field} must not be longer than {max}" rule).
    Validators raise a list: marshmallow extends lists when a field has several. The
    ``min``/``max``/``equal`` attributes are what apispec reads to document ``maxLength``."""

    min = equal = None

    def __init__(self, rule_id: str, field: str, limit: int):
        self.rule_id, self.field, self.max = rule_id, field, limit

    def __call__(self, value: str) -> None:
        if len(value) > self.max:
            raise ValidationError([rule(self.rule_id, field=self.field, max=self.max)])


class not_blank:  # noqa: N801
    """A validator refusing an empty or all-blank string with ``detail``, as .NET's
    ``[Required]`` does; documented as the ``pattern`` it enforces (apispec reads
    ``regex``)."""

    regex = re.compile(NOT_BLANK)

    def __init__(self, detail):
        self.detail = detail

    def __call__(self, value: str) -> None:
        if not value.strip():
            raise ValidationError([self.detail])


def _required_text(name: str, attribute: str, limit: int) -> fields.String:
    missing = rule("CA-1", field=name)
    return fields.String(
        data_key=name,
        attribute=attribute,
        required=True,
        validate=[not_blank(missing), max_length("CA-4", name, limit)],
        error_messages={"required": missing, "null": missing},
    )


def _text(name: str, attribute: str, limit: int | None = None) -> fields.String:
    checks = [max_length("CA-4", name, limit)] if limit else []
    return fields.String(data_key=name, attribute=attribute, allow_none=True, validate=checks)


class CandidateCreateSchema(Schema):
    """POST ``/Candidate`` (``CandidateCreateResource``). Unknown members are ignored, as
    .NET's model binder ignores them."""

    class Meta:
        unknown = EXCLUDE

    reference = fields.String(allow_none=True, validate=max_length("CA-4", "reference", 50))
    first_name = _required_text("firstName", "first_name", 50)
    middle_name = _text("middleName", "middle_name", 50)
    last_name = _required_text("lastName", "last_name", 50)
    date_of_birth = WireDate(
        data_key="dateOfBirth",
        required=True,
        error_messages={
            "required": rule("CA-1", field="dateOfBirth"),
            "null": rule("CA-1", field="dateOfBirth"),
        },
    )
    gender = Gender(allow_none=True)
    email = _text("email", "email", 254)
    tel = _text("tel", "tel", 40)
    uln = _text("uln", "uln", 20)
    reasonable_adjustments = StrictBoolean(data_key="reasonableAdjustments")
    is_external = StrictBoolean(data_key="isExternal")
    expiry_date = WireDate(data_key="expiryDate", allow_none=True)
    centres = fields.List(fields.Nested(RefIn), allow_none=True)
    subjects = fields.List(fields.Nested(RefIn), allow_none=True)
    extended_demographics = _text("extendedDemographics", "extended_demographics")


class CandidateUpdateSchema(CandidateCreateSchema):
    """PUT ``/Candidate/{id}`` or ``?reference=``: the create body plus ``retired``. It is
    loaded with ``partial=True``: a member left out keeps its value. ``reference`` is
    accepted only to refuse a change (CA-6)."""

    retired = StrictBoolean()


class ReferenceQuery(Schema):
    """``?reference=`` on a PUT or DELETE of the collection path."""

    class Meta:
        unknown = EXCLUDE

    reference = fields.String(
        required=True, metadata={"description": "The reference of the item to change."}
    )


class CandidateSchema(RefOut):
    """``CandidateDetailedResource``: what GET returns, field for field."""

    resource = "Candidate"
    firstName = fields.String(attribute="first_name")
    middleName = fields.String(attribute="middle_name", allow_none=True)
    lastName = fields.String(attribute="last_name")
    dateOfBirth = WireDate(attribute="date_of_birth")
    gender = fields.String()
    email = fields.String(allow_none=True)
    tel = fields.String(allow_none=True)
    uln = fields.String(allow_none=True)
    reasonableAdjustments = StrictBoolean(attribute="reasonable_adjustments")
    retired = StrictBoolean()
    expiryDate = WireDate(attribute="expiry_date", allow_none=True)
    isExternal = StrictBoolean(attribute="is_external")
    centres = fields.List(fields.Nested(ref_out("Centre")))
    # Subject references carry the name too (surpass-wire.md).
    subjects = fields.List(fields.Nested(ref_out("Subject", with_name=True)))
    extendedDemographics = fields.String(attribute="extended_demographics", allow_none=True)
