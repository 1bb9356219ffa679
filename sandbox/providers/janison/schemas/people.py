"""User and candidate on the wire: what GET returns and the POST/PUT bodies.

Body rules checked here, before any database work: JU-1a (userName and reference on a
new user) and JC-1 (the candidate members the seed does not mark optional). The rules
that need the database (JU-1b, JC-2, DUP-1, RET-1) live in ``models/people.py``.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields

from .common import (
    Gender,
    ItemTail,
    JsonBoolean,
    WireDate,
    missing,
    ref_list,
    ref_out,
    required_text,
    text,
)


class UserCreateSchema(Schema):
    """POST ``/user``. Unknown members (``href``, ``id``) are ignored."""

    class Meta:
        unknown = EXCLUDE

    user_name = required_text("JU-1a", "userName", "user_name")
    reference = required_text("JU-1a", "reference", "reference")
    first_name = text("firstName", "first_name")
    middle_name = text("middleName", "middle_name")
    last_name = text("lastName", "last_name")
    date_of_birth = WireDate(data_key="dateOfBirth", attribute="date_of_birth", allow_none=True)
    gender = Gender(allow_none=True)
    expiry = WireDate(allow_none=True)
    address_line1 = text("addressLine1", "address_line1")
    address_line2 = text("addressLine2", "address_line2")
    town = text("town", "town")
    county = text("county", "county")
    country = text("country", "country")
    post_code = text("postCode", "post_code", 20)
    email = text("email", "email", 254)
    phone = text("phone", "phone", 40)
    centres = ref_list("JU-1a", "centres", required=False)
    tests = ref_list("JU-1a", "tests", required=False)


class UserUpdateSchema(UserCreateSchema):
    """PUT ``/user/{id}``, loaded with ``partial=True``: a member left out keeps its value;
    one sent replaces it (a list replaces the whole list)."""


class UserSchema(ItemTail):
    resource = "user"
    userName = fields.String(attribute="user_name")
    firstName = fields.String(attribute="first_name", allow_none=True)
    middleName = fields.String(attribute="middle_name", allow_none=True)
    lastName = fields.String(attribute="last_name", allow_none=True)
    dateOfBirth = WireDate(attribute="date_of_birth", allow_none=True)
    gender = fields.String(allow_none=True)
    expiry = WireDate(allow_none=True)
    addressLine1 = fields.String(attribute="address_line1", allow_none=True)
    addressLine2 = fields.String(attribute="address_line2", allow_none=True)
    town = fields.String(allow_none=True)
    county = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    postCode = fields.String(attribute="post_code", allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    centres = fields.List(fields.Nested(ref_out("centre")))
    tests = fields.List(fields.Nested(ref_out("test")))

    class Meta:
        fields = (
            "userName",
            "firstName",
            "middleName",
            "lastName",
            "dateOfBirth",
            "gender",
            "expiry",
            "addressLine1",
            "addressLine2",
            "town",
            "county",
            "country",
            "postCode",
            "email",
            "phone",
            "centres",
            "tests",
            "href",
            "id",
            "reference",
        )


class CandidateCreateSchema(Schema):
    """POST ``/candidate``: JC-1 for every member the seed does not mark optional."""

    class Meta:
        unknown = EXCLUDE

    first_name = required_text("JC-1", "firstName", "first_name")
    middle_name = text("middleName", "middle_name")
    last_name = required_text("JC-1", "lastName", "last_name")
    date_of_birth = WireDate(
        data_key="dateOfBirth",
        attribute="date_of_birth",
        required=True,
        error_messages=missing("JC-1", "dateOfBirth"),
    )
    uln = text("uln", "uln", 20)
    gender = Gender(
        required=True,
        error_messages=missing("JC-1", "gender"),
    )
    expiry = WireDate(allow_none=True)
    address_line1 = text("addressLine1", "address_line1")
    address_line2 = text("addressLine2", "address_line2")
    town = text("town", "town")
    county_id = text("countyID", "county_id")
    country_id = text("countryID", "country_id")
    post_code = text("postCode", "post_code", 20)
    email = text("email", "email", 254)
    phone = text("phone", "phone", 40)
    centres = ref_list("JC-1", "centres")
    tests = ref_list("JC-1", "tests")
    reference = required_text("JC-1", "reference", "reference")


class CandidateUpdateSchema(CandidateCreateSchema):
    """PUT ``/candidate/{id}``, loaded with ``partial=True``; ``retired: true`` retires."""

    retired = JsonBoolean()


class CandidateSchema(ItemTail):
    resource = "candidate"
    firstName = fields.String(attribute="first_name")
    middleName = fields.String(attribute="middle_name", allow_none=True)
    lastName = fields.String(attribute="last_name")
    dateOfBirth = WireDate(attribute="date_of_birth")
    uln = fields.String(allow_none=True)
    gender = fields.String()
    expiry = WireDate(allow_none=True)
    addressLine1 = fields.String(attribute="address_line1", allow_none=True)
    addressLine2 = fields.String(attribute="address_line2", allow_none=True)
    town = fields.String(allow_none=True)
    countyID = fields.String(attribute="county_id", allow_none=True)
    countryID = fields.String(attribute="country_id", allow_none=True)
    postCode = fields.String(attribute="post_code", allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    retired = fields.Boolean()
    centres = fields.List(fields.Nested(ref_out("centre")))
    tests = fields.List(fields.Nested(ref_out("test")))

    class Meta:
        fields = (
            "firstName",
            "middleName",
            "lastName",
            "dateOfBirth",
            "uln",
            "gender",
            "expiry",
            "addressLine1",
            "addressLine2",
            "town",
            "countyID",
            "countryID",
            "postCode",
            "email",
            "phone",
            "retired",
            "centres",
            "tests",
            "href",
            "id",
            "reference",
        )
