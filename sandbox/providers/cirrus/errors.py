"""Cirrus's error catalogue: every rule id of the notes (A1-A3, S1-S19) and the
sandbox's own, with its message, in the order rules are checked.

Messages the notes quote (the create-assessment 400 list, "Not allowed to use external
API", "Scheduler hasn't been set in External API settings", ...) are verbatim. Where the
notes leave a message open, it names the offending field by its JSON name (interface
page). Cirrus has no numeric error codes on the wire; ``code`` here is the status.

Two envelopes carry them (``envelopes.py``): ``{"Message": "Bad request | <message>"}``
on ``POST /schedule`` and ``/schedule/add-candidates``, and
``{"Content": null, "Success": false, "Errors": ["<message>"]}`` everywhere else.
"""

from __future__ import annotations

from exam_sandbox.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    SandboxError,
)
from exam_sandbox.core.rules import Rule, RuleBook

NOT_ALLOWED = "Not allowed to use external API"
SCHEDULE_NOT_FOUND = "Schedule hasn't been found by external id"
SCHEDULER_UNSET = "Scheduler hasn't been set in External API settings"
EXTERNAL_ID_TEXT = "letters, digits, '-' and '_' only, at most {limit} characters"

RULES = RuleBook(
    # Requests in general (the sandbox's own; "Bad request" and "Url not found" are the
    # common errors the results page lists).
    Rule("REQ-1", 400, "'{field}' is not valid: {problem}"),
    Rule("REQ-2", 400, "The request body is not valid JSON"),
    Rule("REQ-3", 413, "The request entity is too large"),
    Rule("REQ-4", 415, "The content type '{content_type}' is not supported"),
    Rule("REQ-5", 405, "The requested resource does not support http method '{method}'."),
    Rule("REQ-6", 404, "Url not found"),
    Rule("REQ-7", 500, "Internal server error"),
    # Auth (A1 and A3 are one message; A2 is the accepted header forms)
    Rule("A1", 403, NOT_ALLOWED),
    # POST /schedule, in order
    Rule("S1", 400, "'Schedule' should not be empty."),
    Rule("S2", 400, "'Assessment External Id' should not be empty."),
    Rule("S3", 400, "'{field}' is not a valid external id: " + EXTERNAL_ID_TEXT),
    Rule("S4", 400, "Assessment hasn't been found by external id"),
    Rule("S5", 400, "Assessment must be published"),
    Rule("S6a", 400, "'{field}' should not be empty."),
    Rule("S6b", 400, "'{field}' is not a valid RFC 3339 date and time"),
    Rule(
        "S8",
        400,
        "'{field}' must be more than {minutes} minutes (MaxTimePerAttempt + ExtraTime) "
        "after 'StartDateTime'",
    ),
    Rule("S9", 400, "'{field}' should not be empty."),
    Rule("S10", 400, "'{field}' is not a valid external id: " + EXTERNAL_ID_TEXT),
    Rule("S11", 400, "Schedule with external id [{id}] already exists"),
    Rule("S14", 400, "'Workflow' must be one of DEFAULT, EXTERNAL_ATTEMPTS"),
    Rule("S15", 400, "'Candidates' should not be empty."),
    Rule("S16a", 400, "'{field}' should not be empty."),
    Rule("S16b", 400, "'{field}' is not a valid email address"),
    Rule("S16c", 400, "'{field}' is not a valid external id: " + EXTERNAL_ID_TEXT),
    Rule("S16d", 400, "'{field}': candidate [{id}] is listed more than once"),
    Rule("S17", 400, "'{field}' is only allowed when 'SpecialNeeds' is true"),
    Rule("S18", 400, "'{field}' should not be empty when 'Workflow' is EXTERNAL_ATTEMPTS"),
    Rule("S18b", 400, "'{field}': attempt [{id}] already exists"),
    Rule("S19", 400, SCHEDULER_UNSET),
    # Schedules by external id (delete-schedule's list, update-schedule's PIN rule)
    Rule("SCH-1", 400, SCHEDULE_NOT_FOUND),
    Rule("SCH-2", 400, "Can't delete schedule"),
    Rule("SCH-3", 400, "'PIN' can only be changed on a schedule that is not activated"),
    Rule("SCH-4", 400, "'{field}' should not be empty."),
    Rule("SCH-5", 400, "'PIN' must be at most {limit} characters"),
    # POST /assessment: the documented 400 list, verbatim
    Rule("AS-1", 400, "Assessment info is not valid"),
    Rule("AS-2", 400, "'Title' should not be empty."),
    Rule("AS-3", 400, "'Purpose' should not be empty."),
    Rule("AS-4", 400, "'Code' should not be empty."),
    Rule("AS-5", 400, "'External Id' should not be empty."),
    Rule("AS-6", 400, 'The specified condition was not met for "Purpose"'),
    Rule("AS-7", 400, "External id [{id}] is already in use"),
    Rule("AS-8", 400, "Assessment creator hasn't been set in External API settings"),
    Rule("AS-9", 400, "Assessment owner does not exist in the system"),
    Rule("AS-10", 400, "Assessment hasn't been found by external id"),
    # GET /results
    Rule("RES-1", 400, "'{field}' should not be empty."),
    Rule("RES-2", 400, "Candidate hasn't been found by external id"),
    Rule("RES-3", 400, "Attempt hasn't been found by external id"),
    Rule("RES-4", 400, SCHEDULE_NOT_FOUND),
    Rule("RES-5", 429, "The daily limit of {limit} calls to results has been reached"),
    # Controls (the sandbox's own)
    Rule("CTL-1", 404, "Candidate [{candidate}] is not on schedule [{schedule}]"),
    Rule("CTL-2", 409, "The tenant clock ({now}) is outside the schedule's window"),
    Rule("CTL-3", 409, "Candidate [{candidate}] has no result on schedule [{schedule}]"),
)

rule = RULES.detail
invalid = RULES.invalid
schema_error = RULES.schema_error


class RateLimited(SandboxError):
    status = 429


def not_allowed() -> PermissionDenied:
    return PermissionDenied(rule("A1"))


def control_not_found(rule_id: str, **values) -> NotFound:
    return NotFound(rule(rule_id, **values))


def control_conflict(rule_id: str, **values) -> Conflict:
    return Conflict(rule(rule_id, **values))


def messages(error: SandboxError) -> list[str]:
    return [d.message for d in error.details] or [str(error)]
