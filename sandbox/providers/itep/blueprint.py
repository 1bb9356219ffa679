"""The flask-smorest Blueprint every iTEP resource uses, with iTEP's parser: JSON bodies
only, errors in iTEP's rules."""

from __future__ import annotations

from exam_sandbox.core.parsing import VendorParser
from exam_sandbox.core.vendor_blueprint import VendorBlueprint

from .errors import RULES

PREFIX = "/api/v1"


class ItepParser(VendorParser):
    def __init__(self) -> None:
        super().__init__(RULES, field_rule="REQ-1", unreadable_rule="REQ-2", media_rule="REQ-4")


class ItepBlueprint(VendorBlueprint):
    ARGUMENTS_PARSER = ItepParser()

    def __init__(self, resource: str, import_name: str, *, description: str = ""):
        super().__init__(
            resource, import_name, url_prefix=f"{PREFIX}/{resource}", description=description
        )
        self.resource = resource
