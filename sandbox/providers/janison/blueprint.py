"""The flask-smorest Blueprint every Janison resource uses, with Janison's parser: JSON
bodies only (research notes B2: the seed shows no XML), errors in Janison's rules."""

from __future__ import annotations

from exam_sandbox.core.parsing import VendorParser
from exam_sandbox.core.vendor_blueprint import VendorBlueprint

from .errors import RULES


class JanisonParser(VendorParser):
    def __init__(self) -> None:
        super().__init__(RULES, field_rule="REQ-1", unreadable_rule="REQ-2", media_rule="REQ-4")


class JanisonBlueprint(VendorBlueprint):
    ARGUMENTS_PARSER = JanisonParser()

    def __init__(self, resource: str, import_name: str, *, description: str = ""):
        super().__init__(
            resource, import_name, url_prefix=f"/api/{resource}", description=description
        )
        self.resource = resource
