"""TestSchedule and TestSession on the wire.

The POST TestSchedule body enforces the format rules here, before any database work:
TS-1..TS-8 and TS-21..TS-24, each message being the rule's ``ErrorDetail`` so the parser
reports them all at once, ordered by rule id. The rules that need the database, the
settings or the clock (TS-9 onwards) live in ``models/scheduling.py``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from exam_sandbox.core.fields import StrictBoolean

from ..errors import rule
from .candidates import max_length
from .common import NOT_BLANK, RefOut, WriteEnvelope, calendar_date, id_or_reference, ref_out

NAMESPACE = (
    "http://schemas.datacontract.org/2004/07/"
    "Btl.Aspire.Administration.Web.Areas.Api.Version2.DataContracts.TestSchedule"
)
MAX_DB_INT = 2**31 - 1  # ids beyond this cannot exist, and would overflow SQLite
_DATE = re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}")
_TIME = re.compile(r"([01][0-9]|2[0-3])[0-5][0-9]")
_WIRE_DATE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T00:00:00(?:\.0+)?Z?)?")
# SDK SupportedExamLanguageCode (research notes A6).
LANGUAGES = (
    "en", "we", "ge", "fr", "ga", "la", "ar", "nl", "no", "lac", "sp", "us", "zh", "zho", "heb",
    "ita", "jpn", "kor", "pol", "pob", "rus", "tur", "vie", "ind", "khm", "amh", "arm", "bul",
    "mya", "hrv", "ces", "dan", "est", "per", "fin", "frb", "frc", "gle", "glg", "gre", "hun",
    "lao", "lav", "lit", "mlt", "mon", "nep", "por", "iir", "ron", "smo", "slk", "slv", "som",
    "swe", "tgl", "tha", "ukr", "cy",
)
GENDERS = ("Unspecified", "Male", "Female")
# SurpassApiExamState (SDK), value -> name.
EXAM_STATES = {
    0: "None", 1: "ScheduledButNotCreated", 2: "ScheduledButNotDownloaded",
    3: "ScheduledButLocked", 4: "Ready", 5: "LockedForInvigilator", 6: "InProgress",
    7: "Paused", 8: "Offline", 9: "Finished", 10: "Voided", 11: "Marked",
    12: "ScriptVerified", 13: "Archived", 14: "LockedByPin", 15: "AwaitingMarking",
    16: "AwaitingVerification", 18: "AwaitingUpload", 19: "PaperResponseUpload",
    20: "LocalScanRequested", 22: "RequiresCheckIn", 99: "Exception",
}
# SurpassApiVoidReason (SDK).
VOID_REASONS = {
    -1: "NotYetStarted", 0: "Auto", 1: "Absent", 2: "Withdrawn", 3: "PartiallyCompleted",
    4: "Other",
}


# English always: calendar.month_name follows the process's locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


def missing_day(day: int, month: int, year: int) -> str | None:
    """Why ``day/month/year`` names no day of the calendar (None when it does)."""
    if year == 0:
        return "there is no year 0000"
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    if day == 0:
        return "there is no day 00"
    days = calendar.monthrange(year, month)[1]
    if day > days:
        return f"{MONTHS[month - 1]} {year:04d} has {days} days"
    return None


# --- fields -------------------------------------------------------------------------


class SurpassDate(fields.Field):
    """TS-5: a real calendar date written strictly ``DD/MM/YYYY``."""

    def __init__(self, **kwargs):
        pattern = f"^{calendar_date('DD/MM/YYYY')}$"
        doc = {"type": "string", "pattern": pattern, "example": "01/07/2030"}
        super().__init__(**{**kwargs, "metadata": {**doc, **kwargs.get("metadata", {})}})

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        # Not strftime("%Y"), which writes the year 800 as "800" (glibc): four digits always.
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        name = self.data_key or self.name
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise ValidationError([rule("TS-5", field=name)])
        day, month, year = (int(part) for part in value.split("/"))
        reason = missing_day(day, month, year)
        if reason:
            # Well written, but no such day: saying "the format" would send a user hunting
            # for a typo in 31/02/2030 (TS-5a).
            raise ValidationError([rule("TS-5a", field=name, value=value, reason=reason)])
        return date(year, month, day)


class SurpassTime(fields.Field):
    """TS-6: a 24-hour ``HHMM`` time of day, kept as its four characters."""

    def __init__(self, **kwargs):
        doc = {"type": "string", "pattern": f"^{_TIME.pattern}$", "example": "0930"}
        super().__init__(**{**kwargs, "metadata": {**doc, **kwargs.get("metadata", {})}})

    def _serialize(self, value, attr, obj, **kwargs):
        return value

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str) or not _TIME.fullmatch(value):
            raise ValidationError([rule("TS-6", field=self.data_key or self.name)])
        return value


class WireDate(fields.Field):
    """A candidate's ``dateOfBirth``: ``YYYY-MM-DD`` or ``YYYY-MM-DDT00:00:00``."""

    def __init__(self, **kwargs):
        pattern = f"^{calendar_date('YYYY-MM-DD')}(?:T00:00:00(?:\\.0+)?Z?)?$"
        doc = {"type": "string", "pattern": pattern, "example": "1990-01-31"}
        super().__init__(**{**kwargs, "metadata": {**doc, **kwargs.get("metadata", {})}})

    default_error_messages = {"invalid": "Not a valid date: use YYYY-MM-DD or YYYY-MM-DDT00:00:00."}

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value.isoformat()}T00:00:00"

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        match = _WIRE_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
        try:
            return date.fromisoformat(match.group(1))
        except (AttributeError, ValueError):
            raise self.make_error("invalid") from None


