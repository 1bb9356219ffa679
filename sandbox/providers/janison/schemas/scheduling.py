"""Test schedule and test schedule component on the wire.

JTS-1: ``testPackage`` (or ``testPackageId``), ``centre``, ``candidates`` (non-empty, or a
single ``candidate``) and ``testPackageDate`` are required. JTS-2: ``testPackageDate`` is
``YYYY-MM-DD``. JTSC-1a: a resit names ``testScehdule`` (the seed's spelling;
``testSchedule`` is taken too) and a non-empty ``components``.
"""

from __future__ import annotations

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from ..errors import rule
from .common import (
    MAX_ID,
    JsonBoolean,
    RefIn,
    WireDate,
    WriteEnvelope,
    ref_in,
    ref_list,
    ref_out,
    text,
)


def _absent(original: dict, *names: str) -> bool:
    """None of ``names`` was sent with a value (an empty list counts as absent)."""
    return all(original.get(name) is None or original.get(name) in ([], "") for name in names)


class TestScheduleIn(Schema):
    """POST ``/testschedule``."""

    class Meta:
        unknown = EXCLUDE

    testPackageId = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, MAX_ID))
    testPackage = ref_in("JTS-1", "testPackage", required=False)
    centre = ref_in("JTS-1", "centre", required=False)
    candidate = ref_in("JTS-1", "candidate", required=False)
    candidates = ref_list("JTS-1", "candidates", required=False)
    testPackageDate = WireDate(
        allow_none=True, error_messages={"invalid": rule("JTS-2", field="testPackageDate")}
    )
    extendValidityPeriod = JsonBoolean(allow_none=True)
    roomReference = text("roomReference", "roomReference")
    reference = fields.String(allow_none=True, validate=validate.Length(max=100))

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _required_pairs(self, data, original, **_):
        if not isinstance(original, dict):
            return
        # In the order of the seed's fields, each reported once.
        required = (
            ("testPackage", ("testPackage", "testPackageId")),
            ("centre", ("centre",)),
            ("candidates", ("candidates", "candidate")),
            ("testPackageDate", ("testPackageDate",)),
        )
        errors = [rule("JTS-1", field=name) for name, sent in required if _absent(original, *sent)]
        if errors:
            raise ValidationError(errors)


class ComponentAllocation(Schema):
    component = fields.Nested(ref_out("component"))
    version = fields.Integer()
    keycode = fields.String()


class Enrolment(Schema):
    candidate = fields.Nested(ref_out("candidate"))
    testSessionId = fields.Integer()
    components = fields.List(fields.Nested(ComponentAllocation))


class TestScheduleResult(WriteEnvelope):
    """The write envelope of the schedule, plus its enrolments (JTS-3)."""

    enrolments = fields.List(fields.Nested(Enrolment), required=True)


class TestScheduleComponentIn(Schema):
    """POST ``/testschedulecomponent``: a resit of some components."""

    class Meta:
        unknown = EXCLUDE

    testScehdule = fields.Nested(RefIn, allow_none=True)
    testSchedule = fields.Nested(RefIn, allow_none=True, load_only=True)
    components = ref_list("JTSC-1a", "components", required=False)
    candidate = ref_in("JTSC-1a", "candidate", required=False)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _required(self, data, original, **_):
        if not isinstance(original, dict):
            return
        errors = []
        if _absent(original, "testScehdule", "testSchedule"):
            errors.append(rule("JTSC-1a", field="testScehdule"))
        if _absent(original, "components"):
            errors.append(rule("JTSC-1a", field="components"))
        if errors:
            raise ValidationError(errors)

    @post_load
    def _alias(self, data, **_):
        alias = data.pop("testSchedule", None)
        if data.get("testScehdule") is None:
            data["testScehdule"] = alias
        return data
