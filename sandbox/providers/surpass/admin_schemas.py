"""Schemas of Surpass's extra controls, ``POST /_sandbox/tenants/<id>/surpass/users`` and
``POST /_sandbox/tenants/<id>/surpass/testsession/<id or keycode>/state``."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from .auth import PERMISSIONS
from .models.sitting import TARGETS

_REF_DOC = {
    "oneOf": [
        {"type": "integer", "minimum": 1, "description": "Its id"},
        {"type": "string", "minLength": 1, "description": "Its reference"},
        {
            "type": "object",
            "properties": {"id": {"type": "integer", "minimum": 1}},
            "required": ["id"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"reference": {"type": "string", "minLength": 1}},
            "required": ["reference"],
            "additionalProperties": False,
        },
    ]
}


class RecordRef(fields.Field):
    """A centre or subject named by id (an integer), by reference (a string), or by an
    object ``{"id": ...}`` or ``{"reference": ...}``; loaded as the id or the reference."""

    def __init__(self, **kwargs) -> None:
        super().__init__(metadata={**_REF_DOC, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            if len(value) != 1 or not ({"id", "reference"} & set(value)):
                raise ValidationError("An object names a record by 'id' or 'reference' alone.")
            ((key, value),) = value.items()
            if not isinstance(value, int if key == "id" else str):
                kind = "an integer" if key == "id" else "a string"
                raise ValidationError(f"'{key}' must be {kind}.")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        if isinstance(value, str) and value:
            return value
        raise ValidationError("Give a positive id, a non-empty reference, or an object of one.")


class UserCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    username = fields.String(required=True, validate=validate.Length(1, 100))
    password = fields.String(required=True, validate=validate.Length(1, 200))
    permissions = fields.List(
        fields.String(validate=validate.OneOf(PERMISSIONS)),
        load_default=list,
        metadata={"description": "The user's permissions; none if left out"},
    )
    centres = fields.List(
        RecordRef(),
        load_default=list,
        metadata={"description": "The centres the user is associated with"},
    )
    subjects = fields.List(
        RecordRef(),
        load_default=list,
        metadata={"description": "The subjects the user is associated with"},
    )


class UserSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    permissions = fields.List(fields.String(), required=True)
    centres = fields.List(
        fields.String(), required=True, metadata={"description": "The centres' references"}
    )
    subjects = fields.List(
        fields.String(), required=True, metadata={"description": "The subjects' references"}
    )


class SessionStateSchema(Schema):
    class Meta:
        unknown = RAISE

    state = fields.String(
        required=True,
        validate=validate.OneOf(list(TARGETS)),
        metadata={
            "description": "The SurpassApiExamState to move the session to, later along its "
            "sitting than the state it is in"
        },
    )


class SessionMovedSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The test session's id"})
    keycode = fields.String(required=True)
    state = fields.Integer(required=True, metadata={"description": "SurpassApiExamState"})
    stateName = fields.String(required=True)
    previousState = fields.Integer(required=True)
    previousStateName = fields.String(required=True)
