"""Surpass XML on the wire: request bodies out, ``<response>`` envelopes in.

Decoding yields the same plain structure ``json.loads`` gives for the JSON envelope
(dicts, lists, strings, ``None``); the typed models coerce leaf strings to ints, bools and
dates, so one parser serves both formats. Namespaces are ignored on input (a real
DataContractSerializer response may carry them), ``i:nil="true"`` becomes ``None``.
Parsing goes through defusedxml: DTDs and entities are refused.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

import defusedxml.ElementTree as SafeET

__all__ = ["TEST_SCHEDULE_NS", "XSI_NS", "XmlDecodeError", "decode", "encode", "item_name"]

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
TEST_SCHEDULE_NS = (
    "http://schemas.datacontract.org/2004/07/"
    "Btl.Aspire.Administration.Web.Areas.Api.Version2.DataContracts.TestSchedule"
)
_NIL = f"{{{XSI_NS}}}nil"

#: Containers that are always lists, with the name of their items (None: any name).
_LIST_ITEMS: dict[str, str | None] = {
    "errors": "Error",
    "response": None,
    "testtags": "tag",
    "centres": "centre",
    "subjects": "subject",
    "testforms": "testForm",
    "permissions": "permission",
    "taggroups": "tagGroup",
    "selectedsections": "selectedSection",
}


class XmlDecodeError(ValueError):
    """The body is not well-formed XML, or uses a forbidden construct (DTD, entity)."""


def item_name(field: str) -> str:
    """Element name of the items of list ``field``: ``testTags``->``tag``, else the singular."""
    known = _LIST_ITEMS.get(field.lower())
    if known:
        return known
    if field.endswith("ies"):
        return field[:-3] + "y"
    if field.endswith("s"):
        return field[:-1]
    return "item"


# --------------------------------------------------------------------------- encode


def encode(root: str, body: Mapping[str, Any], *, namespace: str | None = None) -> bytes:
    """Serialise ``body`` (JSON-shaped, camelCase keys) under ``<root>``.

    ``None`` values are omitted; booleans are ``true``/``false``; nested mappings are
    nested elements; lists are a container of :func:`item_name` items. With a
    ``namespace`` it is the default namespace of the whole document.
    """

    def q(name: str) -> str:
        return f"{{{namespace}}}{name}" if namespace else name

    def fill(parent: ET.Element, value: Any, field: str) -> None:
        if isinstance(value, Mapping):
            for key, sub in value.items():
                if sub is not None:
                    fill(ET.SubElement(parent, q(key)), sub, key)
        elif isinstance(value, list | tuple):
            for sub in value:
                if sub is not None:
                    fill(ET.SubElement(parent, q(item_name(field))), sub, item_name(field))
        else:
            parent.text = _text(value)

    element = ET.Element(q(root))
    fill(element, body, root)
    return ET.tostring(
        element, encoding="utf-8", xml_declaration=True, default_namespace=namespace
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- decode


def decode(data: bytes | str) -> dict[str, Any]:
    """Parse a ``<response>`` envelope into a dict shaped like the JSON envelope."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden, ...
        raise XmlDecodeError(f"invalid XML response: {exc}") from exc
    if root.get(_NIL) == "true":
        return {}
    return {_local(child.tag): _value(child) for child in root}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _value(el: ET.Element) -> Any:
    if el.get(_NIL) in ("true", "1"):
        return None
    children = list(el)
    tag = _local(el.tag)
    if _is_list(tag, children):
        return [_value(c) for c in children]
    if not children:
        return el.text or ""
    return {_local(c.tag): _value(c) for c in children}


def _is_list(tag: str, children: list[ET.Element]) -> bool:
    if tag.lower() in _LIST_ITEMS:
        return True
    if not children:
        return False
    names = {_local(c.tag) for c in children}
    if len(names) != 1:
        return False
    if len(children) > 1:
        return True
    return names.pop().lower() == item_name(tag).lower()