class LocalDateTime(fields.Field):
    """A window bound as .NET writes a ``DateTime`` without a zone: ``YYYY-MM-DDTHH:MM:SS``
    (not an RFC 3339 ``date-time``, which needs an offset)."""

    def __init__(self, **kwargs):
        pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
        doc = {"type": "string", "pattern": pattern, "example": "2030-07-01T09:30:00"}
        super().__init__(**{**kwargs, "metadata": {**doc, **kwargs.get("metadata", {})}})

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat(timespec="seconds")


class Named(fields.Field):
    """An enum sent as its int value or its name (any case); loads to the int."""

    def __init__(self, names: dict[int, str], problem: str, **kwargs):
        # Documented as the value, or the name or value as a string (names in any case).
        doc = {"anyOf": [
            {"type": "integer", "enum": list(names)},
            {"type": "string", "enum": [*names.values(), *map(str, names)]},
        ]}
        super().__init__(**{**kwargs, "metadata": {**doc, **kwargs.get("metadata", {})}})
        self.names = names
        self.problem = problem

    def _serialize(self, value, attr, obj, **kwargs):
        return value

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]{1,3}\s*", value):
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and value in self.names:
            return value
        if isinstance(value, str):
            for number, name in self.names.items():
                if value.strip().casefold() == name.casefold():
                    return number
        shown = value if isinstance(value, str | int) else type(value).__name__
        problem = self.problem.format(field=self.data_key or self.name, value=shown)
        raise ValidationError([rule("TSS-3", problem=problem)])


class _limit:  # noqa: N801
    """At most ``limit``, else ``rule_id``; apispec documents ``max`` as ``maximum``."""

    min = None

    def __init__(self, rule_id: str, limit: int, **values):
        self.rule_id, self.max, self.values = rule_id, limit, values

    def __call__(self, value) -> None:
        if value > self.max:
            raise ValidationError([rule(self.rule_id, **self.values)])


def _count(limit: int | None = None, **rule_args):
    """A non-negative integer; over ``limit`` fails with the given rule."""
    checks = [validate.Range(min=0)]
    if limit is not None:
        checks.append(_limit(limit=limit, **rule_args))
    return fields.Integer(allow_none=True, validate=checks)


# --- the POST TestSchedule body -----------------------------------------------------


