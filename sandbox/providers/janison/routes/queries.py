"""The OData query model of each Janison list: what ``$filter`` and ``$orderBy`` may
name. Navigation to one row is a correlated scalar subquery; a collection is an
``exists`` over its link table, correlated to the listed row."""

from __future__ import annotations

from sqlalchemy import exists, select

from exam_sandbox.core.odata import Collection, Field, QueryModel

from ..tables import (
    JCandidate,
    JCentre,
    JComponent,
    JResult,
    JResultComponent,
    JTest,
    JTestPackage,
    JUser,
    candidate_centre,
    candidate_test,
    centre_test,
    user_centre,
    user_test,
)


def _refs(model) -> dict[str, Field]:
    fields = {"id": Field(model.id, "int"), "reference": Field(model.reference)}
    if hasattr(model, "name"):
        fields["name"] = Field(model.name)
    return fields


def _linked(owner, link, owner_column: str, column: str, model) -> Collection:
    def build(condition):
        return (
            exists()
            .where(link.c[owner_column] == owner.pk, link.c[column] == model.pk, condition)
            .correlate(owner)
        )

    return Collection(fields=_refs(model), exists=build)


def _nav(model, key) -> dict[str, Field]:
    """``name/id`` and ``name/reference`` of the row ``key`` points at."""
    return {
        "id": Field(select(model.id).where(model.pk == key).scalar_subquery(), "int"),
        "reference": Field(select(model.reference).where(model.pk == key).scalar_subquery()),
    }


def _prefixed(prefix: str, fields: dict[str, Field]) -> dict[str, Field]:
    return {f"{prefix}/{name}": field for name, field in fields.items()}


USER_QUERY = QueryModel(
    fields={
        "id": Field(JUser.id, "int"),
        "reference": Field(JUser.reference),
        "userName": Field(JUser.user_name),
        "firstName": Field(JUser.first_name),
        "middleName": Field(JUser.middle_name),
        "lastName": Field(JUser.last_name),
        "dateOfBirth": Field(JUser.date_of_birth, "date"),
        "gender": Field(JUser.gender),
        "expiry": Field(JUser.expiry, "date"),
        "town": Field(JUser.town),
        "county": Field(JUser.county),
        "country": Field(JUser.country),
        "postCode": Field(JUser.post_code),
        "email": Field(JUser.email),
        "phone": Field(JUser.phone),
    },
    collections={
        "centres": _linked(JUser, user_centre, "user_pk", "centre_pk", JCentre),
        "tests": _linked(JUser, user_test, "user_pk", "test_pk", JTest),
    },
)

CANDIDATE_QUERY = QueryModel(
    fields={
        "id": Field(JCandidate.id, "int"),
        "reference": Field(JCandidate.reference),
        "firstName": Field(JCandidate.first_name),
        "middleName": Field(JCandidate.middle_name),
        "lastName": Field(JCandidate.last_name),
        "dateOfBirth": Field(JCandidate.date_of_birth, "date"),
        "uln": Field(JCandidate.uln),
        "gender": Field(JCandidate.gender),
        "expiry": Field(JCandidate.expiry, "date"),
        "town": Field(JCandidate.town),
        "countyID": Field(JCandidate.county_id),
        "countryID": Field(JCandidate.country_id),
        "postCode": Field(JCandidate.post_code),
        "email": Field(JCandidate.email),
        "phone": Field(JCandidate.phone),
        "retired": Field(JCandidate.retired, "bool"),
    },
    collections={
        "centres": _linked(JCandidate, candidate_centre, "candidate_pk", "centre_pk", JCentre),
        "tests": _linked(JCandidate, candidate_test, "candidate_pk", "test_pk", JTest),
    },
)

CENTRE_QUERY = QueryModel(
    fields={
        "id": Field(JCentre.id, "int"),
        "reference": Field(JCentre.reference),
        "name": Field(JCentre.name),
        "addressLine1": Field(JCentre.address_line1),
        "town": Field(JCentre.town),
        "county": Field(JCentre.county),
        "country": Field(JCentre.country),
        "postCode": Field(JCentre.post_code),
        "retired": Field(JCentre.retired, "bool"),
        **_prefixed("centreAdminUser", _nav(JUser, JCentre.admin_user_pk)),
    },
    collections={"tests": _linked(JCentre, centre_test, "centre_pk", "test_pk", JTest)},
)


TEST_QUERY = QueryModel(
    fields={
        "id": Field(JTest.id, "int"),
        "reference": Field(JTest.reference),
        "name": Field(JTest.name),
    },
    collections={
        "testpackages": Collection(
            fields=_refs(JTestPackage),
            exists=lambda condition: (
                exists().where(JTestPackage.test_pk == JTest.pk, condition).correlate(JTest)
            ),
        )
    },
)

TESTPACKAGE_QUERY = QueryModel(
    fields={
        "id": Field(JTestPackage.id, "int"),
        "reference": Field(JTestPackage.reference),
        "name": Field(JTestPackage.name),
        **_prefixed("test", _nav(JTest, JTestPackage.test_pk)),
    },
    collections={
        "components": Collection(
            fields={**_refs(JComponent), "type": Field(JComponent.type)},
            exists=lambda condition: (
                exists()
                .where(JComponent.package_pk == JTestPackage.pk, condition)
                .correlate(JTestPackage)
            ),
        )
    },
)

COMPONENT_QUERY = QueryModel(
    fields={
        "id": Field(JComponent.id, "int"),
        "reference": Field(JComponent.reference),
        "name": Field(JComponent.name),
        "type": Field(JComponent.type),
        **_prefixed("testPackage", _nav(JTestPackage, JComponent.package_pk)),
    },
)

RESULT_QUERY = QueryModel(
    fields={
        "id": Field(JResult.id, "int"),
        "reference": Field(JResult.reference),
        "finalScaleScore": Field(JResult.final_scale_score),
        "overallCEFRGrade": Field(JResult.overall_cefr_grade),
        "testPackageCompletionDate": Field(JResult.completion_date, "datetime"),
        "completed": Field(JResult.completed, "bool"),
        "voided": Field(JResult.voided, "bool"),
        **_prefixed("candidate", _nav(JCandidate, JResult.candidate_pk)),
        **_prefixed("testPackage", _nav(JTestPackage, JResult.package_pk)),
        **_prefixed("centre", _nav(JCentre, JResult.centre_pk)),
    },
    collections={
        "components": Collection(
            fields={
                "id": Field(
                    select(JComponent.id)
                    .where(JComponent.pk == JResultComponent.component_pk)
                    .scalar_subquery(),
                    "int",
                ),
                "reference": Field(
                    select(JComponent.reference)
                    .where(JComponent.pk == JResultComponent.component_pk)
                    .scalar_subquery()
                ),
                "type": Field(
                    select(JComponent.type)
                    .where(JComponent.pk == JResultComponent.component_pk)
                    .scalar_subquery()
                ),
                "scaleScore": Field(JResultComponent.scale_score),
                "CEFRGrade": Field(JResultComponent.cefr_grade),
                "rawScore": Field(JResultComponent.raw_score, "int"),
                "keycode": Field(JResultComponent.keycode),
                "completed": Field(JResultComponent.completed, "bool"),
            },
            exists=lambda condition: (
                exists()
                .where(JResultComponent.result_pk == JResult.pk, condition)
                .correlate(JResult)
            ),
        )
    },
)
