"""iTEP's error catalogue: every 4xx body is ``{"error": "<code>", "message": "<text>"}``
(interface page). All assumed; the codes are the interface's and docs/providers/
itep-wire.md's, each rule named by its id from the notes (I1-I9) or the sandbox's own."""

from __future__ import annotations

from dataclasses import dataclass

from exam_sandbox.core.errors import ErrorDetail, SandboxError
from exam_sandbox.core.rules import Rule, RuleBook


@dataclass(frozen=True)
class CodedDetail(ErrorDetail):
    """An error with its wire code (``error``)."""

    error: str = ""


class ItepRules(RuleBook):
    def detail(self, rule_id: str, **values) -> CodedDetail:
        base = self[rule_id].detail(**values)
        return CodedDetail(base.code, base.message, base.rule, CODES[rule_id])


# rule id -> the wire's "error" code
CODES = {
    "I1": "missing_api_key",
    "I2": "invalid_api_key",
    "REQ-1": "invalid_request",
    "REQ-2": "invalid_request",
    "REQ-3": "payload_too_large",
    "REQ-4": "unsupported_media_type",
    "REQ-5": "method_not_allowed",
    "REQ-6": "not_found",
    "REQ-7": "internal_error",
    "I3": "assigned_to_must_be_json",
    "I4": "assigned_to_incomplete",
    "OID-1": "invalid_oid",
    "TRK-1": "invalid_tracking_code",
    "TRK-2": "unknown_tracking_code",
    "I8": "candidate_email_required",
    "I5": "no_available_test_ids",
}

RULES = ItepRules(
    Rule("I1", 401, "An API key is required: send it as X-API-Key or the api_key parameter"),
    Rule("I2", 401, "The API key is not valid"),
    Rule("REQ-1", 400, "{field}: {problem}"),
    Rule("REQ-2", 400, "The request body is not valid {format}"),
    Rule("REQ-3", 413, "The request body is too large"),
    Rule("REQ-4", 415, "The content type '{content_type}' is not supported: send application/json"),
    Rule("REQ-5", 405, "The method {method} is not allowed here"),
    Rule("REQ-6", 404, "No such resource: {uri}"),
    Rule("REQ-7", 500, "An unexpected error occurred"),
    Rule("I3", 400, "assigned_to must be a non-empty JSON object (or the JSON text of one)"),
    Rule("I4", 400, "assigned_to must name the candidate: {missing} missing"),
    Rule("OID-1", 400, "oid must be a string of 1 to 100 characters"),
    Rule("TRK-1", 400, "tracking_code must be a string of 1 to 100 characters"),
    Rule("TRK-2", 400, "The tracking code '{code}' does not exist"),
    Rule("I8", 400, "assigned_to.email must be the candidate's e-mail address"),
    Rule("I5", 409, "No test ID of product {product} is available (Ready and unassigned)"),
)

rule = RULES.detail
invalid = RULES.invalid


class NoneAvailable(SandboxError):
    status = 409


def error_body(error: SandboxError) -> dict:
    detail = error.details[0] if error.details else None
    code = getattr(detail, "error", "") or "error"
    return {"error": code, "message": detail.message if detail else str(error)}