def _required_ref(rule_id: str) -> type[Schema]:
    """A ``{id|reference}`` whose absence is ``rule_id`` (TS-1, TS-2, TS-3)."""

    def _named(self, data, **_):
        if data.get("id") is None and not (data.get("reference") or "").strip():
            raise ValidationError([rule(rule_id)])

    name = {"TS-1": "TestRefIn", "TS-2": "CentreRefIn", "TS-3": "CandidateRefIn"}[rule_id]
    meta = {"unknown": EXCLUDE, "openapi": id_or_reference({"pattern": NOT_BLANK})}
    return type(name, (Schema,), {
        "Meta": type("Meta", (), meta),
        "id": fields.Integer(allow_none=True, validate=validate.Range(1, MAX_DB_INT)),
        "reference": fields.String(allow_none=True, validate=validate.Length(max=100)),
        "_named": validates_schema(skip_on_field_errors=False)(_named),
    })


class OptionalRefIn(Schema):
    """``testForm``, ``subject``, ``marker``, ``moderator``: ``{id|reference}`` if given."""

    class Meta:
        unknown = EXCLUDE
        openapi = id_or_reference({"minLength": 1})

    id = fields.Integer(allow_none=True, validate=validate.Range(1, MAX_DB_INT))
    reference = fields.String(allow_none=True, validate=validate.Length(max=100))

    @validates_schema(skip_on_field_errors=False)
    def _named(self, data, **_):
        if data.get("id") is None and not data.get("reference"):
            raise ValidationError("Give an id or a reference.")


class _external_reference:  # noqa: N801
    """TS-23: at most 30 characters (``max`` documents ``maxLength``)."""

    min = equal = None
    max = 30

    def __call__(self, value: str) -> None:
        if len(value) > self.max:
            raise ValidationError(
                [rule("TS-23", problem="externalReference must not be longer than 30 characters")]
            )


def _candidate_text(name: str, limit: int = 50):
    return fields.String(allow_none=True, validate=max_length("CA-4", f"candidate.{name}", limit))


def _gender(value):
    if isinstance(value, str):
        for name in GENDERS:
            if value.strip().casefold() == name.casefold():
                return name
    raise ValidationError([rule("CA-3")])


class CandidateIn(_required_ref("TS-3")):
    """The candidate to schedule; with ``quickRegisterCandidate: true`` also the fields to
    create or update it with (TS-17)."""

    reference = _candidate_text("reference")
    firstName = _candidate_text("firstName")
    middleName = _candidate_text("middleName")
    lastName = _candidate_text("lastName")
    dateOfBirth = WireDate(allow_none=True)
    gender = fields.Function(
        deserialize=_gender, allow_none=True, metadata={"type": "string", "enum": list(GENDERS)}
    )
    email = fields.String(allow_none=True, validate=validate.Length(max=254))
    tel = fields.String(allow_none=True, validate=validate.Length(max=40))
    uln = fields.String(allow_none=True, validate=validate.Length(max=20))


def _adjustments(prefix: str, *, breaks: bool = False) -> type[Schema]:
    """``reasonableAdjustments`` / ``breakReasonableAdjustments``. TS-21: extraTimeMin at most
    999; when both are sent, extraTimeMin wins and the percentage is not kept."""
    attrs = {
        "Meta": type("Meta", (), {"unknown": EXCLUDE}),
        "extraTimeMin": _count(999, rule_id="TS-21", field=f"{prefix}.extraTimeMin"),
        "extraTimePercentage": _count(),
        "reason": fields.String(allow_none=True, validate=validate.Length(max=1000)),
    }
    if breaks:
        attrs["numberOfExtraBreaksPerSection"] = _count()

    def _min_wins(self, data, **_):
        if data.get("extraTimeMin") is not None:
            data.pop("extraTimePercentage", None)
        return data

    attrs["_min_wins"] = post_load(_min_wins)
    name = "BreakReasonableAdjustments" if breaks else "ReasonableAdjustments"
    return type(name, (Schema,), attrs)


class UnscheduledBreak(Schema):
    class Meta:
        unknown = EXCLUDE

    extraTimeMin = _count()


