"""Marshmallow fields both vendors share."""

from __future__ import annotations

from marshmallow import fields


class StrictBoolean(fields.Boolean):
    """A JSON boolean and nothing else: not 0 or 1, not "true" or "1".

    marshmallow's own Boolean takes any of those, while both vendors' contracts say
    ``boolean`` and their .NET binders refuse a number or a string for a bool. A reader of
    another wire format (Surpass's XML) hands this field real booleans."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value
