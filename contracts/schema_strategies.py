"""Hypothesis strategies for the JSON Schema subset the contract uses.

``hypothesis_jsonschema`` would do this, but its releases lag behind Hypothesis's private
internals (0.23 fails on Hypothesis 6.1xx), so the contract suite carries its own: the
keywords below are every one the OpenAPI documents use (after
:meth:`contract.Contract.json_schema`), and an unknown keyword is an error rather
than silently ignored. Every value drawn validates against its schema (the consumer suite
checks that with ``jsonschema``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

SUPPORTED = {
    "type", "properties", "required", "additionalProperties", "items", "anyOf", "enum",
    "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "pattern",
    "default", "title", "format",
}
MAX_ITEMS = 4  # lists stay short: the client's parsing, not its stamina, is under test

_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
#: Any JSON value, for schemas that say nothing (``{}``).
any_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3),
    max_leaves=6,
)


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    unknown = set(schema) - SUPPORTED
    if unknown:
        raise ValueError(f"no strategy for schema keywords {sorted(unknown)}")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([from_schema(s) for s in schema["anyOf"]])
    kind = schema.get("type")
    if kind is None:
        return _object(schema) if "properties" in schema else any_json
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}) for k in kind])
    return _BY_TYPE[kind](schema)


def _object(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    props = schema.get("properties", {})
    required = set(schema.get("required", ()))
    fixed = st.fixed_dictionaries(
        {k: from_schema(v) for k, v in props.items() if k in required},
        optional={k: from_schema(v) for k, v in props.items() if k not in required},
    )
    if props or schema.get("additionalProperties") is False:
        return fixed
    return st.dictionaries(st.text(min_size=1, max_size=8), any_json, max_size=3)


def _string(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    if schema.get("format") in FORMATS:
        return FORMATS[schema["format"]]
    if "pattern" in schema:
        return st.from_regex(schema["pattern"])
    low = schema.get("minLength", 0)
    return st.text(min_size=low, max_size=min(schema.get("maxLength", low + 12), low + 12))


def _integer(schema: dict[str, Any]) -> st.SearchStrategy[int]:
    return st.integers(schema.get("minimum"), schema.get("maximum"))


def _array(schema: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
    low = schema.get("minItems", 0)
    high = min(schema.get("maxItems", low + MAX_ITEMS), low + MAX_ITEMS)
    return st.lists(from_schema(schema.get("items", {})), min_size=low, max_size=high)


# The formats the contracts use, each drawn as the format checker (jsonschema's
# ``FormatChecker``) accepts it; any other format is an annotation only.
FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date": st.dates().map(dt.date.isoformat),
    "date-time": st.datetimes(timezones=st.just(dt.UTC)).map(
        lambda d: d.isoformat().replace("+00:00", "Z")
    ),
    "uri": st.builds(
        "{}://{}/{}".format,
        st.sampled_from(["http", "https"]),
        st.from_regex(r"[a-z0-9]{1,10}(\.[a-z]{2,5})?(:[0-9]{2,5})?", fullmatch=True),
        st.from_regex(r"[a-zA-Z0-9/_.~-]{0,20}", fullmatch=True),
    ),
}

_BY_TYPE = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _integer,
    "number": lambda s: st.floats(s.get("minimum"), s.get("maximum"), allow_nan=False,
                                  allow_infinity=False),
    "boolean": lambda s: st.booleans(),
    "null": lambda s: st.none(),
}
