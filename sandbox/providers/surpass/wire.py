"""Surpass on the wire: JSON or XML, chosen per request.

Responses: every body passes through ``flask.jsonify`` (flask-smorest included), which
calls the app's JSON provider; ``SurpassJSONProvider`` answers in XML when the request
asked for it, so one schema dump serves both formats. Requests: ``xml_to_data`` turns an
XML body into the dict a marshmallow schema loads, guided by the schema's own fields.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring
from xml.parsers.expat import ErrorString

from defusedxml import ElementTree as SafeET
from defusedxml.common import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from flask import Response, g, has_request_context, request
from flask.json.provider import DefaultJSONProvider
from marshmallow import Schema, fields

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_TYPES = ("application/xml", "text/xml")
register_namespace("i", XSI)  # DataContractSerializer's prefix for xsi
# List fields whose items are not named by the singular of the field.
ITEM_NAMES = {"errors": "Error", "testTags": "tag"}
# What XML 1.0 cannot carry, even as a character reference: C0 controls but TAB, LF, CR;
# surrogates; U+FFFE and U+FFFF. JSON bodies may store them (they are valid JSON text),
# so an XML answer shows each as U+FFFD, the replacement character, rather than break.
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def wants_xml() -> bool:
    """An Accept naming JSON or XML decides; otherwise the format of the request body."""
    if not has_request_context():
        return False
    accept = request.accept_mimetypes
    if any(value in (*XML_TYPES, "application/json") for value, _ in accept):
        return accept.best_match(["application/json", *XML_TYPES]) in XML_TYPES
    return request.mimetype in XML_TYPES


def _item_name(field: str) -> str:
    if field in ITEM_NAMES:
        return ITEM_NAMES[field]
    if field == "response":
        return g.get("surpass_item", "resource")
    return field[:-1] if field.endswith("s") else field + "Item"


def _fill(element: Element, value, name: str) -> None:
    if value is None:
        element.set(f"{{{XSI}}}nil", "true")
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, dict):
        for key, item in value.items():
            _fill(SubElement(element, key), item, key)
    elif isinstance(value, list | tuple):
        item_name = _item_name(name)
        for item in value:
            _fill(SubElement(element, item_name), item, item_name)
    else:
        element.text = NOT_XML_CHAR.sub("\ufffd", str(value))


def to_xml(data) -> bytes:
    root = Element("response")
    _fill(root, data, "response")
    return tostring(root, encoding="utf-8", xml_declaration=True)


class SurpassJSONProvider(DefaultJSONProvider):
    sort_keys = False  # envelopes keep the vendor's field order
    ensure_ascii = False

    def response(self, *args, **kwargs) -> Response:
        if wants_xml():
            data = args[0] if len(args) == 1 else (list(args) or kwargs)
            return Response(to_xml(data), mimetype="application/xml")
        return super().response(*args, **kwargs)


class XmlBodyError(ValueError):
    """The body is not well-formed XML, or tries entities or a DTD."""


class XmlRootError(ValueError):
    """The root element is not the one the operation takes."""


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return None, tag


def _is_nil(element: Element) -> bool:
    return element.get(f"{{{XSI}}}nil") == "true"


# No Surpass body nests deeper than a few levels; the limit keeps a hostile document
# from exhausting the stack (expat itself parses any depth without recursion).
MAX_DEPTH = 32


def _convert(element: Element, field: fields.Field | None, depth: int):
    if depth > MAX_DEPTH:
        raise XmlBodyError(f"elements nest deeper than {MAX_DEPTH} levels")
    if _is_nil(element):
        return None
    if isinstance(field, fields.Nested):
        nested = field.schema
        if field.many:
            return [_object(child, nested, depth + 1) for child in element]
        return _object(element, nested, depth)
    if isinstance(field, fields.List):
        inner = field.inner
        return [_convert(child, inner, depth + 1) for child in element]
    if len(element):
        return _object(element, None, depth)
    if isinstance(field, fields.Boolean):
        return _xs_boolean(element.text or "")
    return element.text or ""


# xs:boolean's lexical forms, as .NET's XmlConvert.ToBoolean reads them (whitespace
# trimmed); any other text stays text, for the schema's strict boolean to refuse.
_XS_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _xs_boolean(text: str) -> bool | str:
    return _XS_BOOLEANS.get(text.strip(" \t\r\n"), text)


def _object(element: Element, schema: Schema | None, depth: int = 0) -> dict:
    known = schema.fields if schema is not None else {}
    by_wire_name = {(f.data_key or name): f for name, f in known.items()}
    return {
        _local(child.tag)[1]: _convert(child, by_wire_name.get(_local(child.tag)[1]), depth + 1)
        for child in element
    }


def xml_problem(exc: Exception) -> str:
    """A parser's failure as prose for the client: never an exception's repr."""
    if isinstance(exc, DTDForbidden | EntitiesForbidden):
        return "a DTD or entity declarations are not allowed"
    if isinstance(exc, ExternalReferenceForbidden):
        return "references to external resources are not allowed"
    if isinstance(exc, DefusedXmlException):
        return "the XML uses a construct that is not allowed"
    if isinstance(exc, SafeET.ParseError) and getattr(exc, "code", None):
        line, column = getattr(exc, "position", (0, 0))
        return f"{ErrorString(exc.code)} at line {line}, column {column}"
    return "the body is not well-formed XML"


def xml_to_data(body: bytes, schema: Schema, *, strict_root: bool) -> dict:
    """The dict that ``schema`` loads from an XML body.

    A schema may name the root it takes in ``Meta.xml_root = (name, namespace)``; with
    ``strict_root`` the namespace must match too, as .NET's DataContractSerializer does.
    """
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise XmlBodyError(xml_problem(exc)) from exc
    expected = getattr(getattr(schema, "Meta", None), "xml_root", None)
    if expected is not None:
        namespace, name = _local(root.tag)
        want_name, want_namespace = expected
        if name != want_name or (strict_root and namespace != want_namespace):
            raise XmlRootError(f"Expecting element '{want_name}' from namespace '{want_namespace}'")
    return _object(root, schema)
