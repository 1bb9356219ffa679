"""Country, County and Test: read-only resources (Test data comes from the fixtures)."""

from __future__ import annotations

from marshmallow import fields

from .common import RefOut, ref_out


class CountrySchema(RefOut):
    resource = "Country"
    name = fields.String()
    code = fields.String()

    class Meta:
        fields = ("id", "href", "name", "code")


class CountySchema(RefOut):
    resource = "County"
    name = fields.String()
    country = fields.Nested(ref_out("Country", with_name=True))

    class Meta:
        fields = ("id", "href", "name", "country")


class TestFormSchema(RefOut):
    resource = "TestForm"
    name = fields.String()


class TestSchema(RefOut):
    resource = "Test"
    name = fields.String()
    status = fields.String()
    requiresInvigilation = fields.Boolean(attribute="requires_invigilation")
    enableUserAssociations = fields.Boolean(attribute="enable_user_associations")
    durationMinutes = fields.Integer(attribute="duration_minutes")
    subject = fields.Nested(ref_out("Subject", with_name=True))
    testForms = fields.List(fields.Nested(TestFormSchema), attribute="forms")
