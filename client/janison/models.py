"""Typed results of the Janison client, and the base-resource helpers for request bodies.

Parsing is tolerant on purpose: a real Janison site may return more (or fewer) fields
than the sandbox. Every field is optional, unknown fields are ignored (but kept in
``raw``), member names match case-insensitively (``CEFRGrade`` is ``cefr_grade``) and
values are coerced (``"12"`` -> 12, ``"2026-05-01"`` -> a ``date``, ``"...Z"`` -> an
aware UTC ``datetime``). A value that cannot be coerced is kept as it came.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from exam_sandbox.client.core.models import (
    BaseRef,
    Model,
    Page,
    Resource,
    key_body,
    model,
    models,
    raw_field,
    wire,
    wire_list,
)
from exam_sandbox.client.janison.wire import (
    coerce_enum,
    parse_bool,
    parse_date,
    parse_instant,
    parse_int,
    parse_number,
)

__all__ = [
    "CefrGrade",
    "Candidate",
    "Centre",
    "Component",
    "ComponentType",
    "Enrolment",
    "EnrolmentComponent",
    "Gender",
    "Page",
    "Ref",
    "Result",
    "ResultComponent",
    "ScheduleResult",
    "Test",
    "TestPackage",
    "User",
    "WriteResult",
    "ref",
    "refs",
]


class Gender(enum.StrEnum):
    MALE = "Male"
    FEMALE = "Female"
    UNSPECIFIED = "Unspecified"


class ComponentType(enum.StrEnum):
    LISTENING = "Listening"
    READING = "Reading"
    WRITING = "Writing"
    SPEAKING = "Speaking"


class CefrGrade(enum.StrEnum):
    BELOW_A1 = "Below A1"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


def _enum(cls: type[enum.Enum]) -> Callable[[Any], Any]:
    return lambda v: coerce_enum(cls, v)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Ref(Resource, BaseRef):
    """A base resource ``{id, reference, href}``.

    Also an input wherever a resource is expected: ``Ref(id=3)``, ``Ref(reference="X")``.
    """

    raw: Mapping[str, Any] = raw_field()


_ref = model(Ref)
_refs = models(Ref)


@dataclass(frozen=True)
class User(Resource):
    user_name: str | None = wire()
    first_name: str | None = wire()
    middle_name: str | None = wire()
    last_name: str | None = wire()
    date_of_birth: dt.date | None = wire(parse_date)
    gender: Gender | str | None = wire(_enum(Gender))
    expiry: dt.date | None = wire(parse_date)
    address_line1: str | None = wire()
    address_line2: str | None = wire()
    town: str | None = wire()
    county: str | None = wire()
    country: str | None = wire()
    post_code: str | None = wire()
    email: str | None = wire()
    phone: str | None = wire()
    centres: list[Ref] = wire_list(_refs)
    tests: list[Ref] = wire_list(_refs)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Candidate(Resource):
    """``county_id``/``country_id`` are the seed's ``countyID``/``countryID`` (strings)."""

    first_name: str | None = wire()
    middle_name: str | None = wire()
    last_name: str | None = wire()
    date_of_birth: dt.date | None = wire(parse_date)
    uln: str | None = wire()
    gender: Gender | str | None = wire(_enum(Gender))
    expiry: dt.date | None = wire(parse_date)
    address_line1: str | None = wire()
    address_line2: str | None = wire()
    town: str | None = wire()
    county_id: str | None = wire(name="countyID")
    country_id: str | None = wire(name="countryID")
    post_code: str | None = wire()
    email: str | None = wire()
    phone: str | None = wire()
    retired: bool | None = wire(parse_bool)
    centres: list[Ref] = wire_list(_refs)
    tests: list[Ref] = wire_list(_refs)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Test(Resource):
    __test__: ClassVar[bool] = False  # not a pytest class
    name: str | None = wire()
    test_packages: list[Ref] = wire_list(_refs)  # the seed's "testpackages"
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class TestPackage(Resource):
    __test__: ClassVar[bool] = False
    name: str | None = wire()
    components: list[Ref] = wire_list(_refs)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Component(Resource):
    name: str | None = wire()
    type: ComponentType | str | None = wire(_enum(ComponentType))
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Centre(Resource):
    name: str | None = wire()
    address_line1: str | None = wire()
    address_line2: str | None = wire()
    town: str | None = wire()
    county: str | None = wire()
    country: str | None = wire()
    post_code: str | None = wire()
    tests: list[Ref] = wire_list(_refs)
    centre_admin_user: Ref | None = wire(_ref)
    retired: bool | None = wire(parse_bool)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class ResultComponent(Resource):
    """One component's result. ``scale_score`` is a number (the seed sends it as a string)."""

    name: str | None = wire()
    type: ComponentType | str | None = wire(_enum(ComponentType))
    scale_score: int | float | None = wire(parse_number)
    cefr_grade: CefrGrade | str | None = wire(_enum(CefrGrade), name="CEFRGrade")
    date_completed: dt.datetime | None = wire(parse_instant)
    keycode: str | None = wire()
    included_in_total: bool | None = wire(parse_bool)
    raw_score: int | None = wire(parse_int)
    completed: bool | None = wire(parse_bool)
    voided: bool | None = wire(parse_bool)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Result(Resource):
    candidate: Ref | None = wire(_ref)
    test_package: Ref | None = wire(_ref)
    centre: Ref | None = wire(_ref)
    components: list[ResultComponent] = wire_list(models(ResultComponent))
    final_scale_score: int | float | None = wire(parse_number)
    overall_cefr_grade: CefrGrade | str | None = wire(_enum(CefrGrade), name="overallCEFRGrade")
    test_package_completion_date: dt.datetime | None = wire(parse_instant)
    completed: bool | None = wire(parse_bool)
    voided: bool | None = wire(parse_bool)
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class WriteResult(Resource):
    """The write envelope of a POST/PUT/DELETE: the record written (or retired)."""

    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class EnrolmentComponent(Model):
    """A component of an enrolment: the version allocated and its keycode."""

    component: Ref | None = wire(_ref)
    version: int | None = wire(parse_int)
    keycode: str | None = wire()
    raw: Mapping[str, Any] = raw_field()


