"""The flask-smorest Blueprint every vendor's resources build on.

Given a schema class, webargs makes a new instance for every request it parses, and a
marshmallow ``Schema()`` deep-copies its declared fields: ~0.1 ms per argument set, a
sizeable share of a whole validated POST (issue 9's profiles). Schemas here are made once,
when the route is declared; loading holds no state on the instance, so one serves every
request and thread, as the response schemas flask-smorest makes once already do.
"""

from __future__ import annotations

from flask_smorest import Blueprint


class VendorBlueprint(Blueprint):
    def arguments(self, schema, *args, **kwargs):
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)
