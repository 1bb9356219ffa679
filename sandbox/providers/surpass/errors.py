"""Surpass's error codes and its error envelope.

The real catalogue of ``ErrorCode`` integers was not found (research notes A3), so every
code here is assumed; they live in this one table so a correction is one edit. Each entry
names the rule id from the notes, which the fidelity table and the tests use too.
"""

from __future__ import annotations

from exam_sandbox.core.errors import SandboxError, Unauthenticated
from exam_sandbox.core.rules import Rule, RuleBook

RULES = RuleBook(
    # Auth
    Rule("AUTH-1", 401, "Authorization has been denied for this request."),
    Rule("AUTH-2", 403, "User does not have permission to {action}"),
    Rule("AUTH-3", 403, "User is not associated with the {what}"),
    # Requests in general
    Rule("REQ-1", 1000, "{field}: {problem}"),
    Rule("REQ-2", 1001, "The request body could not be read as {format}"),
    Rule("REQ-3", 1002, "The request entity is too large"),
    Rule("REQ-4", 1003, "The content type '{content_type}' is not supported"),
    Rule("REQ-5", 1004, "The requested resource does not support http method '{method}'."),
    Rule("REQ-6", 1005, "No HTTP resource was found that matches the request URI '{uri}'."),
    Rule("PAGE-1", 1010, "$top must be between 1 and {max}"),
    Rule("PAGE-2", 1011, "$skip must be a non-negative integer"),
    Rule("FILTER-1", 1012, "The query specified in the URI is not valid. {detail}"),
    Rule("ORDER-1", 1013, "The query specified in the URI is not valid. {detail}"),
    # Not found
    Rule("NF-1", 404, "{resource} not found"),
    # TestSchedule POST
    Rule("TS-1", 2001, "Test is required"),
    Rule("TS-2", 2002, "Centre is required"),
    Rule("TS-3", 2003, "Candidate is required"),
    Rule("TS-4", 2004, "{field} is required"),
    Rule("TS-5", 2005, "{field} must be in the format DD/MM/YYYY"),
    # TS-5a: written DD/MM/YYYY, but no such day (31/02): the same code, a truer message.
    Rule("TS-5a", 2005, "{field} '{value}' is not a date that exists: {reason}"),
    Rule("TS-6", 2006, "{field} must be in the format HHMM"),
    Rule("TS-7", 2007, "startDate must be before or equal to endDate"),
    Rule("TS-8", 2008, "startTime must be before endTime"),
    Rule("TS-9", 2009, "Test scheduling over multiple days is disabled"),
    Rule("TS-10", 2010, "purchaseOrder is required"),
    Rule("TS-11", 2011, "enforceTimes is required"),
    Rule("TS-12", 2012, "Test not found"),
    Rule("TS-13", 2013, "{problem}"),
    Rule("TS-14", 2014, "{problem}"),
    Rule("TS-15", 2015, "Centre not found"),
    Rule("TS-16", 2016, "Centre is not associated with the subject"),
    Rule("TS-17", 2017, "{problem}"),
    Rule("TS-18", 2018, "Candidate is not associated with the {what}"),
    # TS-19 (user not associated) is reported as AUTH-3: every 403 carries ErrorCode 403.
    Rule("TS-20", 2020, "requiresInvigilation cannot be false for this test"),
    Rule("TS-21", 2021, "{field} must not be greater than 999"),
    Rule("TS-22", 2022, "Test tags must not be longer than 250 characters"),
    Rule("TS-23", 2023, "{problem}"),
    Rule("TS-24", 2024, "language '{language}' is not a supported language code"),
    Rule(
        "TS-25",
        2025,
        "{role} cannot be assigned because the test does not enable user associations",
    ),
    Rule("TS-26", 2026, "Candidate already has an open test schedule{scope}"),
    Rule("TS-27", 2027, "The test schedule window has already ended"),
    Rule("TS-28", 2028, "Test reference '{reference}' is not unique; give the subject"),
    # TestSchedule DELETE
    Rule("TD-1", 2101, "Test schedule not found"),
    Rule("TD-2", 2102, "Only test sessions in an editable state can be deleted"),
    # TD-3 (no permission to delete) is reported as AUTH-2, ErrorCode 403.
    # TestSession state changes
    Rule("TSS-1", 2201, "Cannot change the state of a test session from {current} to {target}"),
    Rule("TSS-2", 2202, "voidMessage is required when voidReason is Other"),
    Rule("TSS-3", 2203, "{problem}"),
    # Candidate
    Rule("CA-1", 3001, "{field} is required"),
    Rule("CA-2", 3002, "Candidate reference already exists"),
    Rule("CA-3", 3003, "gender must be one of Unspecified, Male, Female"),
    Rule("CA-4", 3004, "{field} must not be longer than {max} characters"),
    Rule("CA-5", 3005, "{what} '{ref}' could not be found"),
    Rule("CA-6", 3006, "The reference of a candidate cannot be changed"),
    # Centre
    Rule("CE-1", 3101, "name is required"),
    Rule("CE-2", 3102, "{field} must not be longer than {max} characters"),
    Rule("CE-3", 3103, "Centre reference already exists"),
    Rule("CE-4", 3104, "{what} '{ref}' could not be found"),
    # Subject
    Rule("SU-1", 3201, "name is required"),
    Rule("SU-2", 3202, "primaryCentre {problem}"),
    Rule("SU-3", 3203, "A subject can only be deleted when it is Archived and has no items"),
    Rule("SU-4", 3204, "Subject reference already exists"),
    # CentreSubjectAssociation
    Rule("CSA-1", 3301, "The centre is already associated with the subject"),
    Rule("CSA-2", 3302, "{what} '{ref}' could not be found"),
)


rule = RULES.detail
invalid = RULES.invalid
forbidden = RULES.forbidden
schema_error = RULES.schema_error


def not_found(resource: str):
    return RULES.not_found("NF-1", resource=resource)


def unauthenticated() -> Unauthenticated:
    return Unauthenticated(rule("AUTH-1"), headers={"WWW-Authenticate": 'Basic realm="Surpass"'})



def errors_list(error: SandboxError) -> list[dict]:
    return [{"ErrorCode": d.code, "Message": d.message} for d in error.details]