class UnlockOverride(Schema):
    """TS-23: at most 100 days either side."""

    class Meta:
        unknown = EXCLUDE

    unlockForWholeDay = StrictBoolean(allow_none=True)
    daysInAdvanceToUnlock = _count(
        100, rule_id="TS-23",
        problem="unlockOverride.daysInAdvanceToUnlock must not be greater than 100",
    )
    daysAfterToLock = _count(
        100, rule_id="TS-23", problem="unlockOverride.daysAfterToLock must not be greater than 100"
    )


class SelectedSection(Schema):
    class Meta:
        unknown = EXCLUDE

    sectionName = fields.String(allow_none=True, validate=validate.Length(max=250))
    sectionOrder = fields.Integer(allow_none=True, validate=validate.Range(0, MAX_DB_INT))


def _tag(value):
    if not isinstance(value, str):
        raise ValidationError("Not a valid string.")
    if len(value) > 250:
        raise ValidationError([rule("TS-22")])  # TS-22
    return value


def _language(value):
    if isinstance(value, str):
        for code in LANGUAGES:
            if value.strip().casefold() == code:
                return code
    shown = value if isinstance(value, str) else type(value).__name__
    raise ValidationError([rule("TS-24", language=shown)])  # TS-24


def _required(rule_id: str, **values) -> dict:
    return {"required": rule(rule_id, **values), "null": rule(rule_id, **values)}


