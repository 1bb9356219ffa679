"""Centre on the wire. JCE-1: every member the seed does not mark optional is required
on POST (``name, addressLine1, town, county, country, tests, centreAdminUser``)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from .common import ItemTail, JsonBoolean, ref_in, ref_list, ref_out, required_text, text


class CentreCreateSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = required_text("JCE-1", "name", "name", 200)
    address_line1 = required_text("JCE-1", "addressLine1", "address_line1")
    address_line2 = text("addressLine2", "address_line2")
    town = required_text("JCE-1", "town", "town")
    county = required_text("JCE-1", "county", "county")
    country = required_text("JCE-1", "country", "country")
    post_code = text("postCode", "post_code", 20)
    tests = ref_list("JCE-1", "tests")
    centre_admin_user = ref_in("JCE-1", "centreAdminUser", attribute="centre_admin_user")
    reference = fields.String(allow_none=True, validate=validate.Length(max=100))


class CentreUpdateSchema(CentreCreateSchema):
    """PUT ``/centre/{id}``, loaded with ``partial=True``; ``retired: true`` retires."""

    retired = JsonBoolean()


class CentreSchema(ItemTail):
    resource = "centre"
    name = fields.String()
    addressLine1 = fields.String(attribute="address_line1")
    addressLine2 = fields.String(attribute="address_line2", allow_none=True)
    town = fields.String()
    county = fields.String()
    country = fields.String()
    postCode = fields.String(attribute="post_code", allow_none=True)
    tests = fields.List(fields.Nested(ref_out("test")))
    centreAdminUser = fields.Nested(ref_out("user"), attribute="admin_user")
    retired = fields.Boolean()

    class Meta:
        fields = (
            "name",
            "addressLine1",
            "addressLine2",
            "town",
            "county",
            "country",
            "postCode",
            "tests",
            "centreAdminUser",
            "retired",
            "href",
            "id",
            "reference",
        )
