"""``/api/test``, ``/api/testpackage``, ``/api/component``: GET list and by id, served
from the seed data (read-only in the seed)."""

from __future__ import annotations

from flask.views import MethodView

from exam_sandbox.core.request_scope import session

from ..blueprint import JanisonBlueprint
from ..envelopes import page, single
from ..models.common import find
from ..schemas.catalogue import ComponentSchema, TestPackageSchema, TestSchema
from ..schemas.common import ListQuery, page_envelope
from ..tables import JComponent, JTest, JTestPackage
from .queries import COMPONENT_QUERY, TEST_QUERY, TESTPACKAGE_QUERY


def _read_only(resource: str, description: str, model, schema, query, noun: str):
    blp = JanisonBlueprint(resource, __name__, description=description)

    @blp.route("")
    class Items(MethodView):
        @blp.doc(summary=f"List {description.lower()}")
        @blp.arguments(ListQuery, location="query")
        @blp.response(200, page_envelope(schema))
        def get(self, args):
            return page(session(), model, [], query, args)

    @blp.route("/<int:item_id>")
    class ItemById(MethodView):
        @blp.doc(summary=f"Get a {noun.lower()} by id")
        @blp.response(200, page_envelope(schema))
        def get(self, item_id: int):
            return single(find(session(), model, noun, item_id))

    return blp


test_blp = _read_only("test", "Tests", JTest, TestSchema, TEST_QUERY, "Test")
testpackage_blp = _read_only(
    "testpackage",
    "Test packages",
    JTestPackage,
    TestPackageSchema,
    TESTPACKAGE_QUERY,
    "Test package",
)
component_blp = _read_only(
    "component", "Components", JComponent, ComponentSchema, COMPONENT_QUERY, "Component"
)
