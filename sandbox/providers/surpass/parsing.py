"""Surpass's request parser: core's vendor parser, answering in Surpass's rules, reading
XML bodies as well as JSON (research notes A5)."""

from __future__ import annotations

from flask import g
from marshmallow import Schema

from exam_sandbox.core import bodies
from exam_sandbox.core.parsing import VendorParser

from .errors import RULES, invalid
from .wire import XML_TYPES, XmlBodyError, XmlRootError, xml_to_data


class SurpassParser(VendorParser):
    def __init__(self) -> None:
        super().__init__(RULES, field_rule="REQ-1", unreadable_rule="REQ-2", media_rule="REQ-4")

    def accepts(self, mimetype: str) -> bool:
        return mimetype in XML_TYPES or super().accepts(mimetype)

    def load_other_body(self, req, schema: Schema, body: bytes):
        if req.mimetype not in XML_TYPES:
            return super().load_other_body(req, schema, body)
        strict = (g.get("surpass_settings") or {}).get("strictXmlNamespace", True)
        try:
            data = xml_to_data(body, schema, strict_root=strict)
        except XmlBodyError as exc:
            raise invalid("REQ-2", format=f"XML ({exc})") from exc
        except XmlRootError as exc:
            raise invalid("REQ-2", format=f"XML: {exc}") from exc
        # expat already refuses what XML cannot carry and the reader limits depth; the
        # same check as a JSON body's still runs, so both formats answer to one rule.
        try:
            bodies.check_value(data)
        except bodies.BodyRefused as exc:
            raise self.refused(exc, "XML") from exc
        return data