@dataclass(frozen=True)
class Enrolment(Model):
    """One candidate's enrolment on a schedule."""

    candidate: Ref | None = wire(_ref)
    test_session_id: int | None = wire(parse_int)
    components: list[EnrolmentComponent] = wire_list(models(EnrolmentComponent))
    raw: Mapping[str, Any] = raw_field()

    @property
    def keycodes(self) -> list[str]:
        return [c.keycode for c in self.components if c.keycode is not None]


@dataclass(frozen=True)
class ScheduleResult(Resource):
    """POST testschedule or testschedulecomponent: the schedule and the enrolments written."""

    enrolments: list[Enrolment] = wire_list(models(Enrolment))
    raw: Mapping[str, Any] = raw_field()

    def enrolment_for(self, candidate: Any) -> Enrolment:
        """The enrolment of ``candidate`` (an id, a reference, a Ref or a fetched object)."""
        want = ref(candidate) or {}
        for e in self.enrolments:
            c = e.candidate
            if c is not None and (("id" in want and c.id == want["id"])
                                  or ("reference" in want and c.reference == want["reference"])):
                return e
        raise KeyError(f"no enrolment for candidate {candidate!r}")


# --------------------------------------------------------------------------- inputs


def ref(value: Any) -> dict[str, Any] | None:
    """A base resource for a request body: ``{"id": n}`` or ``{"reference": "x"}``.

    Accepts an ``int`` (id), a ``str`` (reference), a :class:`Ref`, a mapping (sent as
    given) or any fetched model (its id, else its reference).
    """
    return key_body(value, empty_reference=False)


def refs(values: Any) -> list[dict[str, Any]] | None:
    """A list of base resources; a single key (not a sequence) counts as a list of one."""
    if values is None:
        return None
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        values = [values]
    return [r for r in map(ref, values) if r is not None]
