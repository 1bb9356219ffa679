"""How ``@blp.arguments`` reads a control's body and query string.

Bodies go through the hardened decoder every control uses (core/bodies.py: a depth
limit, lone surrogates refused, blank means ``{}``); a schema's refusal becomes an
``InvalidInput``, answered as a 400 with marshmallow's messages as ``details``.
"""

from __future__ import annotations

from webargs import core
from webargs.flaskparser import FlaskParser

from ..core.bodies import control_json
from .errors import BODY, QUERY, InvalidInput

# webargs files its messages under the location it read; the caller knows the body and
# the query string by these names.
WHERE = {"json": BODY, "query": QUERY, "querystring": QUERY}


class AdminParser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400  # what the OpenAPI document says a refusal is
    # Each schema's own ``Meta.unknown`` decides (RAISE: an unknown field is an error).
    DEFAULT_UNKNOWN_BY_LOCATION = dict.fromkeys(FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION)

    def load_json(self, req, schema):
        return control_json(req.get_data(cache=True), is_json=req.is_json)

    def _raw_load_json(self, req):  # webargs' own JSON path is replaced by load_json
        return core.missing

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        messages = error.messages
        where = BODY
        if isinstance(messages, dict) and len(messages) == 1:
            location = next(iter(messages))
            if location in WHERE:
                where, messages = WHERE[location], messages[location]
        raise InvalidInput(where, messages)
