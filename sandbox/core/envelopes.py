"""The page envelope: how a vendor answers a list, or a read of one item.

Surpass API v2 wraps every GET in ``{count, top, skip, pageCount, nextPageLink,
prevPageLink, response, errors}``, and Janison is assumed to mirror it; each vendor adds
its own fields (Surpass's ``serverTimeZone``) and its own error item shape.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from .listing import Page

NULL_PAGING = {
    "count": None,
    "top": None,
    "skip": None,
    "pageCount": None,
    "nextPageLink": None,
    "prevPageLink": None,
}


def page_body(page: Page, **extra) -> dict:
    """A page of a list."""
    return {
        "count": page.count,
        "top": page.top,
        "skip": page.skip,
        "pageCount": page.page_count,
        "nextPageLink": page.next_link,
        "prevPageLink": page.prev_link,
        "response": page.items,
        "errors": [],
        **extra,
    }


def single_body(item, **extra) -> dict:
    """A read of one item: the page envelope with null paging and ``response: [item]``."""
    return {**NULL_PAGING, "response": [item], "errors": [], **extra}


def page_envelope_schema(
    item_schema: type[Schema], error_item: type[Schema], extra: dict | None = None
) -> type[Schema]:
    """The page envelope around ``item_schema`` items, as one named schema for OpenAPI.

    Callers cache it per item schema: apispec names components by class, and one class
    per item keeps each page schema defined once.
    """
    name = item_schema.__name__.removesuffix("Schema") + "Page"
    return type(
        name,
        (Schema,),
        {
            "count": fields.Integer(allow_none=True, required=True),
            "top": fields.Integer(allow_none=True, required=True),
            "skip": fields.Integer(allow_none=True, required=True),
            "pageCount": fields.Integer(allow_none=True, required=True),
            "nextPageLink": fields.String(allow_none=True, required=True),
            "prevPageLink": fields.String(allow_none=True, required=True),
            "response": fields.List(fields.Nested(item_schema), required=True),
            "errors": fields.List(fields.Nested(error_item), required=True),
            **(extra or {}),
        },
    )


def error_envelope_schema(
    error_item: type[Schema], extra: dict | None = None, *, doc: str = ""
) -> type[Schema]:
    """Every error body: the operation's envelope (a page for a GET, a write envelope
    otherwise) with its data fields null, and the vendor's ``errors`` items."""
    return type(
        "ErrorEnvelope",
        (Schema,),
        {
            "__doc__": doc or error_envelope_schema.__doc__,
            **{name: fields.Integer(allow_none=True) for name in ("count", "top", "skip")},
            "pageCount": fields.Integer(allow_none=True),
            "nextPageLink": fields.String(allow_none=True),
            "prevPageLink": fields.String(allow_none=True),
            "response": fields.Raw(allow_none=True),
            "id": fields.Integer(allow_none=True),
            "href": fields.String(allow_none=True),
            "errors": fields.List(fields.Nested(error_item), required=True),
            **(extra or {}),
        },
    )
