"""Janison's error catalogue and its error bodies.

Janison documents neither its error body nor its codes (research notes B2), so every code
here is assumed; they live in this one table so a correction is one edit. Each entry
names the rule id from the notes (JU-1, JC-2, ...); rules the notes do not name are the
sandbox's own choices, listed as assumed in docs/providers/janison.md.

An error item is ``{"code", "message", "field"}``: ``FieldDetail`` carries the field.
Authentication failures are API Management's, not Janison's, and have APIM's own body
(``ApimError``); the token endpoint answers in OAuth2's shape (``OAuthError``).
"""

from __future__ import annotations

from dataclasses import dataclass

from exam_sandbox.core.errors import (
    Conflict,
    ErrorDetail,
    NotFound,
    SandboxError,
    Unauthenticated,
    ValidationFailed,
)
from exam_sandbox.core.rules import Rule, RuleBook


@dataclass(frozen=True)
class FieldDetail(ErrorDetail):
    """An error with the request member it is about (``None``: the request as a whole)."""

    field: str | None = None


# The query option a paging or query rule is about, when the raiser (core's listing)
# does not say.
QUERY_FIELDS = {"PAGE-1": "$top", "PAGE-2": "$skip", "FILTER-1": "$filter", "ORDER-1": "$orderBy"}


class JanisonRules(RuleBook):
    """A RuleBook whose details carry the ``field`` value a rule is formatted with."""

    def detail(self, rule_id: str, **values) -> FieldDetail:
        base = self[rule_id].detail(**values)
        field = values.get("field", QUERY_FIELDS.get(rule_id))
        return FieldDetail(base.code, base.message, base.rule, field)


RULES = JanisonRules(
    # Requests in general
    Rule("REQ-1", 1000, "{field}: {problem}"),
    Rule("REQ-2", 1001, "The request body could not be read as {format}"),
    Rule("REQ-3", 1002, "The request entity is too large"),
    Rule("REQ-4", 1003, "The content type '{content_type}' is not supported"),
    Rule("REQ-5", 1004, "The requested resource does not support http method '{method}'."),
    Rule("REQ-6", 1005, "No HTTP resource was found that matches the request URI '{uri}'."),
    Rule("REQ-7", 1006, "An unexpected error occurred"),
    Rule("PAGE-1", 1010, "$top must be between 1 and {max}"),
    Rule("PAGE-2", 1011, "$skip must be a non-negative integer"),
    Rule("FILTER-1", 1012, "The query specified in the URI is not valid. {detail}"),
    Rule("ORDER-1", 1013, "The query specified in the URI is not valid. {detail}"),
    Rule("NF-1", 1020, "{resource} {id} was not found"),
    # User
    Rule("JU-1a", 2001, "{field} is required"),
    Rule("JU-1b", 2002, "A user with {field} '{value}' already exists"),
    # Candidate (JC-2 is also how user, centre and schedule references fail)
    Rule("JC-1", 2101, "{field} is required"),
    Rule("JC-2", 2102, "{what} '{ref}' could not be found"),
    # Centre
    Rule("JCE-1", 2201, "{field} is required"),
    # Test schedule
    Rule("JTS-1", 2301, "{field} is required"),
    Rule("JTS-2", 2302, "testPackageDate must be a date in the format YYYY-MM-DD"),
    # Test schedule component
    Rule("JTSC-1a", 2401, "{field} is required"),
    Rule("JTSC-1b", 2402, "Test schedule '{ref}' could not be found"),
    Rule("JTSC-1c", 2403, "Component '{ref}' is not part of test package '{package}'"),
    # The sandbox's own (assumed) rules
    Rule("DUP-1", 3001, "A {resource} with reference '{value}' already exists"),
    Rule("RET-1", 3002, "{resource} {id} is retired"),
    Rule("RET-2", 3003, "{what} '{ref}' is retired"),
    Rule("ENR-1", 3101, "Candidate '{ref}' is listed more than once"),
    Rule("ENR-2", 3102, "testPackageId and testPackage name different test packages"),
    Rule("ENR-3", 3103, "testPackageDate must not be before today ({today})"),
    Rule("ENR-4", 3104, "Candidate '{ref}' is not enrolled in test schedule {id}"),
    Rule("ENR-5", 3105, "Test schedule {id} has completed enrolments and cannot be retired"),
)

rule = RULES.detail
invalid = RULES.invalid
schema_error = RULES.schema_error


def not_found(resource: str, item_id) -> NotFound:
    return RULES.not_found("NF-1", resource=resource, id=item_id)


def conflict(rule_id: str, **values) -> Conflict:
    return Conflict(rule(rule_id, **values))



def errors_list(error: SandboxError) -> list[dict]:
    return [
        {"code": d.code, "message": d.message, "field": getattr(d, "field", None)}
        for d in error.details
    ]


# --- API Management (auth) -------------------------------------------------------------

APIM_MISSING_KEY = (
    "Access denied due to missing subscription key. Make sure to include subscription key "
    "when making requests to an API."
)
APIM_INVALID_KEY = (
    "Access denied due to invalid subscription key. Make sure to provide a valid key for an "
    "active subscription."
)
APIM_BAD_TOKEN = "Unauthorized. Access token is missing or invalid."


class ApimError(Unauthenticated):
    """A 401 from Azure API Management, in front of Janison: ``{statusCode, message}``."""


def apim_error(message: str, *, bearer: bool = False) -> ApimError:
    headers = {"WWW-Authenticate": "Bearer"} if bearer else None
    return ApimError(ErrorDetail(401, message, "AUTH-1"), headers=headers)


class OAuthError(ValidationFailed):
    """A token request refused, OAuth2-style: ``{error, error_description}``."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(ErrorDetail(status, description, error), status=status)
        self.error = error
        self.description = description
