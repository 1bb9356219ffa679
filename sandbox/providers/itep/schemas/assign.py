"""The two provisioning calls' body and answer, and iTEP's error body."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from exam_sandbox.core.documented import Documented

from ..errors import CODES
from ..wire import STATUSES, TEXT_LIMIT


class AssignIn(Documented):
    """Rules I3-I8 are checked by the model in order (models/assign.py)."""

    NOT_NULLABLE = ("assigned_to",)

    assigned_to = fields.Raw(
        required=True,
        metadata={
            "description": "The Assigned-to field: a JSON object, not empty (at least the "
            "candidate's name, email and your reference are recommended), or the JSON text "
            "of one",
            "anyOf": [{"type": "object", "minProperties": 1}, {"type": "string", "minLength": 2}],
        },
    )
    oid = fields.String(
        validate=validate.Length(1, TEXT_LIMIT),
        metadata={"description": "Your system's id for this test: the webhook's OID"},
    )
    tracking_code = fields.String(
        validate=validate.Length(1, TEXT_LIMIT),
        metadata={"description": "A tracking code of the site: the test fires the results webhook"},
    )


class AssignAndEmailIn(AssignIn):
    """The same body; the candidate's e-mail address is what the call mails to (I8)."""

    assigned_to = fields.Raw(
        required=True,
        metadata={
            "description": "As for assign, with the candidate's e-mail address in `email`",
            "anyOf": [
                {
                    "type": "object",
                    "required": ["email"],
                    "properties": {"email": {"type": "string", "format": "email"}},
                },
                {"type": "string", "minLength": 2},
            ],
        },
    )


class Assignment(Schema):
    class Meta:
        ordered = True

    test_id = fields.String(required=True, validate=validate.Regexp(r"^[A-Z0-9]{8}[A-Z]{2}$"))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    product_code = fields.String(required=True)
    assigned_to = fields.Dict(required=True)
    oid = fields.String(required=True, allow_none=True)
    tracking_code = fields.String(required=True, allow_none=True)
    source = fields.String(required=True, validate=validate.OneOf(["inventory", "sale"]))


class EmailedAssignment(Assignment):
    emailed_to = fields.String(required=True)


class ItepError(Schema):
    class Meta:
        ordered = True

    error = fields.String(required=True, validate=validate.OneOf(sorted(set(CODES.values()))))
    message = fields.String(required=True)
