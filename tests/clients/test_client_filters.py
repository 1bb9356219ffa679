"""The OData filter builder, ``where``/``contains`` and ``order_by`` rendering."""

from __future__ import annotations

import datetime as dt
import enum

import pytest

from exam_sandbox.client.surpass.models import ExamState
from exam_sandbox.client.surpass.query import (
    F,
    Raw,
    build_filter,
    list_params,
    literal,
    render_order_by,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Smith", "'Smith'"),
        ("O'Neil", "'O''Neil'"),
        ("''", "''''''"),
        ("", "''"),
        (3, "3"),
        (-1, "-1"),
        (2.5, "2.5"),
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (dt.date(2022, 1, 31), "01/31/2022"),  # Surpass style MM/DD/YYYY
        (dt.datetime(2024, 5, 6, 7, 8, 9), "2024-05-06T07:08:09"),
        (dt.datetime(2024, 5, 6, 7, 8, tzinfo=dt.UTC), "2024-05-06T07:08:00Z"),
        (ExamState.PAUSED, "7"),
    ],
)
def test_literals(value, expected):
    assert literal(value) == expected


def test_literal_refuses_what_it_cannot_render():
    with pytest.raises(TypeError):
        literal(object())
    with pytest.raises(ValueError):
        literal(float("nan"))

    class Colour(enum.Enum):
        RED = "red"

    assert literal(Colour.RED) == "'red'"


def test_comparisons_and_functions():
    assert str(F("lastName") == "Smith") == "lastName eq 'Smith'"
    assert str(F("lastName") != "Smith") == "lastName ne 'Smith'"
    assert str(F("id") > 3) == "id gt 3"
    assert str(F("id") >= 3) == "id ge 3"
    assert str(F("id") < 3) == "id lt 3"
    assert str(F("id") <= 3) == "id le 3"
    assert str(F("email").is_null()) == "email eq null"
    assert str(F("email").is_not_null()) == "email ne null"
    assert str(F("name").contains("it's")) == "contains(name,'it''s')"
    assert str(F("name").startswith("Mr")) == "startswith(name,'Mr')"
    assert str(F("name").endswith("x")) == "endswith(name,'x')"
    assert str(F("dateOfBirth") == dt.date(1990, 1, 31)) == "dateOfBirth eq 01/31/1990"


def test_navigation_paths():
    assert str(F("centre/id") == 3) == "centre/id eq 3"
    assert str(F("centre", "reference") == "C1") == "centre/reference eq 'C1'"
    assert str(F("centre") / "reference" == "C1") == "centre/reference eq 'C1'"
    assert str(F("centre.id") == 3) == "centre/id eq 3"


def test_any_and_all():
    assert str(F("centres").any(reference="C1")) == "centres/any(c: c/reference eq 'C1')"
    assert str(F("centres").any(F("id") > 3)) == "centres/any(c: c/id gt 3)"
    assert str(F("centres").any()) == "centres/any()"
    assert str(F("subjects").all(F("name").contains("a"))) == (
        "subjects/all(s: contains(s/name,'a'))")
    assert str(F("centres").any(F("id") == 1, reference="C1")) == (
        "centres/any(c: c/id eq 1 and c/reference eq 'C1')")
    nested = F("centres").any(F("subjects").any(id=3))
    assert str(nested) == "centres/any(c: c/subjects/any(s1: s1/id eq 3))"
    with pytest.raises(ValueError):
        F("centres").all()


def test_and_or_not_with_precedence():
    a, b, c = F("a") == 1, F("b") == 2, F("c") == 3
    assert str(a & b & c) == "a eq 1 and b eq 2 and c eq 3"
    assert str(a | b | c) == "a eq 1 or b eq 2 or c eq 3"
    assert str(a & (b | c)) == "a eq 1 and (b eq 2 or c eq 3)"
    assert str((a & b) | c) == "a eq 1 and b eq 2 or c eq 3"
    assert str(~a) == "not (a eq 1)"
    assert str(~(a | b) & c) == "not (a eq 1 or b eq 2) and c eq 3"
    assert str(a & Raw("x eq 1 or y eq 2")) == "a eq 1 and (x eq 1 or y eq 2)"
    assert str(a & "retired eq false") == "a eq 1 and (retired eq false)"
    assert str(F("id").in_([1, 2, 3])) == "id eq 1 or id eq 2 or id eq 3"
    assert str(F("id").in_([1]) & a) == "id eq 1 and a eq 1"
    assert str(F("id").in_([1, 2]) & a) == "(id eq 1 or id eq 2) and a eq 1"


def test_misuse_is_caught():
    with pytest.raises(TypeError, match="use & | ~"):
        _ = (F("a") == 1) and (F("b") == 2)
    with pytest.raises(ValueError):
        F("last name")
    with pytest.raises(ValueError):
        F("x') or (1 eq 1")
    with pytest.raises(ValueError):
        F("id").in_([])


def test_where_contains_and_raw_filter_combine():
    assert build_filter() is None
    assert build_filter(where={"lastName": "Smith"}) == "lastName eq 'Smith'"
    assert build_filter(
        "startedDate ge 01/01/2022 or x eq 1",
        where={"retired": False, "centre/id": [1, 2], "middleName": None},
        contains={"firstName": "an"},
    ) == ("(startedDate ge 01/01/2022 or x eq 1) and retired eq false and "
          "(centre/id eq 1 or centre/id eq 2) and middleName eq null and "
          "contains(firstName,'an')")
    assert build_filter("a eq 1") == "a eq 1"


def test_order_by():
    assert render_order_by(None) is None
    assert render_order_by("lastName") == "lastName"
    assert render_order_by("-id") == "id desc"
    assert render_order_by(["lastName", "-id", "+name", "town DESC", "centre/id asc"]) == (
        "lastName,id desc,name,town desc,centre/id asc")
    with pytest.raises(ValueError):
        render_order_by("id; drop")


def test_list_params():
    assert list_params() == {"$top": 40}
    assert list_params(top=10, skip=0) == {"$top": 10}
    assert list_params(top=10, skip=30, order_by="-id", where={"id": 1},
                       params={"showTest": True}) == {
        "$top": 10, "$skip": 30, "$filter": "id eq 1", "$orderBy": "id desc", "showTest": True}
    for bad in ({"top": 0}, {"top": True}, {"skip": -1}):
        with pytest.raises(ValueError):
            list_params(**bad)