class TestScheduleIn(Schema):
    """``TestScheduleResource``: the body of POST TestSchedule, in JSON or XML."""

    class Meta:
        unknown = EXCLUDE  # .NET's model binder ignores members it does not know
        xml_root = ("TestSchedule", NAMESPACE)

    test = fields.Nested(_required_ref("TS-1"), required=True, error_messages=_required("TS-1"))
    centre = fields.Nested(_required_ref("TS-2"), required=True, error_messages=_required("TS-2"))
    candidate = fields.Nested(CandidateIn, required=True, error_messages=_required("TS-3"))
    startDate = SurpassDate(required=True, error_messages=_required("TS-4", field="startDate"))
    endDate = SurpassDate(required=True, error_messages=_required("TS-4", field="endDate"))
    startTime = SurpassTime(required=True, error_messages=_required("TS-4", field="startTime"))
    endTime = SurpassTime(required=True, error_messages=_required("TS-4", field="endTime"))
    reasonableAdjustments = fields.Nested(_adjustments("reasonableAdjustments"), allow_none=True)
    markedExternally = StrictBoolean(allow_none=True)
    allowMultipleOpenSessions = StrictBoolean(allow_none=True)
    requiresInvigilation = StrictBoolean(allow_none=True)
    testTags = fields.List(
        fields.Function(deserialize=_tag, metadata={"type": "string", "maxLength": 250}),
        allow_none=True,
    )
    testForm = fields.Nested(OptionalRefIn, allow_none=True)
    marker = fields.Nested(OptionalRefIn, allow_none=True)
    moderator = fields.Nested(OptionalRefIn, allow_none=True)
    purchaseOrder = fields.String(allow_none=True, validate=validate.Length(max=100))
    breakReasonableAdjustments = fields.Nested(
        _adjustments("breakReasonableAdjustments", breaks=True), allow_none=True
    )
    subject = fields.Nested(OptionalRefIn, allow_none=True)
    unscheduledBreak = fields.Nested(UnscheduledBreak, allow_none=True)
    language = fields.Function(
        deserialize=_language, allow_none=True, metadata={"type": "string", "enum": LANGUAGES}
    )
    enforceTimes = StrictBoolean(allow_none=True)
    uploadResponses = StrictBoolean(allow_none=True)
    externalReference = fields.String(allow_none=True, validate=_external_reference())
    qualityReview = StrictBoolean(allow_none=True)
    unlockOverride = fields.Nested(UnlockOverride, allow_none=True)
    forceRequireExamVersionDate = StrictBoolean(allow_none=True)
    selectedSections = fields.List(fields.Nested(SelectedSection), allow_none=True)
    requiresCheckIn = StrictBoolean(allow_none=True)
    isWholeScriptMarkingOn = StrictBoolean(allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def _window(self, data, **_):
        errors = []
        if data.get("startDate") and data.get("endDate") and data["startDate"] > data["endDate"]:
            errors.append(rule("TS-7"))  # TS-7: startDate <= endDate
        if data.get("startTime") and data.get("endTime") and data["startTime"] >= data["endTime"]:
            errors.append(rule("TS-8"))  # TS-8: startTime < endTime, the daily window
        if errors:
            raise ValidationError(errors)


class HeaderFlag(fields.Field):
    """A ``true``/``false`` header, in any case; anything else is REQ-1."""

    def __init__(self, **kwargs):
        doc = {"type": "string", "pattern": "^[Tt][Rr][Uu][Ee]$|^[Ff][Aa][Ll][Ss][Ee]$"}
        super().__init__(**{**kwargs, "metadata": {**doc, **kwargs.get("metadata", {})}})

    def _serialize(self, value, attr, obj, **kwargs):
        return "true" if value else "false"

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        text = value.strip().lower() if isinstance(value, str) else None
        if text not in ("true", "false"):
            name = self.data_key or self.name
            raise ValidationError([rule("REQ-1", field=name, problem="must be true or false")])
        return text == "true"


class ScheduleHeaders(Schema):
    """The optional POST TestSchedule headers."""

    class Meta:
        unknown = EXCLUDE

    autoSyncCentreSubject = HeaderFlag(
        load_default=False,
        metadata={"description": "Associate the candidate with the centre and subject."},
    )
    quickRegisterCandidate = HeaderFlag(
        load_default=False,
        metadata={"description": "Create or update the candidate from the body."},
    )


class CandidateRefOut(Schema):
    id = fields.Integer()
    reference = fields.String()


class TestScheduleResult(WriteEnvelope):
    """``TestSchedulePostResponseModel``: the write envelope plus keycode, pin, candidate."""

    keycode = fields.String()
    pin = fields.String()
    candidate = fields.Nested(CandidateRefOut)


# --- TestSession --------------------------------------------------------------------


class TestSessionSchema(RefOut):
    """A TestSession as GET returns it; ``reference`` is the keycode."""

    resource = "TestSession"
    reference = fields.Function(lambda s: s.keycode, metadata={"type": "string"})
    keycode = fields.String()
    pin = fields.String()
    state = fields.Integer()
    stateName = fields.Function(
        lambda s: EXAM_STATES.get(s.state, str(s.state)), metadata={"type": "string"}
    )
    candidate = fields.Nested(ref_out("Candidate"))
    centre = fields.Nested(ref_out("Centre"))
    test = fields.Nested(ref_out("Test", with_name=True))
    testForm = fields.Nested(ref_out("TestForm", with_name=True), attribute="test_form")
    subject = fields.Nested(ref_out("Subject", with_name=True), attribute="test.subject")
    startDate = SurpassDate(attribute="start_date")
    endDate = SurpassDate(attribute="end_date")
    startTime = SurpassTime(attribute="start_time")
    endTime = SurpassTime(attribute="end_time")
    scheduledFrom = LocalDateTime(attribute="scheduled_from")
    scheduledTo = LocalDateTime(attribute="scheduled_to")
    requiresInvigilation = StrictBoolean(attribute="requires_invigilation")
    markedExternally = StrictBoolean(attribute="marked_externally")
    purchaseOrder = fields.String(attribute="purchase_order", allow_none=True)
    testTags = fields.List(fields.String(), attribute="test_tags")
    language = fields.String(allow_none=True)
    voidReason = fields.Integer(attribute="void_reason", allow_none=True)
    voidMessage = fields.String(attribute="void_message", allow_none=True)


class TestSessionUpdate(Schema):
    """PUT TestSession: the state to move to and, to void, why."""

    class Meta:
        unknown = EXCLUDE

    testState = Named(
        EXAM_STATES,
        "{field} '{value}' is not a SurpassApiExamState value or name",
        required=True,
        error_messages={
            "required": rule("TSS-3", problem="testState is required"),
            "null": rule("TSS-3", problem="testState is required"),
        },
    )
    voidReason = Named(
        VOID_REASONS, "{field} '{value}' is not a SurpassApiVoidReason value or name",
        allow_none=True,
    )
    voidMessage = fields.String(allow_none=True, validate=validate.Length(max=1000))
