"""``/api/result``: GET list and by id."""

from __future__ import annotations

from functools import partial

from flask.views import MethodView

from exam_sandbox.core.request_scope import scope, session

from ..blueprint import JanisonBlueprint
from ..envelopes import page, single
from ..models.common import find
from ..models.result_page import default_page
from ..schemas.common import ListQuery, page_envelope
from ..schemas.results import ResultSchema
from ..tables import JResult
from .queries import RESULT_QUERY

result_blp = JanisonBlueprint("result", __name__, description="Results")


@result_blp.route("")
class Results(MethodView):
    @result_blp.arguments(ListQuery, location="query")
    @result_blp.response(200, page_envelope(ResultSchema))
    def get(self, args):
        """List results"""
        # Without $filter or $orderBy: precompiled SQL, no ORM (models/result_page.py).
        plain = partial(default_page, scope())
        return page(session(), JResult, [], RESULT_QUERY, args, plain=plain)


@result_blp.route("/<int:result_id>")
class ResultById(MethodView):
    @result_blp.response(200, page_envelope(ResultSchema))
    def get(self, result_id: int):
        """Get a result by id"""
        return single(find(session(), JResult, "Result", result_id))

