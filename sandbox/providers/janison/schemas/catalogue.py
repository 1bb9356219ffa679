"""Test, test package and component: read-only, served from the seed data."""

from __future__ import annotations

from marshmallow import fields

from .common import ItemTail, ref_out


class ComponentSchema(ItemTail):
    resource = "component"
    name = fields.String()
    type = fields.String(metadata={"enum": ["Listening", "Reading", "Writing", "Speaking"]})

    class Meta:
        fields = ("name", "type", "href", "id", "reference")


class TestPackageSchema(ItemTail):
    resource = "testpackage"
    name = fields.String()
    components = fields.List(fields.Nested(ref_out("component")))

    class Meta:
        fields = ("name", "components", "href", "id", "reference")


class TestSchema(ItemTail):
    resource = "test"
    name = fields.String()
    testpackages = fields.List(fields.Nested(ref_out("testpackage")), attribute="packages")

    class Meta:
        fields = ("name", "testpackages", "href", "id", "reference")
