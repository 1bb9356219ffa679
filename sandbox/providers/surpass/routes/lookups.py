"""GET Country, County and Test: lookups a client reads before scheduling."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import select

from exam_sandbox.core.lookups import by_id, by_reference
from exam_sandbox.core.odata import Field, QueryModel
from exam_sandbox.core.request_scope import session

from ..auth import require_permission
from ..blueprint import SurpassBlueprint
from ..errors import not_found
from ..paging import page, single
from ..schemas.common import ByReferenceQuery, ListQuery, page_envelope
from ..schemas.lookups import CountrySchema, CountySchema, TestSchema
from ..tables import Country, County, Subject, Test
from .odata_models import SURPASS_DATES

country_blp = SurpassBlueprint("Country", __name__, item="country", description="Countries")
county_blp = SurpassBlueprint("County", __name__, item="county", description="Counties")
test_blp = SurpassBlueprint("Test", __name__, item="test", description="Tests (read-only)")

COUNTRY_QUERY = QueryModel(
    fields={
        "id": Field(Country.id, "int"),
        "name": Field(Country.name),
        "code": Field(Country.code),
    },
    date_formats=SURPASS_DATES,
)
COUNTY_QUERY = QueryModel(
    fields={
        "id": Field(County.id, "int"),
        "name": Field(County.name),
        "country/id": Field(
            select(Country.id).where(Country.pk == County.country_pk).scalar_subquery(), "int"
        ),
    },
    date_formats=SURPASS_DATES,
)
TEST_QUERY = QueryModel(
    fields={
        "id": Field(Test.id, "int"),
        "reference": Field(Test.reference),
        "name": Field(Test.name),
        "status": Field(Test.status),
        "requiresInvigilation": Field(Test.requires_invigilation, "bool"),
        "subject/id": Field(
            select(Subject.id).where(Subject.pk == Test.subject_pk).scalar_subquery(), "int"
        ),
        "subject/reference": Field(
            select(Subject.reference).where(Subject.pk == Test.subject_pk).scalar_subquery()
        ),
    },
    date_formats=SURPASS_DATES,
)


@country_blp.route("")
class Countries(MethodView):
    @country_blp.arguments(ListQuery, location="query")
    @country_blp.response(200, page_envelope(CountrySchema))
    def get(self, args):
        """List countries"""
        return page(session(), Country, [], COUNTRY_QUERY, args)


@country_blp.route("/<int:country_id>")
class CountryById(MethodView):
    @country_blp.response(200, page_envelope(CountrySchema))
    def get(self, country_id: int):
        """Get a country by id"""
        return single(by_id(session(), Country, country_id) or _missing("Country"))


@county_blp.route("")
class Counties(MethodView):
    @county_blp.arguments(ListQuery, location="query")
    @county_blp.response(200, page_envelope(CountySchema))
    def get(self, args):
        """List counties"""
        return page(session(), County, [], COUNTY_QUERY, args)


@county_blp.route("/<int:county_id>")
class CountyById(MethodView):
    @county_blp.response(200, page_envelope(CountySchema))
    def get(self, county_id: int):
        """Get a county by id"""
        return single(by_id(session(), County, county_id) or _missing("County"))


@test_blp.route("")
class Tests(MethodView):
    @test_blp.arguments(ByReferenceQuery, location="query")
    @test_blp.response(200, page_envelope(TestSchema))
    def get(self, args):
        """List tests, or get the one with ?reference="""
        require_permission("ViewTests")
        if args.get("reference") is not None:
            return single(by_reference(session(), Test, args["reference"]) or _missing("Test"))
        return page(session(), Test, [], TEST_QUERY, args)


@test_blp.route("/<int:test_id>")
class TestById(MethodView):
    @test_blp.response(200, page_envelope(TestSchema))
    def get(self, test_id: int):
        """Get a test by id"""
        require_permission("ViewTests")
        return single(by_id(session(), Test, test_id) or _missing("Test"))


def _missing(resource: str):
    raise not_found(resource)
