"""``Documented``: the base of a request body whose schema documents it (and so the
OpenAPI contract) but does not refuse it.

Some vendors fix an order for their rules that interleaves field checks with checks that
need the database (Cirrus's S1-S19, iTEP's I1-I9), so their models check the decoded body
in that order, and ``load`` hands it over as decoded. The fields, lengths and patterns of
the schema are what the contract shows a client; the vendor's tests prove the two agree.
"""

from __future__ import annotations

from marshmallow import Schema


class Documented(Schema):
    class Meta:
        ordered = True

    # Optional members a null is refused for (the rest take null as left out, as models
    # read them: ``body.get(name)``).
    NOT_NULLABLE: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not field.required and name not in self.NOT_NULLABLE:
                field.allow_none = True

    def load(self, data, *, many=None, partial=None, unknown=None):
        return data
