"""The ``/_sandbox`` error shape, one for every control and every refusal:
``{"error": {"status": 400, "message": "...", "details": {...}}}``.

``details`` appears only for input a schema refused: marshmallow's messages, keyed by
field (``{"seed": ["Not a valid integer."]}``), so a caller can point at the field. The
request guard (core/guard.py) answers its refusals in the same shape, without details.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from ..core.errors import SandboxError

BODY = "request body"
QUERY = "query string"


class InvalidInput(Exception):
    """A body or query string its schema refused; ``messages`` are marshmallow's."""

    def __init__(self, where: str, messages) -> None:
        super().__init__(f"Invalid {where}")
        self.messages = messages


class ErrorSchema(Schema):
    status = fields.Integer(required=True, metadata={"description": "The HTTP status"})
    message = fields.String(required=True, metadata={"description": "What went wrong, as prose"})
    details = fields.Dict(
        keys=fields.String(),
        metadata={
            "description": "Only for input a schema refused: the messages for each field "
            "(a list of strings, or an object of the same kind for a nested field); "
            "'_schema' holds those about the input as a whole"
        },
    )


class ErrorEnvelopeSchema(Schema):
    error = fields.Nested(ErrorSchema, required=True)


def error_response(status: int, message: str, details=None) -> tuple[Response, int]:
    body: dict = {"status": status, "message": message}
    if details:
        body["details"] = details
    return jsonify(error=body), status


def install_error_handlers(bp: Blueprint) -> None:
    """Answer every error of ``bp``'s controls in the ``/_sandbox`` shape."""

    @bp.errorhandler(SandboxError)
    def _sandbox_error(exc: SandboxError):
        return error_response(exc.status, exc.message)

    @bp.errorhandler(InvalidInput)
    def _invalid(exc: InvalidInput):
        return error_response(400, str(exc), exc.messages)

    @bp.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return error_response(exc.code or 500, exc.description or exc.name)
